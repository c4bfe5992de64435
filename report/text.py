"""The one door for text: every string from the input reaches reportlab through this module.

reportlab's Paragraph parses a small XML markup, so raw input such as `R&D`, `a < b` or `<b>` would
be mis-read (or, with `<img src=…>`, read files). Here input is always escaped first; the only markup
that ever reaches a Paragraph is the markup this module writes itself (bold lead-ins, a reference's
italics and link).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from xml.sax.saxutils import escape as _xml_escape
from xml.sax.saxutils import quoteattr

from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Paragraph

from report.input.model import FOOTNOTE_CALL

_BREAK_AFTER = re.compile(r"(?<=[-/_.,:;])(?=.)")  # where a long word may break, before any character


def break_word(word: str, fits: Callable[[str], bool]) -> Iterator[str]:
    """Pieces of `word` that each `fits`: cut after - / _ . first, at any character if it must.

    Joined, the pieces are the word itself: nothing is added or dropped.
    """
    piece = ""
    for part in _BREAK_AFTER.split(word):
        if fits(piece + part):
            piece += part
            continue
        if piece:
            yield piece
        piece = ""
        for ch in part:
            if piece and not fits(piece + ch):
                yield piece
                piece = ""
            piece += ch
    if piece:
        yield piece


def escape(text: str) -> str:
    """Input text as reportlab markup that prints exactly that text."""
    return _xml_escape(text).replace("\n", " ")


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
