"""An input file in git -> its committed versions as models, the change box's comparison, the
probability history and the version id printed on every page.

Versions that no longer validate against today's format are skipped with a note, never a crash.
Several versions with one as-of date (corrections) count once: the latest of them.
"""

from __future__ import annotations

import datetime as dt
import posixpath
from dataclasses import dataclass
from pathlib import Path

from report.errors import ReportError
from report.input.model import ProbabilityChart, Report, Table
from report.numbers import format_number, needed_decimals
from report.versions import git
from report.versions.compare import Comparison, compare, tables

WORKING = "working copy"
SHALLOW_HINT = "run `git fetch --unshallow` for the full history"


@dataclass(frozen=True)
class Version:
    """One committed version of the input that still validates."""

    commit: str
    report: Report

    @property
    def short(self) -> str:
        return self.commit[:git.SHORT]


@dataclass(frozen=True)
class Point:
    as_of: dt.date
    label: str  # short commit id, or "working copy"
    values: tuple[tuple[str, float], ...]  # (row label, probability in %)


@dataclass(frozen=True)
class History:
    """How one probability table moved across versions, oldest first, one point per as-of date."""

    table: str  # title of the table in the current version
    labels: tuple[str, ...]  # row labels, in the current version's order (then any dropped ones)
    tones: tuple[tuple[str, str], ...]  # (row label, tone)
    points: tuple[Point, ...]
    latest: tuple[tuple[str, str], ...]  # (row label, its latest value as the table prints it)


@dataclass(frozen=True)
class Versions:
    """What the input's history adds to a PDF. Empty (id "") when the input is not in git."""

    id: str = ""  # "1a2b3c4", "1a2b3c4+modified", "uncommitted" or ""
    changes: Comparison | None = None
    history: History | None = None
    notes: tuple[str, ...] = ()

    @property
    def footer(self) -> str:
        return f"rev {self.id}" if self.id and self.id != "uncommitted" else self.id


def version_id(t: git.Tracked, revs: list[git.Revision], data: tuple[str, ...] = ()) -> str:
    """The last commit that changed the input or one of its data files (`data`, relative to the
    input's folder), "+modified" when any of them differs from it."""
    if not revs:
        return "uncommitted"
    files = [git.Tracked(t.root, posixpath.normpath(posixpath.join(posixpath.dirname(t.path), d))) for d in data]
    newest = revs[0].short
    if files:
        out = git.run(t.root, "log", "-1", "--format=%H", "HEAD", "--", t.path, *(f.path for f in files))
        newest = out.decode().strip()[:git.SHORT] or newest
    clean = all(git.state(f) == "clean" for f in [t, *files])
    return newest + ("" if clean else "+modified")


@dataclass(frozen=True)
class AtRevision:
    """The data files of an input as committed in one revision (a report.input.csvdata.Source)."""

    t: git.Tracked
    revision: git.Revision

    def read(self, relative: str) -> tuple[str, bytes]:
        from report.input.csvdata import MAX_CSV_BYTES
        from report.input.files import Refused

        path = posixpath.join(posixpath.dirname(self.revision.path), relative)
        name = f"{path}@{self.revision.short}"
        mode = git.modes(self.t, self.revision.commit, [path]).get(path)
        if mode is None:
            raise Refused(f"data file '{relative}' is not in commit {self.revision.short}")
        if mode == "120000":
            raise Refused(f"data file '{relative}' is a symbolic link in commit {self.revision.short}",
                          "commit the file itself, not a link to it")
        if not mode.startswith("100"):
            raise Refused(f"data file '{relative}' is not a regular file in commit {self.revision.short}")
        raw = git.read(self.t, [git.Revision(self.revision.commit, path)]).get(self.revision.commit)
        if raw is None:
            raise Refused(f"data file '{relative}' is not in commit {self.revision.short}")
        if len(raw) > MAX_CSV_BYTES:
            raise Refused(f"data file '{relative}' is {len(raw):,} bytes, over the {MAX_CSV_BYTES:,}-byte limit")
        return name, raw


def load_versions(t: git.Tracked, revs: list[git.Revision], notes: list[str]) -> list[Version]:
    """The revisions that still validate, newest first, each with its data files as committed in
    the same revision; each one skipped gets a note."""
    from report.input.load import decode, load_text
    from report.input.parse import validate_report

    out = []
    blobs = git.read(t, revs)
    for r in revs:
        raw = blobs.get(r.commit)
        if raw is None:
            continue
        name = f"{r.path}@{r.short}"
        try:
            data, smap = load_text(name, decode(name, raw))
            out.append(Version(r.commit, validate_report(data, smap, AtRevision(t, r))))
        except ReportError as exc:
            first = exc.diagnostics[0] if exc.diagnostics else None
            why = f": {first.path + ': ' if first and first.path else ''}{first.message}" if first else ""
            notes.append(f"skipped version {r.short}: it no longer validates{why}")
    return out


def collect(source: Path, report: Report, *, changes: bool = True) -> Versions:
    """Version id, and (unless `changes` is off) the change box and probability history."""
    try:
        t = git.locate(source)
        if t is None:
            return Versions()
        revs = git.revisions(t)
        vid = version_id(t, revs, tuple(dict.fromkeys(c.data for c in data_charts(report))))
        if not changes or not revs:
            return Versions(vid)
        if git.is_shallow(t):
            return Versions(vid, notes=("the input is in a shallow clone: no change box or history "
                                        f"chart; {SHALLOW_HINT}",))
        notes: list[str] = []
        versions = load_versions(t, revs, notes)
    except git.GitError as exc:
        return Versions(notes=(f"version history unavailable: {exc}",))
    return Versions(vid, baseline_changes(report, versions), history(report, versions), tuple(notes))


def data_charts(report: Report) -> list:
    """The charts that take their numbers from a data file."""
    return [b.chart for _, b in report.blocks_with_paths()
            if getattr(getattr(b, "chart", None), "data", None) is not None]


def baseline(report: Report, versions: list[Version]) -> Version | None:
    """The newest committed version whose as-of date is earlier than the report's."""
    return next((v for v in versions if v.report.as_of < report.as_of), None)


def baseline_changes(report: Report, versions: list[Version]) -> Comparison | None:
    base = baseline(report, versions)
    return None if base is None else compare(base.report, report, base.short, WORKING)


def history_table(report: Report) -> Table | None:
    """The table a probability chart shows (the scenarios), else the first with probabilities."""
    for _, block in report.blocks_with_paths():
        chart = getattr(block, "chart", None)
        if isinstance(chart, ProbabilityChart):
            return report.table(chart.table)
    return next((t for t in tables(report).values() if t.probability), None)


def _same_table(report: Report, current: Table) -> Table | None:
    found = tables(report).get(current.id or f"title:{current.title}")
    return found if found is not None and found.probability else None


def history(report: Report, versions: list[Version]) -> History | None:
    """Probabilities of the history table across versions; None with fewer than two dates."""
    current = history_table(report)
    if current is None:
        return None
    by_date: dict[dt.date, Point] = {}
    for label, version in [(v.short, v.report) for v in reversed(versions)] + [(WORKING, report)]:
        table = _same_table(version, current)
        if table is not None and version.as_of <= report.as_of:  # the latest per date wins
            by_date[version.as_of] = Point(version.as_of, label,
                                           tuple(zip(table.labels(), table.probabilities())))
    if len(by_date) < 2:
        return None
    points = tuple(by_date[d] for d in sorted(by_date))
    labels = list(current.labels())
    labels += [k for p in points for k, _ in p.values if k not in labels]
    tones = tuple((k, current.tones.get(k, "neutral")) for k in labels)
    labels = list(dict.fromkeys(labels))
    return History(current.title, tuple(labels), tones, points, _latest(current, labels, points))


def _latest(current: Table, labels: list[str], points: tuple[Point, ...]) -> tuple[tuple[str, str], ...]:
    """Each row's latest value, printed in the current table's probability format (a row that is no
    longer in the table keeps every digit it was written with: nothing is rounded)."""
    fmt = current.formats()[current.names.index(current.probability)]
    last: dict[str, float] = {}
    for point in points:  # oldest first: the latest value of each row wins
        last.update(point.values)
    return tuple((label, format_number(last[label], fmt.model_copy(
        update={"decimals": max(fmt.decimals or 0, needed_decimals(last[label]))}))) for label in labels if label in last)
