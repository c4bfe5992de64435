"""A built PDF read back against its input: what a reader sees, checked word for word and number for number.

`problems(pdf, report, theme, history=())` returns what is wrong (an empty list when the PDF is
faithful), for any article:

- every string, number and date of the input that belongs on the page is printed, in the input's
  order, formatted as the brand formats it (dates in the brand's date style, probabilities as
  `30%`, key-stat values exactly as written); parts of one block (a tile's label, value, source and
  date; a table's cells; a lead-in and its text) follow each other with nothing of substance in
  between, so a value printed elsewhere on the page never stands in for a missing one;
- each chart's labels are looked for inside that chart's own box (between its title and the caption
  or source under it), on the line a reader would read them: a bar's value beside its row label, a
  history line's name with its latest value; and the drawn shapes sit where the numbers say, read
  against the chart's own axis labels (a line's points, a bar's length);
- with `history` (the input's committed versions, oldest first, as models), the change box prints
  each moved number as old then new, and the probability history chart ends at this update.

The expectations come from the model and the brand only, never from the layout or chart code, so a
wrong number in the code cannot also be the expected one. Text is read with pdfplumber (characters
with their positions, in content-stream order); the page furniture (masthead, running header,
footer) is whatever lies outside the page template's frame.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Sequence
from decimal import Decimal
from dataclasses import dataclass, field
from pathlib import Path

import pdfplumber

from report.brand.theme import Theme
from report.input.chartspec import BandChart, BarChart, ComboChart, ScatterChart
from report.input.model import (
    FOOTNOTE_CALL,
    CalloutBlock,
    ChartBlock,
    FaqBlock,
    Image,
    ImageBlock,
    LineChart,
    ListBlock,
    ParagraphBlock,
    ProbabilityChart,
    Report,
    SubheadingBlock,
    Table,
    TableBlock,
    TextBlock,
)
from report.numbers import format_number
from report.versions.compare import tables as _tables  # tables by id, or by title: as versions match them

# The words around a chart that DESIGN.md fixes: they anchor the chart's box, so a short title or
# source ("0") is never found among the chart's own labels.
FIGURE = "Figure {n} — {title}"
HISTORY_TITLE = "{table}: probabilities at each update"
HISTORY_SOURCE = "Source: this report's earlier updates, one point per as-of date"
DISCLAIMER = "Disclaimer: "  # the disclaimer's lead, in bold
SOURCE = "Source: "  # the line under every table and chart that names a source
NEAR = 3  # characters (white space aside) allowed between two parts of one block: ", ", "→", "to"
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
          "October", "November", "December"]
POINT_TOLERANCE = 0.75  # points: a drawn shape's distance from where its number puts it
MAX_PROBLEMS = 12  # after this many, the rest are only counted


# -- how the brand prints numbers and dates (the house style, written out independently) ------------
def long_date(theme: Theme, day: dt.date) -> str:
    month = MONTHS[day.month - 1]
    return f"{day.day} {month} {day.year}" if theme.date_style == "day-month-year" else \
        f"{month} {day.day}, {day.year}"


def short_date(theme: Theme, day: dt.date) -> str:
    month = MONTHS[day.month - 1][:3]
    return f"{day.day} {month} {day.year}" if theme.date_style == "day-month-year" else \
        f"{month} {day.day}, {day.year}"


def percent(value: float) -> str:
    """A probability as printed: up to six significant digits, no trailing zeros, then %."""
    return format(float(value), "g") + "%"


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


# -- what the reader should read --------------------------------------------------------------------
@dataclass(frozen=True)
class Item:
    path: str
    text: str
    near: bool = False  # printed right after the previous item (another part of the same block)
    tail: bool = False  # printed right before the next item: looked for backwards from it (a caption)
    calls: tuple[tuple[int, int], ...] = ()  # (footnote number, where its call is in squash(text))
    figure: int | None = None  # a part of this figure (index in Expected.figures): it floats
    section: int | None = None  # the section it belongs to (None: before the sections or after them)


@dataclass
class Figure:
    """A chart or an image: what its box must show, and where its box lies (between two flow items)."""

    path: str
    title: int  # index of the item printed just above the chart
    after: int  # index of the item printed just below it
    labels: list[str] = field(default_factory=list)  # somewhere in the box
    pairs: list[tuple[str, str]] = field(default_factory=list)  # on one line, first then second
    axis: tuple[str, ...] = ()  # the x labels: the axis names the last and some before it, in order
    dates: list[str] = field(default_factory=list)  # history: point dates; the last one labelled
    lines: list[list[tuple[float, float]]] = field(default_factory=list)  # (x position, value)
    names: list[str] = field(default_factory=list)  # of the lines, for messages
    bars: list[float] = field(default_factory=list)  # bar lengths, top to bottom
    percent_axis: bool = False  # the value axis is labelled in %
    open_end: bool = False  # what follows may start on the next page (the box then runs to the foot)
    floats: bool = True  # may be printed later in its section than written (report.layout.flow)
    section: int | None = None


@dataclass(frozen=True)
class Note:
    """A footnote: printed at the foot of the page of its first call, after its number."""

    number: int
    name: str
    text: str


@dataclass
class Expected:
    items: list[Item] = field(default_factory=list)
    figures: list[Figure] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)
    numbers: dict[str, int] = field(default_factory=dict)  # footnote name -> the number its calls print
    draft: bool = False  # every page carries the DRAFT watermark
    section: int | None = None  # the section being added

    def add(self, path: str, text: str | None, near: bool = False, tail: bool = False,
            figure: int | None = None) -> int:
        if text is not None and squash(text):
            printed, calls = _called(text, self.numbers)
            self.items.append(Item(path, printed, near, tail, calls, figure, self.section))
        return len(self.items) - 1


def _called(text: str, numbers: dict[str, int]) -> tuple[str, tuple[tuple[int, int], ...]]:
    """Text as it prints: each footnote call `[^name]` becomes its number (a superscript)."""
    if not numbers:
        return text, ()
    out, calls, at = "", [], 0
    for match in FOOTNOTE_CALL.finditer(text):
        out += text[at:match.start()]
        number = numbers[match.group(1)]
        calls.append((number, len(squash(out))))
        out += str(number)
        at = match.end()
    return out + text[at:], tuple(calls)


def _drawable(theme: Theme, text: str) -> str:
    """Text from an old version as the box prints it: a character without a glyph becomes '?'."""
    return "".join(c if ord(c) in theme.drawable or c.isspace() else "?" for c in text)


def _figure_text(theme: Theme, text: str) -> str:
    """A formatted figure in the brand's fonts: a true minus and the space before a unit fall back
    to a hyphen and a space in fonts that lack them (README: columns of figures)."""
    return text.translate({ord(c): plain for c, plain in (("\u2212", "-"), ("\u00a0", " "))
                           if ord(c) not in theme.drawable})


def _formats(table: Table) -> dict[str, object]:
    return dict(zip(table.names, table.formats()))


def _printed(table: Table, theme: Theme) -> list[list[str]]:
    """Every cell as the reader reads it: figures in their column's format (report.numbers), text
    as written."""
    formats = table.formats()
    return [[str(v) if f is None or isinstance(v, str) else _figure_text(theme, format_number(v, f))
             for v, f in zip(row, formats)] for row in table.rows]


def _probability_tables(report: Report) -> dict[str, Table]:
    return {k: t for k, t in _tables(report).items() if t.probability}


def _row_values(table: Table) -> dict[str, float]:
    col = table.names.index(table.probability)
    out: dict[str, float] = {}
    for row in table.rows:
        out.setdefault(str(row[0]), float(row[col]))
    return out


def _shown(table: Table, value: float, theme: Theme) -> str:
    """A probability of `table` as its table prints it."""
    return _figure_text(theme, format_number(value, _formats(table)[table.probability]))


def _history_label(table: Table, value: float, theme: Theme) -> str:
    """A line's latest value at the end of the history chart: as the current table prints it, with
    more digits only where the row is no longer in the table and was written with more."""
    fmt = _formats(table)[table.probability]
    written = max(0, -Decimal(repr(float(value))).normalize().as_tuple().exponent)
    return _figure_text(theme, format_number(value, fmt.model_copy(update={"decimals": max(fmt.decimals, written)})))


def _change_box(exp: Expected, report: Report, previous: Report, theme: Theme) -> None:
    from report.versions.compare import MAX_NAMED
    from report.layout.changes import MAX_LINES

    exp.add("change box", "What changed since")
    exp.add("change box: since", long_date(theme, previous.as_of), near=True)
    lines: list[list[tuple[str, str, bool]]] = []
    before = _probability_tables(previous)
    for key, table in _probability_tables(report).items():
        if key not in before:
            continue
        was = before[key]
        old, new = _row_values(was), _row_values(table)
        moves = []
        for label, value in new.items():
            if label not in old:  # "Bull new at 5%"
                moves.append([(label, label, False), (label, _shown(table, value, theme), False)])
            elif old[label] != value:
                moves.append([(label, label, False), (label, _shown(was, old[label], theme), True),
                              (label, _shown(table, value, theme), True)])
        moves += [[(label, _shown(was, value, theme), False)] for label, value in old.items() if label not in new]
        if moves:
            line = [(table.title, table.title, False)]
            for move in moves[:MAX_NAMED + 1]:
                line += move
            lines.append(line)
    was = {s.label: s.value for s in previous.key_stats}
    stats = []
    for stat in report.key_stats:
        if stat.label in was and was[stat.label] != stat.value:
            stats += [(stat.label, stat.label, False), (stat.label, was[stat.label], True),
                      (stat.label, stat.value, True)]
        elif stat.label not in was:  # "Yield new, 4.1%"
            stats += [(stat.label, stat.label, False), (stat.label, stat.value, False)]
    now = {s.label for s in report.key_stats}
    stats += [(label, value, False) for label, value in was.items() if label not in now]
    if stats:
        lines.append(stats)
    lines += _figure_moves(report, previous, theme)
    for line in lines[:MAX_LINES - 1]:
        for where, text, near in line:
            exp.add(f"change box: {where}", _drawable(theme, text), near)


def _figure_moves(report: Report, previous: Report, theme: Theme) -> list[list[tuple[str, str, bool]]]:
    """A line per table whose figures moved: each row's label, column, old and new as printed."""
    from report.versions.compare import MAX_NAMED

    out = []
    before = _tables(previous)
    for key, table in _tables(report).items():
        was = before.get(key)
        if was is None:
            continue
        figures = lambda t: [n for n, f in zip(t.names, t.formats()) if f is not None and n != t.probability]  # noqa: E731
        columns = [c for c in figures(table) if c in figures(was)]
        rows_before: dict[str, list] = {}
        rows_after: dict[str, list] = {}
        for rows, into in ((was.rows, rows_before), (table.rows, rows_after)):
            for row in rows:
                into.setdefault(str(row[0]), row)  # the first row of a label is the one compared
        moves = []
        for label, row in rows_after.items():
            if label not in rows_before:
                continue
            for column in columns:
                a, b = rows_before[label][was.names.index(column)], row[table.names.index(column)]
                if a != b:
                    show = lambda t, v: v if isinstance(v, str) else _figure_text(  # noqa: E731
                        theme, format_number(v, _formats(t)[column]))
                    moves.append([(label, label, False), (label, column, True), (label, show(was, a), True),
                                  (label, show(table, b), True)])
        if moves:
            line = [(table.title, table.title, False)]
            for move in moves[:MAX_NAMED + 1]:
                line += move
            out.append(line)
    return out


def _history_figure(exp: Expected, report: Report, history: Sequence[Report], theme: Theme) -> None:
    table = _history_table(report)
    if table is None:
        return
    key = table.id or f"title:{table.title}"
    by_date: dict[dt.date, dict[str, float]] = {}
    for version in [*history, report]:  # oldest first: the latest version of each date wins
        found = _probability_tables(version).get(key)
        if found is not None and version.as_of <= report.as_of:
            by_date[version.as_of] = _row_values(found)
    if len(by_date) < 2:
        return
    dates = sorted(by_date)
    labels = list(dict.fromkeys([str(r[0]) for r in table.rows] + [k for d in dates for k in by_date[d]]))
    title = exp.add("history chart", HISTORY_TITLE.format(table=table.title))
    figure = Figure("history chart", title, -1, dates=[short_date(theme, d) for d in dates],
                    percent_axis=True, open_end=True, floats=False)
    for label in labels:
        known = [(float(i), by_date[d][label]) for i, d in enumerate(dates) if label in by_date[d]]
        figure.pairs.append((label, _history_label(table, known[-1][1], theme)))
        figure.lines.append(known)
        figure.names.append(label)
    exp.figures.append(figure)
    exp.add("history chart.source", HISTORY_SOURCE)  # the box ends here


def _history_table(report: Report) -> Table | None:
    for _, block in report.blocks_with_paths():
        if isinstance(block, ChartBlock) and isinstance(block.chart, ProbabilityChart):
            return report.table(block.chart.table)
    return next(iter(_probability_tables(report).values()), None)


def _table(exp: Expected, path: str, table: Table, theme: Theme) -> None:
    exp.add(f"{path}.title", table.title)
    for c, name in enumerate(table.names):
        exp.add(f"{path}.columns[{c}]", name, near=True)
    for r, row in enumerate(_printed(table, theme)):
        for c, text in enumerate(row):
            exp.add(f"{path}.rows[{r}][{c}]", text, near=True)
    exp.add(f"{path}.source", table.source and SOURCE + table.source)


def _bar_label(values: list[float], v: float, prefix: str = "", suffix: str = "") -> str:
    """A bar's value label: every label of the chart with the decimals of its most precise value
    (at most 4), thousands grouped, a true minus, the chart's prefix and suffix."""
    def places(x: float) -> int:
        digits = format(abs(x), ",.10f").rstrip("0")
        return len(digits.partition(".")[2])

    n = min(4, max((places(x) for x in values), default=0))
    text = f"{abs(v):,.{n}f}"
    return ("\u2212" if v < 0 and float(text.replace(",", "")) != 0 else "") + prefix + text + suffix


def _chart_box(figure: Figure, chart, report: Report, theme: Theme) -> None:
    """What the box of a chart of each kind shows: its names, labels and values; its drawn lines and bars."""
    if isinstance(chart, (LineChart, BandChart)):
        figure.labels += [s.name for s in chart.series]
        figure.labels += [b.name for b in getattr(chart, "bands", ())]
        figure.labels += [x for x in (chart.x_label, chart.y_label) if x]
        figure.labels += [a.label for a in chart.annotations] + [r.label for r in chart.reference_lines]
        if chart.illustrative:
            figure.labels.append("Illustrative, not a forecast")
        figure.axis = tuple(chart.x)
        figure.lines = [[(float(i), v) for i, v in enumerate(s.values)] for s in chart.series]
        figure.names = [s.name for s in chart.series]
    elif isinstance(chart, BarChart):
        values = [v for s in chart.series for v in s.values]
        figure.labels += list(chart.categories)
        figure.labels += [s.name for s in chart.series] if len(chart.series) > 1 else []
        figure.labels += [x for x in (chart.x_label, chart.y_label) if x]
        figure.labels += [_figure_text(theme, _bar_label(values, v, chart.prefix or "", chart.suffix or ""))
                          for v in values]
    elif isinstance(chart, ComboChart):
        values = [v for s in chart.bars for v in s.values]
        figure.labels += list(chart.categories) + [s.name for s in (*chart.bars, *chart.lines)]
        figure.labels += [x for x in (chart.x_label, chart.y_label, chart.y2_label) if x]
        figure.labels += [_figure_text(theme, _bar_label(values, v)) for v in values]
    elif isinstance(chart, ScatterChart):
        figure.labels += [p.label for p in chart.points] + [chart.x_label, chart.y_label]
        groups = list(dict.fromkeys(p.group or "" for p in chart.points))
        figure.labels += [g for g in groups if g] if len(groups) > 1 else []
    else:
        table = report.table(chart.table)
        for label, value in zip(table.labels(), table.probabilities()):
            figure.pairs.append((label, _shown(table, value, theme)))
        figure.bars = table.probabilities()
        figure.percent_axis = True


def _figure(exp: Expected, path: str, spec, report: Report, theme: Theme) -> None:
    """A numbered figure (a chart or an image): its title, the box, its caption and source. It may
    float: printed later than written, but within its section."""
    number = sum(1 for f in exp.figures if f.path != "history chart") + 1
    k = len(exp.figures)
    title = exp.add(f"{path}.title", FIGURE.format(n=number, title=spec.title), figure=k)
    figure = Figure(path, title, -1, section=exp.section)
    if isinstance(spec, Image):
        pass  # a picture: what it shows is the author's file (tests/test_images.py)
    else:
        _chart_box(figure, spec, report, theme)
    exp.figures.append(figure)
    # The box ends where the source line starts (its "Source:" keeps a short source from being found
    # among the chart's own labels), or the caption just above it.
    exp.add(f"{path}.caption", spec.caption, tail=True, figure=k)
    exp.add(f"{path}.source", SOURCE + spec.source, figure=k)


def _blocks(exp: Expected, report: Report, theme: Theme) -> None:
    numbered = 0
    for s, section in enumerate(report.sections):
        exp.section = s
        here = f"sections[{s}]"
        if section.numbered:
            numbered += 1
        exp.add(f"{here}.heading", f"{numbered:02d}. {section.heading}" if section.numbered else section.heading)
        exp.add(f"{here}.title", section.title)
        for b, block in enumerate(section.blocks):
            path = f"{here}.blocks[{b}]"
            if isinstance(block, TextBlock):
                exp.add(path, block.text)
            elif isinstance(block, CalloutBlock):
                exp.add(f"{path}.callout", block.callout)
            elif isinstance(block, ParagraphBlock):
                exp.add(f"{path}.lead", block.paragraph.lead)
                exp.add(f"{path}.text", block.paragraph.text, near=True)
            elif isinstance(block, TableBlock):
                _table(exp, f"{path}.table", block.table, theme)
            elif isinstance(block, ChartBlock):
                _figure(exp, f"{path}.chart", block.chart, report, theme)
            elif isinstance(block, ImageBlock):
                _figure(exp, f"{path}.image", block.image, report, theme)
            elif isinstance(block, SubheadingBlock):
                exp.add(f"{path}.subheading", block.subheading)
            elif isinstance(block, ListBlock):
                for i, item in enumerate(block.numbered):
                    exp.add(f"{path}.numbered[{i}]", str(i + 1))
                    exp.add(f"{path}.numbered[{i}].title", item.title, near=True)
                    exp.add(f"{path}.numbered[{i}].text", item.text, near=True)
            elif isinstance(block, FaqBlock):
                for i, q in enumerate(block.faq):
                    exp.add(f"{path}.faq[{i}].question", q.question)
                    exp.add(f"{path}.faq[{i}].answer", q.answer, near=True)
            else:  # pragma: no cover - a new kind of block must be read back too
                raise TypeError(f"readback does not know {type(block).__name__}")
    exp.section = None


def _contents(exp: Expected, report: Report) -> None:
    """The table of contents (a report longer than the brand's `toc_pages`): each section's label,
    then the references."""
    exp.add("contents", "Contents")
    numbered = 0
    for s, section in enumerate(report.sections):
        numbered += section.numbered
        exp.add(f"contents: sections[{s}]", f"{numbered:02d}. {section.heading}" if section.numbered
                else section.heading)
    if report.references:
        exp.add("contents: references", "References")


def _references(exp: Expected, report: Report, theme: Theme) -> None:
    """[n] Author, Publisher, Date. *Title*. Note. URL (README: "References")."""
    if not report.references:
        return
    exp.add("references", "References")
    for i, ref in enumerate(report.references):
        here = f"references[{i}]"
        exp.add(f"{here}", f"[{i + 1}]")
        exp.add(f"{here}.author", ref.author, near=True)
        exp.add(f"{here}.publisher", ref.publisher, near=True)
        exp.add(f"{here}.date", ref.date and long_date(theme, ref.date), near=True)
        exp.add(f"{here}.title", ref.title, near=True)
        exp.add(f"{here}.note", ref.note, near=True)
        exp.add(f"{here}.url", ref.url, near=True)


def expected(report: Report, theme: Theme, history: Sequence[Report] = (), *,
             changes: bool = True, pages: int | None = None) -> Expected:
    """What the reader should read, in order. `history`: the committed versions, oldest first;
    `pages`: the PDF's page count (a report longer than the brand's `toc_pages` opens with contents)."""
    exp = Expected(numbers=report.footnote_numbers(), draft=report.status == "draft")
    exp.notes = [Note(n, name, report.footnotes[name]) for name, n in exp.numbers.items()]
    exp.add("title", report.title)
    for i, paragraph in enumerate(report.dek):  # the standfirst: one paragraph or several
        exp.add(f"dek[{i}]", paragraph)
    exp.add("author", report.author)
    exp.add("as_of", long_date(theme, report.as_of), near=report.author is not None)
    for i, stat in enumerate(report.key_stats):
        exp.add(f"key_stats[{i}].label", stat.label)
        exp.add(f"key_stats[{i}].value", stat.value, near=True)
        exp.add(f"key_stats[{i}].source", stat.source, near=True)
        exp.add(f"key_stats[{i}].date", stat.date and long_date(theme, stat.date), near=True)
    if report.disclaimer_position == "front":
        exp.add("disclaimer", DISCLAIMER + report.disclaimer)
    if changes and history:
        previous = next((v for v in reversed(history) if v.as_of < report.as_of), None)
        if previous is not None:
            _change_box(exp, report, previous, theme)
        _history_figure(exp, report, history, theme)
    if pages is not None and theme.toc_pages is not None and pages > theme.toc_pages:
        _contents(exp, report)
    _blocks(exp, report, theme)
    _references(exp, report, theme)
    if report.disclaimer_position == "end":
        exp.add("disclaimer", DISCLAIMER + report.disclaimer)
    for figure in exp.figures:  # the box ends at what is printed under the chart
        figure.after = figure.title + 1
    return exp


# -- what the PDF shows ----------------------------------------------------------------------------
@dataclass(frozen=True)
class Char:
    text: str
    page: int
    x0: float
    x1: float
    top: float
    bottom: float
    size: float
    upright: bool


def _frames(theme: Theme, paper: str) -> tuple:
    """The first page's and the later pages' text frames (x0, y0, x1, y1 in PDF points)."""
    from report.build import styles_for
    from report.layout.pages import Furniture, ReportDoc

    doc = ReportDoc(io.BytesIO(), styles_for(theme), Furniture("", "", "", "", ""), paper)
    out = []
    for template in doc.pageTemplates[:2]:
        f = template.frames[0]
        out.append((f._x1, f._y1, f._x1 + f._width, f._y1 + f._height))
    return tuple(out)


def _paper(width: float, height: float) -> str:
    return "letter" if abs(width - 612) < 2 and abs(height - 792) < 2 else "a4"


@dataclass
class Page:
    number: int
    chars: list[Char]  # white space dropped, in content-stream order
    body: list[Char]  # the story's: inside the text frame (the rest is furniture, or strays out of it)
    curves: list[list[tuple[float, float]]]  # stroked, unfilled paths: (x, top) points
    rects: list[tuple[float, float, float, float]]  # filled, coloured: x0, top, x1, bottom
    notes: list[Char] = field(default_factory=list)  # the footnotes at the frame's foot, under their rule
    watermark: str = ""  # the large letters drawn across the page (a draft's DRAFT)


NOTE_RULE = 40 * 72 / 25.4  # points: the short rule above a page's footnotes (report.layout.flow)
WATERMARK_SIZE = 60  # points: letters this large are a watermark (a title is 23 pt), not the story


def read_pages(pdf: Path, theme: Theme) -> list[Page]:
    pages = []
    frames: dict[str, tuple] = {}
    with pdfplumber.open(pdf) as doc:
        for n, page in enumerate(doc.pages, start=1):
            trim = page.page_obj.attrs.get("TrimBox")  # print marks: the page sits inside a border
            tx, ty = (float(trim[0]), float(trim[1])) if trim else (0.0, 0.0)
            tw, th = (float(trim[2]) - tx, float(trim[3]) - ty) if trim else (page.width, page.height)
            paper = _paper(tw, th)
            if paper not in frames:
                frames[paper] = _frames(theme, paper)
            first, later = frames[paper]
            x0, y0, x1, y1 = first if n == 1 else later
            left, right = x0 + tx - 1, x1 + tx + 1
            top, bottom = page.height - (y1 + ty) - 1, page.height - (y0 + ty) + 1
            rule = _note_rule(page, left, right, top, bottom)
            chars, body, notes, watermark = [], [], [], []
            for c in page.chars:
                if not c["text"].strip():
                    continue
                char = Char(c["text"], n, c["x0"], c["x1"], c["top"], c["bottom"], c["size"],
                            bool(c.get("upright", True)))
                if char.size >= WATERMARK_SIZE:
                    watermark.append(char.text)
                    continue
                chars.append(char)
                cx, cy = (c["x0"] + c["x1"]) / 2, (c["top"] + c["bottom"]) / 2
                if left <= cx <= right and top <= cy <= bottom:
                    (notes if rule is not None and cy > rule else body).append(char)
            curves = [[(float(x), float(y)) for x, y in obj["pts"]] for obj in page.curves + page.lines
                      if obj.get("stroke") and not obj.get("fill")]
            rects = [(r["x0"], r["top"], r["x1"], r["bottom"]) for r in page.rects
                     if r.get("fill") and not _white(r.get("non_stroking_color"))]
            pages.append(Page(n, chars, body, curves, rects, notes, "".join(watermark)))
    return pages


def _note_rule(page, left: float, right: float, top: float, bottom: float) -> float | None:
    """The height of the short rule that opens the page's footnotes (a hairline at the frame's left
    edge, 40 mm long), or None when the page has no footnotes."""
    found = [line["top"] for line in page.lines
             if abs(line["x0"] - (left + 1)) < 1.5 and abs((line["x1"] - line["x0"]) - NOTE_RULE) < 1
             and abs(line["top"] - line["bottom"]) < 0.5 and abs(float(line.get("linewidth") or 0) - 0.5) < 0.05
             and top <= line["top"] <= bottom]
    return max(found) if found else None


def _white(colour) -> bool:
    return isinstance(colour, (tuple, list)) and len(colour) in (1, 3) and all(float(v) > 0.99 for v in colour)


# -- checking -----------------------------------------------------------------------------------------
def problems(pdf: Path, report: Report, theme: Theme, history: Sequence[Report] = (), *,
             changes: bool = True) -> list[str]:
    """What a reader would find wrong in `pdf`, built from `report` with `theme` ([] if nothing)."""
    pages = read_pages(pdf, theme)
    exp = expected(report, theme, history, changes=changes, pages=len(pages))
    chars = [c for p in pages for c in p.body]
    spans, found = _find_in_order(exp.items, chars)
    found += _in_their_sections(exp, spans, chars)
    for figure in exp.figures:
        found += _check_figure(figure, exp.items, spans, chars, pages)
    found += _check_notes(exp, spans, chars, pages)
    found += _check_watermark(exp, pages)
    if len(found) > MAX_PROBLEMS:
        found = found[:MAX_PROBLEMS] + [f"… and {len(found) - MAX_PROBLEMS} more"]
    return found


HIDDEN = "\0"  # a found figure's text, taken out of the flow around it


def _find_in_order(items: list[Item], chars: list[Char]) -> tuple[list, list[str]]:
    """Each item's (start, end) in the body text, or None; and the problems found.

    A figure floats (report.layout.flow): it is looked for from where it is written on, its parts
    in their order, and once found its whole box (title to source) is taken out of the text, so
    that the flow goes on where the figure is written and never reads the figure's labels."""
    text = "".join(c.text for c in chars)
    spans: list = []
    out: list[str] = []
    cursor = 0
    figure_cursor = None  # while the parts of a figure are read: where the last part ended
    last_flow = None  # the index of the last item of the flow (not a figure's)
    for i, item in enumerate(items):
        want = squash(item.text)
        start = cursor if item.figure is None or figure_cursor is None else figure_cursor
        if item.tail and i + 1 < len(items):  # the last occurrence before where the next item starts
            follows = text.find(squash(items[i + 1].text), start)
            at = text.rfind(want, start, follows) if follows >= 0 else -1
        else:
            at = text.find(want, start)
        previous = last_flow if item.figure is None else (i - 1 if figure_cursor is not None else None)
        if at < 0:
            elsewhere = text.find(want)
            where = f"printed earlier, on page {chars[elsewhere].page}, not after " \
                    f"{items[i - 1].path}" if elsewhere >= 0 else "not printed"
            out.append(f"{item.path}: {_short(item.text)} {where}")
            spans.append(None)
        else:
            spans.append((at, at + len(want)))
            gap = text[start:at].replace(HIDDEN, "")
            if item.near and previous is not None and spans[previous] is not None and len(gap) > NEAR \
                    and "(continued)" not in gap:
                out.append(f"{item.path}: {_short(item.text)} is not printed with {items[previous].path} "
                           f"(page {chars[at].page}; {_short(gap)} comes between)")
        if item.figure is None:
            if at >= 0:
                cursor = at + len(want)
            last_flow = i
            continue
        figure_cursor = start if at < 0 else at + len(want)
        if i + 1 == len(items) or items[i + 1].figure != item.figure:  # the figure's last part
            found = [sp for sp, it in zip(spans, items) if it.figure == item.figure and sp is not None]
            if found:
                a, b = min(sp[0] for sp in found), max(sp[1] for sp in found)
                text = text[:a] + HIDDEN * (b - a) + text[b:]
            figure_cursor = None
    return spans, out


def _in_their_sections(exp: Expected, spans: list, chars: list[Char]) -> list[str]:
    """A figure is printed before the next section starts, or at the latest on the page after the
    one where its section ends (report.layout.flow: figures open the next page rather than end this
    one in a big gap, and the next section's start fills it)."""
    out = []
    for figure in exp.figures:
        if not figure.floats or spans[figure.title] is None:
            continue
        at = spans[figure.title][0]
        later = [i for i, item in enumerate(exp.items) if item.figure is None and spans[i] is not None
                 and (item.section is None or item.section > figure.section) and i > figure.title]
        if not later or spans[later[0]][0] > at:
            continue
        end = spans[later[0]][0]
        if chars[at].page != chars[max(end - 1, 0)].page + 1:
            out.append(f"{figure.path}: printed on page {chars[at].page}, after {exp.items[later[0]].path} "
                       f"(page {chars[end].page}): outside its section and the page after it")
    return out


def _check_notes(exp: Expected, spans: list, chars: list[Char], pages: list[Page]) -> list[str]:
    """Each footnote stands at the foot of the page of its first call, after its number; the notes
    of a page in the order of their numbers; no page holds notes that none of its calls asks for."""
    first: dict[int, int] = {}
    for item, span in zip(exp.items, spans):
        for number, offset in item.calls:
            if span is not None:
                first.setdefault(number, chars[min(span[0] + offset, len(chars) - 1)].page)
    out = []
    cursor: dict[int, int] = {}
    for note in exp.notes:
        page = first.get(note.number)
        if page is None:
            out.append(f"footnotes.{note.name}: its call ({note.number}) is not printed")
            continue
        text = "".join(_lines_of(pages[page - 1].notes))  # drawn from the foot up: read top down
        want = squash(f"{note.number} {note.text}")
        at = text.find(want, cursor.get(page, 0))
        if at < 0:
            where = next((p.number for p in pages if want in "".join(_lines_of(p.notes))), None)
            out.append(f"footnotes.{note.name}: note {note.number} {_short(note.text)} is not at the foot of "
                       f"page {page}, which calls it" + (f" (it is on page {where})" if where else ""))
            continue
        cursor[page] = at + len(want)
    expected_pages = set(first.values())
    for page in pages:
        if page.notes and page.number not in expected_pages:
            out.append(f"page {page.number}: footnotes that no call on it asks for: "
                       f"{_short(''.join(c.text for c in page.notes))}")
    return out


def _check_watermark(exp: Expected, pages: list[Page]) -> list[str]:
    """A draft says DRAFT across every page; a final report on none."""
    want = "DRAFT" if exp.draft else ""
    return [f"page {p.number}: the watermark reads {p.watermark!r}, not {want!r}"
            for p in pages if p.watermark != want]


def _short(text: str, n: int = 60) -> str:
    return repr(text if len(text) <= n else text[:n - 1] + "…")


def _lines_of(chars: list[Char]) -> list[str]:
    """The box's upright text as visual lines, top to bottom, each read left to right."""
    rows: list[list[Char]] = []
    for c in sorted((c for c in chars if c.upright), key=lambda c: (c.top + c.bottom) / 2):
        centre = (c.top + c.bottom) / 2
        if rows and abs(centre - _centre(rows[-1])) <= max(c.size, rows[-1][0].size) * 0.45:
            rows[-1].append(c)
        else:
            rows.append([c])
    return ["".join(c.text for c in sorted(row, key=lambda c: c.x0)) for row in rows]


def _centre(row: list[Char]) -> float:
    return sum((c.top + c.bottom) / 2 for c in row) / len(row)


def _check_figure(figure: Figure, items: list[Item], spans: list, chars: list[Char],
                  pages: list[Page]) -> list[str]:
    name = f"{figure.path} ({_short(items[figure.title].text, 40)})"
    above = spans[figure.title]
    below = spans[figure.after] if 0 <= figure.after < len(spans) else None
    if above is None or below is None:
        return [f"{name}: its box cannot be found (its title or the line under it is missing)"]
    head, foot = chars[above[1] - 1], chars[below[0]]
    page = pages[head.page - 1]
    top, bottom = head.bottom, foot.top
    if head.page != foot.page and figure.open_end:
        bottom = max(c.bottom for c in page.body)
    elif head.page != foot.page:
        return [f"{name}: the chart is split from its title or source (pages {head.page}, {foot.page})"]
    box = [c for c in page.body if top <= (c.top + c.bottom) / 2 <= bottom]
    text = "".join(c.text for c in box)
    rows = _lines_of(box)
    out = []
    spilled = "".join(c.text for c in page.chars if top <= (c.top + c.bottom) / 2 <= bottom)
    for label in figure.labels:
        if squash(label) not in text:
            where = "runs out of the text column" if squash(label) in spilled else "is not in the chart"
            out.append(f"{name}: label {_short(label)} {where}")
    spilled = [c for c in page.chars if top <= (c.top + c.bottom) / 2 <= bottom]
    spilled_rows = _lines_of(spilled)
    for first, second in figure.pairs:
        a, b = squash(first), squash(second)
        if not _read_together(a, b, rows, box):
            where = "runs out of the text column" if _read_together(a, b, spilled_rows, spilled) else \
                f"is not read with {_short(second)} on one line of the chart"
            out.append(f"{name}: {_short(first)} {where}")
    if figure.axis and _axis_labels(figure.axis, "".join(c.text for c in box if c.upright)) < 2 <= len(figure.axis):
        out.append(f"{name}: the x axis does not read {figure.axis[0]} … {figure.axis[-1]} (its labels in order, "
                   "the last one named)")
    if figure.dates:
        shown = [row for row in rows if squash(figure.dates[-1]) in row]
        if not shown:
            out.append(f"{name}: the latest update ({figure.dates[-1]}) is not labelled")
        else:
            named = [d for d in figure.dates if squash(d) in shown[0]]
            if not _in_order(shown[0], [squash(d) for d in named]):
                out.append(f"{name}: the dates are not in order: {shown[0]}")
            stray = re.sub("|".join(re.escape(squash(d)) for d in figure.dates), "", shown[0])
            if re.search(r"\d{4}", stray):
                out.append(f"{name}: a date that is not an update is labelled: {shown[0]}")
    out += _overprinted(name, box)
    region = (top, bottom)
    if figure.lines:
        out += _check_lines(name, figure, box, page, region)
    if figure.bars:
        out += _check_bars(name, figure, box, page, region)
    return out


def _axis_labels(labels: tuple[str, ...], text: str) -> int:
    """How many x labels the axis names: the most in a run of `text` that reads some of `labels`, in
    their order, one right after another and ending with the last (report.charts.lines names every
    step-th label counted back from the last, each drawn whole, wrapped or not). 0: the last is missing."""
    parts = [squash(x) for x in labels]
    best = 0
    end = text.find(parts[-1])
    while end >= 0:
        best = max(best, _run_back(parts, len(parts) - 1, text, end))
        end = text.find(parts[-1], end + 1)
    return best


def _run_back(parts: list[str], j: int, text: str, at: int) -> int:
    """Labels read backwards from `parts[j]` at `at`: each earlier one ending where the next starts."""
    count, k = 1, j
    while True:
        before = [i for i in range(k) if parts[i] and text.endswith(parts[i], 0, at)]
        if not before:
            return count
        k = max(before)  # the nearest label before: a thinned axis skips the same number each time
        at -= len(parts[k])
        count += 1


def _read_together(a: str, b: str, rows: list[str], box: list[Char]) -> bool:
    """`b` is read right after `a`: on one line of the chart, or, when `a` is wrapped over lines (a
    long row label), level with its lines and to its right."""
    if any(a in row and b in row[row.index(a) + len(a):] for row in rows):
        return True
    upright = [c for c in box if c.upright]
    text = "".join(c.text for c in upright)
    def places(part: str):
        at = text.find(part)
        while at >= 0:
            yield upright[at:at + len(part)]
            at = text.find(part, at + 1)
    for label in places(a):
        top, low, right = min(c.top for c in label), max(c.bottom for c in label), max(c.x1 for c in label)
        for value in places(b):
            centre = sum((c.top + c.bottom) / 2 for c in value) / len(value)
            if top <= centre <= low and min(c.x0 for c in value) >= right - 1:
                return True
    return False


def _overprinted(name: str, box: list[Char]) -> list[str]:
    """Labels printed over one another (two characters sharing most of their box) cannot be read."""
    grid: dict[tuple[int, int], list[int]] = {}
    upright = [c for c in box if c.upright]
    for i, c in enumerate(upright):
        for gx in range(int(c.x0 // 10), int(c.x1 // 10) + 1):
            grid.setdefault((gx, int(((c.top + c.bottom) / 2) // 10)), []).append(i)
    for cell in grid.values():
        for a in cell:
            for b in cell:
                if a < b and _shared(upright[a], upright[b]) > 0.4:
                    return [f"{name}: labels print over each other near "
                            f"{_short(_around(upright, a))} and {_short(_around(upright, b))}"]
    return []


def _shared(a: Char, b: Char) -> float:
    w = min(a.x1, b.x1) - max(a.x0, b.x0)
    h = min(a.bottom, b.bottom) - max(a.top, b.top)
    smaller = min((a.x1 - a.x0) * (a.bottom - a.top), (b.x1 - b.x0) * (b.bottom - b.top))
    return w * h / smaller if w > 0 and h > 0 and smaller > 0 else 0.0


def _around(chars: list[Char], i: int) -> str:
    return "".join(c.text for c in chars[max(0, i - 3):i + 4])


def _in_order(text: str, parts: list[str]) -> bool:
    at = 0
    for part in parts:
        found = text.find(part, at)
        if found < 0:
            return False
        at = found + len(part)
    return True


# -- drawn values -----------------------------------------------------------------------------------
def _number(text: str) -> float | None:
    text = text.replace("\u2212", "-").rstrip("%")
    try:
        return float(text)
    except ValueError:
        return None


def _words(chars: list[Char]) -> list[tuple[str, float, float, float, float]]:
    """Upright runs of characters on one baseline with no gap: (text, x0, x1, centre y, size)."""
    out: list = []
    for c in sorted((c for c in chars if c.upright), key=lambda c: (round(c.bottom, 1), c.x0)):
        if out and abs(out[-1][3] - (c.top + c.bottom) / 2) < 0.5 and -0.1 <= c.x0 - out[-1][2] < c.size * 0.12:
            t, x0, _, y, s = out[-1]
            out[-1] = (t + c.text, x0, c.x1, y, s)
        else:
            out.append((c.text, c.x0, c.x1, (c.top + c.bottom) / 2, c.size))
    return out


def _fit(pairs: list[tuple[float, float]]) -> tuple[float, float] | None:
    """Least-squares line out = a * value + b through (value, out) pairs; None if degenerate."""
    n = len(pairs)
    if n < 2:
        return None
    mx = sum(v for v, _ in pairs) / n
    my = sum(o for _, o in pairs) / n
    sxx = sum((v - mx) ** 2 for v, _ in pairs)
    if sxx <= 0:
        return None
    a = sum((v - mx) * (o - my) for v, o in pairs) / sxx
    return a, my - a * mx


def _axis_map(words, position) -> tuple[float, float] | None:
    """value -> page coordinate, read off the numeric axis labels (`position(word)` picks them)."""
    ticks = [(_number(w[0]), position(w)) for w in words]
    ticks = [(v, p) for v, p in ticks if v is not None and p is not None]
    return _fit(ticks) if len({v for v, _ in ticks}) >= 2 else None


_OFFSET = re.compile(r"^[+\u2212-]?\d*\.?\d*e[+\u2212-]?\d+$")  # matplotlib's "1e9" above an axis


def _check_lines(name: str, figure: Figure, box, page: Page, region) -> list[str]:
    top, bottom = region
    curves = [pts for pts in page.curves if len(pts) >= 2 and all(top <= y <= bottom for _, y in pts)]
    if not curves:
        return [f"{name}: no line is drawn"]
    words = _words(box)
    left = min(x for pts in curves for x, _ in pts) - 1
    y_map = None
    if not any(_OFFSET.match(w[0]) for w in words):  # axis labels are the values themselves
        # ... set right-aligned against the axis (a number in the axis title above is not one)
        ticks = [w for w in words if w[2] <= left and _number(w[0]) is not None]
        edge = max((w[2] for w in ticks), default=0.0)
        y_map = _axis_map(ticks, lambda w: w[3] if w[2] >= edge - 1 else None)
    out = []
    x_map = None
    for label, series in zip(figure.names, figure.lines):
        if len(series) < 2:
            continue  # a single point is a marker, not a line
        slack = 0.35 * max(w[4] for w in words) if words else 3
        match = _match_series(series, curves, x_map, y_map, slack)
        corners = _corners(series)
        if match is None and len(corners) < len(series):  # matplotlib drops points a line runs straight through
            match = _match_series(corners, curves, x_map, y_map, slack)
        if match is None:
            out.append(f"{name}: {_short(label)} is not drawn where its values put it"
                       + ("" if y_map else " (no numeric axis labels to read it against)"))
        elif x_map is None:
            x_map = match
    return out


def _corners(series: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """The series without the points that lie on the straight line between their neighbours (what
    matplotlib's path simplification leaves; an affine map keeps points in line)."""
    out = list(series[:1])
    for point, after in zip(series[1:], series[2:]):
        (x0, y0), (x1, y1), (x2, y2) = out[-1], point, after
        cross = (x1 - x0) * (y2 - y0) - (x2 - x0) * (y1 - y0)
        if abs(cross) > 1e-9 * max(1.0, abs(y0), abs(y1), abs(y2)) * max(1.0, x2 - x0):
            out.append(point)
    return out + list(series[-1:]) if len(series) > 1 else out


def _match_series(series, curves, x_map, y_map, slack: float):
    """A drawn polyline through this series' points; returns the x map it implies, or None.

    The shape must be exact (each point where an affine map of the values puts it); against the
    axis labels, whose printed position is only known to about a third of their size, the line's
    level may be off by `slack` points and its scale by 1 %.
    """
    for pts in curves:
        if len(pts) != len(series):
            continue
        fx = _fit([(x, px) for (x, _), (px, _) in zip(series, pts)])
        if fx is None or fx[0] <= 0 or _off(fx, [(x, px) for (x, _), (px, _) in zip(series, pts)]):
            continue
        if x_map is not None and _off(x_map, [(x, px) for (x, _), (px, _) in zip(series, pts)]):
            continue
        values = [(v, py) for (_, v), (_, py) in zip(series, pts)]
        fy = _fit(values)
        if fy is not None and _off(fy, values):
            continue
        if y_map is not None:
            mean = sum(v for v, _ in values) / len(values)
            level = sum(py for _, py in values) / len(values)
            if abs(y_map[0] * mean + y_map[1] - level) > slack:
                continue
            if fy is not None and abs(fy[0] - y_map[0]) > 0.01 * abs(y_map[0]):
                continue
            if fy is None and _off(y_map, values, slack):
                continue
        return fx
    return None


def _off(line: tuple[float, float], pairs, tolerance: float = POINT_TOLERANCE) -> bool:
    return any(abs(line[0] * v + line[1] - o) > tolerance for v, o in pairs)


def _check_bars(name: str, figure: Figure, box, page: Page, region) -> list[str]:
    """Bars start together at the axis (0) and end in proportion to their values; read against the
    axis labels, their scale is right within 2 % (labels' printed positions are known to a point or so)."""
    top, bottom = region
    bars = sorted((r for r in page.rects if top <= (r[1] + r[3]) / 2 <= bottom and r[3] - r[1] > 3
                   and r[2] - r[0] > 0.2), key=lambda r: r[1])
    if not bars:
        return [] if not any(figure.bars) else [f"{name}: no bar is drawn"]
    words = _words(box)
    labels = [w for w in words if w[0].endswith("%") and _number(w[0]) is not None]
    axis = max((w[3] for w in labels), default=0)  # the lowest line of % labels: the axis's
    x_map = _axis_map(words, lambda w: (w[1] + w[2]) / 2 if w in labels and abs(w[3] - axis) < 1 else None)
    if x_map is None:
        return [f"{name}: the value axis has no numeric labels to read the bars against"]
    lengths = [x_map[0] * v for v in figure.bars]
    if any(0.1 < n < 0.4 for n in lengths):
        return []  # a bar this thin may or may not show as a rectangle: nothing to compare
    drawn = [v for v, n in zip(figure.bars, lengths) if n >= 0.4]
    if len(bars) != len(drawn):
        return [f"{name}: {len(bars)} bars drawn for {len(drawn)} probabilities"]
    start = bars[0][0]
    slack = 0.35 * max((w[4] for w in words), default=8)
    out = []
    if any(abs(r[0] - start) > POINT_TOLERANCE for r in bars):
        out.append(f"{name}: the bars do not start together")
    if abs(x_map[1] - start) > slack:
        out.append(f"{name}: the bars start at {(start - x_map[1]) / x_map[0]:.3g}% on their axis, not 0%")
    for value, (_, _, x1, _) in zip(drawn, bars):
        length = (x1 - start) / x_map[0]  # in % of the axis
        if abs((x1 - start) - x_map[0] * value) > max(POINT_TOLERANCE, 0.02 * x_map[0] * value):
            out.append(f"{name}: the bar for {percent(value)} is {length:.4g}% long on its axis")
    fit = _fit([(v, r[2]) for v, r in zip(drawn, bars)])
    if fit is not None and (_off(fit, [(v, r[2]) for v, r in zip(drawn, bars)])
                            or abs(fit[1] - start) > POINT_TOLERANCE):
        out.append(f"{name}: the bars are not in proportion to {', '.join(map(percent, drawn))}")
    return out
