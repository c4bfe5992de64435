"""`report watch INPUT... [-o OUT]`: build each input, then rebuild it whenever a file it depends on
changes (report.dependencies: the input, its brand's files), in one warm process.

File events come from watchfiles (the Rust `notify` crate: inotify, FSEvents, ReadDirectoryChanges;
it polls where those are missing, or with --poll). The folders holding the dependencies are watched
rather than the files, so an editor that saves by writing a new file and renaming it over the old
one is seen like any other save. A bad save prints its located errors and leaves the last good PDF
in place (builds write atomically). Ctrl-C stops it cleanly, between or during builds.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

from report.commands.options import add_build_options, add_inputs
from report.errors import ExitCode


def register(sub) -> None:
    w = sub.add_parser("watch", help="build, then rebuild each input whenever it or its brand changes",
                       description="Build each input, then rebuild it whenever it, or a file of its "
                       "brand, changes, until Ctrl-C. A save with mistakes prints them and keeps the "
                       "last good PDF.")
    add_inputs(w, "report input (YAML) to build and watch")
    add_build_options(w)
    w.add_argument("--poll", action="store_true", help="poll the files for changes instead of "
                   "waiting for the system's file events (network drives, some containers)")
    w.set_defaults(func=cmd_watch)


def _say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def _key(path: Path | str) -> str:
    return os.path.realpath(path)


class Watched:
    """What each input depends on now, recomputed after each of its builds."""

    def __init__(self, jobs):
        self.jobs = jobs
        self.deps: dict = {job: {_key(job.source)} for job in jobs}
        self.fonts_read: set[str] = set()

    def update(self, job, outcome) -> None:
        from report.dependencies import dependencies

        self.deps[job] = {_key(p) for p in dependencies(job.source, outcome.brand_file)}
        if outcome.code == ExitCode.OK:
            self.fonts_read |= {p for p in self.deps[job] if p.lower().endswith(".ttf")}

    def folders(self) -> list[str]:
        return sorted({os.path.dirname(p) for deps in self.deps.values() for p in deps
                       if os.path.isdir(os.path.dirname(p))})

    def due(self, changed: set[str]) -> list:
        return [job for job in self.jobs if self.deps[job] & changed]

    def wanted(self, _change, path: str) -> bool:
        return _key(path) in set().union(*self.deps.values())


def _round(jobs, watched: Watched, themes, started: float) -> None:
    from report.commands.jobs import Printer, run_job
    from report.targets import output_path

    printer = Printer(started)  # a new one per round: its times count from the save, and errors show again
    for job in jobs:
        if not job.source.exists():
            _say(f"{job.source}: removed; waiting for it to come back (the last PDF stays)")
            continue
        outcome = run_job(job, themes)
        printer.show(outcome)
        if outcome.code != ExitCode.OK:
            target = output_path(job.source, job.out, job.paper)
            _say(f"{job.source}: not built; " + (f"{target} is the last good PDF" if target.exists()
                                                  else "no PDF yet") + "; waiting for the next save")
        watched.update(job, outcome)


def cmd_watch(args) -> int:
    from report.commands.jobs import Job, Themes, clashes

    jobs = [Job(path, args.brand, args.paper, args.out, not args.no_changes, args.print_marks)
            for path in args.inputs]
    clash = clashes(jobs)
    if clash is not None:
        _say(str(clash))
        return clash.code
    watched, themes = Watched(jobs), Themes()
    try:
        _round(jobs, watched, themes, args.started)
        _loop(watched, themes, args.poll)
    except KeyboardInterrupt:
        pass
    _say("report watch: stopped")
    return ExitCode.OK


def _loop(watched: Watched, themes, poll: bool) -> None:
    from watchfiles import watch

    while True:
        folders, ready = watched.folders(), False
        # yield_on_timeout: an empty batch soon after the start says the watcher is in place
        for changes in watch(*folders, watch_filter=watched.wanted, recursive=False,
                             force_polling=poll or None, debounce=1600, step=50,
                             rust_timeout=250, yield_on_timeout=True):
            if not ready:
                ready = True
                files = len(set().union(*watched.deps.values()))
                _say(f"watching {len(watched.jobs)} input{'s' if len(watched.jobs) > 1 else ''} "
                     f"and the files they use ({files} in all) for changes; Ctrl-C stops")
            if not changes:
                continue
            changed = {_key(path) for _, path in changes}
            started = time.perf_counter()
            fonts = sorted(p for p in changed & watched.fonts_read)
            if fonts:
                _say(f"report: note: {os.path.basename(fonts[0])} changed: fonts are read once per "
                     "process, restart `report watch` to use the new file")
            _round(watched.due(changed), watched, themes, started)
            if watched.folders() != folders:
                break  # a dependency moved to another folder: watch the new set
