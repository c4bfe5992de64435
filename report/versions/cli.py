"""Command line: `report diff` (what changed between two versions of an input) and `report new`
(start the next update of an input with a new as-of date)."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import re
import sys
import tempfile
from pathlib import Path

from report.errors import Diagnostic, ExitCode, ReportError

DIFF_HELP = """examples:
  report diff inputs/rut.yaml                 working file vs its last committed version
  report diff inputs/rut.yaml --since HEAD~3  working file vs any revision
  report diff old.yaml new.yaml --json        two files, as JSON
"""


def register(sub) -> None:
    d = sub.add_parser("diff", help="what changed between two versions of an input",
                       epilog=DIFF_HELP, formatter_class=argparse.RawDescriptionHelpFormatter)
    d.add_argument("inputs", nargs="+", type=Path, metavar="INPUT",
                   help="one input in git, or two input files OLD NEW")
    d.add_argument("--since", metavar="REV", help="compare with the input as of this git revision "
                   "(default: its last commit)")
    d.add_argument("--json", action="store_true", help="print the comparison as JSON")
    d.set_defaults(func=cmd_diff)

    n = sub.add_parser("new", help="start the next update of an input: set its as-of date")
    n.add_argument("input", type=Path, metavar="INPUT", help="the report input (YAML) to update")
    n.add_argument("--as-of", required=True, type=_date, metavar="YYYY-MM-DD",
                   help="the new as-of date, later than the current one")
    n.add_argument("-o", "--out", type=Path, help="write the next version here instead of in place")
    n.add_argument("--force", action="store_true", help="write in place even though the input has "
                   "uncommitted edits")
    n.set_defaults(func=cmd_new)


def _date(text: str) -> dt.date:
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        raise argparse.ArgumentTypeError(f"dates are written YYYY-MM-DD, got {text!r}")
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text} is not a date") from None


def _fail(file: Path | str, message: str, hint: str = "", code: ExitCode = ExitCode.INPUT_ERROR):
    return ReportError([Diagnostic(str(file), 0, 0, message, hint=hint)], code)


# -- report diff -------------------------------------------------------------------------------
def cmd_diff(args) -> int:
    from report.versions.compare import compare, terminal

    try:
        if len(args.inputs) > 2 or (len(args.inputs) == 2 and args.since):
            raise _fail("report diff", "give one input (with --since REV if you like), or two files",
                        code=ExitCode.USAGE)
        if len(args.inputs) == 2:
            old, new = (_parse(p) for p in args.inputs)
            c = compare(old, new, str(args.inputs[0]), str(args.inputs[1]))
        else:
            c = _compare_with_history(args.inputs[0], args.since)
    except ReportError as exc:
        print(exc, file=sys.stderr)
        return exc.code
    if args.json:
        print(json.dumps(c.to_json(), indent=2, ensure_ascii=False))
    else:
        sys.stdout.write(f"{args.inputs[-1]}: " + terminal(c))
        if c.empty and len(args.inputs) == 1 and args.since is None:
            print("hint: the working copy matches its last commit; compare with an earlier update "
                  "with --since REV (e.g. --since HEAD~1)")
    return ExitCode.OK


def _parse(path: Path):
    from report.input.parse import parse_file

    return parse_file(path)[0]


def _compare_with_history(path: Path, since: str | None):
    from report.versions import git
    from report.versions.compare import compare
    from report.versions.history import SHALLOW_HINT, WORKING, load_versions

    current = _parse(path)
    try:
        t = git.locate(path)
        if t is None:
            raise _fail(path, "not in a git repository: there is no earlier version to compare with",
                        "compare two files with: report diff OLD.yaml NEW.yaml")
        revs = git.revisions(t)
        if not revs:
            raise _fail(path, "has no committed version yet", "commit it, then edit and diff")
        rev = revs[0]
        if since is not None:
            commit = git.resolve(t, since)
            if commit is None:
                shallow = git.is_shallow(t)
                raise _fail(path, f"no revision '{since}' in this repository"
                            + (" (a shallow clone)" if shallow else ""),
                            SHALLOW_HINT if shallow else "", ExitCode.USAGE)
            rev = git.at(t, commit, revs)
            if rev is None:
                raise _fail(path, f"the file did not exist yet in {since}"
                            + (" (or this shallow clone lacks its history)" if git.is_shallow(t) else ""))
        notes: list[str] = []
        old = load_versions(t, [rev], notes)
    except git.GitError as exc:
        raise _fail(path, str(exc)) from None
    if not old:
        raise _fail(path, f"version {rev.short} cannot be compared: " + "; ".join(notes).split(": ", 1)[-1],
                    "it was written for an older input format")
    return compare(old[0].report, current, rev.short, WORKING)


# -- report new --------------------------------------------------------------------------------
def cmd_new(args) -> int:
    from report.input.load import load_file

    path: Path = args.input
    try:
        report = _parse(path)
        if args.as_of <= report.as_of:
            raise _fail(path, f"the new as-of date {args.as_of} is not after the current one, "
                        f"{report.as_of}", code=ExitCode.USAGE)
        if args.out is None and not args.force:
            _check_committed(path)
        text = path.read_bytes().decode("utf-8-sig")
        _, smap = load_file(path)
        new_text = _set_as_of(text, smap.values[("as_of",)], args.as_of, path)
    except ReportError as exc:
        print(exc, file=sys.stderr)
        return exc.code
    target = args.out or path
    try:
        _write(target, new_text)
    except OSError as exc:
        print(f"{target}: error: cannot write: {exc.strerror}", file=sys.stderr)
        return ExitCode.OUTPUT_ERROR
    print(f"wrote {target}: as of {args.as_of} (was {report.as_of})")
    stale = [s.label for s in report.key_stats if s.date == report.as_of]
    if stale:
        print(f"  still dated {report.as_of}: key stats {', '.join(stale)}")
    if args.out is None:
        print(f"next: edit it, check with `report diff {target}`, build, then commit")
    else:
        print(_next_for_copy(path, target))
    return ExitCode.OK


def _next_for_copy(path: Path, copy: Path) -> str:
    """What to do with a next version written beside the input (-o): it has no history of its own."""
    return (f"next: edit {copy}, check it with `report diff {path} {copy}` (the two files "
            f"compared), build, then replace the input with it (`mv {copy} {path}`) and commit\n"
            f"  {copy} is outside the series' git history: its own PDF has no change box; the box "
            f"compares with {path}'s committed versions once the copy replaces it")


def _check_committed(path: Path) -> None:
    """Refuse to overwrite edits that were never committed: the next change box compares with them."""
    from report.versions import git

    try:
        t = git.locate(path)
        state = git.state(t) if t is not None else "clean"
    except git.GitError:
        return
    if state != "clean":
        raise _fail(path, "has uncommitted edits" if state == "modified" else "is not committed yet",
                    "commit this version first (its readers' change box compares with it), "
                    "or pass --force, or -o to write the next version beside it")


def _set_as_of(text: str, where: tuple[int, int], day: dt.date, path: Path) -> str:
    """Replace the as-of date where it is written, keeping the file's layout and comments."""
    lines = text.splitlines(keepends=True)
    line, col = where
    head, tail = lines[line - 1][: col - 1], lines[line - 1][col - 1:]
    match = re.match(r"""(["']?)\d{4}-\d{2}-\d{2}\1""", tail)
    if match is None:
        raise ReportError([Diagnostic(str(path), line, col,
                                      "cannot find the as-of date, written YYYY-MM-DD, here")])
    quote = match.group(1)
    lines[line - 1] = head + f"{quote}{day.isoformat()}{quote}" + tail[match.end():]
    return "".join(lines)


def _write(target: Path, text: str) -> None:
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent or ".")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as out:
            out.write(text)
        if target.exists():
            os.chmod(tmp, target.stat().st_mode & 0o777)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
