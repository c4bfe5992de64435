"""Numbers as they print: how a figure of a formatted column prints (`format_number`, the one
function for it, shared by tables, the change box and `report diff`), and which values written as
text are figures (set right-aligned in tables and large in key-stat tiles).

A formatted number keeps every digit written: it is printed with its column's decimals, which are
never fewer than the author wrote (the model refuses a cell that would be rounded). Negatives carry a
true minus sign (U+2212); separators group thousands; units attach as research notes write them.
A value written as text is number-like when it reads as a figure with its sign, currency and unit:
`25.72%`, `$0.967B`, `-3.1 pp`, `+45 bp`, `1.2x`, `€3.4tn`, `(12.5)`, `n/a`.
"""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal
from typing import Protocol

MINUS = "\u2212"
NBSP = "\u00a0"  # between a number and a spaced unit (`12 bp`, `EUR 212B`): never broken apart
FORMATS = ("number", "percent", "pp", "bp", "currency")
MAX_DECIMALS = 6
NOT_AVAILABLE = ("—", "n/a", "n.m.")  # what a cell of a formatted column may hold instead of a number
# Scales and multiples follow the number directly ($4.2B, 3.4bn, 18.5x); any other unit after a space.
ATTACHED_UNITS = frozenset({"k", "K", "m", "M", "mn", "mm", "bn", "B", "b", "tn", "T", "trn", "x", "×"})
_SUFFIX = {"percent": "%", "pp": f"{NBSP}pp", "bp": f"{NBSP}bp"}


class Format(Protocol):
    """What a number's printing depends on (report.input.model.Column has these fields)."""

    format: str
    decimals: int | None
    signed: bool
    currency: str | None
    unit: str | None


def exact(value: float) -> Decimal:
    """The value as the author wrote it: a float's shortest round-trip digits (`0.1`, not 0.1000…01)."""
    return Decimal(repr(float(value)))


def needed_decimals(value: float) -> int:
    """The decimals a value needs to print every digit it has (`45.0` -> 0, `24.75` -> 2), at most
    MAX_DECIMALS: how a probability column without a format prints."""
    return min(max(0, -exact(value).normalize().as_tuple().exponent), MAX_DECIMALS)


def written_decimals(value) -> int:
    """The digits after the decimal point as written (`4.50` -> 2, `1e3` -> 0), from the YAML source
    when the loader kept it."""
    source = getattr(value, "source", None)
    try:
        number = Decimal(source) if isinstance(source, str) else exact(value)
    except ArithmeticError:
        number = exact(value)
    return max(0, -number.as_tuple().exponent) if number.is_finite() else 0


def format_number(value: float, fmt: Format) -> str:
    """One figure as it prints in its format: `−4.5%`, `+12 bp`, `$4.2B`, `1,234.50`, `EUR 212B`."""
    decimals = MAX_DECIMALS if fmt.decimals is None else fmt.decimals
    number = exact(value).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    digits = f"{abs(number):,.{decimals}f}"
    sign = MINUS if number < 0 else "+" if fmt.signed and number > 0 else ""
    prefix = ""
    if fmt.format == "currency" and fmt.currency:
        prefix = fmt.currency + (NBSP if fmt.currency[-1].isalpha() else "")
    suffix = _SUFFIX.get(fmt.format, "")
    if fmt.unit:
        suffix = fmt.unit if fmt.unit in ATTACHED_UNITS else NBSP + fmt.unit
    return f"{sign}{prefix}{digits}{suffix}"


def counted(n: int, noun: str, plural: str | None = None) -> str:
    """A count with its noun: `1 page`, `6 pages`, `2 copies`."""
    return f"{n} {noun if n == 1 else plural or noun + 's'}"


def is_negative(value: float, fmt: Format) -> bool:
    """Whether the value prints with a minus sign (a value that rounds to zero does not)."""
    return format_number(value, fmt).startswith(MINUS)


def decimal_anchor(text: str) -> int:
    """Where a printed figure is aligned: its decimal point, else the end of its digits."""
    point = text.find(".")
    if point >= 0:
        return point
    digits = [i for i, c in enumerate(text) if c.isdigit()]
    return digits[-1] + 1 if digits else len(text)

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
