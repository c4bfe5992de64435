"""Strict YAML loading: a file's bytes become plain Python data plus the line:column of every field.

Only a safe subset of YAML is accepted. Anchors, aliases, explicit tags, merge keys, duplicate and
non-text keys are refused, and no scalar is silently re-typed: `yes`, `no`, dates, `012` and `1:30`
stay text as written, and a number keeps the text it was written with (so `1.10` never becomes `1.1`
in a text field). Plain scalars follow the YAML 1.2 core schema for true/false/null and numbers.

Two composers give one result. Where PyYAML has libyaml, its C parser's events are walked here
(several times faster than the pure-Python scanner); whatever that walk would refuse, and any text
with a character the two parsers might read differently (tabs, unusual line breaks, control
characters), goes through the pure-Python loader instead, whose messages and marks are the reference.
tests/test_strict_load.py checks that both give the same data and marks.
"""

from __future__ import annotations

import math
import os
import re
import stat
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from yaml.composer import Composer
from yaml.events import (AliasEvent, DocumentEndEvent, DocumentStartEvent, MappingEndEvent, MappingStartEvent,
                         ScalarEvent, SequenceEndEvent, SequenceStartEvent, StreamEndEvent, StreamStartEvent)
from yaml.nodes import MappingNode, ScalarNode, SequenceNode
from yaml.parser import Parser
from yaml.reader import Reader
from yaml.resolver import BaseResolver
from yaml.scanner import Scanner

from report.errors import Diagnostic, ReportError, format_path

try:
    from yaml._yaml import CParser  # libyaml
except ImportError:  # pragma: no cover - PyYAML built without libyaml
    CParser = None

MAX_FILE_BYTES = 1_000_000  # about 80 articles' worth of text; keeps every build fast
MAX_DEPTH = 32  # the report format needs 6 levels; deeper nesting is a mistake or an attack

_INT = re.compile(r"[-+]?(0|[1-9][0-9]*)")
_FLOAT = re.compile(r"[-+]?(\.[0-9]+|(0|[1-9][0-9]*)(\.[0-9]*)?)([eE][-+]?[0-9]+)?")  # no 012
_SPECIAL_FLOATS = {".inf": math.inf, "+.inf": math.inf, "-.inf": -math.inf, ".nan": math.nan}
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_-]*")  # a key shown as a field path; others are quoted
_NULLS = {"", "~", "null", "Null", "NULL"}
_BOOLS = {"true": True, "True": True, "TRUE": True, "false": False, "False": False, "FALSE": False}


class YamlInt(int):
    """An integer that remembers how the author wrote it."""

    source: str


class YamlFloat(float):
    """A float that remembers how the author wrote it."""

    source: str


def _number(cls: type, value: object, text: str):
    number = cls(value)
    number.source = text
    return number


@dataclass
class SourceMap:
    """Where each field of a loaded document was written: path tuple -> (line, column), 1-based."""

    file: str
    values: dict[tuple, tuple[int, int]] = field(default_factory=dict)
    keys: dict[tuple, tuple[int, int]] = field(default_factory=dict)
    quoted: set[tuple] = field(default_factory=set)  # scalars written in quotes
    comments: dict[tuple, str] = field(default_factory=dict)  # empty values followed by a # comment
    files: dict[tuple, str] = field(default_factory=dict)  # fields written in another file (a CSV)

    def locate(self, path: tuple, *, key: bool = False) -> tuple[int, int]:
        """The position of `path`, or of its nearest written ancestor."""
        return self.where(path, key=key)[1:]

    def where(self, path: tuple, *, key: bool = False) -> tuple[str, int, int]:
        """(file, line, column) of `path`, or of its nearest written ancestor."""
        path = tuple(path)
        while path:
            if key and path in self.keys:
                return (self.file, *self.keys[path])
            if path in self.values:
                return (self.files.get(path, self.file), *self.values[path])
            path = path[:-1]
        return (self.file, *self.values.get((), (1, 1)))


class _Refused(Exception):
    def __init__(self, mark, message: str, hint: str = "", path: tuple = ()):
        self.mark, self.message, self.hint, self.path = mark, message, hint, path


class _StrictComposer(Composer):
    """PyYAML's composer, refusing aliases, anchors, explicit tags and deep nesting."""

    _depth = 0

    def compose_node(self, parent, index):
        event = self.peek_event()
        if isinstance(event, AliasEvent):
            raise _Refused(event.start_mark, f"aliases (*{event.anchor}) are not allowed",
                           "write the value out again where it is needed")
        if event.anchor is not None:
            raise _Refused(event.start_mark, f"anchors (&{event.anchor}) are not allowed",
                           "write the value out in full; aliases are refused")
        if getattr(event, "tag", None) not in (None, "!"):
            raise _Refused(event.start_mark, f"explicit tags ({_as_written(event.tag)}) are not allowed",
                           "remove the tag; quote the value if it must stay text")
        self._depth += 1
        try:
            if self._depth > MAX_DEPTH:
                raise _Refused(event.start_mark, f"nesting deeper than {MAX_DEPTH} levels")
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


def _as_written(tag: str) -> str:
    """PyYAML expands `!!str` to `tag:yaml.org,2002:str`; show the tag as the author wrote it."""
    return "!!" + tag.removeprefix("tag:yaml.org,2002:") if tag.startswith("tag:yaml.org,2002:") else tag


class _StrictLoader(Reader, Scanner, Parser, _StrictComposer, BaseResolver):
    def __init__(self, stream):
        Reader.__init__(self, stream)
        Scanner.__init__(self)
        Parser.__init__(self)
        _StrictComposer.__init__(self)
        BaseResolver.__init__(self)


def printable(text: str) -> str:
    """Text safe to show in a message: control, invisible and bidi characters as \\uXXXX escapes."""
    return "".join(c if c.isprintable() or c == " " else f"\\u{ord(c):04x}" for c in str(text))


def _pos(mark) -> tuple[int, int]:
    return (mark.line + 1, mark.column + 1)


def _scalar(node: ScalarNode):
    return _scalar_value(node.value, node.style)


def _scalar_value(text: str, style: str | None):
    if style is not None:  # quoted or block scalars are always text
        return text
    if text in _NULLS:
        return None
    if text in _BOOLS:
        return _BOOLS[text]
    if text.lower() in _SPECIAL_FLOATS:
        return _number(YamlFloat, _SPECIAL_FLOATS[text.lower()], text)
    if _INT.fullmatch(text):
        try:
            return _number(YamlInt, int(text), text)
        except ValueError:  # over Python's 4,300-digit limit: a float (inf), so number fields refuse it
            return _number(YamlFloat, float(text), text)
    if _FLOAT.fullmatch(text) and any(c.isdigit() for c in text):
        return _number(YamlFloat, float(text), text)
    return text  # yes/no/on/off, dates, 012, 1:30 and all else stay exactly as written


def _shown_path(path: tuple) -> str:
    """The field path up to its first key that is not a plain name (' 0', 'a.b' would misread)."""
    plain = []
    for part in path:
        if isinstance(part, str) and not _NAME.fullmatch(part):
            break
        plain.append(part)
    return format_path(tuple(plain))


def _comment_after(mark) -> str:
    """The `# …` comment on the rest of the line of an empty value (`value: #1 pick`), if any."""
    buffer = getattr(mark, "buffer", None)
    if not buffer:
        return ""
    end = buffer.find("\n", mark.pointer)
    rest = buffer[mark.pointer: end if end >= 0 else len(buffer)].strip().rstrip("\x00")
    return rest if rest.startswith("#") else ""


def _construct(node, path: tuple, smap: SourceMap):
    smap.values[path] = _pos(node.start_mark)
    if isinstance(node, ScalarNode):
        if node.style in ("'", '"'):
            smap.quoted.add(path)
        elif node.style is None and node.value == "":
            comment = _comment_after(node.start_mark)
            if comment:
                smap.comments[path] = comment
        return _scalar(node)
    if isinstance(node, SequenceNode):
        return [_construct(item, path + (i,), smap) for i, item in enumerate(node.value)]
    assert isinstance(node, MappingNode)
    out: dict[str, object] = {}
    for key_node, value_node in node.value:
        if not isinstance(key_node, ScalarNode):
            raise _Refused(key_node.start_mark, "a key must be plain text, not a list or mapping", path=path)
        key = _scalar(key_node)
        if key == "<<" and key_node.style is None:
            raise _Refused(key_node.start_mark, "merge keys (<<) are not allowed",
                           "write the merged fields out in full", path)
        if not isinstance(key, str):
            raise _Refused(key_node.start_mark, f"key '{printable(key_node.value)}' must be text",
                           f"quote it: \"{printable(key_node.value)}\"", path)
        if not key.strip() or printable(key) != key:
            raise _Refused(key_node.start_mark, f"key '{printable(key)}' is empty or holds invisible "
                           "characters", "keys are names such as 'title'; retype this one", path)
        if key in out:
            first = smap.keys[path + (key,)][0]
            named = path + (key,)
            raise _Refused(key_node.start_mark, f"duplicate key '{key}' (first written on line {first})",
                           "YAML would silently keep only the last one; remove or rename one of them", named)
        smap.keys[path + (key,)] = _pos(key_node.start_mark)
        out[key] = _construct(value_node, path + (key,), smap)
    return out


_OPENERS = {"flow sequence": "the '[' list", "flow mapping": "the '{' mapping",
            "quoted scalar": "the quoted text"}


def _yaml_error(name: str, exc: yaml.MarkedYAMLError) -> Diagnostic:
    mark = exc.problem_mark or exc.context_mark
    problem = exc.problem or exc.context or "invalid YAML"
    hint = ""
    if "'\\t'" in problem or "\t" in problem:
        problem, hint = "a tab character in the indentation", "indent with spaces only"
    elif exc.context and exc.problem:
        problem = f"{exc.context}, {exc.problem}" if "expected a single document" not in exc.context \
            else "the file holds several YAML documents"
        if "several" in problem:
            hint = "keep one report per file; remove the '---' separator"
    line, col = _pos(mark) if mark else (0, 0)
    start = exc.context_mark
    if not hint and start is not None and mark is not None and start.line != mark.line:
        opened = next((what for key, what in _OPENERS.items() if key in (exc.context or "")), None)
        if opened:
            problem = exc.problem or problem
            hint = f"{opened} opened on line {start.line + 1}, column {start.column + 1} is not closed"
        else:
            hint = f"the part this belongs to starts on line {start.line + 1}, column {start.column + 1}"
    return Diagnostic(name, line, col, f"YAML syntax: {problem}", hint=hint)


def _unprintable(name: str, text: str, exc: yaml.reader.ReaderError) -> Diagnostic:
    """YAML refuses control characters in a file; say where the character is and what it is."""
    index = exc.position
    line = text.count("\n", 0, index) + 1
    col = index - (text.rfind("\n", 0, index) + 1) + 1
    return Diagnostic(name, line, col, f"the control character U+{exc.character:04X} is not allowed "
                      "in a YAML file", hint="delete it; it was probably pasted in from another program")


def decode(name: str, raw: bytes) -> str:
    """Bytes to text: UTF-8 only (a byte-order mark is fine), under the size cap."""
    if len(raw) > MAX_FILE_BYTES:
        raise ReportError([Diagnostic(name, 0, 0, f"file is {len(raw):,} bytes, over the "
                                                  f"{MAX_FILE_BYTES:,}-byte limit")])
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        col = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        raise ReportError([Diagnostic(name, line, col, "file is not valid UTF-8 text",
                                      hint="save it as UTF-8 in your editor")]) from None


class _Fallback(Exception):
    """The libyaml walk met something only the pure-Python loader may judge (and word)."""


# Characters the C and the pure-Python parsers might not read alike: tabs (where they may indent or
# separate), line breaks other than \n and \r\n, a byte-order mark past the start, and everything
# the YAML reader refuses.
_UNUSUAL = re.compile("[\t\x85\u2028\u2029\ufeff]|\r(?!\n)")


class _Events(*([CParser] if CParser is not None else [])):
    """libyaml's parser, holding the text its marks point into."""

    text = ""


# A block scalar's header as PyYAML reads it (libyaml also takes `|#…` and other spellings).
_BLOCK_HEADER = re.compile(r"[|>](?:[+-][1-9]?|[1-9][+-]?)?(?: +(?:#[^\n]*)?)?(?:\r?\n|$)")


def _fast_load(name: str, text: str) -> tuple[dict, SourceMap]:
    """load_text through libyaml's events; raises _Fallback for anything unusual or refused."""
    if CParser is None or _UNUSUAL.search(text) or Reader.NON_PRINTABLE.search(text):
        raise _Fallback
    parser = _Events(text)
    parser.text = text
    try:
        if not isinstance(parser.get_event(), StreamStartEvent) or \
                not isinstance(parser.get_event(), DocumentStartEvent):
            raise _Fallback  # an empty file
        smap = SourceMap(name)
        event = parser.get_event()
        if not isinstance(event, MappingStartEvent):
            raise _Fallback
        data = _walk_mapping(parser, event, (), smap, 1)
        if not isinstance(parser.get_event(), DocumentEndEvent) or \
                not isinstance(parser.get_event(), StreamEndEvent):
            raise _Fallback  # several documents
        return data, smap
    except yaml.YAMLError:
        raise _Fallback from None
    finally:
        parser.dispose()


def _walk(parser, event, path: tuple, smap: SourceMap, depth: int, flow: bool = False):
    """One node from its first event, as _construct builds it from PyYAML's node (`flow`: inside
    a [ ] or { } collection)."""
    if depth > MAX_DEPTH or isinstance(event, AliasEvent) or event.anchor is not None \
            or event.tag is not None:
        raise _Fallback
    if isinstance(event, ScalarEvent):
        smap.values[path] = _pos(event.start_mark)
        if event.style in ("'", '"'):
            smap.quoted.add(path)
        return _walk_scalar(parser, event, flow)
    if isinstance(event, SequenceStartEvent):
        smap.values[path] = _pos(event.start_mark)
        flow = flow or event.flow_style
        out = []
        while not isinstance(event := parser.get_event(), SequenceEndEvent):
            out.append(_walk(parser, event, path + (len(out),), smap, depth + 1, flow))
        return out
    if isinstance(event, MappingStartEvent):
        return _walk_mapping(parser, event, path, smap, depth, flow)
    raise _Fallback  # pragma: no cover - no other event starts a node


def _walk_scalar(parser, event, flow: bool):
    style = event.style or None
    if style is None and (not event.value or (flow and "?" in event.value)):
        raise _Fallback  # libyaml marks an empty value where the next token starts, and lets `?` in
    if style in ("|", ">") and not _BLOCK_HEADER.match(parser.text, event.start_mark.index):
        raise _Fallback
    return _scalar_value(event.value, style)


def _walk_mapping(parser, event, path: tuple, smap: SourceMap, depth: int, flow: bool = False) -> dict:
    if depth > MAX_DEPTH or event.anchor is not None or event.tag is not None:
        raise _Fallback
    smap.values[path] = _pos(event.start_mark)
    flow = flow or event.flow_style
    out: dict[str, object] = {}
    while not isinstance(event := parser.get_event(), MappingEndEvent):
        if not isinstance(event, ScalarEvent) or event.anchor is not None or event.tag is not None \
                or depth + 1 > MAX_DEPTH:
            raise _Fallback
        key = _walk_scalar(parser, event, flow)
        if not isinstance(key, str) or key in out or not key.strip() or printable(key) != key \
                or (key == "<<" and not event.style):
            raise _Fallback
        smap.keys[path + (key,)] = _pos(event.start_mark)
        out[key] = _walk(parser, parser.get_event(), path + (key,), smap, depth + 1, flow)
    return out


def load_text(name: str, text: str) -> tuple[dict, SourceMap]:
    """Parse YAML text into a mapping and its source map, or raise ReportError."""
    try:
        return _fast_load(name, text)
    except _Fallback:
        return load_text_pure(name, text)


def load_text_pure(name: str, text: str) -> tuple[dict, SourceMap]:
    """load_text through PyYAML's pure-Python scanner, parser and composer: the reference."""
    smap = SourceMap(name)
    try:
        loader = _StrictLoader(text)  # the reader checks every character here
    except yaml.reader.ReaderError as exc:
        raise ReportError([_unprintable(name, text, exc)]) from None
    try:
        node = loader.get_single_node()
        if node is None:
            raise ReportError([Diagnostic(name, 0, 0, "file is empty",
                                          hint="a report starts with 'title:'")])
        if not isinstance(node, MappingNode):
            line, col = _pos(node.start_mark)
            raise ReportError([Diagnostic(name, line, col, "the top level must be a mapping of keys",
                                          hint="a report starts with 'title: …' on its first line")])
        data = _construct(node, (), smap)
    except _Refused as exc:
        line, col = _pos(exc.mark)
        raise ReportError([Diagnostic(name, line, col, exc.message, _shown_path(exc.path), exc.hint)]) from None
    except yaml.MarkedYAMLError as exc:
        raise ReportError([_yaml_error(name, exc)]) from None
    except yaml.YAMLError as exc:  # pragma: no cover - every YAMLError above is marked
        raise ReportError([Diagnostic(name, 0, 0, f"YAML: {exc}")]) from None
    except RecursionError:  # deep flow nesting recurses in PyYAML's parser before our depth cap
        raise ReportError([Diagnostic(name, 0, 0, f"nesting is too deep (the limit is {MAX_DEPTH} "
                                      "levels)")]) from None
    finally:
        loader.dispose()
    return data, smap


def load_file(path: Path | str) -> tuple[dict, SourceMap]:
    """Read and parse one YAML file (see load_text)."""
    name = str(path)
    try:
        info = os.stat(path)
        if stat.S_ISDIR(info.st_mode):
            raise ReportError([Diagnostic(name, 0, 0, "is a folder, not a YAML file")])
        if not stat.S_ISREG(info.st_mode):  # a FIFO or a device would hang or never end
            raise ReportError([Diagnostic(name, 0, 0, "is not a regular file")])
        if info.st_size > MAX_FILE_BYTES:
            raise ReportError([Diagnostic(name, 0, 0, f"file is {info.st_size:,} bytes, over the "
                                                      f"{MAX_FILE_BYTES:,}-byte limit")])
        with open(path, "rb") as file:
            raw = file.read(MAX_FILE_BYTES + 1)  # enough to know it is over the cap
    except FileNotFoundError:
        raise ReportError([Diagnostic(name, 0, 0, "no such file")]) from None
    except IsADirectoryError:
        raise ReportError([Diagnostic(name, 0, 0, "is a folder, not a YAML file")]) from None
    except OSError as exc:
        raise ReportError([Diagnostic(name, 0, 0, f"cannot be read: {exc.strerror}")]) from None
    return load_text(name, decode(name, raw))
