"""A report longer than the brand's `toc_pages` opens with a table of contents whose page numbers are
the pages its sections start on; a short one has none."""

from __future__ import annotations

import re

import pikepdf
import pytest
from conftest import ROOT, SAMPLE, build
from pdfcheck import page_texts

ALMANAC = ROOT / "tests" / "corpus" / "global-sector-almanac.yaml"


def contents(pdf) -> dict[str, int]:
    """The contents' lines on page 1: label -> the page number printed beside it."""
    text = page_texts(pdf)[0]
    block = text.split("Contents", 1)[1] if "Contents" in text else ""
    return {m.group(1).strip(): int(m.group(2)) for m in re.finditer(r"^(.+?)\s+(\d+)\s*$", block, re.M)
            if not m.group(1).startswith("As of")}


def section_pages(pdf) -> dict[str, int]:
    """Each top-level outline entry -> the page its destination is on (pikepdf)."""
    with pikepdf.open(pdf) as doc:
        index = {p.obj.objgen: i for i, p in enumerate(doc.pages, start=1)}
        with doc.open_outline() as outline:
            return {item.title: index[item.destination[0].objgen] for item in outline.root
                    if item.destination is not None}


def mismatches(pdf) -> list[str]:
    listed, real = contents(pdf), section_pages(pdf)
    return [f"{label}: contents say {page}, it starts on {real.get(label)}"
            for label, page in listed.items() if real.get(label) != page] or ([] if listed else ["no contents"])


@pytest.mark.parametrize("paper", ["a4", "letter"])
def test_the_contents_page_numbers_are_the_real_pages(tmp_path, paper):
    pdf = build(tmp_path, ALMANAC, "--paper", paper, "--no-changes")
    listed = contents(pdf)
    assert len(listed) >= 15 and max(listed.values()) > 20
    assert mismatches(pdf) == []


def test_the_check_catches_wrong_page_numbers(tmp_path, monkeypatch):
    """Control: contents printed one page off are caught."""
    from report.layout import pages

    build_doc = pages.ReportDoc.build

    def off_by_one(self, *args, **kwargs):
        record = dict.__setitem__

        class Shifted(dict):
            def __setitem__(self, key, value):
                record(self, key, value + 1)

        self_heading = Shifted()
        object.__setattr__(self, "_shifted", self_heading)
        return build_doc(self, *args, **kwargs)

    monkeypatch.setattr(pages.ReportDoc, "build", off_by_one)
    monkeypatch.setattr(pages.ReportDoc, "heading_pages", property(
        lambda self: self._shifted, lambda self, v: None), raising=False)
    pdf = build(tmp_path, ALMANAC, "--no-changes")
    assert mismatches(pdf)


def test_a_short_report_has_no_contents(sample_pdf):
    assert "Contents" not in page_texts(sample_pdf)[0]
