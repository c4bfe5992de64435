"""How the story flows through the pages: figures that float, and pages that never end in a big gap.

Two rules of the policy live here, in the document template itself:
- Floats (LaTeX's figures): a figure that does not fit in the space left first lowers its chart
  (down to the policy's least height); if it still does not fit, it waits for the top of the next
  page while the text after it fills this one. Waiting figures keep their order and are placed, at
  the latest, where their section ends (a FloatBarrier), lowered further if that lets them stay on
  the page. Only when keeping them in their section would end the page in a big gap, and they all
  fit on the next page, do they open it, and the next section's start fills this one.
- Flush bottom, within limits: the flowables of a page are positioned first and drawn when the page
  is complete. When a page that is not the last would end further than the policy's largest gap
  above its frame's foot, the spaces between its blocks grow (never the lines of a paragraph or
  the rows of a table), each by at most the policy's stretch, then its charts, each up to its
  tallest height, then its table rows, each by a point or two, so that it ends near the target.
- The last page is never a stray line or two: when all that is left is that little, the last
  blocks of the page before go over with it.
"""

from __future__ import annotations

from reportlab.platypus import BaseDocTemplate, CondPageBreak, Frame, KeepTogether, Paragraph, Spacer, Table
from reportlab.platypus.doctemplate import ActionFlowable

from report.layout.flowables import Float, FloatBarrier, Heading, Rule
from report.policy import POLICY
from report.text import NOTE_LINK

_PAGES = POLICY.pages


class _Pending(list):
    """A page's positioned flowables, waiting to be drawn, and the footnotes they call. Shared, never
    copied: reportlab deep-copies frames to measure things, and a copy must still add to this list."""

    def __init__(self, notes: dict[int, Paragraph] | None = None):
        super().__init__()
        self.notes = notes or {}  # footnote number -> its paragraph
        self.placed: list[int] = []  # the notes this page prints at its foot
        self.done: set[int] = set()  # notes printed on an earlier page
        self.frame = None  # the frame of this page

    def __deepcopy__(self, memo):
        return self

    def new_calls(self, flowable) -> list[int]:
        """The notes `flowable` calls that no page holds yet."""
        if not self.notes:
            return []
        return [n for n in dict.fromkeys(calls(flowable)) if n not in self.placed and n not in self.done]

    def notes_height(self, numbers: list[int], width: float) -> float:
        """The room the notes `numbers` take at a page's foot, with the rule above them."""
        if not numbers:
            return 0.0
        return NOTE_GAP + sum(self.notes[n].wrap(width, 1e6)[1] + self.notes[n].getSpaceBefore()
                              for n in numbers)


NOTE_GAP = 9.0  # points above a page's footnotes, a short rule in the middle


class FlushFrame(Frame):
    """A frame that positions its flowables but leaves drawing them to the end of the page; its foot
    rises by the height of the footnotes its flowables call, so each note stands on its call's page."""

    pending: _Pending | None = None

    def _reset(self):
        super()._reset()
        self._y1p = self._y1 + self._bottomPadding  # a new page: no footnotes yet (reportlab keeps it)

    def _floor(self, numbers: list[int]) -> float:
        return self._y1 + self._bottomPadding + self.pending.notes_height(numbers, self._getAvailableWidth())

    def _add(self, flowable, canv, trySplit=0):  # noqa: N803 - reportlab's signature
        if self.pending is None:
            return super()._add(flowable, canv, trySplit)
        pending = self.pending
        pending.frame = self
        new = pending.new_calls(flowable)
        if new:
            self._y1p = self._floor(pending.placed + new)

        def defer(canv, x, y, _sW=0):  # noqa: N803
            pending.append((flowable, canv, x, y, _sW))

        object.__setattr__(flowable, "drawOn", defer)  # this instance, this placing (Drawings guard setattr)
        try:
            placed = super()._add(flowable, canv, trySplit)
        finally:
            object.__delattr__(flowable, "drawOn")
        if new:
            if placed:
                pending.placed += new
            else:
                self._y1p = self._floor(pending.placed)
        return placed

    add = _add  # reportlab calls it by this name

    def split(self, flowable, canv):
        new = self.pending.new_calls(flowable) if self.pending is not None else []
        if new:  # split as if all its notes were to stand here: the first part then surely fits
            self._y1p = self._floor(self.pending.placed + new)
        try:
            parts = super().split(flowable, canv)
        finally:
            if new:
                self._y1p = self._floor(self.pending.placed)
        if isinstance(flowable, (Paragraph, Table)):  # a kept block's parts are not a continuation
            for part in parts[1:]:
                object.__setattr__(part, "_continued", True)  # it runs on from the page before
        return parts


def _weight(before, after) -> float:
    """How much of a page's stretch the space between two neighbouring flowables takes."""
    if isinstance(after, Rule):
        return 3.0  # before a section: the most natural place for air
    if isinstance(before, (Rule, Heading)) or getattr(before, "_heading", False) or isinstance(after, Heading):
        return 0.0  # inside a heading, or between a heading and its first block
    if isinstance(before, Paragraph) and before.style.name == "question":
        return 0.0  # a question stays with its answer
    if isinstance(before, Spacer) and not isinstance(before, CondPageBreak):
        return 0.0  # the space after a block already took its share
    return 1.0


def _spaces(entries: list, stretch: float) -> list[float]:
    """The points added above each entry when the page's spaces share `stretch`."""
    real = [i for i, e in enumerate(entries) if not isinstance(e[0], (CondPageBreak, FloatBarrier))]
    weights = [0.0] * len(entries)
    for a, b in zip(real, real[1:]):
        weights[b] = _weight(entries[a][0], entries[b][0])
    grow = [0.0] * len(entries)
    open_ = [i for i, w in enumerate(weights) if w > 0]
    left = stretch
    while open_ and left > 0.01:  # share by weight, none over the policy's most; the rest to the others
        unit = left / sum(weights[i] for i in open_)
        for i in open_:
            grow[i] += min(weights[i] * unit, _PAGES.max_stretch - grow[i])
        left = stretch - sum(grow)
        open_ = [i for i in open_ if grow[i] < _PAGES.max_stretch - 1e-6]
    return grow


def _growth(entries: list, stretch: float) -> list[float]:
    """What the page's spaces could not take goes to its figures and tables: charts grow up to
    their tallest height, table rows by a point or two. The points each entry grows by."""
    room = [f.grow_room() if hasattr(f, "grow_room") else 0.0 for f, *_ in entries]
    total = sum(room)
    if total <= 0 or stretch <= 0:
        return [0.0] * len(entries)
    return [r * min(1.0, stretch / total) for r in room]


class FlowingDoc(BaseDocTemplate):
    """A document template whose frames are FlushFrames and whose story may hold Floats."""

    footnotes: dict[int, Paragraph] = {}  # the report's footnotes by number, set before building

    def build(self, flowables, filename=None, canvasmaker=None):
        self._held: list[Float] = []  # figures waiting for the top of a page
        self._story = flowables  # reportlab works through this list in place
        self._pending = _Pending(self.footnotes)
        for template in self.pageTemplates:
            for frame in template.frames:
                frame.pending = self._pending
        super().build(flowables, filename, canvasmaker)

    def handle_flowable(self, flowables):
        f = flowables[0]
        frame = getattr(self, "frame", None)
        if frame is None:  # before the first page begins
            return super().handle_flowable(flowables)
        width, room = frame._getAvailableWidth(), frame._y - frame._y1p
        if self._held and frame._atTop and not isinstance(f, ActionFlowable):
            at = 1 if getattr(f, "_continued", False) else 0  # after the paragraph that runs on here
            for waiting in flowables[at:at + 1]:  # moved here once already; the figures now go first
                if hasattr(waiting, "_postponed"):
                    del waiting._postponed
            flowables[at:at], self._held = self._held, []
            f = flowables[0]
        if isinstance(f, FloatBarrier):  # a figure stays in its section...
            del flowables[0]
            gap = room + self._blank_tail()
            all_next = sum(h.wrap(width, frame._aH)[1] for h in self._held) <= frame._aH
            if self._held and (f.final or gap <= _PAGES.max_gap or not all_next or  # as low as it may go
                               self._held[0].fits(width, room, tight=True)):
                for held in self._held:
                    held.forced = True
                flowables[0:0], self._held = self._held, []
            return  # ...unless that would end this page in a big gap: then they open the next page (all)
        if isinstance(f, Float) and not frame._atTop and not f.forced:
            if self._held or not f.fits(width, room):
                f.fits(width, frame._aH)  # on a later page: its full height
                self._held.append(flowables.pop(0))
                return
        super().handle_flowable(flowables)

    def handle_frameEnd(self, resume=0):  # noqa: N802 - reportlab's name
        """The page is full and more follows: give the last page enough to hold, then stretch this
        page's spaces if it would end in a big gap."""
        frame = self.frame
        self._feed_last_page(frame)
        room = frame._y - frame._y1p
        gap = room + self._blank_tail()  # from the last ink, as a reader sees it
        self._draw_pending(min(room, gap - _PAGES.stretch_target) if gap > _PAGES.max_gap else 0.0)
        super().handle_frameEnd(resume)

    def _feed_last_page(self, frame) -> None:
        """When all that is left would make a last page of a stray line or two, this page's last
        blocks go over with it (as many as keep this page within the largest gap)."""
        entries = self._pending
        if len(entries) < 2:
            return
        rest = _story_height(self._held + self._story, frame._getAvailableWidth(), _PAGES.last_page_min)
        if rest <= 0 or rest >= _PAGES.last_page_min:
            return
        gap = frame._y - frame._y1p + self._blank_tail()
        k = len(entries)
        while k > 1:
            k -= 1
            while k > 1 and _keeps_with_next(entries[k - 1][0]):
                k -= 1  # a heading goes with what follows it
            moved = _top(entries[k]) - frame._y
            if gap + moved > _PAGES.max_gap:
                return  # this page would end in a big gap instead
            if rest + moved >= _PAGES.last_page_min:
                break
        else:
            return
        self._story[0:0] = [e[0] for e in entries[k:]]
        frame._y = _top(entries[k])  # the page now ends above them
        del entries[k:]
        kept = {n for e in entries for n in calls(e[0])}
        entries.placed = [n for n in entries.placed if n in kept]  # notes go over with their calls

    def _blank_tail(self) -> float:
        """Space at the end of the page's flowables that holds no ink (spacers, space after)."""
        blank = 0.0
        for flowable, *_ in reversed(self._pending):
            if isinstance(flowable, Spacer):  # CondPageBreak and FloatBarrier are 0 high
                blank += getattr(flowable, "height", 0.0) if not isinstance(flowable, CondPageBreak) else 0.0
                continue
            return blank + flowable.getSpaceAfter()
        return blank

    def handle_pageEnd(self):  # noqa: N802
        self._draw_pending(0.0)  # the last page, or a page ended on purpose: drawn as laid out
        super().handle_pageEnd()

    def _draw_pending(self, stretch: float) -> None:
        entries = list(self._pending)
        self._pending.clear()
        self._draw_notes()
        spaces = _spaces(entries, stretch)
        growth = _growth(entries, stretch - sum(spaces))
        down = 0.0
        for (flowable, canv, x, y, sw), space, grow in zip(entries, spaces, growth):
            canv.report_doc = self  # reportlab drops canv._doctemplate before the last page is drawn
            down += space
            if grow:
                flowable.grow(grow)  # its top stays, its foot goes down
            down += grow
            type(flowable).drawOn(flowable, canv, x, y - down, _sW=sw)


    def _draw_notes(self) -> None:
        """The page's footnotes at its frame's foot, under a short rule, in the order called."""
        pending = self._pending
        frame = pending.frame
        if not pending.placed or frame is None:
            return
        width = frame._getAvailableWidth()
        canv = self.canv
        y = frame._y1 + frame._bottomPadding
        for number in reversed(pending.placed):
            note = pending.notes[number]
            _, h = note.wrap(width, 1e6)
            note.drawOn(canv, frame._x1 + frame._leftPadding, y)
            y += h + note.getSpaceBefore()
        canv.saveState()
        canv.setStrokeColor(self.styles.color("rule"))
        canv.setLineWidth(0.5)
        line = y + NOTE_GAP / 2 - 1
        canv.line(frame._x1 + frame._leftPadding, line, frame._x1 + frame._leftPadding + 40 * 72 / 25.4, line)
        canv.restoreState()
        pending.done.update(pending.placed)
        pending.placed = []


def calls(flowable) -> list[int]:
    """The footnote numbers a flowable calls, in order (a paragraph, or the cells of a table)."""
    if isinstance(flowable, Paragraph):
        lines = getattr(getattr(flowable, "blPara", None), "lines", None)
        frags = [w for line in lines for w in getattr(line, "words", ())] if lines else flowable.frags
        return [int(target[len(NOTE_LINK):]) for f in frags for _, target in (getattr(f, "link", None) or ())
                if isinstance(target, str) and target.startswith(NOTE_LINK)]
    if isinstance(flowable, (list, tuple)):
        return [n for item in flowable for n in calls(item)]
    if hasattr(flowable, "_cellvalues"):
        return [n for row in flowable._cellvalues for cell in row for n in calls(cell)]
    return []


def _keeps_with_next(flowable) -> bool:
    return (isinstance(flowable, (Rule, Heading, CondPageBreak)) or getattr(flowable, "_heading", False)
            or (isinstance(flowable, Paragraph) and flowable.style.name == "question"))


def _top(entry) -> float:
    """The top of a positioned flowable (its drawing position is its bottom)."""
    flowable, _, _, y, _ = entry
    return y + (getattr(flowable, "height", None) or getattr(flowable, "_height", 0.0) or 0.0)


def _story_height(flowables: list, width: float, enough: float) -> float:
    """The height of what is left of the story, counted up to `enough`."""
    total = 0.0
    for f in flowables:
        if isinstance(f, (ActionFlowable, CondPageBreak, FloatBarrier)):
            continue
        parts = f._content if isinstance(f, KeepTogether) else [f]
        for part in parts:
            total += part.wrap(width, 1e6)[1] + part.getSpaceBefore()
        if total >= enough:
            break
    return total
