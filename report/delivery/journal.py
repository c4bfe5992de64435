"""The delivery journal: one JSON line per message a server accepted -> who already has which PDF.

Each line records the PDF's SHA-256, the reader, the time, the server's reply and the Message-ID.
A line is written with one `write` to a file opened for appending and synced to the disk
(fdatasync) before the next reader is tried, so a kill, or a power cut, at any moment loses no
record of an accepted message. What SMTP cannot promise: between the server's acceptance and the
record there is a moment; a run stopped in it (killed, crashed, cut off) sends that one message
again next time. The journal never records a
message the server did not accept, so nobody is skipped.

A run holds an exclusive lock (flock) on the journal for its whole length: a second run on the
same journal is refused instead of sending the same update in parallel. The lock ends with the
process, however it ends. A last line cut short by a crash (no newline, or the zero bytes some
file systems leave after a power cut) is ignored and trimmed; any other unreadable line is an
error at its line, since guessing could send someone a second copy.
"""

from __future__ import annotations

import fcntl
import json
import os
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from report.errors import Diagnostic, ExitCode, ReportError

FORMAT = 1
FIELDS = ("pdf", "reader", "time", "reply")


@dataclass(frozen=True)
class Record:
    pdf: str
    reader: str  # the reader's key (address, lower case)
    time: str
    reply: str
    line: int
    input: str = ""  # the input file the PDF was built from, as given on the command line


def journal_path(pdf_target: Path) -> Path:
    """The default journal beside the PDF: out/x.pdf -> out/x.delivery.jsonl."""
    return pdf_target.with_name(pdf_target.stem + ".delivery.jsonl")


def _error(path: Path, line: int, message: str, hint: str = "") -> ReportError:
    return ReportError([Diagnostic(str(path), line, 1 if line else 0, message, hint=hint)],
                       ExitCode.OUTPUT_ERROR)


def _parse(path: Path, number: int, raw: bytes) -> Record:
    try:
        item = json.loads(raw)
        if not isinstance(item, dict) or not all(isinstance(item.get(f), str) for f in FIELDS):
            raise ValueError
    except ValueError:
        raise _error(path, number, "this line is not a delivery record",
                     "the journal is written only by report email; restore it from a backup, or "
                     "move it aside to start afresh (every reader would then get this PDF again)"
                     ) from None
    return Record(item["pdf"], item["reader"], item["time"], item["reply"], number,
                  str(item.get("input", "")))


class Journal:
    """An open, locked journal: `delivered(pdf)` to read, `record(...)` to append."""

    def __init__(self, path: Path, fd: int, records: list[Record]):
        self.path, self._fd, self.records = path, fd, records

    @classmethod
    def open(cls, path: Path) -> Journal:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_APPEND | os.O_CLOEXEC, 0o644)
        except OSError as exc:
            raise _error(path, 0, f"cannot open the delivery journal: {exc.strerror}") from None
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            raise _error(path, 0, "another `report email` run is using this delivery journal",
                         "wait for it to finish; two runs at once could send the same update "
                         "twice") from None
        try:
            return cls(path, fd, cls._read(path, fd))
        except BaseException:
            os.close(fd)
            raise

    @staticmethod
    def _read(path: Path, fd: int) -> list[Record]:
        data = b""
        while chunk := os.pread(fd, 1 << 20, len(data)):
            data += chunk
        complete = data.rfind(b"\n") + 1
        if complete < len(data):  # a last line cut short by a crash: never a whole record
            os.ftruncate(fd, complete)
            os.fsync(fd)
        lines = data[:complete].split(b"\n")[:-1]
        return [_parse(path, n, raw) for n, raw in enumerate(lines, 1) if raw.strip()]

    def delivered(self, pdf: str) -> dict[str, Record]:
        """Reader key -> the record of their message, for this PDF only."""
        return {r.reader: r for r in self.records if r.pdf == pdf}

    def other_pdfs(self, pdf: str, source: str) -> set[str]:
        """Earlier PDFs of the same input (earlier updates) that this journal holds."""
        return {r.pdf for r in self.records if r.pdf != pdf and r.input == source}

    def record(self, pdf: str, reader: str, reply: str, message_id: str = "",
               source: str = "") -> None:
        """Append one accepted message and make it durable before returning."""
        item = {"v": FORMAT, "pdf": pdf, "reader": reader,
                "time": datetime.now(timezone.utc).isoformat(timespec="seconds"),
                "reply": reply, "message_id": message_id, "input": source}
        line = (json.dumps(item, ensure_ascii=True, sort_keys=True) + "\n").encode()
        try:
            written = os.write(self._fd, line)  # one write, O_APPEND: never interleaved
            if written != len(line):
                raise OSError(28, "short write (is the disk full?)")
            os.fdatasync(self._fd)  # the data and the file's new length; no other metadata
        except OSError as exc:
            raise _error(self.path, 0, f"cannot record the message to {reader}, which the server "
                         f"accepted: {exc.strerror}; stopped so that nobody is sent it twice",
                         "free some space or fix the journal's folder, then run the same command "
                         f"again ({reader} may get a second copy)") from None
        self.records.append(Record(pdf, reader, item["time"], reply, len(self.records) + 1, source))

    def close(self) -> None:
        if self._fd >= 0:
            os.close(self._fd)  # also releases the lock
            self._fd = -1

    def __enter__(self) -> Journal:
        return self

    def __exit__(self, *exc) -> None:
        self.close()
