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


def test_short_tables_never_split(sample_pdfs):
    for pdf in sample_pdfs.values():
        text = "".join(page_texts(pdf))
        assert "(continued)" not in text
