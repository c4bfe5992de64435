"""Diagnostics and exit codes: how a user's mistake is reported, compiler style."""

from __future__ import annotations

import enum
from dataclasses import dataclass


class ExitCode(enum.IntEnum):
    """Exit codes of the `report` command: the one list (the CLI's help prints it, the README's
    table is checked against it)."""

    OK = 0
    INPUT_ERROR = 1
    USAGE = 2
    BRAND_ERROR = 3
    OUTPUT_ERROR = 4
    DELIVERY = 5
    SETTINGS = 6
    INTERNAL = 70
    INTERRUPTED = 130  # 128 + SIGINT, as shells report a program stopped by Ctrl-C
    CLOSED_PIPE = 141  # 128 + SIGPIPE, as shells report `cmd | head` for programs that die of it

    @property
    def meaning(self) -> str:
        return _MEANINGS[self]


_MEANINGS = {
    ExitCode.OK: "success",
    ExitCode.INPUT_ERROR: "an input file or reader list is invalid (YAML, schema, data, glyph or "
                          "fit checks, addresses)",
    ExitCode.USAGE: "usage error on the command line",
    ExitCode.BRAND_ERROR: "the brand (brand file, fonts, logo) is missing or invalid",
    ExitCode.OUTPUT_ERROR: "the PDF (or .eml, a file of `new` or `init`, the delivery journal) could "
                           "not be written",
    ExitCode.DELIVERY: "a message could not be sent (a reader not reached), or the PDF could not "
                       "be printed",
    ExitCode.SETTINGS: "mail or print settings are missing or invalid (SMTP, sender, spooler)",
    ExitCode.INTERNAL: "internal error: a bug, shown with its traceback; please report it",
    ExitCode.INTERRUPTED: "interrupted (Ctrl-C); no file is ever left half-written",
    ExitCode.CLOSED_PIPE: "the output was closed early (e.g. `report ... | head -1`)",
}


@dataclass(frozen=True, order=True)
class Diagnostic:
    """One mistake, located in a source file."""

    file: str
    line: int  # 1-based; 0 when the mistake has no single place (an empty file)
    column: int  # 1-based
    message: str
    path: str = ""  # the field path, e.g. key_stats[2].source
    hint: str = ""

    def format(self) -> str:
        where = f"{self.file}:{self.line}:{self.column}" if self.line else self.file
        field = f"{self.path}: " if self.path else ""
        text = f"{where}: error: {field}{self.message}"
        if self.hint:
            text += f"\n  hint: {self.hint}"
        return text


class ReportError(Exception):
    """A user's mistake: carries one diagnostic per mistake and the exit code to end with."""

    def __init__(self, diagnostics: list[Diagnostic], code: ExitCode = ExitCode.INPUT_ERROR):
        self.diagnostics = sorted(diagnostics)
        self.code = code
        super().__init__("\n".join(d.format() for d in self.diagnostics))


def format_path(path: tuple) -> str:
    """('key_stats', 2, 'source') -> 'key_stats[3].source': positions count from 1, as the rows and
    items in the messages do ("row 3"), so an author counts the third tile as 3."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part + 1}]"
        else:
            out += f".{part}" if out else str(part)
    return out
