"""A list of inputs -> built PDFs and one line per input, in input order: in this process, or in
worker processes (`report build -j N`), or again and again (`report watch`).

Every input goes through `run_job`, wherever it runs, so a parallel build writes the same bytes, the
same messages and the same exit code as a serial one. Workers return plain data (`Outcome`); only
this process prints.
"""

from __future__ import annotations

import os
import sys
import time
import traceback
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from report.commands.options import PAPER_NAMES
from report.numbers import counted
from report.errors import Diagnostic, ExitCode, ReportError


@dataclass(frozen=True)
class Job:
    """One input to build, with the command's options."""

    source: Path
    brand: str | None = None
    paper: str = "a4"
    out: Path | None = None
    changes: bool = True
    print_marks: bool = False
    final: bool = False  # a draft is refused


@dataclass(frozen=True)
class Outcome:
    """What became of one job: a PDF written, or the messages saying why not."""

    source: Path
    paper: str
    code: int = ExitCode.OK
    target: Path | None = None
    pages: int = 0
    size: int = 0
    errors: str = ""  # the located messages, for stderr
    notes: tuple[str, ...] = ()
    brand_file: Path | None = None  # the brand used (or that failed), for `report watch`


class Themes:
    """Brands read once per process, by brand file; a brand whose files changed is read again
    (`report watch`), and a broken brand's error is kept like a theme."""

    def __init__(self):
        self._cache: dict[Path, tuple[tuple, object]] = {}

    def get(self, brand: str | None, near: Path):
        """(brand file, Theme); raises ReportError when the brand is missing or broken."""
        from report.brand.discover import find_brand
        from report.brand.theme import read_theme
        from report.dependencies import brand_files, fingerprint

        file = find_brand(brand, near).file
        stamp = fingerprint(brand_files(file))
        cached = self._cache.get(file)
        if cached is None or cached[0] != stamp:
            try:
                value: object = read_theme(file)
            except ReportError as exc:
                value = exc
            cached = self._cache[file] = (stamp, value)
        if isinstance(cached[1], ReportError):
            raise ReportError(cached[1].diagnostics, cached[1].code)
        return file, cached[1]


def run_job(job: Job, themes: Themes, helper=None) -> Outcome:
    """Build one input and say how it went; a user's mistake and a bug alike become an Outcome.
    `helper`: a report.charts.helper.Helper that draws the charts meanwhile."""
    from report.brand.discover import find_brand

    brand_file = None
    try:
        brand_file, theme = themes.get(job.brand, job.source)
        from report.build import build_input

        built = build_input(job.source, theme, job.paper, job.out, changes=job.changes, final=job.final,
                            helper=helper, **render_options(job.print_marks))
    except ReportError as exc:
        if brand_file is None:
            try:
                brand_file = find_brand(job.brand, job.source).file
            except ReportError:
                pass
        return Outcome(job.source, job.paper, exc.code, errors=str(exc), brand_file=brand_file)
    except Exception:  # a bug: shown with its traceback, and the other inputs still build
        return Outcome(job.source, job.paper, ExitCode.INTERNAL, brand_file=brand_file, errors=(
            f"{traceback.format_exc().rstrip()}\nreport: internal error (a bug) while building "
            f"{job.source}; please report it with the traceback above"))
    return Outcome(job.source, job.paper, ExitCode.OK, built.target, built.pages, len(built.pdf),
                   notes=tuple(built.notes), brand_file=brand_file)


def render_options(print_marks: bool) -> dict:
    """Options for report.build.render from the command line (`--print-marks`)."""
    if not print_marks:
        return {}
    from report.layout.marks import PrintMarks

    return {"crop_marks": PrintMarks()}


def _err(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


@dataclass
class Printer:
    """Prints each outcome as it is met, in input order. A line's time is the wall time since the
    previous line (the first: since the command started), so the times add up to what the user
    waited; a broken brand's messages are printed once, not once per input."""

    started: float
    last: float = 0.0
    code: int = ExitCode.OK
    not_built: list[Path] = field(default_factory=list)
    shown: set[str] = field(default_factory=set)

    def __post_init__(self):
        self.last = self.started

    def show(self, o: Outcome) -> None:
        now = time.perf_counter()
        waited, self.last = now - self.last, now
        self.code = max(self.code, o.code)
        if o.code == ExitCode.OK:
            print(f"built {o.target} from {o.source}: {counted(o.pages, 'page')}, {PAPER_NAMES[o.paper]}, "
                  f"{o.size / 1024:.0f} KB, {waited:.2f} s", flush=True)
        else:
            self.not_built.append(o.source)
            if o.code == ExitCode.BRAND_ERROR and o.errors in self.shown:
                _err(f"{o.source}: error: not built: its brand is missing or invalid (see above)")
            else:
                _err(o.errors)
                self.shown.add(o.errors)
        for note in o.notes:
            _err(f"{o.source}: note: {note}")

    def summary(self, total: int, workers: int) -> None:
        built = total - len(self.not_built)
        where = f" on {workers} workers" if workers > 1 else ""
        line = f"build: {built} of {total} reports built in {time.perf_counter() - self.started:.2f} s{where}"
        if self.not_built:
            line += "; not built: " + ", ".join(str(p) for p in self.not_built)
        _err(line)


def clashes(jobs: list[Job]) -> ReportError | None:
    """Two inputs that would write the same PDF (or one input given twice): refused before any build."""
    from report.targets import output_path

    seen: dict[Path, Job] = {}
    problems = []
    for job in jobs:
        target = output_path(job.source, job.out, job.paper)
        key = target.absolute()
        if key in seen:
            problems.append(Diagnostic("report", 0, 0, f"{seen[key].source} and {job.source} would "
                                       f"both be written to {target}",
                                       hint="give each input once, and different names or folders"))
        seen.setdefault(key, job)
    return ReportError(problems, ExitCode.USAGE) if problems else None


def default_workers() -> int:
    """The cores this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def run_all(jobs: list[Job], workers: int, started: float) -> int:
    """Build every job, `workers` at a time, printing one line per input in input order; returns
    the highest exit code met."""
    printer = Printer(started)
    workers = max(1, min(workers, len(jobs)))
    charts = Charted(jobs)
    if workers == 1:
        from report.charts.helper import Helper

        themes = Themes()
        helper = Helper.start() if charts.to_draw else None  # first thing: it imports matplotlib meanwhile
        try:
            with Collections() as collections:
                for i, job in enumerate(jobs):
                    printer.show(charts.built(i, run_job(job, themes, helper)))
                    if i < len(jobs) - 1:
                        collections.between_reports()
        finally:
            if helper is not None:
                helper.close()
    else:
        _in_workers(jobs, workers, printer, charts)
    if len(jobs) > 1:
        printer.summary(len(jobs), workers)
    return printer.code


class Charted:
    """Whether any chart will be drawn, known before anything is parsed: from the chart cache's note
    of the inputs (by their bytes) built before with every chart stored. Then no helper process is
    started, nor matplotlib imported by the fork server, for a rebuild that only reads charts."""

    def __init__(self, jobs: list[Job]):
        from report.charts.cache import all_stored, cache_dir

        self.sources: list[bytes | None] = []
        for job in jobs:
            try:
                self.sources.append(Path(job.source).read_bytes() if cache_dir() is not None else None)
            except OSError:  # its build will say why
                self.sources.append(None)
        self.to_draw = cache_dir() is None or not all(s is None or all_stored(s) for s in self.sources)

    def built(self, index: int, outcome: Outcome) -> Outcome:
        """Note a built input's charts as stored (they are, once it is built)."""
        source = self.sources[index]
        if outcome.code == ExitCode.OK and source is not None:
            from report.charts.cache import mark_stored

            mark_stored(source)
        return outcome


class Collections:
    """The garbage collector, off while reports are built and run once between two of them.

    Its passes over everything a build imports (reportlab, pydantic, the model: most of the objects
    a process ever holds) cost about a sixth of a cold build, and free almost nothing: what a
    report leaves behind is collected once it is done, and what survives that (modules, brands,
    fonts) is frozen out of later passes, so that they cost little. The collector's state is put
    back when the block ends (tests build in their own process)."""

    def __enter__(self) -> Collections:
        import gc

        self._was, self._frozen = gc.isenabled(), False
        gc.disable()
        return self

    def between_reports(self) -> None:
        import gc

        gc.collect()
        if not self._frozen:
            gc.freeze()
            self._frozen = True

    def __exit__(self, *exc) -> None:
        import gc

        if self._frozen:
            gc.unfreeze()
        if self._was:
            gc.enable()


def _in_workers(jobs: list[Job], workers: int, printer: Printer, charts: Charted) -> None:
    from concurrent.futures import ProcessPoolExecutor

    pool = ProcessPoolExecutor(workers, mp_context=_context(charts.to_draw), initializer=_worker_start,
                               initargs=(os.getcwd(), dict(os.environ)))
    try:
        with _no_interrupt():  # a worker interrupted while it starts would print a traceback
            futures = [pool.submit(_worker_run, job) for job in jobs]
        for i, future in enumerate(futures):
            printer.show(charts.built(i, future.result()))
    except BaseException:
        pool.shutdown(wait=True, cancel_futures=True)  # the builds under way finish (atomically)
        raise
    pool.shutdown(wait=True)


@contextmanager
def _no_interrupt():
    """Ctrl-C held back until the block ends (then raised as usual), where the system can do it."""
    import signal

    if not hasattr(signal, "pthread_sigmask"):
        yield
        return
    signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})


def _context(charts: bool = True):
    """A fork server where there is one: it imports the renderer once (report.commands.worker, and
    matplotlib with the chart kinds when `charts` will be drawn) and forks warm workers from a
    process that holds no threads or state of this one; else spawn."""
    import multiprocessing

    if "forkserver" not in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("spawn")
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["report.commands.worker"] + (["report.charts.warm"] if charts else []))
    return context


_WORKER_THEMES: Themes | None = None
_WORKER_COLLECTIONS: Collections | None = None


def _worker_start(cwd: str, env: dict[str, str]) -> None:
    """Each worker: this command's folder and variables (a fork server may have started earlier,
    elsewhere), no Ctrl-C (the main process stops the pool), a brand cache of its own."""
    import signal

    from report.safety import isolate

    global _WORKER_THEMES, _WORKER_COLLECTIONS
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    os.chdir(cwd)
    os.environ.clear()
    os.environ.update(env)
    isolate()  # (again: a spawned worker did not import report.commands.worker)
    _WORKER_THEMES = Themes()
    _WORKER_COLLECTIONS = Collections().__enter__()  # for the worker's life


def _worker_run(job: Job) -> Outcome:
    assert _WORKER_THEMES is not None and _WORKER_COLLECTIONS is not None
    try:
        return run_job(job, _WORKER_THEMES)
    finally:
        _WORKER_COLLECTIONS.between_reports()
