"""Mutation score per module: mutmut changes the code one small mutation at a time (a number, an
operator, a string, a default) and runs the tests that reach it; a mutant no test notices is a
change of behaviour the suite would let through to readers.

    .venv/bin/pip install -e '.[test,mutation]'
    .venv/bin/python tools/mutation.py             # run mutmut (hours on 2 cores), then the table
    .venv/bin/python tools/mutation.py "report.text.*" "report.numbers.*"   # some modules only
    .venv/bin/python tools/mutation.py --report    # the table from the last run, in mutants/
    .venv/bin/mutmut show NAME                     # the diff of one mutant

Which modules and which tests: `[tool.mutmut]` in pyproject.toml. Not part of CI: a habit before a
release or after a change to one of these modules; keep the scores in the change's notes.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MUTMUT = [sys.executable, "-m", "mutmut"]
DETECTED = {"killed", "timeout", "segfault"}  # a timeout or crash is noticed too


def results() -> dict[str, list[tuple[str, str]]]:
    """{module: [(mutant, status)]} from mutmut's last run."""
    out = subprocess.run([*MUTMUT, "results", "--all", "true"], cwd=ROOT, capture_output=True, text=True,
                         check=True).stdout
    by_module: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for line in out.splitlines():
        m = re.match(r"\s*(\S+): (.+)$", line)
        if not m:
            continue
        name, status = m.groups()
        module = re.split(r"\.x[_ǁ]", name, maxsplit=1)[0]
        by_module[module].append((name, status.strip()))
    return by_module


def table(by_module) -> str:
    lines = [f"{'module':32} {'mutants':>7} {'killed':>7} {'survived':>8} {'no test':>7} {'score':>6}"]
    total = Counter()
    for module in sorted(by_module):
        counts = Counter(status for _, status in by_module[module])
        detected = sum(counts[s] for s in DETECTED)
        n = sum(counts.values()) - counts["not checked"] - counts["skipped"]
        total.update({"n": n, "detected": detected, "survived": counts["survived"], "no tests": counts["no tests"]})
        lines.append(f"{module:32} {n:7} {detected:7} {counts['survived']:8} {counts['no tests']:7} "
                     f"{100 * detected / max(n, 1):5.1f}%")
    lines.append(f"{'all':32} {total['n']:7} {total['detected']:7} {total['survived']:8} {total['no tests']:7} "
                 f"{100 * total['detected'] / max(total['n'], 1):5.1f}%")
    return "\n".join(lines)


def main(argv: list[str]) -> int:
    if "--report" not in argv:
        # charts drawn in-process: a forked chart helper is a child mutmut's workers did not start
        env = {**os.environ, "REPORT_CHART_HELPER": "off"}
        subprocess.run([*MUTMUT, "run", "--max-children", "2", *argv], cwd=ROOT, env=env, check=False)
    by_module = results()
    print(table(by_module))
    print("\nsurvivors (mutmut show NAME):")
    for module in sorted(by_module):
        for name, status in by_module[module]:
            if status not in DETECTED | {"not checked", "skipped"}:
                print(f"  {status:9} {name}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
