"""The PDF side of versions: the change box, the history chart, the version in footer and metadata,
read back with real PDF readers (pypdf for text, pikepdf for the document information)."""

from __future__ import annotations

import os
import re
import subprocess
import sys

import pikepdf
import pytest
from conftest import ROOT
from pdfcheck import page_texts, squash
from versions_repo import TEXT, edited, git_env, outside, repo  # noqa: F401 - fixtures

from report.cli import main

NAME = "rut.yaml"


def _build(source, out, *args) -> bytes:
    assert main(["build", str(source), "-o", str(out), *args]) == 0
    return (out / (source.stem + ".pdf")).read_bytes()


def _info(pdf) -> dict:
    with pikepdf.open(pdf) as doc:
        return {str(k): str(v) for k, v in doc.docinfo.items()}


@pytest.fixture
def second_update(repo):
    repo.commit(NAME, TEXT, "March")
    head = repo.commit(NAME, edited(as_of="2026-04-30", stat="18.40%", bear=35, base=40), "April")
    return repo.root / NAME, head[:7]


def test_second_update_has_box_chart_and_version(second_update, tmp_path):
    source, short = second_update
    _build(source, tmp_path)
    pdf = tmp_path / "rut.pdf"
    first = squash(page_texts(pdf)[0])
    for text in ("What changed since March 31, 2026", "RUT downside scenario matrix: Bear 30% → 35%, "
                 "Base 45% → 40%", "Key figures: 1-year total return 25.72% → 18.40%",
                 "probabilities at each update", "Bear 35%", f"rev {short}"):
        assert squash(text) in first, text
    assert all(squash(f"rev {short}") in squash(page) for page in page_texts(pdf))
    assert _info(pdf)["/InputVersion"] == short


def test_no_changes_leaves_out_box_and_chart_but_keeps_the_version(second_update, tmp_path):
    source, short = second_update
    _build(source, tmp_path, "--no-changes")
    first = squash(page_texts(tmp_path / "rut.pdf")[0])
    assert squash("What changed") not in first and squash("at each update") not in first
    assert squash(f"rev {short}") in first
    assert _info(tmp_path / "rut.pdf")["/InputVersion"] == short


def test_same_commit_builds_identical_bytes_in_separate_processes(second_update, tmp_path):
    source, _ = second_update
    pdfs = []
    for seed in ("1", "4242"):
        target = tmp_path / f"{seed}.pdf"
        env = {**os.environ, "PYTHONHASHSEED": seed}
        subprocess.run([sys.executable, "-m", "report", "build", str(source), "-o", str(target)],
                       cwd=ROOT, env=env, check=True, capture_output=True)
        pdfs.append(target.read_bytes())
    assert pdfs[0] == pdfs[1]
    assert squash("What changed since") in squash(page_texts(tmp_path / "1.pdf")[0])


def test_uncommitted_edit_is_marked(second_update, tmp_path):
    source, short = second_update
    source.write_text(edited(as_of="2026-04-30", stat="17.90%", bear=35, base=40), encoding="utf-8")
    _build(source, tmp_path)
    assert squash(f"rev {short}+modified") in squash(page_texts(tmp_path / "rut.pdf")[0])
    assert _info(tmp_path / "rut.pdf")["/InputVersion"] == f"{short}+modified"


def test_not_in_git_builds_without_box_or_version(outside, tmp_path, capsys):
    source = outside / NAME
    source.write_text(TEXT, encoding="utf-8")
    _build(source, tmp_path / "out")
    first = squash(page_texts(tmp_path / "out" / "rut.pdf")[0])
    assert squash("What changed") not in first and not re.search(r"rev[0-9a-f]{7}", first)
    assert "/InputVersion" not in _info(tmp_path / "out" / "rut.pdf")
    assert capsys.readouterr().err == ""


def test_skipped_old_version_is_a_note_not_a_failure(repo, tmp_path, capsys):
    old = repo.commit(NAME, TEXT.replace("dek: >-", "summary: an older format\ndek: >-"))
    repo.commit(NAME, edited(as_of="2026-04-30", bear=35, base=40))
    _build(repo.root / NAME, tmp_path)
    assert f"note: skipped version {old[:7]}: it no longer validates" in capsys.readouterr().err
    assert squash("What changed") not in squash(page_texts(tmp_path / "rut.pdf")[0])


def test_names_from_old_versions_never_print_missing_glyphs(repo, tmp_path):
    repo.commit(NAME, TEXT.replace("- title: Narrower breadth", "- title: Breadth \u2318 thin"))
    repo.commit(NAME, edited(as_of="2026-04-30").replace("- title: Narrower breadth", "- title: Liquidity"))
    _build(repo.root / NAME, tmp_path)
    first = squash(page_texts(tmp_path / "rut.pdf")[0])
    assert squash("“Breadth ? thin” renamed “Liquidity”") in first
