"""`report watch`: a real process, real file events. Saves in place and by rename rebuild; a bad save
prints its located error and keeps the last good PDF; a brand edit rebuilds; Ctrl-C stops cleanly.
Every wait has a timeout, and nothing asserts how long anything took."""

from __future__ import annotations

import os
import queue
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

from conftest import ROOT

from pdfcheck import page_texts
from report.brand.discover import builtin_brands_dir

MINIMAL = ROOT / "tests" / "data" / "minimal.yaml"
TIMEOUT = 90  # seconds for any one step, on a loaded machine


class Watch:
    """`report watch` in a subprocess; its stdout and stderr lines, as they come."""

    def __init__(self, cwd: Path, *args: str):
        self.proc = subprocess.Popen([sys.executable, "-m", "report", "watch", *args], cwd=cwd,
                                     stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        self.lines: queue.Queue = queue.Queue()
        self.seen: list[tuple[str, str]] = []
        self.pumps = [threading.Thread(target=self._pump, args=(stream, name), daemon=True)
                      for stream, name in ((self.proc.stdout, "out"), (self.proc.stderr, "err"))]
        for pump in self.pumps:
            pump.start()

    def close(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait(timeout=TIMEOUT)
        for pump in self.pumps:
            pump.join(timeout=TIMEOUT)
        self.proc.stdout.close()
        self.proc.stderr.close()

    def _pump(self, stream, name: str) -> None:
        for line in stream:
            self.lines.put((name, line.rstrip("\n")))

    def wait_for(self, name: str, text: str) -> str:
        """The next line of stream `name` holding `text` (earlier lines are kept in `seen`)."""
        deadline = time.monotonic() + TIMEOUT
        while time.monotonic() < deadline:
            try:
                stream, line = self.lines.get(timeout=1)
            except queue.Empty:
                assert self.proc.poll() is None, f"watch ended early: {self.seen}"
                continue
            self.seen.append((stream, line))
            if stream == name and text in line:
                return line
        raise AssertionError(f"no {name} line with {text!r} within {TIMEOUT} s: {self.seen}")


def _save_by_rename(path: Path, text: str) -> None:
    """As vim, gedit and many IDEs save: a new file beside the old one, renamed over it."""
    tmp = path.with_name(f".{path.name}.swp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


def test_watch_rebuilds_on_saves_keeps_the_last_good_pdf_and_stops_on_ctrl_c(tmp_path):
    source = tmp_path / "in" / "x.yaml"
    source.parent.mkdir()
    text = MINIMAL.read_text(encoding="utf-8")
    source.write_text(text, encoding="utf-8")
    shutil.copytree(builtin_brands_dir() / "meridian", tmp_path / "brand")
    pdf = tmp_path / "out" / "x.pdf"
    w = Watch(tmp_path, "in/x.yaml", "-o", "out", "--brand", "./brand")
    try:
        assert w.wait_for("out", "built out/x.pdf from in/x.yaml: ").endswith(" s")
        w.wait_for("err", "watching 1 input and the files they use (8 in all)")

        source.write_text(text.replace("Minimal report", "Edited in place"), encoding="utf-8")
        w.wait_for("out", "built out/x.pdf")
        assert "Edited in place" in "".join(page_texts(pdf))

        _save_by_rename(source, text.replace("Minimal report", "Saved by rename"))
        w.wait_for("out", "built out/x.pdf")
        assert "Saved by rename" in "".join(page_texts(pdf))
        good = pdf.read_bytes()

        source.write_text(text.replace("as_of: 2026-03-31", "as_of: 2026-3-31"), encoding="utf-8")
        assert w.wait_for("err", "error:") == \
            "in/x.yaml:4:8: error: as_of: dates are written YYYY-MM-DD, got '2026-3-31'"
        w.wait_for("err", "in/x.yaml: not built; out/x.pdf is the last good PDF; waiting for the next save")
        assert pdf.read_bytes() == good

        _save_by_rename(source, text)
        w.wait_for("out", "built out/x.pdf")
        assert "Minimal report" in "".join(page_texts(pdf))

        brand = tmp_path / "brand" / "_brand.yml"
        brand.write_text(brand.read_text(encoding="utf-8").replace("Meridian Research", "Desk Research"),
                         encoding="utf-8")
        w.wait_for("out", "built out/x.pdf")
        assert "Desk Research" in "".join(page_texts(pdf))

        w.proc.send_signal(signal.SIGINT)
        w.wait_for("err", "report watch: stopped")
        assert w.proc.wait(timeout=TIMEOUT) == 0
    finally:
        w.close()
    assert not [line for _, line in w.seen if "Traceback" in line]
    assert sorted(p.name for p in pdf.parent.iterdir()) == ["x.pdf"]  # no temp file left
