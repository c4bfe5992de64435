"""Chart data from CSV files: a chart's `data: charts/capex.csv` -> the same fields its YAML could
hold (x labels or categories, and each series' values), filled in before the model validates them.

The file is read through a `Source` (the input's folder on disk, or the input's git revision), which
confines it: relative to the input's folder and inside it, symlinks resolved before the check,
regular files only, size-capped, UTF-8. Every cell keeps its file:line:column in the source map, so
a mistake in it is reported there, with the field it feeds ("charts/capex.csv:4:9: error:
sections[2].blocks[1].chart.series[2].values[3]: expected a number"), and numbers obey the model's
number rule like any number written in YAML. Text cells stay text as written.
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass, field
from pathlib import Path

from report.errors import Diagnostic, format_path
from report.input.files import Refused, confined, inside
from report.input.load import SourceMap, YamlFloat, printable

MAX_CSV_BYTES = 1_000_000
MAX_CSV_ROWS = 500  # as many as a chart has points (report.input.types.MAX_CHART_POINTS)
_NUMBER = re.compile(r"[-+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?")
_SPECIAL = {"nan": float("nan"), "+nan": float("nan"), "-nan": float("nan"), "inf": float("inf"),
            "+inf": float("inf"), "infinity": float("inf"), "-inf": float("-inf"), "-infinity": float("-inf")}


class Source:
    """Where a report's data files are read from."""

    def read(self, relative: str) -> tuple[str, bytes]:  # pragma: no cover - an interface
        """(the file's name as messages print it, its bytes); raises Refused."""
        raise NotImplementedError


@dataclass(frozen=True)
class Folder(Source):
    """Data files in the input's folder on disk (`shown` is that folder as the user named it)."""

    folder: Path
    shown: str = ""

    def read(self, relative: str) -> tuple[str, bytes]:
        name = posixpath.join(self.shown, relative) if self.shown else relative
        real = confined(self.folder, relative, MAX_CSV_BYTES, "data file", name)
        try:
            with open(real, "rb") as file:
                raw = file.read(MAX_CSV_BYTES + 1)
        except OSError as exc:
            raise Refused(f"data file '{relative}' cannot be read: {exc.strerror}") from None
        if len(raw) > MAX_CSV_BYTES:  # it grew while being read
            raise Refused(f"data file '{relative}' is over the {MAX_CSV_BYTES:,}-byte limit")
        return name, raw


# -- reading a CSV file, every cell with its place -------------------------------------------------
@dataclass(frozen=True)
class Cell:
    text: str
    line: int
    column: int


@dataclass
class Grid:
    name: str
    header: list[Cell]
    rows: list[list[Cell]] = field(default_factory=list)


class _Bad(Exception):
    """A mistake in a data file at line:column (or, with `path`, on the YAML side at that field)."""

    def __init__(self, line: int, column: int, message: str, hint: str = "", path: tuple = ()):
        super().__init__(message)
        self.line, self.column, self.message, self.hint, self.path = line, column, message, hint, path
        self.file = ""


def _split(text: str) -> list[list[Cell]]:
    """RFC 4180 records (`,` or, for a header without commas, `;`), each cell with its line:column."""
    first = text.split("\n", 1)[0]
    sep = ";" if ";" in first and "," not in first else ","
    rows: list[list[Cell]] = []
    row: list[Cell] = []
    i, line, col, n = 0, 1, 1, len(text)
    while i <= n:
        start_line, start_col = line, col
        if i < n and text[i] == '"':  # a quoted cell: "" is a quote, newlines allowed
            i, col = i + 1, col + 1
            chars = []
            while True:
                if i >= n:
                    raise _Bad(start_line, start_col, "a quoted cell is not closed",
                               "end it with a \" before the next separator")
                c = text[i]
                if c == '"' and i + 1 < n and text[i + 1] == '"':
                    chars.append('"')
                    i, col = i + 2, col + 2
                elif c == '"':
                    i, col = i + 1, col + 1
                    break
                else:
                    chars.append(c)
                    i += 1
                    line, col = (line + 1, 1) if c == "\n" else (line, col + 1)
            if i < n and text[i] not in (sep, "\n", "\r"):
                raise _Bad(line, col, "text after a quoted cell's closing quote",
                           "put the whole cell inside the quotes")
            value = "".join(chars)
        else:
            j = i
            while j < n and text[j] not in (sep, "\n", "\r"):
                j += 1
            value = text[i:j]
            if '"' in value:
                raise _Bad(line, col + value.index('"'), "a quote inside an unquoted cell",
                           "quote the whole cell and double the quote: \"say \"\"this\"\"\"")
            col += j - i
            i = j
        row.append(Cell(value, start_line, start_col))
        if i < n and text[i] == sep:
            i, col = i + 1, col + 1
            continue
        if i < n and text[i] == "\r":
            i += 1
        rows.append(row)
        row = []
        if i >= n:
            break
        i, line, col = i + 1, line + 1, 1
    return [r for r in rows if any(c.text.strip() for c in r)]  # blank lines are no rows


def read_grid(name: str, raw: bytes) -> Grid:
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        col = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        raise _Bad(line, col, "file is not valid UTF-8 text", "export it from the spreadsheet as "
                   "CSV UTF-8") from None
    bad = next((k for k, c in enumerate(text) if c not in "\n\r\t" and (ord(c) < 32 or ord(c) == 127)), None)
    if bad is not None:
        line = text.count("\n", 0, bad) + 1
        raise _Bad(line, bad - (text.rfind("\n", 0, bad) + 1) + 1,
                   f"the control character U+{ord(text[bad]):04X} is not allowed in a data file",
                   "delete it; it cannot be printed")
    rows = _split(text)
    if not rows:
        raise _Bad(0, 0, "file is empty", "the first row names the columns, e.g. Year,Capex,EPS")
    header, body = rows[0], rows[1:]
    for k, cell in enumerate(header[1:], start=1):
        if not cell.text.strip():
            raise _Bad(cell.line, cell.column, f"column {k + 1} has no name in the header row",
                       "each series' column is named in the first row")
        twice = next((c for c in header[1:k] if c.text.strip() == cell.text.strip()), None)
        if twice is not None:
            raise _Bad(cell.line, cell.column, f"column '{cell.text.strip()}' is named twice "
                       f"(first in column {header.index(twice) + 1})", "give each column its own name")
    if len(body) > MAX_CSV_ROWS:
        extra = body[MAX_CSV_ROWS][0]
        raise _Bad(extra.line, 1, f"over {MAX_CSV_ROWS} rows of data, the most a chart shows",
                   "keep the rows the chart draws")
    for row in body:
        if len(row) != len(header):
            where = row[min(len(row), len(header)) - 1]
            raise _Bad(where.line, where.column, f"this row has {len(row)} cells but the header has "
                       f"{len(header)}", "every row has one cell per column; an empty cell is written ,,")
    return Grid(name, header, body)


def number(text: str):
    """A cell as a number when it is written as one (kept as written), else the text itself."""
    written = text.strip().replace("\u2212", "-")
    if _NUMBER.fullmatch(written):
        value = YamlFloat(float(written))
    elif written.lower() in _SPECIAL:
        value = YamlFloat(_SPECIAL[written.lower()])
    else:
        return None if not written else text
    value.source = text.strip()
    return value


# -- filling a chart's fields ----------------------------------------------------------------------
@dataclass
class _Fill:
    chart: dict
    path: tuple  # of the chart in the document
    grid: Grid
    smap: SourceMap

    def put(self, key: tuple, value, cell: Cell):
        """`value`, recorded as written at `cell` for the field `key` of the chart."""
        self.smap.values[self.path + key] = (cell.line, cell.column)
        self.smap.files[self.path + key] = self.grid.name
        return value

    def column(self, name: str) -> int | None:
        names = [c.text.strip() for c in self.grid.header]
        return names.index(name) if name in names[1:] else None

    def series(self, key: str, k: int, col: int, entry: dict) -> dict:
        values = [self.put((key, k, "values", r), number(row[col].text), row[col])
                  for r, row in enumerate(self.grid.rows)]
        self.put((key, k, "values"), None, self.grid.header[col])
        return {**entry, "values": values}


def _conflict(chart: dict, path: tuple, key: str, relative: str) -> _Bad:
    return _Bad(0, 0, f"given here and by the data file '{relative}'", f"remove '{key}:' or 'data:'",
                path + (key,))


def _fill_series(fill: _Fill, kinds: tuple[str, ...], relative: str) -> None:
    chart, named = fill.chart, set()
    for key in kinds:
        entries = chart.get(key)
        if not isinstance(entries, list):
            continue
        for k, entry in enumerate(entries):
            if not isinstance(entry, dict) or not isinstance(entry.get("name"), (str, int, float)):
                continue  # the model says what is wrong with it
            if "values" in entry:
                raise _conflict(chart, fill.path + (key, k), "values", relative)
            name = str(getattr(entry["name"], "source", entry["name"]))
            col = fill.column(name)
            if col is None:
                columns = ", ".join(c.text.strip() for c in fill.grid.header[1:]) or "none"
                raise _Bad(0, 0, f"the data file '{relative}' has no column '{name}'",
                           f"its columns are: {columns}", fill.path + (key, k, "name"))
            named.add(col)
            entries[k] = fill.series(key, k, col, entry)
    first = kinds[0]
    if first not in chart:  # every column not named elsewhere, in order
        cols = [c for c in range(1, len(fill.grid.header)) if c not in named]
        chart[first] = [fill.series(first, k, col, {"name": fill.grid.header[col].text.strip()})
                        for k, col in enumerate(cols)]
        fill.put((first,), None, fill.grid.header[0])


def _fill_axis(fill: _Fill, key: str) -> None:
    fill.chart[key] = [fill.put((key, r), row[0].text.strip(), row[0]) for r, row in enumerate(fill.grid.rows)]
    fill.put((key,), None, fill.grid.header[0])


def _fill_points(fill: _Fill) -> None:
    header = fill.grid.header
    if len(header) not in (3, 4):
        raise _Bad(header[0].line, header[0].column, f"a scatter chart's data file has 3 or 4 columns "
                   f"(label, x, y and optionally group), this one {len(header)}")
    points = []
    for r, row in enumerate(fill.grid.rows):
        point = {"label": fill.put(("points", r, "label"), row[0].text.strip(), row[0]),
                 "x": fill.put(("points", r, "x"), number(row[1].text), row[1]),
                 "y": fill.put(("points", r, "y"), number(row[2].text), row[2])}
        if len(header) == 4 and row[3].text.strip():
            point["group"] = fill.put(("points", r, "group"), row[3].text.strip(), row[3])
        fill.put(("points", r), None, row[0])
        points.append(point)
    fill.chart["points"] = points
    fill.put(("points",), None, header[0])


def _kinds() -> dict[str, tuple[str, tuple[str, ...]]]:
    from report.input.chartspec import DATA_KINDS

    return {cls.model_fields["kind"].annotation.__args__[0]: cls.csv for cls in DATA_KINDS}


def charts_with_data(data) -> list[tuple[tuple, dict]]:
    """(path, chart mapping) of each chart in a loaded document that names a data file."""
    out = []
    sections = data.get("sections") if isinstance(data, dict) else None
    for s, section in enumerate(sections if isinstance(sections, list) else []):
        blocks = section.get("blocks") if isinstance(section, dict) else None
        for b, block in enumerate(blocks if isinstance(blocks, list) else []):
            chart = block.get("chart") if isinstance(block, dict) else None
            if isinstance(chart, dict) and isinstance(chart.get("data"), str):
                out.append((("sections", s, "blocks", b, "chart"), chart))
    return out


def data_files(data) -> list[str]:
    """The data files a loaded document names (relative to its folder, those that stay inside it)."""
    return [p for _, chart in charts_with_data(data) if (p := inside(chart["data"])) is not None]


def attach(data, smap: SourceMap, source: Source) -> tuple[list[Diagnostic], list[tuple]]:
    """Fill each chart that names a data file with the file's numbers, in place. Returns the
    mistakes found and the paths of the charts left unfilled because of them."""
    problems: list[Diagnostic] = []
    failed: list[tuple] = []
    layouts = _kinds()
    for path, chart in charts_with_data(data):
        layout = layouts.get(chart.get("kind"))
        if layout is None:
            continue  # a kind without data files: the model refuses `data:`
        relative = chart["data"]
        try:
            _attach_one(chart, path, relative, layout, smap, source)
        except Refused as exc:
            failed.append(path)
            if not exc.message:
                continue
            line, col = smap.locate(path + ("data",))
            problems.append(Diagnostic(smap.file, line, col, printable(exc.message),
                                       format_path(path + ("data",)), printable(exc.hint)))
        except _Bad as exc:
            if exc.path:  # a mistake on the YAML side, e.g. a column it names
                line, col = smap.locate(exc.path)
                problems.append(Diagnostic(smap.file, line, col, printable(exc.message),
                                           format_path(exc.path), printable(exc.hint)))
            else:
                problems.append(Diagnostic(exc.file, exc.line, exc.column, printable(exc.message),
                                           format_path(path + ("data",)), printable(exc.hint)))
            failed.append(path)
    return problems, failed


def _attach_one(chart: dict, path: tuple, relative: str, layout, smap: SourceMap, source: Source) -> None:
    from report.input.chartspec import DATA_PATTERN

    axis, series = layout
    if not re.fullmatch(DATA_PATTERN, relative):
        raise Refused("")  # not a path to a CSV file: the model says so
    clean = inside(relative)
    if clean is None:
        raise Refused(f"'{relative}' leads outside the input's folder",
                      "keep chart data in the input's folder or below it")
    for key in (axis,):
        if key in chart:
            raise _conflict(chart, path, key, relative)
    name, raw = source.read(clean)
    try:
        fill = _Fill(chart, path, read_grid(name, raw), smap)
        if axis == "points":
            _fill_points(fill)
        else:
            _fill_series(fill, series, relative)
            _fill_axis(fill, axis)
    except _Bad as exc:
        exc.file = name
        raise
