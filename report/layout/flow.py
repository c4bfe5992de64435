"""How the story flows through the pages: figures that float, and pages that never end in a big gap.

Two rules of the policy live here, in the document template itself:
- Floats (LaTeX's figures): a figure that does not fit in the space left waits for the top of a
  later page while the text after it fills this one; waiting figures keep their order and are
  placed, at the latest, where their section ends (a FloatBarrier) — unless that would end the
  page in a big gap: then they open the next page, and the next section's start fills this one.
- Flush bottom, within limits: the flowables of a page are positioned first and drawn when the page
  is complete. When a page that is not the last would end further than the policy's largest gap
  above its frame's foot, the spaces between its blocks grow (never the lines of a paragraph or
  the rows of a table), each by at most the policy's stretch, so that it ends near the target.
"""

from __future__ import annotations

from reportlab.platypus import BaseDocTemplate, CondPageBreak, Frame, Paragraph, Spacer
from reportlab.platypus.doctemplate import ActionFlowable

from report.layout.flowables import Float, FloatBarrier, Heading, Rule
from report.policy import POLICY

_PAGES = POLICY.pages


class _Pending(list):
    """A page's positioned flowables, waiting to be drawn. Shared, never copied: reportlab deep-copies
    frames to measure things, and a copy must still add to the page's one list."""

    def __deepcopy__(self, memo):
        return self


class FlushFrame(Frame):
    """A frame that positions its flowables but leaves drawing them to the end of the page."""

    pending: _Pending | None = None

    def _add(self, flowable, canv, trySplit=0):  # noqa: N803 - reportlab's signature
        if self.pending is None:
            return super()._add(flowable, canv, trySplit)
        pending = self.pending

        def defer(canv, x, y, _sW=0):  # noqa: N803
            pending.append((flowable, canv, x, y, _sW))

        object.__setattr__(flowable, "drawOn", defer)  # this instance, this placing (Drawings guard setattr)
        try:
            return super()._add(flowable, canv, trySplit)
        finally:
            object.__delattr__(flowable, "drawOn")

    add = _add  # reportlab calls it by this name


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


def _shifts(entries: list, stretch: float) -> list[float]:
    """How far down each entry moves when the page's spaces share `stretch` points."""
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
    shifts, down = [], 0.0
    for g in grow:
        down += g
        shifts.append(down)
    return shifts


class FlowingDoc(BaseDocTemplate):
    """A document template whose frames are FlushFrames and whose story may hold Floats."""

    def build(self, flowables, filename=None, canvasmaker=None):
        self._held: list[Float] = []  # figures waiting for the top of a page
        self._pending = _Pending()
        for template in self.pageTemplates:
            for frame in template.frames:
                frame.pending = self._pending
        super().build(flowables, filename, canvasmaker)

    def handle_flowable(self, flowables):
        f = flowables[0]
        frame = getattr(self, "frame", None)
        if frame is None:  # before the first page begins
            return super().handle_flowable(flowables)
        if self._held and frame._atTop and not isinstance(f, ActionFlowable):
            flowables[0:0], self._held = self._held, []
            f = flowables[0]
        if isinstance(f, FloatBarrier):
            del flowables[0]
            room = frame._y - frame._y1p
            if self._held and (f.final or room <= _PAGES.max_gap or
                               self._held[0].fits(frame._getAvailableWidth(), room)):
                for held in self._held:
                    held.forced = True  # placed here, on this page or at the top of the next
                flowables[0:0], self._held = self._held, []
            return  # else they wait for the next page's top, rather than leave a big gap here
        if isinstance(f, Float) and not frame._atTop:
            fits = not self._held and f.fits(frame._getAvailableWidth(), frame._y - frame._y1p)
            if not fits:
                f.fits(frame._getAvailableWidth(), frame._aH)  # on a later page: its full height
                if not f.forced:
                    self._held.append(flowables.pop(0))
                    return
        super().handle_flowable(flowables)

    def handle_frameEnd(self, resume=0):  # noqa: N802 - reportlab's name
        """The page is full and more follows: stretch its spaces if it would end in a big gap."""
        frame = self.frame
        room = frame._y - frame._y1p
        gap = room + self._blank_tail()  # from the last ink, as a reader sees it
        self._draw_pending(min(room, gap - _PAGES.stretch_target) if gap > _PAGES.max_gap else 0.0)
        super().handle_frameEnd(resume)

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
        for (flowable, canv, x, y, sw), down in zip(entries, _shifts(entries, stretch)):
            type(flowable).drawOn(flowable, canv, x, y - down, _sW=sw)
