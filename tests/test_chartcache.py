"""The chart cache: a rebuild with unchanged charts skips matplotlib and gives the same bytes, and a
chart whose data, title, brand colour or width changed is drawn again (never served stale)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT, SAMPLE

from report import charts
from report.brand.theme import load_theme
from report.build import styles_for
from report.charts.cache import _encode
from report.cli import main
from report.input.model import ChartBlock, LineChart, ProbabilityChart
from report.input.parse import parse_file
from report.versions.history import History, Point

PROBE = ("import sys; from report.cli import main; rc = main(['build', %r, '-o', %r]); "
         "print(rc, 'matplotlib' in sys.modules)")


def _build(out, cache) -> tuple[str, bytes]:
    env = {**os.environ, "REPORT_CACHE_DIR": str(cache)}
    run = subprocess.run([sys.executable, "-c", PROBE % (str(SAMPLE), str(out))], cwd=ROOT, env=env,
                         capture_output=True, text=True, check=True)
    return run.stdout.strip().splitlines()[-1], (out / (SAMPLE.stem + ".pdf")).read_bytes()


def test_cached_charts_give_identical_bytes_without_matplotlib(tmp_path):
    cache = tmp_path / "cache"
    first, pdf1 = _build(tmp_path / "a", cache)
    assert first.startswith("0 ")  # drew the charts (here, or in the chart helper process)
    assert len(list(cache.glob("*.json"))) == 2
    second, pdf2 = _build(tmp_path / "b", cache)
    assert second == "0 False"  # read them back: matplotlib never imported
    assert pdf1 == pdf2
    off, pdf3 = _build(tmp_path / "c", "off")
    assert off.startswith("0 ") and pdf3 == pdf1


def test_a_damaged_cache_entry_is_drawn_again(tmp_path):
    cache = tmp_path / "cache"
    _, pdf1 = _build(tmp_path / "a", cache)
    for entry in cache.glob("*.json"):
        entry.write_text('{"width": 1, "shapes": [', encoding="utf-8")
    again, pdf2 = _build(tmp_path / "b", cache)
    assert again.startswith("0 ") and pdf2 == pdf1


# -- the key: whatever a chart is drawn from, a change draws it again --------------------------------
WIDTH = 480.0


def _shapes(drawing) -> str:
    return json.dumps([_encode(node) for node in drawing.contents], sort_keys=True)


@pytest.fixture
def counted(monkeypatch, tmp_path):
    """A fresh cache folder, and a count of the charts matplotlib really draws."""
    monkeypatch.setenv("REPORT_CACHE_DIR", str(tmp_path / "cache"))
    drawn = []
    real = charts.render_job
    monkeypatch.setattr(charts, "render_job", lambda *a: drawn.append("chart") or real(*a))
    return drawn


def _fresh(draw, monkeypatch):
    """The same chart drawn with the cache off: what a correct cache must give back."""
    with monkeypatch.context() as m:
        m.setenv("REPORT_CACHE_DIR", "off")
        return _shapes(draw())


def _sample_charts():
    report, _ = parse_file(SAMPLE)
    found = [b.chart for _, b in report.blocks_with_paths() if isinstance(b, ChartBlock)]
    return report, next(c for c in found if isinstance(c, LineChart)), \
        next(c for c in found if isinstance(c, ProbabilityChart))


def _with_table_probabilities(report, table_id: str, values: list[float]):
    sections = []
    for section in report.sections:
        blocks = []
        for block in section.blocks:
            table = getattr(block, "table", None)
            if table is not None and getattr(table, "id", None) == table_id:
                col = table.columns.index(table.probability)
                rows = [[*row[:col], v, *row[col + 1:]] for row, v in zip(table.rows, values)]
                block = block.model_copy(update={"table": table.model_copy(update={"rows": rows})})
            blocks.append(block)
        sections.append(section.model_copy(update={"blocks": blocks}))
    return report.model_copy(update={"sections": sections})


def _line_variants(line, styles):
    series = line.series[0].model_copy(update={"values": [v + 3 for v in line.series[0].values]})
    return {
        "data": (line.model_copy(update={"series": [series, *line.series[1:]]}), styles, WIDTH),
        "title": (line.model_copy(update={"title": "Another title"}), styles, WIDTH),
        "brand colour": (line, styles_for(dataclasses.replace(styles.theme, colors={
            **styles.theme.colors, line.series[0].tone: "#000000"})), WIDTH),
        "width": (line, styles, WIDTH - 60),
    }


@pytest.mark.parametrize("change", ["data", "title", "brand colour", "width"])
def test_a_changed_line_chart_is_drawn_again(change, counted, monkeypatch):
    report, line, _ = _sample_charts()
    styles = styles_for(load_theme("meridian"))
    first = _shapes(charts.draw(line, report, styles, WIDTH))
    assert _shapes(charts.draw(line, report, styles, WIDTH)) == first and counted == ["chart"]
    chart, other_styles, width = _line_variants(line, styles)[change]
    again = _shapes(charts.draw(chart, report, other_styles, width))
    if change == "title":  # the title is the caption above the chart ("Figure N — …"), not in the drawing
        assert counted == ["chart"] and again == first
    else:
        assert counted == ["chart", "chart"], f"a changed {change} was served from the cache"
        assert again != first
    assert again == _fresh(lambda: charts.draw(chart, report, other_styles, width), monkeypatch)


@pytest.mark.parametrize("change", ["probabilities", "tones"])
def test_a_probability_chart_follows_its_table(change, counted, monkeypatch):
    """The chart draws a table's column, not its own spec: the table's data is part of the key."""
    report, _, bars = _sample_charts()
    styles = styles_for(load_theme("meridian"))
    first = _shapes(charts.draw(bars, report, styles, WIDTH))
    if change == "probabilities":
        edited = _with_table_probabilities(report, bars.table, [35, 40, 25])
    else:
        table = report.table(bars.table)
        tones = {**table.tones, table.labels()[0]: "neutral"}
        edited = _with_table_tones(report, bars.table, tones)
    again = _shapes(charts.draw(bars, edited, styles, WIDTH))
    assert counted == ["chart", "chart"]
    assert again != first and again == _fresh(lambda: charts.draw(bars, edited, styles, WIDTH), monkeypatch)


def _with_table_tones(report, table_id, tones):
    sections = []
    for section in report.sections:
        blocks = [b.model_copy(update={"table": b.table.model_copy(update={"tones": tones})})
                  if getattr(getattr(b, "table", None), "id", None) == table_id else b for b in section.blocks]
        sections.append(section.model_copy(update={"blocks": blocks}))
    return report.model_copy(update={"sections": sections})


def _history(bear: float) -> History:
    points = (Point(dt.date(2026, 3, 31), "c0", (("Bear", 30.0), ("Base", 70.0))),
              Point(dt.date(2026, 4, 30), "c1", (("Bear", bear), ("Base", 100 - bear))))
    return History("Scenarios", ("Bear", "Base"), (("Bear", "bear"), ("Base", "base")), points,
                   (("Bear", f"{bear:g}%"), ("Base", f"{100 - bear:g}%")))


@pytest.mark.parametrize("change", ["data", "brand colour", "width"])
def test_a_changed_history_chart_is_drawn_again(change, counted, monkeypatch):
    styles = styles_for(load_theme("meridian"))
    first = _shapes(charts.draw_history(_history(35), styles, WIDTH))
    history, other, width = {
        "data": (_history(36), styles, WIDTH),
        "brand colour": (_history(35), styles_for(dataclasses.replace(styles.theme, colors={
            **styles.theme.colors, "bear": "#000000"})), WIDTH),
        "width": (_history(35), styles, WIDTH - 60)}[change]
    again = _shapes(charts.draw_history(history, other, width))
    assert counted == ["chart", "chart"]
    assert again != first and again == _fresh(lambda: charts.draw_history(history, other, width), monkeypatch)


def test_an_edited_series_rebuilds_the_pdf_it_would_without_a_cache(tmp_path, monkeypatch):
    """The symptom users would see: edit a series, rebuild with the cache on, get the old chart."""

    monkeypatch.setenv("REPORT_CACHE_DIR", str(tmp_path / "cache"))
    source = tmp_path / "rut.yaml"
    source.write_text(SAMPLE.read_text(encoding="utf-8"), encoding="utf-8")
    assert main(["build", str(source), "-o", str(tmp_path / "before")]) == 0
    source.write_text(SAMPLE.read_text(encoding="utf-8").replace(
        "values: [100, 97, 95, 93, 90, 91, 88, 86, 87, 84, 83, 82, 81]",
        "values: [100, 97, 95, 93, 90, 91, 88, 86, 87, 84, 83, 82, 79]"), encoding="utf-8")
    assert main(["build", str(source), "-o", str(tmp_path / "cached")]) == 0
    monkeypatch.setenv("REPORT_CACHE_DIR", "off")
    assert main(["build", str(source), "-o", str(tmp_path / "fresh")]) == 0
    cached, fresh = ((tmp_path / d / "rut.pdf").read_bytes() for d in ("cached", "fresh"))
    assert cached == fresh and cached != (tmp_path / "before" / "rut.pdf").read_bytes()


# -- a damaged cache never changes the PDF's bytes or the exit code -------------------------------------

def _seal(data) -> bytes:
    body = json.dumps(data, separators=(",", ":")).encode() if not isinstance(data, bytes) else data
    return hashlib.sha256(body).hexdigest().encode() + b"\n" + body


def _entry(path: Path) -> dict:
    return json.loads(path.read_bytes().partition(b"\n")[2])


def _text_shape(entry: dict) -> dict:
    return next(s for s in entry["shapes"] if s["t"] == "text")


def _path_shape(entry: dict) -> dict:
    return next(s for s in entry["shapes"] if s["t"] == "path" and len(s["ops"]) > 2)


def _edited(change):
    def damage(path: Path) -> None:
        entry = _entry(path)
        change(entry)
        path.write_bytes(_seal(entry))
    return damage


def _replace(path: Path, make) -> None:
    path.unlink()
    make(path)


DAMAGE = {
    "truncated": lambda p: p.write_bytes(p.read_bytes()[: len(p.read_bytes()) // 2]),
    "empty": lambda p: p.write_bytes(b""),
    "random bytes": lambda p: p.write_bytes(bytes(range(256)) * 40),
    "one flipped byte": lambda p: p.write_bytes(p.read_bytes()[:500] + b"#" + p.read_bytes()[501:]),
    "over the size cap": lambda p: p.write_bytes(p.read_bytes() + b" " * 4_000_001),
    "deeply nested JSON": lambda p: p.write_bytes(_seal(b"[" * 100_000 + b"]" * 100_000)),
    "NaN width": lambda p: p.write_bytes(_seal(p.read_bytes().partition(b"\n")[2].replace(
        b'"width":', b'"width":NaN,"x":', 1))),
    "wrong value types": _edited(lambda e: _path_shape(e).update(points="0,0", width=True)),
    "an unknown font": _edited(lambda e: _text_shape(e).update(font="Helvetica")),
    "a colour out of range": _edited(lambda e: _path_shape(e).update(stroke=[9, 0, 0])),
    "operators and points disagree": _edited(lambda e: _path_shape(e)["ops"].append(2)),
    "a zero dash": _edited(lambda e: _path_shape(e).update(dash=[0, [0, 0]])),
    "another chart's key": _edited(lambda e: e.update(key="0" * 64)),
    "an extra field": _edited(lambda e: e.update(extra=1)),
    "a folder": lambda p: _replace(p, lambda q: q.mkdir()),
    "a symlink to /dev/zero": lambda p: _replace(p, lambda q: q.symlink_to("/dev/zero")),
    "a FIFO": lambda p: _replace(p, lambda q: os.mkfifo(q)),
}


@pytest.fixture(scope="module")
def filled(tmp_path_factory) -> tuple[Path, bytes, dict[str, bytes]]:
    """A cache filled by one build of the sample, and that build's PDF."""
    folder = tmp_path_factory.mktemp("filled")
    _, pdf = _build(folder / "out", folder / "cache")
    return folder / "cache", pdf, {p.name: p.read_bytes() for p in (folder / "cache").glob("*.json")}


@pytest.mark.parametrize("damage", list(DAMAGE), ids=list(DAMAGE))
def test_a_damaged_entry_changes_nothing(damage, filled, tmp_path, monkeypatch, capsys):
    """Each kind of damage, in every entry: the same exit code, the same bytes, and (FIFO, folder or
    device aside) the entry replaced by a good one. Builds run in-process, except with a FIFO: that
    one runs in a subprocess under a generous timeout, so a hang fails instead of stalling the suite."""
    _, clean, entries = filled
    cache = tmp_path / "cache"
    cache.mkdir()
    for name, data in entries.items():
        (cache / name).write_bytes(data)
        DAMAGE[damage](cache / name)
    out = tmp_path / "out"
    if damage == "a FIFO":
        env = {**os.environ, "REPORT_CACHE_DIR": str(cache)}
        run = subprocess.run([sys.executable, "-m", "report", "build", str(SAMPLE), "-o", str(out)],
                             cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300)
        code, err = run.returncode, run.stderr
    else:
        monkeypatch.setenv("REPORT_CACHE_DIR", str(cache))
        code, err = main(["build", str(SAMPLE), "-o", str(out)]), capsys.readouterr().err
    assert code == 0 and "Traceback" not in err, err
    assert (out / (SAMPLE.stem + ".pdf")).read_bytes() == clean
    for name, data in entries.items():
        if damage not in ("a FIFO", "a folder", "a symlink to /dev/zero"):
            assert (cache / name).read_bytes() == data  # drawn again and stored again
    assert not list(cache.glob(".*.tmp")), "a temp file was left behind"


def test_the_cache_is_really_read(filled, tmp_path, monkeypatch):
    """The control of the damage cases: a sound entry that differs is used (so the cases above test
    the checks, not a cache that is never read). It is the attacker's case the checks do not cover:
    whoever can write the cache can write the inputs too."""
    from report.charts.cache import _read

    folder, _, entries = filled
    name = next(iter(entries))
    path = tmp_path / name
    entry = json.loads(entries[name].partition(b"\n")[2])
    _path_shape(entry)["width"] = 7.5
    path.write_bytes(_seal(entry))
    fonts = frozenset(s["font"] for s in entry["shapes"] if s["t"] == "text") | {entry["font"]}
    drawing = _read(path, name.removesuffix(".json"), fonts)
    assert drawing is not None and 7.5 in [getattr(s, "strokeWidth", None) for s in drawing.contents]
    assert _read(path, name.removesuffix(".json"), frozenset({"Other"})) is None  # fonts: the brand's only
