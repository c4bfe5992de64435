"""Where a long word may break: a URL, an identifier or a run of hyphenated words, cut into pieces
that each fit. Used by running text (report.text) and by chart labels (report.charts.fit); imports
nothing of the project's, so that the chart helper process stays light."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

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
