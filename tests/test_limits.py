"""Every documented limit at its boundary: accepted at the limit, refused one past it, with the message.

The README's "Size caps" table, the probability tolerance (a column sums to 100 ± 0.5), the chart
value cap (±1e15) and the SVG logo's declared size. Each case is checked through `report validate`
(exit code and the exact diagnostic), starting from tests/data/minimal.yaml.
"""

from __future__ import annotations

import copy
import re
import shutil
from pathlib import Path

import pytest
import yaml

from report.cli import main
from report.input.load import MAX_DEPTH, MAX_FILE_BYTES, load_text
from report.errors import ReportError

DATA = Path(__file__).resolve().parent / "data"
MINIMAL = DATA / "minimal.yaml"
BASE = yaml.safe_load(MINIMAL.read_text(encoding="utf-8"))
MERIDIAN = Path(__file__).resolve().parent.parent / "assets" / "brands" / "meridian"


def validate(tmp_path: Path, data: dict, capsys, name: str = "limit.yaml") -> tuple[int, str, Path]:
    source = tmp_path / name
    source.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=10**9), encoding="utf-8")
    code = main(["validate", str(source)])
    return code, capsys.readouterr().err, source


def _line_of(source: Path, text: str) -> int:
    """The line after the first holding `text` (a block list starts on the line after its key)."""
    lines = source.read_text(encoding="utf-8").splitlines()
    return next(i for i, line in enumerate(lines, start=1) if text in line) + 1


def _text(n: int) -> str:
    return ("word " * (n // 5 + 1))[:n - 1] + "."


def _table(data: dict) -> dict:
    return data["sections"][0]["blocks"][1]["table"]


def _chart_block(series: int = 1, points: int = 2) -> dict:
    return {"chart": {"kind": "lines", "title": "Paths", "source": "Example", "x": [f"t{i}" for i in range(points)],
                      "series": [{"name": f"S{s}", "values": [float(i) for i in range(points)]}
                                 for s in range(series)]}}


def _set(data: dict, what: str, n: int) -> None:
    """Put `n` of `what` into the report (n characters, items, rows, ...)."""
    section = data["sections"][0]
    if what == "paragraph":
        section["blocks"].insert(0, _text(n))
    elif what == "callout":
        section["blocks"].insert(0, {"callout": _text(n)})
    elif what == "cell":
        _table(data)["rows"][0][0] = _text(n)
        _table(data)["tones"] = {}
    elif what == "answer":
        section["blocks"].append({"faq": [{"question": "Why?", "answer": _text(n)}]})
    elif what == "title":
        data["title"] = _text(n)
    elif what == "label":
        data["key_stats"][0]["label"] = _text(n)
    elif what == "heading":
        section["heading"] = _text(n)
    elif what == "column name":
        table = _table(data)
        table["columns"][0] = _text(n)
    elif what == "columns":
        table = {"title": "Wide", "columns": [f"c{i}" for i in range(n)], "rows": [[f"v{i}" for i in range(n)]]}
        section["blocks"].append({"table": table})
    elif what == "rows":
        section["blocks"].append({"table": {"title": "Long", "columns": ["a"], "rows": [[f"r{i}"] for i in range(n)]}})
    elif what == "series":
        section["blocks"].append(_chart_block(series=n))
    elif what == "points":
        section["blocks"].append(_chart_block(points=n))
    elif what == "sections":
        data["sections"] += [{"heading": f"S{i}", "blocks": ["Text."]} for i in range(n - 1)]
    elif what == "blocks":
        section["blocks"] += ["Text."] * (n - len(section["blocks"]))
    elif what == "key stats":
        data["key_stats"] = [{"label": f"L{i}", "value": "1%"} for i in range(n)]
    elif what == "references":
        data["references"] = [{"title": f"R{i}"} for i in range(n)]
    elif what == "keywords":
        data["keywords"] = [f"k{i}" for i in range(n)]
    elif what == "numbered items":
        section["blocks"].append({"numbered": [{"title": f"T{i}", "text": "Text."} for i in range(n)]})
    elif what == "questions":
        section["blocks"].append({"faq": [{"question": f"Q{i}?", "answer": "A."} for i in range(n)]})
    elif what == "link":
        data["references"][0]["url"] = "https://example.com/" + "a" * (n - len("https://example.com/"))
    else:  # pragma: no cover
        raise KeyError(what)


# (what, limit, the path and message of the error one past it; positions in a path count from 1, as
# the README says: sections[1].blocks[1] is the first block of the first section)
CAPS = [
    ("paragraph", 5000, "sections[1].blocks[1]: text is 5,001 characters, over the 5,000-character limit"),
    ("callout", 5000, "sections[1].blocks[1].callout: text is 5,001 characters, over the 5,000-character limit"),
    ("cell", 5000, "sections[1].blocks[2].table.rows[1][1]: cell is over 5000 characters"),
    ("answer", 5000, "sections[1].blocks[4].faq[1].answer: text is 5,001 characters, over the 5,000-character limit"),
    ("title", 200, "title: text is 201 characters, over the 200-character limit"),
    ("label", 200, "key_stats[1].label: text is 201 characters, over the 200-character limit"),
    ("heading", 200, "sections[1].heading: text is 201 characters, over the 200-character limit"),
    ("column name", 200, "sections[1].blocks[2].table.columns[1]: text is 201 characters, over the 200-character limit"),
    ("columns", 8, "sections[1].blocks[4].table.columns: has 9 items, over the limit of 8"),
    ("rows", 200, "sections[1].blocks[4].table.rows: has 201 items, over the limit of 200"),
    ("series", 8, "sections[1].blocks[4].chart.series: has 9 items, over the limit of 8"),
    ("points", 500, "sections[1].blocks[4].chart.x: has 501 items, over the limit of 500"),
    ("sections", 60, "sections: has 61 items, over the limit of 60"),
    ("blocks", 200, "sections[1].blocks: has 201 items, over the limit of 200"),
    ("key stats", 6, "key_stats: has 7 items, over the limit of 6"),
    ("references", 100, "references: has 101 items, over the limit of 100"),
    ("keywords", 30, "keywords: has 31 items, over the limit of 30"),
    ("numbered items", 50, "sections[1].blocks[4].numbered: has 51 items, over the limit of 50"),
    ("questions", 100, "sections[1].blocks[4].faq: has 101 items, over the limit of 100"),
    ("link", 2000, "references[1].url: text is 2,001 characters, over the 2,000-character limit"),
]


@pytest.mark.parametrize(("what", "limit", "message"), CAPS, ids=[c[0] for c in CAPS])
def test_size_cap_at_the_limit_and_one_over(what, limit, message, tmp_path, capsys):
    at = copy.deepcopy(BASE)
    _set(at, what, limit)
    code, err, _ = validate(tmp_path, at, capsys)
    assert (code, err) == (0, ""), err
    over = copy.deepcopy(BASE)
    _set(over, what, limit + 1)
    code, err, source = validate(tmp_path, over, capsys)
    assert code == 1
    errors = [line for line in err.splitlines() if ": error: " in line]
    assert re.fullmatch(rf"{re.escape(str(source))}:\d+:\d+: error: {re.escape(message)}", errors[0]), err
    # one message per mistake: 501 points are two (the x axis and the series)
    assert len(errors) == (2 if what == "points" else 1), err


def test_readme_documents_these_caps():
    """The table the caps above come from: a cap changed in code but not in the README fails here."""
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    for row in ("| Input file | 1,000,000 bytes", "| Nesting depth of the YAML | 32 levels",
                "| One paragraph, callout, cell or answer | 5,000 characters |",
                "| A title, label, heading, column name or other short text | 200 characters |",
                "| Table | 8 columns, 200 rows |", "| Chart | 8 series, 500 points |",
                "| Sections / blocks per section | 60 / 200 |", "| Key-stat tiles / references / keywords | 6 / 100 / 30 |",
                "| Numbered list items / FAQ questions | 50 / 100 |", "| Link | 2,000 characters |",
                "| Brand font file / logo | 8,000,000 / 500,000 bytes |"):
        assert row in readme, row
    assert "every probability column sums to 100 (±0.5)" in readme


# -- probabilities: each cell 0–100, the column 100 ± 0.5 -----------------------------------------------
def _odds(bear: float, bull: float) -> dict:
    data = copy.deepcopy(BASE)
    _table(data)["rows"] = [["Bear", bear], ["Bull", bull]]
    return data


@pytest.mark.parametrize(("bear", "bull"), [(39.5, 60), (40.5, 60), (40, 59.5), (0, 100), (100, 0),
                                            (33.3, 66.7), (40.25, 59.25)])
def test_probabilities_within_the_tolerance_are_accepted(bear, bull, tmp_path, capsys):
    code, err, _ = validate(tmp_path, _odds(bear, bull), capsys)
    assert (code, err) == (0, "")


@pytest.mark.parametrize(("bear", "bull", "total"), [(39.4, 60, "99.4"), (40.6, 60, "100.6"), (35, 60, "95"),
                                                     (45, 60, "105"), (39.49, 60, "99.49")])
def test_probabilities_past_the_tolerance_are_refused(bear, bull, total, tmp_path, capsys):
    code, err, source = validate(tmp_path, _odds(bear, bull), capsys)
    assert code == 1
    line = _line_of(source, "rows:")
    assert err == (f"{source}:{line}:7: error: sections[1].blocks[2].table.rows: Odds: probabilities sum to "
                   f"{total}, expected 100\n  hint: the rows are Bear {bear:g}, Bull {bull:g}\n")


@pytest.mark.parametrize(("value", "message"), [(-0.5, "probability -0.5 is not between 0 and 100"),
                                                (100.5, "probability 100.5 is not between 0 and 100")])
def test_a_probability_outside_0_to_100_is_refused(value, message, tmp_path, capsys):
    data = copy.deepcopy(BASE)
    _table(data)["rows"] = [["Only", value]]
    code, err, source = validate(tmp_path, data, capsys)
    assert code == 1 and re.fullmatch(rf"{re.escape(str(source))}:\d+:\d+: error: "
                                      rf"sections\[1\]\.blocks\[2\]\.table\.rows\[1\]\[2\]: {re.escape(message)}",
                                      err.splitlines()[0]), err


# -- chart values ------------------------------------------------------------------------------------
@pytest.mark.parametrize("value", [1e15, -1e15])
def test_chart_values_at_the_cap_are_accepted(value, tmp_path, capsys):
    data = copy.deepcopy(BASE)
    data["sections"][0]["blocks"].append(_chart_block())
    data["sections"][0]["blocks"][-1]["chart"]["series"][0]["values"] = [0, value]
    assert validate(tmp_path, data, capsys)[:2] == (0, "")


@pytest.mark.parametrize("value", [1e15 + 1, -1e15 - 1])
def test_chart_values_past_the_cap_are_refused(value, tmp_path, capsys):
    data = copy.deepcopy(BASE)
    data["sections"][0]["blocks"].append(_chart_block())
    data["sections"][0]["blocks"][-1]["chart"]["series"][0]["values"] = [0, int(value)]
    code, err, source = validate(tmp_path, data, capsys)
    assert code == 1
    assert f"error: sections[1].blocks[4].chart.series[1].values[2]: {int(value)} is too large for a chart " \
           "(the limit is ±1e+15)\n  hint: change the unit, e.g. billions instead of units\n" in err, err


# -- the loader: file size and nesting ---------------------------------------------------------------
def test_input_file_at_the_size_cap_loads_and_one_byte_more_is_refused(tmp_path, capsys):
    text = MINIMAL.read_text(encoding="utf-8")
    at = text + "#" * (MAX_FILE_BYTES - len(text.encode()) - 1) + "\n"
    assert len(at.encode()) == MAX_FILE_BYTES == 1_000_000
    source = tmp_path / "big.yaml"
    source.write_text(at, encoding="utf-8")
    assert main(["validate", str(source)]) == 0
    capsys.readouterr()
    source.write_text(at + "\n", encoding="utf-8")
    assert main(["validate", str(source)]) == 1
    assert capsys.readouterr().err == f"{source}: error: file is 1,000,001 bytes, over the " \
                                      "1,000,000-byte limit\n"


def test_nesting_at_the_depth_cap_loads_and_one_deeper_is_refused():
    """Every node counts, the top mapping and the innermost value included."""
    assert MAX_DEPTH == 32
    lists = MAX_DEPTH - 2  # the top mapping, then the lists, then a scalar: 32 nodes deep
    data, _ = load_text("t.yaml", "v: " + "[" * lists + "x" + "]" * lists + "\n")
    assert data["v"] is not None
    with pytest.raises(ReportError) as refused:
        load_text("t.yaml", "v: " + "[" * (lists + 1) + "x" + "]" * (lists + 1) + "\n")
    assert str(refused.value) == f"t.yaml:1:{lists + 5}: error: nesting deeper than 32 levels"


# -- the brand's files -------------------------------------------------------------------------------
@pytest.fixture
def brand(tmp_path) -> Path:
    folder = tmp_path / "brand"
    shutil.copytree(MERIDIAN, folder)
    return folder


def _pad(path: Path, size: int, filler: bytes) -> None:
    data = path.read_bytes()
    path.write_bytes(data + filler * ((size - len(data)) // len(filler)) + filler[:(size - len(data)) % len(filler)])
    assert path.stat().st_size == size


def _brand_check(brand: Path, capsys) -> tuple[int, str]:
    code = main(["validate", str(MINIMAL), "--brand", str(brand)])
    return code, capsys.readouterr().err


def test_a_font_file_at_the_size_cap_is_accepted_and_one_byte_more_refused(brand, capsys):
    font = brand / "fonts" / "Lato-Bold.ttf"
    _pad(font, 8_000_000, b"\0")  # after the last table: still a whole TrueType file
    assert _brand_check(brand, capsys) == (0, "")
    _pad(font, 8_000_001, b"\0")
    code, err = _brand_check(brand, capsys)
    assert code == 3
    assert err.splitlines()[0].endswith("error: typography.fonts[1].files[2].path: 'fonts/Lato-Bold.ttf' is "
                                        "8,000,001 bytes, over the 8,000,000-byte limit"), err


def test_a_logo_at_the_size_cap_is_accepted_and_one_byte_more_refused(brand, capsys):
    logo = brand / "logo.svg"
    _pad(logo, 500_000, b" ")
    assert _brand_check(brand, capsys) == (0, "")
    _pad(logo, 500_001, b" ")
    code, err = _brand_check(brand, capsys)
    assert code == 3
    assert err.splitlines()[0].endswith("error: logo.images.mark: 'logo.svg' is 500,001 bytes, over the "
                                        "500,000-byte limit"), err


@pytest.mark.parametrize(("width", "ok"), [("100000", True), ("100001", False)])
def test_a_logo_declaring_the_largest_size_is_accepted_and_one_unit_more_refused(brand, capsys, width, ok):
    (brand / "logo.svg").write_text(f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="40" '
                                    'viewBox="0 0 40 40"><rect width="40" height="40"/></svg>')
    code, err = _brand_check(brand, capsys)
    assert (code, err) == (0, "") if ok else (code == 3 and "declares a size over 100,000 units" in err), err
