"""Figures from image files: placed at the text width (rasters as images, SVG as vectors in the brand's
fonts), numbered with the charts, confined to the input's folder and capped; a coarse raster is noted."""

from __future__ import annotations

import os
from pathlib import Path

import pikepdf
import pytest
import yaml
from conftest import ROOT, build
from pdfcheck import font_problems, page_texts, raster_images, squash
from PIL import Image

from report.cli import main

FIGURES = ROOT / "tests" / "corpus" / "figures"


def _article(folder: Path, *images: dict) -> Path:
    data = {"title": "Figures from files", "dek": "Pictures beside the input.", "as_of": "2026-05-01",
            "key_stats": [{"label": "Spread", "value": "94 bp"}],
            "sections": [{"heading": "Figures", "blocks": ["A paragraph before the figures."]
                          + [{"image": i} for i in images] + ["A paragraph after them."]}],
            "disclaimer": "For tests."}
    path = folder / "figures.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return path


@pytest.fixture
def folder(tmp_path):
    (tmp_path / "figures").mkdir()
    for f in FIGURES.iterdir():
        (tmp_path / "figures" / f.name).write_bytes(f.read_bytes())
    return tmp_path


@pytest.mark.parametrize("paper", ["a4", "letter"])
@pytest.mark.parametrize("brand", ["meridian", "harbor"])
def test_png_and_svg_figures(folder, paper, brand):
    source = _article(folder, {"file": "figures/provider-screen.png", "title": "A provider's screen",
                               "source": "Data provider"},
                      {"file": "figures/transmission.svg", "title": "How policy reaches credit",
                       "caption": "A diagram.", "source": "Desk"})
    pdf = build(folder / "out", source, "--paper", paper, "--brand", brand, "--no-changes")
    text = squash("".join(page_texts(pdf)))
    assert squash("Figure 1 — A provider's screen") in text and squash("Figure 2 — How policy reaches credit") in text
    assert raster_images(pdf) == 1  # the PNG; the SVG is drawn as vector shapes
    assert font_problems(pdf) == []
    with pikepdf.open(pdf) as doc:  # the raster is placed at the text width, not its pixel size
        image = next(o for o in doc.objects if isinstance(o, pikepdf.Stream) and o.get("/Subtype") == "/Image")
        assert (int(image.Width), int(image.Height)) == (1800, 1000)


def test_a_coarse_raster_is_noted_and_still_built(folder, capsys):
    source = _article(folder, {"file": "figures/provider-thumb.png", "title": "A thumbnail", "source": "Data"})
    assert main(["build", str(source), "-o", str(folder / "out"), "--no-changes"]) == 0
    err = capsys.readouterr().err
    assert "note: figure 'A thumbnail': figures/provider-thumb.png prints at 66 dpi" in err
    assert "at least 1,354 pixels wide for 200 dpi" in err


def test_a_sharp_raster_is_not_noted(folder, capsys):
    """Control for the note above: the 1,800-pixel screen prints at 265 dpi."""
    source = _article(folder, {"file": "figures/provider-screen.png", "title": "A screen", "source": "Data"})
    assert main(["build", str(source), "-o", str(folder / "out"), "--no-changes"]) == 0
    assert "dpi" not in capsys.readouterr().err


def _refused(folder, capsys, image: dict) -> str:
    source = _article(folder, {"title": "Refused", "source": "Data", **image})
    assert main(["build", str(source), "-o", str(folder / "out")]) == 1
    assert not (folder / "out").exists()
    return capsys.readouterr().err


def test_bad_image_files_are_located(folder, capsys, tmp_path_factory):
    outside = tmp_path_factory.mktemp("elsewhere") / "secret.png"
    Image.new("RGB", (10, 10)).save(outside)
    os.symlink(outside, folder / "figures" / "link.png")
    (folder / "figures" / "fake.png").write_text("not an image", encoding="utf-8")
    (folder / "figures" / "script.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>', encoding="utf-8")
    Image.new("1", (9000, 5000)).save(folder / "figures" / "huge.png")
    cases = {
        "figures/missing.png": "image file 'figures/missing.png' not found beside the input",
        "../secret.png": "image file '../secret.png' leads outside the input's folder",
        "figures/link.png": "image file 'figures/link.png' is a link to a file outside the input's folder",
        str(outside): "must be a path relative to the input's folder",
        "figures": "an image file must be PNG, JPEG or SVG",
        "figures/fake.png": "'figures/fake.png' is not a readable PNG or JPEG image",
        "figures/script.svg": "holds a <script> element",
        "figures/huge.png": "has 9,000 × 5,000 pixels, over the 40,000,000-pixel limit",
    }
    for file, message in cases.items():
        err = _refused(folder, capsys, {"file": file})
        assert message in err and "sections[1].blocks[2].image.file" in err, (file, err)


def test_report_watch_knows_the_image_files(folder):
    """`report watch` rebuilds on a figure's save: the input's dependencies name its image files."""
    from report.dependencies import dependencies

    source = _article(folder, {"file": "figures/transmission.svg", "title": "A diagram", "source": "Desk"})
    deps = dependencies(source, None)
    assert source in deps and folder / "figures" / "transmission.svg" in deps
    assert folder / "figures" / "provider-screen.png" not in deps  # control: only what it names
