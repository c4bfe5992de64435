"""The README's pictures, made from today's build: `python docs/make_images.py [OUT_DIR]`.

- page-1.png: the sample's first page (meridian, A4).
- versions-change-box.png: the top of page 1 of a second update of the sample, built from a
  throw-away git history, showing the "What changed" box and the probability history.

Needs the test extras (pypdfium2). tests/test_readme_images.py checks the committed pictures
against a fresh run, so they never go stale.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "inputs" / "russell-2000-bear-case.yaml"
WIDTH = 720  # pixels across a page image


def _render(pdf: Path, out: Path, crop_top: float = 1.0) -> None:
    """Page 1 of `pdf` as a PNG `WIDTH` pixels wide, cut to the top `crop_top` of the page."""
    import pypdfium2

    document = pypdfium2.PdfDocument(str(pdf))
    try:
        page = document[0]
        scale = WIDTH / page.get_width()
        image = page.render(scale=scale).to_pil().convert("RGB")
    finally:
        document.close()
    if crop_top < 1.0:
        image = image.crop((0, 0, image.width, round(image.height * crop_top)))
    image.save(out, optimize=True)


def _build(source: Path, out: Path, *args: str) -> Path:
    from report.cli import main

    if main(["build", str(source), "-o", str(out), *args]) != 0:
        raise SystemExit(f"building {source} failed")
    return out / (source.stem + ".pdf")


def _git(root: Path, *args: str) -> None:
    env = {**os.environ, "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_SYSTEM": os.devnull,
           "GIT_AUTHOR_NAME": "Desk", "GIT_AUTHOR_EMAIL": "desk@example.com",
           "GIT_COMMITTER_NAME": "Desk", "GIT_COMMITTER_EMAIL": "desk@example.com",
           "GIT_AUTHOR_DATE": "2026-04-30T12:00:00Z", "GIT_COMMITTER_DATE": "2026-04-30T12:00:00Z"}
    subprocess.run(["git", *args], cwd=root, env=env, check=True, capture_output=True)


def _update(work: Path) -> Path:
    """The sample as committed for March, then its April update (a stat and two probabilities)."""
    repo = work / "desk"
    repo.mkdir()
    _git(repo, "init", "-q", "-b", "main")
    text = SAMPLE.read_text(encoding="utf-8")
    source = repo / SAMPLE.name
    source.write_text(text, encoding="utf-8")
    _git(repo, "add", source.name)
    _git(repo, "commit", "-q", "-m", "March update")
    april = (text.replace("as_of: 2026-03-31", "as_of: 2026-04-30")
             .replace("value: 25.72%", "value: 18.40%")
             .replace("earnings breadth weakens, 30]", "earnings breadth weakens, 35]")
             .replace('moderately helpful", 45]', 'moderately helpful", 40]'))
    source.write_text(april, encoding="utf-8")
    _git(repo, "commit", "-q", "-am", "April update")
    return source


def make(out: Path) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        _render(_build(SAMPLE, work / "sample", "--no-changes"), out / "page-1.png")
        _render(_build(_update(work), work / "update"), out / "versions-change-box.png", crop_top=0.68)
    return [out / "page-1.png", out / "versions-change-box.png"]


if __name__ == "__main__":
    for path in make(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "docs" / "images"):
        print(path)
