"""The chart cache: a rebuild with unchanged charts skips matplotlib and gives the same bytes."""

from __future__ import annotations

import os
import subprocess
import sys

from conftest import ROOT, SAMPLE

PROBE = ("import sys; from report.cli import main; rc = main(['build', %r, '-o', %r]); "
         "print(rc, 'matplotlib' in sys.modules)")


def _build(out, cache) -> tuple[str, bytes]:
    env = {**os.environ, "REPORT_CACHE_DIR": str(cache)}
    run = subprocess.run([sys.executable, "-c", PROBE % (str(SAMPLE), str(out))], cwd=ROOT, env=env,
                         capture_output=True, text=True, check=True)
    return run.stdout.strip().splitlines()[-1], (out / (SAMPLE.stem + ".pdf")).read_bytes()


def test_cached_charts_give_identical_bytes_without_matplotlib(tmp_path):
    cache = tmp_path / "cache"
    first, pdf1 = _build(tmp_path / "a", cache)
    assert first.startswith("0 ")  # drew the charts (here, or in the chart helper process)
    assert len(list(cache.glob("*.json"))) == 2
    second, pdf2 = _build(tmp_path / "b", cache)
    assert second == "0 False"  # read them back: matplotlib never imported
    assert pdf1 == pdf2
    off, pdf3 = _build(tmp_path / "c", "off")
    assert off.startswith("0 ") and pdf3 == pdf1


def test_a_damaged_cache_entry_is_drawn_again(tmp_path):
    cache = tmp_path / "cache"
    _, pdf1 = _build(tmp_path / "a", cache)
    for entry in cache.glob("*.json"):
        entry.write_text('{"width": 1, "shapes": [', encoding="utf-8")
    again, pdf2 = _build(tmp_path / "b", cache)
    assert again.startswith("0 ") and pdf2 == pdf1


# -- a damaged cache never changes the PDF's bytes or the exit code -------------------------------------

import hashlib  # noqa: E402
import json  # noqa: E402
from pathlib import Path  # noqa: E402

import pytest  # noqa: E402

from report.cli import main  # noqa: E402


def _seal(data) -> bytes:
    body = json.dumps(data, separators=(",", ":")).encode() if not isinstance(data, bytes) else data
    return hashlib.sha256(body).hexdigest().encode() + b"\n" + body


def _entry(path: Path) -> dict:
    return json.loads(path.read_bytes().partition(b"\n")[2])


def _text_shape(entry: dict) -> dict:
    return next(s for s in entry["shapes"] if s["t"] == "text")


def _path_shape(entry: dict) -> dict:
    return next(s for s in entry["shapes"] if s["t"] == "path" and len(s["ops"]) > 2)


def _edited(change):
    def damage(path: Path) -> None:
        entry = _entry(path)
        change(entry)
        path.write_bytes(_seal(entry))
    return damage


def _replace(path: Path, make) -> None:
    path.unlink()
    make(path)


DAMAGE = {
    "truncated": lambda p: p.write_bytes(p.read_bytes()[: len(p.read_bytes()) // 2]),
    "empty": lambda p: p.write_bytes(b""),
    "random bytes": lambda p: p.write_bytes(bytes(range(256)) * 40),
    "one flipped byte": lambda p: p.write_bytes(p.read_bytes()[:500] + b"#" + p.read_bytes()[501:]),
    "over the size cap": lambda p: p.write_bytes(p.read_bytes() + b" " * 4_000_001),
    "deeply nested JSON": lambda p: p.write_bytes(_seal(b"[" * 100_000 + b"]" * 100_000)),
    "NaN width": lambda p: p.write_bytes(_seal(p.read_bytes().partition(b"\n")[2].replace(
        b'"width":', b'"width":NaN,"x":', 1))),
    "wrong value types": _edited(lambda e: _path_shape(e).update(points="0,0", width=True)),
    "an unknown font": _edited(lambda e: _text_shape(e).update(font="Helvetica")),
    "a colour out of range": _edited(lambda e: _path_shape(e).update(stroke=[9, 0, 0])),
    "operators and points disagree": _edited(lambda e: _path_shape(e)["ops"].append(2)),
    "a zero dash": _edited(lambda e: _path_shape(e).update(dash=[0, [0, 0]])),
    "another chart's key": _edited(lambda e: e.update(key="0" * 64)),
    "an extra field": _edited(lambda e: e.update(extra=1)),
    "a folder": lambda p: _replace(p, lambda q: q.mkdir()),
    "a symlink to /dev/zero": lambda p: _replace(p, lambda q: q.symlink_to("/dev/zero")),
    "a FIFO": lambda p: _replace(p, lambda q: os.mkfifo(q)),
}


@pytest.fixture(scope="module")
def filled(tmp_path_factory) -> tuple[Path, bytes, dict[str, bytes]]:
    """A cache filled by one build of the sample, and that build's PDF."""
    folder = tmp_path_factory.mktemp("filled")
    _, pdf = _build(folder / "out", folder / "cache")
    return folder / "cache", pdf, {p.name: p.read_bytes() for p in (folder / "cache").glob("*.json")}


@pytest.mark.parametrize("damage", list(DAMAGE), ids=list(DAMAGE))
def test_a_damaged_entry_changes_nothing(damage, filled, tmp_path, monkeypatch, capsys):
    """Each kind of damage, in every entry: the same exit code, the same bytes, and (FIFO, folder or
    device aside) the entry replaced by a good one. Builds run in-process, except with a FIFO: that
    one runs in a subprocess under a generous timeout, so a hang fails instead of stalling the suite."""
    _, clean, entries = filled
    cache = tmp_path / "cache"
    cache.mkdir()
    for name, data in entries.items():
        (cache / name).write_bytes(data)
        DAMAGE[damage](cache / name)
    out = tmp_path / "out"
    if damage == "a FIFO":
        env = {**os.environ, "REPORT_CACHE_DIR": str(cache)}
        run = subprocess.run([sys.executable, "-m", "report", "build", str(SAMPLE), "-o", str(out)],
                             cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300)
        code, err = run.returncode, run.stderr
    else:
        monkeypatch.setenv("REPORT_CACHE_DIR", str(cache))
        code, err = main(["build", str(SAMPLE), "-o", str(out)]), capsys.readouterr().err
    assert code == 0 and "Traceback" not in err, err
    assert (out / (SAMPLE.stem + ".pdf")).read_bytes() == clean
    for name, data in entries.items():
        if damage not in ("a FIFO", "a folder", "a symlink to /dev/zero"):
            assert (cache / name).read_bytes() == data  # drawn again and stored again
    assert not list(cache.glob(".*.tmp")), "a temp file was left behind"


def test_the_cache_is_really_read(filled, tmp_path, monkeypatch):
    """The control of the damage cases: a sound entry that differs is used (so the cases above test
    the checks, not a cache that is never read). It is the attacker's case the checks do not cover:
    whoever can write the cache can write the inputs too."""
    from report.charts.cache import _read

    folder, _, entries = filled
    name = next(iter(entries))
    path = tmp_path / name
    entry = json.loads(entries[name].partition(b"\n")[2])
    _path_shape(entry)["width"] = 7.5
    path.write_bytes(_seal(entry))
    fonts = frozenset(s["font"] for s in entry["shapes"] if s["t"] == "text") | {entry["font"]}
    drawing = _read(path, name.removesuffix(".json"), fonts)
    assert drawing is not None and 7.5 in [getattr(s, "strokeWidth", None) for s in drawing.contents]
    assert _read(path, name.removesuffix(".json"), frozenset({"Other"})) is None  # fonts: the brand's only
