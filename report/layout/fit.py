"""A layout that cannot be made -> the block of the input that explains it, located: a block too tall
for any page (reportlab's LayoutError), or a chart whose text cannot be set inside its box.

reportlab never splits a table row (nor a one-cell box such as a callout) across pages, so a row
taller than a page stops the build with a LayoutError that names only a Python object. Here the
failing build is explained in the author's terms: the table, the row and its YAML line. Nothing
runs unless a build has already failed, so normal builds pay nothing for it.
"""

from __future__ import annotations

import io

from reportlab.platypus import KeepTogether, Table

from report.errors import Diagnostic, ReportError, format_path
from report.layout.pages import ReportDoc
from report.layout.story import Story
from report.input.load import SourceMap
from report.input.model import ChartBlock, ImageBlock, ListBlock, Report, SubheadingBlock, TableBlock
from report.brand.styles import Styles

_WHAT = {"callout": "callout", "numbered": "numbered list item", "faq": "question"}


def _tables(flowables) -> list[Table]:
    out = []
    for f in flowables:
        if isinstance(f, KeepTogether):
            out += _tables(f._content)
        elif isinstance(f, Table):
            out.append(f)
    return out


def _too_tall(table: Table, width: float, height: float) -> list[tuple[int, float, float]]:
    """(row index after the repeated rows, row height, room on a page) for rows that cannot fit."""
    table.wrap(width, height)
    repeat = table.repeatRows if isinstance(table.repeatRows, int) else len(table.repeatRows)
    header = sum(table._rowHeights[:repeat])
    return [(r, h, height - header) for r, h in enumerate(table._rowHeights[repeat:])
            if h > height - header]


def _frame(styles: Styles, paper: str) -> tuple[float, float]:
    doc = ReportDoc(io.BytesIO(), styles, None, paper)
    frames = [f for t in doc.pageTemplates for f in t.frames]
    return doc.text_width, max(f._height - f._topPadding - f._bottomPadding for f in frames)


def _diagnostic(smap: SourceMap, path: tuple, message: str, hint: str) -> Diagnostic:
    line, col = smap.locate(path)
    return Diagnostic(smap.file, line, col, message, format_path(path), hint)


def _block_problems(report: Report, styles: Styles, smap: SourceMap, width: float, height: float):
    story = Story(report, styles, width, charts=None)
    for path, block in report.blocks_with_paths():
        if isinstance(block, (ChartBlock, ImageBlock, SubheadingBlock)):  # figures fit a page by construction
            continue
        story.out = []
        story.block(block)
        for table in _tables(story.out):
            for row, tall, room in _too_tall(table, width, height):
                if isinstance(block, TableBlock):
                    yield _diagnostic(
                        smap, path + ("table", "rows", row),
                        f"row {row + 1} of table '{block.table.title}' is {tall:,.0f} pt tall, more "
                        f"than a page can hold ({room:,.0f} pt)",
                        "a row never splits across pages: shorten its longest cell, or spread the "
                        "text over several rows")
                else:
                    kind = next((k for k in _WHAT if hasattr(block, k)), "")
                    where = path + ((kind, row) if isinstance(block, ListBlock) else (kind,))
                    yield _diagnostic(
                        smap, where, f"this {_WHAT.get(kind, 'block')} is {tall:,.0f} pt tall, more than a page "
                        f"can hold ({room:,.0f} pt)", "split its text over several blocks")


def _masthead_problems(report: Report, styles: Styles, smap: SourceMap, width: float, height: float):
    story = Story(report, styles, width, charts=None)
    story.key_stats()
    for table in _tables(story.out):
        for _, tall, room in _too_tall(table, width, height):
            yield _diagnostic(smap, ("key_stats",), f"the key-stat tiles are {tall:,.0f} pt tall, more "
                              f"than a page can hold ({room:,.0f} pt)", "shorten the tiles' labels "
                              "and values; a tile holds a figure and a few words")


def explain(report: Report, smap: SourceMap, styles: Styles, paper: str) -> ReportError | None:
    """The located reason a layout failed, or None when no input block explains it (a bug)."""
    width, height = _frame(styles, paper)
    problems = list(_masthead_problems(report, styles, smap, width, height))
    problems += _block_problems(report, styles, smap, width, height)
    return ReportError(problems) if problems else None


def explain_chart(report: Report, smap: SourceMap, exc) -> ReportError:
    """A chart whose text cannot be set inside its box, named with the text that does not fit."""
    spec = getattr(exc, "chart", None)
    path = next((p + ("chart",) for p, b in report.blocks_with_paths()
                 if isinstance(b, ChartBlock) and b.chart is spec), ())
    title = spec.title if spec is not None else "the probability history"
    return ReportError([_diagnostic(smap, path, f"chart '{title}': the text '{exc.text[:80]}' cannot be set "
                                    f"inside the chart ({exc.overflow:,.0f} pt over its edge)",
                                    "shorten that label or name")])
