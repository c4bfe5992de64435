"""`--rate N/min` and the server's temporary answers -> when the next message may start.

The pace is an interval between the starts of two messages: the rate's, or none. A temporary (4xx)
answer means the server wants less: the interval doubles (from the retry backoff at least, up to a
minute), and each accepted message brings it back down by a tenth, never below the rate's. So a
throttling server slows the run down instead of failing it, and a run speeds up again once the
server keeps up. The clock and the sleep are injected: tests check the waits, not the wall clock.
"""

from __future__ import annotations

import re
import time
from typing import Callable

MAX_INTERVAL = 60.0  # seconds between two messages at the slowest
UNITS = {"s": 1.0, "sec": 1.0, "min": 60.0, "h": 3600.0, "hour": 3600.0}


def parse_rate(text: str) -> float:
    """'30/min' (also '/s', '/h') -> messages per second; ValueError with the expected form."""
    match = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*/\s*([a-z]+)\s*", text.lower())
    if not match or match.group(2) not in UNITS or float(match.group(1)) <= 0:
        raise ValueError(f"{text!r} is not a rate: write it as messages per minute, e.g. 30/min "
                         "(or per second or hour: 2/s, 1000/h)")
    return float(match.group(1)) / UNITS[match.group(2)]


def describe(interval: float) -> str:
    if interval <= 0:
        return "as fast as the server accepts them"
    if interval < 1:
        return f"{1 / interval:.3g} messages a second"
    return f"one message every {interval:.3g} s"


class Pacer:
    def __init__(self, rate: float | None, backoff: float, *,
                 clock: Callable[[], float] | None = None,
                 sleep: Callable[[float], None] | None = None):
        self.base = 1.0 / rate if rate else 0.0
        self.interval = self.base
        self.backoff = backoff
        self.clock, self.sleep = clock or time.monotonic, sleep or time.sleep
        self._next = None

    def wait(self) -> None:
        """Block until the next message may start, and count this one as started."""
        now = self.clock()
        if self._next is not None and now < self._next:
            self.sleep(self._next - now)
            now = self._next
        self._next = now + self.interval

    def throttled(self) -> float:
        """A temporary answer: double the interval; returns the new one."""
        self.interval = min(MAX_INTERVAL, max(self.interval * 2, self.backoff, 0.05))
        self._next = self.clock() + self.interval
        return self.interval

    def accepted(self) -> None:
        relaxed = self.interval * 0.9
        self.interval = self.base if relaxed <= max(self.base, 0.01) else relaxed

    def eta(self, left: int, per_message: float) -> float:
        """Seconds until `left` messages are done, each taking `per_message` besides the pace."""
        return left * max(self.interval, per_message)
