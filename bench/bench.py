"""Speed and memory of the report generator, as medians over several runs (not a test).

Usage: python bench/bench.py [--runs 7] [--batch 20]
Reports: cold `report build` of the sample (a new process each time), warm per-report time when a
batch of inputs is built in one process, cold `report validate`, and peak memory (max RSS).
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "inputs" / "russell-2000-bear-case.yaml"
TARGETS = {"cold build": 1.0, "warm build per report": 0.2, "cold validate": 0.3}


def _child(args: list[str]) -> tuple[float, int]:
    """Wall time of one command in a fresh interpreter, and that child's peak RSS in KiB."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "report", *args], cwd=ROOT, check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    took = time.perf_counter() - started
    return took, max(before, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)


def _warm(batch: int, out: Path) -> list[float]:
    sys.path.insert(0, str(ROOT))
    from report.build import build_input
    from report.theme import load_theme

    inputs = []
    for i in range(batch):
        copy = out / f"report-{i:03d}.yaml"
        shutil.copy(SAMPLE, copy)
        inputs.append(copy)
    theme = load_theme()
    times = []
    for path in inputs:
        started = time.perf_counter()
        build_input(path, theme, "a4", out)
        times.append(time.perf_counter() - started)
    return times[1:]  # the first pays for imports and font loading


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=7)
    ap.add_argument("--batch", type=int, default=20)
    a = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        _child(["build", str(SAMPLE), "-o", str(tmp)])  # warm the OS file cache and matplotlib's font cache
        cold = [_child(["build", str(SAMPLE), "-o", str(tmp)]) for _ in range(a.runs)]
        validate = [_child(["validate", str(SAMPLE)])[0] for _ in range(a.runs)]
        warm = _warm(a.batch, tmp)
    rows = {
        "cold build": statistics.median(t for t, _ in cold),
        "warm build per report": statistics.median(warm),
        "cold validate": statistics.median(validate),
    }
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} cores, {a.runs} runs, batch of {a.batch}")
    for name, value in rows.items():
        target = TARGETS[name]
        print(f"{name:24s} median {value:6.3f} s   target {target:.1f} s   ratio {value / target:4.2f}")
    print(f"{'peak memory (cold build)':24s} {max(m for _, m in cold) / 1024:6.0f} MiB")
    print(f"{'batch speed-up':24s} {rows['cold build'] / rows['warm build per report']:6.1f}x  "
          "(cold build / warm per report)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
