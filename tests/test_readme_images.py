"""The README's pictures are today's pages: docs/make_images.py run afresh draws the same images."""

from __future__ import annotations

import importlib.util

import numpy as np
import pytest
from conftest import ROOT
from PIL import Image


def _make(out):
    spec = importlib.util.spec_from_file_location("make_images", ROOT / "docs" / "make_images.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.make(out)


def _rms(a: Image.Image, b: Image.Image) -> float:
    x = np.asarray(a.convert("L"), dtype=float)
    y = np.asarray(b.convert("L"), dtype=float)
    return float(np.sqrt(np.mean((x - y) ** 2))) if x.shape == y.shape else float("inf")


@pytest.fixture(scope="module")
def fresh(tmp_path_factory):
    return {p.name: p for p in _make(tmp_path_factory.mktemp("images"))}


@pytest.mark.parametrize("name", ["page-1.png", "versions-change-box.png"])
def test_readme_pictures_are_current(fresh, name):
    committed = ROOT / "docs" / "images" / name
    assert committed.exists() and name in (ROOT / "README.md").read_text(encoding="utf-8")
    rms = _rms(Image.open(committed), Image.open(fresh[name]))
    assert rms < 1.0, f"{name} is stale (RMS {rms:.2f}): run python docs/make_images.py"


def test_the_staleness_check_catches_an_old_picture(fresh):
    """Control: the page with one tile's figure changed is not 'the same image'."""
    page = Image.open(fresh["page-1.png"]).convert("RGB")
    altered = page.copy()
    altered.paste((255, 255, 255), (80, 330, 240, 420))  # a tile's value blanked out
    assert _rms(page, altered) >= 1.0
