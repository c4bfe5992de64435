"""Page geometry and furniture: the first page's masthead band, running header and footer, page X of Y.

Branding lives here, in the page templates' onPage callbacks, never in the story.
"""

from __future__ import annotations

from dataclasses import dataclass

from reportlab.graphics import renderPDF
from reportlab.lib.pagesizes import A4, LETTER
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import NextPageTemplate, PageTemplate

from report.brand.logo import logo_drawing
from report.brand.styles import Styles
from report.layout.flow import FlowingDoc, FlushFrame

PAPERS = {"a4": A4, "letter": LETTER}
MASTHEAD_TOP = 11 * mm  # from the top edge to the masthead band
MASTHEAD_H = 16 * mm
MASTHEAD_GAP = 8 * mm  # between the band and the title
HEADER_GAP = 9 * mm  # room between the top edge and the text frame taken by the running header
FOOTER_Y = 9 * mm  # baseline of the footer text, well clear of the 5 mm unprinted edge


@dataclass(frozen=True)
class Furniture:
    """What the page furniture prints, all from the input and the brand."""

    brand: str
    label: str  # e.g. "Research · Market outlook"
    short_title: str
    date_line: str  # e.g. "As of March 31, 2026"
    disclaimer: str
    version: str = ""  # e.g. "rev 1a2b3c4"; empty when unknown
    draft: bool = False  # a DRAFT watermark on every page


MIN_FURNITURE_SIZE = 5.0  # points: furniture text shrinks to fit, down to this
WATERMARK_SIZE = 120  # points: the DRAFT across a draft's pages


def _fit(canvas, text: str, font: str, size: float, room: float) -> str:
    """Set the largest font size up to `size` at which `text` fits in `room`; shorten it only below
    the smallest size (furniture repeats the title and dates the pages already print in full)."""
    while size > MIN_FURNITURE_SIZE and stringWidth(text, font, size) > room:
        size -= 0.25
    while len(text) > 1 and stringWidth(text, font, size) > room:
        text = text[:-2].rstrip() + "…"
    canvas.setFont(font, size)
    return text


def toc_form(key: str) -> str:
    """The form that prints the page number of the heading `key` (in the table of contents)."""
    return f"TocPage-{key}"


def _label_form(page: int) -> str:
    return f"PageLabel{page}"


def _draw_logo(canvas, drawing, x: float, y: float, height: float, font: str) -> float:
    drawing.initialFontName = font  # else reportlab opens every drawing in Helvetica
    scale = height / drawing.height
    canvas.saveState()
    canvas.translate(x, y)
    canvas.scale(scale, scale)
    renderPDF.draw(drawing, canvas, 0, 0)
    canvas.restoreState()
    return drawing.width * scale


class ReportDoc(FlowingDoc):
    """A4 or Letter; the first page carries the masthead band, later pages the running header."""

    late_forms = None  # called with the canvas once the pages are laid out (report.build.Charts.define)

    def __init__(self, buffer, styles: Styles, furniture: Furniture, paper: str, *,
                 metadata: dict | None = None, crop_marks=None):
        self.styles, self.furniture = styles, furniture
        theme = styles.theme
        # Drawn before layout starts: a logo the renderer refuses is a brand error naming the file,
        # raised here rather than from inside reportlab's page callbacks (which rewrap exceptions).
        self.logo = logo_drawing(theme.logo)
        margin = theme.margin_mm * mm
        width, height = PAPERS[paper]
        super().__init__(buffer, pagesize=(width, height), leftMargin=margin, rightMargin=margin,
                         topMargin=margin, bottomMargin=margin, invariant=1, pageCompression=1,
                         cropMarks=crop_marks, **(metadata or {}),
                         # reportlab starts every page in Helvetica unless told otherwise
                         initialFontName=styles.body_font.regular)
        first_top = height - MASTHEAD_TOP - MASTHEAD_H - MASTHEAD_GAP
        first = FlushFrame(margin, margin, width - 2 * margin, first_top - margin,
                      id="first", leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
        later = FlushFrame(margin, margin, width - 2 * margin, height - 2 * margin, id="later",
                      leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
        self.addPageTemplates([
            PageTemplate("first", [first], onPage=self._first_page),
            PageTemplate("later", [later], onPage=self._later_page),
        ])

    @property
    def text_width(self) -> float:
        return self.width

    def story_start(self) -> list:
        return [NextPageTemplate("later")]

    def build(self, flowables, filename=None, canvasmaker=None):
        """Lay out once; each page's "Page X of Y" is a form filled in when Y is known."""
        self._doSave = 0
        self.heading_pages: dict[str, int] = {}  # outline key -> the page its heading is on
        self.toc_forms: set[str] = set()  # the page-number forms the table of contents draws
        super().build(flowables, filename, canvasmaker or Canvas)
        if self.late_forms is not None:  # the charts' forms, drawn now that the pages are known
            self.late_forms(self.canv)
        pages = self.page
        size = self.styles.theme.sizes.small
        for key, page in self.heading_pages.items():  # the contents' page numbers, now known
            if toc_form(key) not in self.toc_forms:
                continue
            toc = self.styles["toc"]
            self.canv.beginForm(toc_form(key), lowerx=-60, lowery=-5, upperx=5, uppery=20)
            self.canv.setFont(toc.fontName, toc.fontSize)
            self.canv.setFillColor(self.styles.color("ink"))
            self.canv.drawRightString(0, 0, str(page))
            self.canv.endForm()
        for n in range(1, pages + 1):
            self.canv.beginForm(_label_form(n), lowerx=-200, lowery=-10, upperx=10, uppery=20)
            self.canv.setFont(self.styles.head_font.bold, size)
            self.canv.setFillColor(self.styles.color("ink"))
            self.canv.drawRightString(0, 0, f"Page {n} of {pages}")
            self.canv.endForm()
        self.canv.save()

    def _first_page(self, canvas, doc) -> None:
        st, f = self.styles, self.furniture
        width, height = self.pagesize
        margin = self.leftMargin
        band_y = height - MASTHEAD_TOP - MASTHEAD_H
        canvas.saveState()
        canvas.setFillColor(st.color("masthead"))
        canvas.rect(margin, band_y, width - 2 * margin, MASTHEAD_H, stroke=0, fill=1)
        logo_h = MASTHEAD_H - 6 * mm
        logo_w = _draw_logo(canvas, self.logo, margin + 3 * mm, band_y + 3 * mm, logo_h,
                            st.head_font.regular)
        canvas.setFillColor(st.color("masthead_text"))
        text_y = band_y + MASTHEAD_H / 2 - 1.5 * mm
        left = margin + 6 * mm + logo_w
        right = width - margin - 4 * mm
        brand = _fit(canvas, f.brand, st.head_font.bold, st.theme.sizes.subhead + 2, (right - left) / 2)
        canvas.drawString(left, text_y, brand)
        room = right - left - stringWidth(brand, canvas._fontname, canvas._fontsize) - 6 * mm
        for text, y in ((f.label, text_y + 2.2 * mm), (f.date_line, text_y - 2.2 * mm)):
            canvas.drawRightString(right, y, _fit(canvas, text, st.head_font.regular,
                                                  st.theme.sizes.small + 0.5, room))
        canvas.restoreState()
        self._footer(canvas)

    def _later_page(self, canvas, doc) -> None:
        st, f = self.styles, self.furniture
        width, height = self.pagesize
        margin = self.leftMargin
        top = height - HEADER_GAP
        canvas.saveState()
        logo_h = 5 * mm
        logo_w = _draw_logo(canvas, self.logo, margin, top - logo_h + 1 * mm, logo_h,
                            st.head_font.regular)
        size = st.theme.sizes.small + 0.5
        left = margin + logo_w + 2.5 * mm
        canvas.setFillColor(st.color("muted"))
        brand = _fit(canvas, f.brand, st.head_font.regular, size, (width - margin - left) / 2)
        canvas.drawRightString(width - margin, top - 2.6 * mm, brand)
        room = width - margin - left - stringWidth(brand, canvas._fontname, canvas._fontsize) - 6 * mm
        canvas.setFillColor(st.color("heading"))
        canvas.drawString(left, top - 2.6 * mm, _fit(canvas, f.short_title, st.head_font.bold, size, room))
        canvas.setStrokeColor(st.color("rule"))
        canvas.setLineWidth(0.5)
        canvas.line(margin, top - 5.5 * mm, width - margin, top - 5.5 * mm)
        canvas.restoreState()
        self._footer(canvas)

    def _watermark(self, canvas) -> None:
        """DRAFT across the page, light, under the content (page callbacks draw before the story)."""
        st = self.styles
        width, height = self.pagesize
        canvas.saveState()
        canvas.setFillColor(st.color("rule"))
        canvas.setFillAlpha(0.35)
        canvas.setFont(st.head_font.bold, WATERMARK_SIZE)
        canvas.translate(width / 2, height / 2)
        canvas.rotate(52)
        canvas.drawCentredString(0, -WATERMARK_SIZE / 3, "DRAFT")
        canvas.restoreState()

    def _footer(self, canvas) -> None:
        if self.furniture.draft:
            self._watermark(canvas)
        st, f = self.styles, self.furniture
        width, _ = self.pagesize
        margin = self.leftMargin
        canvas.saveState()
        canvas.setStrokeColor(st.color("rule"))
        canvas.setLineWidth(0.5)
        canvas.line(margin, FOOTER_Y + 3.6 * mm, width - margin, FOOTER_Y + 3.6 * mm)
        canvas.setFillColor(st.color("muted"))
        left = " · ".join(x for x in (f.date_line, f.disclaimer, f.version) if x)
        n = canvas.getPageNumber()
        widest = f"Page {n} of {max(n, 99)}"  # the total is not known yet: leave room for two digits
        size = st.theme.sizes.small
        room = width - 2 * margin - stringWidth(widest, st.head_font.bold, size) - 4 * mm
        left = _fit(canvas, left, st.head_font.regular, size, room)
        canvas.drawString(margin, FOOTER_Y, left)
        canvas.saveState()
        canvas.translate(width - margin, FOOTER_Y)
        canvas.doForm(_label_form(n))
        canvas.restoreState()
        canvas.restoreState()
