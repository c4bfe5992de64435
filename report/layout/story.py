"""Report model -> platypus story: one builder per kind of content, named after its YAML key."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import CondPageBreak, Flowable, KeepTogether, Paragraph, Spacer, Table, TableStyle

from report.layout.flowables import ContinuedTable, Heading, Rule
from report.input.model import (
    CalloutBlock,
    ChartBlock,
    FaqBlock,
    KeyStat,
    ListBlock,
    ParagraphBlock,
    Report,
    Section,
    TableBlock,
    TextBlock,
)
from report.input.model import Table as TableSpec
from report.brand.styles import Styles
from report.text import escape, linked, para

KEEP_WHOLE_ROWS = 8  # tables up to this many rows never split
LEAD_IN_LINES = 3  # a heading starts a new page unless this many lines of what follows fit under it
MAX_LEAD_IN = 120 * mm  # ...or the whole first block when it cannot split, up to this height


@dataclass
class Story:
    """Builds the flowables of one report for one page width."""

    report: Report
    styles: Styles
    width: float
    chart: Callable  # (chart spec) -> Drawing, cached by the caller
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
        stats = self.report.key_stats
        gap = 3 * mm
        col = (self.width - gap * (len(stats) - 1)) / len(stats)
        cells, widths = [], []
        for i, stat in enumerate(stats):
            if i:
                cells.append("")
                widths.append(gap)
            cells.append(self._tile(stat))
            widths.append(col)
        table = Table([cells], colWidths=widths)
        style = [("VALIGN", (0, 0), (-1, -1), "TOP"),
                 ("LEFTPADDING", (0, 0), (-1, -1), 6), ("RIGHTPADDING", (0, 0), (-1, -1), 6),
                 ("TOPPADDING", (0, 0), (-1, -1), 6), ("BOTTOMPADDING", (0, 0), (-1, -1), 7)]
        for i, stat in enumerate(stats):
            c = i * 2
            style += [("BACKGROUND", (c, 0), (c, 0), self.styles.color("tile_fill")),
                      ("LINEABOVE", (c, 0), (c, 0), 2.2, self.styles.color(
                          stat.tone if stat.tone != "neutral" else "accent"))]
        table.setStyle(self._style(style))
        self.out += [Spacer(1, 2 * mm), table, Spacer(1, 4 * mm)]

    def _style(self, commands: list) -> TableStyle:
        """A table style that also sets the brand font: reportlab's cells default to Helvetica."""
        font = self.styles.head_font.regular
        return TableStyle([("FONT", (0, 0), (-1, -1), font, self.styles.theme.sizes.table)] + commands)

    def _tile(self, stat: KeyStat) -> list[Flowable]:
        st = self.styles
        cell = [para(stat.label, st["tile_label"]), Spacer(1, 2), para(stat.value, st["tile_value"])]
        note = ", ".join(x for x in (stat.source, stat.date and st.theme.format_date(stat.date)) if x)
        if note:
            cell += [Spacer(1, 3), para(note, st["tile_source"])]
        return cell

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
        self.keep_heading(first)

    def heading(self, label: str, title: str | None, key: str) -> int:
        """A section's rule, label and headline; returns where its first block will start."""
        st = self.styles
        parts: list[Flowable] = [Rule(st.color("heading"), 1.2, space_before=10),
                                 Heading(escape(label), st["kicker"], outline=label, key=key)]
        if title:
            parts.append(para(title, st["section"]))
        self.out += [None, KeepTogether(parts)]  # None: the page-break test, sized in keep_heading
        return len(self.out)

    def keep_heading(self, first: int) -> None:
        """Start a new page before a heading unless it fits with the start of its first block.

        A heading never sits alone at a page's foot, and never drags a whole long block with it.
        """
        need = self._height(self.out[first - 1]) + 10
        follow = next((f for f in self.out[first:] if not isinstance(f, Spacer)), None)
        if follow is not None:
            height = self._height(follow)
            if isinstance(follow, Paragraph):
                height = min(height, LEAD_IN_LINES * follow.style.leading + follow.style.spaceBefore)
            elif not isinstance(follow, KeepTogether):
                height = min(height, 40 * mm)  # a splittable table or list: its first rows
            need += min(height, MAX_LEAD_IN)
        self.out[first - 2] = CondPageBreak(need)

    def _height(self, flowable: Flowable) -> float:
        """Height of a flowable laid out at the text width, with its space before and after."""
        if isinstance(flowable, KeepTogether):
            return sum(self._height(f) for f in flowable._content)
        height = flowable.wrap(self.width, 1e6)[1]
        return height + flowable.getSpaceBefore() + flowable.getSpaceAfter()

    def block(self, block) -> None:
        st = self.styles
        if isinstance(block, TextBlock):
            self.out.append(para(block.text, st["body"]))
        elif isinstance(block, ParagraphBlock):
            self.out.append(para(block.paragraph.text, st["lead"], lead=block.paragraph.lead))
        elif isinstance(block, CalloutBlock):
            self.callout(block.callout)
        elif isinstance(block, TableBlock):
            self.table(block.table)
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
        box = Table([[para(text, st["callout"])]], colWidths=[self.width - st.indent], hAlign="RIGHT")
        box.setStyle(self._style([
            ("BACKGROUND", (0, 0), (-1, -1), st.color("callout_fill")),
            ("LINEBEFORE", (0, 0), (0, -1), 3, st.color("callout_rule")),
            ("LEFTPADDING", (0, 0), (-1, -1), 10), ("RIGHTPADDING", (0, 0), (-1, -1), 10),
            ("TOPPADDING", (0, 0), (-1, -1), 8), ("BOTTOMPADDING", (0, 0), (-1, -1), 9)]))
        self.out += [box, Spacer(1, 4 * mm)]

    def table(self, spec: TableSpec) -> None:
        st = self.styles
        prob = spec.columns.index(spec.probability) if spec.probability else None
        header = [para(c, st["th_number" if i == prob else "th"]) for i, c in enumerate(spec.columns)]
        rows = []
        for row in spec.rows:
            cells = []
            for i, value in enumerate(row):
                if i == prob:
                    cells.append(para(f"{value:g}%", st["td_number"]))
                else:
                    cells.append(para(str(value), st["td_first" if i == 0 else "td"]))
            rows.append(cells)
        title = para(spec.title, st["subhead"])
        continued = para(f"{spec.title} (continued)", st["subhead"])
        data = [[title] + [""] * (len(spec.columns) - 1), header] + rows
        widths = self._column_widths(spec, prob)
        table = ContinuedTable(data, colWidths=widths, repeatRows=2, continued=continued)
        table.setStyle(self._table_style(spec, prob))
        # a short table moves whole to the next page rather than leave a row or two behind
        self.out.append(KeepTogether([table]) if len(spec.rows) <= KEEP_WHOLE_ROWS else table)
        if spec.source:
            self.out.append(para(f"Source: {spec.source}", st["source"]))
        self.out.append(Spacer(1, 4 * mm))

    def _column_widths(self, spec: TableSpec, prob: int | None) -> list[float]:
        """Column widths the way a browser lays out an auto table.

        A column whose longest cell fits in its fair share gets all it needs (labels never wrap
        needlessly); the others share what is left in proportion to how much they can shrink, and
        never below their longest word.
        """
        st = self.styles
        size, pad = st["td"].fontSize, 10.0
        low, high = [], []
        for i, name in enumerate(spec.columns):
            cells = [str(r[i]) if i != prob else f"{r[i]:g}%" for r in spec.rows]
            font = st["td_first" if i == 0 else "td"].fontName
            head = st["th"].fontName
            words = [stringWidth(w, head, size) for w in name.split()]
            words += [stringWidth(w, font, size) for c in cells for w in c.split()]
            low.append(max(max(words) + pad, 36.0))
            high.append(max([stringWidth(name, head, size)] + [stringWidth(c, font, size) for c in cells]) + pad)
        if sum(high) <= self.width:  # everything fits on one line: share the spare room
            return [h + (self.width - sum(high)) * h / sum(high) for h in high]
        fixed: dict[int, float] = {}
        while True:
            rest = [i for i in range(len(high)) if i not in fixed]
            fair = (self.width - sum(fixed.values())) / len(rest)
            more = {i: high[i] for i in rest if high[i] <= fair}
            if not more or len(more) == len(rest):
                fixed.update(more)
                break
            fixed.update(more)
        rest = [i for i in range(len(high)) if i not in fixed]
        room = self.width - sum(fixed.values())
        floor = sum(low[i] for i in rest)
        stretch = sum(high[i] - low[i] for i in rest) or 1.0
        widths = dict(fixed)
        for i in rest:
            widths[i] = (low[i] + (room - floor) * (high[i] - low[i]) / stretch if room >= floor
                         else room * low[i] / floor)
        return [widths[i] for i in range(len(high))]

    def _table_style(self, spec: TableSpec, prob: int | None) -> TableStyle:
        st = self.styles
        n = len(spec.columns)
        commands = [
            ("SPAN", (0, 0), (n - 1, 0)),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LEFTPADDING", (0, 0), (-1, -1), 4), ("RIGHTPADDING", (0, 0), (-1, -1), 4),
            ("TOPPADDING", (0, 1), (-1, -1), 3.5), ("BOTTOMPADDING", (0, 1), (-1, -1), 4),
            ("LEFTPADDING", (0, 0), (0, 0), 0), ("BOTTOMPADDING", (0, 0), (-1, 0), 4),
            ("LINEABOVE", (0, 1), (-1, 1), 1.2, st.color("ink")),
            ("LINEBELOW", (0, 1), (-1, 1), 0.6, st.color("ink")),
            ("LINEBELOW", (0, -1), (-1, -1), 1.0, st.color("ink")),
            ("ROWBACKGROUNDS", (0, 2), (-1, -1), [None, st.color("zebra")]),
        ]
        if prob is not None:
            for r, label in enumerate(spec.labels()):
                tone = spec.tones.get(label)
                if tone:
                    commands.append(("LINEBEFORE", (0, r + 2), (0, r + 2), 2.4, st.color(tone)))
        return self._style(commands)

    def figure(self, chart) -> None:
        st = self.styles
        self.figures += 1
        parts: list[Flowable] = [
            para(f"Figure {self.figures} — {chart.title}", st["figure_title"]),
            Spacer(1, 2),
            self.chart(chart),
        ]
        if chart.caption:
            parts.append(para(chart.caption, st["caption"]))
        parts.append(para(f"Source: {chart.source}", st["source"]))
        self.out += [KeepTogether(parts), Spacer(1, 5 * mm)]

    def numbered_list(self, block: ListBlock) -> None:
        st = self.styles
        rows = [[para(str(i), st["item_number"]),
                 [para(item.title, st["item_title"]), Spacer(1, 1), para(item.text, st["item_text"])]]
                for i, item in enumerate(block.numbered, start=1)]
        table = Table(rows, colWidths=[9 * mm, self.width - st.indent - 9 * mm], hAlign="RIGHT")
        table.setStyle(self._style([
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-1, -1), 0),
            ("TOPPADDING", (0, 0), (-1, -1), 5), ("BOTTOMPADDING", (0, 0), (-1, -1), 1),
            ("LINEBELOW", (0, 0), (-1, -2), 0.4, st.color("rule"))]))
        self.out += [table, Spacer(1, 3 * mm)]

    def faq(self, block: FaqBlock) -> None:
        st = self.styles
        for q in block.faq:
            self.out.append(KeepTogether([para(q.question, st["question"]), para(q.answer, st["body"])]))

    # -- end matter -----------------------------------------------------------------------
    def end_matter(self) -> None:
        """References, then the disclaimer, kept together so the last page is never the box alone."""
        first = self.references()
        box = self.disclaimer()
        if first is None:
            self.out += [Spacer(1, 6 * mm), KeepTogether([box])]
            return
        tail = self.out[first:]
        del self.out[first:]
        self.out.append(KeepTogether(tail + [Spacer(1, 6 * mm), box]))
        self.keep_heading(first)

    def references(self) -> int | None:
        refs = self.report.references
        if not refs:
            return None
        st = self.styles
        first = self.heading("References", None, "references")
        link = st.theme.color("link")
        for i, ref in enumerate(refs, start=1):
            after = ", ".join(x for x in (ref.publisher, ref.date and st.theme.format_date(ref.date)) if x)
            if ref.note:
                after = f"{after}. {ref.note}" if after else ref.note
            if ref.url:
                after = f"{after} {ref.url}" if after else ref.url
            self.out.append(linked(f"[{i}] {ref.title}", ref.url, st["reference"], color=link,
                                   after=f"— {after}" if after else ""))
        return first

    def disclaimer(self) -> Table:
        st = self.styles
        box = Table([[para(self.report.disclaimer, st["disclaimer"], lead="Disclaimer:")]],
                    colWidths=[self.width])
        box.setStyle(self._style([
            ("BOX", (0, 0), (-1, -1), 0.6, st.color("rule")),
            ("LEFTPADDING", (0, 0), (-1, -1), 8), ("RIGHTPADDING", (0, 0), (-1, -1), 8),
            ("TOPPADDING", (0, 0), (-1, -1), 6), ("BOTTOMPADDING", (0, 0), (-1, -1), 7)]))
        return box
