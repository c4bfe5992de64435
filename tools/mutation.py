"""Mutation score per module: mutmut changes the code one small mutation at a time (a number, an
operator, a string, a default) and runs the tests that reach it; a mutant no test notices is a
change of behaviour the suite would let through to readers.

    .venv/bin/pip install -e '.[test,mutation]'
    .venv/bin/python tools/mutation.py             # run mutmut (hours on 2 cores), then the table
    .venv/bin/python tools/mutation.py "report.text.*" "report.numbers.*"   # some modules only
    .venv/bin/python tools/mutation.py --sample 80  # 80 mutants drawn at random from each entry of
                                                    # only_mutate (about an hour): a score with its
                                                    # 95 % interval instead of all of them
    .venv/bin/python tools/mutation.py --sample 80 report.text report.numbers   # those entries only
    .venv/bin/python tools/mutation.py --recheck "report.versions.compare.*" tests/test_versions_compare.py
        # the survivors of the last run, each put into the code in turn (mutmut apply) against these
        # test files: which the tests written since the run now catch
    .venv/bin/python tools/mutation.py --focused 40 report.text report.numbers
        # 40 mutants of each module, each put into a scratch copy of the tree and run against the
        # module's own test files (FOCUS) only: for modules that every test reaches (the model, the
        # text), where mutmut runs the whole suite per mutant. A lower bound of the score
    .venv/bin/python tools/mutation.py --focused-recheck focused.log tests/test_layout.py …
        # the survivors printed by a --focused run, each against these test files
    .venv/bin/python tools/mutation.py --report    # the table from the last run, in mutants/
    .venv/bin/mutmut show NAME                     # the diff of one mutant

Which modules and which tests: `[tool.mutmut]` in pyproject.toml. Not part of CI: a habit before a
release or after a change to one of these modules; keep the scores in the change's notes.
"""

from __future__ import annotations

import fnmatch
import math
import os
import queue
import random
import re
import shutil
import subprocess
import sys
import tempfile
import tomllib
from collections import Counter, defaultdict
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MUTMUT = [sys.executable, "-m", "mutmut"]
DETECTED = {"killed", "timeout", "segfault"}  # a timeout or crash is noticed too


def _module(name: str) -> str:
    """The module a mutant's name belongs to: `report.text.x_para__mutmut_3` -> `report.text`."""
    return re.split(r"\.x[_ǁ]", name, maxsplit=1)[0]


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
        by_module[_module(name)].append((name, status.strip()))
    return by_module


def interval(detected: int, n: int) -> str:
    """The 95 % Wilson interval of a score measured on a random sample of n mutants."""
    if n == 0:
        return ""
    z, p = 1.96, detected / n
    centre, half = p + z * z / (2 * n), z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
    low, high = (centre - half) / (1 + z * z / n), (centre + half) / (1 + z * z / n)
    return f"{100 * low:3.0f}-{100 * high:3.0f}%"


def sample(per_entry: int, seed: int = 15, modules: list[str] | None = None) -> list[str]:
    """`per_entry` mutant names drawn at random (the same for a seed) from each entry of `only_mutate`:
    a package written as one glob is one entry, so every module named in the config weighs the same.
    `modules` (names like report.text) keeps only the entries that name them."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["mutmut"]
    names = [name for found in results().values() for name, _ in found]
    chosen = []
    for entry in config["only_mutate"]:
        pattern = entry.removesuffix(".py").replace("/", ".")
        if modules and not any(fnmatch.fnmatch(module, pattern) for module in modules):
            continue
        members = sorted(n for n in names if fnmatch.fnmatch(_module(n), pattern))
        chosen += random.Random(f"{seed}:{entry}").sample(members, min(per_entry, len(members)))
    return chosen


def _source(name: str) -> Path:
    path = ROOT / Path(*_module(name).split("."))
    return path.with_suffix(".py") if path.with_suffix(".py").is_file() else path / "__init__.py"


def recheck(pattern: str, tests: list[str]) -> int:
    """Each survivor matching `pattern` applied to the code in turn, the tests run, the code restored."""
    env = {**os.environ, "REPORT_CHART_HELPER": "off"}
    survivors = [name for found in results().values() for name, status in found
                 if status == "survived" and fnmatch.fnmatch(name, pattern)]
    still = []
    for name in survivors:
        path = _source(name)
        original = path.read_bytes()
        try:
            subprocess.run([*MUTMUT, "apply", name], cwd=ROOT, check=True, capture_output=True)
            run = subprocess.run([sys.executable, "-m", "pytest", "-x", "-q", "-p", "no:cacheprovider", *tests],
                                 cwd=ROOT, env=env, capture_output=True, text=True)
        finally:
            path.write_bytes(original)
        caught = run.returncode != 0
        print(f"  {'killed  ' if caught else 'survived'} {name}", flush=True)
        still += [] if caught else [name]
    print(f"{len(survivors) - len(still)} of {len(survivors)} survivors now killed by {' '.join(tests)}")
    return 0


# The test files that check each module directly, fastest first (a mutant stops at its first failure).
FOCUS = {
    "report.text": ["tests/test_paragraph_wrap.py", "tests/test_strict_load.py", "tests/test_bad_inputs.py",
                    "tests/test_footnotes.py", "tests/test_figures.py", "tests/test_layout.py", "tests/test_text.py"],
    "report.numbers": ["tests/test_numbers.py", "tests/test_bad_inputs.py", "tests/test_figures.py", "tests/test_csvdata.py",
                       "tests/test_versions_compare.py", "tests/test_text.py"],
    "report.input.model": ["tests/test_strict_load.py", "tests/test_schema.py", "tests/test_bad_inputs.py",
                           "tests/test_model_positions.py", "tests/test_footnotes.py", "tests/test_figures.py",
                           "tests/test_csvdata.py", "tests/test_status.py", "tests/test_images.py"],
    "report.layout.story": ["tests/test_footnotes.py", "tests/test_structure.py", "tests/test_figures.py",
                            "tests/test_layout.py", "tests/test_contents.py", "tests/test_text.py"],
}


def _scratch() -> Path:
    """A copy of the tree (with mutants/, which `mutmut apply` reads) that mutants are put into."""
    where = Path(tempfile.mkdtemp(prefix="mutation-"))
    shutil.copytree(ROOT, where, dirs_exist_ok=True,
                    ignore=shutil.ignore_patterns(".venv", ".git", "__pycache__", "out", "*.pdf"))
    return where


def _run_focused(name: str, tests: list[str], tree: Path, env: dict) -> str:
    path = _source(name).relative_to(ROOT)
    shutil.copyfile(ROOT / path, tree / path)
    applied = subprocess.run([*MUTMUT, "apply", name], cwd=tree, capture_output=True, text=True)
    if applied.returncode != 0 or (tree / path).read_bytes() == (ROOT / path).read_bytes():
        return "skipped"  # (mutmut could not put it in)
    try:
        run = subprocess.run([sys.executable, "-m", "pytest", "-x", "-q", "-p", "no:cacheprovider", *tests],
                             cwd=tree, env=env, capture_output=True, timeout=900)
    except subprocess.TimeoutExpired:
        return "timeout"
    finally:
        shutil.copyfile(ROOT / path, tree / path)
    return "survived" if run.returncode == 0 else "killed"


def _in_scratch(names: list[str], tests_for) -> dict[str, list[tuple[str, str]]]:
    """Each mutant put into one of two scratch trees in turn and run against `tests_for(name)`."""
    trees = [_scratch() for _ in range(2)]  # one per worker: a mutant is put into a tree no other uses
    free: queue.Queue = queue.Queue()
    for tree in trees:
        env = {**os.environ, "REPORT_CHART_HELPER": "off", "PYTHONPATH": str(tree)}
        check = subprocess.run([sys.executable, "-c", "import report; print(report.__file__)"], cwd=tree,
                               env=env, capture_output=True, text=True).stdout.strip()
        if not check.startswith(str(tree)):
            sys.exit(f"the scratch tree does not import its own report package ({check})")
        free.put((tree, env))

    def one(name: str) -> str:
        tree, env = free.get()
        try:
            return _run_focused(name, tests_for(name), tree, env)
        finally:
            free.put((tree, env))

    by_module: dict[str, list[tuple[str, str]]] = defaultdict(list)
    try:
        with ThreadPoolExecutor(len(trees)) as pool:
            for k, (name, status) in enumerate(zip(names, pool.map(one, names))):
                print(f"  {k + 1}/{len(names)} {status:9} {name}", flush=True)
                by_module[_module(name)].append((name, status))
    finally:
        for tree in trees:
            shutil.rmtree(tree, ignore_errors=True)
    return by_module


def focused(per_module: int, modules: list[str]) -> int:
    """`per_module` mutants of each module (drawn as `sample` draws), each against FOCUS[module]."""
    modules = modules or sorted(FOCUS)
    names = [n for n in sample(per_module, modules=modules) if _module(n) in modules]
    print(table(_in_scratch(names, lambda name: FOCUS[_module(name)]), sampled=True))
    return 0


def focused_recheck(log: Path, tests: list[str]) -> int:
    """The survivors of a --focused run (its printed log) again, against `tests`."""
    names = re.findall(r"^\s*\d+/\d+ survived\s+(\S+)$", log.read_text(encoding="utf-8"), flags=re.M)
    by_module = _in_scratch(names, lambda name: tests)
    still = [name for found in by_module.values() for name, status in found if status == "survived"]
    print(f"{len(names) - len(still)} of {len(names)} survivors now killed by {' '.join(tests)}")
    return 0


def table(by_module, sampled: bool = False) -> str:
    lines = [f"{'module':32} {'mutants':>7} {'killed':>7} {'survived':>8} {'no test':>7} {'score':>6}"
             + ("  95% interval" if sampled else "")]
    total = Counter()
    for module in sorted(by_module):
        counts = Counter(status for _, status in by_module[module])
        detected = sum(counts[s] for s in DETECTED)
        n = sum(counts.values()) - counts["not checked"] - counts["skipped"]
        total.update({"n": n, "detected": detected, "survived": counts["survived"], "no tests": counts["no tests"]})
        lines.append(f"{module:32} {n:7} {detected:7} {counts['survived']:8} {counts['no tests']:7} "
                     f"{100 * detected / max(n, 1):5.1f}%" + (f"  {interval(detected, n)}" if sampled else ""))
    lines.append(f"{'all':32} {total['n']:7} {total['detected']:7} {total['survived']:8} {total['no tests']:7} "
                 f"{100 * total['detected'] / max(total['n'], 1):5.1f}%")
    return "\n".join(lines)


def main(argv: list[str]) -> int:
    if "--focused-recheck" in argv:
        at = argv.index("--focused-recheck")
        return focused_recheck(Path(argv[at + 1]), argv[at + 2:])
    if "--focused" in argv:
        at = argv.index("--focused")
        return focused(int(argv[at + 1]), argv[at + 2:])
    if "--recheck" in argv:
        at = argv.index("--recheck")
        return recheck(argv[at + 1], argv[at + 2:])
    sampled = "--sample" in argv
    if sampled:
        at = argv.index("--sample")
        modules = [arg for arg in argv[at + 2:] if not arg.startswith("-")]
        names = sample(int(argv[at + 1]), modules=modules)
        argv = argv[:at] + names + [arg for arg in argv[at + 2:] if arg.startswith("-")]
    if "--report" not in argv:
        # charts drawn in-process: a forked chart helper is a child mutmut's workers did not start
        env = {**os.environ, "REPORT_CHART_HELPER": "off"}
        subprocess.run([*MUTMUT, "run", "--max-children", "2", *argv], cwd=ROOT, env=env, check=False)
    by_module = results()
    print(table(by_module, sampled or "--sampled" in argv))
    print("\nsurvivors (mutmut show NAME):")
    for module in sorted(by_module):
        for name, status in by_module[module]:
            if status not in DETECTED | {"not checked", "skipped"}:
                print(f"  {status:9} {name}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
