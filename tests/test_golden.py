"""Golden page images: the look of every page, compared at low resolution with a tolerance.

Regenerate after an intended change of look with `pytest tests/test_golden.py --regen-golden`;
a failing comparison leaves the new page and a diff image in tests/golden/failed/ to open.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pypdfium2 as pdfium
import pytest
from PIL import Image, ImageChops

GOLDEN = Path(__file__).parent / "golden"
DPI = 30
TOLERANCE = 6.0  # RMS over 0–255 grey levels; font rasteriser updates stay well below this


def _pages(pdf: Path) -> list[Image.Image]:
    doc = pdfium.PdfDocument(str(pdf))
    try:
        return [doc[i].render(scale=DPI / 72).to_pil().convert("L") for i in range(len(doc))]
    finally:
        doc.close()


def _rms(a: Image.Image, b: Image.Image) -> float:
    diff = np.asarray(ImageChops.difference(a, b), dtype=float)
    return float(np.sqrt((diff ** 2).mean()))


@pytest.mark.parametrize("case", [("meridian", "a4"), ("harbor", "letter")], ids=lambda c: "-".join(c))
def test_pages_match_golden_images(sample_pdfs, case, request):
    name = "-".join(case)
    pages = _pages(sample_pdfs[case])
    if request.config.getoption("--regen-golden"):
        for old in GOLDEN.glob(f"{name}-p*.png"):
            old.unlink()
        GOLDEN.mkdir(exist_ok=True)
        for i, page in enumerate(pages, start=1):
            page.save(GOLDEN / f"{name}-p{i}.png", optimize=True)
    expected = sorted(GOLDEN.glob(f"{name}-p*.png"), key=lambda p: int(p.stem.rsplit("-p", 1)[1]))
    assert len(expected) == len(pages), f"{name}: {len(pages)} pages, golden has {len(expected)}"
    failed = []
    for i, (page, path) in enumerate(zip(pages, expected), start=1):
        want = Image.open(path).convert("L")
        rms = _rms(page, want) if want.size == page.size else float("inf")
        if rms > TOLERANCE:
            out = GOLDEN / "failed"
            out.mkdir(exist_ok=True)
            page.save(out / f"{name}-p{i}.png")
            if want.size == page.size:
                ImageChops.difference(page, want).save(out / f"{name}-p{i}-diff.png")
            failed.append(f"page {i}: rms {rms:.2f}")
    assert not failed, f"{name} differs from golden ({', '.join(failed)}); see {GOLDEN / 'failed'}"
