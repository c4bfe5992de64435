"""Which printed values are numbers: they are set right-aligned in tables and large in key-stat tiles,
while words are set as text. A value is number-like when it reads as a figure with its sign,
currency and unit: `25.72%`, `$0.967B`, `-3.1 pp`, `+45 bp`, `1.2x`, `€3.4tn`, `(12.5)`, `n/a`."""

from __future__ import annotations

import re

_NUMBER = re.compile(r"""
    [~≈<>≤≥]?\s*                      # approximately, at most …
    [(]?[+\-−±]?\s*                   # sign or accounting parenthesis
    (?:[$€£¥₹]|US\$|C\$|A\$|[A-Z]{3}(?=\s?\d))?\s*   # currency before (or its ISO code)
    \d[\d,.\u202f\u00a0']*            # digits with separators
    (?:\s*[-–]\s*\d[\d,.]*)?          # a range: 3-4, 3–4
    \s*(?:%|pp|bps?|bp|x|×|[kKmMbBtT](?:n|r?n)?|mn|bn|tn|mm|[$€£¥])?   # unit after
    [)]?\*?                           # closing parenthesis, footnote mark
    """, re.VERBOSE)
_NOT_AVAILABLE = {"n/a", "na", "n.a.", "—", "–", "-", "nm", "n.m."}


def is_number(text: str) -> bool:
    """True for a figure written with its sign, currency and unit (see the module's examples)."""
    value = text.strip()
    return bool(_NUMBER.fullmatch(value)) and len(value) <= 24


def is_number_column(cells: list[str]) -> bool:
    """A column whose every cell is a figure (or marks a figure as not available)."""
    figures = [c for c in cells if c.strip().lower() not in _NOT_AVAILABLE]
    return bool(figures) and all(is_number(c) for c in figures)
