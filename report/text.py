"""The one door for text: every string from the input reaches reportlab through this module.

reportlab's Paragraph parses a small XML markup, so raw input such as `R&D`, `a < b` or `<b>` would
be mis-read (or, with `<img src=…>`, read files). Here input is always escaped first; the only markup
that ever reaches a Paragraph is the markup this module writes itself (bold lead-ins, a reference's
italics and link).
"""

from __future__ import annotations

import re

from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Paragraph as _Paragraph

from report.input.model import FOOTNOTE_CALL
from report.wordbreak import break_word

class Paragraph(_Paragraph):
    """reportlab's Paragraph, remembering its last wrap. Platypus asks the same question again and
    again (a table wraps every cell each time it is measured, kept, split and drawn), and breaking
    the lines is most of a layout's time; the answer for the width last asked stands until a wrap
    at another width, or a split that drops the lines, makes it stale."""

    _wrapped_at: float | None = None

    def wrap(self, availWidth, availHeight):  # noqa: N803 - reportlab's signature
        if availWidth == self._wrapped_at and "blPara" in self.__dict__:
            return self.width, self.height
        result = super().wrap(availWidth, availHeight)
        self._wrapped_at = availWidth if "blPara" in self.__dict__ else None
        return result


def escape(text: str) -> str:
    """Input text as reportlab markup that prints exactly that text."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\n", " ")


def quoteattr(text: str) -> str:
    """Input text as a quoted XML attribute value (xml.sax.saxutils.quoteattr, whose module would
    import urllib, http and ssl)."""
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    text = text.replace("\n", "&#10;").replace("\r", "&#13;").replace("\t", "&#9;")
    if '"' not in text:
        return f'"{text}"'
    if "'" not in text:
        return f"'{text}'"
    return '"{}"'.format(text.replace('"', "&quot;"))


def breakable(text: str, style: ParagraphStyle, room: float) -> str:
    """Markup for `text` in which any word wider than `room` breaks into pieces that fit (a URL or an
    identifier never takes a table column's width from the others, nor runs out of its cell)."""
    def fits(piece: str) -> bool:
        return stringWidth(piece, style.fontName, style.fontSize) <= room

    words = re.split(r"(\s+)", text)
    return "".join(escape(w) if w.isspace() or fits(w) else "<br/>".join(map(escape, break_word(w, fits)))
                   for w in words)


NOTE_LINK = "#fn-"  # a footnote call links to its note: how the page finds the notes it must hold


def note_call(number: int) -> str:
    """The markup of a call of footnote `number`: a superscript number linked to the note."""
    return f'<super><a href="{NOTE_LINK}{number}">{number}</a></super>'


def para(text: str, style: ParagraphStyle, *, lead: str | None = None, room: float | None = None,
         notes: dict[str, int] | None = None) -> Paragraph:
    """A paragraph of input text; `lead` (also input text) is set in bold before it. With `room`, a word
    wider than that breaks inside (see `breakable`). With `notes` (name -> number), `[^name]` calls
    that footnote."""
    pieces = FOOTNOTE_CALL.split(text) if notes else [text]
    markup = ""
    for i, piece in enumerate(pieces):
        if i % 2:  # a call's name
            markup += note_call(notes[piece])
        else:
            markup += escape(piece) if room is None else breakable(piece, style, room)
    if lead:
        markup = f"<b>{escape(lead)}</b> {markup}"
    return Paragraph(markup, style)


def footnote(number: int, text: str, style: ParagraphStyle) -> Paragraph:
    """Footnote `number` as it prints at a page's foot: its number, then its text (the target of its
    calls' links)."""
    return Paragraph(f'<a name="{NOTE_LINK[1:]}{number}"/><super>{number}</super> {escape(text)}', style)


def citation(pieces: list[tuple[str, str]], style: ParagraphStyle, *, room: float, bullet: str,
             url: str | None = None, color: str = "") -> Paragraph:
    """A reference entry from input text in pieces, each (text, kind): kind "" is plain, "i" italic,
    "url" the link itself (validated as http(s) or mailto by the model), printed in full; a word
    wider than `room` breaks after / - _ . (see `breakable`). `bullet` (our own text, e.g. "[3]")
    hangs before it."""
    markup = []
    for text, kind in pieces:
        if kind == "url" and url:
            markup.append(f"<a href={quoteattr(url)} color={quoteattr(color)}>{breakable(text, style, room)}</a>")
        else:
            words = breakable(text, style, room)  # a long identifier in a title or note breaks too
            markup.append(f"<i>{words}</i>" if kind == "i" else words)
    return Paragraph("".join(markup), style, bulletText=bullet)
