"""Report model -> Digest (what the email says) -> the plain-text body.

What the email says comes from the same validated model as the PDF (title, dek, key stats, the quick
answer, the base case, the scenario probabilities, the disclaimer), so the summary cannot drift from
the report.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass

from report.brand.theme import Theme
from report.numbers import counted
from report.input.model import CalloutBlock, ChartBlock, ProbabilityChart, Report, TableBlock, TextBlock


@dataclass(frozen=True)
class Scenario:
    label: str
    probability: float
    tone: str
    outcome: str
    shown: str = ""  # the probability as the table prints it (report.numbers.format_number)


@dataclass(frozen=True)
class Digest:
    """What the email says, taken from the model: the front of the report in a few blocks."""

    brand: str
    title: str
    dek: str
    date_line: str
    label: str
    stats: tuple[tuple[str, str, str], ...]  # label, value, tone
    quick_title: str
    quick_text: str
    base_case: str
    scenarios_title: str
    scenarios: tuple[Scenario, ...]
    disclaimer: str
    attachment: str
    pages: int


def _quick_answer(report: Report) -> tuple[str, str]:
    section = next((s for s in report.sections if s.heading.casefold() == "quick answer"),
                   report.sections[0])
    text = next((b.callout for b in section.blocks if isinstance(b, CalloutBlock)), None)
    if text is None:
        text = next((b.text for b in section.blocks if isinstance(b, TextBlock)), "")
    return section.title or section.heading, " ".join(text.split())


def _scenario_table(report: Report):
    """The table a probability chart draws, else the first table with a probability column."""
    for _, block in report.blocks_with_paths():
        if isinstance(block, ChartBlock) and isinstance(block.chart, ProbabilityChart):
            return report.table(block.chart.table)
    return next((b.table for _, b in report.blocks_with_paths()
                 if isinstance(b, TableBlock) and b.table.probability), None)


def _scenarios(report: Report) -> tuple[str, tuple[Scenario, ...]]:
    table = _scenario_table(report)
    if table is None:
        return "", ()
    from report.numbers import format_number

    col = table.names.index(table.probability)
    fmt = table.formats()[col]
    rows = []
    for row in table.rows:
        outcome = " — ".join(str(c) for i, c in enumerate(row[1:], 1) if i != col)
        rows.append(Scenario(str(row[0]), float(row[col]), table.tones.get(str(row[0]), "neutral"),
                             outcome, format_number(float(row[col]), fmt)))
    return table.title, tuple(rows)


def _base_case(report: Report, scenarios: tuple[Scenario, ...]) -> str:
    row = next((s for s in scenarios if s.tone == "base"), None)
    if row is not None:
        return f"{row.label} ({row.shown}): {row.outcome}".rstrip(": ")
    stat = next((s for s in report.key_stats if s.tone == "base"), None)
    return f"{stat.label}: {stat.value}" if stat else ""


def digest(report: Report, theme: Theme, attachment: str, pages: int) -> Digest:
    title, rows = _scenarios(report)
    quick_title, quick_text = _quick_answer(report)
    return Digest(
        brand=theme.name, title=report.title, dek=" ".join(" ".join(p.split()) for p in report.dek),
        date_line=f"As of {theme.format_date(report.as_of)}",
        label=f"{theme.report_label} · {report.report_type}",
        stats=tuple((s.label, s.value, s.tone) for s in report.key_stats),
        quick_title=quick_title, quick_text=quick_text, base_case=_base_case(report, rows),
        scenarios_title=title, scenarios=rows,
        disclaimer=" ".join(report.disclaimer.split()), attachment=attachment, pages=pages)


def plain_body(d: Digest, greeting: str = "") -> str:
    def para(text: str, indent: str = "") -> str:
        return textwrap.fill(text, 72, initial_indent=indent, subsequent_indent=indent,
                             break_on_hyphens=False)

    out = [greeting, ""] if greeting else []
    out += [d.title, "=" * min(72, len(d.title)), f"{d.label} · {d.date_line}", "", para(d.dek), "",
           "KEY FIGURES"]
    out += [para(f"{label}: {value}", "  ") for label, value, _ in d.stats]
    out += ["", "QUICK ANSWER", para(d.quick_title), "", para(d.quick_text)]
    if d.base_case:
        out += ["", "BASE CASE", para(d.base_case)]
    if d.scenarios:
        out += ["", f"SCENARIO PROBABILITIES ({d.scenarios_title})"]
        width = max(len(s.label) for s in d.scenarios)
        out += [f"  {s.label:<{width}}  {s.shown:>4}  {'#' * round(s.probability / 5)}"
                for s in d.scenarios]
    out += ["", f"The full report ({counted(d.pages, 'page')}, PDF) is attached:", f"  {d.attachment}",
            "", "--", para(d.disclaimer), f"{d.brand}"]
    return "\n".join(out) + "\n"
