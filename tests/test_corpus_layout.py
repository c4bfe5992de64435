"""The layout holds for any article: every corpus article (and the sample), on A4 and Letter, in both
brands, passes every layout check (one test per article × paper × brand × check).

Each build is shared by that case's checks: tests run case by case, and only the current case's
PDF is kept in memory.
"""

from __future__ import annotations

import itertools
import re
from pathlib import Path

import pytest
from conftest import ROOT, SAMPLE, build
from layoutcheck import CHECKS, read

from report.brand.theme import load_theme
from report.input.load import load_file
from report.input.csvdata import attach
from report.input.parse import folder_of, parse_file

CORPUS = sorted((ROOT / "tests" / "corpus").glob("*.yaml"))
PAPERS = ("a4", "letter")
BRANDS = ("meridian", "harbor")
CASES = list(itertools.product(CORPUS + [SAMPLE], PAPERS, BRANDS, CHECKS))  # the sample too
MODELINE = "# yaml-language-server: $schema=../../schema/report.schema.json"


@pytest.fixture(scope="session")
def corpus_doc(tmp_path_factory):
    """(article, paper, brand) -> the built PDF, read for the checks; built once, the last kept."""
    kept: dict = {}

    def get(article: Path, paper: str, brand: str):
        key = (article, paper, brand)
        if key not in kept:
            kept.clear()
            folder = tmp_path_factory.mktemp(f"{article.stem}-{paper}-{brand}")
            pdf = build(folder, article, "--brand", brand, "--paper", paper, "--no-changes")
            kept[key] = read(pdf, load_theme(brand).margin_mm, with_data_files(article))
        return kept[key]

    return get


def with_data_files(article: Path) -> dict:
    """The loaded input with its charts' CSV data filled in, as the build reads it."""
    data, smap = load_file(article)
    attach(data, smap, folder_of(article))
    return data


@pytest.mark.parametrize("article,paper,brand,check", CASES,
                         ids=[f"{a.stem}-{p}-{b}-{c}" for a, p, b, c in CASES])
def test_layout(corpus_doc, article, paper, brand, check):
    problems = CHECKS[check](corpus_doc(article, paper, brand))
    assert not problems, f"{len(problems)} problem(s):\n" + "\n".join(problems)


# -- the corpus itself -----------------------------------------------------------------------
@pytest.mark.parametrize("article", CORPUS, ids=[a.stem for a in CORPUS])
def test_corpus_article_is_valid_and_says_what_it_exercises(article):
    lines = article.read_text(encoding="utf-8").splitlines()
    assert lines[0] == MODELINE
    assert lines[1].startswith("# Shape: "), "the top comment names the shape the article exercises"
    parse_file(article)  # raises on any validation error


def _shapes():
    reports = [parse_file(a)[0] for a in CORPUS]
    tables = [b.table for r in reports for _, b in r.blocks_with_paths() if hasattr(b, "table")]
    charts = [b.chart for r in reports for _, b in r.blocks_with_paths() if hasattr(b, "chart")]
    lines = [c for c in charts if c.kind == "lines"]
    return reports, tables, charts, lines


def test_corpus_covers_the_shapes_of_issue_8():
    reports, tables, charts, lines = _shapes()
    assert len(reports) >= 8
    assert {1, 2, 5, 6} <= {len(r.key_stats) for r in reports}, "tile counts"
    assert any(not re.search(r"\d", s.value) for r in reports for s in r.key_stats), "text tiles"
    assert any(s.source and len(s.source) > 60 for r in reports for s in r.key_stats), "long sources"
    assert {2, 3, 5, 8} <= {len(t.columns) for t in tables}, "column counts"
    assert {1, 4, 12, 60} <= {len(t.rows) for t in tables}, "row counts"
    cells = [str(c) for t in tables for row in t.rows for c in row]
    assert any(c.startswith("https://") for c in cells), "URLs in cells"
    assert any(re.fullmatch(r"[A-Z]{2}[A-Z0-9]{9}\d", c) for c in cells), "ISINs in cells"
    assert any(re.fullmatch(r"[a-z0-9]+(_[a-z0-9]+){3,}", c) for c in cells), "snake_case names"
    assert any(re.fullmatch(r"[A-Za-z0-9]+(-[A-Za-z0-9]+){4,}", c) for c in cells), "hyphen-joined words"
    assert all(any(re.search(p, c) for c in cells) for p in (r"%$", r"\$[\d.]+B$", r" bp$", r"^[+-]\d")), \
        "number-like columns"
    assert {4, 5} <= {len(t.rows) for t in tables if t.probability}, "four- and five-scenario tables"
    assert max(len(c.series) for c in lines) == 8, "a chart with eight series"
    assert any(30 <= len(s.name) <= 60 for c in lines for s in c.series), "long series names"
    assert any(len(x) > 20 for c in lines for x in c.x), "long x labels"
    probability_tables = {c.table for c in charts if c.kind == "probabilities"}
    assert any(len(t.labels()[0]) > 45 for t in tables if t.id in probability_tables), "long bar labels"
    blocks = [b for r in reports for _, b in r.blocks_with_paths()]
    assert any(len(getattr(b, "numbered", [])) >= 7 for b in blocks), "a numbered list of 7+"
    assert any(len(getattr(b, "faq", [])) >= 14 for b in blocks), "a long FAQ"


def test_corpus_has_the_extremes():
    reports = {a.stem: parse_file(a)[0] for a in CORPUS}
    bare = reports["bare-euro-credit"]
    assert not (bare.short_title or bare.author or bare.keywords or bare.references)
    assert all(s.source is None and s.date is None and s.tone == "neutral" for s in bare.key_stats)
    assert all(s.title is None for s in bare.sections)
    full = reports["brent-every-field"]
    assert full.short_title and full.author and full.keywords and full.references
    assert all(s.source and s.date for s in full.key_stats)
    assert all(r.publisher and r.date and r.url and r.note for r in full.references)
    kinds = {type(b).__name__ for _, b in full.blocks_with_paths()}
    assert kinds >= {"TextBlock", "CalloutBlock", "ParagraphBlock", "TableBlock", "ChartBlock",
                     "ListBlock", "FaqBlock"}
