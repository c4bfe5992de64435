"""Shared fixtures: the sample input, and PDFs built once per session for the read-only tests."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "inputs" / "russell-2000-bear-case.yaml"


def build(tmp: Path, source: Path = SAMPLE, *args: str) -> Path:
    """Build `source` with the real CLI entry point (in-process) and return the PDF path."""
    from report.cli import main

    code = main(["build", str(source), "-o", str(tmp), *args])
    assert code == 0, f"report build exited {code}"
    return tmp / (source.stem + ".pdf")


@pytest.fixture(scope="session")
def sample_pdfs(tmp_path_factory) -> dict[tuple[str, str], Path]:
    """The sample built for each brand and paper: {(brand, paper): path}."""
    out = {}
    for brand in ("meridian", "harbor"):
        for paper in ("a4", "letter"):
            folder = tmp_path_factory.mktemp(f"{brand}-{paper}")
            out[(brand, paper)] = build(folder, SAMPLE, "--brand", brand, "--paper", paper)
    return out


@pytest.fixture(scope="session")
def sample_pdf(sample_pdfs) -> Path:
    return sample_pdfs[("meridian", "a4")]


def pytest_addoption(parser):
    parser.addoption("--regen-golden", action="store_true",
                     help="rewrite the golden page images in tests/golden from the current build")


# Tests draw every chart for real; the chart cache has tests of its own (test_chartcache.py).
os.environ["REPORT_CACHE_DIR"] = "off"
