"""report.numbers as a library: the decimals a value was written with, where a printed figure is
aligned, which cells are figures, counts with their nouns. (How tables print figures is read back
from PDFs in test_figures.py; these are the rules underneath, each at its edges.)"""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from report.input.load import YamlFloat, YamlInt
from report.numbers import (counted, decimal_anchor, format_number, is_number_column, needed_decimals,
                            written_decimals)


def _written(cls, value, text):
    number = cls(value)
    number.source = text
    return number


class _NotANumberSource(float):
    source = "n/a"  # a source Decimal cannot read: the value's own digits count


@pytest.mark.parametrize("value,places", [
    (_written(YamlFloat, 4.5, "4.50"), 2),  # as the author wrote it, trailing zero and all
    (_written(YamlInt, 1000, "1e3"), 0),
    (_written(YamlFloat, 0.1, "0.100"), 3),
    (4.5, 1),  # a number without its source: its shortest digits
    (0.1, 1),
    (12.0, 1),  # repr: "12.0"
    (float("inf"), 0),
    (_NotANumberSource(0.25), 2),
])
def test_written_decimals(value, places):
    assert written_decimals(value) == places


@pytest.mark.parametrize("value,places", [(45.0, 0), (24.75, 2), (0.1, 1), (1e-7, 6), (100, 0)])
def test_needed_decimals(value, places):
    assert needed_decimals(value) == places


@pytest.mark.parametrize("text,at", [
    ("25.72%", 2), ("−0.65%", 2), (".5", 0),  # the decimal point
    ("12%", 2), ("1,204", 5), ("+12\u00a0bp", 3), ("EUR\u00a0212B", 7),  # else the end of the digits
    ("n/a", 3),  # no digits: the end
])
def test_decimal_anchor(text, at):
    assert decimal_anchor(text) == at


def test_rounding_is_half_up():
    fmt = SimpleNamespace(format="number", decimals=0, signed=False, currency=None, unit=None)
    assert [format_number(v, fmt) for v in (2.5, 3.5, -2.5, 0.49)] == ["3", "4", "\u22123", "0"]


@pytest.mark.parametrize("cells,figures", [
    (["25.72%", "−3.1%", "1,204"], True),
    (["25.72%", "n/a"], True), (["N/A", "4.5"], True), (["—", "4.5"], True),  # not available, any case
    (["n/a", "—"], False),  # nothing but "not available"
    (["25.72%", "Rates first"], False), (["Rates", "Spreads"], False), ([], False),
])
def test_is_number_column(cells, figures):
    assert is_number_column(cells) is figures


def test_counted():
    assert [counted(1, "page"), counted(6, "page"), counted(0, "page")] == ["1 page", "6 pages", "0 pages"]
    assert [counted(1, "copy", "copies"), counted(2, "copy", "copies")] == ["1 copy", "2 copies"]
