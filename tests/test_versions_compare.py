"""The semantic comparison of two versions of a report: what moved, what was added or removed."""

from __future__ import annotations

import json

from versions_repo import TEXT, edited

from report.input.load import load_text
from report.input.model import Report
from report.input.parse import validate_data
from report.versions.compare import compare, summary, terminal


def model(text: str = TEXT) -> Report:
    return validate_data(Report, *load_text("test.yaml", text))


def test_identical_versions_compare_empty():
    c = compare(model(), model(edited(as_of="2026-04-30")))
    assert c.empty
    assert summary(c) == [("No changes", "to figures, probabilities or text.")]
    assert "no changes" in terminal(c)


def test_stats_and_probabilities_moved():
    c = compare(model(), model(edited(stat="18.40%", bear=35, base=40)), "abc1234", "working copy")
    assert [(s.label, s.old, s.new) for s in c.stats] == [("1-year total return", "25.72%", "18.40%")]
    (scenarios,) = c.probabilities
    assert scenarios.id == "scenarios"
    assert [(m.label, m.old, m.new) for m in scenarios.moves] == [("Bear", 30, 35), ("Base", 45, 40)]
    lines = dict(summary(c))
    assert lines["RUT downside scenario matrix:"] == "Bear 30% → 35%, Base 45% → 40%"
    assert lines["Key figures:"] == "1-year total return 25.72% → 18.40%"
    assert "Bear: 30% -> 35%" in terminal(c)


def test_rows_items_and_faq_added_removed_reworded_renamed():
    new = (TEXT.replace("- [Trader, Use stop-losses and respect volatility, Liquidity and macro events]\n"
                         "            ", "")
           .replace("- title: Narrower breadth", "- title: Narrowing breadth")
           .replace("Balance-sheet fragility remains one of the most important",
                    "Balance-sheet fragility is still one of the most important")
           .replace("  - title: Russell 2000 Index chartbook",
                    "  - title: Credit spreads monitor\n  - title: Russell 2000 Index chartbook"))
    c = compare(model(), model(new))
    groups = {g.group: g for g in c.items}
    assert groups["Investor positioning table"].removed == ("Trader",)
    assert groups["Major Headwinds"].renamed == (("Narrower breadth", "Narrowing breadth"),)
    assert groups["FAQ"].reworded == ("What is the biggest structural risk?",)
    assert groups["References"].added == ("Credit spreads monitor",)
    lines = dict(summary(c))
    assert lines["Investor positioning table:"] == "removed “Trader”"
    assert lines["Major Headwinds:"] == "“Narrower breadth” renamed “Narrowing breadth”"
    assert lines["FAQ:"] == "1 entry reworded"


def test_prose_edits_are_named_by_section():
    new = TEXT.replace("It is a structural one.", "It is structural.").replace(
        "What would most clearly invalidate", "What would clearly invalidate")
    c = compare(model(), model(new))
    assert c.prose == ("Quick Answer", "Methodology and Invalidation")
    assert ("Text revised:", "Quick Answer, Methodology and Invalidation") in summary(c)


def test_json_is_plain_data():
    c = compare(model(), model(edited(as_of="2026-04-30", bull=20, base=50)))
    data = json.loads(json.dumps(c.to_json()))
    assert data["changed"] is True
    assert data["old"]["as_of"] == "2026-03-31" and data["new"]["as_of"] == "2026-04-30"
    assert data["probabilities"][0]["moves"] == [
        {"label": "Base", "old": 45.0, "new": 50.0, "old_text": "45%", "new_text": "50%"},
        {"label": "Bull invalidation", "old": 25.0, "new": 20.0, "old_text": "25%", "new_text": "20%"}]
    assert data["figures"] == []


def test_box_without_arrow_glyph_says_to():
    c = compare(model(), model(edited(bear=35, base=40)))
    assert summary(c, arrow="to")[0][1] == "Bear 30% to 35%, Base 45% to 40%"


def test_a_scenario_added_is_told_once_as_a_probability():
    new = TEXT.replace("improve sooner than expected, 25]",
                       "improve sooner than expected, 20]\n            - [Stagflation, Sideways with "
                       "inflation, Rates rise again, 5]")
    c = compare(model(), model(new))
    assert [(m.label, m.old, m.new) for m in c.probabilities[0].moves] == [
        ("Bull invalidation", 25, 20), ("Stagflation", None, 5)]
    assert c.items == ()
    assert summary(c)[0][1] == "Bull invalidation 25% → 20%, Stagflation new at 5%"
