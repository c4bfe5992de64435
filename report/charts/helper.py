"""Charts drawn in a helper process while this one reads, validates and lays out: a second core at work.

matplotlib's import alone costs about as much as reading, validating and laying a report out, so a
build with charts to draw starts a helper first thing (forked where the system has fork, else a new
interpreter). The helper imports matplotlib and the chart kinds, nothing of the input model, and
draws each `report.charts.Job` it is sent; the drawings come back as the chart cache's plain JSON
shapes (report.charts.shapes), never pickles. Jobs go in as pickles, from this process only.

The helper only ever saves time. A job it cannot draw, a helper that dies, or one that does not
answer within HELPER_TIMEOUT seconds gives None, and the build draws that chart itself, with the
same result: the drawings are the same bytes either way (tests/test_chart_helper.py). There is no
helper where there is one core, none in `-j` workers (the cores are taken), and none with
`REPORT_CHART_HELPER=off` (one process: less memory, and no child for a test runner to meet).
"""

from __future__ import annotations

import importlib
import json
import os
import pickle
import queue
import select
import signal
import struct
import sys
import threading
import time
from dataclasses import dataclass, replace

HELPER_TIMEOUT = 30.0  # seconds for one drawing; a helper that takes longer is stuck
FORK = hasattr(os, "fork") and sys.platform != "darwin"  # else a new interpreter (macOS: fork is unsafe)
_HEADER = struct.Struct("!I")
OPT_OUT = "REPORT_CHART_HELPER"  # =off: charts are drawn in the building process


@dataclass(frozen=True)
class ChartStyles:
    """What drawing a chart needs of report.brand.styles.Styles: the theme and the names the brand's
    fonts are registered under in the process that builds the PDF (the helper registers the same)."""

    theme: object  # report.brand.look.Theme
    head_font: object  # report.brand.styles.Faces
    body_font: object

    @classmethod
    def of(cls, styles) -> ChartStyles:
        return cls(replace(styles.theme), styles.head_font, styles.body_font)  # without cached glyph sets


def wanted() -> bool:
    """Whether a build may start a helper: more than one core, and not turned off."""
    return os.environ.get(OPT_OUT, "").strip().lower() != "off" and cores() >= 2


def cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


# -- framing: a 4-byte length, then a pickle ------------------------------------------------------

def _send(fd: int, message) -> None:
    data = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
    view = memoryview(_HEADER.pack(len(data)) + data)
    while view:
        view = view[os.write(fd, view):]


def _read_exactly(fd: int, n: int) -> bytes | None:
    chunks, left = [], n
    while left:
        chunk = os.read(fd, min(left, 1 << 20))
        if not chunk:
            return None
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)


def _receive(fd: int):
    header = _read_exactly(fd, _HEADER.size)
    if header is None:
        return None
    data = _read_exactly(fd, _HEADER.unpack(header)[0])
    return None if data is None else pickle.loads(data)


# -- the helper process ---------------------------------------------------------------------------

def warm() -> None:
    """Import what drawing needs before the first job arrives, leaving out two things a process
    that only draws flat charts never uses, about a quarter of matplotlib's import: the 3-D
    toolkit, which matplotlib imports for its projections registry (it then warns that 3-D is
    unavailable, which is true here), and the property tables it writes into the docstring of
    every artist class's `set()` as the class is made (for help(), which nobody calls here)."""
    import warnings

    import matplotlib.artist

    matplotlib.artist.kwdoc = lambda artist: ""
    sys.modules.setdefault("mpl_toolkits.mplot3d", None)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from matplotlib import projections  # noqa: F401
    from report.charts import MODULES

    for kind in sorted(set(MODULES.values())):
        importlib.import_module(f"report.charts.{kind}")
    from report.charts import render, shapes  # noqa: F401
    from report.charts.style import matplotlib_modules

    matplotlib_modules()


def _register(styles: ChartStyles, done: set) -> None:
    """The brand's fonts under the names the building process gave them."""
    from report.brand.faces import register

    theme = styles.theme
    for faces, names in ((theme.heading, styles.head_font), (theme.body, styles.body_font)):
        for face in ("regular", "bold", "italic", "bold_italic"):
            name, path = getattr(names, face), getattr(faces, face)
            if name not in done:
                register(name, path)
                done.add(name)


def _draw(job, styles: ChartStyles, fonts: set) -> str | None:
    """The job's drawing as JSON text (plain numbers: matplotlib's are numpy's, which the builder
    would have to import to read a pickle of them)."""
    import json

    from report.charts import render_job
    from report.charts.shapes import encode

    _register(styles, fonts)
    shapes = encode(render_job(job, styles))
    return None if shapes is None else json.dumps(shapes, separators=(",", ":"))


def serve(requests: int, replies: int) -> None:
    """Draw jobs from `requests` and answer on `replies` until told to stop or the pipe closes.

    Requests are read by one thread and answers written by another, so that neither pipe ever
    holds up drawing (the builder reads answers only once its layout is done)."""
    inbox: queue.Queue = queue.Queue()
    outbox: queue.Queue = queue.Queue()

    def read():
        while (message := _receive(requests)) is not None and message != "stop":
            inbox.put(message)
        inbox.put(None)

    def write():
        while (message := outbox.get()) is not None:
            try:
                _send(replies, message)
            except OSError:
                return

    threading.Thread(target=read, daemon=True).start()
    writer = threading.Thread(target=write, daemon=True)
    writer.start()
    import gc

    gc.disable()  # while importing: collections would walk every new module's objects, and free nothing
    try:
        warm()
    except Exception:  # noqa: BLE001 - then every job is answered None and drawn by the builder
        pass
    gc.freeze()  # what is imported stays; later collections look only at the drawings' objects
    gc.enable()
    fonts: set = set()
    while (message := inbox.get()) is not None:
        ticket, job, styles = message
        try:
            shapes = _draw(job, styles, fonts)
        except Exception:  # noqa: BLE001 - the builder draws it again and reports what went wrong
            shapes = None
        outbox.put((ticket, shapes))
    outbox.put(None)
    writer.join()


def main() -> None:
    """`python -m report.charts.helper READ_FD WRITE_FD` where there is no fork."""
    from report.safety import isolate

    isolate()
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    serve(int(sys.argv[1]), int(sys.argv[2]))


# -- the building process's side -------------------------------------------------------------------

class Helper:
    """A running helper: `submit` jobs as soon as they are known, collect each `result` when needed."""

    def __init__(self, pid: int, requests: int, replies: int, process=None):
        self.pid, self._requests, self._replies, self._process = pid, requests, replies, process
        self._tickets = 0
        self._answers: dict[int, str | None] = {}
        self._open: set[int] = set()
        self.alive = True

    @classmethod
    def start(cls) -> Helper | None:
        """A helper, or None where there is a single core, it is turned off, or no way to start one."""
        reap()
        if not wanted():
            return None
        to_helper, from_main = os.pipe()
        from_helper, to_main = os.pipe()
        try:
            if FORK and threading.active_count() == 1:
                # reportlab (its graphics bring platypus) is imported before forking: both processes
                # need it, and the helper would take as long to import it as this process takes to
                # get to its first chart, so importing it once costs the helper nothing
                import reportlab.graphics.shapes  # noqa: F401

                pid, process = os.fork(), None
                if pid == 0:  # the helper
                    _child(to_helper, from_main, from_helper, to_main)
            else:
                import subprocess

                process = subprocess.Popen(
                    [sys.executable, "-P", "-m", "report.charts.helper", str(to_helper), str(to_main)],
                    pass_fds=(to_helper, to_main), stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                    stderr=subprocess.DEVNULL, env=_child_env())
                pid = process.pid
        except OSError:
            for fd in (to_helper, from_main, from_helper, to_main):
                os.close(fd)
            return None
        os.close(to_helper)
        os.close(to_main)
        return cls(pid, from_main, from_helper, process)

    def submit(self, job, styles) -> int | None:
        """Send a job (a report.charts.Job, with the report.brand.styles.Styles it is drawn in);
        returns its ticket, or None when the helper is gone."""
        if not self.alive:
            return None
        self._tickets += 1
        try:
            _send(self._requests, (self._tickets, job, ChartStyles.of(styles)))
        except (OSError, pickle.PicklingError, TypeError, AttributeError):
            self._stop()
            return None
        self._open.add(self._tickets)
        return self._tickets

    def result(self, ticket: int | None) -> dict | None:
        """The job's drawing as the chart cache's JSON shapes, or None: the builder then draws it."""
        if ticket is None:
            return None
        deadline = time.monotonic() + HELPER_TIMEOUT
        while ticket not in self._answers and self.alive:
            wait = deadline - time.monotonic()
            if wait <= 0 or not select.select([self._replies], [], [], wait)[0]:
                self._stop()  # stuck
                break
            try:
                message = _receive(self._replies)
            except (OSError, pickle.UnpicklingError, EOFError, ValueError):
                message = None
            if message is None:  # it died
                self._stop()
                break
            self._answers[message[0]] = message[1]
            self._open.discard(message[0])
        text = self._answers.pop(ticket, None)
        try:
            return None if text is None else json.loads(text)
        except ValueError:
            return None

    def close(self) -> None:
        """End the helper (at once: it holds nothing that needs saving) and reap it."""
        self._stop()

    def _stop(self) -> None:
        if not self.alive:
            return
        self.alive = False
        try:
            os.kill(self.pid, signal.SIGKILL)  # before closing its pipes, which would wake it to work
        except OSError:
            pass
        for fd in (self._requests, self._replies):
            try:
                os.close(fd)
            except OSError:
                pass
        _UNREAPED.append((self.pid, self._process))
        reap()  # without waiting: a process with matplotlib in it takes a while to go


_UNREAPED: list = []  # (pid, Popen or None) of helpers ended but maybe not gone yet


def reap(wait: bool = False) -> None:
    """Collect the exit of ended helpers (`wait`: until they are gone), so none stays a zombie."""
    for entry in list(_UNREAPED):
        pid, process = entry
        try:
            if process is not None:
                done = process.wait() if wait else process.poll()
            else:
                done = os.waitpid(pid, 0 if wait else os.WNOHANG)[0]
        except (OSError, ChildProcessError):
            done = True
        if done:
            _UNREAPED.remove(entry)


def _child(to_helper: int, from_main: int, from_helper: int, to_main: int) -> None:
    """In the forked helper: serve, then leave without running anything of the builder's."""
    code = 0
    try:
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the builder's to handle
        os.close(from_main)
        os.close(from_helper)
        serve(to_helper, to_main)
    except BaseException:  # noqa: BLE001 - nothing may escape into the builder's code
        code = 1
    finally:
        os._exit(code)


def _child_env() -> dict[str, str]:
    """A new interpreter finds this very `report` package first."""
    import report

    here = os.path.dirname(os.path.dirname(os.path.abspath(report.__file__)))
    path = os.environ.get("PYTHONPATH")
    return {**os.environ, "PYTHONPATH": here + (os.pathsep + path if path else "")}


if __name__ == "__main__":
    main()
