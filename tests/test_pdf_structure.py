"""The built PDFs, read by real PDF consumers: validity, images, outline, metadata, page labels.
(Fonts: test_fonts.py.)"""

from __future__ import annotations

import pikepdf
import pytest
from conftest import PDF_CASES, case_id
from pdfcheck import page_texts, raster_images, squash, validity_problems

from report.input.parse import parse_file


@pytest.mark.parametrize("case", PDF_CASES, ids=case_id)
def test_strict_readers_find_nothing_wrong(every_pdf, case):
    with pikepdf.open(every_pdf[case]) as doc:
        assert len(doc.pages) >= 4
    assert validity_problems(every_pdf[case]) == []


def test_the_validity_check_catches_a_damaged_file(sample_pdf, tmp_path):
    data = sample_pdf.read_bytes()
    damaged = tmp_path / "damaged.pdf"
    at = data.rindex(b"startxref")
    damaged.write_bytes(data[:at] + b"startxref\n12345\n%%EOF\n")  # the xref is not where it says
    assert validity_problems(damaged)


@pytest.mark.parametrize("case", PDF_CASES, ids=case_id)
def test_charts_are_vector_not_raster(every_pdf, case):
    assert raster_images(every_pdf[case]) == 0


def test_outline_has_every_section(sample_pdf):
    report, _ = parse_file("inputs/russell-2000-bear-case.yaml")
    with pikepdf.open(sample_pdf) as doc, doc.open_outline() as outline:
        titles = [item.title for item in outline.root]
        for item in outline.root:
            assert item.destination is not None or item.action is not None
    for section in report.sections:
        assert any(section.heading in t for t in titles), (section.heading, titles)
    assert titles[0] == report.title
    assert "References" in titles


def test_metadata_comes_from_the_input(sample_pdf):
    report, _ = parse_file("inputs/russell-2000-bear-case.yaml")
    with pikepdf.open(sample_pdf) as doc:
        info = doc.docinfo
        assert str(info["/Title"]) == report.title
        assert str(info["/Author"]) == report.author
        assert report.header_title in str(info["/Subject"])
        assert "Russell 2000" in str(info["/Keywords"])
        assert str(info["/CreationDate"]).startswith("D:20260331")


def test_page_x_of_y_on_every_page(sample_pdfs):
    for pdf in sample_pdfs.values():
        texts = page_texts(pdf)
        for n, text in enumerate(texts, start=1):
            assert f"Page{n}of{len(texts)}" in squash(text), (pdf, n)


def test_running_header_on_pages_after_the_first(sample_pdf):
    texts = page_texts(sample_pdf)
    assert "Russell 2000 bear case" in texts[1] and "Meridian Research" in texts[1]
    assert all("Russell2000bearcase" in squash(t) for t in texts[1:])
    assert "MeridianResearch" in squash(texts[0])  # the masthead band


def test_references_link_out(sample_pdf):
    with pikepdf.open(sample_pdf) as doc:
        uris = [str(a.A.URI) for page in doc.pages for a in page.get("/Annots", [])
                if a.get("/Subtype") == "/Link" and "/A" in a and "/URI" in a.A]
    assert any(u.startswith("https://www.lseg.com/") for u in uris)
    assert any("vanguard" in u for u in uris)
