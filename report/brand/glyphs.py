"""Glyph coverage: every character of an input must be drawable in every face of the brand's fonts.

Checked before rendering (and by `report validate`), so a missing glyph is a located error, never an
empty box on paper.
"""

from __future__ import annotations

from report.errors import Diagnostic, ReportError, format_path
from report.input.load import SourceMap
from report.brand.theme import Theme


def check_glyphs(data: dict, smap: SourceMap, theme: Theme) -> None:
    """Every character of the input must exist in the brand's fonts: never an empty box on paper."""
    usable = theme.drawable
    problems: list[Diagnostic] = []

    def walk(node, path: tuple) -> None:
        if isinstance(node, dict):
            for k, v in node.items():
                walk(v, path + (k,))
        elif isinstance(node, list):
            for i, v in enumerate(node):
                walk(v, path + (i,))
        elif isinstance(node, str):
            missing = sorted({c for c in node if ord(c) not in usable and c not in "\n\t"})
            if missing:
                file, line, col = smap.where(path)  # the YAML, or a data file's cell
                shown = ", ".join(f"'{c}' (U+{ord(c):04X})" if c.isprintable() and not c.isspace()
                                  else f"U+{ord(c):04X}" for c in missing[:5])  # never a bidi control
                problems.append(Diagnostic(file, line, col,
                                           f"the brand's fonts have no glyph for {shown}",
                                           format_path(path), "use another character, or a brand "
                                           "whose fonts cover it"))

    walk(data, ())
    if problems:
        raise ReportError(problems)
