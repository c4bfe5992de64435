"""The article that uses every chart kind and CSV data (tests/corpus/em-rates-outlook.yaml), built
on A4 and Letter in both brands and read by real PDF consumers: the file is clean, every font is
embedded and the brand's, every chart is vector (no raster image), and each chart's words and
numbers are text on the page (the layout checks of test_corpus_layout.py cover frame and order)."""

from __future__ import annotations

import itertools

import pikepdf
import pytest
from conftest import ROOT, build
from pdfcheck import font_problems, page_texts, raster_images, squash

ARTICLE = ROOT / "tests" / "corpus" / "em-rates-outlook.yaml"
CASES = list(itertools.product(("meridian", "harbor"), ("a4", "letter")))
STEMS = {"meridian": ("Lato",), "harbor": ("OpenSans", "Caladea")}


@pytest.fixture(scope="module")
def pdfs(tmp_path_factory):
    return {case: build(tmp_path_factory.mktemp("-".join(case)), ARTICLE, "--brand", case[0], "--paper",
                        case[1], "--no-changes") for case in CASES}


@pytest.mark.parametrize("case", CASES, ids=lambda c: "-".join(c))
def test_clean_embedded_brand_fonts_and_vector_charts(pdfs, case):
    pdf = pdfs[case]
    with pikepdf.open(pdf) as doc:
        assert doc.check_pdf_syntax() == []
        names = {str(o.get("/BaseFont")) for o in doc.objects
                 if isinstance(o, pikepdf.Dictionary) and o.get("/Type") == "/Font"}
    assert font_problems(pdf) == []
    assert names and all(any(s in n for s in STEMS[case[0]]) for n in names), names
    # charts are vector: the only raster is the article's one PNG figure from a file
    rasters = ARTICLE.read_text(encoding="utf-8").count(".png")
    assert rasters == 1 and raster_images(pdf) == rasters


@pytest.mark.parametrize("case", CASES, ids=lambda c: "-".join(c))
def test_numbers_from_the_csv_files_are_text_on_the_page(pdfs, case):
    text = squash(" ".join(page_texts(pdfs[case])))
    for value in ("Selic peak at 15%", "Fed funds upper bound", "U.S. midterm elections", "Bear–bull range",
                  "\u2212$6.4B", "$12.5B", "Capex (EM ex-China)", "577", "Korea, Republic of", "Saudi Arabia",
                  "Europe, Middle East and Africa", "Melt-up"):
        assert squash(value) in text, value
