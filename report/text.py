"""The one door for text: every string from the input reaches reportlab through this module.

reportlab's Paragraph parses a small XML markup, so raw input such as `R&D`, `a < b` or `<b>` would
be mis-read (or, with `<img src=…>`, read files). Here input is always escaped first; the only markup
that ever reaches a Paragraph is the markup this module writes itself (bold lead-ins, links).
"""

from __future__ import annotations

from xml.sax.saxutils import escape as _xml_escape
from xml.sax.saxutils import quoteattr

from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Paragraph


def escape(text: str) -> str:
    """Input text as reportlab markup that prints exactly that text."""
    return _xml_escape(text).replace("\n", " ")


def para(text: str, style: ParagraphStyle, *, lead: str | None = None) -> Paragraph:
    """A paragraph of input text; `lead` (also input text) is set in bold before it."""
    markup = escape(text)
    if lead:
        markup = f"<b>{escape(lead)}</b> {markup}"
    return Paragraph(markup, style)


def linked(text: str, url: str | None, style: ParagraphStyle, *, color: str, after: str = "") -> Paragraph:
    """Input text that links to `url` (already validated as http(s) or mailto by the model)."""
    markup = escape(text)
    if url:
        markup = f"<a href={quoteattr(url)} color={quoteattr(color)}><u>{markup}</u></a>"
    if after:
        markup += f" {escape(after)}"
    return Paragraph(markup, style)
