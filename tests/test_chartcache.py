"""The chart cache: a rebuild with unchanged charts skips matplotlib and gives the same bytes."""

from __future__ import annotations

import os
import subprocess
import sys

from conftest import ROOT, SAMPLE

PROBE = ("import sys; from report.cli import main; rc = main(['build', %r, '-o', %r]); "
         "print(rc, 'matplotlib' in sys.modules)")


def _build(out, cache) -> tuple[str, bytes]:
    env = {**os.environ, "REPORT_CACHE_DIR": str(cache)}
    run = subprocess.run([sys.executable, "-c", PROBE % (str(SAMPLE), str(out))], cwd=ROOT, env=env,
                         capture_output=True, text=True, check=True)
    return run.stdout.strip().splitlines()[-1], (out / (SAMPLE.stem + ".pdf")).read_bytes()


def test_cached_charts_give_identical_bytes_without_matplotlib(tmp_path):
    cache = tmp_path / "cache"
    first, pdf1 = _build(tmp_path / "a", cache)
    assert first.startswith("0 ")  # drew the charts (here, or in the chart helper process)
    assert len(list(cache.glob("*.json"))) == 2
    second, pdf2 = _build(tmp_path / "b", cache)
    assert second == "0 False"  # read them back: matplotlib never imported
    assert pdf1 == pdf2
    off, pdf3 = _build(tmp_path / "c", "off")
    assert off.startswith("0 ") and pdf3 == pdf1


def test_a_damaged_cache_entry_is_drawn_again(tmp_path):
    cache = tmp_path / "cache"
    _, pdf1 = _build(tmp_path / "a", cache)
    for entry in cache.glob("*.json"):
        entry.write_text('{"width": 1, "shapes": [', encoding="utf-8")
    again, pdf2 = _build(tmp_path / "b", cache)
    assert again.startswith("0 ") and pdf2 == pdf1
