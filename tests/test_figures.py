"""Columns of figures: printed as formatted, aligned on the decimal point, a true minus sign, negatives
in the brand's `negative` colour, read back from real PDFs (pdfplumber glyphs and their fill colours);
the number kept as a number by the model; `report diff` comparing figures by value; references in
one citation style. Each PDF check has a control that it must catch.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from types import SimpleNamespace

import pdfplumber
import pikepdf
import pytest
from conftest import ROOT, build
from layoutcheck import Glyph, read
from pdfcheck import squash

from report.brand.theme import load_theme
from report.input.load import load_file, load_text
from report.input.model import Column, Report
from report.input.parse import parse_file, validate_data
from report.layout.tables import in_fonts
from report.numbers import MINUS, NBSP, NOT_AVAILABLE, format_number
from report.versions.compare import compare, summary, terminal

ARTICLE = ROOT / "tests" / "corpus" / "credit-figures-tables.yaml"
CASES = [("meridian", "a4"), ("meridian", "letter"), ("harbor", "a4"), ("harbor", "letter")]
ALIGN_TOLERANCE = 0.05  # points


def fmt(format: str, decimals: int, signed: bool = False, currency: str | None = None, unit: str | None = None):
    return SimpleNamespace(format=format, decimals=decimals, signed=signed, currency=currency, unit=unit)


# -- one function prints every figure ----------------------------------------------------------------

@pytest.mark.parametrize(("value", "spec", "printed"), [
    (4.5, fmt("percent", 2), "4.50%"),
    (-4.5, fmt("percent", 1), "−4.5%"),
    (2.35, fmt("percent", 2, signed=True), "+2.35%"),
    (0, fmt("percent", 1, signed=True), "0.0%"),
    (-0.04, fmt("percent", 1), "0.0%"),  # rounds to zero: no minus sign on a zero
    (-12, fmt("bp", 0, signed=True), f"−12{NBSP}bp"),
    (0.37, fmt("pp", 2, signed=True), f"+0.37{NBSP}pp"),
    (1234567.5, fmt("number", 1), "1,234,567.5"),
    (812.4, fmt("currency", 1, currency="$", unit="B"), "$812.4B"),
    (-4.8, fmt("currency", 1, currency="$", unit="B"), "−$4.8B"),
    (418, fmt("currency", 0, currency="EUR", unit="B"), f"EUR{NBSP}418B"),
    (18.2, fmt("currency", 1, currency="$", unit="bn", signed=True), "+$18.2bn"),
    (3.1, fmt("number", 1, unit="x"), "3.1x"),
    (5, fmt("number", 0, unit="GW"), f"5{NBSP}GW"),
    (0.1 + 0.2, fmt("number", 2), "0.30"),
    (1e15, fmt("number", 0), "1,000,000,000,000,000"),
])
def test_format_number(value, spec, printed):
    assert format_number(value, spec) == printed


def test_fonts_without_the_minus_sign_get_a_hyphen_not_a_box():
    every = frozenset(range(0x250)) | {ord(MINUS), ord(NBSP)}
    assert in_fonts(f"−12{NBSP}bp", every) == f"−12{NBSP}bp"
    assert in_fonts(f"−12{NBSP}bp", every - {ord(MINUS)}) == f"-12{NBSP}bp"
    assert in_fonts(f"−12{NBSP}bp", every - {ord(MINUS), ord(NBSP)}) == "-12 bp"
    assert {ord(MINUS), ord(NBSP)} <= load_theme("meridian").drawable & load_theme("harbor").drawable


def _model(text: str) -> Report:
    return validate_data(Report, *load_text("figures.yaml", text))


def article(table: str) -> str:
    """A one-table article around `table` (the YAML of its block, indented as a block)."""
    return ("title: Figures\ndek: A table of figures.\nas_of: 2026-06-30\n"
            "key_stats: [{label: Spread, value: 82 bp}]\nsections:\n  - heading: Only\n    blocks:\n"
            + table + "disclaimer: Not advice.\n")


TABLE = article("""      - table:
          id: markets
          title: Markets
          columns:
            - Market
            - {name: Spread change, format: bp, signed: true}
            - {name: YTD return, format: percent}
            - Comment
            - Probability
          probability: Probability
          rows:
            - [US, -9, 2.35, Tighter, 60]
            - [Euro, 11, -0.6, Wider, 40]
""")


def test_the_model_keeps_figures_as_numbers():
    table = next(b.table for _, b in _model(TABLE).blocks_with_paths() if hasattr(b, "table"))
    assert table.names == ["Market", "Spread change", "YTD return", "Comment", "Probability"]
    assert table.rows[0] == ["US", -9.0, 2.35, "Tighter", 60.0]
    assert all(isinstance(row[c], float) for row in table.rows for c in (1, 2, 4))
    formats = table.formats()
    assert formats[0] is None and formats[3] is None
    assert formats[2].decimals == 2, "by default the most decimals a cell is written with"
    assert formats[4] == Column(name="Probability", format="percent", decimals=0), \
        "a probability column is a percent column"


def test_diff_compares_figures_by_value_and_prints_them_formatted():
    new = TABLE.replace("[US, -9, 2.35, Tighter, 60]", "[US, -9, 2.30, Tightest, 60]").replace(
        "[Euro, 11, -0.6,", "[Euro, 14, -0.60,")  # -0.6 written -0.60: the same value
    c = compare(_model(TABLE), _model(new))
    (figures,) = c.figures
    moves = [(m.label, m.column, m.old_text, m.new_text) for m in figures.moves]
    assert moves == [("US", "YTD return", "2.35%", "2.30%"),
                     ("Euro", "Spread change", f"+11{NBSP}bp", f"+14{NBSP}bp")]
    assert dict(summary(c))["Markets:"] == f"US YTD return 2.35% → 2.30%; Euro Spread change +11{NBSP}bp → " \
                                           f"+14{NBSP}bp; 1 entry reworded"  # one line per table
    assert "    Euro, Spread change: +11 bp -> +14 bp" in terminal(c)
    # the control: a text cell that changed is a rewording, not a figure
    assert [i.reworded for i in c.items if i.group == "Markets"] == [("US",)]



def test_diff_finds_moved_figures_after_a_new_row_and_prints_a_cell_become_text():
    """A row added above a moved figure does not hide it; a figure become "n/a" prints as written."""
    new = TABLE.replace("[US, -9, 2.35, Tighter, 60]", "[UK, 3, 1.5, Flat, 10]\n            - [US, -9, n/a, Tighter, 50]")
    new = new.replace("[Euro, 11, -0.6, Wider, 40]", "[Euro, 12, -0.6, Wider, 40]")
    (figures,) = compare(_model(TABLE), _model(new)).figures
    assert [(m.label, m.column, m.old_text, m.new_text) for m in figures.moves] == [
        ("US", "YTD return", "2.35%", "n/a"), ("Euro", "Spread change", f"+11{NBSP}bp", f"+12{NBSP}bp")]
    new_table_first = new.replace("      - table:\n          id: markets", "      - table:\n          id: flows\n          title: Flows\n"
                                  "          columns: [Fund, {name: Flow, format: number}]\n"
                                  "          rows: [[Alpha, 1]]\n      - table:\n          id: markets", 1)
    assert [(f.id, len(f.moves)) for f in compare(_model(TABLE), _model(new_table_first)).figures] == [("markets", 2)]


# -- read back from the PDF ----------------------------------------------------------------------------

@dataclass
class Cell:
    where: str  # "table › column › row" for messages
    value: float | str
    expected: str  # as its format prints it
    glyphs: list[Glyph]
    colors: list[tuple]


def _colours(pdf: Path) -> dict[tuple, tuple]:
    with pdfplumber.open(pdf) as doc:
        return {(n, round(c["x0"], 2), round(c["top"], 2)): tuple(round(v, 3) for v in c["non_stroking_color"])
                for n, page in enumerate(doc.pages, start=1) for c in page.chars}


def _with_signs(doc, glyphs: list[Glyph]) -> list[Glyph]:
    """A located cell's glyphs with the sign before them (signs are not part of the located text)."""
    page = doc.pages[glyphs[0].page - 1].glyphs
    i = next(k for k, g in enumerate(page) if g is glyphs[0])
    while i > 0 and page[i - 1].text in "−-+" and abs(page[i - 1].base - glyphs[0].base) < 0.5 \
            and abs(page[i - 1].x1 - page[i].x0) < 0.5:  # touching it, not the end of the cell before
        i -= 1
    return page[i:page.index(glyphs[-1]) + 1]


def figure_cells(pdf: Path, source: Path, treat_as: dict | None = None) -> dict[str, list[Cell]]:
    """Every cell of every column of figures, located in the PDF; columns by 'table › column'.
    `treat_as` {(table title, column name): format} checks a column of text as if it were figures."""
    data, _ = load_file(source)
    report, _ = parse_file(source)
    doc = read(pdf, load_theme("meridian").margin_mm, data)
    colours = _colours(pdf)
    found = {f.path: f for f in doc.found if f.start >= 0}
    out: dict[str, list[Cell]] = {}
    for path, block in report.blocks_with_paths():
        table = getattr(block, "table", None)
        if table is None:
            continue
        for c, (name, f) in enumerate(zip(table.names, table.formats())):
            f = (treat_as or {}).get((table.title, name), f)
            if f is None:
                continue
            for r, row in enumerate(table.rows):
                value = row[c] if not isinstance(row[c], str) or row[c] in NOT_AVAILABLE else float(row[c])
                glyphs = _with_signs(doc, doc.glyphs_of(found[path + ("table", "rows", r, c)]))
                cell = Cell(f"{table.title} › {name} › {row[0]}", value,
                            value if isinstance(value, str) else format_number(value, f), glyphs,
                            [colours[(g.page, round(g.x0, 2), round(g.top, 2))] for g in glyphs])
                out.setdefault(f"{table.title} › {name}", []).append(cell)
    return out


def not_as_formatted(columns: dict[str, list[Cell]]) -> list[str]:
    return [f"{c.where}: printed {''.join(g.text for g in c.glyphs)!r}, expected {c.expected!r}"
            for cells in columns.values() for c in cells
            if "".join(g.text for g in c.glyphs) != c.expected.replace(NBSP, "")]


def _anchor(cell: Cell) -> float:
    """The x of the cell's decimal point, or of the end of its digits."""
    points = [g.x0 for g in cell.glyphs if g.text == "."]
    return points[0] if points else max(g.x1 for g in cell.glyphs if g.text.isdigit())


def misaligned(columns: dict[str, list[Cell]]) -> list[str]:
    problems = []
    for name, cells in columns.items():
        by_page: dict[int, list[tuple[float, Cell]]] = {}
        for c in cells:
            if not isinstance(c.value, str):
                by_page.setdefault(c.glyphs[0].page, []).append((_anchor(c), c))
        for page, anchors in by_page.items():
            low, high = min(anchors, key=lambda a: a[0]), max(anchors, key=lambda a: a[0])
            if high[0] - low[0] > ALIGN_TOLERANCE:
                problems.append(f"{name}, page {page}: decimal points {high[0] - low[0]:.2f} pt apart "
                                f"({low[1].expected!r} and {high[1].expected!r})")
    return problems


def wrong_minus(columns: dict[str, list[Cell]]) -> list[str]:
    return [f"{c.where}: a negative printed without U+2212: {''.join(g.text for g in c.glyphs)!r}"
            for cells in columns.values() for c in cells
            if not isinstance(c.value, str) and c.expected.startswith(MINUS) and c.glyphs[0].text != MINUS
            or any(g.text == "-" for g in c.glyphs)]


def wrong_colour(columns: dict[str, list[Cell]], negative: tuple, other: tuple) -> list[str]:
    problems = []
    for cells in columns.values():
        for c in cells:
            if isinstance(c.value, str):
                continue
            want = negative if c.expected.startswith(MINUS) else other
            if any(col != want for col in c.colors):
                problems.append(f"{c.where}: {c.expected!r} printed in {sorted(set(c.colors))}, expected {want}")
    return problems


def _rgb(hex_colour: str) -> tuple:
    return tuple(round(int(hex_colour[i:i + 2], 16) / 255, 3) for i in (1, 3, 5))


@pytest.fixture(scope="module")
def article_cells(tmp_path_factory):
    out = {}
    for brand, paper in CASES:
        pdf = build(tmp_path_factory.mktemp(f"figures-{brand}-{paper}"), ARTICLE, "--brand", brand,
                    "--paper", paper, "--no-changes")
        out[(brand, paper)] = figure_cells(pdf, ARTICLE)
    return out


@pytest.mark.parametrize("case", CASES, ids=lambda c: "-".join(c))
def test_figures_print_as_formatted_aligned_with_a_true_minus_in_the_negative_colour(article_cells, case):
    columns = article_cells[case]
    assert len(columns) >= 20 and sum(map(len, columns.values())) > 250
    theme = load_theme(case[0])
    assert not_as_formatted(columns) == []
    assert misaligned(columns) == []
    assert wrong_minus(columns) == []
    assert wrong_colour(columns, _rgb(theme.color("negative")), _rgb(theme.color("ink"))) == []
    assert theme.color("negative") != theme.color("ink")


def test_figures_print_the_written_digits(article_cells):
    """A few cells of the article, as a reader sees them (not via the formatter under test)."""
    cells = {c.where: "".join(g.text for g in c.glyphs) for cells in article_cells[("meridian", "a4")].values()
             for c in cells}
    assert cells["Spreads, yields and returns by market › YTD return › Euro high yield"] == "−0.65%"
    assert cells["Spreads, yields and returns by market › YTD return › Euro investment grade"] == "+1.80%"
    assert cells["Spreads, yields and returns by market › Quarter change › Emerging market corporates"] == "0bp"
    assert cells["Gross issuance and fund flows, first half › Local currency › Euro high yield"] == "EUR56B"
    assert cells["Gross issuance and fund flows, first half › Deals › US investment grade"] == "1,204"
    assert cells["Gross issuance and fund flows, first half › Net supply › Euro high yield"] == "−$4.8B"
    assert cells["Twelve-month scenarios for US high yield › Probability › Reacceleration"] == "20.0%"
    assert cells["Issuer sample, spreads and leverage › Net leverage › Inverness Energy"] == "n/a"


CONTROL = article("""      - table:
          title: Written as text
          columns: [Market, Change]
          rows:
            - [US, 1.5]
            - [Euro, -12.25]
""")


def test_controls_the_checks_catch(tmp_path):
    """Figures written in a column of text print as written: right-aligned, not on their decimal
    point, with a hyphen for minus, in ink. Checked as figures, each check catches it."""
    source = tmp_path / "control.yaml"
    source.write_text(CONTROL, encoding="utf-8")
    pdf = build(tmp_path, source, "--no-changes")
    columns = figure_cells(pdf, source, {("Written as text", "Change"): fmt("number", 2)})
    theme = load_theme("meridian")
    assert not_as_formatted(columns) == ["Written as text › Change › US: printed '1.5', expected '1.50'",
                                         "Written as text › Change › Euro: printed '-12.25', expected '−12.25'"]
    assert misaligned(columns) and wrong_minus(columns)
    assert wrong_colour(columns, _rgb(theme.color("negative")), _rgb(theme.color("ink"))) == [
        f"Written as text › Change › Euro: '−12.25' printed in [{_rgb(theme.color('ink'))}], "
        f"expected {_rgb(theme.color('negative'))}"]


def test_a_brand_without_the_negative_role_uses_its_bear_colour(tmp_path):
    """Brands made before the role (a desk's copy from `report init`) still build."""
    folder = tmp_path / "old"
    source = ROOT / "assets" / "brands" / "meridian"
    folder.mkdir()
    for f in source.rglob("*"):
        if f.is_file():
            (folder / f.relative_to(source)).parent.mkdir(parents=True, exist_ok=True)
            (folder / f.relative_to(source)).write_bytes(f.read_bytes())
    brand = folder / "_brand.yml"
    brand.write_text(brand.read_text(encoding="utf-8").replace("      negative: crimson\n", ""), encoding="utf-8")
    assert "negative" not in brand.read_text(encoding="utf-8")
    theme = load_theme(str(folder))
    assert theme.color("negative") == theme.color("bear") == load_theme("meridian").color("negative")


# -- references: one citation style ---------------------------------------------------------------------

def test_references_print_in_one_citation_style_with_working_links(tmp_path):
    pdf = build(tmp_path, ARTICLE, "--no-changes")
    with pdfplumber.open(pdf) as doc:
        last = doc.pages[-1]
        text = squash(last.extract_text())
        fonts = {w["text"]: w["fontname"] for w in last.extract_words(extra_attrs=["fontname"])}
    report, _ = parse_file(ARTICLE)
    first, second, third = report.references
    assert squash("[1] A. Morgan and L. Chen, Rating agency research, March 14, 2026. Corporate default and "
                  f"rating transition study, 2025. Default rates by rating band. {first.url}") in text
    assert squash(f"[2] Central bank staff paper. Why do spreads stay tight late in the cycle? {second.url}") in text
    assert squash(f"[3] Index provider, January 2, 2026. Index methodology. Definitions of spreads and "
                  f"returns. {third.url}") in text
    assert "Italic" in fonts["Corporate"] and "Italic" in fonts["methodology"], "titles in italics"
    assert "Italic" not in fonts["Definitions"] and "Italic" not in fonts["Morgan"], "the rest upright"
    with pikepdf.open(pdf) as doc:
        uris = [str(a.A.URI) for page in doc.pages for a in page.get("/Annots", []) if "/A" in a]
    assert uris.count(first.url) == 2, "a URL over two lines links from both"
    assert {second.url, third.url} <= set(uris)


def test_a_link_keeps_every_character_of_its_url(tmp_path, monkeypatch):
    """A URL with a query (`&`), an apostrophe and a percent-escape links to exactly that URL: the
    markup quotes it as an XML attribute (report.text.quoteattr), in double quotes when it holds an
    apostrophe. Control: the same attribute in single quotes does not link there (reportlab cannot
    read the markup: a crash, exit 70). (reportlab reads
    `&AMP;` and a bare `&` in an attribute as `&`: those mutants are equivalent.)"""
    import report.text as text

    url = "https://example.com/q?a=1&b=it's%20here&c=x;y"
    source = tmp_path / "link.yaml"
    minimal = (ROOT / "tests" / "data" / "minimal.yaml").read_text(encoding="utf-8")
    source.write_text(minimal.replace("url: https://example.com/report", f"url: \"{url}\""), encoding="utf-8")

    def uris(pdf):
        with pikepdf.open(pdf) as doc:
            return {str(a.A.URI) for page in doc.pages for a in page.get("/Annots", []) if "/A" in a}

    assert url in uris(build(tmp_path / "a", source))
    monkeypatch.setattr(text, "quoteattr", lambda t: f"'{t}'")
    from report.cli import main

    code = main(["build", str(source), "-o", str(tmp_path / "b")])
    assert code != 0 or url not in uris(tmp_path / "b" / "link.pdf")


TEXT_FIGURES = article("""      - table:
          title: Written as text
          columns: [Market, Change, Comment]
          rows:
            - [US, 25.72%, Rates first]
            - [Euro area, −3.1%, Spreads]
            - [Japan, "1,204", A much longer comment]
""")


def test_a_column_of_figures_written_as_text_is_right_aligned(tmp_path):
    """Figures written as text (`25.72%`) are set flush right, so their digits line up; the columns
    of words beside them stay flush left (the control: their right edges differ)."""
    source = tmp_path / "text-figures.yaml"
    source.write_text(TEXT_FIGURES, encoding="utf-8")
    pdf = build(tmp_path, source, "--no-changes")
    with pdfplumber.open(pdf) as doc:
        words = {w["text"]: w for w in doc.pages[0].extract_words(keep_blank_chars=False)}
    figures = [words[t] for t in ("25.72%", "−3.1%", "1,204")]
    assert max(w["x1"] for w in figures) - min(w["x1"] for w in figures) < 0.5, figures
    assert max(w["x0"] for w in figures) - min(w["x0"] for w in figures) > 3
    markets = [words[t] for t in ("US", "Euro", "Japan")]
    assert max(w["x0"] for w in markets) - min(w["x0"] for w in markets) < 0.5
    assert max(w["x1"] for w in markets) - min(w["x1"] for w in markets) > 3
