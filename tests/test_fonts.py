"""Every PDF the tool can produce embeds the brand's fonts and nothing else: no base-14 font (which
a print shop's preflight rejects), no font left unembedded, no font of another brand or the system.

"Every PDF": the sample outside git and an update with its change box and history chart, for both
brands and both papers; with print marks; with `--no-changes`; the PDF attached to an email.
Read with pikepdf (every font dictionary in the file, used or not) and, where installed, with
poppler's `pdffonts`.
"""

from __future__ import annotations

import email
import shutil
from email import policy
from pathlib import Path

import pytest
from conftest import PDF_CASES, SAMPLE, build, case_id
from pdfcheck import brand_fonts, font_names, fonts_wrong


@pytest.fixture(scope="module")
def more_pdfs(update, tmp_path_factory) -> dict[str, tuple[Path, str]]:
    """PDFs beyond the sample and the update: {name: (path, brand)}."""
    from versions_repo import isolate_git

    from report.cli import main

    out = {}
    with pytest.MonkeyPatch.context() as env:
        isolate_git(env)
        folder = tmp_path_factory.mktemp("marks-update")
        out["update, print marks"] = (build(folder, update.source, "--print-marks"), "meridian")
        folder = tmp_path_factory.mktemp("marks-sample")
        out["sample, harbor, letter, print marks"] = (
            build(folder, SAMPLE, "--brand", "harbor", "--paper", "letter", "--print-marks"), "harbor")
        folder = tmp_path_factory.mktemp("no-changes")
        out["update, --no-changes"] = (build(folder, update.source, "--no-changes", "--paper", "letter"),
                                       "meridian")
        folder = tmp_path_factory.mktemp("email")
        env.setenv("REPORT_MAIL_FROM", "Research desk <desk@example.com>")
        eml = folder / "update.eml"
        code = main(["email", str(update.source), "--to", "reader@example.com", "--dry-run", "-o", str(eml),
                     "--brand", "harbor", "--pdf-out", str(folder)])
        assert code == 0
    message = email.message_from_bytes(eml.read_bytes(), policy=policy.default)
    (attachment,) = list(message.iter_attachments())
    attached = folder / "attached.pdf"
    attached.write_bytes(attachment.get_content())
    out["update, harbor, email attachment"] = (attached, "harbor")
    return out


@pytest.mark.parametrize("case", PDF_CASES, ids=case_id)
def test_only_the_brands_fonts_embedded(every_pdf, case):
    assert fonts_wrong(every_pdf[case], case[1]) == []
    assert font_names(every_pdf[case]) >= {n for n in brand_fonts(case[1]) if "Italic" not in n} - {
        "Caladea-Bold"}  # every upright face of the brand is in use (the bold serif is not, in harbor)


@pytest.mark.parametrize("name", ["update, print marks", "sample, harbor, letter, print marks",
                                  "update, --no-changes", "update, harbor, email attachment"])
def test_only_the_brands_fonts_embedded_in_every_other_kind_of_pdf(more_pdfs, name):
    pdf, brand = more_pdfs[name]
    assert fonts_wrong(pdf, brand) == []


def test_the_update_is_what_the_box_and_chart_need(update):
    """The PDFs above hold a change box and a history chart (else the check proves little)."""
    from pdfcheck import page_texts, squash

    first = squash(page_texts(update.pdfs[("meridian", "a4")])[0])
    assert squash("What changed since March 31, 2026") in first
    assert squash("probabilities at each update") in first


# -- controls ---------------------------------------------------------------------------------------
def test_the_check_catches_a_base14_font(tmp_path):
    """reportlab's default font (what the change box used to reference) is caught by every reader."""
    from reportlab.pdfgen.canvas import Canvas

    target = tmp_path / "helvetica.pdf"
    canvas = Canvas(str(target), invariant=1)
    canvas.setFont("Helvetica-Bold", 10)
    canvas.drawString(72, 72, "What changed since")
    canvas.showPage()
    canvas.save()
    found = fonts_wrong(target, "meridian")
    assert "base-14 font /Helvetica-Bold" in found and "font Helvetica-Bold is not one of meridian's" in found
    if shutil.which("pdffonts"):
        assert "pdffonts: Helvetica-Bold not embedded" in found


def test_the_check_catches_another_brands_font(every_pdf):
    found = fonts_wrong(every_pdf[("sample", "harbor", "a4")], "meridian")
    assert "font OpenSans is not one of meridian's" in found


def test_the_check_catches_an_empty_font_switch_in_a_table(update, tmp_path, monkeypatch):
    """A table whose style names no font: the fault the change box had, put back on purpose."""
    from versions_repo import isolate_git

    from report.brand import styles

    monkeypatch.setattr(styles.Styles, "table_style",
                        lambda self, commands: styles.TableStyle(commands))
    isolate_git(monkeypatch)
    pdf = build(tmp_path, update.source)
    assert "base-14 font /Helvetica" in fonts_wrong(pdf, "meridian")
