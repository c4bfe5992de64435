"""Speed and memory of the report generator, as medians over several runs (not a test).

Usage: python bench/bench.py [--runs 7] [--batch 20]
Reports: cold `report build` of the sample (a new process each time) without and with the chart
cache, warm per-report time when a batch of inputs is built in one process (cache off, so every
chart is drawn), cold `report validate`, and peak memory (max RSS).
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
TARGETS = {"cold build": 1.0, "cold build, charts cached": 1.0, "warm build per report": 0.2,
           "cold validate": 0.3}


def _env(cache: str) -> dict:
    """A user's environment: Python may cache bytecode (some sandboxes forbid it by default)."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    return {**env, "REPORT_CACHE_DIR": cache}


def _child(args: list[str], cache: str = "off") -> tuple[float, int]:
    """Wall time of one command in a fresh interpreter, and that child's peak RSS in KiB."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "report", *args], cwd=ROOT, check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                   env=_env(cache))
    took = time.perf_counter() - started
    return took, max(before, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)


def _warm(batch: int, out: Path) -> list[float]:
    os.environ["REPORT_CACHE_DIR"] = "off"
    sys.path.insert(0, str(ROOT))
    from report.build import build_input
    from report.brand.theme import load_theme

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
        _child(["build", str(SAMPLE), "-o", str(tmp)])  # warm the OS file cache, font and bytecode caches
        _child(["validate", str(SAMPLE)])
        cold = [_child(["build", str(SAMPLE), "-o", str(tmp)]) for _ in range(a.runs)]
        cache = str(tmp / "chart-cache")
        _child(["build", str(SAMPLE), "-o", str(tmp)], cache)  # fills the chart cache
        cached = [_child(["build", str(SAMPLE), "-o", str(tmp)], cache)[0] for _ in range(a.runs)]
        validate = [_child(["validate", str(SAMPLE)])[0] for _ in range(a.runs)]
        warm = _warm(a.batch, tmp)
        bare = []
        for _ in range(a.runs):  # the machine's own pace: an empty interpreter start, for scale
            started = time.perf_counter()
            subprocess.run([sys.executable, "-c", "pass"], check=True, env=_env("off"))
            bare.append(time.perf_counter() - started)
    rows = {
        "cold build": statistics.median(t for t, _ in cold),
        "cold build, charts cached": statistics.median(cached),
        "warm build per report": statistics.median(warm),
        "cold validate": statistics.median(validate),
    }
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} cores, {a.runs} runs, batch of {a.batch}")
    for name, value in rows.items():
        target = TARGETS[name]
        print(f"{name:26s} median {value:6.3f} s   target {target:.1f} s   ratio {value / target:4.2f}")
    print(f"{'python -c pass (baseline)':26s} median {statistics.median(bare):6.3f} s")
    print(f"{'peak memory (cold build)':26s} {max(m for _, m in cold) / 1024:6.0f} MiB")
    print(f"{'batch speed-up':26s} {rows['cold build'] / rows['warm build per report']:6.1f}x  "
          "(cold build / warm per report)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
