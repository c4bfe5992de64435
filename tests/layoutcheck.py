"""Layout checks of a built report: a PDF (and, where needed, its input) -> problems a reader would see.

Each check returns human-readable sentences, an empty list when the layout holds. The PDF is read as
its readers read it: pdfplumber for glyphs, rules and boxes with their positions, pikepdf for the
outline. Checks that must know which words form a table row or a paragraph also take the loaded
input (`report.input.load.load_file`) and locate every input string in the page text, so the same
code judges any article, not just the sample.

    doc = read(pdf, margin_mm=19, data=data)
    problems = run(doc)                      # {check name: [problem, ...]}

Geometry is in PDF points, positions measured from the page top (pdfplumber's `top`/`bottom`).
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import pdfplumber
import pikepdf
from pdfcheck import CITATION_ORDER, input_strings

MM = 72 / 25.4

# -- the layout rules being checked, in one place --------------------------------------------
GAP_LIMIT_MM = 35.0  # no page but the last ends more than this above the frame's foot
WRAP_RATIO = 3  # a cell may take at most this many times the lines of its row's other cells
STRAY_LINES = 2  # the last page holds more than this many lines of text
MIN_SPLIT_LINES = 2  # a paragraph split across pages leaves at least this many lines on each
EDGE_MM = 5.0  # nothing is printed this close to the paper's edge
SLACK = 1.0  # points: glyph boxes come from font metrics and overshoot a line's box by a hair
LINE_TOLERANCE = 2.0  # points: glyphs whose tops differ by less share a line


# -- page furniture, as drawn by report/layout/pages.py ---------------------------------------
@dataclass(frozen=True)
class Zone:
    """A band across the text column where page furniture (not the story) is drawn.

    `near` and `far` are distances in mm from the page edge named by `edge`; "margin" means the
    brand's page margin. Horizontally every zone spans the text column (margin to margin).
    """

    name: str
    pages: str  # "first", "later" or "all"
    edge: str  # "top" or "bottom"
    near: float | str
    far: float | str

    def box(self, width: float, height: float, margin: float) -> tuple[float, float, float, float]:
        near, far = (margin if v == "margin" else v * MM for v in (self.near, self.far))
        top, bottom = (near, far) if self.edge == "top" else (height - far, height - near)
        return margin, top, width - margin, bottom

    def applies(self, page: int) -> bool:
        return self.pages == "all" or (self.pages == "first") == (page == 1)


FURNITURE = (
    # pages.py: MASTHEAD_TOP = 11 mm, MASTHEAD_H = 16 mm; the band carries logo, brand, label, date
    Zone("masthead band", "first", "top", 11, 27),
    # pages.py: HEADER_GAP = 9 mm; logo (8-13 mm), short title and brand, a rule at 14.5 mm
    Zone("running header", "later", "top", EDGE_MM, 15),
    # pages.py: FOOTER_Y = 9 mm; date, disclaimer line, version, "Page X of Y"; a rule at 12.6 mm
    Zone("footer", "all", "bottom", EDGE_MM, 13.5),
)


# -- reading the PDF ---------------------------------------------------------------------------
@dataclass(frozen=True)
class Glyph:
    page: int  # 1-based
    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    upright: bool
    base: float = 0.0  # the baseline, from the top (the glyph's text matrix)


@dataclass
class Page:
    number: int
    width: float
    height: float
    glyphs: list[Glyph]  # the story's glyphs (furniture left out), in content-stream order
    ink_bottom: float | None  # lowest ink of the story on this page (None: an empty page)


@dataclass(frozen=True)
class OutlineEntry:
    title: str
    page: int  # 1-based
    top: float | None  # from the destination when it names one (/XYZ, /FitH), else None


@dataclass(frozen=True)
class Found:
    """Where one input string was found in the story's text (a slice of `Doc.stream`)."""

    path: tuple
    text: str
    start: int
    end: int
    in_order: bool


# Text that a typesetter may change without changing the words: spaces, hyphens it adds where
# it breaks a word, typographic quotes and minus signs.
_DROP = dict.fromkeys(map(ord, " \t\n\r\u00a0\u2009\u202f\u00ad-\u2010\u2011\u2212"), None)
_SAME = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"'})


def normal(text: str) -> str:
    return unicodedata.normalize("NFKC", text).translate(_SAME).translate(_DROP)


@dataclass
class Doc:
    path: Path
    margin: float  # points
    pages: list[Page]
    outline: list[OutlineEntry]
    data: dict | None = None  # the loaded input, for the checks that need it
    stream: str = ""  # normalised text of every story glyph, page after page
    owner: list[Glyph] = field(default_factory=list)  # owner[i]: the glyph of stream[i]

    def frame(self, page: Page) -> tuple[float, float, float, float]:
        m = self.margin
        return m, m, page.width - m, page.height - m

    @cached_property
    def found(self) -> list[Found]:
        """Every printed input string, located in reading order (charts within their section)."""
        if self.data is None:
            raise ValueError("this check needs the input: read(..., data=load_file(yaml)[0])")
        return locate(self.stream, input_strings(printed(self.data)), [g.page for g in self.owner])

    def glyphs_of(self, found: Found) -> list[Glyph]:
        out: list[Glyph] = []
        for g in self.owner[found.start:found.end]:
            if not out or out[-1] is not g:
                out.append(g)
        return out


def _inside(box, x0, top, x1, bottom, slack=SLACK) -> bool:
    return box[0] - slack <= x0 and x1 <= box[2] + slack and box[1] - slack <= top and bottom <= box[3] + slack


def _is_ink(obj: dict) -> bool:
    """Marks a reader sees: not white fills (a chart's background), not empty boxes."""
    if obj["object_type"] == "char":
        return bool(obj["text"].strip())
    white = obj.get("non_stroking_color") in ((1.0, 1.0, 1.0), (1,), [1], (1.0,), 1, 1.0)
    return bool(obj.get("stroke")) or (bool(obj.get("fill")) and not white) or obj["object_type"] == "image"


def read(pdf: Path | str, margin_mm: float, data: dict | None = None) -> Doc:
    """Read a PDF once; every check then works on this Doc."""
    margin = margin_mm * MM
    pages: list[Page] = []
    with pdfplumber.open(pdf) as plumb:
        for n, p in enumerate(plumb.pages, start=1):
            zones = [z.box(p.width, p.height, margin) for z in FURNITURE if z.applies(n)]

            def story(o):
                return not any(_inside(z, o["x0"], o["top"], o["x1"], o["bottom"]) for z in zones)

            glyphs = [Glyph(n, c["text"], c["x0"], c["x1"], c["top"], c["bottom"], bool(c["upright"]),
                            float(p.height) - c["matrix"][5])
                      for c in p.chars if c["text"].strip() and story(c)]
            ink = [o["bottom"] for o in p.chars + p.rects + p.lines + p.curves + p.images
                   if _is_ink(o) and story(o) and o["top"] < p.height]
            pages.append(Page(n, float(p.width), float(p.height), glyphs, max(ink) if ink else None))
    doc = Doc(Path(pdf), margin, pages, _outline(pdf, pages), data)
    chars, owner = [], []
    for page in pages:
        for g in page.glyphs:
            for ch in normal(g.text):
                chars.append(ch)
                owner.append(g)
    stream = "".join(chars)
    for number, note in _notes(data):  # notes stand at page feet, not in the text's order
        key = normal(f"{number}{note}")
        at = stream.find(key)
        while at >= 0:
            stream, owner = stream[:at] + stream[at + len(key):], owner[:at] + owner[at + len(key):]
            at = stream.find(key, at)
    doc.stream, doc.owner = stream, owner
    return doc


def _notes(data) -> list[tuple[int, str]]:
    """(number, text) of each footnote, numbered in the order first called (as input_strings does)."""
    from pdfcheck import CALL, _strings

    notes = (data or {}).get("footnotes") or {}
    order: dict[str, int] = {}
    for _, text in _strings(data or {}, ()):
        for name in CALL.findall(text):
            order.setdefault(name, len(order) + 1)
    return [(order[name], text) for name, text in notes.items() if name in order]


def _outline(pdf, pages: list[Page]) -> list[OutlineEntry]:
    out = []
    with pikepdf.open(pdf) as doc:
        index = {p.obj.objgen: i for i, p in enumerate(doc.pages, start=1)}
        names = _named_destinations(doc)
        with doc.open_outline() as outline:
            todo = list(outline.root)
            while todo:
                item = todo.pop(0)
                dest = item.destination
                if isinstance(dest, (pikepdf.String, str)) or isinstance(dest, pikepdf.Name):
                    dest = names.get(str(dest))
                if dest is None and item.action is not None and item.action.get("/D") is not None:
                    dest = item.action.get("/D")
                if isinstance(dest, pikepdf.Array) and len(dest) >= 2:
                    page = index.get(dest[0].objgen)
                    top = None
                    kind = str(dest[1])
                    if kind == "/XYZ" and len(dest) > 3 and isinstance(dest[3], (int, float, pikepdf.Object)):
                        top = _flip(dest[3], pages, page)
                    elif kind in ("/FitH", "/FitBH") and len(dest) > 2:
                        top = _flip(dest[2], pages, page)
                    if page is not None:
                        out.append(OutlineEntry(str(item.title), page, top))
                todo[:0] = list(item.children)
    return out


def _flip(y, pages: list[Page], page: int | None) -> float | None:
    try:
        return pages[page - 1].height - float(y)
    except (TypeError, ValueError):
        return None  # a null coordinate: "keep the reader's position"


def _named_destinations(doc: pikepdf.Pdf) -> dict[str, pikepdf.Array]:
    names = {}
    dests = doc.Root.get("/Dests")
    if dests is not None:
        for key in dests.keys():
            value = dests[key]
            names[key.lstrip("/")] = value.get("/D") if isinstance(value, pikepdf.Dictionary) else value
    tree = doc.Root.get("/Names", {}).get("/Dests") if "/Names" in doc.Root else None
    if tree is not None:
        for key, value in pikepdf.NameTree(tree).items():
            names[key] = value.get("/D") if isinstance(value, pikepdf.Dictionary) else value
    return names


# -- locating the input's strings in the story -------------------------------------------------
# The order in which a mapping's keys print (a YAML file may write them in any order): the byline
# follows the dek, a section's label its headline, a table's source its rows.
PRINT_ORDER = ("heading", "title", "label", "question", "lead", "dek", "author", "value", "key_stats",
               "columns", "rows", "x_label", "y_label", "series", "name", "caption", "text", "callout",
               "answer", "publisher", "note", "source", "sections", "blocks", "numbered", "faq",
               "references", "disclaimer")


def printed(data, path=()):
    """The input rearranged into printing order (a reference in its citation style's); a number
    written in a text cell becomes the text the author wrote (`2034`), a figure of a column of
    figures (or of the probability column) the text its format prints (`−4.50%`), and a column of
    figures its name."""
    if isinstance(data, dict):
        if path[:1] == ("references",):
            keys = sorted(data, key=lambda k: (CITATION_ORDER + (k,)).index(k))
        else:
            rank = {k: i for i, k in enumerate(PRINT_ORDER)}
            keys = sorted(data, key=lambda k: rank.get(k, len(rank)))
        if path == () and data.get("disclaimer_position") == "front":  # under the tiles, on page 1
            keys.remove("disclaimer")
            keys.insert(keys.index("key_stats") + 1 if "key_stats" in keys else 0, "disclaimer")
        out = {k: printed(data[k], path + (k,)) for k in keys}
        if isinstance(data.get("rows"), list) and isinstance(data.get("columns"), list):
            out["columns"] = [c.get("name") if isinstance(c, dict) else c for c in data["columns"]]
            out["rows"] = _table_texts(data)
        return out
    if isinstance(data, list):
        return [printed(v, path + (i,)) for i, v in enumerate(data)]
    return data


def _table_texts(data: dict) -> list[list]:
    """A table's cells as they print: figures formatted by their column, text as written."""
    from report.input.model import Table
    from report.layout.tables import cell_texts

    spec = Table.model_validate(data)
    return [[_cell_text(v) if f is None else text for v, f, text in zip(row, spec.formats(), texts)]
            for row, texts in zip(data["rows"], cell_texts(spec))]


def _cell_text(value):
    if isinstance(value, str):
        return value
    source = getattr(value, "source", None)
    return source if isinstance(source, str) else None if isinstance(value, bool) else f"{value:g}"


def _section(path: tuple) -> int | None:
    return path[1] if len(path) > 1 and path[0] == "sections" else None


def _chart_key(path: tuple) -> tuple | None:
    """The path of the figure (a chart or an image) a string belongs to, if any: figures float."""
    for key in ("chart", "image"):
        if key in path:
            return path[:path.index(key) + 1]
    return None


def locate(stream: str, strings: list[tuple[tuple, str]], pages: list[int] | None = None) -> list[Found]:
    """Find each string after the one before it; a chart's texts anywhere within its section
    (a figure may float to a later place in its section, and its labels follow the plot's order)
    or, given each stream character's page, at the top of the page after its section's end (where a
    figure goes only when keeping it in its section would end a page in a big gap)."""
    found: list[Found] = []
    cursor = 0
    for path, text in strings:
        if _chart_key(path) is not None:
            continue
        key = normal(text)
        at = stream.find(key, cursor)
        if at >= 0:
            found.append(Found(path, text, at, at + len(key), True))
            cursor = at + len(key)
        else:
            at = stream.find(key)
            found.append(Found(path, text, at, at + len(key) if at >= 0 else -1, False))
    bounds = _section_bounds(found, len(stream))
    for path, text in strings:
        if _chart_key(path) is None:
            continue
        key = normal(text)
        lo, hi = bounds.get(_section(path), (0, len(stream)))
        if pages and 0 < hi < len(stream):  # the page after the section's end, up to its first heading
            nxt = pages[hi - 1] + 1
            hi = max(hi, max((i for i in range(hi, len(stream)) if pages[i] == nxt), default=hi) + 1)
        at = stream.find(key, lo, hi)
        in_order = at >= 0
        if at < 0:
            at = stream.find(key)
        found.append(Found(path, text, at, at + len(key) if at >= 0 else -1, in_order))
    order = {p: i for i, (p, _) in enumerate(strings)}
    return sorted(found, key=lambda f: order[f.path])


def _section_bounds(found: list[Found], end: int) -> dict[int, tuple[int, int]]:
    """Section index -> the slice of the stream from its first string to the next section's."""
    starts: list[tuple[int, int | None]] = []  # (position, section or None for later matter)
    seen: set = set()
    for f in found:
        s = _section(f.path)
        if f.in_order and f.start >= 0 and (s not in seen):
            if s is not None or starts and starts[-1][1] is not None:
                starts.append((f.start, s))
            seen.add(s)
    bounds = {}
    for i, (at, s) in enumerate(starts):
        if s is not None:
            bounds[s] = (at, starts[i + 1][0] if i + 1 < len(starts) else end)
    return bounds


def lines(glyphs: list[Glyph]) -> list[list[Glyph]]:
    """Glyphs grouped into lines of text (per page, by their tops)."""
    out: list[list[Glyph]] = []
    for g in sorted(glyphs, key=lambda g: (g.page, g.top)):
        if out and out[-1][0].page == g.page and abs(out[-1][0].top - g.top) < LINE_TOLERANCE:
            out[-1].append(g)
        else:
            out.append([g])
    return out


def _text(glyphs: list[Glyph]) -> str:
    """Glyphs back into words: a space where the gap between two glyphs or a new line says so."""
    out, last = [], None
    for g in glyphs:
        if last is not None and (abs(g.top - last.top) >= LINE_TOLERANCE or g.x0 - last.x1 > 1.2):
            out.append(" ")
        out.append(g.text)
        last = g
    return "".join(out)


def _clip(text: str, n: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[:n - 1] + "…"


def _where(path: tuple) -> str:
    return "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in path).lstrip(".")


# -- the checks ----------------------------------------------------------------------------
def glyphs_outside_frame(doc: Doc) -> list[str]:
    """No glyph outside the text frame (chart text included); furniture only in its own zones."""
    problems = []
    for page in doc.pages:
        box = doc.frame(page)
        runs: list[list[Glyph]] = []  # consecutive glyphs of one line: a label, a line of text
        for g in page.glyphs:
            if runs and abs(runs[-1][-1].top - g.top) < LINE_TOLERANCE and g.x0 >= runs[-1][-1].x0 - SLACK:
                runs[-1].append(g)
            else:
                runs.append([g])
        runs = [run for run in runs if not all(_inside(box, g.x0, g.top, g.x1, g.bottom) for g in run)]
        for run in runs:
            over = {"left": box[0] - min(g.x0 for g in run), "right": max(g.x1 for g in run) - box[2],
                    "top": box[1] - min(g.top for g in run), "bottom": max(g.bottom for g in run) - box[3]}
            side = max(over, key=over.get)
            edge = ""
            if (min(g.x0 for g in run) < 0 or max(g.x1 for g in run) > page.width
                    or min(g.top for g in run) < 0 or max(g.bottom for g in run) > page.height):
                edge = ", past the paper's edge"
            text = _text(run)
            problems.append(f"page {page.number}: {_clip(text)!r} lies {over[side]:.1f} pt "
                            f"({over[side] / MM:.1f} mm) past the {side} of the text frame{edge}")
    return problems


def gaps_at_page_foot(doc: Doc) -> list[str]:
    """No page but the last ends more than GAP_LIMIT_MM above the foot of its frame."""
    problems = []
    for page in doc.pages[:-1]:
        foot = doc.frame(page)[3]
        if page.ink_bottom is None:
            problems.append(f"page {page.number}: the page is empty")
            continue
        gap = (foot - page.ink_bottom) / MM
        if gap > GAP_LIMIT_MM:
            problems.append(f"page {page.number}: the text ends {gap:.0f} mm above the frame's foot "
                            f"(limit {GAP_LIMIT_MM:.0f} mm)")
    return problems


def _heading_texts(doc: Doc) -> dict[str, str]:
    """Outline title -> the whole heading as printed: label, then the section's headline if any."""
    out = {}
    if doc.data is None:
        return out
    number = 0
    for section in doc.data.get("sections", []):
        label = str(section["heading"])
        if section.get("numbered", True) is not False:
            number += 1
            label = f"{number:02d}. {label}"
        out[normal(label)] = label + " " + str(section.get("title") or "")
    return out


def _own_lines(page: Page, glyphs: list[Glyph], first: Glyph, last: Glyph) -> bool:
    """True when a match starts and ends a line: a heading, not the same words inside a sentence."""
    i, j = glyphs.index(first), glyphs.index(last)
    before = glyphs[i - 1] if i > 0 else None
    after = glyphs[j + 1] if j + 1 < len(glyphs) else None
    return ((before is None or abs(before.top - first.top) >= LINE_TOLERANCE)
            and (after is None or abs(after.top - last.top) >= LINE_TOLERANCE))


def headings_at_page_foot(doc: Doc) -> list[str]:
    """No heading (an outline entry) is the last thing on its page: some text must follow it."""
    problems = []
    full = _heading_texts(doc)
    for entry in doc.outline:
        page = doc.pages[entry.page - 1]
        block = _find_heading(doc, page, entry, full.get(normal(entry.title), entry.title))
        if block is None:
            problems.append(f"page {page.number}: heading {entry.title!r} (an outline entry) is not "
                            "printed on the page its bookmark opens")
            continue
        below = max(g.bottom for g in block)
        rest = [g for g in page.glyphs if g.top >= below - SLACK and g not in block]
        if not rest:
            problems.append(f"page {page.number}: heading {_clip(entry.title)!r} is the last thing on "
                            "the page; its text starts on the next page")
    return problems


def _find_heading(doc: Doc, page: Page, entry: OutlineEntry, full: str) -> list[Glyph] | None:
    """The glyphs of the heading (and of the headline printed with it) on its page."""
    text = "".join(normal(g.text) for g in page.glyphs)
    owner = [g for g in page.glyphs for _ in normal(g.text)]
    key = normal(entry.title)
    if not key:
        return None
    at = text.find(key)
    while at >= 0:
        first, last = owner[at], owner[at + len(key) - 1]
        near = entry.top is None or abs(first.top - entry.top) < 40
        if near and _own_lines(page, page.glyphs, first, last):
            block = []
            title = normal(full)
            # extend over the headline printed under the label, as far as it is on this page
            end = at + len(title) if text.startswith(title, at) else at + len(key)
            if end == at + len(key) and len(title) > len(key):
                rest = title[len(key):]
                n = 0
                while n < len(rest) and at + len(key) + n < len(text) and text[at + len(key) + n] == rest[n]:
                    n += 1
                end = at + len(key) + n
            for g in owner[at:end]:
                if not block or block[-1] is not g:
                    block.append(g)
            return block
        at = text.find(key, at + 1)
    return None


def _tables(data: dict):
    """(path, table) for every table of the input, in document order."""
    for s, section in enumerate(data.get("sections", [])):
        for b, block in enumerate(section.get("blocks", [])):
            if isinstance(block, dict) and isinstance(block.get("table"), dict):
                yield ("sections", s, "blocks", b, "table"), block["table"]


def _cells(doc: Doc) -> dict[tuple, dict[tuple[int, int], Found]]:
    """Table path -> {(row, column): where the cell's text was found}; the header is row -1."""
    out: dict[tuple, dict[tuple[int, int], Found]] = {}
    for f in doc.found:
        if "table" not in f.path or f.start < 0:
            continue
        i = f.path.index("table")
        table, rest = f.path[:i + 1], f.path[i + 1:]
        if len(rest) == 3 and rest[0] == "rows":
            out.setdefault(table, {})[(rest[1], rest[2])] = f
        elif len(rest) == 2 and rest[0] == "columns":
            out.setdefault(table, {})[(-1, rest[1])] = f
    return out


def table_rows_split(doc: Doc) -> list[str]:
    """No table row is split across pages: the words of each row's cells all on one page."""
    problems = []
    cells = _cells(doc)
    for path, table in _tables(doc.data):
        found = cells.get(path, {})
        for r, row in enumerate(table.get("rows", [])):
            pages = {}
            for c in range(len(row)):
                f = found.get((r, c))
                if f is not None:
                    for g in doc.glyphs_of(f):
                        pages.setdefault(g.page, c)
            if len(pages) > 1:
                problems.append(f"table {table.get('title')!r}, row {r + 1} ({_clip(str(row[0]), 30)!r}) "
                                f"is split across pages {', '.join(map(str, sorted(pages)))}")
    return problems


def cells_wrapping_too_much(doc: Doc) -> list[str]:
    """No cell wraps to more than WRAP_RATIO times the lines of another cell of its row that sits
    in a wider column: then the column widths, not the text, make the row tall."""
    problems = []
    cells = _cells(doc)
    for path, table in _tables(doc.data):
        found = cells.get(path, {})
        glyphs = {rc: doc.glyphs_of(f) for rc, f in found.items()}
        extent: dict[int, tuple[float, float]] = {}
        for (_, c), gs in glyphs.items():
            if gs:
                lo, hi = extent.get(c, (1e9, -1e9))
                extent[c] = (min(lo, min(g.x0 for g in gs)), max(hi, max(g.x1 for g in gs)))
        width = {c: hi - lo for c, (lo, hi) in extent.items()}
        columns = table.get("columns", [])
        for r, row in enumerate(table.get("rows", [])):
            counts = {c: len(lines(glyphs[(r, c)])) for c in range(len(row)) if glyphs.get((r, c))}
            worst = None
            for c, n in counts.items():
                for d, m in counts.items():
                    if width[d] > width[c] and n > WRAP_RATIO * m and (worst is None or n / m > worst[0]):
                        worst = (n / m, c, d)
            if worst:
                _, c, d = worst
                problems.append(
                    f"table {table.get('title')!r}, row {r + 1}: cell {_clip(str(columns[c]), 30)!r} wraps "
                    f"to {counts[c]} lines in a column {width[c] / MM:.0f} mm wide, while "
                    f"{_clip(str(columns[d]), 30)!r} beside it takes {counts[d]} in {width[d] / MM:.0f} mm")
    return problems


def tiles(doc: Doc) -> list[str]:
    """Key-stat tiles suit their content: a value in at most two lines, a source in at most two,
    and the values of one row of tiles on one baseline."""
    problems = []
    parts: dict[int, dict[str, list[Glyph]]] = {}
    for f in doc.found:
        if f.path[0] == "key_stats" and f.start >= 0:
            parts.setdefault(f.path[1], {})[f.path[2]] = doc.glyphs_of(f)
    for i, part in sorted(parts.items()):
        for key in ("value", "source"):
            n = len(lines(part.get(key, [])))
            if n > 2:
                text = _text(part[key])
                problems.append(f"key_stats[{i}].{key} takes {n} lines: {_clip(text, 40)!r}")
    rows: dict[tuple[int, int], list[tuple[int, float]]] = {}
    for i, part in sorted(parts.items()):
        if part.get("label") and part.get("value"):
            label = part["label"][0]
            row = next((k for k in rows if k[0] == label.page and abs(k[1] - label.top) < LINE_TOLERANCE),
                       (label.page, round(label.top)))
            rows.setdefault(row, []).append((i, min(g.base for g in part["value"])))  # first baseline
    for tops in rows.values():
        low, high = min(tops, key=lambda t: t[1]), max(tops, key=lambda t: t[1])
        if high[1] - low[1] > LINE_TOLERANCE:
            problems.append(f"key_stats[{high[0]}].value sits {high[1] - low[1]:.1f} pt lower than "
                            f"key_stats[{low[0]}].value in the same row of tiles")
    return problems


def last_page_stray(doc: Doc) -> list[str]:
    """The last page holds more than a stray line or two."""
    if len(doc.pages) < 2:
        return []
    last = doc.pages[-1]
    n = len(lines(last.glyphs))
    if n <= STRAY_LINES:
        text = " ".join(_text(line) for line in lines(last.glyphs))
        return [f"page {last.number} (the last) holds only {n} line{'s' * (n != 1)} of text: "
                f"{_clip(text)!r}"]
    return []


def reading_order(doc: Doc) -> list[str]:
    """Every printed string of the input is on the page, in the input's order; a chart's texts
    anywhere within the chart's section."""
    problems = []
    for f in doc.found:
        if not normal(f.text):
            continue
        chart = _chart_key(f.path) is not None
        if f.start < 0:
            problems.append(f"{_where(f.path)}: not printed: {_clip(f.text)!r}")
        elif not f.in_order:
            where = doc.owner[f.start].page
            problems.append(f"{_where(f.path)}: " + (f"printed outside its section (page {where})"
                            if chart else f"out of order (found on page {where})") + f": {_clip(f.text)!r}")
    return problems


_PROSE_KEYS = {"dek", "text", "callout", "answer", "disclaimer", "note"}


def split_paragraph_lines(doc: Doc) -> list[str]:
    """A paragraph split across pages leaves at least MIN_SPLIT_LINES lines on each page
    (no widow, no orphan)."""
    problems = []
    for f in doc.found:
        if f.start < 0 or not (f.path[-1] in _PROSE_KEYS or f.path[-2:-1] == ("blocks",)):
            continue
        per_page: dict[int, int] = {}
        for line in lines(doc.glyphs_of(f)):
            per_page[line[0].page] = per_page.get(line[0].page, 0) + 1
        if len(per_page) > 1:
            short = {p: n for p, n in per_page.items() if n < MIN_SPLIT_LINES}
            if short:
                split = " / ".join(f"{n} on page {p}" for p, n in sorted(per_page.items()))
                problems.append(f"{_where(f.path)}: split {split}: {_clip(f.text, 40)!r}")
    return problems


CHECKS = {
    "frame": glyphs_outside_frame,
    "foot-gap": gaps_at_page_foot,
    "heading-last": headings_at_page_foot,
    "row-split": table_rows_split,
    "cell-wrap": cells_wrapping_too_much,
    "last-page": last_page_stray,
    "reading-order": reading_order,
    "widow-orphan": split_paragraph_lines,
    "tiles": tiles,
}
NEEDS_INPUT = {"row-split", "cell-wrap", "reading-order", "widow-orphan", "tiles"}


def run(doc: Doc, names=None) -> dict[str, list[str]]:
    """Run the named checks (all by default; those needing the input only when the Doc has it)."""
    names = names or [n for n in CHECKS if doc.data is not None or n not in NEEDS_INPUT]
    return {n: CHECKS[n](doc) for n in names}


__all__ = ["CHECKS", "FURNITURE", "Doc", "Found", "Glyph", "OutlineEntry", "Page", "Zone", "lines",
           "locate", "normal", "read", "run"]
