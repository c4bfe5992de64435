"""Diagnostics and exit codes: how a user's mistake is reported, compiler style."""

from __future__ import annotations

import enum
from dataclasses import dataclass


class ExitCode(enum.IntEnum):
    """Exit codes of the `report` command, documented in the README."""

    OK = 0
    INPUT_ERROR = 1  # an input file is invalid: YAML, schema or data checks
    USAGE = 2  # the command line itself is wrong
    BRAND_ERROR = 3  # the brand file, a font or the logo is missing or invalid
    OUTPUT_ERROR = 4  # the PDF could not be written where asked
    DELIVERY = 5  # a message could not be sent, or the PDF could not be printed
    SETTINGS = 6  # mail or print settings are missing or invalid (SMTP variables, no spooler)
    INTERNAL = 70  # a bug: the traceback is shown


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
    """('key_stats', 2, 'source') -> 'key_stats[2].source'."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out
