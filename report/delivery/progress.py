"""Counts of a run to a reader list -> one progress line on stderr (sent, not reached, left, ETA).

On a terminal the line is redrawn in place; in a log (not a terminal) a line is printed at every
tenth of the list and at the end, so a CI log or a cron mail stays short. Notes (a throttling
server, a refused reader) are printed above the line.
"""

from __future__ import annotations

import sys
import time
from typing import Callable, TextIO


def duration(seconds: float) -> str:
    if seconds < 60:
        return f"{seconds:.0f} s"
    if seconds < 3600:
        return f"{seconds / 60:.0f} min"
    return f"{seconds / 3600:.1f} h"


class Progress:
    def __init__(self, label: str, total: int, stream: TextIO | None = None,
                 clock: Callable[[], float] = time.monotonic):
        self.label, self.total = label, total
        self.stream = stream or sys.stderr
        self.tty = bool(getattr(self.stream, "isatty", lambda: False)())
        self.clock, self.started = clock, clock()
        self.sent = self.failed = 0
        self._shown = -1  # the tenth last printed (logs only)
        self._drawn = False

    def line(self, eta: float | None) -> str:
        left = self.total - self.sent - self.failed
        text = f"{self.label}: {self.sent} sent, {self.failed} not reached, {left} left"
        if left and eta is not None:
            text += ", under a second to go" if eta < 1 else f", about {duration(eta)} to go"
        return text

    def update(self, sent: int, failed: int, eta: float | None = None) -> None:
        self.sent, self.failed = sent, failed
        if self.tty:
            self.stream.write("\r\x1b[K" + self.line(eta))
            self.stream.flush()
            self._drawn = True
            return
        tenth = (sent + failed) * 10 // max(1, self.total)
        if tenth > self._shown:
            self._shown = tenth
            print(self.line(eta), file=self.stream, flush=True)

    def note(self, text: str) -> None:
        """A line of its own, printed above the progress line."""
        if self._drawn:
            self.stream.write("\r\x1b[K")
        print(text, file=self.stream, flush=True)
        self._drawn = False

    def done(self) -> None:
        if self._drawn:
            self.stream.write("\n")
            self.stream.flush()
            self._drawn = False
        self._shown = 10
