"""Helpers that read PDFs the way their consumers do (pypdf, pdfplumber, pikepdf, pypdfium2)."""

from __future__ import annotations

import re
from pathlib import Path

import pikepdf
import pypdf

BASE14 = {"Times-Roman", "Times-Bold", "Times-Italic", "Times-BoldItalic", "Helvetica",
          "Helvetica-Bold", "Helvetica-Oblique", "Helvetica-BoldOblique", "Courier", "Courier-Bold",
          "Courier-Oblique", "Courier-BoldOblique", "Symbol", "ZapfDingbats"}


def squash(text: str) -> str:
    """Text with all white space removed: line breaks and spacing never matter for 'is it there'."""
    return re.sub(r"\s+", "", text)


def page_texts(pdf: Path) -> list[str]:
    """Each page's text in content-stream order (pypdf), which keeps a table cell's lines together."""
    return [page.extract_text() or "" for page in pypdf.PdfReader(str(pdf)).pages]


# A reference prints in its citation style's order (README: References), whatever the YAML's order.
CITATION_ORDER = ("author", "publisher", "date", "title", "note", "url")


CALL = re.compile(r"\[\^([a-z0-9][a-z0-9-]*)\]")  # a footnote call, as the input writes it


def input_strings(data, path=()) -> list[tuple[tuple, str]]:
    """Every printed string of a loaded input, in document order, with its path; a footnote call
    replaced by the number it prints (numbered in the order first called)."""
    if path == ():
        numbers: dict[str, str] = {}
        raw = _strings(data, ())
        for _, text in raw:
            for name in CALL.findall(text):
                numbers.setdefault(name, str(len(numbers) + 1))
        return [(p, CALL.sub(lambda m: numbers[m.group(1)], t)) for p, t in raw]
    return _strings(data, path)


def _strings(data, path) -> list[tuple[tuple, str]]:
    skip_keys = {"id", "tone", "tones", "kind", "probability", "as_of", "date", "keywords", "x",
                 "values", "short_title", "report_type", "url", "data", "low", "high", "prefix", "suffix",
                 "file", "status", "disclaimer_position",
                 "footnotes"}  # notes print at the foot of their call's page: tests/test_footnotes.py
    out: list[tuple[tuple, str]] = []
    if isinstance(data, dict):
        if path[:1] == ("references",) and len(path) == 2:
            data = {k: data[k] for k in sorted(data, key=lambda k: (CITATION_ORDER + (k,)).index(k))}
        for key, value in data.items():
            if key not in skip_keys and not (key in ("table", "series") and isinstance(value, str)):
                out += _strings(value, path + (key,))
    elif isinstance(data, list):
        for i, value in enumerate(data):
            out += _strings(value, path + (i,))
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
    """Image XObjects plus inline images (BI ... EI) in every page and form content stream."""
    with pikepdf.open(pdf) as doc:
        streams = [obj for obj in doc.objects if isinstance(obj, pikepdf.Stream)]
        xobjects = sum(1 for obj in streams if obj.get("/Subtype") == "/Image")
        contents = [page.obj for page in doc.pages] + [s for s in streams if s.get("/Subtype") == "/Form"]
        inline = sum(1 for c in contents for op in pikepdf.parse_content_stream(c)
                     if isinstance(op, pikepdf.ContentStreamInlineImage))
        return xobjects + inline
