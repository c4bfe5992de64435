"""Which characters a TrueType font can draw, read from its `cmap` table with the standard library.

`report validate` checks glyph coverage without importing reportlab, so it reads the font itself.
"""

from __future__ import annotations

import struct
from functools import lru_cache
from pathlib import Path


def _tables(data: bytes) -> dict[bytes, tuple[int, int]]:
    count = struct.unpack_from(">H", data, 4)[0]
    out = {}
    for i in range(count):
        tag, _, offset, length = struct.unpack_from(">4sIII", data, 12 + 16 * i)
        out[tag] = (offset, length)
    return out


def _format4(data: bytes, at: int) -> set[int]:
    segs = struct.unpack_from(">H", data, at + 6)[0] // 2
    ends = struct.unpack_from(f">{segs}H", data, at + 14)
    starts = struct.unpack_from(f">{segs}H", data, at + 16 + 2 * segs)
    deltas = struct.unpack_from(f">{segs}h", data, at + 16 + 4 * segs)
    range_at = at + 16 + 6 * segs
    offsets = struct.unpack_from(f">{segs}H", data, range_at)
    out = set()
    for i, (start, end, delta, offset) in enumerate(zip(starts, ends, deltas, offsets)):
        for code in range(start, min(end, 0xFFFE) + 1):
            if offset == 0:
                glyph = (code + delta) & 0xFFFF
            else:
                where = range_at + 2 * i + offset + 2 * (code - start)
                glyph = struct.unpack_from(">H", data, where)[0]
                glyph = (glyph + delta) & 0xFFFF if glyph else 0
            if glyph:
                out.add(code)
    return out


def _format12(data: bytes, at: int) -> set[int]:
    groups = struct.unpack_from(">I", data, at + 12)[0]
    out = set()
    for i in range(groups):
        start, end, first_glyph = struct.unpack_from(">III", data, at + 16 + 12 * i)
        out.update(c for c in range(start, min(end, 0x10FFFF) + 1) if first_glyph + c - start)
    return out


@lru_cache(maxsize=32)
def codepoints(path: Path) -> frozenset[int]:
    """Code points `path` maps to a real glyph (not .notdef). Raises ValueError for a bad font."""
    data = Path(path).read_bytes()
    try:
        offset, _ = _tables(data)[b"cmap"]
        count = struct.unpack_from(">H", data, offset + 2)[0]
        subtables = {}
        for i in range(count):
            platform, encoding, sub = struct.unpack_from(">HHI", data, offset + 4 + 8 * i)
            fmt = struct.unpack_from(">H", data, offset + sub)[0]
            subtables[(platform, encoding, fmt)] = offset + sub
        for key in ((3, 10, 12), (0, 4, 12), (0, 6, 12)):
            if key in subtables:
                return frozenset(_format12(data, subtables[key]))
        for key in ((3, 1, 4), (0, 3, 4), (0, 1, 4), (0, 0, 4)):
            if key in subtables:
                return frozenset(_format4(data, subtables[key]))
    except (KeyError, struct.error) as exc:
        raise ValueError(f"unreadable cmap table ({exc})") from None
    raise ValueError("no Unicode cmap table")
