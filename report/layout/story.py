"""Report model -> platypus story: one builder per kind of content, named after its YAML key.

How blocks meet page breaks is the policy's (report.policy): headings keep with the start of what
follows them, figures float within their section, blocks kept together split rather than leave a
big gap, tables and lists split with at least two rows on each side.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import CondPageBreak, Flowable, Paragraph, Spacer, Table
from reportlab.platypus.flowables import _listWrapOn

from report.brand.styles import Styles
from report.input.model import (
    CalloutBlock,
    ChartBlock,
    FaqBlock,
    ImageBlock,
    ListBlock,
    ParagraphBlock,
    Report,
    Section,
    SubheadingBlock,
    TableBlock,
    TextBlock,
)
from report.layout.flowables import (Balanced, ChartBox, ContentsLine, ContinuedTable, Float, FloatBarrier,
                                     Heading, Keep, Rule)
from report.layout.tables import table, table_style
from report.layout.tiles import tiles
from report.policy import POLICY
from report.text import citation, escape, footnote, para

_PAGES = POLICY.pages
MM = 72 / 25.4


@dataclass
class Story:
    """Builds the flowables of one report for one page width."""

    report: Report
    styles: Styles
    width: float
    charts: object  # report.build.Charts: heights of chart specs, and the forms that show them
    folder: Path = Path(".")  # the input's folder: figures from image files are named from there
    figures: int = 0
    sections_numbered: int = 0
    subheads: int = 0
    out: list[Flowable] = field(default_factory=list)
    versions: object = None  # report.versions.history.Versions: the change box and history chart
    marks: list[tuple[int, int]] = field(default_factory=list)  # headings still to keep with their text
    warnings: list[str] = field(default_factory=list)  # for the author, e.g. a raster printing too coarsely
    toc: bool = False  # open with a table of contents (a long report)

    def __post_init__(self):
        self.notes = self.report.footnote_numbers()  # footnote name -> number

    def footnotes(self) -> dict[int, Paragraph]:
        """The report's footnotes as they print at a page's foot, by number."""
        return {n: footnote(n, self.report.footnotes[name], self.styles["footnote"])
                for name, n in self.notes.items()}

    # -- the whole document -------------------------------------------------------------
    def build(self) -> list[Flowable]:
        self.masthead()
        self.key_stats()
        self.changes()
        if self.toc:
            self.contents()
        for index, section in enumerate(self.report.sections):
            self.section(index, section)
        self.out.append(FloatBarrier(final=True))  # every figure before the end matter
        self.end_matter()
        return self.out

    def masthead(self) -> None:
        r, st = self.report, self.styles
        self.out.append(Heading(escape(r.title), st["title"], outline=r.title, key="title"))
        for paragraph in r.dek:  # the standfirst, one paragraph or several
            self.out.append(para(paragraph, st["dek"]))
        byline = [r.author] if r.author else []
        byline.append(self.styles.theme.format_date(r.as_of))
        self.out.append(para(" · ".join(byline), st["byline"]))

    def key_stats(self) -> None:
        self.out += [Spacer(1, 1 * MM), *tiles(self.report.key_stats, self.styles, self.width), Spacer(1, 4 * MM)]
        if self.report.disclaimer_position == "front":
            self.out += [self.disclaimer(), Spacer(1, 4 * MM)]

    def changes(self) -> None:
        if self.versions is not None:
            from report.layout.changes import changes

            self.out += changes(self.versions, self.styles, self.width, self.history_chart)

    def history_chart(self, history, styles: Styles, width: float) -> ChartBox:
        height, place = self.charts.history(history)
        return ChartBox(place, height, height, height, height)

    def contents(self) -> None:
        """The table of contents: each section (and the references) with its page, linked to it."""
        from report.layout.pages import toc_form

        st = self.styles
        lines: list[Flowable] = [para("Contents", st["subhead"])]
        number = 0
        for index, section in enumerate(self.report.sections):
            label = section.heading
            if section.numbered:
                number += 1
                label = f"{number:02d}. {label}"
            lines.append(ContentsLine(para(label, st["toc"]), f"s{index}", toc_form(f"s{index}")))
        if self.report.references:
            lines.append(ContentsLine(para("References", st["toc"]), "references", toc_form("references")))
        self.out += [Keep(lines), Spacer(1, 5 * MM)]

    # -- sections and their blocks --------------------------------------------------------
    def section(self, index: int, section: Section) -> None:
        label = section.heading
        if section.numbered:
            self.sections_numbered += 1
            label = f"{self.sections_numbered:02d}. {section.heading}"
        self.heading(label, section.title, f"s{index}")
        for block in section.blocks:
            self.block(block)
        self.out.append(FloatBarrier())  # a figure never leaves its section
        self.keep_headings()

    def heading(self, label: str, title: str | None, key: str) -> None:
        """A section's rule, label and headline, to be kept with the start of what follows."""
        st = self.styles
        start = len(self.out)
        self.out += [None, Rule(st.color("heading"), 1.2, space_before=10),  # None: the page-break test
                     Heading(escape(label), st["kicker"], outline=label, key=key)]
        if title:
            headline = Balanced(escape(title), st["section"])
            headline._heading = True  # no stretch between it and its first block
            self.out.append(headline)
        self.marks.append((start, len(self.out)))

    def keep_headings(self) -> None:
        """Every heading and sub-heading marked so far keeps with the start of what follows it (the
        last first, so that merging one into a kept block never moves the places of the others)."""
        for start, first in reversed(self.marks):
            self.keep_heading(start, first)
        self.marks = []

    def keep_heading(self, start: int, first: int) -> None:
        """Start a new page before a heading unless it fits with the start of what follows it.

        A heading never sits alone at a page's foot, and never drags a whole long block with it.
        """
        need = sum(self._height(f) for f in self.out[start + 1:first]) + self.lead_in(self.out[first:])
        self.out[start] = CondPageBreak(need)
        if first < len(self.out) and isinstance(self.out[first], Keep):
            # a block that may move whole to the next page takes its heading with it
            self.out[start + 1:first + 1] = [Keep(self.out[start + 1:first] + self.out[first]._content)]

    def lead_in(self, following: list[Flowable]) -> float:
        """The least of what follows a heading that must stand under it on its page."""
        need = 0.0
        floats = 0.0
        for f in following:
            if isinstance(f, CondPageBreak):
                continue
            if isinstance(f, Heading) or getattr(f, "_heading", False):
                need += self._height(f)  # a sub-heading right under it: it and its own lead-in
            elif isinstance(f, Spacer):
                need += f.height
            elif isinstance(f, Float):
                floats += self._height(f)  # it may float to a later page, if text follows it
            elif isinstance(f, FloatBarrier):
                return need + floats  # only figures follow: the first goes with its heading
            else:
                return need + self._lead(f)
        return need

    def _lead(self, f: Flowable) -> float:
        if isinstance(f, Paragraph):
            lines = _PAGES.lead_in_lines * f.style.leading + f.style.spaceBefore
            return min(self._height(f), lines)
        if isinstance(f, Keep):
            return self._lead(f._content[0]) if self._height(f) > _PAGES.max_gap else self._height(f)
        if isinstance(f, ContinuedTable):
            f.wrap(self.width, 1e6)
            least = (f.repeatRows or 0) + _PAGES.min_rows
            return self._height(f) if len(f._rowHeights) < least + _PAGES.min_rows else sum(f._rowHeights[:least])
        return min(self._height(f), _PAGES.lead_in_max)

    def _height(self, flowable: Flowable) -> float:
        """Height of a flowable laid out at the text width, with its space before and after."""
        if isinstance(flowable, Keep):
            return _listWrapOn(flowable._content, self.width, None)[1]
        height = flowable.wrap(self.width, 1e6)[1]
        return height + flowable.getSpaceBefore() + flowable.getSpaceAfter()

    def block(self, block) -> None:
        """The flowables of one block, by the builder named after its YAML key."""
        builder = getattr(self, _BUILDERS[type(block)])
        builder(block)

    def para(self, text: str, role: str, **kw) -> Paragraph:
        """A paragraph of running text in the style `role`, at the text measure, calling footnotes."""
        room = self.width - (self.styles.indent if self.styles[role].leftIndent else 0)
        return para(text, self.styles[role], room=room, notes=self.notes, **kw)

    def text(self, block: TextBlock) -> None:
        self.out.append(self.para(block.text, "body"))

    def paragraph(self, block: ParagraphBlock) -> None:
        self.out.append(self.para(block.paragraph.text, "lead", lead=block.paragraph.lead))

    def table(self, block: TableBlock) -> None:
        self.out += [*table(block.table, self.styles, self.width, notes=self.notes), Spacer(1, 4 * MM)]

    def chart(self, block: ChartBlock) -> None:
        chart = block.chart
        box = ChartBox(lambda height: self.charts.form(chart, height), *self.charts.heights(chart))
        self.figure(chart.title, box, chart.caption, chart.source)

    def image(self, block: ImageBlock) -> None:
        from report.layout.images import picture

        spec = block.image
        body, note = picture(spec, self.width, self.folder, self.styles.head_font.regular,
                             self.styles.head_font.bold)
        if note:
            self.warnings.append(note)
        self.figure(spec.title, body, spec.caption, spec.source)

    def subheading(self, block: SubheadingBlock) -> None:
        self.subheads += 1
        head = Heading(escape(block.subheading), self.styles["subheading"], outline=block.subheading,
                       level=1, key=f"sub{self.subheads}")
        head._heading = True
        start = len(self.out)
        self.out += [None, head]  # None: the page-break test, sized once the section is built
        self.marks.append((start, len(self.out)))

    def callout(self, block: CalloutBlock) -> None:
        st = self.styles
        inner = self.width - st.indent - 20
        box = Table([[para(block.callout, st["callout"], room=inner, notes=self.notes)]],
                    colWidths=[self.width - st.indent],
                    hAlign="RIGHT", splitInRow=1)
        box.setStyle(table_style(st, [
            ("BACKGROUND", (0, 0), (-1, -1), st.color("callout_fill")),
            ("LINEBEFORE", (0, 0), (0, -1), 3, st.color("callout_rule")),
            ("LEFTPADDING", (0, 0), (-1, -1), 10), ("RIGHTPADDING", (0, 0), (-1, -1), 10),
            ("TOPPADDING", (0, 0), (-1, -1), 8), ("BOTTOMPADDING", (0, 0), (-1, -1), 9)]))
        self.out += [box, Spacer(1, 4 * MM)]

    def figure(self, title: str, body: Flowable, caption: str | None, source: str) -> None:
        """A numbered figure — a chart or an image — with its title, caption and source, floating."""
        st = self.styles
        self.figures += 1
        parts: list[Flowable] = [
            Balanced(escape(f"Figure {self.figures} — {title}"), st["figure_title"]), Spacer(1, 2), body]
        if caption:
            parts.append(para(caption, st["caption"], room=self.width))
        parts += [para(f"Source: {source}", st["source"], room=self.width), Spacer(1, 5 * MM)]
        self.out.append(Float(parts))

    def numbered(self, block: ListBlock) -> None:
        st = self.styles
        text_width = self.width - st.indent - 9 * MM
        rows = [[para(str(i), st["item_number"]),
                 [para(item.title, st["item_title"], room=text_width), Spacer(1, 1),
                  para(item.text, st["item_text"], room=text_width, notes=self.notes)]]
                for i, item in enumerate(block.numbered, start=1)]
        table_ = ContinuedTable(rows, colWidths=[9 * MM, text_width], hAlign="RIGHT")
        table_.setStyle(table_style(st, [
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-1, -1), 0),
            ("TOPPADDING", (0, 0), (-1, -1), 5), ("BOTTOMPADDING", (0, 0), (-1, -1), 1),
            ("LINEBELOW", (0, 0), (-1, -2), 0.4, st.color("rule"))]))
        self.out += [Keep([table_]), Spacer(1, 3 * MM)]

    def faq(self, block: FaqBlock) -> None:
        st = self.styles
        for q in block.faq:
            question = para(q.question, st["question"], room=self.width - st.indent)
            answer = self.para(q.answer, "body")
            self.out += [CondPageBreak(self._height(question) + self._lead(answer)), question, answer]

    # -- end matter -----------------------------------------------------------------------
    def end_matter(self) -> None:
        """References, then the disclaimer (unless it stands at the front): together when they fit,
        split rather than leave a gap."""
        has_refs = self.references()
        box = [Spacer(1, 6 * MM), self.disclaimer()] if self.report.disclaimer_position == "end" else []
        if not has_refs:
            if box:
                self.out += [box[0], Keep(box[1:])]
            return
        start, first = self.marks[-1]
        tail = self.out[first:]
        del self.out[first:]
        self.out.append(Keep(tail + box))
        self.keep_headings()  # the heading goes into the Keep, with the references

    def references(self) -> bool:
        """References in one citation style, numbered in order (README: "References"):
        [n] Author, Publisher, Date. *Title*. Note. URL"""
        refs = self.report.references
        if not refs:
            return False
        st = self.styles
        self.heading("References", None, "references")
        base = st["reference"]
        hang = stringWidth(f"[{len(refs)}]", base.fontName, base.fontSize) + 4
        style = ParagraphStyle("citation", parent=base, leftIndent=base.leftIndent + hang,
                               bulletIndent=base.leftIndent, bulletFontName=base.fontName,
                               bulletFontSize=base.fontSize)
        room = self.width - style.leftIndent
        for i, ref in enumerate(refs, start=1):
            self.out.append(citation(_citation(ref, st.theme.format_date), style, room=room, bullet=f"[{i}]",
                                     url=ref.url, color=st.theme.color("link")))
        return True

    def disclaimer(self) -> Table:
        st = self.styles
        box = Table([[para(self.report.disclaimer, st["disclaimer"], lead="Disclaimer:", room=self.width - 16)]],
                    colWidths=[self.width], splitInRow=1)
        box.setStyle(table_style(st, [
            ("BOX", (0, 0), (-1, -1), 0.6, st.color("rule")),
            ("LEFTPADDING", (0, 0), (-1, -1), 8), ("RIGHTPADDING", (0, 0), (-1, -1), 8),
            ("TOPPADDING", (0, 0), (-1, -1), 6), ("BOTTOMPADDING", (0, 0), (-1, -1), 7)]))
        return box


_BUILDERS = {TextBlock: "text", ParagraphBlock: "paragraph", CalloutBlock: "callout", TableBlock: "table",
             ChartBlock: "chart", ImageBlock: "image", ListBlock: "numbered", FaqBlock: "faq",
             SubheadingBlock: "subheading"}  # block kind -> the builder named after its YAML key


def _citation(ref, format_date) -> list[tuple[str, str]]:
    """One reference as (text, kind) pieces: who and when, the title in italics, the note, the link."""
    def sentence(text: str) -> str:
        return text if text.rstrip().endswith((".", "?", "!", "…")) else text + "."

    who = ", ".join(x for x in (ref.author, ref.publisher, ref.date and format_date(ref.date)) if x)
    pieces = [(sentence(who) + " ", "")] if who else []
    pieces.append((ref.title, "i"))
    pieces.append(("" if ref.title.rstrip().endswith((".", "?", "!", "…")) else ".", ""))
    if ref.note:
        pieces.append((" " + sentence(ref.note), ""))
    if ref.url:
        pieces += [(" ", ""), (ref.url, "url")]
    return pieces
