"""A reader list file -> the readers, each with the line it came from; every mistake located.

Two forms: a plain list (one address per line, `Name <address>` allowed, `#` starts a comment,
blank lines ignored) or, for a file named `*.csv`, a CSV file with a header row holding an `email`
column and optionally a `name` column (other columns are ignored; `;` works as the separator when
the header has no comma). Malformed addresses and duplicates (compared without regard to case) are
reported as `file:line` before anything is built or sent.
"""

from __future__ import annotations

import csv
import difflib
import io
import stat
from dataclasses import dataclass
from email.headerregistry import Address
from pathlib import Path

from report.delivery.message import HeaderValueError, check_header, parse_address
from report.errors import Diagnostic, ExitCode, ReportError

MAX_BYTES = 50_000_000


@dataclass(frozen=True)
class Reader:
    address: str  # the addr-spec, e.g. ann@example.com
    name: str  # '' when the list gives none
    line: int

    @property
    def key(self) -> str:
        """The reader's identity in duplicates and in the journal."""
        return self.address.lower()

    @property
    def header(self) -> Address:
        username, _, domain = self.address.rpartition("@")
        return Address(display_name=self.name, username=username, domain=domain)


class _Problems:
    def __init__(self, file: str):
        self.file, self.found = file, []

    def add(self, line: int, message: str, hint: str = "") -> None:
        self.found.append(Diagnostic(self.file, line, 1, message, hint=hint))

    def raise_any(self) -> None:
        if self.found:
            raise ReportError(self.found, ExitCode.INPUT_ERROR)


def _reader(text: str, name: str, line: int, problems: _Problems, seen: dict) -> Reader | None:
    try:
        address = parse_address(text)
        if name:
            check_header(name, f"the name {name!r}")
    except HeaderValueError as exc:
        problems.add(line, str(exc))
        return None
    reader = Reader(address.addr_spec, " ".join((name or address.display_name).split()), line)
    first = seen.setdefault(reader.key, line)
    if first != line:
        problems.add(line, f"{reader.address} is listed twice (first on line {first})",
                     "each reader gets one message; remove one of the lines")
        return None
    return reader


def _plain(text: str, problems: _Problems) -> list[Reader]:
    readers, seen = [], {}
    for number, raw in enumerate(text.split("\n"), 1):  # not splitlines: it splits at \v and \f too
        line = raw.split(" #", 1)[0].split("\t#", 1)[0].strip(" \t\r")
        if not line or line.startswith("#"):
            continue
        if number == 1 and "," in line and "email" in line.lower():
            problems.add(number, f"{line!r} looks like a CSV header row",
                         "a CSV reader list must be named *.csv")
            return []
        reader = _reader(line, "", number, problems, seen)
        if reader:
            readers.append(reader)
    return readers


def _columns(header: list[str], problems: _Problems) -> tuple[int, int | None] | None:
    names = [h.strip().lower() for h in header]
    if "email" not in names:
        close = difflib.get_close_matches("email", names, 1, 0.6)
        problems.add(1, "the header row has no 'email' column" + (f" (found: {', '.join(header)})"
                     if header else ""), f"did you mean '{close[0]}'? name it 'email'" if close
                     else "the first row names the columns: email,name")
        return None
    for name in ("email", "name"):
        if names.count(name) > 1:
            problems.add(1, f"the header row has two '{name}' columns")
            return None
    return names.index("email"), names.index("name") if "name" in names else None


def _csv(text: str, problems: _Problems) -> list[Reader]:
    first = text.split("\n", 1)[0]
    delimiter = ";" if ";" in first and "," not in first else ","
    rows = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    try:
        header = next(rows, [])
        columns = _columns(header, problems)
        if columns is None:
            return []
        email_col, name_col = columns
        readers, seen, start = [], {}, rows.line_num + 1
        for row in rows:
            line, start = start, rows.line_num + 1  # a quoted field may span lines
            if not any(cell.strip() for cell in row):
                continue
            address = row[email_col].strip() if email_col < len(row) else ""
            name = row[name_col].strip() if name_col is not None and name_col < len(row) else ""
            if not address:
                problems.add(line, "this row has no address in the 'email' column")
                continue
            reader = _reader(address, name, line, problems, seen)
            if reader:
                readers.append(reader)
    except csv.Error as exc:
        problems.add(rows.line_num or 1, f"not valid CSV: {exc}")
        return []
    return readers


def _text(path: Path, problems: _Problems) -> str | None:
    try:
        info = path.stat()
        if not stat.S_ISREG(info.st_mode):
            raise OSError(0, "it is not a regular file")
        if info.st_size > MAX_BYTES:
            problems.add(0, f"the reader list is over {MAX_BYTES:,} bytes")
            return None
        raw = path.read_bytes()
    except OSError as exc:
        raise ReportError([Diagnostic(str(path), 0, 0, f"cannot read the reader list: "
                                      f"{exc.strerror}", "--readers")], ExitCode.USAGE) from None
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        problems.add(raw.count(b"\n", 0, exc.start) + 1, "not UTF-8 text",
                     "save the list as UTF-8 (CSV UTF-8 in a spreadsheet)")
        return None


def load_readers(path: Path) -> tuple[Reader, ...]:
    """The readers of the list at `path`, in file order; ReportError (exit 1) listing every
    mistake with its line, or exit 2 when the file cannot be read."""
    problems = _Problems(str(path))
    text = _text(path, problems)
    readers = []
    if text is not None:
        readers = (_csv if path.suffix.lower() == ".csv" else _plain)(text, problems)
    if not readers and not problems.found:
        problems.add(0, "the reader list holds no address")
    problems.raise_any()
    return tuple(readers)
