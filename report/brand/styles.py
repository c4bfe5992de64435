"""Theme -> reportlab: registers the brand's TTF fonts and builds paragraph styles by role.

The only module that turns brand roles into reportlab objects; layout code asks for a style or a
colour by role name and never names a font, a size or a hex code.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from reportlab.lib.colors import HexColor
from reportlab.lib.enums import TA_LEFT, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.platypus import TableStyle

from report.brand.faces import register
from report.brand.look import FontFaces, Theme
from report.errors import Diagnostic, ExitCode, ReportError
from report.policy import POLICY

_SINGLE_LINES = int(POLICY.pages.min_lines < 2)  # a lone first or last line of a paragraph at a break

_REGISTERED: dict[Path, str] = {}


def _font_name(path: Path) -> str:
    """Register one TTF file once per process; its PostScript-style name is its file stem."""
    name = _REGISTERED.get(path)
    if name is None:
        name = f"{path.stem}"
        taken = set(_REGISTERED.values())
        while name in taken:
            name += "_"
        try:  # the brand check read this file table by table; this is the last line of defence
            register(name, path)
        except Exception as exc:
            raise ReportError([Diagnostic(str(path), 0, 0, f"'{path.name}' cannot be embedded "
                                          f"({type(exc).__name__}: {str(exc)[:80]})",
                                          hint="download the font file again")], ExitCode.BRAND_ERROR) from None
        _REGISTERED[path] = name
    return name


@dataclass(frozen=True)
class Faces:
    regular: str
    bold: str
    italic: str
    bold_italic: str


def register_family(faces: FontFaces) -> Faces:
    out = Faces(_font_name(faces.regular), _font_name(faces.bold), _font_name(faces.italic),
                _font_name(faces.bold_italic))
    pdfmetrics.registerFontFamily(out.regular, normal=out.regular, bold=out.bold,
                                  italic=out.italic, boldItalic=out.bold_italic)
    return out


class Styles:
    """Paragraph styles and colours for one theme, by role."""

    def __init__(self, theme: Theme):
        self.theme = theme
        self.indent = theme.text_indent_mm * mm  # running text's left indent; see Theme
        self.body_font = register_family(theme.body)
        self.head_font = register_family(theme.heading)
        self._styles = self._build()

    def color(self, role: str) -> HexColor:
        return HexColor(self.theme.color(role))

    def __getitem__(self, role: str) -> ParagraphStyle:
        return self._styles[role]

    def table_style(self, commands: list) -> TableStyle:
        """A table style that sets the brand's font first: reportlab opens every cell in Helvetica
        (a non-embedded base-14 font in the PDF) unless the style names another."""
        return TableStyle([("FONT", (0, 0), (-1, -1), self.head_font.regular, self.theme.sizes.table)]
                          + commands)

    def _build(self) -> dict[str, ParagraphStyle]:
        t, s = self.theme, self.theme.sizes
        body, head = self.body_font, self.head_font
        ink, muted, heading = self.color("ink"), self.color("muted"), self.color("heading")

        def style(name: str, **kw) -> ParagraphStyle:
            base = dict(fontName=body.regular, fontSize=t.body_size, leading=t.leading,
                        textColor=ink, alignment=TA_LEFT, allowWidows=_SINGLE_LINES, allowOrphans=_SINGLE_LINES)
            base.update(kw)
            return ParagraphStyle(name, **base)

        small = dict(fontSize=s.small, leading=round(s.small * 1.35, 2))
        table = dict(fontSize=s.table, leading=round(s.table * 1.3, 2))
        return {
            "body": style("body", spaceAfter=t.leading * 0.55, leftIndent=self.indent),
            "item_text": style("item_text", spaceAfter=t.leading * 0.3),
            "lead": style("lead", spaceAfter=t.leading * 0.55, leftIndent=self.indent),
            "callout": style("callout", fontSize=t.body_size * 1.05, leading=t.leading * 1.05),
            "title": style("title", fontName=head.bold, fontSize=s.title, leading=s.title * 1.15,
                           textColor=heading, spaceAfter=s.title * 0.35),
            "dek": style("dek", fontName=body.regular, fontSize=s.dek, leading=s.dek * 1.4,
                         textColor=ink, spaceAfter=s.dek * 0.6),
            "byline": style("byline", fontName=head.regular, textColor=muted, spaceAfter=10, **small),
            "kicker": style("kicker", fontName=head.bold, fontSize=s.small + 0.5, leading=s.small * 1.6,
                            textColor=self.color("accent"), spaceBefore=14),
            "section": style("section", fontName=head.bold, fontSize=s.section, leading=s.section * 1.25,
                             textColor=heading, spaceAfter=s.section * 0.5),
            "subheading": style("subheading", fontName=head.bold, leftIndent=self.indent,
                                fontSize=(s.section + s.subhead) / 2, leading=(s.section + s.subhead) / 2 * 1.25,
                                textColor=heading, spaceBefore=9, spaceAfter=3),
            "footnote": style("footnote", fontName=body.regular, textColor=ink, spaceBefore=1.5,
                              fontSize=s.small + 0.3, leading=(s.small + 0.3) * 1.3),
            "toc": style("toc", fontName=head.regular, textColor=ink, fontSize=t.body_size * 0.95,
                         leading=t.body_size * 1.45),
            "subhead": style("subhead", fontName=head.bold, fontSize=s.subhead,
                             leading=s.subhead * 1.3, textColor=heading, spaceBefore=6, spaceAfter=3,
                             keepWithNext=1),
            "item_title": style("item_title", fontName=head.bold, fontSize=s.subhead,
                                leading=s.subhead * 1.3, textColor=ink, keepWithNext=1),
            "item_number": style("item_number", fontName=head.bold, fontSize=s.section,
                                 leading=s.section * 1.1, textColor=self.color("accent")),
            "question": style("question", leftIndent=self.indent, fontName=head.bold, fontSize=s.subhead,
                              leading=s.subhead * 1.3, textColor=heading, spaceBefore=4, spaceAfter=2),
            "figure_title": style("figure_title", fontName=head.bold, fontSize=s.subhead,
                                  leading=s.subhead * 1.3, textColor=heading, spaceAfter=2),
            "caption": style("caption", fontName=body.italic, textColor=ink, spaceBefore=3,
                             fontSize=s.small + 0.7, leading=(s.small + 0.7) * 1.35),
            "source": style("source", fontName=head.regular, textColor=muted, spaceBefore=2, **small),
            "th": style("th", fontName=head.bold, textColor=ink, **table),
            "td": style("td", fontName=head.regular, textColor=ink, **table),
            "td_first": style("td_first", fontName=head.bold, textColor=ink, **table),
            "td_number": style("td_number", fontName=head.regular, textColor=ink, alignment=TA_RIGHT,
                               **table),
            "th_number": style("th_number", fontName=head.bold, textColor=ink, alignment=TA_RIGHT,
                               **table),
            "tile_label": style("tile_label", fontName=head.bold, textColor=muted, **small),
            "tile_value": style("tile_value", fontName=head.bold, fontSize=s.tile_value,
                                leading=s.tile_value * 1.15, textColor=heading),
            "tile_text": style("tile_text", fontName=head.bold, fontSize=s.tile_text or s.subhead + 1,
                               leading=(s.tile_text or s.subhead + 1) * 1.18, textColor=heading),
            "tile_source": style("tile_source", fontName=head.regular, textColor=muted,
                                 fontSize=s.small - 0.5, leading=(s.small - 0.5) * 1.3),
            "reference": style("reference", leftIndent=self.indent, fontSize=t.body_size * 0.95, leading=t.leading * 0.95,
                               spaceAfter=4),
            "disclaimer": style("disclaimer", fontName=head.regular, textColor=ink, **small),
            "masthead": style("masthead", fontName=head.bold, fontSize=s.subhead,
                              textColor=self.color("masthead_text")),
        }
