"""Which characters a TrueType font can draw: its Unicode character map, as read by the font check.

`report validate` checks glyph coverage without importing reportlab; the map comes from the same
fontTools reading that checks the font (report.brand.assets), once per file content.
"""

from __future__ import annotations

from pathlib import Path

from report.brand.assets import font_facts


def codepoints(path: Path) -> frozenset[int]:
    """Code points `path` maps to a real glyph (not .notdef). Raises ValueError for a bad font."""
    facts = font_facts(Path(path).read_bytes())
    if isinstance(facts, str):
        raise ValueError(facts)
    return facts.codepoints
