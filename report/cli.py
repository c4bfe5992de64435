"""Command line: `report build | validate | schema`, a `main(argv) -> int` that tests call in-process."""

from __future__ import annotations

import argparse
import importlib
import json
import sys
import time
import traceback
from pathlib import Path

from report import __version__
from report.errors import ExitCode, ReportError

EPILOG = "exit codes:\n" + "".join(f"  {c.value:<3d}{c.meaning}\n" for c in ExitCode)


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="report", description="Branded, print-ready research reports "
                                "from YAML.", epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--version", action="version", version=f"report {__version__}")
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMAND")

    b = sub.add_parser("build", help="build one PDF per input", epilog=EPILOG,
                       formatter_class=argparse.RawDescriptionHelpFormatter)
    b.add_argument("inputs", nargs="+", type=Path, metavar="INPUT")
    b.add_argument("-o", "--out", type=Path, help="output folder (or a .pdf path for one input); "
                   "default: beside each input")
    b.add_argument("--brand", default=None, help="brand name under assets/brands, or a brand folder "
                   "(default: meridian)")
    b.add_argument("--paper", choices=("a4", "letter"), default="a4")
    b.add_argument("--no-changes", action="store_true", help="leave out the 'What changed since' "
                   "box and the probability history drawn from the input's git history")
    b.add_argument("--print-marks", action="store_true", help="add crop marks in a border around "
                   "each page and declare TrimBox/BleedBox, for a print shop")

    v = sub.add_parser("validate", help="check inputs without rendering (fast)")
    v.add_argument("inputs", nargs="+", type=Path, metavar="INPUT")
    v.add_argument("--brand", default=None, help="also check this brand (default: meridian)")

    s = sub.add_parser("schema", help="print the input format's JSON Schema")
    s.add_argument("-o", "--out", type=Path, help="write it to this file instead")

    b.set_defaults(func=cmd_build)
    v.set_defaults(func=cmd_validate)
    s.set_defaults(func=cmd_schema)
    for module in COMMAND_MODULES:  # each adds its own subcommands; imported only to register them
        importlib.import_module(module).register(sub)
    return p


def _err(message: str) -> None:
    print(message, file=sys.stderr)


def cmd_validate(args) -> int:
    from report.input.parse import read_report
    from report.brand.theme import DEFAULT_BRAND, load_theme

    code = ExitCode.OK
    try:
        theme = load_theme(args.brand or DEFAULT_BRAND)
    except ReportError as exc:
        _err(str(exc))
        return exc.code
    for path in args.inputs:
        try:
            report, _ = read_report(path, theme)
        except ReportError as exc:
            _err(str(exc))
            code = max(code, exc.code)
            continue
        print(f"ok {path}: {report.title!r}, {len(report.sections)} sections")
    return code


def cmd_build(args) -> int:
    from report.build import build_input
    from report.brand.theme import DEFAULT_BRAND, load_theme

    try:
        theme = load_theme(args.brand or DEFAULT_BRAND)
    except ReportError as exc:
        _err(str(exc))
        return exc.code
    if args.out is not None and args.out.suffix.lower() == ".pdf" and len(args.inputs) > 1:
        _err("report: -o names one PDF file but several inputs were given; name a folder instead")
        return ExitCode.USAGE
    code = ExitCode.OK
    for path in args.inputs:
        started = time.perf_counter()
        try:
            built = build_input(path, theme, args.paper, args.out, changes=not args.no_changes,
                                **render_options(args))
        except ReportError as exc:
            _err(str(exc))
            code = max(code, exc.code)
            continue
        paper = "A4" if args.paper == "a4" else "Letter"
        print(f"built {built.target} from {path}: {built.pages} pages, {paper}, "
              f"{len(built.pdf) / 1024:.0f} KB, {time.perf_counter() - started:.2f} s")
        for note in built.notes:
            _err(f"{path}: note: {note}")
    return code


def render_options(args) -> dict:
    """Options for report.build.render from the command line (`--print-marks`)."""
    if not getattr(args, "print_marks", False):
        return {}
    from report.layout.marks import PrintMarks

    return {"crop_marks": PrintMarks()}


def cmd_schema(args) -> int:
    from report.input.schema import json_schema

    text = json.dumps(json_schema(), indent=2, ensure_ascii=False) + "\n"
    if args.out:
        args.out.write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    return ExitCode.OK


# Modules that add subcommands: each has `register(subparsers)`, which adds its parsers and sets
# `func` on them. Keep their top-level imports light: `report validate` must stay fast.
COMMAND_MODULES: tuple[str, ...] = ("report.versions.cli", "report.delivery.cli")


def main(argv: list[str] | None = None) -> int:
    from report.safety import isolate

    ignored = isolate()  # before reportlab is imported: no settings file or RL_* variable applies
    if ignored:
        _err(f"report: note: ignoring {', '.join(ignored)}; the output never depends on them")
    parser = _parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse: --help/--version exit 0, usage errors exit 2
        return int(exc.code or 0)
    try:
        return int(args.func(args))
    except KeyboardInterrupt:
        _err("report: interrupted; nothing was written")
        return 130
    except Exception:  # a bug, not a user's mistake: always show where it happened
        traceback.print_exc()
        _err("report: internal error (a bug); please report it with the traceback above")
        return ExitCode.INTERNAL


def main_entry() -> None:
    """The `report` console script."""
    sys.exit(main())
