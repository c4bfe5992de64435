"""`--print-marks`: crop marks in a border around each trimmed page, with TrimBox and BleedBox set.

reportlab draws the marks when its doc template gets a `cropMarks` object; the page grows by the
border on every side and the content is moved, not scaled (reportlab's own `bleedWidth` would scale
the page up, changing the trim size, so it stays 0). The design keeps every mark at least 5 mm inside
the trim, so the declared 3 mm bleed is empty paper: nothing needs to extend past the trim line.
"""

from __future__ import annotations

from dataclasses import dataclass

from reportlab.lib.units import mm

BLEED = 3 * mm


@dataclass(frozen=True)
class PrintMarks:
    """What reportlab's canvas reads from `cropMarks` (its attribute names), plus the page boxes."""

    borderWidth: float = 12 * mm  # noqa: N815 - reportlab's attribute names
    markLength: float = 7 * mm  # noqa: N815 - marks stop 5 mm short of the trim, outside the bleed
    markWidth: float = 0.25  # noqa: N815
    markLast: bool = True  # noqa: N815 - marks drawn over the content
    bleedWidth: float = 0  # noqa: N815

    def set_boxes(self, canvas) -> None:
        """TrimBox and BleedBox on every page, in the enlarged page's coordinates."""
        width, height = canvas._pagesize
        bw = self.borderWidth
        canvas.setTrimBox((bw, bw, bw + width, bw + height))
        canvas.setBleedBox((bw - BLEED, bw - BLEED, bw + width + BLEED, bw + height + BLEED))
