"""Footnotes: numbered in the order called, printed at the foot of the page that calls them."""

from __future__ import annotations

from pathlib import Path

import pikepdf
import pdfplumber
import pytest
import yaml
from conftest import build

from report.cli import main

FILLER = ("Filler paragraph {i} runs long enough to carry the notes over several pages, so that calls "
          "land at every height of a page and their notes must follow them to its foot. More words "
          "follow to make it wrap over three or four lines of the measure, as real prose does{call}.")


def _article(tmp_path: Path, paragraphs: int = 45, every: int = 3) -> Path:
    notes = {f"n{i}": f"Note for paragraph {i}: the desk's model, its data provider and the date of the data."
             for i in range(every, paragraphs + 1, every)}
    blocks = [FILLER.format(i=i, call=f"[^n{i}]" if f"n{i}" in notes else "") for i in range(1, paragraphs + 1)]
    blocks.insert(5, {"table": {"title": "A table whose cell calls a note", "columns": ["Name", "Comment"],
                                "rows": [["Alpha", "The cell calls a note[^cell]"], ["Beta", "A plain cell"]]}})
    notes["cell"] = "A note called from a table cell."
    data = {"title": "Footnotes across pages", "dek": "Where the notes land.", "as_of": "2026-05-01",
            "key_stats": [{"label": "Spread", "value": "94 bp"}], "footnotes": notes,
            "sections": [{"heading": "Notes", "blocks": blocks}], "disclaimer": "For tests."}
    path = tmp_path / "notes.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return path


def placements(pdf: Path) -> dict[tuple[int, float], set[int]]:
    """Each note's place -> the pages that call it, read from the PDF's links with pikepdf: a call
    is a small internal link (a superscript number) whose destination is its note."""
    out: dict[tuple[int, float], set[int]] = {}
    with pikepdf.open(pdf) as doc:
        index = {p.obj.objgen: i for i, p in enumerate(doc.pages, start=1)}
        for n, page in enumerate(doc.pages, start=1):
            for annot in page.obj.get("/Annots", []):
                dest, rect = annot.get("/Dest"), [float(v) for v in annot.get("/Rect", [0, 0, 0, 0])]
                if isinstance(dest, pikepdf.Array) and rect[2] - rect[0] < 15:
                    out.setdefault((index[dest[0].objgen], round(float(dest[3]), 1)), set()).add(n)
    return out


def problems(pdf: Path) -> list[str]:
    found = placements(pdf)
    bad = [f"a note printed on page {page} is first called on page {min(calls)}"
           for (page, _), calls in sorted(found.items()) if page != min(calls)]
    return bad if found else ["no footnote calls found"]


@pytest.mark.parametrize("paper", ["a4", "letter"])
@pytest.mark.parametrize("brand", ["meridian", "harbor"])
def test_each_note_stands_on_the_page_of_its_first_call(tmp_path, paper, brand):
    pdf = build(tmp_path, _article(tmp_path), "--paper", paper, "--brand", brand, "--no-changes")
    found = placements(pdf)
    assert len(found) == 16 and len({page for page, _ in found}) >= 4  # over several pages
    assert problems(pdf) == []


def test_notes_print_below_the_text_in_call_order(tmp_path):
    pdf = build(tmp_path, _article(tmp_path), "--no-changes")
    with pdfplumber.open(pdf) as doc:
        for page in doc.pages:
            words = page.extract_words(extra_attrs=["size"])
            notes = [w for w in words if w["text"] == "Note" and w["size"] < 9]
            body = [w for w in words if w["text"] == "Filler"]
            if notes and body:
                assert min(w["top"] for w in notes) > max(w["bottom"] for w in body)
    with pdfplumber.open(pdf) as doc:
        text = "".join(p.extract_text() or "" for p in doc.pages).replace("\n", " ")
    order = [text.index(f"Note for paragraph {i}:") for i in range(3, 46, 3)]
    assert order == sorted(order)


def test_the_check_catches_a_note_away_from_its_call(tmp_path):
    """Control: a PDF whose note stands on the page after its call is caught."""
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate

    style = getSampleStyleSheet()["BodyText"]
    pdf = tmp_path / "late.pdf"
    SimpleDocTemplate(str(pdf)).build([
        Paragraph('A call<super><a href="#fn-1">1</a></super> on page one.', style), PageBreak(),
        Paragraph('<a name="fn-1"/><super>1</super> The note, a page too late.', style)])
    assert problems(pdf) == ["a note printed on page 2 is first called on page 1"]


@pytest.mark.parametrize("field,value,message", [
    ("call", "See [^missing].", "footnote 'missing' is not among the footnotes"),
    ("unused", None, "footnote 'spare' is never called"),
    ("title", "A title[^n3]", "a footnote can be called only from running text"),
])
def test_footnote_mistakes_are_located(tmp_path, capsys, field, value, message):
    source = _article(tmp_path, paragraphs=6)
    data = yaml.safe_load(source.read_text(encoding="utf-8"))
    if field == "call":
        data["sections"][0]["blocks"].append(value)
    elif field == "unused":
        data["footnotes"]["spare"] = "Never called."
    else:
        data["title"] = value
    source.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    assert main(["build", str(source), "-o", str(tmp_path / "out")]) == 1
    err = capsys.readouterr().err
    assert message in err and f"{source}:" in err
    assert not (tmp_path / "out").exists()


def test_a_new_page_starts_without_the_last_pages_notes():
    """The room kept for one page's notes is given back on the next: its frame's foot is reset."""
    from report.layout.flow import FlushFrame

    frame = FlushFrame(50, 50, 400, 600, bottomPadding=0, topPadding=0, leftPadding=0, rightPadding=0)
    foot = frame._y1p
    frame._y1p = foot + 40  # a page whose notes took 40 points
    frame._reset()
    assert frame._y1p == foot


def test_a_paragraph_that_moves_to_the_next_page_keeps_its_calls():
    """reportlab keeps a paragraph it could not fit as words; its call must still be found there,
    or the note is never drawn and its link has no target (the build crashed). Control: the
    paragraph as made, before any try."""
    import io

    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfgen.canvas import Canvas
    from reportlab.platypus import Frame

    from report.layout.flow import calls
    from report.text import para

    paragraph = para("Text that calls a note[^a] and another[^b]", ParagraphStyle("t"), notes={"a": 1, "b": 2})
    assert calls(paragraph) == [1, 2]
    full, canvas = Frame(0, 0, 400, 8, leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0), \
        Canvas(io.BytesIO())
    assert not full.add(paragraph, canvas) and full.split(paragraph, canvas) == []  # tried: no room at all
    assert any(isinstance(f, list) for f in paragraph.frags)  # ... and now holds it as words
    assert calls(paragraph) == [1, 2]


@pytest.mark.parametrize("block", ["callout", "numbered", "faq"])
def test_a_note_called_from_a_callout_a_list_or_an_answer_prints_at_its_pages_foot(tmp_path, block):
    """Every block that prints text may call a note: a callout, list items and answers too (a mutant
    that dropped the callout's notes survived). Control: a paragraph's note, on the same page."""
    data = yaml.safe_load(_article(tmp_path, paragraphs=4, every=2).read_text(encoding="utf-8"))
    calling = "Text that calls a note from here[^inside]."
    data["footnotes"]["inside"] = "The note called from inside the block."
    inserted = {"callout": {"callout": calling},
                "numbered": {"numbered": [{"title": "First", "text": calling}, {"title": "Second", "text": "Plain."}]},
                "faq": {"faq": [{"question": "Why?", "answer": calling}, {"question": "How?", "answer": "Plain."}]}}
    data["sections"][0]["blocks"].insert(1, inserted[block])
    path = tmp_path / "inside.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    pdf = build(tmp_path, path, "--no-changes")
    with pdfplumber.open(pdf) as doc:
        pages = [" ".join((p.extract_text() or "").split()) for p in doc.pages]
    where = [n for n, text in enumerate(pages) if "calls a note from here" in text]
    assert where and "The note called from inside the block." in pages[where[0]], pages
    assert "Note for paragraph 2" in pages[0], "the control: a paragraph's note on page 1"
    assert problems(pdf) == []
