"""An SVG (a brand's logo, or an input's figure) -> a checked element tree -> a reportlab Drawing,
under limits.

The logo is parsed once, by the parser that renders it (lxml, as svglib uses), and the renderer is
handed that very tree: what was checked is what is drawn, whatever encoding or trick the file holds.
A logo is a picture, not a program or a container: only vector shapes, groups, `<use>` of local
ids, gradients and clip paths; no text (it would need system fonts), no images, no scripts, nothing
fetched or decoded from elsewhere (`data:` included). The work of drawing it is bounded before it
starts: elements as written, elements and path numbers after every reference is expanded, and the
depth of nesting through references. `check_logo` needs neither reportlab nor svglib (`report
validate` runs it); `logo_drawing` renders the checked tree and refuses any raster in the result.
A figure (`image:` with an .svg file) follows the same rules, with text allowed (set in the brand's
fonts, never looked up on the system) and larger limits, as it is drawn once, not on every page.
"""

from __future__ import annotations

import logging
import math
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

SVG_NS = "http://www.w3.org/2000/svg"
MAX_LOGO_UNITS = 100_000  # any number in the logo's geometry: sizes, coordinates, transforms
MAX_LOGO_DEPTH = 32  # nesting, counted through references


@dataclass(frozen=True)
class Kind:
    """What an SVG is for, and the work it may cost: elements as written, elements drawn after each
    <use> or url(#id) repeats what it refers to, numbers in path and polygon data after expansion."""

    what: str
    elements: int
    drawn: int
    path_numbers: int
    text: bool  # text elements allowed (a figure's labels), set in the brand's fonts


LOGO = Kind("logo", 2_000, 5_000, 20_000, False)  # drawn on every page; the bundled logos have 4 and 5
FIGURE = Kind("figure", 10_000, 20_000, 200_000, True)  # drawn once
MAX_LOGO_ELEMENTS, MAX_LOGO_DRAWN, MAX_LOGO_PATH_NUMBERS = LOGO.elements, LOGO.drawn, LOGO.path_numbers
_TEXT = {"text", "tspan"}

_ENCODINGS = {"utf-8", "utf8", "us-ascii", "ascii"}
# What a logo may hold: the vector part of SVG that the renderer draws faithfully.
_ALLOWED = {"svg", "g", "defs", "symbol", "use", "style", "title", "desc", "metadata", "path", "rect",
            "circle", "ellipse", "line", "polyline", "polygon", "linearGradient", "radialGradient",
            "stop", "clipPath"}
# Every SVG element name: the renderer ignores namespaces, so `<x:image>` in any namespace draws an
# image. An element of another namespace (Inkscape's `sodipodi:namedview`, RDF metadata) passes
# only when its name is none of these.
_SVG_NAMES = {n.lower() for n in (
    "a altGlyph altGlyphDef altGlyphItem animate animateColor animateMotion animateTransform audio "
    "canvas circle clipPath color-profile cursor defs desc discard ellipse feBlend feColorMatrix "
    "feComponentTransfer feComposite feConvolveMatrix feDiffuseLighting feDisplacementMap "
    "feDistantLight feDropShadow feFlood feFuncA feFuncB feFuncG feFuncR feGaussianBlur feImage "
    "feMerge feMergeNode feMorphology feOffset fePointLight feSpecularLighting feSpotLight feTile "
    "feTurbulence filter font font-face font-face-format font-face-name font-face-src font-face-uri "
    "foreignObject g glyph glyphRef hatch hatchpath hkern iframe image line linearGradient marker "
    "mask mesh meshgradient meshpatch meshrow metadata missing-glyph mpath path pattern polygon "
    "polyline radialGradient rect script set solidcolor stop style svg switch symbol text textArea "
    "textPath title tref tspan unknown use video view vkern").split()} | {n.lower() for n in _ALLOWED}
_INERT = {"title", "desc", "metadata"}  # drawn by no renderer, in any namespace (dc:title in RDF metadata)
_NUMBER = re.compile(r"[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?|\b(?:nan|inf|infinity)\b", re.I)
_HEX_COLOUR = re.compile(r"#[0-9a-fA-F]{3,8}\b")
_LOCAL_REF = re.compile(r"url\(\s*['\"]?#([^'\")\s]+)")
_EXTERNAL = re.compile(r"url\(\s*['\"]?(?!#)|@import", re.I)
_DATA = re.compile(r"(?<![\w-])data:", re.I)
_TEXT_ATTRS = {"id", "class", "href", "name", "title"}  # hold names, not geometry (also data-*, aria-*)
_GRADIENTS = {"linearGradient", "radialGradient"}


def _local(name) -> str:
    return str(name).rpartition("}")[2]


def _namespace(name) -> str:
    return str(name)[1:].partition("}")[0] if str(name).startswith("{") else ""


def decode_svg(data: bytes, name: str, fail) -> str:
    """The logo's text as the renderer will read it: UTF-8 (or its subset US-ASCII) only."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff", b"\x00\x00\xfe\xff", b"\xff\xfe\x00\x00")) or b"\x00" in data:
        raise fail(f"'{name}' is not UTF-8 text (it looks like UTF-16 or UTF-32)",
                   "save the logo as UTF-8 SVG")
    declared = re.match(rb"\s*<\?xml[^>]*?encoding\s*=\s*['\"]([^'\"]*)['\"]", data.removeprefix(b"\xef\xbb\xbf"))
    if declared and declared.group(1).decode("ascii", "replace").strip().lower() not in _ENCODINGS:
        raise fail(f"'{name}' declares the encoding '{declared.group(1).decode('ascii', 'replace')[:30]}'; "
                   "a logo must be UTF-8", "save the logo as UTF-8 SVG")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise fail(f"'{name}' is not valid UTF-8 (byte {exc.start:,})", "save the logo as UTF-8 SVG") from None


def parse_svg(data: bytes, name: str, fail):
    """The element tree, parsed as the renderer parses (lxml) but strictly: no DTD, no entities, no
    network, no recovery from broken markup."""
    from lxml import etree

    decode_svg(data, name, fail)
    if re.search(rb"<!DOCTYPE|<!ENTITY", data, re.I):
        raise fail(f"'{name}': an SVG with a DTD or entities is refused")
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, dtd_validation=False,
                             huge_tree=False, recover=False, remove_comments=True, remove_pis=False)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        raise fail(f"'{name}' is not an SVG image ({exc.msg})") from None
    if not isinstance(root.tag, str) or _local(root.tag) != "svg" or _namespace(root.tag) not in (SVG_NS, ""):
        raise fail(f"'{name}' is not an SVG image")
    pis = [n for n in root.itersiblings(preceding=True)] + [n for n in root.iter() if not isinstance(n.tag, str)]
    if pis:
        raise fail(f"'{name}' holds a processing instruction ({str(pis[0])[:40]}), which a logo never needs")
    return root


def _numbers(value: str) -> list[float]:
    value = _LOCAL_REF.sub("", _HEX_COLOUR.sub("", value))
    return [float(m.group()) if m.group()[-1:].isdigit() or m.group()[-1:] == "." else math.inf
            for m in _NUMBER.finditer(value)]


def _check_element(node, name: str, fail, kind: Kind = LOGO) -> None:
    tag, ns = _local(node.tag), _namespace(node.tag)
    for attr, value in node.attrib.items():
        local = _local(attr)
        if local.lower().startswith("on"):
            raise fail(f"'{name}' holds an event handler ({local}), which a logo never needs")
        if _DATA.search(value):
            raise fail(f"'{name}' embeds data in an attribute ({value[:40]}…)",
                       "a logo must be plain vector shapes, with no embedded images or files")
        if (local == "href" and not value.startswith("#")) or _EXTERNAL.search(value):
            raise fail(f"'{name}' refers to an external resource ({value[:60]})")
        if local not in _TEXT_ATTRS and not local.startswith(("data-", "aria-")) and _namespace(attr) in ("", SVG_NS):
            if any(not math.isfinite(n) or abs(n) > MAX_LOGO_UNITS for n in _numbers(value)):
                raise fail(f"'{name}': <{tag} {local}=\"{value[:40]}\"> holds a number that is not finite "
                           f"or over {MAX_LOGO_UNITS:,}", f"export the {kind.what} at its natural size")
    foreign = ns not in (SVG_NS, "")
    allowed = _ALLOWED | _TEXT if kind.text else _ALLOWED
    if not foreign and tag not in allowed or foreign and tag.lower() in _SVG_NAMES - _INERT:
        what = "text" if tag in ("text", "tspan", "textPath", "tref") else "an image" if tag == "image" else ""
        hint = {"text": "convert the text to outlines (paths) in your drawing program",
                "an image": "a logo must be vector shapes; trace or redraw the image"}.get(
            what, "a logo may hold shapes, paths, groups, <use>, gradients and clip paths")
        raise fail(f"'{name}' holds a <{tag}> element, which a {kind.what} may not use", hint)
    if tag == "style":
        css = "".join(node.itertext())
        if _EXTERNAL.search(css) or _DATA.search(css):
            raise fail(f"'{name}' refers to an external resource in a <style>")


def _references(node) -> list[str]:
    """The ids an element refers to: `href="#id"` and `url(#id)` in any attribute."""
    out = []
    for attr, value in node.attrib.items():
        if _local(attr) == "href" and value.startswith("#"):
            out.append(value[1:])
        out.extend(_LOCAL_REF.findall(value))
    return out


def _path_numbers(node) -> int:
    if _local(node.tag) not in ("path", "polyline", "polygon"):
        return 0
    return len(_NUMBER.findall(node.get("d", "") + node.get("points", "")))


class _Work:
    """Elements drawn, path numbers and depth of one subtree, with every reference expanded."""

    def __init__(self, root, name: str, fail, kind: Kind = LOGO):
        self.name, self.fail, self.kind = name, fail, kind
        self.nodes = list(root.iter())  # keeps lxml's proxies alive, so id(node) names one element
        self.ids: dict[str, object] = {}
        for node in self.nodes:
            ident = node.get("id")
            if ident is not None:
                if ident in self.ids:
                    raise fail(f"'{name}' uses the id '{ident[:40]}' twice")
                self.ids[ident] = node
        sheet = "".join("".join(n.itertext()) for n in root.iter() if _local(n.tag) == "style")
        self.styled = _LOCAL_REF.findall(sheet)  # a style sheet's url(#id) may apply to every element
        self.memo: dict[int, tuple[int, int, int]] = {}
        self.open: set[int] = set()

    def of(self, node, level: int = 1) -> tuple[int, int, int]:
        """(drawn, path numbers, depth) of `node`'s subtree; `level` is how deep `node` itself sits,
        so a chain of references is refused as soon as it gets too deep (no deep recursion here)."""
        key = id(node)
        if key in self.memo:
            if level - 1 + self.memo[key][2] > MAX_LOGO_DEPTH:
                raise self._too_deep()
            return self.memo[key]
        if level > MAX_LOGO_DEPTH:
            raise self._too_deep()
        if key in self.open:
            raise self.fail(f"'{self.name}': a <use> or url(#…) refers back to itself (directly or "
                            "through others)", "a logo's references must not form a loop")
        self.open.add(key)
        drawn, numbers, depth = 1, _path_numbers(node), 0
        for child in node:
            d, n, h = self.of(child, level + 1)
            drawn, numbers, depth = drawn + d, numbers + n, max(depth, h)
        for ref in _references(node) + self.styled:
            target = self.ids.get(ref)
            if target is not None:
                d, n, h = (1, 0, 0) if _local(target.tag) in _GRADIENTS and ref in self.styled \
                    else self.of(target, level + 1)
                drawn, numbers, depth = drawn + d, numbers + n, max(depth, h)
            if drawn > self.kind.drawn or numbers > self.kind.path_numbers:
                break  # over a limit already: stop counting, `check_limits` refuses it
        self.open.discard(key)
        self.memo[key] = (drawn, numbers, depth + 1)
        return self.memo[key]

    def _too_deep(self) -> Exception:
        return self.fail(f"'{self.name}' nests over {MAX_LOGO_DEPTH} levels deep (counting through "
                         "references)", "flatten the groups in your drawing program")


def check_limits(root, name: str, fail, kind: Kind = LOGO) -> tuple[int, int, int]:
    """(elements drawn, path numbers, depth) after expansion, refused when over a limit."""
    count = sum(1 for _ in root.iter())
    if count > kind.elements:
        raise fail(f"'{name}' has {count:,} elements, over the limit of {kind.elements:,}",
                   f"simplify the {kind.what} (merge paths) in your drawing program")
    drawn, numbers, depth = _Work(root, name, fail, kind).of(root)
    if drawn > kind.drawn:
        raise fail(f"'{name}' draws over {kind.drawn:,} elements once its <use> references are "
                   f"expanded", f"a {kind.what} should repeat little; simplify it")
    if numbers > kind.path_numbers:
        raise fail(f"'{name}' has over {kind.path_numbers:,} numbers in its path data (after "
                   "expanding references)", "simplify the paths in your drawing program")
    return drawn, numbers, depth


def check_svg(path: Path, fail, data: bytes | None = None, kind: Kind = LOGO):
    """The SVG's checked element tree; `fail(message, hint)` makes the error to raise."""
    data = path.read_bytes() if data is None else data
    root = parse_svg(data, path.name, fail)
    sizes = [root.get("width", ""), root.get("height", ""), root.get("viewBox", "")]
    if any(not math.isfinite(n) or abs(n) > MAX_LOGO_UNITS for v in sizes for n in _numbers(v)):
        raise fail(f"'{path.name}' declares a size over {MAX_LOGO_UNITS:,} units",
                   f"export the {kind.what} at its natural size")
    for node in root.iter():
        _check_element(node, path.name, fail, kind)
    check_limits(root, path.name, fail, kind)
    return root


def check_logo(path: Path, fail, data: bytes | None = None):
    """The logo's checked element tree (see `check_svg`)."""
    return check_svg(path, fail, data, LOGO)


class _BrandFontMap:
    """svglib's font lookup for a figure's text: every family is the brand's (regular or bold), so
    no system font is found, registered or searched for (svglib would run fc-match)."""

    def __init__(self, regular: str, bold: str):
        self.regular, self.bold = regular, bold

    def find_font(self, font_name: str, weight: str = "normal", style: str = "normal") -> tuple[str, bool]:
        return (self.bold if str(weight).lower() in ("bold", "bolder", "600", "700", "800", "900")
                else self.regular), True


@lru_cache(maxsize=16)
def _drawing(path: Path, data: bytes, kind: Kind = LOGO, fonts: tuple[str, str] | None = None):
    """The checked tree, drawn by svglib: (Drawing, None) or (None, (message, hint))."""
    from reportlab.graphics.shapes import Group, Image
    from svglib.svglib import SvgRenderer

    def problem(message: str, hint: str = "") -> Exception:
        return _LogoProblem(message, hint)

    try:
        root = check_svg(path, problem, data, kind)
        records: list[logging.LogRecord] = []
        handler = _Collect(records)
        logger = logging.getLogger("svglib.svglib")
        logger.addHandler(handler)
        propagate, logger.propagate = logger.propagate, False
        try:
            font_map = _BrandFontMap(*fonts) if fonts else _BrandFontMap("Helvetica", "Helvetica-Bold")
            drawing = SvgRenderer(str(path), external_reference_root=str(path.parent),
                                  font_map=font_map).render(root)
        finally:
            logger.removeHandler(handler)
            logger.propagate = propagate
        errors = [r.getMessage() for r in records if r.levelno >= logging.ERROR]
        if errors:
            return None, (f"'{path.name}' could not be drawn: {errors[0][:100]}", "")
        stack = [drawing]
        while stack:
            node = stack.pop()
            if isinstance(node, Image):
                return None, (f"'{path.name}' draws a raster image, which a {kind.what} may not hold",
                              f"a {kind.what} in SVG must be vector shapes")
            if isinstance(node, Group):
                stack.extend(node.contents)
        _trial(drawing)
    except _LogoProblem as exc:
        return None, (exc.message, exc.hint)
    except Exception as exc:  # the renderer failed on this file: the brand's problem, not a bug here
        return None, (f"'{path.name}' could not be drawn ({type(exc).__name__}: {str(exc)[:80]})",
                      "open and re-save the logo as plain SVG in a drawing program")
    return drawing, None


def _trial(drawing) -> None:
    """Draw once on a scratch canvas, so a logo that breaks the PDF renderer fails here, by name."""
    import io

    from reportlab.graphics import renderPDF
    from reportlab.pdfgen.canvas import Canvas

    renderPDF.draw(drawing, Canvas(io.BytesIO()), 0, 0)


class _LogoProblem(Exception):
    def __init__(self, message: str, hint: str = ""):
        super().__init__(message)
        self.message, self.hint = message, hint


class _Collect(logging.Handler):
    """Keeps the records: svglib reports problems through logging, which would print them raw."""

    def __init__(self, records: list):
        super().__init__(logging.DEBUG)
        self.records = records

    def emit(self, record) -> None:
        self.records.append(record)


def svg_drawing(path: Path, code, kind: Kind = LOGO, fonts: tuple[str, str] | None = None):
    """The SVG as a reportlab Drawing, drawn from the tree that passed `check_svg`; one the renderer
    cannot draw is an error naming the file, ending with `code`."""
    from report.errors import Diagnostic, ReportError

    drawing, problem = _drawing(path, path.read_bytes(), kind, fonts)
    if problem is not None:
        raise ReportError([Diagnostic(str(path), 0, 0, problem[0], hint=problem[1])], code)
    return drawing


def logo_drawing(path: Path):
    """The brand's logo as a Drawing; a logo the renderer cannot draw is a brand error (exit 3)."""
    from report.errors import ExitCode

    return svg_drawing(path, ExitCode.BRAND_ERROR)


def figure_drawing(path: Path, regular: str, bold: str):
    """An input's SVG figure as a Drawing, its text in the brand's fonts (an input error, exit 1)."""
    from report.errors import ExitCode

    return svg_drawing(path, ExitCode.INPUT_ERROR, FIGURE, (regular, bold))
