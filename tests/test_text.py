"""Faithful: every string of the input reaches the page, in order, and text prints literally."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from conftest import SAMPLE, build
from pdfcheck import input_strings, page_texts, squash

from report.input.load import load_file
from report.input.parse import parse_file
from report.brand.theme import load_theme


def _body_text(pdf: Path, source: Path, brand: str = "meridian") -> str:
    """The document's text with the running header and footer of each page taken out."""
    report, _ = parse_file(source)
    theme = load_theme(brand)
    header = [report.header_title, theme.name]
    pages = page_texts(pdf)
    out = []
    for n, text in enumerate(pages, start=1):
        flat = squash(text)
        # the footer: as-of date, disclaimer line, version (when in git), "Page n of N"
        footer = re.escape(squash(f"As of {theme.format_date(report.as_of)}")) + r".*?" + \
            re.escape(squash(f"Page {n} of {len(pages)}"))
        flat, found = re.subn(footer, "", flat, count=1)
        assert found == 1, f"page {n} has no footer"
        for item in header if n > 1 else [theme.name, theme.report_label + "·" + report.report_type,
                                          f"As of {theme.format_date(report.as_of)}"]:
            flat = flat.replace(squash(item), "", 1)
        out.append(flat)
    return "".join(out)


def _assert_in_order(text: str, strings: list[tuple[tuple, str]]) -> None:
    cursor = 0
    for path, value in strings:
        found = text.find(squash(value), cursor)
        assert found >= 0, f"{path} missing or out of order: {value[:80]!r}"
        cursor = found + len(squash(value))


def _prose(strings):
    """Strings outside charts: their order on the page is the input's order."""
    return [(p, s) for p, s in strings if "chart" not in p]


@pytest.mark.parametrize("case", [("meridian", "a4"), ("meridian", "letter"), ("harbor", "a4"),
                                  ("harbor", "letter")], ids=lambda c: "-".join(c))
def test_every_input_string_in_order(sample_pdfs, case):
    data, _ = load_file(SAMPLE)
    text = _body_text(sample_pdfs[case], SAMPLE, case[0])
    strings = input_strings(data)
    assert len(strings) > 80
    _assert_in_order(text, _prose(strings))
    for path, value in strings:  # chart titles, captions, labels, series names: present
        assert squash(value) in text, (path, value)


def _without_repeated_headers(text: str, source: Path) -> str:
    """A table split over pages repeats its title (continued) and header: once is the content."""
    report, _ = parse_file(source)
    for _, block in report.blocks_with_paths():
        spec = getattr(block, "table", None)
        if spec is not None and hasattr(spec, "columns"):
            text = text.replace(squash(f"{spec.title} (continued)" + "".join(spec.columns)), "")
    return text


def test_a4_and_letter_carry_the_same_text(sample_pdfs):
    a4 = _without_repeated_headers(_body_text(sample_pdfs[("meridian", "a4")], SAMPLE), SAMPLE)
    letter = _without_repeated_headers(_body_text(sample_pdfs[("meridian", "letter")], SAMPLE), SAMPLE)
    assert sorted(a4) == sorted(letter)  # same characters; only the page breaks differ


def test_markup_like_text_prints_literally(tmp_path):
    data = yaml.safe_load(SAMPLE.read_text(encoding="utf-8"))
    tricky = ["R&D < 5% and a<b>c</b> & <img src=\"/etc/passwd\"/>", "Costs $5 to $10 & &amp; &lt;",
              "Quotes “curly” — dashes – ≥ 3 × 2 € 10"]
    data["dek"] = tricky[0]
    data["sections"][0]["blocks"].insert(1, tricky[1])
    data["key_stats"][0]["label"] = tricky[2]
    chart = data["sections"][0]["blocks"][2]["chart"]
    chart["series"][0]["name"] = "$x^2$ & <b>bull</b>"
    chart["y_label"] = "$1 to $2"
    source = tmp_path / "tricky.yaml"
    source.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    pdf = build(tmp_path, source)
    text = squash("".join(page_texts(pdf)))
    for value in tricky + ["$x^2$ & <b>bull</b>", "$1 to $2"]:
        assert squash(value) in text, value
