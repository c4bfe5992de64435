"""Cache entries on disk, treated as untrusted data: sealed bytes in, checked bytes out.

Used by the chart cache (report.charts.cache) and the font-check cache (report.brand.assets). An
entry is read only from a regular file under a size cap (a FIFO, device, folder or symlink in its
place is refused without blocking), and only when its first line is the SHA-256 of the rest, so
damage of any kind reads as "not cached". Writes go to a temp file beside the entry, renamed over it.
What an entry holds is checked by its user. Nothing here is needed for correctness: every failure
means "draw or check it again".
"""

from __future__ import annotations

import hashlib
import os
import stat
import tempfile
from pathlib import Path

_OFF = ("", "0", "off", "no", "none")


def cache_root() -> Path | None:
    """The chart cache's folder (REPORT_CACHE_DIR, else $XDG_CACHE_HOME/report/charts), or None."""
    setting = os.environ.get("REPORT_CACHE_DIR")
    if setting is not None:
        return None if setting.strip().lower() in _OFF else Path(setting)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "report" / "charts"


def read_entry(path: Path, limit: int) -> bytes | None:
    """The body of a sound entry at `path` (a regular file of at most `limit` bytes whose checksum
    matches), else None. Never blocks and never follows a symlink."""
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOFOLLOW", 0) | \
        getattr(os, "O_NOCTTY", 0) | getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(path, flags)
    except OSError:
        return None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode) or info.st_size > limit:
            return None
        with os.fdopen(fd, "rb", closefd=False) as file:
            raw = file.read(limit + 1)
    except OSError:
        return None
    finally:
        os.close(fd)
    return unseal(raw) if len(raw) <= limit else None


def seal(body: bytes) -> bytes:
    """An entry's bytes: the SHA-256 of its body on the first line, then the body."""
    return hashlib.sha256(body).hexdigest().encode() + b"\n" + body


def unseal(raw: bytes) -> bytes | None:
    digest, newline, body = raw.partition(b"\n")
    return body if newline and hashlib.sha256(body).hexdigest().encode() == digest else None


def write_entry(path: Path, body: bytes) -> None:
    """Store `body` sealed at `path`, atomically; a read-only or full folder, or a folder in the
    entry's place, only costs speed."""
    tmp = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".", suffix=".tmp")
        with os.fdopen(fd, "wb") as out:
            out.write(seal(body))
        os.replace(tmp, path)
        tmp = None
    except (OSError, ValueError):
        pass
    finally:
        if tmp is not None:
            try:
                os.unlink(tmp)
            except OSError:
                pass
