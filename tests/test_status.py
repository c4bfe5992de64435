"""`status: draft` prints a DRAFT watermark on every page and marks the metadata; a final note has
none; `report build --final` refuses a draft, located, and writes nothing."""

from __future__ import annotations

import pdfplumber
import pikepdf
import pytest
import yaml
from conftest import SAMPLE, build

from report.cli import main


def _sample(tmp_path, **changes):
    data = yaml.safe_load(SAMPLE.read_text(encoding="utf-8"))
    data.update(changes)
    path = tmp_path / "note.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return path


def watermarked_pages(pdf) -> list[int]:
    """Pages carrying the word DRAFT in large letters (pdfplumber)."""
    with pdfplumber.open(pdf) as doc:
        return [n for n, page in enumerate(doc.pages, start=1)
                if "DRAFT" in "".join(c["text"] for c in page.chars if c["size"] > 60)]


@pytest.mark.parametrize("brand", ["meridian", "harbor"])
def test_a_draft_is_watermarked_on_every_page(tmp_path, brand):
    pdf = build(tmp_path, _sample(tmp_path, status="draft"), "--brand", brand, "--no-changes")
    with pikepdf.open(pdf) as doc:
        pages = len(doc.pages)
        assert str(doc.docinfo["/Subject"]).startswith("DRAFT")
        assert str(doc.docinfo["/Keywords"]).startswith("draft")
    assert watermarked_pages(pdf) == list(range(1, pages + 1))


def test_a_final_note_has_no_watermark(sample_pdf):
    assert watermarked_pages(sample_pdf) == []
    with pikepdf.open(sample_pdf) as doc:
        assert "DRAFT" not in str(doc.docinfo["/Subject"])


def test_build_final_refuses_a_draft(tmp_path, capsys):
    source = _sample(tmp_path, status="draft")
    assert main(["build", str(source), "-o", str(tmp_path / "out"), "--final"]) == 1
    err = capsys.readouterr().err
    line = next(n for n, text in enumerate(source.read_text().splitlines(), 1) if text.startswith("status:"))
    assert f"{source}:{line}:9: error: status: the input is a draft; --final builds only a final note" in err
    assert not (tmp_path / "out").exists()
    assert main(["build", str(source), "-o", str(tmp_path / "out")]) == 0  # without --final it builds


def test_build_final_builds_a_final_note(tmp_path):
    assert main(["build", str(_sample(tmp_path)), "-o", str(tmp_path / "out"), "--final"]) == 0
