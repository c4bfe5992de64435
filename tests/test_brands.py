"""Brands: each brand file is valid brand.yml, and a brand changes the look, never the words."""

from __future__ import annotations

import pytest
from conftest import SAMPLE
from pdfcheck import page_texts

from report.brand.theme import available_brands, load_theme


@pytest.mark.parametrize("name", available_brands())
def test_brand_file_is_valid_brand_yml(name):
    brand_yml = pytest.importorskip("brand_yml")
    theme = load_theme(name)
    brand = brand_yml.Brand.from_yaml(str(theme.folder / "_brand.yml"))
    assert brand.meta.name.full == theme.name
    assert brand.color.primary.upper() == theme.color("masthead")


def test_two_brands_are_shipped_and_differ():
    names = available_brands()
    assert {"meridian", "harbor"} <= set(names)
    a, b = load_theme("meridian"), load_theme("harbor")
    assert a.colors != b.colors and a.body.family != b.body.family and a.margin_mm != b.margin_mm


def test_each_brand_prints_its_own_name_only(sample_pdfs):
    # the words of the article under each brand are checked by test_text; here, the furniture
    meridian = "".join(page_texts(sample_pdfs[("meridian", "a4")]))
    harbor = "".join(page_texts(sample_pdfs[("harbor", "a4")]))
    assert "Meridian Research" in meridian and "Harbor Street Capital" not in meridian
    assert "Harbor Street Capital" in harbor and "Meridian Research" not in harbor
    assert "31 March 2026" in harbor and "March 31, 2026" in meridian


@pytest.mark.parametrize("name", available_brands())
def test_every_face_draws_typographic_text(name):
    """Bold, italic and bold italic too: a lead-in or caption never prints an empty box."""
    needed = {ord(c) for c in "“”‘’—–€≥×−…éèüöçñÉ%$&<>"}
    assert needed <= load_theme(name).drawable


def test_glyph_check_counts_every_face(tmp_path, capsys):
    from report.cli import main

    source = tmp_path / "arrow.yaml"
    text = SAMPLE.read_text(encoding="utf-8").replace("title: Bear-case summary", "title: Bear case → summary")
    source.write_text(text, encoding="utf-8")
    assert main(["validate", str(source)]) == 0  # Lato has an arrow
    capsys.readouterr()
    assert main(["validate", str(source), "--brand", "harbor"]) == 1  # Open Sans has none
    assert "no glyph for '→' (U+2192)" in capsys.readouterr().err
