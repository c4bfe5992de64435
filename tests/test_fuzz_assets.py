"""Fuzz campaigns over what surrounds an input: brand files, SVG logos, TTF fonts and chart-cache entries.

The properties: a mutated brand file loads or is refused as a located brand error; a mutated logo
is refused or drawn (never a crash, never a raster); a mutated font is refused, or reportlab reads
and subsets it (what `validate` accepts, `build` can embed); a mutated cache entry is refused, or
what it holds draws. CI runs a fixed, derandomized set; a longer, random campaign:

    REPORT_FUZZ_ASSETS=3000 python -m pytest tests/test_fuzz_assets.py

Inputs that once broke the tool are kept in tests/data/fuzz/logos/ and fonts.json, and replayed.
"""

from __future__ import annotations

import io
import json
import os
import shutil
import struct
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from datapaths import paths
from report.errors import ExitCode, ReportError

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data"
CORPUS = DATA / "fuzz"
BRANDS = ROOT / "assets" / "brands"
_CAMPAIGN = "REPORT_FUZZ_ASSETS" in os.environ
EXAMPLES = int(os.environ.get("REPORT_FUZZ_ASSETS", "150"))


def _settings(examples: int):
    return settings(max_examples=examples, deadline=None, derandomize=not _CAMPAIGN, database=None,
                    print_blob=True, suppress_health_check=list(HealthCheck))


class Refused(Exception):
    def __init__(self, message: str, hint: str = ""):
        super().__init__(message)


# -- logos ----------------------------------------------------------------------------------------------

SEEDS = [(BRANDS / "meridian" / "logo.svg").read_bytes(), (BRANDS / "harbor" / "logo.svg").read_bytes()]
PNG = ("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAIAAACQd1PeAAAADElEQVR4nGP4z8AAAAMBAQDJ/pLvAAAAAElFTkSuQmCC")
FRAGMENTS = [b'<image href="data:image/png;base64,' + PNG.encode() + b'" width="9" height="9"/>',
             b'<use href="#a"/>', b'<g id="a"><use href="#a"/></g>', b'<rect id="a" width="1" height="1"/>',
             b'<?xml version="1.0" encoding="UTF-7"?>', b"<!DOCTYPE svg>", b"&#100;ata:", b"+ADw-image+AD4-",
             b'<x:image xmlns:x="urn:x" href="#a"/>', b'fill="url(data:x)"', b'transform="matrix(0 0 0 0 0 0)"',
             b'r="1e400"', b'stroke-dasharray="0 0"', b"<?xml-stylesheet href='x.css'?>", b"<style>@import x;</style>",
             b"<text>x</text>", b'<clipPath id="c"><use href="#a"/></clipPath>', b'clip-path="url(#c)"',
             b"\x00", b"\xff\xfe", b"\xc3(", b'onload="x()"', b"<![CDATA[x]]>", b"<g>" * 50, b"</g>",
             b'd="M0 0 L1e9 1e9 Z"', b'viewBox="0 0 0 0"', b'width="0"', b'stroke-width="nan"']


@st.composite
def logos(draw) -> bytes:
    data = bytearray(draw(st.sampled_from(SEEDS)))
    for _ in range(draw(st.integers(1, 4))):
        boundaries = [i + 1 for i, c in enumerate(data) if c == ord(">")] or [0]
        at = draw(st.sampled_from(boundaries)) if draw(st.integers(0, 3)) else draw(st.integers(0, len(data)))
        kind = draw(st.sampled_from(["insert", "insert", "insert", "flip", "delete", "repeat"]))
        if kind == "insert":
            data[at:at] = draw(st.sampled_from(FRAGMENTS))
        elif kind == "flip" and at < len(data):
            data[at] = draw(st.integers(0, 255))
        elif kind == "delete":
            del data[at:at + draw(st.integers(1, 40))]
        else:
            data[at:at] = data[at:at + 60] * draw(st.integers(2, 50))
    return bytes(data)


def _logo_outcome(data: bytes, folder: Path) -> str:
    """'refused' or 'drawn'; anything else (an exception) fails the campaign."""
    from reportlab.graphics.shapes import Group, Image

    import report.brand.logo as logo

    path = folder / "logo.svg"
    path.write_bytes(data)
    try:
        logo.check_logo(path, Refused, data)
    except Refused:
        return "refused"
    drawing, problem = logo._drawing(path, data)
    if problem is not None:
        return "refused"
    stack = [drawing]
    while stack:
        node = stack.pop()
        assert not isinstance(node, Image), "a raster reached the drawing"
        if isinstance(node, Group):
            stack.extend(node.contents)
    return "drawn"


@_settings(2 * EXAMPLES)
@given(data=logos())
def test_mutated_logos_are_refused_or_drawn(data, tmp_path_factory):
    event(_logo_outcome(data, tmp_path_factory.mktemp("logo")))


def test_the_logo_campaign_reaches_both_outcomes(tmp_path):
    """The control: the seeds draw, and a seed with an image is refused."""
    assert _logo_outcome(SEEDS[0], tmp_path) == "drawn"
    assert _logo_outcome(SEEDS[0].replace(b"</svg>", FRAGMENTS[0] + b"</svg>"), tmp_path) == "refused"


def _corpus(pattern: str):
    return sorted(CORPUS.glob(pattern))


@pytest.mark.parametrize("path", _corpus("logos/*.svg"), ids=[p.name for p in _corpus("logos/*.svg")])
def test_logo_corpus(path, tmp_path):
    _logo_outcome(path.read_bytes(), tmp_path)


# -- fonts ------------------------------------------------------------------------------------------------

FONT_SEEDS = [BRANDS / "harbor" / "fonts" / "Caladea-Regular.ttf", BRANDS / "harbor" / "fonts" / "OpenSans-Bold.ttf"]
TAGS = ["cmap", "glyf", "head", "hhea", "hmtx", "loca", "maxp", "name", "post", "OS/2", "directory"]


def _table_records(data: bytes) -> dict[str, tuple[int, int, int]]:
    count = struct.unpack_from(">H", data, 4)[0]
    return {struct.unpack_from(">4s", data, 12 + 16 * i)[0].decode("latin-1"):
            (i,) + struct.unpack_from(">II", data, 12 + 16 * i + 8) for i in range(count)}


@st.composite
def font_recipes(draw) -> tuple:
    """(seed, table, [(position, byte)], reseal) or (seed, 'directory', [(record, field, value)], False):
    small to print, made into bytes by `_font_bytes`."""
    seed = draw(st.integers(0, len(FONT_SEEDS) - 1))
    tag = draw(st.sampled_from(TAGS))
    if tag == "directory":  # a table's offset or length
        return seed, tag, [(draw(st.integers(0, 30)), draw(st.sampled_from([8, 12])),
                            draw(st.sampled_from([0, 1, 2**31, 10**6, 2**32 - 1])))], False
    changes = [(draw(st.integers(0, 599)), draw(st.integers(0, 255)))
               for _ in range(draw(st.sampled_from([1, 2, 8, 32])))]
    return seed, tag, changes, draw(st.booleans())


def _font_bytes(recipe: tuple) -> bytes:
    from fontTools.ttLib.sfnt import calcChecksum

    seed, tag, changes, reseal = recipe
    data = bytearray(FONT_SEEDS[seed].read_bytes())
    records = _table_records(bytes(data))
    if tag == "directory":
        for record, field, value in changes:
            struct.pack_into(">I", data, 12 + 16 * (record % len(records)) + field, value)
        return bytes(data)
    index, offset, length = records[tag]
    for at, byte in changes:
        data[offset + at % max(1, min(length, 600))] = byte
    if reseal:  # crafted, not damaged: the checksum made right again
        raw = bytes(data[offset:offset + length])
        raw = raw[:8] + b"\0\0\0\0" + raw[12:] if tag == "head" else raw
        struct.pack_into(">I", data, 12 + 16 * index + 4, calcChecksum(raw))
    return bytes(data)


def _font_outcome(data: bytes) -> str:
    from reportlab.pdfbase.ttfonts import TTFont

    from report.brand.assets import font_facts

    facts = font_facts(data)
    if isinstance(facts, str):
        return "refused"
    font = TTFont("Fuzzed", io.BytesIO(data))  # what build does with an accepted font ...
    font.face.makeSubset([0] + [font.face.charToGlyph.get(ord(c), 0) for c in "Ab1 %"])  # ... and embeds
    return "embedded"


@_settings(EXAMPLES)
@given(recipe=font_recipes())
def test_mutated_fonts_are_refused_or_embeddable(recipe):
    event(_font_outcome(_font_bytes(recipe)))


FONT_CORPUS = json.loads((CORPUS / "fonts.json").read_text())["recipes"]


@pytest.mark.parametrize("recipe", FONT_CORPUS, ids=[f"{r[1]}-{r[2][0][0]}" for r in FONT_CORPUS])
def test_font_corpus(recipe):
    assert _font_outcome(_font_bytes(tuple(recipe))) == "refused"


def test_the_font_campaign_reaches_both_outcomes():
    data = FONT_SEEDS[0].read_bytes()
    assert _font_outcome(data) == "embedded"
    assert _font_outcome(data[:-5000]) == "refused"


# -- brand files ------------------------------------------------------------------------------------------

_BRAND = yaml.safe_load((BRANDS / "meridian" / "_brand.yml").read_text())
ANY = st.recursive(st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), st.text(max_size=20),
                             st.sampled_from(["../x.ttf", "/etc/passwd", "fonts", "#GGGGGG", "1e3", "12pt"])),
                   lambda inner: st.one_of(st.lists(inner, max_size=3),
                                           st.dictionaries(st.text(max_size=6), inner, max_size=3)),
                   max_leaves=8)


BRAND_PATHS = [p for p in paths(_BRAND) if p]


@pytest.fixture(scope="module")
def brand_copy(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("brand") / "b"
    shutil.copytree(BRANDS / "meridian", folder)
    return folder


@_settings(EXAMPLES)
@given(path=st.sampled_from(BRAND_PATHS), value=ANY, drop=st.booleans())
def test_mutated_brand_files_load_or_are_located_brand_errors(brand_copy, path, value, drop):
    from report.brand.theme import load_theme

    data = json.loads(json.dumps(_BRAND))
    parent = data
    for part in path[:-1]:
        parent = parent[part]
    if drop and isinstance(path[-1], str):
        del parent[path[-1]]
    else:
        parent[path[-1]] = value
    (brand_copy / "_brand.yml").write_text(yaml.safe_dump(data, allow_unicode=True))
    try:
        load_theme(brand_copy)
    except ReportError as exc:
        assert exc.code == ExitCode.BRAND_ERROR
        assert all(d.line >= 1 for d in exc.diagnostics), str(exc)


# -- chart-cache entries ---------------------------------------------------------------------------------

class _Entry(tuple):
    def __repr__(self) -> str:  # hypothesis prints its arguments: keep a failure readable
        return f"<cache entry {self[1][:12]}…, {len(self[0]):,} bytes>"


@pytest.fixture(scope="module")
def entry(tmp_path_factory) -> tuple[bytes, str, frozenset[str]]:
    """One real entry, written by drawing the minimal report's chart."""
    from report.cli import main

    folder = tmp_path_factory.mktemp("cache")
    mp = pytest.MonkeyPatch()
    mp.setenv("REPORT_CACHE_DIR", str(folder / "cache"))
    try:
        assert main(["build", str(DATA / "minimal.yaml"), "-o", str(folder / "out")]) == 0
    finally:
        mp.undo()
    path = next((folder / "cache").glob("*.json"))
    body = json.loads(path.read_bytes().partition(b"\n")[2])
    fonts = frozenset(s["font"] for s in body["shapes"] if s["t"] == "text") | {body["font"]}
    return _Entry((path.read_bytes(), path.stem, fonts))


def _walk_replace(data, steps: list[int], value):
    """Replace the value found by following `steps` (each an index into the children)."""
    node = data
    for step in steps:
        children = list(node.items()) if isinstance(node, dict) else list(enumerate(node)) \
            if isinstance(node, list) else []
        if not children:
            break
        k, child = children[step % len(children)]
        if not isinstance(child, (dict, list)) or step == steps[-1]:
            node[k] = value
            return data
        node = child
    return data


JSON_ANY = st.recursive(st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False),
                                  st.text(max_size=10)),
                        lambda inner: st.one_of(st.lists(inner, max_size=3),
                                                st.dictionaries(st.text(max_size=5), inner, max_size=3)),
                        max_leaves=6)


@_settings(2 * EXAMPLES)
@given(steps=st.lists(st.integers(0, 10_000), min_size=1, max_size=5), value=JSON_ANY, reseal=st.booleans(),
       flips=st.lists(st.integers(0, 10**9), max_size=3))
def test_mutated_cache_entries_are_refused_or_draw(entry, tmp_path_factory, steps, value, reseal, flips):
    import hashlib

    from reportlab.graphics import renderPDF
    from reportlab.pdfgen.canvas import Canvas

    from report.charts.cache import _read

    raw, key, fonts = entry
    body = json.loads(raw.partition(b"\n")[2])
    text = json.dumps(_walk_replace(body, steps, value)).encode()
    data = bytearray(hashlib.sha256(text).hexdigest().encode() + b"\n" + text if reseal else raw)
    for flip in flips:
        data[flip % len(data)] ^= 0x20
    path = tmp_path_factory.mktemp("entry") / f"{key}.json"
    path.write_bytes(bytes(data))
    drawing = _read(path, key, fonts)
    if drawing is not None:
        assert reseal or bytes(data) == raw, "a damaged entry was used"
        renderPDF.draw(drawing, Canvas(io.BytesIO()), 0, 0)
    event("used" if drawing is not None else "refused")
