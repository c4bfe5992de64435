"""`report validate INPUT... [--fit]`: check inputs and their brand without rendering.

Plain `validate` reads YAML, schema, data rules and glyphs and imports neither reportlab nor
matplotlib, so it suits an editor hook. `--fit` also lays out every table row, callout and list
item (reportlab, no charts) to find one taller than a page, which only a build would otherwise see.
"""

from __future__ import annotations

import sys
from dataclasses import replace

from report.commands.options import PAPER_NAMES, PAPERS, add_brand, add_inputs
from report.errors import ExitCode, ReportError


def register(sub) -> None:
    v = sub.add_parser("validate", help="check inputs without rendering (fast)",
                       description="Check inputs (YAML, schema, data rules, glyphs) and their brand "
                       "without rendering. The exit code is the highest met.")
    add_inputs(v, "report input (YAML) to check")
    add_brand(v)
    v.add_argument("--fit", action="store_true", help="also check that every table row, callout "
                   "and list item fits on a page, as a build would (slower: lays the text out)")
    v.add_argument("--paper", type=str.lower, choices=PAPERS, default=None,
                   help="with --fit: the paper size to check, in any case (default: A4 and Letter)")
    v.set_defaults(func=cmd_validate)


def check_fit(report, smap, theme, papers: tuple[str, ...]) -> None:
    """Raise the located 'taller than a page' errors of any of the papers, each mistake once; one
    that only some papers have says which."""
    from report.build import styles_for
    from report.layout.fit import explain

    found: dict[tuple, tuple] = {}  # (line, column, path) -> (diagnostic, papers it occurs on)
    for paper in papers:
        located = explain(report, smap, styles_for(theme), paper)
        for d in located.diagnostics if located is not None else ():
            first, on = found.get((d.line, d.column, d.path), (d, ()))
            found[(d.line, d.column, d.path)] = (first, on + (paper,))
    problems = [d if len(on) == len(papers) else
                replace(d, message=f"{d.message} on {' and '.join(PAPER_NAMES[p] for p in on)} paper")
                for d, on in found.values()]
    if problems:
        raise ReportError(problems)


def cmd_validate(args) -> int:
    from report.commands.jobs import Themes
    from report.input.parse import read_report

    themes, shown, code = Themes(), set(), ExitCode.OK
    papers = (args.paper,) if args.paper else PAPERS
    for path in args.inputs:
        try:
            _, theme = themes.get(args.brand, path)
            report, smap = read_report(path, theme)
            if args.fit:
                check_fit(report, smap, theme, papers)
        except ReportError as exc:
            code = max(code, exc.code)
            if str(exc) not in shown:
                print(exc, file=sys.stderr, flush=True)
            shown.add(str(exc))
            continue
        fits = f", fits {' and '.join(PAPER_NAMES[p] for p in papers)}" if args.fit else ""
        print(f"ok {path}: {report.title!r}, {len(report.sections)} sections{fits}", flush=True)
    return code
