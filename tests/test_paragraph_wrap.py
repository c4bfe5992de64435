"""report.text.Paragraph remembers its last wrap: platypus asks a table's cells the same question
many times, and breaking lines is most of a layout's time. The answer stands for the same width and
is recomputed at another width or once a split has dropped the lines."""

from __future__ import annotations

from reportlab.lib.styles import ParagraphStyle

from report.text import Paragraph

TEXT = "Small caps remain more exposed to rates, refinancing and uneven earnings quality. " * 4


def _counted(paragraph: Paragraph) -> list[float]:
    calls: list[float] = []
    real = paragraph.breakLines

    def counting(width, *args, **kwargs):
        calls.append(width if not isinstance(width, list) else width[0])
        return real(width, *args, **kwargs)

    paragraph.breakLines = counting
    return calls


def test_the_same_width_is_broken_once():
    paragraph = Paragraph(TEXT, ParagraphStyle("body", fontName="Helvetica", fontSize=9, leading=11))
    calls = _counted(paragraph)
    first = paragraph.wrap(200, 1000)
    assert paragraph.wrap(200, 1000) == first and paragraph.wrap(200, 500) == first
    assert len(calls) == 1, calls


def test_another_width_or_dropped_lines_are_broken_again():
    paragraph = Paragraph(TEXT, ParagraphStyle("body", fontName="Helvetica", fontSize=9, leading=11))
    calls = _counted(paragraph)
    narrow = paragraph.wrap(150, 1000)
    wide = paragraph.wrap(300, 1000)
    assert wide[1] < narrow[1] and len(calls) == 2, "the control: a new width breaks the lines again"
    del paragraph.__dict__["blPara"]  # as a split leaves it
    assert paragraph.wrap(300, 1000) == wide and len(calls) == 3
