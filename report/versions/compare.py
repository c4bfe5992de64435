"""Two Report models -> what changed between them, as data; rendered for a terminal, JSON or a box.

A semantic comparison, not a line diff: key stats are matched by label, tables by id (or title) and
their rows by first cell, numbered items by title, FAQ entries by question, prose by section heading.
Figures (a probability, a cell of a column of figures) are compared by value and shown as they print
in the PDF (report.numbers.format_number), so `4.5` -> `4.50` is no change and `-3` reads `−3.0%`.
"""

from __future__ import annotations

import dataclasses
import difflib
import datetime as dt
from dataclasses import dataclass

from report.input.model import (
    CalloutBlock,
    Column,
    FaqBlock,
    ListBlock,
    ParagraphBlock,
    ProbabilityChart,
    Report,
    Table,
    TableBlock,
    TextBlock,
)
from report.numbers import NBSP, format_number

RENAME_SIMILARITY = 0.6  # difflib ratio of two names in the same place that make a rename
MAX_NAMED = 3  # items named in one line of the PDF box; more become "and N more"


@dataclass(frozen=True)
class Side:
    """One of the two versions compared."""

    label: str  # e.g. "1a2b3c4", "working copy", a file name
    as_of: dt.date


@dataclass(frozen=True)
class Stat:
    """A key stat that moved, appeared (old None) or went (new None)."""

    label: str
    old: str | None
    new: str | None


@dataclass(frozen=True)
class Move:
    """One row of a probability column, in %; its values as they print in the table ('30%')."""

    label: str
    old: float | None
    new: float | None
    old_text: str | None = None
    new_text: str | None = None


@dataclass(frozen=True)
class Probabilities:
    table: str  # the table's title
    id: str | None
    moves: tuple[Move, ...]


@dataclass(frozen=True)
class Figure:
    """One cell of a column of figures whose value moved (a str is a cell with no figure, e.g. 'n/a')."""

    label: str  # the row's first cell
    column: str
    old: float | str | None
    new: float | str | None
    old_text: str | None
    new_text: str | None


@dataclass(frozen=True)
class Figures:
    table: str  # the table's title
    id: str | None
    moves: tuple[Figure, ...]


@dataclass(frozen=True)
class Items:
    """Rows of a table, numbered items, FAQ entries, sections or references added / removed / reworded."""

    group: str  # the table title or section heading, or "Sections", "References", "Tables"
    added: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()
    reworded: tuple[str, ...] = ()
    renamed: tuple[tuple[str, str], ...] = ()  # (old name, new name): same place or same content


@dataclass(frozen=True)
class Comparison:
    old: Side
    new: Side
    stats: tuple[Stat, ...] = ()
    probabilities: tuple[Probabilities, ...] = ()
    figures: tuple[Figures, ...] = ()
    items: tuple[Items, ...] = ()
    prose: tuple[str, ...] = ()  # where prose was edited: "Title", "Standfirst", section headings
    charts: tuple[str, ...] = ()  # titles of charts whose data changed (inline or in a data file)

    @property
    def empty(self) -> bool:
        return not (self.stats or self.probabilities or self.figures or self.items or self.prose or self.charts)

    def to_json(self) -> dict:
        def plain(value):
            if isinstance(value, dt.date):
                return value.isoformat()
            if isinstance(value, dict):
                return {k: plain(v) for k, v in value.items()}
            if isinstance(value, (list, tuple)):
                return [plain(v) for v in value]
            return value

        return {"changed": not self.empty, **plain(dataclasses.asdict(self))}


# -- comparing ---------------------------------------------------------------------------------
def compare(old: Report, new: Report, old_label: str = "old", new_label: str = "new") -> Comparison:
    return Comparison(
        old=Side(old_label, old.as_of), new=Side(new_label, new.as_of),
        stats=_stats(old, new),
        probabilities=tuple(p for p in _probability_tables(old, new) if p.moves),
        figures=tuple(f for f in _figure_tables(old, new) if f.moves),
        items=tuple(i for i in _items(old, new) if i.added or i.removed or i.reworded or i.renamed),
        prose=_prose(old, new),
        charts=_charts(old, new),
    )


def _stats(old: Report, new: Report) -> tuple[Stat, ...]:
    before = {s.label: s.value for s in old.key_stats}
    after = {s.label: s.value for s in new.key_stats}
    out = [Stat(label, before.get(label), value) for label, value in after.items()
           if before.get(label) != value]
    out += [Stat(label, value, None) for label, value in before.items() if label not in after]
    return tuple(out)


def tables(report: Report) -> dict[str, Table]:
    """Tables by id, or by title when they have none."""
    out: dict[str, Table] = {}
    for _, block in report.blocks_with_paths():
        if isinstance(block, TableBlock):
            out.setdefault(block.table.id or f"title:{block.table.title}", block.table)
    return out


def _rows(table: Table) -> dict[str, list]:
    out: dict[str, list] = {}
    for row in table.rows:
        out.setdefault(str(row[0]), row)
    return out


def _probability_tables(old: Report, new: Report):
    before, after = tables(old), tables(new)
    for key, table in after.items():
        was = before.get(key)
        if table.probability is None or was is None or was.probability is None:
            continue
        a = dict(zip(was.labels(), was.probabilities()))
        b = dict(zip(table.labels(), table.probabilities()))
        old_format, new_format = _format(was, was.probability), _format(table, table.probability)
        moves = [Move(label, a.get(label), value, _shown(a.get(label), old_format), _shown(value, new_format))
                 for label, value in b.items() if a.get(label) != value]
        moves += [Move(label, value, None, _shown(value, old_format)) for label, value in a.items() if label not in b]
        yield Probabilities(table.title, table.id, tuple(moves))


def _format(table: Table, name: str | None) -> Column | None:
    return dict(zip(table.names, table.formats())).get(name) if name else None


def _shown(value: float | str | None, fmt: Column | None) -> str | None:
    """A figure as the table prints it."""
    if value is None or fmt is None or isinstance(value, str):
        return value
    return format_number(value, fmt)


def _figure_columns(table: Table) -> list[str]:
    return [n for n, f in zip(table.names, table.formats()) if f is not None and n != table.probability]


def _figure_tables(old: Report, new: Report):
    """The cells of columns of figures (in both versions) that moved, in rows of both versions."""
    before, after = tables(old), tables(new)
    for key, table in after.items():
        was = before.get(key)
        if was is None:
            continue
        columns = [c for c in _figure_columns(table) if c in _figure_columns(was)]
        rows_before, rows_after = _rows(was), _rows(table)
        moves = []
        for label, row in rows_after.items():
            if label not in rows_before:
                continue
            for column in columns:
                a = rows_before[label][was.names.index(column)]
                b = row[table.names.index(column)]
                if a != b:
                    moves.append(Figure(label, column, a, b, _shown(a, _format(was, column)),
                                        _shown(b, _format(table, column))))
        yield Figures(table.title, table.id, tuple(moves))


def _keyed_changes(group: str, before: dict[str, object], after: dict[str, object]) -> Items:
    added = [k for k in after if k not in before]
    removed = [k for k in before if k not in after]
    renamed = []
    for new in list(added):
        old = _renamed_from(new, removed, before, after)
        if old is not None:
            renamed.append((old, new))
            added.remove(new)
            removed.remove(old)
    return Items(group, added=tuple(added), removed=tuple(removed),
                 reworded=tuple(k for k in after if k in before and before[k] != after[k]),
                 renamed=tuple(renamed))


def _renamed_from(new: str, removed: list[str], before: dict, after: dict) -> str | None:
    """A removed entry that is really this one renamed: same content, or same place and a close name."""
    same = [k for k in removed if before[k] == after[new] and before[k] != 0]
    if same:
        return same[0]
    at = list(after).index(new)
    old = list(before)[at] if at < len(before) else None
    if old in removed and difflib.SequenceMatcher(None, old, new).ratio() >= RENAME_SIMILARITY:
        return old
    return None


def _items(old: Report, new: Report):
    before, after = tables(old), tables(new)
    yield _keyed_changes("Tables", {before[k].title: 0 for k in before}, {after[k].title: 0 for k in after})
    for key, table in after.items():
        was = before.get(key)
        if was is None:
            continue
        figures = set(_figure_columns(was)) | set(_figure_columns(table))  # compared as figures
        items = _keyed_changes(table.title, _wording(was, figures), _wording(table, figures))
        if table.probability and was.probability:  # rows added or dropped show as probability moves
            items = Items(items.group, reworded=items.reworded)
        yield items
    lists_before, lists_after = _lists(old), _lists(new)
    for key, entries in lists_after.items():
        if key in lists_before:
            yield _keyed_changes(key[0], lists_before[key], entries)
    yield _keyed_changes("Sections", {s.heading: 0 for s in old.sections},
                         {s.heading: 0 for s in new.sections})
    yield _keyed_changes("References", {r.title: r for r in old.references},
                         {r.title: r for r in new.references})


def _wording(table: Table, figures: set[str]) -> dict[str, tuple]:
    """Each row's cells other than its probability and its figures: a change here is a rewording."""
    skip = figures | {table.names[0], table.probability}
    return {label: tuple(c for name, c in zip(table.names, row) if name not in skip)
            for label, row in _rows(table).items()}


def _lists(report: Report) -> dict[tuple, dict[str, str]]:
    """Numbered lists and FAQs, keyed by (section heading, kind, index among those in the section)."""
    out: dict[tuple, dict[str, str]] = {}
    for section in report.sections:
        count = {"numbered": 0, "faq": 0}
        for block in section.blocks:
            if isinstance(block, ListBlock):
                entries = {i.title: i.text for i in block.numbered}
                kind = "numbered"
            elif isinstance(block, FaqBlock):
                entries = {q.question: q.answer for q in block.faq}
                kind = "faq"
            else:
                continue
            out.setdefault((section.heading, kind, count[kind]), entries)
            count[kind] += 1
    return out


def _section_prose(section) -> tuple:
    parts: list = [section.title]
    for block in section.blocks:
        if isinstance(block, TextBlock):
            parts.append(block.text)
        elif isinstance(block, CalloutBlock):
            parts.append(block.callout)
        elif isinstance(block, ParagraphBlock):
            parts.append((block.paragraph.lead, block.paragraph.text))
    return tuple(parts)


def _prose(old: Report, new: Report) -> tuple[str, ...]:
    out = [name for name, a, b in (("Title", old.title, new.title), ("Standfirst", old.dek, new.dek))
           if a != b]
    before = {s.heading: _section_prose(s) for s in old.sections}
    out += [s.heading for s in new.sections
            if s.heading in before and before[s.heading] != _section_prose(s)]
    if old.disclaimer != new.disclaimer:
        out.append("Disclaimer")
    return tuple(out)


def _charts(old: Report, new: Report) -> tuple[str, ...]:
    def lines(report: Report) -> dict[str, dict]:
        """Each chart's numbers and labels (inline or from its data file), by title; a probability
        chart's move with its table."""
        return {b.chart.title: b.chart.model_dump(exclude={"title", "caption", "source", "data"})
                for _, b in report.blocks_with_paths()
                if hasattr(b, "chart") and not isinstance(b.chart, ProbabilityChart)}

    before, after = lines(old), lines(new)
    return tuple(t for t, data in after.items() if t in before and before[t] != data)


# -- rendering ---------------------------------------------------------------------------------
def pct(value: float | None, shown: str | None = None) -> str:
    """A probability as the table prints it (`shown`), else in % as written."""
    return "" if value is None else shown or f"{value:g}%"


def terminal(c: Comparison) -> str:
    """A readable report for a terminal, one heading per kind of change."""
    out = [f"from {c.old.label} (as of {c.old.as_of}) to {c.new.label} (as of {c.new.as_of})"]
    if c.empty:
        out.append("no changes to key stats, probabilities, figures, items or prose")
        return "\n".join(out) + "\n"
    if c.stats:
        out.append("\nKey stats")
        out += [f"  {_change_text(s.label, s.old, s.new)}" for s in c.stats]
    if c.probabilities:
        out.append("\nProbabilities")
        for p in c.probabilities:
            out.append(f"  {p.table}")
            out += [f"    {_change_text(m.label, pct(m.old, m.old_text) or None, pct(m.new, m.new_text) or None)}"
                    for m in p.moves]
    if c.figures:
        out.append("\nFigures")
        for f in c.figures:
            out.append(f"  {f.table}")
            out += [f"    {m.label}, {m.column}: {m.old_text} -> {m.new_text}".replace(NBSP, " ")
                    for m in f.moves]  # a plain space where the PDF keeps a unit on the line
    for group in c.items:
        out.append(f"\n{group.group}")
        out += [f"  + {x} (added)" for x in group.added]
        out += [f"  - {x} (removed)" for x in group.removed]
        out += [f"  ~ {x} (reworded)" for x in group.reworded]
        out += [f"  ~ {a} -> {b} (renamed)" for a, b in group.renamed]
    if c.charts:
        out.append("\nChart data changed")
        out += [f"  {t}" for t in c.charts]
    if c.prose:
        out.append("\nProse edited")
        out += [f"  {p}" for p in c.prose]
    return "\n".join(out) + "\n"


def _change_text(label: str, old: str | None, new: str | None, arrow: str = "->") -> str:
    if old is None:
        return f"{label}: new, {new}"
    if new is None:
        return f"{label}: removed (was {old})"
    return f"{label}: {old} {arrow} {new}"


def _names(names: tuple[str, ...], quote: tuple[str, str]) -> str:
    shown = [f"{quote[0]}{n}{quote[1]}" for n in names[:MAX_NAMED]]
    if len(names) > MAX_NAMED:
        shown.append(f"{len(names) - MAX_NAMED} more")
    return ", ".join(shown)


def summary(c: Comparison, arrow: str = "→", quote: tuple[str, str] = ("“", "”")) -> list[tuple[str, str]]:
    """The change box's lines, as (bold lead, text): numbers that moved, items added or removed."""
    lines = []
    for p in c.probabilities:
        moves = [_move_text(m, arrow) for m in p.moves]
        lines.append((f"{p.table}:", ", ".join(moves[:MAX_NAMED + 1])
                      + (f", {len(moves) - MAX_NAMED - 1} more" if len(moves) > MAX_NAMED + 1 else "")))
    if c.stats:
        stats = [_change_text(s.label, s.old, s.new, arrow).replace(": ", " ", 1) for s in c.stats]
        lines.append(("Key figures:", "; ".join(stats)))
    for f in c.figures:
        moves = [f"{m.label} {m.column} {m.old_text} {arrow} {m.new_text}" for m in f.moves]
        lines.append((f"{f.table}:", "; ".join(moves[:MAX_NAMED + 1])
                      + (f"; {len(moves) - MAX_NAMED - 1} more" if len(moves) > MAX_NAMED + 1 else "")))
    for group in c.items:
        parts = []
        if group.added:
            parts.append(f"added {_names(group.added, quote)}")
        if group.removed:
            parts.append(f"removed {_names(group.removed, quote)}")
        if group.reworded:
            n = len(group.reworded)
            parts.append(f"{n} {'entry' if n == 1 else 'entries'} reworded")
        for old, new in group.renamed[:MAX_NAMED]:
            parts.append(f"{quote[0]}{old}{quote[1]} renamed {quote[0]}{new}{quote[1]}")
        lead = f"{group.group}:"
        if lead in dict(lines):  # a table whose figures moved: its other changes on the same line
            at = [x for x, _ in lines].index(lead)
            lines[at] = (lead, "; ".join([lines[at][1], *parts]))
        else:
            lines.append((lead, "; ".join(parts)))
    if c.charts:
        lines.append(("Chart data updated:", _names(c.charts, quote)))
    if c.prose:
        lines.append(("Text revised:", ", ".join(c.prose)))
    if not lines:
        lines.append(("No changes", "to figures, probabilities or text."))
    return lines


def _move_text(m: Move, arrow: str) -> str:
    old, new = pct(m.old, m.old_text), pct(m.new, m.new_text)
    if m.old is None:
        return f"{m.label} new at {new}"
    if m.new is None:
        return f"{m.label} dropped (was {old})"
    return f"{m.label} {old} {arrow} {new}"
