"""Speed and memory of the report generator against the Typst reference pipeline (not a test).

Usage: python bench/bench.py [--runs 7] [--batch 12] [--json FILE] [--compare OLD.json]

Every figure is a median over repeated runs, each ours/reference pair run back to back (interleaved)
so that the machine's changing load falls on both alike, and is printed with its target and its
ratio. The reference is bench/typst_pipeline.py: the same article's text and charts through
`typst.compile` with matplotlib SVG charts, fonts from the brand (`pip install -e '.[bench]'`).

- first build, no chart cache: `report build` of the sample in a new process, an empty cache folder
  each run; target <= 1.0x the reference pipeline (also in a new process).
- rebuild, charts cached: the same with the cache filled; target <= 0.6x the reference.
- batch, per extra report: `report build` of N distinct inputs (their chart data differ) in one
  command with the cache off, minus the same command with the first N/2 of them, over N/2 (what
  starting a command costs cancels out); target <= 0.12 s with -j 1 (one process, and the chart
  helper), and lower again with -j (one worker per core).
- validate over bare Python + PyYAML: `report validate` minus `python -c "import yaml"`; target
  <= 0.15 s, and neither matplotlib nor reportlab imported (checked with -X importtime).
- peak memory of the first build: the peak of its processes' summed proportional set size (PSS:
  the honest total when the chart helper runs beside it, shared pages counted once), sampled
  every few milliseconds; target <= 110 MiB. The largest single process (RSS) is shown too.
- 10x the content: each of the sample's sections with its blocks ten times over (twenty charts), first build; target
  <= 1.3x the reference pipeline on the same article (its own ratio to the 1x build is shown too).

Timings on a shared machine move with its load (printed before and after): compare ratios, and
runs of one session with --compare, rather than seconds across days.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "inputs" / "russell-2000-bear-case.yaml"
REFERENCE = ROOT / "bench" / "typst_pipeline.py"
PY = sys.executable

TARGETS = {  # name -> (target, unit): a unit "x" is a ratio to the reference pipeline
    "first build, no chart cache": (1.0, "x"),
    "rebuild, charts cached": (0.6, "x"),
    "batch, per extra report, -j 1": (0.12, "s"),
    "batch, per extra report, -j N": (0.12, "s"),
    "validate over python + yaml": (0.15, "s"),
    "peak memory, first build": (110, "MiB"),
    "10x the content, first build": (1.3, "x"),
}


def _env(cache: str) -> dict:
    """A user's environment: Python may cache bytecode (some sandboxes forbid it by default)."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    return {**env, "REPORT_CACHE_DIR": cache}


def _tree_memory(root: int) -> tuple[int, int]:
    """Summed PSS and largest RSS (KiB) of `root` and its descendants, from /proc (0 where it
    cannot be read)."""
    kids: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat", "rb") as f:
                    ppid = int(f.read().rsplit(b")", 1)[1].split()[1])
            except (OSError, ValueError, IndexError):
                continue
            kids.setdefault(ppid, []).append(int(entry))
    total, largest, todo = 0, 0, [root]
    while todo:
        pid = todo.pop()
        todo += kids.get(pid, [])
        try:
            with open(f"/proc/{pid}/smaps_rollup") as f:
                sizes = {line.split(":")[0]: int(line.split()[1]) for line in f if line[:4] in ("Pss:", "Rss:")}
            total += sizes["Pss"]
            largest = max(largest, sizes["Rss"])
        except (OSError, KeyError, ValueError, IndexError):
            pass
    return total, largest


def run(cmd: list[str], env: dict | None = None, memory: bool = False) -> dict:
    """One command in a new process: wall and CPU seconds, its largest max RSS and (`memory`) the
    peak summed PSS of its process tree, sampled every few milliseconds."""
    before = os.times()
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env or _env("off"), stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE)
    peak = [0, 0]
    if memory:
        def sample():
            while proc.poll() is None:
                pss, rss = _tree_memory(proc.pid)
                peak[:] = max(peak[0], pss), max(peak[1], rss)
                time.sleep(0.004)
        watcher = threading.Thread(target=sample, daemon=True)
        watcher.start()
    _, err = proc.communicate()
    wall = time.perf_counter() - started
    after = os.times()
    if proc.returncode != 0:
        raise SystemExit(f"failed ({proc.returncode}): {' '.join(cmd)}\n{err.decode()[-2000:]}")
    return {"wall": wall, "cpu": (after.children_user - before.children_user)
            + (after.children_system - before.children_system),
            "pss": peak[0], "rss": peak[1], "stderr": err.decode("utf-8", "replace")}


def ours(*args: str, cache: str = "off", memory: bool = False, flags: tuple = ()) -> dict:
    return run([PY, *flags, "-m", "report", *args], _env(cache), memory)


def reference(inputs: list[Path], out: Path) -> dict:
    return run([PY, str(REFERENCE), *map(str, inputs), "-o", str(out)])


def distinct(n: int, folder: Path, copies: int = 1) -> list[Path]:
    """`n` inputs that differ in their title and chart data (so no two draw the same chart); with
    `copies`, each holds the sample's sections that many times over."""
    text = SAMPLE.read_text(encoding="utf-8")
    folder.mkdir(parents=True, exist_ok=True)
    out = []
    for i in range(n):
        body = re.sub(r"values: \[100, ", f"values: [{100 + i}, ", text)
        body = body.replace('title: "Why the RUT', f'title: "({i}) Why the RUT', 1)
        if copies > 1:
            body = _repeat_sections(body, copies)
        path = folder / f"input-{i:03d}.yaml"
        path.write_text(body, encoding="utf-8")
        out.append(path)
    return out


def _repeat_sections(text: str, copies: int) -> str:
    """The sample with each section's blocks (and their table ids) repeated `copies` times."""
    import yaml

    article = yaml.safe_load(text)
    for section in article["sections"]:
        blocks = json.dumps(section["blocks"])
        for k in range(2, copies + 1):
            for block in json.loads(blocks):  # a fresh copy
                if isinstance(block, dict) and "table" in block and "id" in block["table"]:
                    block["table"]["id"] += f"-{k}"
                if isinstance(block, dict) and "chart" in block and "table" in block["chart"]:
                    block["chart"]["table"] += f"-{k}"
                section["blocks"].append(block)
    return yaml.safe_dump(article, sort_keys=False, allow_unicode=True, width=100)


def median(rows: list[dict], key: str = "wall") -> float:
    return statistics.median(r[key] for r in rows)


def paired(runs: int, a, b) -> tuple[list[dict], list[dict]]:
    """`a()` and `b()` run alternately, `runs` times each (b first every other time)."""
    xs, ys = [], []
    for i in range(runs):
        if i % 2:
            ys.append(b())
            xs.append(a())
        else:
            xs.append(a())
            ys.append(b())
    return xs, ys


def measure(a) -> dict:
    results: dict[str, dict] = {}
    tmp = Path(tempfile.mkdtemp(prefix="report-bench-"))
    out = tmp / "out"
    try:
        def add(name, value, **extra):
            target, unit = TARGETS[name]
            results[name] = {"value": value, "target": target, "unit": unit, **extra}

        # warm the OS file cache, bytecode, matplotlib's font list and Typst's fonts
        ours("build", str(SAMPLE), "-o", str(out))
        reference([SAMPLE], out)
        ours("validate", str(SAMPLE))

        def first(memory=False):
            cache = tmp / f"cache-{time.perf_counter_ns()}"  # empty: every chart is drawn (and stored)
            r = ours("build", str(SAMPLE), "-o", str(out), cache=str(cache), memory=memory)
            shutil.rmtree(cache, ignore_errors=True)
            return r

        cold, ref = paired(a.runs, first, lambda: reference([SAMPLE], out))
        ref_s = median(ref)
        add("first build, no chart cache", median(cold) / ref_s, seconds=median(cold),
            cpu=median(cold, "cpu"), reference=ref_s, reference_cpu=median(ref, "cpu"))
        sampled = [first(memory=True) for _ in range(3)]  # apart: sampling /proc takes CPU too
        add("peak memory, first build", max(r["pss"] for r in sampled) / 1024,
            largest_process_rss=max(r["rss"] for r in sampled) / 1024)

        cache = str(tmp / "chart-cache")
        ours("build", str(SAMPLE), "-o", str(out), cache=cache)  # fills the chart cache
        cached, ref2 = paired(a.runs, lambda: ours("build", str(SAMPLE), "-o", str(out), cache=cache),
                              lambda: reference([SAMPLE], out))
        add("rebuild, charts cached", median(cached) / median(ref2), seconds=median(cached),
            cpu=median(cached, "cpu"), reference=median(ref2))

        batch = distinct(a.batch, tmp / "batch")
        half = batch[: a.batch // 2]
        for jobs, name in (("1", "batch, per extra report, -j 1"), (None, "batch, per extra report, -j N")):
            j = ["-j", jobs] if jobs else []
            few, many = paired(max(3, a.runs // 2), lambda: ours("build", *map(str, half), "-o", str(out), *j),
                               lambda: ours("build", *map(str, batch), "-o", str(out), *j))
            per = (median(many) - median(few)) / (len(batch) - len(half))
            add(name, per, workers=jobs or os.cpu_count(), **{f"{len(half)} reports": median(few),
                                                             f"{len(batch)} reports": median(many)})
        r_few, r_many = paired(max(3, a.runs // 2), lambda: reference(half, out), lambda: reference(batch, out))
        results["batch, per extra report, -j 1"]["reference"] = (median(r_many) - median(r_few)) / (len(batch) - len(half))

        validate, bare = paired(a.runs, lambda: ours("validate", str(SAMPLE)),
                                lambda: run([PY, "-c", "import yaml"]))
        heavy = sorted({m for m in ("matplotlib", "reportlab", "numpy")
                        if re.search(rf"\|\s+{m}(\.|$)", ours("validate", str(SAMPLE), flags=("-X", "importtime"))["stderr"], re.M)})
        add("validate over python + yaml", median(validate) - median(bare), seconds=median(validate),
            bare=median(bare), imports_heavy=heavy)

        big = distinct(1, tmp / "big", copies=10)[0]
        small = distinct(1, tmp / "small")[0]
        tenfold, ref10 = paired(max(3, a.runs // 2), lambda: ours("build", str(big), "-o", str(out)),
                                lambda: reference([big], out))
        onefold = [ours("build", str(small), "-o", str(out)) for _ in range(max(3, a.runs // 2))]
        add("10x the content, first build", median(tenfold) / median(ref10), seconds=median(tenfold),
            reference=median(ref10), own_ratio_to_1x=median(tenfold) / median(onefold))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return results


def show(results: dict, old: dict | None) -> None:
    for name, r in results.items():
        unit = r["unit"]
        value = f"{r['value']:6.2f}{unit:>4s}" if unit != "MiB" else f"{r['value']:6.0f} MiB"
        met = "ok  " if r["value"] <= r["target"] else "MISS"
        ratio = r["value"] / r["target"]
        line = f"{met} {name:32s} {value}   target {r['target']:g}{unit if unit != 'x' else 'x'}   ({ratio:4.2f} of target)"
        if "seconds" in r:
            line += f"   {r['seconds']:.3f} s"
        if "reference" in r:
            line += f", reference {r['reference']:.3f} s"
        if old and name in old:
            line += f"   was {old[name]['value']:.3g}"
        print(line)
        extra = {k: v for k, v in r.items() if k not in ("value", "target", "unit", "seconds", "reference")}
        if extra:
            print("       " + ", ".join(f"{k} {v:.3f}" if isinstance(v, float) else f"{k} {v}"
                                       for k, v in extra.items()))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=7)
    ap.add_argument("--batch", type=int, default=12)
    ap.add_argument("--json", type=Path, default=ROOT / "bench" / "last-run.json")
    ap.add_argument("--compare", type=Path, help="an earlier run's JSON, to show beside this one")
    a = ap.parse_args()
    try:
        import typst  # noqa: F401
    except ImportError:
        print("bench: the reference pipeline needs the typst package: pip install -e '.[bench]'",
              file=sys.stderr)
        return 2
    load = os.getloadavg()
    started = time.strftime("%Y-%m-%d %H:%M")
    results = measure(a)
    load_after = os.getloadavg()
    old = json.loads(a.compare.read_text())["results"] if a.compare else None
    print(f"{started}: python {sys.version.split()[0]}, {os.cpu_count()} cores, {a.runs} runs, "
          f"batch of {a.batch}; load average {load[0]:.2f} before, {load_after[0]:.2f} after")
    show(results, old)
    a.json.write_text(json.dumps({"when": started, "cores": os.cpu_count(), "runs": a.runs,
                                  "load": [load[0], load_after[0]], "results": results}, indent=1))
    print(f"written to {a.json}")
    return 0 if all(r["value"] <= r["target"] for r in results.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
