"""Report model -> platypus story: one builder per kind of content, named after its YAML key.

How blocks meet page breaks is the policy's (report.policy): headings keep with the start of what
follows them, figures float within their section, blocks kept together split rather than leave a
big gap, tables and lists split with at least two rows on each side.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import CondPageBreak, Flowable, Paragraph, Spacer, Table
from reportlab.platypus.flowables import _listWrapOn

from report.brand.styles import Styles
from report.input.model import (
    CalloutBlock,
    ChartBlock,
    FaqBlock,
    ListBlock,
    ParagraphBlock,
    Report,
    Section,
    TableBlock,
    TextBlock,
)
from report.layout.flowables import Balanced, ChartBox, ContinuedTable, Float, FloatBarrier, Heading, Keep, Rule
from report.layout.tables import table, table_style
from report.layout.tiles import tiles
from report.policy import POLICY
from report.text import citation, escape, para

_PAGES = POLICY.pages
MM = 72 / 25.4


@dataclass
class Story:
    """Builds the flowables of one report for one page width."""

    report: Report
    styles: Styles
    width: float
    charts: object  # report.build.Charts: (preferred, least) heights and drawings of chart specs
    figures: int = 0
    numbered: int = 0
    out: list[Flowable] = field(default_factory=list)
    versions: object = None  # report.versions.history.Versions: the change box and history chart

    # -- the whole document -------------------------------------------------------------
    def build(self) -> list[Flowable]:
        self.masthead()
        self.key_stats()
        self.changes()
        for index, section in enumerate(self.report.sections):
            self.section(index, section)
        self.out.append(FloatBarrier(final=True))  # every figure before the end matter
        self.end_matter()
        return self.out

    def masthead(self) -> None:
        r, st = self.report, self.styles
        self.out.append(Heading(escape(r.title), st["title"], outline=r.title, key="title"))
        self.out.append(para(r.dek, st["dek"]))
        byline = [r.author] if r.author else []
        byline.append(self.styles.theme.format_date(r.as_of))
        self.out.append(para(" · ".join(byline), st["byline"]))

    def key_stats(self) -> None:
        self.out += [Spacer(1, 1 * MM), *tiles(self.report.key_stats, self.styles, self.width), Spacer(1, 4 * MM)]

    def changes(self) -> None:
        if self.versions is not None:
            from report.charts import draw_history
            from report.layout.changes import changes

            self.out += changes(self.versions, self.styles, self.width, draw_history)

    # -- sections and their blocks --------------------------------------------------------
    def section(self, index: int, section: Section) -> None:
        label = section.heading
        if section.numbered:
            self.numbered += 1
            label = f"{self.numbered:02d}. {section.heading}"
        first = self.heading(label, section.title, f"s{index}")
        for block in section.blocks:
            self.block(block)
        self.out.append(FloatBarrier())  # a figure never leaves its section
        self.keep_heading(first)

    def heading(self, label: str, title: str | None, key: str) -> int:
        """A section's rule, label and headline; returns where its first block will start."""
        st = self.styles
        self.out += [None, Rule(st.color("heading"), 1.2, space_before=10),  # None: the page-break test
                     Heading(escape(label), st["kicker"], outline=label, key=key)]
        if title:
            headline = Balanced(escape(title), st["section"])
            headline._heading = True  # no stretch between it and its first block
            self.out.append(headline)
        return len(self.out)

    def keep_heading(self, first: int) -> None:
        """Start a new page before a heading unless it fits with the start of what follows it.

        A heading never sits alone at a page's foot, and never drags a whole long block with it.
        """
        start = self.out.index(None)
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
            if isinstance(f, Spacer):
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
        st = self.styles
        if isinstance(block, TextBlock):
            self.out.append(para(block.text, st["body"], room=self.width - st.indent))
        elif isinstance(block, ParagraphBlock):
            self.out.append(para(block.paragraph.text, st["lead"], lead=block.paragraph.lead,
                                 room=self.width - st.indent))
        elif isinstance(block, CalloutBlock):
            self.callout(block.callout)
        elif isinstance(block, TableBlock):
            self.out += [*table(block.table, st, self.width), Spacer(1, 4 * MM)]
        elif isinstance(block, ChartBlock):
            self.figure(block.chart)
        elif isinstance(block, ListBlock):
            self.numbered_list(block)
        elif isinstance(block, FaqBlock):
            self.faq(block)
        else:  # pragma: no cover - the model admits no other block
            raise TypeError(f"no layout for {type(block).__name__}")

    def callout(self, text: str) -> None:
        st = self.styles
        inner = self.width - st.indent - 20
        box = Table([[para(text, st["callout"], room=inner)]], colWidths=[self.width - st.indent],
                    hAlign="RIGHT", splitInRow=1)
        box.setStyle(table_style(st, [
            ("BACKGROUND", (0, 0), (-1, -1), st.color("callout_fill")),
            ("LINEBEFORE", (0, 0), (0, -1), 3, st.color("callout_rule")),
            ("LEFTPADDING", (0, 0), (-1, -1), 10), ("RIGHTPADDING", (0, 0), (-1, -1), 10),
            ("TOPPADDING", (0, 0), (-1, -1), 8), ("BOTTOMPADDING", (0, 0), (-1, -1), 9)]))
        self.out += [box, Spacer(1, 4 * MM)]

    def figure(self, chart) -> None:
        st = self.styles
        self.figures += 1
        parts: list[Flowable] = [
            Balanced(escape(f"Figure {self.figures} — {chart.title}"), st["figure_title"]),
            Spacer(1, 2),
            ChartBox(lambda height: self.charts.draw(chart, height), *self.charts.heights(chart)),
        ]
        if chart.caption:
            parts.append(para(chart.caption, st["caption"], room=self.width))
        parts += [para(f"Source: {chart.source}", st["source"], room=self.width), Spacer(1, 5 * MM)]
        self.out.append(Float(parts))

    def numbered_list(self, block: ListBlock) -> None:
        st = self.styles
        text_width = self.width - st.indent - 9 * MM
        rows = [[para(str(i), st["item_number"]),
                 [para(item.title, st["item_title"], room=text_width), Spacer(1, 1),
                  para(item.text, st["item_text"], room=text_width)]]
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
            answer = para(q.answer, st["body"], room=self.width - st.indent)
            self.out += [CondPageBreak(self._height(question) + self._lead(answer)), question, answer]

    # -- end matter -----------------------------------------------------------------------
    def end_matter(self) -> None:
        """References, then the disclaimer: together when they fit, split rather than leave a gap."""
        first = self.references()
        box = self.disclaimer()
        if first is None:
            self.out += [Spacer(1, 6 * MM), Keep([box])]
            return
        tail = self.out[first:]
        del self.out[first:]
        self.out.append(Keep(tail + [Spacer(1, 6 * MM), box]))
        self.keep_heading(first)  # the heading goes into the Keep, with the references

    def references(self) -> int | None:
        """References in one citation style, numbered in order (README: "References"):
        [n] Author, Publisher, Date. *Title*. Note. URL"""
        refs = self.report.references
        if not refs:
            return None
        st = self.styles
        first = self.heading("References", None, "references")
        base = st["reference"]
        hang = stringWidth(f"[{len(refs)}]", base.fontName, base.fontSize) + 4
        style = ParagraphStyle("citation", parent=base, leftIndent=base.leftIndent + hang,
                               bulletIndent=base.leftIndent, bulletFontName=base.fontName,
                               bulletFontSize=base.fontSize)
        room = self.width - style.leftIndent
        for i, ref in enumerate(refs, start=1):
            self.out.append(citation(_citation(ref, st.theme.format_date), style, room=room, bullet=f"[{i}]",
                                     url=ref.url, color=st.theme.color("link")))
        return first

    def disclaimer(self) -> Table:
        st = self.styles
        box = Table([[para(self.report.disclaimer, st["disclaimer"], lead="Disclaimer:", room=self.width - 16)]],
                    colWidths=[self.width], splitInRow=1)
        box.setStyle(table_style(st, [
            ("BOX", (0, 0), (-1, -1), 0.6, st.color("rule")),
            ("LEFTPADDING", (0, 0), (-1, -1), 8), ("RIGHTPADDING", (0, 0), (-1, -1), 8),
            ("TOPPADDING", (0, 0), (-1, -1), 6), ("BOTTOMPADDING", (0, 0), (-1, -1), 7)]))
        return box


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
