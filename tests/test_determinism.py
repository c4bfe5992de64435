"""Reproducible: the same input builds byte-identical PDFs in separate processes."""

from __future__ import annotations

import os
import subprocess
import sys

from conftest import ROOT, SAMPLE


def _build(out, seed: str, extra_env: dict | None = None) -> bytes:
    env = {**os.environ, "PYTHONHASHSEED": seed, **(extra_env or {})}
    env.pop("SOURCE_DATE_EPOCH", None) if not extra_env else None
    subprocess.run([sys.executable, "-m", "report", "build", str(SAMPLE), "-o", str(out)],
                   check=True, cwd=ROOT, env=env, capture_output=True)
    return (out / (SAMPLE.stem + ".pdf")).read_bytes()


def test_two_processes_build_identical_bytes(tmp_path):
    first = _build(tmp_path / "a", "1")
    second = _build(tmp_path / "b", "4242")
    assert first == second


def test_source_date_epoch_sets_the_pdf_date(tmp_path):
    import pikepdf

    _build(tmp_path / "c", "7", {"SOURCE_DATE_EPOCH": "1767225600"})  # 2026-01-01
    with pikepdf.open(tmp_path / "c" / (SAMPLE.stem + ".pdf")) as pdf:
        assert str(pdf.docinfo["/CreationDate"]).startswith("D:20260101")
