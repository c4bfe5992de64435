"""A brand's files, checked before anything renders them: paths confined to the brand folder, fonts
that are whole TrueType files, SVG logos that are pictures and not programs."""

from __future__ import annotations

import hashlib
import io
import struct
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from report.errors import Diagnostic, ExitCode, ReportError, format_path
from report.input.load import SourceMap

MAX_FONT_BYTES = 8_000_000
MAX_LOGO_BYTES = 500_000


def confined(folder: Path, relative: str, smap: SourceMap, path: tuple, limit: int) -> Path:
    def fail(message: str, hint: str = "") -> ReportError:
        line, col = smap.locate(path)
        return ReportError([Diagnostic(smap.file, line, col, message, format_path(path), hint)],
                           ExitCode.BRAND_ERROR)

    if Path(relative).is_absolute():
        raise fail(f"'{relative}' must be a path relative to the brand folder",
                   "keep the brand's files in its folder and name them from there")
    target = (folder / relative).resolve()  # symlinks followed: a link must not lead outside either
    if not target.is_relative_to(folder.resolve()):
        raise fail(f"'{relative}' leads outside the brand folder",
                   "a brand may only use files inside its own folder")
    if not target.exists():
        raise fail(f"file '{relative}' not found in the brand folder", "check the spelling and the folder")
    if not target.is_file():
        raise fail(f"'{relative}' is not a regular file")
    if target.stat().st_size > limit:
        raise fail(f"'{relative}' is {target.stat().st_size:,} bytes, over the {limit:,}-byte limit")
    return target


# The tables reportlab reads to embed a font, decompiled in full before reportlab sees the file;
# every other table (kerning, OpenType layout) is covered by its checksum.
_PARSED = ("head", "hhea", "maxp", "OS/2", "name", "post", "cmap", "hmtx", "loca", "glyf")
_REQUIRED = {"cmap", "glyf", "head", "hhea", "hmtx", "loca", "maxp", "name", "post"}
MAX_CMAP_CODES = 0x110000  # code points a character map may list: all of Unicode, once
MAX_GLYPH_DEPTH = 8  # composite glyphs nested in composites; fonts use 1 or 2


@dataclass(frozen=True)
class FontFacts:
    """What a checked font file offers: the code points it maps to a real glyph."""

    codepoints: frozenset[int]


def check_ttf(path: Path, fail) -> FontFacts:
    """A whole, undamaged TrueType font that reportlab can embed: checked table by table with
    fontTools, so a damaged or hostile font is a brand error naming the file, never a crash later."""
    data = path.read_bytes()
    magic = data[:4]
    if magic == b"OTTO":
        raise fail(f"'{path.name}' is a CFF-based OpenType font; use a TrueType (.ttf) file")
    if magic not in (b"\x00\x01\x00\x00", b"true"):
        raise fail(f"'{path.name}' is not a TrueType font file",
                   "use the family's .ttf files as distributed")
    facts = font_facts(data)
    if isinstance(facts, str):
        raise fail(f"'{path.name}' is damaged or incomplete ({facts})", "download the font file again")
    return facts


@lru_cache(maxsize=64)
def font_facts(data: bytes) -> FontFacts | str:
    """The facts of a font file's bytes, or what is wrong with them: cached per content in the
    process and, for fonts that pass, on disk (a check costs about 30 ms a face; `validate` should
    stay quick)."""
    digest = hashlib.sha256(data).hexdigest()
    known = _stored_facts(digest)
    if known is not None:
        return known
    facts = _checked_facts(data)
    if isinstance(facts, FontFacts):
        _store_facts(digest, facts)
    return facts


MAX_FACTS_BYTES = 2_000_000


@lru_cache(maxsize=1)
def _check_version() -> str:
    """What a stored verdict depends on: this check's code and fontTools' version."""
    import fontTools

    return hashlib.sha256(Path(__file__).read_bytes() + fontTools.version.encode()).hexdigest()[:16]


def _facts_path(digest: str) -> Path | None:
    from report.diskcache import cache_root

    root = cache_root()
    return None if root is None else root / "fonts" / f"{digest}.json"


def _stored_facts(digest: str) -> FontFacts | None:
    """A verdict stored by an earlier check of the same bytes, if it is sound (see report.diskcache)."""
    import json

    from report.diskcache import read_entry

    path = _facts_path(digest)
    body = None if path is None else read_entry(path, MAX_FACTS_BYTES)
    if body is None:
        return None
    try:
        data = json.loads(body)
        ranges = data["ranges"]
        if set(data) != {"check", "font", "ranges"} or data["check"] != _check_version() or \
                data["font"] != digest or not isinstance(ranges, list) or len(ranges) > 200_000:
            return None
        codes: set[int] = set()
        last = -1
        for pair in ranges:
            start, end = pair
            if not (type(start) is type(end) is int and last < start <= end <= 0x10FFFF):
                return None
            codes.update(range(start, end + 1))
            last = end
        return FontFacts(frozenset(codes))
    except (ValueError, TypeError, KeyError, RecursionError):
        return None


def _store_facts(digest: str, facts: FontFacts) -> None:
    import json

    from report.diskcache import write_entry

    path = _facts_path(digest)
    if path is None:
        return
    ranges: list[list[int]] = []
    for code in sorted(facts.codepoints):
        if ranges and ranges[-1][1] == code - 1:
            ranges[-1][1] = code
        else:
            ranges.append([code, code])
    write_entry(path, json.dumps({"check": _check_version(), "font": digest, "ranges": ranges}).encode())


def _checked_facts(data: bytes) -> FontFacts | str:
    import logging

    from fontTools.ttLib import TTFont

    log = logging.getLogger("fontTools")
    level, log.level = log.level, logging.CRITICAL + 1  # fontTools logs oddities; we judge them here
    try:
        font = TTFont(io.BytesIO(data), lazy=True, checkChecksums=0)
        problem = _tables_problem(font, data) or _semantics_problem(font, data)
        if problem:
            return problem
        cmap = _reportlab_cmap(font).cmap
        return FontFacts(frozenset(code for code, glyph in cmap.items() if glyph != ".notdef"))
    except _Damaged as exc:
        return str(exc)
    except Exception as exc:  # whatever fontTools could not read: the file's fault, named by table
        return f"{type(exc).__name__}: {str(exc)[:80]}"
    finally:
        log.level = level


class _Damaged(Exception):
    pass


def _tables_problem(font, data: bytes) -> str:
    from fontTools.ttLib.sfnt import calcChecksum

    tables = font.reader.tables
    missing = sorted(_REQUIRED - {str(tag) for tag in tables})
    if missing:
        return f"no '{missing[0]}' table"
    for tag, entry in tables.items():
        if entry.offset + entry.length > len(data):
            return f"the '{tag}' table runs past the end of the file"
        raw = data[entry.offset: entry.offset + entry.length]
        if str(tag) == "head" and len(raw) >= 12:
            raw = raw[:8] + b"\0\0\0\0" + raw[12:]  # the checksum adjustment is not summed
        if calcChecksum(raw) != entry.checkSum:
            return f"the '{tag}' table does not match its checksum"
    _check_cmap_ranges(data, tables["cmap"])
    for tag in _PARSED:
        if tag in tables:
            try:
                font[tag]
            except Exception as exc:
                raise _Damaged(f"unreadable '{tag}' table: {type(exc).__name__}") from None
    return ""


def _check_cmap_ranges(data: bytes, entry) -> None:
    """Character maps whose ranges overlap could list billions of codes: refuse before decoding."""
    table = data[entry.offset: entry.offset + entry.length]
    try:
        count = struct.unpack_from(">H", table, 2)[0]
        for i in range(count):
            offset = struct.unpack_from(">I", table, 4 + 8 * i + 4)[0]
            fmt = struct.unpack_from(">H", table, offset)[0]
            total = 0
            if fmt == 4:
                segs = struct.unpack_from(">H", table, offset + 6)[0] // 2
                ends = struct.unpack_from(f">{segs}H", table, offset + 14)
                starts = struct.unpack_from(f">{segs}H", table, offset + 16 + 2 * segs)
                total = sum(max(0, e - s + 1) for s, e in zip(starts, ends))
            elif fmt in (8, 12, 13):
                at = offset + (8204 if fmt == 8 else 12)
                groups = struct.unpack_from(">I", table, at)[0]
                if groups > len(table) // 12:
                    raise _Damaged("unreadable 'cmap' table: more groups than bytes")
                for g in range(groups):
                    start, end = struct.unpack_from(">II", table, at + 4 + 12 * g)
                    total += max(0, end - start + 1)
            if total > MAX_CMAP_CODES:
                raise _Damaged(f"its character map lists {total:,} codes; ranges overlap")
    except struct.error:
        raise _Damaged("unreadable 'cmap' table") from None


def _reportlab_cmap(font):
    """The character map reportlab will use: it takes the last subtable by its own rules (not the
    'best' one), so the glyph check must read that same one."""
    chosen, kind = None, 0
    for table in font["cmap"].tables:  # in the file's order, as reportlab reads them
        platform, encoding = table.platformID, table.platEncID
        if platform == 3 or (platform == 1 and encoding == 1) or (platform == 0 and encoding != 5):
            chosen, kind = table, 1
        elif platform == 1 and encoding == 0 and kind != 1:
            chosen, kind = table, 2
    if chosen is None or not chosen.isUnicode() or chosen.format not in (0, 4, 6, 12, 13):
        raise _Damaged("reportlab would find no Unicode character map it can read")
    return chosen


def _semantics_problem(font, data: bytes) -> str:
    """What reportlab (ttfonts.TTFontFile) and PDF readers rely on beyond the bytes parsing."""
    head, hhea, maxp = font["head"], font["hhea"], font["maxp"]
    raw = {tag: font.reader[tag] for tag in ("head", "hhea", "maxp", "post", "name")}
    major = {tag: struct.unpack_from(">H", data)[0] for tag, data in raw.items()}  # as reportlab reads
    wrong = [tag for tag in ("head", "hhea", "maxp") if major[tag] != 1] + \
        (["post"] if major["post"] not in (1, 2, 3, 4) else []) + (["name"] if major["name"] != 0 else [])
    if wrong:
        return f"the '{wrong[0]}' table has a version or format reportlab cannot read"
    if struct.unpack_from(">H", raw["head"], 52)[0] != 0 or struct.unpack_from(">H", raw["hhea"], 32)[0] != 0:
        return "the 'head' or 'hhea' table gives an unknown data format"
    if head.magicNumber != 0x5F0F3CF5:
        return "the 'head' table has a wrong magic number"
    if not 16 <= head.unitsPerEm <= 16384:
        return f"the 'head' table gives {head.unitsPerEm} units per em"
    if head.indexToLocFormat not in (0, 1):
        return "the 'head' table gives an unknown 'loca' format"
    glyphs = len(font.getGlyphOrder())
    if not 1 <= maxp.numGlyphs == glyphs or not 1 <= hhea.numberOfHMetrics <= glyphs:
        return "the glyph counts of 'maxp', 'hhea' and 'hmtx' disagree"
    if "OS/2" in font and (font["OS/2"].fsType == 0x0002 or font["OS/2"].fsType & 0x0300):
        return "its licence bits (OS/2 fsType) forbid embedding it in a PDF"
    cmap = _reportlab_cmap(font).cmap
    if not cmap or not set(cmap.values()) <= set(font["glyf"].glyphs):
        return "its character map is empty or names glyphs the font does not have"
    if not _ps_name_ok(data, font.reader.tables["name"].offset):
        return "its PostScript name (name ID 6, else 4 or 1) is missing or not plain ASCII"
    return _glyphs_problem(font)


def _ps_name_ok(data: bytes, name_offset: int) -> bool:
    """The name reportlab embeds the font under, found as reportlab finds it (ttfonts.extractInfo,
    which reads the strings from the whole file, not only the name table): the first Windows-
    Unicode-English or Mac-Roman-English record of IDs 6, else 4, else 1, in plain ASCII."""
    try:
        count, strings = struct.unpack_from(">2H", data, name_offset + 2)
        names: dict[int, bytes] = {}
        for i in range(count):
            platform, encoding, language, ident, length, offset = struct.unpack_from(
                ">6H", data, name_offset + 6 + 12 * i)
            if ident not in (1, 2, 3, 4, 6) or (platform, encoding, language) not in ((3, 1, 0x409), (1, 0, 0)):
                continue
            if platform == 3 and length % 2:
                return False  # reportlab refuses an odd-length UTF-16 name outright
            start = name_offset + strings + offset
            raw = data[start:start + length]
            try:
                text = raw.decode("utf_16_be" if platform == 3 else "mac_roman").encode("utf8")
            except UnicodeDecodeError:
                text = raw.decode("latin1").encode("utf8")
            if text and ident not in names:
                names[ident] = text
    except struct.error:
        return False
    name = names.get(6) or names.get(4) or names.get(1)
    return bool(name) and all(b <= 126 and b not in b" [](){}<>/%" for b in name.replace(b" ", b"-"))


def _glyphs_problem(font) -> str:
    """Composite glyphs must name real glyphs, without loops; reportlab follows them when subsetting."""
    glyf = font["glyf"]
    depth: dict[str, int] = {}

    def nesting(name: str, path: tuple) -> int:
        if len(path) > MAX_GLYPH_DEPTH + 1:  # before going deeper: a long chain must not recurse far
            raise _Damaged(f"glyph '{path[0][:30]}' nests components over {MAX_GLYPH_DEPTH} deep")
        if name not in depth:
            level = 0
            for part in glyf.glyphs[name].getComponentNames(glyf):
                if part not in glyf.glyphs or part in path:
                    raise _Damaged(f"glyph '{name[:30]}' is made of a missing or looping glyph")
                level = max(level, 1 + nesting(part, path + (part,)))
                if level > MAX_GLYPH_DEPTH:
                    raise _Damaged(f"glyph '{name[:30]}' nests components over {MAX_GLYPH_DEPTH} deep")
            depth[name] = level
        return depth[name]

    for name in glyf.glyphs:
        nesting(name, (name,))
    return ""
