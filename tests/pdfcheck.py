"""Helpers that read PDFs the way their consumers do (pypdf, pdfplumber, pikepdf, pypdfium2)."""

from __future__ import annotations

import logging
import re
from pathlib import Path

import pikepdf
import pypdf
import pypdfium2 as pdfium

BASE14 = {"Times-Roman", "Times-Bold", "Times-Italic", "Times-BoldItalic", "Helvetica",
          "Helvetica-Bold", "Helvetica-Oblique", "Helvetica-BoldOblique", "Courier", "Courier-Bold",
          "Courier-Oblique", "Courier-BoldOblique", "Symbol", "ZapfDingbats"}


def squash(text: str) -> str:
    """Text with all white space removed: line breaks and spacing never matter for 'is it there'."""
    return re.sub(r"\s+", "", text)


def page_texts(pdf: Path) -> list[str]:
    """Each page's text in content-stream order (pypdf), which keeps a table cell's lines together."""
    return [page.extract_text() or "" for page in pypdf.PdfReader(str(pdf)).pages]


def input_strings(data, path=()) -> list[tuple[tuple, str]]:
    """Every printed string of a loaded input, in document order, with its path."""
    skip_keys = {"id", "tone", "tones", "kind", "probability", "as_of", "date",
                 "keywords", "x", "values", "short_title", "report_type", "url"}
    out: list[tuple[tuple, str]] = []
    if isinstance(data, dict):
        for key, value in data.items():
            if key not in skip_keys and not (key == "table" and isinstance(value, str)):
                out += input_strings(value, path + (key,))
    elif isinstance(data, list):
        for i, value in enumerate(data):
            out += input_strings(value, path + (i,))
    elif isinstance(data, str):
        out.append((path, data))
    return out


def fonts(pdf: Path) -> list[pikepdf.Dictionary]:
    """Every font dictionary used anywhere in the file (pages, forms, descendants)."""
    found = []
    with pikepdf.open(pdf) as doc:
        for obj in doc.objects:
            if isinstance(obj, pikepdf.Dictionary) and obj.get("/Type") == "/Font":
                found.append(obj)
                for d in obj.get("/DescendantFonts", []):
                    found.append(d)
        return [dict(f.items()) for f in found]


def font_problems(pdf: Path) -> list[str]:
    problems = []
    with pikepdf.open(pdf) as doc:
        for obj in doc.objects:
            if not (isinstance(obj, pikepdf.Dictionary) and obj.get("/Type") == "/Font"):
                continue
            name = str(obj.get("/BaseFont", "?"))
            if name.lstrip("/") in BASE14:
                problems.append(f"base-14 font {name}")
            if obj.get("/Subtype") == "/Type0":
                continue  # checked through its descendant
            descriptor = obj.get("/FontDescriptor")
            if descriptor is None or not any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3")):
                problems.append(f"font {name} is not embedded")
    return problems


def raster_images(pdf: Path) -> int:
    with pikepdf.open(pdf) as doc:
        return sum(1 for obj in doc.objects
                   if isinstance(obj, pikepdf.Stream) and obj.get("/Subtype") == "/Image")


def validity_problems(pdf: Path) -> list[str]:
    """What strict readers object to: qpdf's check (through pikepdf, with no recovery allowed), pypdf
    in strict mode reading every page's content and its warnings, pdfium (the engine of Chrome's
    viewer) loading and rendering every page."""
    problems: list[str] = []
    try:
        with pikepdf.open(pdf, attempt_recovery=False) as doc:
            problems += [f"qpdf: {p}" for p in doc.check_pdf_syntax()]
    except pikepdf.PdfError as exc:
        return [f"qpdf cannot open it without recovery: {exc}"]
    warned: list[str] = []
    handler = logging.Handler(logging.WARNING)
    handler.emit = lambda record: warned.append(record.getMessage())
    logger = logging.getLogger("pypdf")
    logger.addHandler(handler)
    try:
        reader = pypdf.PdfReader(str(pdf), strict=True)
        for page in reader.pages:
            page.extract_text()
    except pypdf.errors.PyPdfError as exc:
        problems.append(f"pypdf (strict): {exc}")
    finally:
        logger.removeHandler(handler)
    problems += [f"pypdf: {w}" for w in warned]
    doc = pdfium.PdfDocument(str(pdf))
    try:
        for i in range(len(doc)):
            if doc[i].render(scale=0.2).to_pil().size[0] == 0:
                problems.append(f"pdfium: page {i + 1} renders empty")
    finally:
        doc.close()
    return problems
