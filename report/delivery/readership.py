"""One built report + a reader list -> one message per reader, each recorded in the journal; who
was reached, who was not, and why.

Readers the journal already lists for this PDF are skipped. The others are sent one message each,
addressed to that reader alone, at the pace's speed; a refused recipient or message fails that
reader only, while a failure of the server itself (connection, TLS, login, sender) stops the run,
since every further reader would fail the same way. Ten failed messages in a row (other than a
refused address) also stop it: the server is refusing this update, not a reader.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Callable

from report.delivery.journal import Journal
from report.delivery.message import Letter, compose
from report.delivery.pace import Pacer, describe
from report.delivery.progress import Progress
from report.delivery.readers import Reader
from report.delivery.smtp import DeliveryError, Mailer
from report.errors import Diagnostic

MAX_FAILURES_IN_A_ROW = 10


@dataclass
class Outcome:
    total: int
    already: int  # readers the journal lists as having this PDF: not sent again
    sent: list[Reader] = field(default_factory=list)
    failed: list[tuple[Reader, DeliveryError]] = field(default_factory=list)
    untried: list[Reader] = field(default_factory=list)  # the run stopped before them
    stop: str = ""  # why the run stopped early
    in_flight: Reader | None = None  # interrupted while this reader's message was being sent
    interrupted: bool = False

    @property
    def complete(self) -> bool:
        return not self.failed and not self.untried and not self.interrupted


@dataclass(frozen=True)
class Run:
    """What a run to a reader list needs besides the readers: the same for every input."""

    mailer: Mailer
    pacer: Pacer
    journal: Journal
    headers: Callable[[Reader], tuple[tuple[str, str], ...]]
    clock: Callable[[], float] = time.monotonic


def deliver(letter: Letter, readers: tuple[Reader, ...], pdf: str, source: str, run: Run,
            progress: Progress) -> Outcome:
    done = run.journal.delivered(pdf)
    todo = [r for r in readers if r.key not in done]
    outcome = Outcome(len(readers), len(readers) - len(todo))
    progress.total = len(todo)
    started, in_a_row = run.clock(), 0
    try:
        for index, reader in enumerate(todo):
            run.pacer.wait()
            envelope = compose(letter, [reader.header], name=reader.name,
                               headers=run.headers(reader))
            outcome.in_flight = reader
            try:
                sent = run.mailer.send(envelope)
            except DeliveryError as exc:
                outcome.in_flight = None
                if exc.scope == "server":
                    outcome.untried, outcome.stop = todo[index:], exc.message
                    break
                outcome.failed.append((reader, exc))
                in_a_row = 0 if exc.scope == "address" else in_a_row + 1
                if in_a_row >= MAX_FAILURES_IN_A_ROW:
                    outcome.untried = todo[index + 1:]
                    outcome.stop = (f"{in_a_row} messages in a row were not accepted; the last: "
                                    f"{exc.message}")
                    break
            else:
                run.journal.record(pdf, reader.key, sent.reply, str(envelope.message["Message-ID"]),
                                   source)
                outcome.in_flight = None
                outcome.sent.append(reader)
                run.pacer.accepted()
                in_a_row = 0
            handled = len(outcome.sent) + len(outcome.failed)
            per_message = (run.clock() - started) / handled
            progress.update(len(outcome.sent), len(outcome.failed),
                            run.pacer.eta(len(todo) - handled, per_message))
    except KeyboardInterrupt:
        outcome.interrupted = True
        handled = len(outcome.sent) + len(outcome.failed)
        outcome.untried = todo[handled:]
    finally:
        progress.done()
    return outcome


def slow_down(pacer: Pacer) -> Callable[[Exception], str]:
    """What the Mailer calls on a temporary answer: slow the run down, and say so in its note."""
    def slowed(_exc: Exception) -> str:
        return f"; slowing down to {describe(pacer.throttled())}"
    return slowed


def _names(readers: list[Reader], limit: int = 10) -> str:
    shown = ", ".join(r.address for r in readers[:limit])
    return shown + (f" and {len(readers) - limit} more" if len(readers) > limit else "")


def summary(outcome: Outcome, source: str, readers_file: str, journal: str,
            where: str) -> tuple[str, list[Diagnostic]]:
    """The closing line (stdout) and one located error per reader not reached (stderr)."""
    had = f"{outcome.already} already had this PDF" if outcome.already else ""
    if not outcome.sent and not outcome.failed and not outcome.untried:
        line = (f"nothing to send for {source}: all {outcome.total} readers of {readers_file} "
                f"already have this PDF (journal {journal})")
        return line, []
    line = (f"sent {source} to {len(outcome.sent)} of {outcome.total} readers of {readers_file} "
            f"via {where}" + (f" ({had})" if had else "") + f"; journal {journal}")
    problems = []
    for reader, exc in outcome.failed:
        hint = ("it may have arrived: the server never confirmed it, and a run of the same "
                "command sends it again" if exc.unconfirmed else
                "fix or remove the address; a run of the same command then sends to it alone"
                if exc.scope == "address" else exc.diagnostics[0].hint)
        problems.append(Diagnostic(readers_file, reader.line, 1,
                                   f"{reader.address} not reached: {exc.message}", hint=hint))
    if outcome.untried:
        why = "interrupted" if outcome.interrupted else f"stopped: {outcome.stop}"
        if outcome.in_flight is not None:
            why += (f"; the message to {outcome.in_flight.address} was being sent and may have "
                    "arrived (a run of the same command sends it again)")
        problems.append(Diagnostic(source, 0, 0, f"{why}; {len(outcome.untried)} reader(s) not "
                                   f"tried: {_names(outcome.untried)}", hint="run the same command "
                                   "again: it sends to exactly the readers the journal does not "
                                   "list"))
    return line, problems
