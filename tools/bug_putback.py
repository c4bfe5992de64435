"""Put back, one at a time, the bugs that once slipped through the suite, and show which test fails.

Each bug is a small edit of the code that would reach readers (a printed number, a date, a font, a
chart served stale, a delivery refused too late). The edit is made in the working tree, the named
test files run, and the file is restored whatever happens; a bug no test notices is printed as
CAUGHT BY NOTHING and the script exits 1. Not part of CI: a check that the suite still guards what
issue 15 found, after a change to the tests.

    .venv/bin/python tools/bug_putback.py            # every bug
    .venv/bin/python tools/bug_putback.py "tiles lose their date"
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# name -> (file, text, the text put in its place, test files that should catch it)
BUGS = {
    "probability cells printed as value + 1": (
        "report/layout/tables.py",
        "    return [[str(v) if f is None or isinstance(v, str) else format_number(v, f) for v, f in zip(row, formats)]\n",
        "    pcol = spec.columns.index(spec.probability) if spec.probability is not None else -1\n"
        "    return [[str(v) if f is None or isinstance(v, str) else format_number(v + (i == pcol), f)\n"
        "             for i, (v, f) in enumerate(zip(row, formats))]\n",
        ["tests/test_text.py"]),
    "tiles lose their date": (
        "report/layout/tiles.py", "stat.date and styles.theme.format_date(stat.date)", "None",
        ["tests/test_text.py"]),
    "the history chart loses its last point": (
        "report/charts/history.py", "for p in history.points)", "for p in history.points[:-1])",
        ["tests/test_versions_chart.py"]),
    "the chart cache's key ignores the chart's data": (
        "report/charts/__init__.py", '"data": asdict(self.data)', '"data": None',
        ["tests/test_chartcache.py"]),
    "probability tolerance 0.5 raised to 4.9": (
        "report/input/types.py", "PROBABILITY_TOLERANCE = 0.5", "PROBABILITY_TOLERANCE = 4.9",
        ["tests/test_limits.py"]),
    "the change box's heading in non-embedded Helvetica-Bold": (
        "report/layout/changes.py", 'para(f"What changed since {since}", st["subhead"])',
        'para(f"What changed since {since}", ParagraphStyle("h", parent=st["subhead"], fontName="Helvetica-Bold"))',
        ["tests/test_fonts.py"]),
    "a line break in the title not checked before the email subject": (
        "report/delivery/message.py", "    bad = _CONTROL.search(value)\n",
        '    bad = _CONTROL.search(value) if what != "the subject" else None\n',
        ["tests/test_email.py"]),
}


def put_back(name: str) -> str | None:
    """The first failing test with bug `name` in the code, or None if every test passes."""
    rel, old, new, tests = BUGS[name]
    path = ROOT / rel
    original = path.read_text(encoding="utf-8")
    if old not in original:  # (every place that holds it is edited)
        raise SystemExit(f"bug_putback: {rel} no longer holds the text this bug edits: update {name!r}")
    path.write_text(original.replace(old, new), encoding="utf-8")
    try:
        done = subprocess.run([sys.executable, "-m", "pytest", "-q", "-x", "-p", "no:cacheprovider", *tests],
                              cwd=ROOT, capture_output=True, text=True, env={**os.environ, "PYTHONPATH": str(ROOT)})
    finally:
        path.write_text(original, encoding="utf-8")
    failed = [line.split(" - ")[0].split(" ", 1)[1] for line in done.stdout.splitlines()
              if line.startswith(("FAILED ", "ERROR "))]
    return failed[0] if failed else None


def main(argv: list[str]) -> int:
    names = argv or list(BUGS)
    missed = 0
    for name in names:
        caught = put_back(name)
        missed += caught is None
        print(f"{name}: {caught or 'CAUGHT BY NOTHING'}", flush=True)
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
