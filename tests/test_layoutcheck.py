"""Controls for the layout checks: small PDFs drawn here with reportlab, each with one defect that its
check must catch, and the same page without the defect, which it must pass.

A check that cannot fail is a defect; a check that fails everything is one too.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from layoutcheck import CHECKS, FURNITURE, MM, NEEDS_INPUT, read, run
from reportlab.graphics import renderPDF
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen.canvas import Canvas

WIDTH, HEIGHT = A4
MARGIN = 19  # mm, as meridian's
LINE = 6  # mm between the lines of a control page
FIRST = 40  # mm from the top edge to the first line

# A small input: two sections, the first with a chart between its paragraphs, the second with a table.
DATA = {
    "title": "Control report",
    "dek": "A short standfirst.",
    "key_stats": [{"label": "Return", "value": "1%"}],
    "sections": [
        {"heading": "First", "blocks": [
            "Alpha paragraph text.",
            {"chart": {"kind": "lines", "title": "Alpha chart", "source": "Desk data",
                       "x": ["a", "b"], "series": [{"name": "Alpha series", "values": [1, 2]}]}},
            "Beta paragraph text."]},
        {"heading": "Second", "title": "Second headline", "blocks": [
            "Gamma paragraph text.",
            {"table": {"title": "Costs", "columns": ["Item", "Detail"],
                       "rows": [["Rent", "Paid monthly"], ["Power", "Paid quarterly"],
                                ["Staff", "Paid weekly"]]}}]},
    ],
    "disclaimer": "Not advice.",
}
HEAD = ["Control report", "A short standfirst.", "Return", "1%", "01. First"]
ALPHA = ["Alpha paragraph text."]
CHART = ["Figure 1 — Alpha chart", "Alpha series", "Source: Desk data"]
BETA = ["Beta paragraph text."]
SECOND = ["02. Second", "Second headline", "Gamma paragraph text.", "Costs", "Item", "Detail"]
ROWS = [["Rent", "Paid monthly"], ["Power", "Paid quarterly"], ["Staff", "Paid weekly"]]
TAIL = ["Not advice."]


def draw(tmp_path, pages, outline=(), name="control.pdf"):
    """A PDF of `pages`, each a list of (x mm, top mm, text) or of strings set one per line.

    Every page carries furniture in its zones (a running header on later pages, a footer), so a
    check that mistook furniture for the story would fail the passing controls.
    """
    path = tmp_path / name
    c = Canvas(str(path), pagesize=A4, invariant=1)
    for n, items in enumerate(pages, start=1):
        c.setFont("Helvetica", 7)
        c.drawString(MARGIN * MM, 9 * MM, f"As of today · Page {n} of {len(pages)}")
        if n > 1:
            c.drawString(MARGIN * MM, HEIGHT - 12 * MM, "Control report")
        else:
            c.drawString(MARGIN * MM + 5, HEIGHT - 20 * MM, "Masthead band")
        for i, item in enumerate(items):
            x, top, text = item if isinstance(item, tuple) else (MARGIN + 2, FIRST + i * LINE, item)
            c.setFont("Helvetica", 9)
            c.drawString(x * MM, HEIGHT - top * MM, text)
        for title, page in outline:
            if page == n:
                c.bookmarkPage(title)
                c.addOutlineEntry(title, title, level=0)
        c.showPage()
    c.save()
    return path


def check(name, path, data=None):
    return CHECKS[name](read(path, MARGIN, data))


def everything(rows=ROWS):
    return HEAD + ALPHA + CHART + BETA + SECOND + [cell for row in rows for cell in row] + TAIL


# -- glyphs outside the frame ------------------------------------------------------------------
def test_frame_catches_a_line_past_the_right_margin(tmp_path):
    pdf = draw(tmp_path, [[(150, 60, "A label that runs well past the right margin of the page")]])
    problems = check("frame", pdf)
    assert len(problems) == 1 and "right" in problems[0] and "paper's edge" in problems[0], problems


def test_frame_catches_chart_text_in_a_drawing(tmp_path):
    path = tmp_path / "chart.pdf"
    c = Canvas(str(path), pagesize=A4)
    drawing = Drawing(400, 200)
    drawing.add(String(-30, 100, "Tick label", fontName="Helvetica", fontSize=8))  # left of the frame
    renderPDF.draw(drawing, c, MARGIN * MM, HEIGHT / 2)
    c.save()
    problems = check("frame", path)
    assert problems and "left" in problems[0], problems


def test_frame_catches_text_between_furniture_and_frame(tmp_path):
    pdf = draw(tmp_path, [["Body"], [(MARGIN + 2, MARGIN - 1, "Too high, under the header rule")]])
    problems = check("frame", pdf)
    assert len(problems) == 1 and "top" in problems[0], problems


def test_frame_passes_text_inside_and_furniture_in_its_zones(tmp_path):
    pdf = draw(tmp_path, [["Body text at the left"], [(100, 60, "Body text ending before the margin")]])
    assert check("frame", pdf) == []


def test_furniture_zones_lie_outside_the_frame_and_clear_of_the_edge():
    for zone in FURNITURE:
        x0, top, x1, bottom = zone.box(WIDTH, HEIGHT, MARGIN * MM)
        assert top >= 5 * MM - 0.01 and bottom <= HEIGHT - 5 * MM + 0.01, zone
        assert x0 == MARGIN * MM and x1 == WIDTH - MARGIN * MM, zone


# -- white gaps at the foot of a page ----------------------------------------------------------
def _filled(until_mm):
    return [(MARGIN + 2, top, "A line of running text") for top in range(FIRST, until_mm, LINE)]


def test_foot_gap_catches_a_page_ending_far_above_its_foot(tmp_path):
    pdf = draw(tmp_path, [_filled(200), ["Last page"]])  # page 1 ends near 198 mm; foot at 278 mm
    problems = check("foot-gap", pdf)
    assert len(problems) == 1 and problems[0].startswith("page 1:"), problems


def test_foot_gap_passes_full_pages_and_a_short_last_page(tmp_path):
    assert check("foot-gap", draw(tmp_path, [_filled(270), _filled(262), ["Last page"]])) == []


# -- headings at a page's foot -------------------------------------------------------------------
def test_heading_last_catches_a_heading_with_nothing_under_it(tmp_path):
    page1 = _filled(250) + [(MARGIN + 2, 268, "02. Costs")]
    pdf = draw(tmp_path, [page1, ["The text of the costs section"]], outline=[("02. Costs", 1)])
    problems = check("heading-last", pdf)
    assert len(problems) == 1 and "02. Costs" in problems[0], problems


def test_heading_last_counts_the_headline_as_part_of_the_heading(tmp_path):
    page1 = HEAD + ALPHA + CHART + BETA + _filled(0) + [(MARGIN + 2, 262, "02. Second"),
                                                         (MARGIN + 2, 270, "Second headline")]
    pdf = draw(tmp_path, [page1, SECOND[2:] + TAIL], outline=[("02. Second", 1)])
    assert check("heading-last", pdf, DATA), "the headline is not text that follows the heading"


def test_heading_last_passes_a_heading_followed_by_text(tmp_path):
    page1 = _filled(230) + [(MARGIN + 2, 240, "02. Costs"), (MARGIN + 2, 248, "Costs rose."),
                            (MARGIN + 2, 254, "They will rise again.")]
    pdf = draw(tmp_path, [page1, ["More"]], outline=[("02. Costs", 1)])
    assert check("heading-last", pdf) == []


def test_heading_last_is_not_fooled_by_the_same_words_in_a_sentence(tmp_path):
    page1 = _filled(230) + [(MARGIN + 2, 240, "See 02. Costs below"), (MARGIN + 2, 268, "02. Costs")]
    pdf = draw(tmp_path, [page1, ["More"]], outline=[("02. Costs", 1)])
    assert check("heading-last", pdf)


# -- table rows split across pages ---------------------------------------------------------------
def test_row_split_catches_a_row_whose_cells_are_on_two_pages(tmp_path):
    lines = everything()
    cut = lines.index("Paid quarterly")  # row 2's second cell starts the next page
    pdf = draw(tmp_path, [lines[:cut], lines[cut:]])
    problems = check("row-split", pdf, DATA)
    assert len(problems) == 1 and "row 2" in problems[0] and "1, 2" in problems[0], problems


def test_row_split_passes_a_table_split_between_rows(tmp_path):
    lines = everything()
    cut = lines.index("Power")
    assert check("row-split", draw(tmp_path, [lines[:cut], lines[cut:]]), DATA) == []


# -- cells that wrap far more than their neighbours -----------------------------------------
WRAP = {**DATA, "sections": [DATA["sections"][0], {
    "heading": "Second", "blocks": [{"table": {"title": "Costs", "columns": ["Item", "Detail"], "rows": [
        ["Rent on the head office and the two regional branches", "Paid monthly"],
        ["Power", "Paid quarterly, in arrears, against meter readings taken by the supplier"]]}}]}]}


def _wrap_pdf(tmp_path, narrow: bool):
    head = HEAD + ALPHA + CHART + BETA + ["02. Second", "Costs"]
    items = [(MARGIN + 2, FIRST + i * LINE, t) for i, t in enumerate(head)]
    top = FIRST + len(head) * LINE
    left, right = (MARGIN + 2, 60) if narrow else (MARGIN + 2, 120)
    items += [(left, top, "Item"), (right, top, "Detail")]
    words = "Rent on the head office and the two regional branches".split()
    per_line = 1 if narrow else 5
    chunks = [" ".join(words[i:i + per_line]) for i in range(0, len(words), per_line)]
    items += [(left, top + LINE * (1 + i), chunk) for i, chunk in enumerate(chunks)]
    items.append((right, top + LINE, "Paid monthly"))
    top += LINE * (2 + len(chunks))
    items.append((left, top, "Power"))
    detail = "Paid quarterly, in arrears, against meter readings taken by the supplier"
    if narrow:
        items.append((right, top, detail))
    else:
        items += [(right, top, "Paid quarterly, in arrears, against"),
                  (right, top + LINE, "meter readings taken by the supplier")]
    items.append((left, top + 3 * LINE, "Not advice."))
    return draw(tmp_path, [items], name=f"wrap-{narrow}.pdf")


def test_cell_wrap_catches_a_starved_column(tmp_path):
    problems = check("cell-wrap", _wrap_pdf(tmp_path, narrow=True), WRAP)
    assert len(problems) == 1 and "row 1" in problems[0] and "10 lines" in problems[0], problems


def test_cell_wrap_passes_a_long_text_in_the_widest_column(tmp_path):
    # a short label beside a long definition that wraps in the wide column: the text, not the widths
    table = WRAP["sections"][1]["blocks"][0]["table"]
    data = {**WRAP, "sections": [WRAP["sections"][0], {"heading": "Second", "blocks": [{"table": {
        **table, "rows": [[table["rows"][0][1], table["rows"][0][0]], table["rows"][1]]}}]}]}
    head = HEAD + ALPHA + CHART + BETA + ["02. Second", "Costs"]
    items = [(MARGIN + 2, FIRST + i * LINE, t) for i, t in enumerate(head)]
    top = FIRST + len(head) * LINE
    items += [(MARGIN + 2, top, "Item"), (60, top, "Detail"), (MARGIN + 2, top + LINE, "Paid monthly")]
    words = table["rows"][0][0].split()
    items += [(60, top + LINE * (1 + i), " ".join(words[2 * i:2 * i + 2])) for i in range(5)]
    items += [(MARGIN + 2, top + 7 * LINE, "Power"), (60, top + 7 * LINE, table["rows"][1][1]),
              (MARGIN + 2, top + 9 * LINE, "Not advice.")]
    assert check("cell-wrap", draw(tmp_path, [items]), data) == []


def test_cell_wrap_passes_balanced_columns(tmp_path):
    assert check("cell-wrap", _wrap_pdf(tmp_path, narrow=False), WRAP) == []


# -- the last page ---------------------------------------------------------------------------
def test_last_page_catches_a_stray_line(tmp_path):
    problems = check("last-page", draw(tmp_path, [_filled(270), ["a stray last line"]]))
    assert len(problems) == 1 and "1 line" in problems[0], problems


def test_last_page_passes_a_page_with_some_text(tmp_path):
    assert check("last-page", draw(tmp_path, [_filled(270), ["one", "two", "three"]])) == []


# -- every word, in reading order ------------------------------------------------------------
def test_reading_order_passes_a_figure_floated_within_its_section(tmp_path):
    lines = HEAD + ALPHA + BETA + CHART + SECOND + sum(ROWS, []) + TAIL
    assert check("reading-order", draw(tmp_path, [lines]), DATA) == []


def test_reading_order_catches_swapped_paragraphs(tmp_path):
    lines = HEAD + BETA + CHART + ALPHA + SECOND + sum(ROWS, []) + TAIL
    problems = check("reading-order", draw(tmp_path, [lines]), DATA)
    assert problems and "out of order" in problems[0], problems


def test_reading_order_catches_a_missing_string(tmp_path):
    lines = [t for t in everything() if t != "Gamma paragraph text."]
    problems = check("reading-order", draw(tmp_path, [lines]), DATA)
    assert len(problems) == 1 and "not printed" in problems[0] and "Gamma" in problems[0], problems


def test_reading_order_catches_a_figure_outside_its_section(tmp_path):
    lines = HEAD + ALPHA + BETA + SECOND + CHART + sum(ROWS, []) + TAIL
    problems = check("reading-order", draw(tmp_path, [lines]), DATA)
    assert problems and all("outside its section" in p for p in problems), problems


def test_reading_order_catches_a_truncated_label(tmp_path):
    lines = [t if t != "Alpha series" else "Alpha ser…" for t in everything()]
    assert check("reading-order", draw(tmp_path, [lines]), DATA)


# -- widows and orphans ----------------------------------------------------------------------
PARA = {**DATA, "sections": [{"heading": "First", "blocks": [
    "One two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen"]}]}


def _para_pdf(tmp_path, first_page_lines: int):
    words = PARA["sections"][0]["blocks"][0].split()
    lines = [" ".join(words[i:i + 3]) for i in range(0, len(words), 3)]  # five lines
    page1 = [(MARGIN + 2, FIRST + i * LINE, t) for i, t in enumerate(HEAD)]
    page1 += [(MARGIN + 2, 270 - (first_page_lines - 1 - i) * LINE, t)
              for i, t in enumerate(lines[:first_page_lines])]
    return draw(tmp_path, [page1, lines[first_page_lines:] + TAIL], name=f"para-{first_page_lines}.pdf")


def test_widow_orphan_catches_a_single_line_left_behind(tmp_path):
    problems = check("widow-orphan", _para_pdf(tmp_path, 4), PARA)
    assert len(problems) == 1 and "1 on page 2" in problems[0], problems
    assert check("widow-orphan", _para_pdf(tmp_path, 1), PARA), "an orphan at the page foot"


def test_widow_orphan_passes_a_paragraph_split_three_and_two(tmp_path):
    assert check("widow-orphan", _para_pdf(tmp_path, 3), PARA) == []


# -- key-stat tiles ---------------------------------------------------------------------------
TILES = {**DATA, "key_stats": [
    {"label": "Our call", "value": "Grind higher, with air pockets", "source": "Editorial view"},
    {"label": "Return", "value": "1%", "source": "Index provider"}]}


def _tiles_pdf(tmp_path, value_lines: int, second_lower: float):
    items = [(MARGIN + 2, 30, "Control report"), (MARGIN + 2, 36, "A short standfirst.")]
    words = TILES["key_stats"][0]["value"].split()
    per = -(-len(words) // value_lines)
    items.append((MARGIN + 2, 50, "Our call"))
    items += [(MARGIN + 2, 56 + 6 * i, " ".join(words[i * per:(i + 1) * per])) for i in range(value_lines)]
    items.append((MARGIN + 2, 58 + 6 * value_lines, "Editorial view"))
    items += [(100, 50, "Return"), (100, 56 + second_lower, "1%"), (100, 64 + second_lower, "Index provider")]
    items += [(MARGIN + 2, 100 + i * LINE, t) for i, t in enumerate(HEAD[4:] + ALPHA + CHART + BETA + TAIL)]
    return draw(tmp_path, [items], name=f"tiles-{value_lines}-{second_lower}.pdf")


def test_tiles_catches_a_value_in_five_lines(tmp_path):
    problems = check("tiles", _tiles_pdf(tmp_path, 5, 0), TILES)
    assert len(problems) == 1 and "key_stats[0].value takes 5 lines" in problems[0], problems


def test_tiles_catches_values_off_one_baseline(tmp_path):
    problems = check("tiles", _tiles_pdf(tmp_path, 2, 5), TILES)
    assert len(problems) == 1 and "key_stats[1].value sits" in problems[0], problems


def test_tiles_passes_two_line_values_on_one_baseline(tmp_path):
    assert check("tiles", _tiles_pdf(tmp_path, 2, 0), TILES) == []


def test_every_check_has_a_control_here():
    names = {n for n in CHECKS}
    source = Path(__file__).read_text(encoding="utf-8")
    assert all(f'check("{n}"' in source for n in names), names


@pytest.mark.parametrize("name", sorted(CHECKS))
def test_checks_run_on_a_pdf_without_input_where_they_can(tmp_path, name):
    doc = read(draw(tmp_path, [["Only text"]]), MARGIN)
    if name in NEEDS_INPUT:
        with pytest.raises(ValueError):
            CHECKS[name](doc)
    else:
        assert run(doc, [name]) == {name: []}
