"""Composed messages -> `.eml` files (the dry run): one per input, or one per reader in a folder.

Each file is written atomically; a reader's file is named after their address (lower case, any
character a file system might refuse replaced by `_`), so a desk can open what a given reader gets.
"""

from __future__ import annotations

import re
from pathlib import Path

from report.errors import Diagnostic, ExitCode, ReportError


def eml_path(source: Path, out: Path | None) -> Path:
    """The .eml of one input: beside it, `out` itself when it names a .eml file, else in `out`."""
    name = source.stem + ".eml"
    if out is None:
        return source.with_name(name)
    return out if out.suffix.lower() == ".eml" else out / name


def reader_files(folder: Path, keys: list[str]) -> dict[str, Path]:
    """Reader key -> its .eml in `folder`; distinct names even where cleaning made two alike."""
    out, used = {}, set()
    for key in keys:
        stem = re.sub(r"[^a-z0-9@._+-]", "_", key).strip(".") or "reader"
        name, n = f"{stem}.eml", 1
        while name in used:
            n += 1
            name = f"{stem}-{n}.eml"
        used.add(name)
        out[key] = folder / name
    return out


def write_eml(target: Path, envelope) -> None:
    from report.build import write_atomic

    try:
        write_atomic(target, envelope.flatten("\n"))
    except OSError as exc:
        raise ReportError([Diagnostic(str(target), 0, 0, f"cannot write the message: "
                                      f"{exc.strerror}")], ExitCode.OUTPUT_ERROR) from None
