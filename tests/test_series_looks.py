"""Series of any number, told apart: every pair of series in every chart of the articles with the most
series differs in grey (measured on the chart rendered in greyscale with pypdfium2) or in pattern
(dash, hatch, marker) — for every chart kind, in both brands; the check catches charts whose series
differ by colour alone; the probability table's row bars take the chart's colours; the brand's
series palette is validated."""

from __future__ import annotations

import itertools
import math
import shutil
from pathlib import Path

import numpy as np
import pypdfium2 as pdfium
import pytest
from conftest import ROOT

from report.brand.theme import load_theme, read_theme
from report import charts as charts_module
from report.build import styles_for
from report.charts import looks as looks_module
from report.charts.looks import HATCHES, MARKERS, DASHES, TONE_LOOKS, colour, looks
from report.errors import ReportError
from report.input.model import ChartBlock
from report.input.parse import parse_file

GREY_STEP = 40  # as tests/test_print.py: greys this far apart read apart on paper
DPI = 150
ARTICLES = [ROOT / "tests" / "corpus" / "em-rates-outlook.yaml", ROOT / "tests" / "corpus" / "us-rates-eight-paths.yaml"]
WIDTH = 480.0


def _rgb(c) -> tuple | None:
    return None if c is None else tuple(round(v * 255) for v in (c.red, c.green, c.blue))


def _hex(value: str) -> tuple:
    return tuple(int(value[i:i + 2], 16) for i in (1, 3, 5))


def _grey_pixels(drawing, styles, tmp: Path) -> np.ndarray:
    from reportlab.graphics import renderPDF

    target = tmp / "chart.pdf"
    renderPDF.drawToFile(drawing, str(target))
    doc = pdfium.PdfDocument(str(target))
    try:
        return np.asarray(doc[0].render(scale=DPI / 72, grayscale=True).to_pil().convert("L"))
    finally:
        doc.close()


def _angle(path) -> int:
    (x0, y0, x1, y1) = path.points[:4]
    return round(math.degrees(math.atan2(y1 - y0, x1 - x0)) % 180 / 45) * 45 % 180


def _bbox(path):
    xs, ys = path.points[0::2], path.points[1::2]
    return min(xs), min(ys), max(xs), max(ys)


def chart_series(drawing, colours: dict[tuple, str], pixels: np.ndarray) -> dict[str, dict]:
    """Each series found in a drawn chart, by the colour of its look: its grey on the page and its
    patterns (a line's dash, a bar's hatch angles, a point's marker shape)."""
    scale = DPI / 72
    height = drawing.height
    paths = [p for p in drawing.contents if hasattr(p, "points") and p.points]
    white = [p for p in paths if _rgb(p.strokeColor) == (255, 255, 255) and len(p.points) == 4]
    found: dict[str, dict] = {}

    def sample(x, y):
        r, c = int((height - y) * scale), int(x * scale)
        return int(pixels[max(r - 1, 0):r + 2, max(c - 1, 0):c + 2].min())

    for p in paths:
        fill, stroke = _rgb(p.fillColor), _rgb(p.strokeColor)
        x0, y0, x1, y1 = _bbox(p)
        if fill is None and stroke in colours and len(p.points) >= 6:  # a line
            s = found.setdefault(colours[stroke], {"greys": [], "patterns": set()})
            s["greys"] += [sample(x, y) for x, y in zip(p.points[0::2], p.points[1::2])]
            s["patterns"].add(("dash", tuple(round(v, 1) for v in (p.strokeDashArray or (0, ()))[1])))
        elif fill in colours and x1 - x0 > 6 and y1 - y0 > 6:  # a bar or a legend key
            s = found.setdefault(colours[fill], {"greys": [], "patterns": set()})
            box = pixels[int((height - y1) * scale) + 1:int((height - y0) * scale) - 1,
                         int(x0 * scale) + 1:int(x1 * scale) - 1]
            s["greys"] += [float(np.median(box[box < 240]))] if (box < 240).any() else []
            inside = {_angle(w) for w in white if _inside(_bbox(w), (x0, y0, x1, y1))}
            s["patterns"].add(("hatch", frozenset(inside)))
        elif fill in colours and max(x1 - x0, y1 - y0) <= 10 and abs((x1 - x0) - (y1 - y0)) < 1.5:  # a marker
            s = found.setdefault(colours[fill], {"greys": [], "patterns": set()})
            cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
            s["patterns"].add(("marker", frozenset((round(x - cx), round(y - cy))
                                                   for x, y in zip(p.points[0::2], p.points[1::2]))))
    return {k: {"grey": float(np.median(v["greys"])) if v["greys"] else None, "patterns": v["patterns"]}
            for k, v in found.items()}


def _inside(inner, outer) -> bool:
    return inner[0] >= outer[0] - 0.5 and inner[1] >= outer[1] - 0.5 and inner[2] <= outer[2] + 0.5 \
        and inner[3] <= outer[3] + 0.5


def confusable(series: dict[str, dict]) -> list[tuple[str, str]]:
    """Pairs a reader could not tell apart on a greyscale print: the same grey and no pattern of one
    that the other lacks."""
    out = []
    for (a, sa), (b, sb) in itertools.combinations(sorted(series.items()), 2):
        near = sa["grey"] is None or sb["grey"] is None or abs(sa["grey"] - sb["grey"]) < GREY_STEP
        if near and sa["patterns"] == sb["patterns"]:
            out.append((a, b))
    return out


def _names(chart) -> list[tuple[str, str]]:
    """(name, tone) of each series of a chart spec, in the order looks are assigned."""
    if chart.kind == "combo":
        return [(s.name, s.tone) for s in [*chart.bars, *chart.lines]]
    if chart.kind == "scatter":
        return [(g, "neutral") for g in dict.fromkeys(p.group or "" for p in chart.points)]
    return [(s.name, s.tone) for s in chart.series]


def charts_of(article: Path, brand: str, tmp: Path):
    """(chart title, {series name: measured}, expected names) for every chart of `article`."""
    report, _ = parse_file(article)
    theme = load_theme(brand)
    styles = styles_for(theme)
    for _, block in report.blocks_with_paths():
        if not isinstance(block, ChartBlock):
            continue
        chart = block.chart
        names = _names(chart) if chart.kind != "probabilities" else \
            list(zip(report.table(chart.table).labels(), report.table(chart.table).row_tones()))
        styles_ = looks([tone for _, tone in names], theme.series)
        colours = {_hex(colour(theme, look)): name for (name, _), look in zip(names, styles_)}
        drawing = charts_module.draw(chart, report, styles, WIDTH)  # at its preferred height
        yield chart.title, chart_series(drawing, colours, _grey_pixels(drawing, styles, tmp)), [n for n, _ in names]


@pytest.mark.parametrize("brand", ["meridian", "harbor"])
@pytest.mark.parametrize("article", ARTICLES, ids=lambda p: p.stem)
def test_no_two_series_of_a_chart_look_alike_in_greyscale(article, brand, tmp_path):
    kinds = set()
    for title, series, names in charts_of(article, brand, tmp_path):
        assert sorted(series) == sorted(names), f"{title}: series not all found on the page"
        assert not confusable(series), f"{title}: {confusable(series)}"
        kinds.add(title)
    assert kinds


def test_the_check_catches_series_told_apart_by_colour_alone(tmp_path, monkeypatch):
    """Every look with one dash, hatch and marker, in colours that print as nearly one grey: the
    check finds such a pair in every chart."""
    one_grey = ("#B8323B", "#2F7D4E", "#3F5FA0", "#7A4A8C", "#A0522D", "#4B6E3A", "#6A5A9A", "#5E6B2E")
    monkeypatch.setattr(looks_module, "TONE_LOOKS", {t: looks_module.Look(one_grey[4 + i], "solid", "o", ())
                                                     for i, t in enumerate(TONE_LOOKS)})
    monkeypatch.setattr(looks_module, "palette_look",
                        lambda series, i: looks_module.Look(one_grey[i % 4], "solid", "o", ()))
    charts = list(charts_of(ARTICLES[0], "meridian", tmp_path))
    assert len(charts) == 7
    assert [title for title, series, _ in charts if not confusable(series)] == []


# -- the assignment itself --------------------------------------------------------------------
def test_every_look_has_a_pattern_of_its_own():
    toned = list(TONE_LOOKS.values())
    for key in ("dash", "marker", "hatch"):
        values = [getattr(look, key) for look in toned]
        values += list({"dash": DASHES, "marker": MARKERS, "hatch": HATCHES}[key])
        assert len(set(map(repr, values))) == len(values), key


def test_tones_first_then_the_palette_in_order():
    palette = ("#111111", "#222222", "#333333", "#444444", "#555555", "#666666")
    got = looks(["neutral", "bear", "bear", "base", "neutral", "bull"], palette)
    assert [g.color for g in got] == ["#111111", "bear", "#222222", "base", "#333333", "bull"]
    assert len({(g.dash.__repr__(), g.hatch) for g in got}) == 6


def test_any_number_of_series_get_different_looks():
    palette = load_theme("meridian").series
    got = looks(["neutral"] * 200, palette)
    assert len({(g.color, repr(g.dash), g.marker, g.hatch) for g in got}) == 200


def test_table_row_bars_take_the_colours_of_the_chart():
    from report.layout.tables import _style

    report, _ = parse_file(ARTICLES[0])
    table = report.table("em-scenarios")
    theme = load_theme("meridian")
    styles = styles_for(theme)
    bars = [cmd for cmd in _style(table, styles, [False] * len(table.columns)).getCommands() if cmd[0] == "LINEBEFORE"]
    expected = [colour(theme, k) for k in looks(table.row_tones(), theme.series)]
    assert [str(c[4]).upper() for c in bars] == expected
    assert len(set(expected)) == len(table.rows) == 5


@pytest.mark.parametrize(("series", "message"), [
    ("[navy, navy, teal, crimson, amber, green]", "colour 'navy' is in the series palette twice"),
    ("[navy, teal, mist, crimson, amber, green]", "colour 'mist' (#EEF2F5) is too light"),
    ("[navy, teal, nosuch, crimson, amber, green]", "colour 'nosuch' is neither a palette name nor #RRGGBB"),
    ("[navy, teal]", "needs at least 6 item(s)"),
])
def test_the_series_palette_is_validated(tmp_path, series, message):
    folder = tmp_path / "brand"
    shutil.copytree(ROOT / "assets" / "brands" / "meridian", folder)
    brand = folder / "_brand.yml"
    text = brand.read_text(encoding="utf-8")
    brand.write_text(text.replace("series: [navy, teal, plum, sky, olive, copper, indigo, charcoal]",
                                  f"series: {series}"), encoding="utf-8")
    with pytest.raises(ReportError) as caught:
        read_theme(brand)
    assert message in str(caught.value) and "defaults.report.series" in str(caught.value)
