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


def brand_fonts(brand: str) -> set[str]:
    """The PostScript names of the brand's font files: the only font names a PDF of it may carry."""
    from reportlab.pdfbase.ttfonts import TTFontFile

    from report.brand.theme import load_theme

    theme = load_theme(brand)
    paths = {p for f in (theme.body, theme.heading) for p in (f.regular, f.bold, f.italic, f.bold_italic)}
    return {TTFontFile(str(p)).name.decode() for p in paths}


def font_names(pdf: Path) -> set[str]:
    """Every /BaseFont in the file, without its subset tag (AAAAAA+)."""
    with pikepdf.open(pdf) as doc:
        return {str(o.get("/BaseFont")).lstrip("/").split("+")[-1] for o in doc.objects
                if isinstance(o, pikepdf.Dictionary) and o.get("/Type") == "/Font"}


def pdffonts_rows(pdf: Path) -> list[tuple[str, str]]:
    """(name, emb) for each font poppler's pdffonts finds on the pages."""
    import subprocess

    out = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
    # columns: name, type (may hold spaces), encoding, emb, sub, uni, object id, generation
    return [(line.split()[0], line.split()[-5]) for line in out.splitlines()[2:]]


def fonts_wrong(pdf: Path, brand: str) -> list[str]:
    """Base-14 or unembedded fonts, and fonts that are not the brand's (pikepdf; pdffonts if installed)."""
    import shutil

    problems = font_problems(pdf)
    problems += [f"font {name} is not one of {brand}'s" for name in sorted(font_names(pdf) - brand_fonts(brand))]
    if shutil.which("pdffonts"):
        problems += [f"pdffonts: {name} not embedded" for name, emb in pdffonts_rows(pdf) if emb != "yes"]
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
