"""`report build INPUT... [-j N]`: one PDF per input, in this process or in worker processes."""

from __future__ import annotations

import argparse
import sys

from report.commands.options import add_build_options, add_inputs
from report.errors import ExitCode


def _workers(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number of worker processes, got {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"needs at least 1 worker process, got {value}")
    return value


def register(sub) -> None:
    b = sub.add_parser("build", help="build one PDF per input",
                       description="Build one PDF per input. With several inputs, every input is "
                       "attempted and the exit code is the highest met.")
    add_inputs(b)
    add_build_options(b)
    b.add_argument("--final", action="store_true", help="refuse an input whose status is draft: "
                   "for the PDF that goes to readers")
    b.add_argument("-j", "--jobs", type=_workers, default=None, metavar="N",
                   help="build in N worker processes (default: one per core; 1 builds in this "
                   "process); the lines still come in input order")
    b.set_defaults(func=cmd_build)


def cmd_build(args) -> int:
    from report.commands.jobs import Job, clashes, default_workers, run_all

    if args.out is not None and args.out.suffix.lower() == ".pdf" and len(args.inputs) > 1:
        print("report: error: -o names one PDF file but several inputs were given; name a folder "
              "instead", file=sys.stderr)
        return ExitCode.USAGE
    jobs = [Job(path, args.brand, args.paper, args.out, not args.no_changes, args.print_marks, args.final)
            for path in args.inputs]
    clash = clashes(jobs)
    if clash is not None:
        print(clash, file=sys.stderr)
        return clash.code
    return run_all(jobs, args.jobs or default_workers(), args.started)
