"""Custom platypus flowables: outlined headings, key-stat tiles, tables that say "(continued)"."""

from __future__ import annotations

from reportlab.platypus import Flowable, Paragraph, Table


class Heading(Paragraph):
    """A paragraph that adds itself to the PDF outline (bookmarks) where it is drawn."""

    def __init__(self, markup: str, style, *, outline: str, level: int = 0, key: str):
        super().__init__(markup, style)
        self.outline, self.level, self.key = outline, level, key

    def draw(self):
        self.canv.bookmarkPage(self.key)
        self.canv.addOutlineEntry(self.outline, self.key, level=self.level, closed=False)
        super().draw()


class ContinuedTable(Table):
    """A table whose first row is its title; when it splits, later parts say "(continued)"."""

    def __init__(self, *args, continued: Paragraph | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.continued = continued

    def split(self, availWidth, availHeight):  # noqa: N803 - reportlab's signature
        parts = super().split(availWidth, availHeight)
        for part in parts[1:]:
            part.continued = self.continued
            if self.continued is not None:  # a new row list: split parts share the original's rows
                part._cellvalues[0] = [self.continued] + list(part._cellvalues[0][1:])
        return parts


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
