"""The "What changed" box's lines as the reader gets them: an arrow and curly quotes where the brand's
font has them, "to" and straight quotes where it has not, "?" for a glyph an old version's name needs
and today's font lacks, and a long list of changes cut to the box's few lines."""

from __future__ import annotations

import dataclasses
import re

import pdfplumber
import pytest
from fontTools import subset
from fontTools.ttLib import TTFont as ToolsFont
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from versions_repo import TEXT, edited

from conftest import PAPERS, ROOT
from report.brand.theme import load_theme
from report.build import styles_for
from report.input.load import load_text
from report.input.model import Report
from report.input.parse import validate_data
from report.layout.changes import MAX_LINES, _drawable, _lines
from report.versions.compare import Items, compare

LATO = ROOT / "assets" / "brands" / "meridian" / "fonts" / "Lato-Regular.ttf"


def model(text: str = TEXT) -> Report:
    return validate_data(Report, *load_text("test.yaml", text))


@pytest.fixture(scope="module")
def brand_style() -> ParagraphStyle:
    return ParagraphStyle("line", parent=styles_for(load_theme())["td"])


@pytest.fixture(scope="module")
def ascii_style(tmp_path_factory) -> ParagraphStyle:
    """The brand's font cut down to printable ASCII: a real font with no arrow and no curly quotes."""
    font = ToolsFont(str(LATO))
    cut = subset.Subsetter(subset.Options())
    cut.populate(unicodes=range(0x20, 0x7F))
    cut.subset(font)
    for record in font["name"].names:  # reportlab shares one font object per face name: a name of its own
        if record.nameID in (1, 4, 6):
            record.string = "LatoAscii"
    path = tmp_path_factory.mktemp("font") / "LatoAscii.ttf"
    font.save(str(path))
    pdfmetrics.registerFont(TTFont("LatoAscii", str(path)))
    return ParagraphStyle("line", fontName="LatoAscii", fontSize=9)


def _moved_and_removed():
    new = edited(bear=35, base=40).replace(
        "- [Trader, Use stop-losses and respect volatility, Liquidity and macro events]\n            ", "")
    return compare(model(), model(new))


def test_the_brands_font_gets_an_arrow_and_curly_quotes(brand_style):
    lines = dict(_lines(_moved_and_removed(), brand_style))
    assert lines["RUT downside scenario matrix:"] == "Bear 30% → 35%, Base 45% → 40%"
    assert lines["Investor positioning table:"] == "removed “Trader”"


def test_a_font_without_them_gets_to_and_straight_quotes(ascii_style):
    lines = dict(_lines(_moved_and_removed(), ascii_style))
    assert lines["RUT downside scenario matrix:"] == "Bear 30% to 35%, Base 45% to 40%"
    assert lines["Investor positioning table:"] == 'removed "Trader"'


def test_a_glyph_the_font_lacks_prints_as_a_question_mark_and_spaces_stay(ascii_style, brand_style):
    assert _drawable("Breadth \u2318 thin\tnow", ascii_style) == "Breadth ? thin\tnow"
    assert _drawable("Breadth “thin”", ascii_style) == "Breadth ?thin?"
    assert _drawable("Breadth “thin”", brand_style) == "Breadth “thin”"  # the control: Lato has them


def test_more_lines_than_the_box_holds_are_named_in_one_last_line(brand_style):
    c = _moved_and_removed()
    groups = [Items(f"Group {n}", ("A",), (), (), ()) for n in range(MAX_LINES + 2)]
    many = dataclasses.replace(c, items=tuple(groups))
    lines = _lines(many, brand_style)
    assert len(lines) == MAX_LINES
    assert lines[:2] == [("RUT downside scenario matrix:", "Bear 30% → 35%, Base 45% → 40%"),
                         ("Group 0:", "added “A”")]
    assert lines[-2] == (f"Group {MAX_LINES - 3}:", "added “A”")
    assert lines[-1] == ("Also changed:", ", ".join(f"Group {n}" for n in range(MAX_LINES - 2, MAX_LINES + 2)))


def test_as_many_lines_as_the_box_holds_are_all_told(brand_style):
    c = _moved_and_removed()
    groups = [Items(f"Group {n}", ("A",), (), (), ()) for n in range(MAX_LINES - 1)]
    lines = _lines(dataclasses.replace(c, items=tuple(groups)), brand_style)
    assert len(lines) == MAX_LINES and lines[-1] == (f"Group {MAX_LINES - 2}:", "added “A”")


def _rgb(hex_colour: str) -> tuple[float, ...]:
    return tuple(int(hex_colour.lstrip("#")[i:i + 2], 16) / 255 for i in (0, 2, 4))


def _same(colour, hex_colour: str) -> bool:
    """pdfplumber's colour (a grey as one number or a 1-tuple, else RGB) is the brand's colour."""
    if isinstance(colour, (int, float)):
        colour = (colour,)
    if not isinstance(colour, (tuple, list)) or len(colour) not in (1, 3):
        return False
    rgb = tuple(colour) * 3 if len(colour) == 1 else tuple(colour)
    return all(abs(a - b) < 0.01 for a, b in zip(rgb, _rgb(hex_colour)))


@pytest.mark.parametrize("brand,paper", PAPERS, ids=[f"{b}-{p}" for b, p in PAPERS])
def test_the_box_is_filled_across_the_frame_with_its_accent_rule(update, brand, paper):
    """As the reader sees it: one tile-coloured panel as wide as the text frame holding the heading and
    every line of the box, with the accent rule, 3 pt, down its left edge."""
    theme = load_theme(brand)
    with pdfplumber.open(update.pdfs[(brand, paper)]) as pdf:
        page = pdf.pages[0]
        margin = theme.margin_mm * mm
        heading = next(w for w in page.extract_words() if w["text"] == "What")
        panels = [r for r in page.rects if r["fill"] and _same(r["non_stroking_color"], theme.color("tile_fill"))
                  and r["top"] <= heading["top"] <= r["bottom"]]
        assert len(panels) == 1, panels
        (panel,) = panels
        assert panel["x0"] == pytest.approx(margin, abs=0.5)
        assert panel["x1"] == pytest.approx(page.width - margin, abs=0.5)
        inside = [w for w in page.extract_words() if panel["top"] <= w["top"] and w["bottom"] <= panel["bottom"]]
        text = " ".join(w["text"] for w in inside)
        assert text.startswith("What changed since") and "Key figures:" in text and re.search("Bear 30% (→|to) 35%", text)
        rules = [e for e in page.lines + page.rects if _same(e.get("stroking_color"), theme.color("accent"))
                 and abs(e["x0"] - margin) < 2 and e["top"] <= heading["top"] <= e["bottom"]]
        assert rules and all(r.get("linewidth") == pytest.approx(3, abs=0.1) for r in rules), rules
        assert rules[0]["top"] == pytest.approx(panel["top"], abs=0.5)
        assert rules[0]["bottom"] == pytest.approx(panel["bottom"], abs=0.5)
