"""Golden page images: the look of every page, compared at low resolution with a measured tolerance.

The pages of the sample (outside git) and of an update (change box and history chart on page 1) are
rendered with pypdfium2 at 30 dpi and compared with `matplotlib.testing.compare.compare_images`.

The tolerance comes from measurement (`python tests/test_golden.py --measure` prints it again):
a clean rebuild, in another process with another hash seed, renders to an RMS of 0.000 on every
page; the smallest change a reader would notice that was tried, one digit of a 7 pt tile label
("Q1 2026" -> "Q1 2025"), measures 0.093 on its page; a changed letter in a table cell 0.42, a
changed digit in a tile's value 0.55-0.84, a dropped word in a section title 2.1. So the tolerance
is the rebuild's 0.000 plus a margin of 0.05: any change of content fails, while a difference in
the last bit of the rasteriser's arithmetic would pass. A change of rasteriser (a new pdfium's
anti-aliasing measures 1.7-2.2 when simulated with its LCD mode) is a change of look: after an
upgrade of pypdfium2, check the diff images and regenerate.

Regenerate after an intended change of look with `pytest tests/test_golden.py --regen-golden`
(and look at tests/golden/ before committing); the renderer's version is written beside them. A
failing page leaves the new page, the expected one and a diff image in tests/golden/failed/.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pypdfium2 as pdfium
import pytest
from conftest import case_id

GOLDEN = Path(__file__).parent / "golden"
FAILED = GOLDEN / "failed"
RENDERER = GOLDEN / "RENDERER"
DPI = 30
REBUILD_RMS = 0.0  # measured: see the module's docstring
TOLERANCE = REBUILD_RMS + 0.05
CASES = [("sample", "meridian", "a4"), ("sample", "harbor", "letter"),
         ("update", "meridian", "a4"), ("update", "harbor", "letter")]


def renderer() -> str:
    from importlib import metadata

    return f"pypdfium2 {metadata.version('pypdfium2')}, {pdfium.PDFIUM_INFO}"


def page_images(pdf: Path) -> list:
    doc = pdfium.PdfDocument(str(pdf))
    try:
        return [doc[i].render(scale=DPI / 72).to_pil().convert("L") for i in range(len(doc))]
    finally:
        doc.close()


def golden_name(case) -> str:
    kind, brand, paper = case
    return f"{brand}-{paper}" if kind == "sample" else f"update-{brand}-{paper}"


def golden_pages(name: str) -> list[Path]:
    return sorted(GOLDEN.glob(f"{name}-p*.png"), key=lambda p: int(p.stem.rsplit("-p", 1)[1]))


def compare_pages(pages, name: str, out: Path = FAILED) -> list[str]:
    """Each page against its golden image; a failing page leaves its images in `out`."""
    from matplotlib.testing.compare import compare_images

    expected = golden_pages(name)
    if len(expected) != len(pages):
        return [f"{len(pages)} pages, golden has {len(expected)}"]
    failed = []
    for i, (page, want) in enumerate(zip(pages, expected), start=1):
        out.mkdir(exist_ok=True)
        actual = out / f"{name}-p{i}.png"
        page.save(actual)
        try:
            result = compare_images(str(want), str(actual), TOLERANCE, in_decorator=True)
        except Exception as exc:  # matplotlib's ImageComparisonFailure: the sizes differ
            result = {"rms": float("inf"), "why": str(exc)}
        if result is None:
            actual.unlink()
            continue
        shutil.copyfile(want, out / f"{name}-p{i}-expected.png")
        failed.append(f"page {i}: rms {result['rms']:.3f}")
    return failed


@pytest.mark.parametrize("case", CASES, ids=case_id)
def test_pages_match_golden_images(every_pdf, case, request):
    name = golden_name(case)
    pages = page_images(every_pdf[case])
    if request.config.getoption("--regen-golden"):
        for old in golden_pages(name):
            old.unlink()
        for i, page in enumerate(pages, start=1):
            page.save(GOLDEN / f"{name}-p{i}.png", optimize=True)
        RENDERER.write_text(renderer() + "\n", encoding="utf-8")
    failed = compare_pages(pages, name)
    made_with = RENDERER.read_text(encoding="utf-8").strip() if RENDERER.exists() else "unknown"
    hint = "" if made_with == renderer() else \
        f"; the goldens were rendered with {made_with}, this is {renderer()}: if the diff images show " \
        "only anti-aliasing, regenerate with --regen-golden"
    assert not failed, f"{name} differs from golden ({', '.join(failed)}); see {FAILED}{hint}"


def test_the_tolerance_catches_one_changed_digit(tmp_path, monkeypatch):
    """The smallest change measured (one digit of a 7 pt label) fails page 1, and only page 1."""
    import report.input.parse as parse
    from conftest import SAMPLE, build

    real = parse.read_report

    def one_digit_changed(path, theme=None):  # the sample itself (same version in the footer) ...
        report, smap = real(path, theme)
        stats = [s.model_copy(update={"label": "Q1 2025 return"}) if s.label == "Q1 2026 return" else s
                 for s in report.key_stats]  # ... with "Q1 2026 return" printed as "Q1 2025 return"
        return report.model_copy(update={"key_stats": stats}), smap

    monkeypatch.setattr(parse, "read_report", one_digit_changed)
    pages = page_images(build(tmp_path, SAMPLE))
    failed = compare_pages(pages, "meridian-a4", tmp_path / "failed")
    assert failed == [f"page 1: rms {_rms(pages[0], golden_pages('meridian-a4')[0]):.3f}"]
    assert {p.name for p in (tmp_path / "failed").iterdir()} == {
        "meridian-a4-p1.png", "meridian-a4-p1-expected.png", "meridian-a4-p1-failed-diff.png"}


def _rms(image, path: Path) -> float:
    import numpy as np
    from PIL import Image, ImageChops

    diff = np.asarray(ImageChops.difference(image, Image.open(path).convert("L")), dtype=float)
    return float(np.sqrt((diff ** 2).mean()))


def _rms_images(a, b) -> float:
    import numpy as np
    from PIL import ImageChops

    diff = np.asarray(ImageChops.difference(a, b), dtype=float)
    return float(np.sqrt((diff ** 2).mean()))


if __name__ == "__main__" and "--measure" in sys.argv:
    # Re-measure the figures in the docstring: python tests/test_golden.py --measure
    import os
    import subprocess
    import tempfile

    root = Path(__file__).resolve().parent.parent
    sample = root / "inputs" / "russell-2000-bear-case.yaml"
    edits = {"clean rebuild": None, "one digit, tile label": ("label: Q1 2026 return", "label: Q1 2025 return"),
             "one letter, table cell": ("Still a live vulnerability", "Still a live vulnerabilty"),
             "one digit, tile value": ("value: 25.72%", "value: 25.73%"),
             "one word, section title": ("thing as calling for collapse", "thing as calling for a collapse")}
    with tempfile.TemporaryDirectory() as tmp:
        def built(name, text, seed):
            source = Path(tmp) / f"{name}.yaml"
            source.write_text(text, encoding="utf-8")
            env = {**os.environ, "PYTHONHASHSEED": seed, "REPORT_CACHE_DIR": "off"}
            subprocess.run([sys.executable, "-m", "report", "build", str(source), "-o", tmp], cwd=root, env=env,
                           check=True, capture_output=True)
            return page_images(Path(tmp) / f"{name}.pdf")

        base = built("base", sample.read_text(encoding="utf-8"), "1")
        for label, edit in edits.items():
            text = sample.read_text(encoding="utf-8")
            other = built(f"e{len(label)}", text if edit is None else text.replace(*edit), "4242")
            worst = max(_rms_images(a, b) for a, b in zip(base, other))
            print(f"{label:24} worst page rms {worst:.3f}")
