"""Shared fixtures: the sample input, and PDFs built once per session for the read-only tests."""

from __future__ import annotations

import os
from dataclasses import dataclass
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


PAPERS = [("meridian", "a4"), ("meridian", "letter"), ("harbor", "a4"), ("harbor", "letter")]
# Every kind of PDF the quality checks (fonts, frame, edge, greyscale, golden, validity) run on:
# the sample (its only version in this repository: no change box), and a third update of it built
# from a history of its own (change box and probability history chart on page 1).
PDF_CASES = [(kind, brand, paper) for kind in ("sample", "update") for brand, paper in PAPERS]


def case_id(case) -> str:
    return "-".join(case)


@dataclass(frozen=True)
class Update:
    """The sample's series in git: February, March (the sample) and April, built as April."""

    source: Path  # the input in its repository, committed (clean)
    history: tuple  # the committed versions as models, oldest first (April included)
    pdfs: dict  # {(brand, paper): path}


UPDATES = [  # (as_of, 1-year return, bear, base): bull stays 25
    ("2026-02-27", "21.10%", 25, 50),
    ("2026-03-31", "25.72%", 30, 45),
    ("2026-04-30", "18.40%", 35, 40),
]


def update_texts() -> list[str]:
    from versions_repo import TEXT, edited

    return [edited(TEXT, as_of=as_of, stat=stat, bear=bear, base=base) if as_of != "2026-03-31" else TEXT
            for as_of, stat, bear, base in UPDATES]


@pytest.fixture(scope="session")
def update(tmp_path_factory) -> Update:
    """An update with a change box and a three-point probability history, for each brand and paper."""
    from versions_repo import Repo, isolate_git

    from report.input.load import load_text
    from report.input.model import Report
    from report.input.parse import validate_data

    texts = update_texts()
    with pytest.MonkeyPatch.context() as env:
        isolate_git(env)
        repo = Repo(tmp_path_factory.mktemp("series") / "repo")
        for text, (as_of, *_) in zip(texts, UPDATES):
            repo.commit("rut.yaml", text, f"update as of {as_of}")
        source = repo.root / "rut.yaml"
        pdfs = {}
        for brand, paper in PAPERS:
            folder = tmp_path_factory.mktemp(f"update-{brand}-{paper}")
            pdfs[(brand, paper)] = build(folder, source, "--brand", brand, "--paper", paper)
    history = tuple(validate_data(Report, *load_text(f"v{i}.yaml", t)) for i, t in enumerate(texts))
    return Update(source, history, pdfs)


@pytest.fixture(scope="session")
def every_pdf(sample_pdfs, update) -> dict[tuple[str, str, str], Path]:
    """{(kind, brand, paper): path} for every case of PDF_CASES."""
    out = {("sample", b, p): path for (b, p), path in sample_pdfs.items()}
    out.update({("update", b, p): path for (b, p), path in update.pdfs.items()})
    return out


def pytest_terminal_summary(terminalreporter):
    """How generated inputs fared (test_fuzz.py): the share that built must be visible in every run."""
    import sys

    fuzz = sys.modules.get("test_fuzz")
    if fuzz is None or not fuzz.STATS:
        return
    terminalreporter.section("fuzz outcomes")
    for test, counts in fuzz.STATS.items():
        total = sum(counts.values())
        shown = ", ".join(f"{n} {what}" for what, n in counts.most_common())
        terminalreporter.write_line(f"{test}: {total} examples: {shown}")


def pytest_addoption(parser):
    parser.addoption("--regen-golden", action="store_true",
                     help="rewrite the golden page images in tests/golden from the current build")


# Tests draw every chart for real; the chart cache has tests of its own (test_chartcache.py).
os.environ["REPORT_CACHE_DIR"] = "off"
