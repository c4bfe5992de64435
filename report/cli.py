"""Command line: the `report` parser and its subcommands, and a `main(argv) -> int` that tests call
in-process. Each subcommand lives in its own module (`report/commands/`, `report/versions/cli.py`,
`report/delivery/cli.py`); here are only the parser, the exit codes and what no command may show:
a traceback for a closed pipe or a Ctrl-C."""

from __future__ import annotations

import argparse
import importlib
import io
import os
import sys
import textwrap
import time
import traceback

from report import __version__
from report.errors import ExitCode

EPILOG = "exit codes:\n" + "".join(f"  {c.value:<4d}{c.meaning}\n" for c in ExitCode)

# Each subcommand and the module that adds it: the module's `register(subparsers)` adds its parsers
# and sets `func` on them. A command line that names its subcommand imports that module only (the
# others' parsers cost a build or a `report validate` time for nothing); --help and mistakes see all.
# Keep the modules' top-level imports light: `report validate` must stay fast.
COMMANDS: dict[str, str] = {
    "build": "report.commands.build", "validate": "report.commands.validate",
    "watch": "report.commands.watch", "init": "report.commands.init", "brands": "report.commands.brands",
    "schema": "report.commands.schema", "diff": "report.versions.cli", "new": "report.versions.cli",
    "email": "report.delivery.cli", "print": "report.delivery.cli",
}
COMMAND_MODULES: tuple[str, ...] = tuple(dict.fromkeys(COMMANDS.values()))


class Parser(argparse.ArgumentParser):
    """A subcommand's parser: options may come before, between or after the inputs
    (`report build a.yaml -o out/ b.yaml`), and the exit codes are listed under --help."""

    _parsing = False

    def __init__(self, *args, **kwargs):
        if kwargs.get("description") and "\n" not in kwargs["description"]:
            kwargs["description"] = textwrap.fill(kwargs["description"], 88)  # the epilog stays raw
        kwargs.setdefault("epilog", EPILOG)
        kwargs.setdefault("formatter_class", argparse.RawDescriptionHelpFormatter)
        super().__init__(*args, **kwargs)

    def parse_known_args(self, args=None, namespace=None):
        if self._parsing or self._subparsers is not None:
            return super().parse_known_args(args, namespace)
        self._parsing = True  # parse_known_intermixed_args calls back into parse_known_args
        try:
            return self.parse_known_intermixed_args(args, namespace)
        finally:
            self._parsing = False


def _parser(argv: list[str] | None = None) -> argparse.ArgumentParser:
    """The parser, with every subcommand, or only the one `argv` names first."""
    p = argparse.ArgumentParser(prog="report", description="Branded, print-ready research reports "
                                "from YAML.", epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--version", action="version", version=f"report {__version__}",
                   help="print the version and exit")
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMAND", parser_class=Parser)
    named = argv[0] if argv else None
    modules = (COMMANDS[named],) if named in COMMANDS else COMMAND_MODULES
    for module in modules:  # each adds its own subcommands; imported only to register them
        importlib.import_module(module).register(sub)
    return p


def _say(message: str) -> None:
    try:
        print(message, file=sys.stderr)
    except (BrokenPipeError, ValueError):  # stderr closed too: nobody is listening
        pass


def _quiet_stdout() -> None:
    """After a closed pipe: point stdout at /dev/null, so the interpreter's last flush of what is
    still buffered cannot fail again (and print 'Exception ignored …')."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError, io.UnsupportedOperation):  # no real file: a test's
        pass


# Commands that may run for long (watching, sending to many readers): the garbage collector stays on.
KEEP_RUNNING = frozenset({"watch", "email", "print"})


def main(argv: list[str] | None = None, *, started: float | None = None, exiting: bool = False) -> int:
    """Run one `report` command; returns its exit code. `started` is the perf_counter() time the
    user started waiting (the console script passes the process's start), for the build lines.

    The garbage collector is off while a short command runs: its passes over every module a
    command imports cost a validate or a build a tenth of its time and free nothing (a batch
    collects between reports, see report.commands.jobs.Collections). It is put back afterwards,
    unless the process is `exiting` with the command (the console script), when that would only
    cost a last pass."""
    import gc

    started = time.perf_counter() if started is None else started
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _run(argv, started)
    except BrokenPipeError:  # `report validate … | head -1`: the reader has all it wanted
        _quiet_stdout()
        return ExitCode.CLOSED_PIPE
    except KeyboardInterrupt:
        _say("report: interrupted; no file is left half-written")
        return ExitCode.INTERRUPTED
    finally:
        if collecting and not exiting:
            gc.enable()


def _run(argv: list[str] | None, started: float) -> int:
    import gc

    from report.safety import isolate

    ignored = isolate()  # before reportlab is imported: no settings file or RL_* variable applies
    if ignored:
        _say(f"report: note: ignoring {', '.join(ignored)}; the output never depends on them")
    try:
        args = _parser(sys.argv[1:] if argv is None else argv).parse_args(argv)
    except SystemExit as exc:  # argparse: --help/--version exit 0, usage errors exit 2
        return int(exc.code or 0)
    if args.command in KEEP_RUNNING:
        gc.enable()
    args.started = started
    try:
        code = int(args.func(args))
        sys.stdout.flush()  # a closed pipe shows here, inside the handler, not at exit
        return code
    except (BrokenPipeError, KeyboardInterrupt):
        raise
    except Exception:  # a bug, not a user's mistake: always show where it happened
        traceback.print_exc()
        _say("report: internal error (a bug); please report it with the traceback above")
        return ExitCode.INTERNAL


def process_started() -> float:
    """When this process started, as a perf_counter() time: the build line's time then includes
    the interpreter's start and the imports, which the user waited for too (Linux; elsewhere, the
    time this module was imported)."""
    now = time.perf_counter()
    try:
        with open("/proc/self/stat", "rb") as stat:
            fields = stat.read().rsplit(b")", 1)[1].split()
        ticks = int(fields[19])  # field 22, starttime, in clock ticks after boot
        age = time.clock_gettime(time.CLOCK_BOOTTIME) - ticks / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError, AttributeError):
        return _IMPORTED
    return now - age if 0 <= age < 3600 else _IMPORTED


_IMPORTED = time.perf_counter()


def main_entry() -> None:
    """The `report` console script (and `python -m report`)."""
    leave(main(started=process_started(), exiting=True))


def leave(code: int) -> None:
    """Exit without tearing the interpreter down: atexit handlers run and the standard streams are
    flushed (every file of ours is written and closed before this), but freeing each object one by
    one and a last garbage collection, which change nothing on disk, would cost a tenth of a build."""
    import atexit

    atexit._run_exitfuncs()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # closed, or a pipe nobody reads any more
            pass
    os._exit(code)
