"""Two font files with one face name (two versions of a brand's font, in two brands built by one
process) each print with their own glyphs; one file registered twice is one font."""

from __future__ import annotations

import shutil

from fontTools import subset
from fontTools.ttLib import TTFont as ToolsFont
from reportlab.pdfbase import pdfmetrics

from conftest import ROOT
from report.brand.faces import register

LATO = ROOT / "assets" / "brands" / "meridian" / "fonts" / "Lato-Regular.ttf"


def _cut(path, unicodes) -> None:
    """Lato with only these characters, its face name unchanged."""
    font = ToolsFont(str(LATO))
    cutter = subset.Subsetter(subset.Options(name_IDs=["*"], name_languages=["*"]))
    cutter.populate(unicodes=unicodes)
    cutter.subset(font)
    font.save(str(path))


def test_two_files_of_one_face_name_keep_their_own_glyphs(tmp_path):
    full, cut = tmp_path / "full" / "Lato-Regular.ttf", tmp_path / "cut" / "Lato-Regular.ttf"
    full.parent.mkdir()
    cut.parent.mkdir()
    shutil.copy(LATO, full)
    _cut(cut, range(0x20, 0x7F))
    assert ToolsFont(str(cut))["name"].getDebugName(6) == ToolsFont(str(full))["name"].getDebugName(6)
    first, second = register("FacesTestFull", full), register("FacesTestCut", cut)
    assert pdfmetrics.getFont("FacesTestCut") is second  # reportlab alone would give `first` here
    assert first.face.name != second.face.name
    assert 0x2192 in pdfmetrics.getFont("FacesTestFull").face.charToGlyph
    assert 0x2192 not in pdfmetrics.getFont("FacesTestCut").face.charToGlyph


def test_one_file_under_two_paths_is_one_face(tmp_path):
    a, b = tmp_path / "a.ttf", tmp_path / "b.ttf"
    _cut(a, range(0x20, 0x60))
    shutil.copy(a, b)
    first, second = register("FacesTestA", a), register("FacesTestB", b)
    assert first.face.name == second.face.name
