"""Layout: nothing outside the page's frame, tables split with their header, furniture clear of edges."""

from __future__ import annotations

import pdfplumber
import pytest
import yaml
from conftest import PDF_CASES, SAMPLE, build, case_id
from pdfcheck import page_texts, squash

from report.brand.theme import load_theme

MM = 72 / 25.4


@pytest.mark.parametrize("case", PDF_CASES, ids=case_id)
def test_no_character_outside_the_frame(every_pdf, case):
    margin = load_theme(case[1]).margin_mm * MM
    with pdfplumber.open(every_pdf[case]) as pdf:
        for n, page in enumerate(pdf.pages, start=1):
            assert page.chars, f"page {n} has no text"
            for ch in page.chars:
                # every mark stays 5 mm clear of the paper edge
                assert 5 * MM <= ch["x0"] and ch["x1"] <= page.width - 5 * MM, (n, ch["text"])
                assert 5 * MM <= ch["top"] and ch["bottom"] <= page.height - 5 * MM, (n, ch["text"])
                # and within the text column's width (header and footer included)
                assert ch["x0"] >= margin - 0.5 and ch["x1"] <= page.width - margin + 0.5, (n, ch["text"])


def test_a_long_table_splits_with_its_header_repeated(tmp_path):
    data = yaml.safe_load(SAMPLE.read_text(encoding="utf-8"))
    rows = [[f"Row {i}", f"Text for row {i} that wraps " * 3, f"{i}"] for i in range(1, 121)]
    data["sections"][1]["blocks"].append({"table": {
        "title": "Generated long table", "columns": ["Name", "Description", "Count"], "rows": rows}})
    source = tmp_path / "long.yaml"
    source.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    pdf = build(tmp_path, source)
    texts = [squash(t) for t in page_texts(pdf)]
    holding = [i for i, t in enumerate(texts) if "Row60" in t or "Row1Text" in t or "Row120" in t]
    pages = [i for i, t in enumerate(texts) if squash("Row ") in t and "Textforrow" in t]
    assert len(pages) >= 3, "the table should run over several pages"
    for i in pages:
        assert "NameDescriptionCount" in texts[i], f"header not repeated on page {i + 1}"
    assert sum("Generatedlongtable(continued)" in texts[i] for i in pages) == len(pages) - 1
    for i in range(1, 121):  # every row printed once, none lost or split
        assert sum(t.count(f"Row{i}Text") for t in texts) == 1, i
    assert holding


def _table_after_filler(tmp_path, room_mm: float, rows: int = 6) -> list[int]:
    """A page whose frame has `room_mm` left, then a short table: the page of each of its rows."""
    import io

    from reportlab.platypus import PageBreak, Spacer

    from report.brand.theme import load_theme
    from report.build import styles_for
    from report.input.model import Table
    from report.layout.pages import Furniture, ReportDoc
    from report.layout.tables import table

    styles = styles_for(load_theme())
    buffer = io.BytesIO()
    doc = ReportDoc(buffer, styles, Furniture("B", "L", "T", "As of now", "d"), "a4")
    frame_h = doc.pageTemplates[1].frames[0]._height
    spec = Table(title="Short table", columns=["Name", "Value"],
                 rows=[[f"Row{i}", f"value {i}"] for i in range(1, rows + 1)])
    doc.build(doc.story_start() + [PageBreak(), Spacer(1, frame_h - room_mm * MM)]
              + table(spec, styles, doc.text_width))
    out = tmp_path / "t.pdf"
    out.write_bytes(buffer.getvalue())
    with pdfplumber.open(out) as pdf:
        texts = [(p.extract_text() or "").replace(" ", "") for p in pdf.pages]
    return [next(n for n, t in enumerate(texts) if f"Row{i}value" in t) for i in range(1, rows + 1)]


def test_a_short_table_moves_whole_when_little_room_is_left(tmp_path):
    pages = _table_after_filler(tmp_path, 25)
    assert pages == [2] * 6, pages  # all rows on the next page: moved whole


def test_a_short_table_splits_two_and_more_rather_than_leave_a_big_gap(tmp_path):
    pages = _table_after_filler(tmp_path, 45)
    assert len(set(pages)) == 2, pages  # control: the same table splits where the gap would be big
    first = pages.count(pages[0])
    assert first >= 2 and len(pages) - first >= 2, pages  # at least two rows on each side


LONG_TOKEN = "https://data.example.org/series/" + "-".join(f"segment{i:02d}" for i in range(14))


@pytest.mark.parametrize("block", ["text", "callout", "numbered", "faq"])
def test_a_long_token_breaks_inside_every_kind_of_block(tmp_path, block):
    """A word wider than the column (an identifier, a URL) breaks inside its block, wherever it is
    written (a mutant that dropped the width of a numbered item's text survived). (Control: the
    token is wider than the frame, so unbroken it would run out of it; reportlab, left to break it,
    cuts it anywhere, not after / - _ or .)"""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    text = f"Before the token {LONG_TOKEN} and after it."
    blocks = {"text": text, "callout": {"callout": text},
              "numbered": {"numbered": [{"title": "An item", "text": text}, {"title": "Another", "text": "Plain."}]},
              "faq": {"faq": [{"question": "Where is the data?", "answer": text}]}}
    data = yaml.safe_load((SAMPLE.parent.parent / "tests" / "data" / "minimal.yaml").read_text(encoding="utf-8"))
    data["sections"][0]["blocks"].insert(0, blocks[block])
    source = tmp_path / "token.yaml"
    source.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    pdf = build(tmp_path, source, "--no-changes")
    margin = load_theme("meridian").margin_mm * MM
    with pdfplumber.open(pdf) as doc:
        page = doc.pages[0]
        assert stringWidth(LONG_TOKEN, "Helvetica", 8) > page.width - 2 * margin  # the control
        outside = [ch["text"] for ch in page.chars if ch["x1"] > page.width - margin + 0.5]
        assert outside == [], "".join(outside)
        lines = page.extract_text().splitlines()
    assert squash(LONG_TOKEN) in squash("".join(lines)), "every character printed, in order"
    pieces = [w for line in lines for w in line.split() if "segment" in w or w.startswith("https://data.")]
    assert len(pieces) > 1 and all(p[-1] in "/-_." for p in pieces[:-1]), f"broken after / - _ or . : {pieces}"


def _heading_then_table(tmp_path, rows_that_fit: int) -> tuple[int, list[int]]:
    """A section whose first block is a 30-row table, after a filler that leaves room for its heading,
    the table's title and header and `rows_that_fit` rows: (the heading's page, each row's page)."""
    import io

    from reportlab.platypus import CondPageBreak, PageBreak, Spacer

    from report.build import styles_for
    from report.input.load import load_text
    from report.input.model import Report
    from report.layout.flowables import ContinuedTable
    from report.layout.pages import Furniture, ReportDoc
    from report.layout.story import Story

    rows = "".join(f"            - [Row{i}, value {i}]\n" for i in range(1, 31))
    text = ("title: T\ndek: D.\nas_of: 2026-03-31\nkey_stats: [{label: L, value: 1%}]\ndisclaimer: N.\n"
            "sections:\n  - heading: Heading before a table\n    blocks:\n      - table:\n"
            "          title: Long table\n          columns: [Name, Value]\n          rows:\n" + rows)
    report = Report.model_validate(load_text("t.yaml", text)[0])
    styles = styles_for(load_theme())
    buffer = io.BytesIO()
    doc = ReportDoc(buffer, styles, Furniture("B", "L", "T", "As of now", "d"), "a4")
    story = Story(report, styles, doc.text_width, charts=None)
    story.section(0, report.sections[0])
    flowables = [f for f in story.out if not isinstance(f, CondPageBreak)]
    first = next(i for i, f in enumerate(flowables) if isinstance(f, ContinuedTable))
    heading = sum(f.wrap(doc.text_width, 1e6)[1] + f.getSpaceBefore() + f.getSpaceAfter() for f in flowables[:first])
    grid = flowables[first]
    grid.wrap(doc.text_width, 1e6)
    room = heading + sum(grid._rowHeights[:grid.repeatRows + rows_that_fit]) + 2  # measured, not the rule's
    frame_h = doc.pageTemplates[1].frames[0]._height
    doc.build(doc.story_start() + [PageBreak(), Spacer(1, frame_h - room)] + story.out)
    out = tmp_path / "t.pdf"
    out.write_bytes(buffer.getvalue())
    with pdfplumber.open(out) as pdf:
        texts = [(p.extract_text() or "").replace(" ", "") for p in pdf.pages]
    where = next(n for n, t in enumerate(texts) if "Headingbeforeatable" in t)
    return where, [next(n for n, t in enumerate(texts) if f"Row{i}value{i}\n" in t + "\n") for i in range(1, 31)]


def test_a_heading_stays_with_the_first_rows_of_a_long_table(tmp_path):
    """Room for the heading, the table's header and 3 rows: the heading stays and the table starts
    under it (it does not drag the 30 rows to the next page and leave the room white). Control: with
    room for 1 row only, the heading goes to the next page with the table."""
    heading, rows = _heading_then_table(tmp_path, 3)
    assert heading == 1 and rows[0] == rows[1] == heading and rows[-1] > heading, (heading, rows)
    heading, rows = _heading_then_table(tmp_path, 1)
    assert rows[0] == heading and heading == 2, (heading, rows)  # page 2 (index): after the filler's page
