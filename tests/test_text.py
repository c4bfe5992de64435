"""Faithful: every word, number and date of the input reaches the page, in order, as the brand
formats it; chart labels sit in their own chart; text prints literally.

The checks live in readback.py (reusable over any article). Each one is shown here to catch a
control: the same PDF read against an input that differs in one place.
"""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import pytest
import yaml
from conftest import PDF_CASES, ROOT, SAMPLE, build, case_id
from pdfcheck import page_texts, squash
from readback import expected, problems, read_pages

from report.brand.theme import load_theme
from report.input.load import load_text
from report.input.model import Report
from report.input.parse import parse_file, validate_data


def _model(text: str) -> Report:
    return validate_data(Report, *load_text("control.yaml", text))


def _sample() -> Report:
    return parse_file(SAMPLE)[0]


def _case(every_pdf, update, case):
    kind, brand, _ = case
    if kind == "sample":
        return every_pdf[case], _sample(), load_theme(brand), ()
    return every_pdf[case], update.history[-1], load_theme(brand), update.history


@pytest.mark.parametrize("case", PDF_CASES, ids=case_id)
def test_every_word_number_and_date_in_order(every_pdf, update, case):
    pdf, report, theme, history = _case(every_pdf, update, case)
    exp = expected(report, theme, history)
    assert len(exp.items) > 150 and len(exp.figures) == 2 + bool(history)
    assert problems(pdf, report, theme, history) == []


def test_the_change_box_and_history_are_expected_only_from_a_history(update):
    report = update.history[-1]
    theme = load_theme("meridian")
    plain = {i.path for i in expected(report, theme).items}
    boxed = expected(report, theme, update.history)
    assert not any(p.startswith("change box") for p in plain)
    box = [(i.path, i.text) for i in boxed.items if i.path.startswith("change box")]
    assert box == [("change box", "What changed since"), ("change box: since", "March 31, 2026"),
                   ("change box: RUT downside scenario matrix", "RUT downside scenario matrix"),
                   ("change box: Bear", "Bear"), ("change box: Bear", "30%"), ("change box: Bear", "35%"),
                   ("change box: Base", "Base"), ("change box: Base", "45%"), ("change box: Base", "40%"),
                   ("change box: 1-year total return", "1-year total return"),
                   ("change box: 1-year total return", "25.72%"),
                   ("change box: 1-year total return", "18.40%")]
    (history,) = [f for f in boxed.figures if f.path == "history chart"]
    assert history.dates == ["Feb 27, 2026", "Mar 31, 2026", "Apr 30, 2026"]
    assert history.pairs == [("Bear", "35%"), ("Base", "40%"), ("Bull invalidation", "25%")]


# -- controls: each check catches an input the PDF does not match -----------------------------------
@pytest.fixture(scope="module")
def control(update):
    """The April update (meridian, A4) and the texts of its versions, to change one thing in."""
    from conftest import update_texts

    return update.pdfs[("meridian", "a4")], update_texts(), load_theme("meridian")


def _problems_with(control, old: str, new: str, *more: str, history: bool = True) -> list[str]:
    """The control PDF read against its input with `old` replaced by `new` (and more pairs)."""
    pdf, texts, theme = control
    changed = texts[-1]
    for a, b in zip((old, *more[::2]), (new, *more[1::2])):
        assert changed.count(a) == 1, a
        changed = changed.replace(a, b)
    versions = [_model(t) for t in texts[:-1]] + [_model(changed)]
    return problems(pdf, versions[-1], theme, versions if history else ())


ONE_OFF = ("earnings breadth weakens, 35]", "earnings breadth weakens, 36]",  # Bear 35 -> 36
           'moderately helpful", 40]', 'moderately helpful", 39]')  # and Base 40 -> 39: still 100


def test_control_a_probability_cell_one_off(control):
    found = _problems_with(control, *ONE_OFF)
    assert any("rows[0][3]: '36%'" in p for p in found), found


def test_control_a_tile_without_its_date(control):
    found = _problems_with(control, "    date: 2026-03-31\n  - label: Q1 2026 return",
                           "    date: 2026-03-30\n  - label: Q1 2026 return")
    assert any(p.startswith("key_stats[0].date: 'March 30, 2026'") for p in found), found


def test_control_a_tile_value_printed_in_another_tile(control):
    """Order and nearness: 0.89% is on the page, but in the second tile, not the first."""
    found = _problems_with(control, "value: 18.40%", "value: 0.89%")
    assert any(p.startswith("key_stats[0].value: '0.89%' is not printed with key_stats[0].label")
               for p in found), found


def test_control_a_paragraph_out_of_order(control):
    pdf, texts, theme = control
    report = _model(texts[-1])
    section = report.sections[1]
    blocks = [section.blocks[1], section.blocks[0], *section.blocks[2:]]
    sections = [*report.sections[:1], section.model_copy(update={"blocks": blocks}), *report.sections[2:]]
    swapped = report.model_copy(update={"sections": sections})
    found = problems(pdf, swapped, theme, ())
    assert any("sections[1].blocks[1]" in p and "printed earlier" in p for p in found), found


def test_control_a_chart_label_found_only_outside_its_chart(control):
    """'Bear-case summary' is on the chart's page (a table's title), but not in the chart."""
    pdf, texts, theme = control
    found = _problems_with(control, "name: Bear\n", "name: Bear-case summary\n")
    assert found == ["sections[0].blocks[1].chart ('Figure 1 — Illustrative editorial chart…'): "
                     "label 'Bear-case summary' is not in the chart"], found
    chart_page = read_pages(pdf, theme)[1]
    assert "Bear-casesummary" in "".join(c.text for c in chart_page.body)


def test_control_a_line_drawn_off_its_values(control):
    found = _problems_with(control, "values: [100, 97, 95, 93, 90, 91, 88, 86, 87, 84, 83, 82, 81]",
                           "values: [100, 97, 95, 93, 90, 91, 88, 86, 87, 84, 83, 82, 82]")
    assert found == ["sections[0].blocks[1].chart ('Figure 1 — Illustrative editorial chart…'): "
                     "'Bear' is not drawn where its values put it"], found


def test_control_a_whole_line_shifted_by_one(control):
    """The shape is right but the level is not: read against the axis labels."""
    values = [100, 97, 95, 93, 90, 91, 88, 86, 87, 84, 83, 82, 81]
    found = _problems_with(control, f"values: {values}".replace("'", ""),
                           f"values: {[v + 1 for v in values]}".replace("'", ""))
    assert any("'Bear' is not drawn where its values put it" in p for p in found), found


def test_control_a_bar_and_its_label(control):
    """The probability chart: Bear's bar and label say 35%; read as 36% both checks complain."""
    found = _problems_with(control, *ONE_OFF)
    chart = [p for p in found if "Scenario probabilities" in p]
    assert any("'Bear' is not read with '36%'" in p for p in chart), found
    assert any("the bar for 36% is 35% long on its axis" in p for p in chart), found


def test_control_a_history_chart_without_its_last_point(update, tmp_path, monkeypatch):
    """The real bug: the history chart drops the current update. The check sees it."""
    import report.versions.history as history

    real = history.history

    def without_last(report, versions):
        h = real(report, versions)
        # the lines end, and are named, one update early
        return h and dataclasses.replace(h, points=h.points[:-1],
                                         latest=tuple((k, f"{v:g}%") for k, v in h.points[-2].values))

    monkeypatch.setattr(history, "history", without_last)
    from versions_repo import isolate_git

    isolate_git(monkeypatch)
    pdf = build(tmp_path, update.source)
    found = problems(pdf, update.history[-1], load_theme("meridian"), update.history)
    assert any("the latest update (Apr 30, 2026) is not labelled" in p for p in found), found
    assert any("'Bear' is not read with '35%'" in p for p in found), found


def test_control_a_history_source_line_in_another_case(update, tmp_path, monkeypatch):
    """The line under the history chart is read as printed, case and all (a mutant lower-cased it)."""
    import report.layout.changes as changes

    real = changes.para

    def lowered(text, *args, **kwargs):
        return real(text.replace("Source: this report", "source: this report"), *args, **kwargs)

    monkeypatch.setattr(changes, "para", lowered)
    from versions_repo import isolate_git

    isolate_git(monkeypatch)
    pdf = build(tmp_path, update.source)
    found = problems(pdf, update.history[-1], load_theme("meridian"), update.history)
    assert any(p.startswith("history chart.source: \"Source: this report's earlier") and "not printed" in p
               for p in found), found


def test_control_an_x_axis_without_its_last_label(control):
    """The axis names every step-th label counted back from the last: the last is always there."""
    found = _problems_with(control, "x: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]",
                           "x: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 13]")
    assert any("the x axis does not read 0 … 13" in p for p in found), found


# -- every corpus article: each kind of block, chart and end matter read back --------------------------
CORPUS = sorted((ROOT / "tests" / "corpus").glob("*.yaml"))
EM = ROOT / "tests" / "corpus" / "em-rates-outlook.yaml"  # every chart kind and document block


def _article(path: Path, *pairs: str) -> Report:
    """The article as its build reads it (CSV data filled in), with `old` -> `new` replaced first."""
    from report.input.parse import folder_of, validate_report

    text = path.read_text(encoding="utf-8")
    for old, new in zip(pairs[::2], pairs[1::2]):
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    return validate_report(*load_text(str(path), text), folder_of(path))


@pytest.mark.parametrize("brand,paper", [("meridian", "a4"), ("harbor", "letter")])
@pytest.mark.parametrize("article", CORPUS, ids=[a.stem for a in CORPUS])
def test_every_corpus_article_reads_back(article, brand, paper, tmp_path):
    pdf = build(tmp_path, article, "--brand", brand, "--paper", paper, "--no-changes")
    assert problems(pdf, _article(article), load_theme(brand)) == []


@pytest.fixture(scope="module")
def em_pdf(tmp_path_factory) -> Path:
    return build(tmp_path_factory.mktemp("em"), EM, "--no-changes")


def _em_problems(em_pdf, *pairs: str, theme=None) -> list[str]:
    return problems(em_pdf, _article(EM, *pairs), theme or load_theme("meridian"))


def test_the_em_article_reads_back_every_kind_of_block(em_pdf):
    """What the corpus test reads in this article: two standfirst paragraphs, footnotes, a
    sub-heading, figures from files, a column of figures, every chart kind, the front disclaimer."""
    report = _article(EM)
    exp = expected(report, load_theme("meridian"))
    paths = [i.path for i in exp.items]
    assert {"dek[0]", "dek[1]", "sections[2].blocks[0].subheading", "sections[2].blocks[2].image.caption",
            "sections[1].blocks[1].table.rows[4][2]"} <= set(paths)
    assert paths.index("disclaimer") < paths.index("sections[0].heading")
    assert [n.name for n in exp.notes] == ["msci", "real-rates"]
    assert next(i.text for i in exp.items if i.path == "sections[1].blocks[1].table.rows[4][2]") == "\u221214%"
    kinds = {type(b.chart).__name__ for _, b in report.blocks_with_paths() if hasattr(b, "chart")}
    assert kinds == {"LineChart", "ProbabilityChart", "BandChart", "BarChart", "ComboChart", "ScatterChart"}
    assert problems(em_pdf, report, load_theme("meridian")) == []


def test_control_a_footnote_that_is_not_at_its_calls_foot(em_pdf):
    found = _em_problems(em_pdf, "in U.S. dollars, twelve months", "in euros, twelve months")
    assert len(found) == 1 and found[0].startswith("footnotes.msci: note 1 'Price return of the MSCI Emerging "
                                                   "Markets index in euros"), found
    assert "is not at the foot of page 2, which calls it" in found[0], found


def test_control_a_standfirst_paragraph_and_a_sub_heading(em_pdf):
    found = _em_problems(em_pdf, "We map the easing paths", "We chart the easing paths",
                         "subheading: Where the money went", "subheading: Where the money goes")
    assert [p.split(":")[0] for p in found] == ["dek[1]", "sections[2].blocks[0].subheading"], found


def test_control_a_figure_printed_with_another_sign(em_pdf):
    """The column of figures prints −14% (a true minus, signed); read as +14% it is missed."""
    found = _em_problems(em_pdf, "tariffs hit exporters, -14, 15]", "tariffs hit exporters, 14, 15]")
    assert any(p.startswith("sections[1].blocks[1].table.rows[4][2]: '+14%'") for p in found), found


def test_control_a_figure_caption_and_a_bar_value(em_pdf):
    found = _em_problems(em_pdf, "kept as the provider draws it", "as the provider draws it",
                         "values: [14.1, 20.3, 9.8, 6.2, 5.0]", "values: [14.1, 20.3, 9.8, 6.2, 5.1]")
    assert any(p.startswith('sections[2].blocks[2].image.caption: "A screenshot of the provider\'s terminal, '
                            'as the') for p in found), found
    assert any("label '5.1%' is not in the chart" in p for p in found), found


def test_control_a_figure_outside_its_section(tmp_path):
    """A chart of the second section, read as if written at the end of the first: it prints after
    the second section's start on the same page, which a figure may not do (only one that opens the
    next page goes past its section's end)."""
    source = tmp_path / "two.yaml"
    source.write_text(yaml.safe_dump({
        "title": "Two sections", "dek": "A figure in the second.", "as_of": "2026-03-31",
        "key_stats": [{"label": "Return", "value": "1%"}], "disclaimer": "Not advice.",
        "sections": [{"heading": "First", "blocks": ["Text of the first section."]},
                     {"heading": "Second", "blocks": ["Text of the second section.", {"chart": {
                         "kind": "lines", "title": "Paths", "source": "Desk", "x": [0, 1, 2],
                         "series": [{"name": "Base", "values": [1, 2, 3]}]}}]}]}), encoding="utf-8")
    pdf = build(tmp_path, source)
    report = parse_file(source)[0]
    assert problems(pdf, report, load_theme("meridian")) == []
    first, second = report.sections
    moved = report.model_copy(update={"sections": [
        first.model_copy(update={"blocks": [*first.blocks, second.blocks[1]]}),
        second.model_copy(update={"blocks": second.blocks[:1]})]})
    found = problems(pdf, moved, load_theme("meridian"))
    assert found == ["sections[0].blocks[1].chart: printed on page 1, after sections[1].heading (page 1): "
                     "outside its section and the page after it"], found


def test_control_a_draft_without_its_watermark_and_a_final_with_one(em_pdf, tmp_path):
    found = problems(em_pdf, _article(EM).model_copy(update={"status": "draft"}), load_theme("meridian"))
    assert found[0] == "page 1: the watermark reads '', not 'DRAFT'", found
    draft = tmp_path / "draft.yaml"
    draft.write_text(SAMPLE.read_text(encoding="utf-8").replace("as_of:", "status: draft\nas_of:", 1), encoding="utf-8")
    pdf = build(tmp_path, draft)
    assert problems(pdf, parse_file(draft)[0], load_theme("meridian")) == []
    assert problems(pdf, _sample(), load_theme("meridian"))[0] == "page 1: the watermark reads 'DRAFT', not ''"


def test_control_contents_expected_of_a_long_report(em_pdf):
    """A brand whose reports of more than 2 pages open with contents: this PDF has none."""
    import dataclasses

    theme = dataclasses.replace(load_theme("meridian"), toc_pages=2)
    found = _em_problems(em_pdf, theme=theme)
    assert found[0] == "contents: 'Contents' not printed", found


# -- the same text on both papers; text prints literally --------------------------------------------
def _body_text(pdf: Path, source: Path, brand: str = "meridian") -> str:
    """The document's text with the running header and footer of each page taken out."""
    report, _ = parse_file(source)
    theme = load_theme(brand)
    header = [report.header_title, theme.name]
    pages = page_texts(pdf)
    out = []
    for n, text in enumerate(pages, start=1):
        flat = squash(text)
        # the footer: as-of date, disclaimer line, version (when in git), "Page n of N"
        footer = re.escape(squash(f"As of {theme.format_date(report.as_of)}")) + r".*?" + \
            re.escape(squash(f"Page {n} of {len(pages)}"))
        flat, found = re.subn(footer, "", flat, count=1)
        assert found == 1, f"page {n} has no footer"
        for item in header if n > 1 else [theme.name, theme.report_label + "·" + report.report_type,
                                          f"As of {theme.format_date(report.as_of)}"]:
            flat = flat.replace(squash(item), "", 1)
        out.append(flat)
    return "".join(out)


def _without_repeated_headers(text: str, source: Path) -> str:
    """A table split over pages repeats its title (continued) and header: once is the content."""
    report, _ = parse_file(source)
    for _, block in report.blocks_with_paths():
        spec = getattr(block, "table", None)
        if spec is not None and hasattr(spec, "columns"):
            text = text.replace(squash(f"{spec.title} (continued)" + "".join(spec.columns)), "")
    return text


def test_a4_and_letter_carry_the_same_text(sample_pdfs):
    a4 = _without_repeated_headers(_body_text(sample_pdfs[("meridian", "a4")], SAMPLE), SAMPLE)
    letter = _without_repeated_headers(_body_text(sample_pdfs[("meridian", "letter")], SAMPLE), SAMPLE)
    assert sorted(a4) == sorted(letter)  # same characters; only the page breaks differ


def test_markup_like_text_prints_literally(tmp_path):
    data = yaml.safe_load(SAMPLE.read_text(encoding="utf-8"))
    tricky = ["R&D < 5% and a<b>c</b> & <img src=\"/etc/passwd\"/>", "Costs $5 to $10 & &amp; &lt;",
              "Quotes “curly” — dashes – ≥ 3 × 2 € 10"]
    data["dek"] = tricky[0]
    data["sections"][0]["blocks"].insert(1, tricky[1])
    data["key_stats"][0]["label"] = tricky[2]
    chart = data["sections"][0]["blocks"][2]["chart"]
    chart["series"][0]["name"] = "$x$ & <b>up</b>"
    chart["y_label"] = "$1 to $2"
    source = tmp_path / "tricky.yaml"
    source.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    pdf = build(tmp_path, source)
    report, _ = parse_file(source)
    assert problems(pdf, report, load_theme("meridian")) == []
    text = squash("".join(page_texts(pdf)))
    for value in tricky + ["$x$ & <b>up</b>", "$1 to $2"]:
        assert squash(value) in text, value


# -- charts fit their box (issue 8, fixed on main): what once ran off the chart stays in it -----------
def test_a_long_scenario_label_stays_in_its_chart(tmp_path):
    text = SAMPLE.read_text(encoding="utf-8").replace(
        "- [Bear, Further downside", "- [Bear case with financing stress and weak breadth, Further downside").replace(
        "tones: {Bear: bear,", 'tones: {"Bear case with financing stress and weak breadth": bear,')
    source = tmp_path / "long-label.yaml"
    source.write_text(text, encoding="utf-8")
    pdf = build(tmp_path, source)
    assert problems(pdf, parse_file(source)[0], load_theme("meridian")) == []
    # control: the label now wraps over two lines, its value level with them; read as 31% it is missed
    off = tmp_path / "off-by-one.yaml"
    off.write_text(text.replace("earnings breadth weakens, 30]", "earnings breadth weakens, 31]").replace(
        'moderately helpful", 45]', 'moderately helpful", 44]'), encoding="utf-8")
    found = problems(pdf, parse_file(off)[0], load_theme("meridian"))
    assert any("'Bear case with financing stress and weak breadth' is not read with '31%'" in p
               for p in found), found


def _sample_edited(tmp_path, name: str, old: str, new: str):
    """The sample with `old` replaced by `new`, saved as `name`.yaml: its path."""
    text = SAMPLE.read_text(encoding="utf-8")
    assert old in text
    source = tmp_path / f"{name}.yaml"
    source.write_text(text.replace(old, new), encoding="utf-8")
    return source


def test_a_long_line_name_stays_in_the_column(tmp_path):
    source = _sample_edited(tmp_path, "long-name", "- name: Bull invalidation", "- name: Bull case invalidated")
    assert problems(build(tmp_path, source), parse_file(source)[0], load_theme("meridian")) == []


def test_long_x_labels_never_print_over_each_other(tmp_path):
    source = _sample_edited(tmp_path, "long-x", "x: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]",
                            "x: [" + ", ".join(f"At the end of month {i}" for i in range(13)) + "]")
    assert problems(build(tmp_path, source), parse_file(source)[0], load_theme("meridian")) == []


def test_the_y_axis_label_stays_in_the_column_beside_wide_values(tmp_path):
    source = _sample_edited(tmp_path, "wide-values", "values: [100, 97, 95, 93, 90, 91, 88, 86, 87, 84, 83, 82, 81]",
                            "values: [100, 97, 95, 93, 90, 91, 88, 86, 87, 84, 83, 82, -750000]")
    assert problems(build(tmp_path, source), parse_file(source)[0], load_theme("meridian")) == []


# -- the one door for text (report/text.py) ---------------------------------------------------------
def test_a_line_break_in_input_text_prints_as_a_space():
    """A literal block (`|`) keeps line breaks; a paragraph reflows them as spaces, adding nothing."""
    from reportlab.lib.styles import ParagraphStyle

    from report.text import citation, escape, footnote, para

    style = ParagraphStyle("t")
    assert escape("line one\nline <two> & 3") == "line one line &lt;two&gt; &amp; 3"
    assert para("line one\nline two", style).getPlainText() == "line one line two"
    assert para("text", style, lead="Lead:").getPlainText() == "Lead: text"
    assert para("a call[^n] &\nmore", style, notes={"n": 3}).getPlainText() == "a call3 & more"
    assert footnote(3, "the <note>\n& more", style).getPlainText() == "3 the <note> & more"
    assert citation([("Title\nnext", "i")], style, room=300, bullet="[1]").getPlainText() == "Title next"
    url = "https://example.com/a?b=1&c=2"
    assert citation([("Publisher. ", ""), ("Title", "i"), (".", ""), (" ", ""), (url, "url")], style, room=300,
                    bullet="[1]", url=url, color="#000000").getPlainText() == f"Publisher. Title. {url}"
