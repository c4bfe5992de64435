"""Custom platypus flowables: outlined and balanced headings, tables that split by the policy and say
"(continued)", blocks kept together only while that costs no big gap, figures that float."""

from __future__ import annotations

from reportlab.platypus import Flowable, KeepTogether, Paragraph, Table
from reportlab.platypus.doctemplate import FrameBreak, NullActionFlowable

from report.policy import POLICY
from report.text import Paragraph as TextParagraph


class Balanced(TextParagraph):
    """A paragraph whose lines are balanced: wrapped at the narrowest width that needs no more lines,
    so a title or heading never ends with one word alone on its last line."""

    _balanced_at: float | None = None

    def wrap(self, availWidth, availHeight):  # noqa: N803 - reportlab's signature
        if availWidth == self._balanced_at and "blPara" in self.__dict__:
            return availWidth, self.height  # as balanced the last time (see report.text.Paragraph)
        self._balanced_at = None
        width, height = super().wrap(availWidth, availHeight)
        lines = len(self.blPara.lines)
        if lines < 2:
            self._balanced_at = availWidth
            return width, height
        low, high = availWidth * 0.5, availWidth
        while high - low > 2:
            mid = (low + high) / 2
            super().wrap(mid, availHeight)
            if len(self.blPara.lines) > lines:
                low = mid
            else:
                high = mid
        _, height = super().wrap(high, availHeight)
        self.width = availWidth  # drawn from the left of the whole column
        self._balanced_at = availWidth
        return availWidth, height


class Heading(Balanced):
    """A balanced paragraph that adds itself to the PDF outline (bookmarks) where it is drawn."""

    def __init__(self, markup: str, style, *, outline: str, level: int = 0, key: str):
        super().__init__(markup, style)
        self.outline, self.level, self.key = outline, level, key

    def draw(self):
        self.canv.bookmarkPage(self.key)
        self.canv.addOutlineEntry(self.outline, self.key, level=self.level, closed=False)
        pages = getattr(getattr(self.canv, "report_doc", None), "heading_pages", None)
        if pages is not None:  # for the table of contents
            pages[self.key] = self.canv.getPageNumber()
        super().draw()


class ContentsLine(Flowable):
    """A line of the table of contents: the heading's label, linked to it, and its page number (a
    form filled in once the layout knows it)."""

    def __init__(self, label: Paragraph, key: str, form: str):
        super().__init__()
        self.label, self.key, self.form = label, key, form

    def wrap(self, availWidth, availHeight):  # noqa: N803
        self.width = availWidth
        _, self.height = self.label.wrap(availWidth - 40, availHeight)
        return availWidth, self.height

    def draw(self):
        self.label.drawOn(self.canv, 0, 0)
        self.canv.saveState()
        self.canv.translate(self.width, self.height - self.label.style.fontSize)  # on the first line
        self.canv.doForm(self.form)
        self.canv.restoreState()
        self.canv.report_doc.toc_forms.add(self.form)
        self.canv.linkRect("", self.key, (0, 0, self.width, self.height), relative=1, thickness=0)


class ContinuedTable(Table):
    """A table whose first `repeatRows` rows repeat on every page it runs over, that splits only with
    at least the policy's minimum of body rows on each side (a last source row stays with them), and
    whose later parts may replace its first row (the title) with a "(continued)" line."""

    def __init__(self, *args, continued: Paragraph | None = None, repeatRows: int = 0,  # noqa: N803
                 source_row: bool = False, **kwargs):
        least = POLICY.pages.min_rows
        tail = least + (1 if source_row else 0)  # a source line under the table goes with its last rows
        super().__init__(*args, repeatRows=repeatRows, rowSplitRange=(repeatRows + least, -tail), **kwargs)
        self.continued = continued

    def grow_room(self) -> float:
        """How much taller its rows may together become (to fill a page that would end in a gap)."""
        return POLICY.pages.row_stretch * len(getattr(self, "_rowHeights", ()))

    def grow(self, points: float) -> None:
        extra = points / len(self._rowHeights)
        self._argH = [h + extra for h in self._rowHeights]
        self.wrap(self._width, 1e6)

    def split(self, availWidth, availHeight):  # noqa: N803 - reportlab's signature
        parts = super().split(availWidth, availHeight)
        for part in parts[1:]:
            part.continued = self.continued
            if self.continued is not None:  # a new row list: split parts share the original's rows
                part._cellvalues[0] = [self.continued] + list(part._cellvalues[0][1:])
        return parts


class Keep(KeepTogether):
    """Kept together on one page when it fits, or when moving it whole to the next page leaves no
    more than the policy's `keep_gap`; otherwise it splits where it stands, by its parts' rules."""

    def split(self, aW, aH):  # noqa: N803
        self.wrap(aW, aH)
        content = list(self._content)
        frame = getattr(self, "_frame", None)
        at_top = bool(getattr(frame, "_atTop", False))
        if self._H <= aH or at_top or aH > POLICY.pages.keep_gap:
            return [NullActionFlowable()] + content  # each part then fits or splits by its own rules
        return [FrameBreak()] + content


class Float(Flowable):
    """A figure (chart with its title, caption and source) as one block that the page template may
    move to the top of a later page, within its section, while the text after it fills the space
    (LaTeX's floats). It never splits."""

    forced = False  # its section ended: it goes here, or at the top of the next page

    def __init__(self, parts: list[Flowable]):
        super().__init__()
        self.parts = parts

    def fits(self, width: float, room: float, *, tight: bool = False) -> bool:
        """Whether the figure fits in `room`, its chart lowered as far as it may if it must (`tight`:
        further, at its section's end, where the alternative is to leave the section)."""
        chart = self._chart()
        if chart is not None:
            chart.height = chart.preferred
        height = self.wrap(width, room)[1]
        least = chart and (chart.tightest if tight else chart.least)
        if height <= room or chart is None or height - (chart.preferred - least) > room:
            return height <= room
        chart.height = chart.preferred - (height - room)
        self.wrap(width, room)
        return True

    def _chart(self) -> ChartBox | None:
        return next((p for p in self.parts if isinstance(p, ChartBox)), None)

    def grow_room(self) -> float:
        """How much taller its chart may become (to fill a page that would end in a gap)."""
        chart = self._chart()
        return max(chart.tallest - chart.height, 0.0) if chart else 0.0

    def grow(self, points: float) -> None:
        chart = self._chart()
        chart.height += points
        self.wrap(self.width, 1e6)

    def wrap(self, availWidth, availHeight):  # noqa: N803
        self._placed = []
        y = 0.0
        for i, part in enumerate(self.parts):
            y += part.getSpaceBefore() if i else 0
            _, h = part.wrap(availWidth, 1e6)
            self._placed.append((part, y + h))
            y += h + (part.getSpaceAfter() if i < len(self.parts) - 1 else 0)
        self.width, self.height = availWidth, y
        return availWidth, y

    def draw(self):
        for part, bottom in self._placed:
            part.drawOn(self.canv, 0, self.height - bottom)


class ChartBox(Flowable):
    """A chart's place: at its preferred height, or lower (down to its least height) when that lets
    its figure stand where it is written instead of floating away. It shows the PDF form that
    `place(height)` names (height None: the preferred one); the chart is drawn into that form once
    the layout is done, here or in the chart helper process."""

    def __init__(self, place, preferred: float, least: float, tightest: float, tallest: float):
        super().__init__()
        self._place, self.preferred, self.least = place, preferred, least
        self.tightest, self.tallest = tightest, tallest
        self.height = preferred

    def wrap(self, availWidth, availHeight):  # noqa: N803
        self.width = availWidth
        return availWidth, self.height

    def draw(self):
        self.canv.doForm(self._place(None if self.height == self.preferred else self.height))


class FloatBarrier(Flowable):
    """The end of a section: figures held back for a later page are placed before what follows
    (if that leaves no big gap; at the `final` barrier, after the last section, always)."""

    def __init__(self, final: bool = False):
        super().__init__()
        self.final = final

    def wrap(self, availWidth, availHeight):  # noqa: N803
        return 0, 0

    def draw(self):
        pass


class Rule(Flowable):
    """A full-width horizontal rule; at the top of a page it gives way to the running header's rule."""

    def __init__(self, color, thickness: float = 0.6, space_before: float = 0, space_after: float = 0):
        super().__init__()
        self.color, self.thickness = color, thickness
        self.spaceBefore, self.spaceAfter = space_before, space_after
        self.hidden = False

    def wrap(self, availWidth, availHeight):  # noqa: N803
        self.width = availWidth
        frame = getattr(getattr(getattr(self, "canv", None), "_doctemplate", None), "frame", None)
        self.hidden = bool(frame is not None and frame.id == "later" and frame._atTop)
        return availWidth, 0 if self.hidden else self.thickness

    def draw(self):
        if self.hidden:
            return
        self.canv.setStrokeColor(self.color)
        self.canv.setLineWidth(self.thickness)
        self.canv.line(0, 0, self.width, 0)
