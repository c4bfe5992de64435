"""Sub-headings (one level, in the outline), a standfirst of several paragraphs, and the disclaimer
at the front or at the end, as the input says."""

from __future__ import annotations

import pikepdf
import yaml
from conftest import SAMPLE, build
from pdfcheck import page_texts, squash


def _sample(tmp_path, edit):
    data = yaml.safe_load(SAMPLE.read_text(encoding="utf-8"))
    edit(data)
    path = tmp_path / "note.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return path


def test_subheadings_are_in_the_outline_under_their_section(tmp_path):
    def edit(data):
        blocks = data["sections"][1]["blocks"]
        blocks.insert(1, {"subheading": "What the market prices"})
        blocks.append({"subheading": "What would change it"})
        blocks.append("A paragraph under the second sub-heading.")
    pdf = build(tmp_path, _sample(tmp_path, edit), "--no-changes")
    with pikepdf.open(pdf) as doc, doc.open_outline() as outline:
        tops = {item.title: [child.title for child in item.children] for item in outline.root}
    assert tops["02. Risk Context"] == ["What the market prices", "What would change it"]
    text = squash("".join(page_texts(pdf)))
    assert text.index(squash("What the market prices")) < text.index(squash("What would change it"))


def test_a_standfirst_of_several_paragraphs(tmp_path):
    paragraphs = ["The first paragraph of the standfirst.", "The second one, with the nuance."]
    pdf = build(tmp_path, _sample(tmp_path, lambda d: d.update(dek=paragraphs)), "--no-changes")
    first = squash(page_texts(pdf)[0])
    assert first.index(squash(paragraphs[0])) < first.index(squash(paragraphs[1])) < first.index(squash("1-year total return"))


def test_the_disclaimer_stands_where_the_input_says(tmp_path):
    front = build(tmp_path / "front", _sample(tmp_path, lambda d: d.update(disclaimer_position="front")), "--no-changes")
    pages = [squash(t) for t in page_texts(front)]
    assert "Disclaimer:" in pages[0] and "Disclaimer:" not in "".join(pages[1:])
    assert pages[0].index("Disclaimer:") < pages[0].index(squash("01. Quick Answer"))


def test_by_default_the_disclaimer_ends_the_report(sample_pdf):
    """Control for the test above: the sample (no position given) ends with it."""
    pages = [squash(t) for t in page_texts(sample_pdf)]
    assert "Disclaimer:" in pages[-1] and "Disclaimer:" not in "".join(pages[:-1])
