"""The semantic comparison of two versions of a report: what moved, what was added or removed."""

from __future__ import annotations

import datetime as dt
import json
import re
import textwrap

from conftest import ROOT
from versions_repo import TEXT, edited

from report.input.load import load_text
from report.input.model import Report
from report.input.parse import validate_data
from report.versions.compare import (MAX_NAMED, Comparison, Figure, Figures, Items, Move, Probabilities, Side,
                                     _keyed_changes, compare, summary, terminal)


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


def test_key_figures_keep_their_labels_as_written():
    """A label holding ': ' prints unchanged ('Yield: 10y', never 'Yield 10y:'), in each kind of line."""
    old = TEXT.replace("label: 1-year total return", 'label: "Return: 1 year"').replace(
        "label: Q1 2026 return", 'label: "Q1: return"')
    new = old.replace("value: 25.72%", "value: 18.40%").replace('label: "Q1: return"', 'label: "Q1: total"')
    lines = dict(summary(compare(model(old), model(new))))
    assert lines["Key figures:"] == "Return: 1 year 25.72% → 18.40%; Q1: total new, 0.89%; " \
                                    "Q1: return removed (was 0.89%)"
    assert "  Return: 1 year: 25.72% -> 18.40%" in terminal(compare(model(old), model(new)))


def test_the_readme_example_of_report_diff_is_what_it_prints():
    """README's `report diff` example, line for line (its first line's file name is the CLI's)."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    found = re.search(r"\n( *)```text\n(\1inputs/russell-2000-bear-case\.yaml: from .*?)\1```", readme, re.S)
    block = textwrap.dedent(found.group(2))
    april = edited(as_of="2026-04-30", stat="18.40%", bear=35, base=40).replace(
        "value: 0.89%", "value: -3.10%").replace("- title: Narrower breadth", "- title: Narrowing breadth").replace(
        "It is a structural one.", "It is a structural argument.")
    printed = terminal(compare(model(), model(april), "c815971", "working copy"))
    assert "inputs/russell-2000-bear-case.yaml: " + printed == block


def test_every_kind_of_change_in_the_terminal_and_the_box():
    """Moves, new and dropped rows, stats new and gone, items of each kind, charts and prose."""
    new = (edited(as_of="2026-04-30", stat="18.40%", bull=20)
           .replace("improve sooner than expected, 20]",
                    "improve sooner than expected, 20]\n            - [Stagflation, Sideways, Rates rise, 5]")
           .replace("  - label: Median market cap\n    value: $0.967B", "  - label: Median cap\n    value: $0.9B")
           .replace("- [Trader, Use stop-losses and respect volatility, Liquidity and macro events]\n            ", "")
           .replace("values: [100, 97, 95, 93, 90, 91, 88, 86, 87, 84, 83, 82, 81]",
                    "values: [100, 97, 95, 93, 90, 91, 88, 86, 87, 84, 83, 82, 80]")
           .replace("It is a structural one.", "It is structural."))
    c = compare(model(), model(new), "abc1234", "working copy")
    out = terminal(c)
    for line in ("from abc1234 (as of 2026-03-31) to working copy (as of 2026-04-30)\n",
                 "\nKey stats\n  1-year total return: 25.72% -> 18.40%\n  Median cap: new, $0.9B\n"
                 "  Median market cap: removed (was $0.967B)\n",
                 "\nProbabilities\n  RUT downside scenario matrix\n    Bull invalidation: 25% -> 20%\n"
                 "    Stagflation: new, 5%\n",
                 "\nInvestor positioning table\n  - Trader (removed)\n",
                 "\nChart data changed\n  Illustrative editorial chart for the Russell 2000 bear case and headwinds\n",
                 "\nProse edited\n  Quick Answer\n"):
        assert line in out, (line, out)
    lines = dict(summary(c))
    assert lines["RUT downside scenario matrix:"] == "Bull invalidation 25% → 20%, Stagflation new at 5%"
    assert lines["Key figures:"] == ("1-year total return 25.72% → 18.40%; Median cap new, $0.9B; "
                                     "Median market cap removed (was $0.967B)")
    assert lines["Investor positioning table:"] == "removed “Trader”"
    assert lines["Chart data updated:"] == "“Illustrative editorial chart for the Russell 2000 bear case and headwinds”"
    assert lines["Text revised:"] == "Quick Answer"
    assert list(lines)[:2] == ["RUT downside scenario matrix:", "Key figures:"]


def test_long_lists_are_cut_and_counted():
    side = Side("a", dt.date(2026, 1, 1))
    moves = tuple(Move(f"R{i}", float(i), float(i + 1)) for i in range(MAX_NAMED + 3))
    c = Comparison(side, side, probabilities=(Probabilities("T", "t", moves),),
                   items=(Items("G", added=tuple(f"n{i}" for i in range(MAX_NAMED + 2)),
                                removed=("gone",), reworded=("x", "y")),
                          Items("H", reworded=("z",), renamed=(("old", "new"),))))
    lines = dict(summary(c, arrow="to", quote=('"', '"')))
    assert lines["T:"] == "R0 0% to 1%, R1 1% to 2%, R2 2% to 3%, R3 3% to 4%, 2 more"
    assert lines["G:"] == 'added "n0", "n1", "n2", 2 more; removed "gone"; 2 entries reworded'
    assert lines["H:"] == '1 entry reworded; "old" renamed "new"'
    assert "  ~ old -> new (renamed)\n" in terminal(c) and "  + n4 (added)\n" in terminal(c)
    assert summary(Comparison(side, side)) == [("No changes", "to figures, probabilities or text.")]


def test_exactly_as_many_names_as_are_named_are_all_named():
    side = Side("a", dt.date(2026, 1, 1))
    c = Comparison(side, side, items=(Items("G", added=tuple(f"n{i}" for i in range(MAX_NAMED))),))
    assert dict(summary(c, quote=('"', '"')))["G:"] == "added " + ", ".join(f'"n{i}"' for i in range(MAX_NAMED))


def test_a_move_prints_its_values_as_the_table_prints_them():
    """A table of one-decimal probabilities prints 35.0%, and so does the box (never 35%)."""
    side = Side("a", dt.date(2026, 1, 1))
    moves = (Move("Bear", 30.5, 35.0, "30.5%", "35.0%"), Move("Base", None, 45.0, None, "45.0%"),
             Move("Bull", 24.5, None, "24.5%", None))
    c = Comparison(side, side, probabilities=(Probabilities("T", "t", moves),))
    assert summary(c)[0] == ("T:", "Bear 30.5% → 35.0%, Base new at 45.0%, Bull dropped (was 24.5%)")
    decimals = edited(bear="30.5", base="45", bull="24.5")
    moved = compare(model(decimals), model(decimals.replace("30.5]", "35.5]").replace("24.5]", "19.5]")))
    assert dict(summary(moved))["RUT downside scenario matrix:"] == "Bear 30.5% → 35.5%, Bull invalidation 24.5% → 19.5%"
    assert [(m.old_text, m.new_text) for m in moved.probabilities[0].moves] == [("30.5%", "35.5%"), ("24.5%", "19.5%")]
    whole = compare(model(edited(bear="30.5", base="45.0", bull="24.5")), model(edited(bear="35", base="40.0")))
    assert dict(summary(whole))["RUT downside scenario matrix:"] == (
        "Bear 30.5% → 35%, Base 45.0% → 40%, Bull invalidation 24.5% → 25%")


def test_an_entry_renamed_in_place_with_its_content_edited_is_a_rename():
    """Same place, a close name (difflib ratio at least 0.6), other content: renamed, not added and removed."""
    before = {"Rates": 1, "Narrower breadth": "old text", "Credit": 3}
    after = {"Rates": 1, "Narrowing breadth": "new text", "Credit": 3}
    assert _keyed_changes("G", before, after) == Items("G", renamed=(("Narrower breadth", "Narrowing breadth"),))
    at_the_bound = _keyed_changes("G", {"abcde": 1}, {"abcxy": 2})  # ratio exactly 0.6
    assert at_the_bound == Items("G", renamed=(("abcde", "abcxy"),))
    below = _keyed_changes("G", {"abcdef": 1}, {"abcxyz": 2})  # ratio 0.5
    assert below == Items("G", added=("abcxyz",), removed=("abcdef",))


def test_an_unrelated_entry_is_added_and_removed_not_renamed():
    """Another name in another place with other content; and tables, compared by title alone (their
    content 0), never count as the same content."""
    before = {"Rates": 1, "Breadth": "text", "Credit": 3}
    after = {"Rates": 1, "Credit": 3, "Liquidity": "other"}
    assert _keyed_changes("G", before, after) == Items("G", added=("Liquidity",), removed=("Breadth",))
    tables = _keyed_changes("Tables", {"Scenarios": 0, "Positioning": 0}, {"Scenarios": 0, "Flows": 0})
    assert tables == Items("Tables", added=("Flows",), removed=("Positioning",))
    assert _keyed_changes("G", {"A": 1}, {"A": 1, "B": 2}) == Items("G", added=("B",))


def test_the_terminal_text_whole_for_no_change_and_for_figures():
    """`report diff` as printed, every line and the final newline: no change, and a column of
    figures whose units keep a plain space, beside probabilities printed as their table prints them."""
    side_a, side_b = Side("c815971", dt.date(2026, 3, 31)), Side("working copy", dt.date(2026, 4, 30))
    assert terminal(Comparison(side_a, side_b)) == (
        "from c815971 (as of 2026-03-31) to working copy (as of 2026-04-30)\n"
        "no changes to key stats, probabilities, figures, items or prose\n")
    c = Comparison(side_a, side_b,
                   probabilities=(Probabilities("Scenarios", "s", (Move("Bear", 30.5, 35.0, "30.5%", "35.0%"),
                                                                   Move("Bull", None, 5.0, None, "5.0%"))),),
                   figures=(Figures("Spreads", "f", (Figure("HY", "Change", 12, -3, "+12\u00a0bp", "\u22123\u00a0bp"),
                                                     Figure("IG", "Change", 4, 5, "+4\u00a0bp", "+5\u00a0bp"))),))
    assert terminal(c) == (
        "from c815971 (as of 2026-03-31) to working copy (as of 2026-04-30)\n"
        "\nProbabilities\n  Scenarios\n    Bear: 30.5% -> 35.0%\n    Bull: new, 5.0%\n"
        "\nFigures\n  Spreads\n    HY, Change: +12 bp -> \u22123 bp\n    IG, Change: +4 bp -> +5 bp\n")


def test_each_kind_of_prose_is_named():
    """The title, a lead-in paragraph and the disclaimer each count as revised text, by name."""
    new = (TEXT.replace("Headwinds for Small-Caps", "Headwinds for Small Caps")
           .replace("weaken it.", "weaken the case.")
           .replace("does not provide personalized", "does not give personalized"))
    c = compare(model(), model(new))
    assert c.prose == ("Title", "Investor Positioning", "Disclaimer")
    assert ("Text revised:", "Title, Investor Positioning, Disclaimer") in summary(c)


def test_a_section_added_is_named_under_sections():
    new = TEXT.replace("  - heading: FAQ", "  - heading: Flows\n    blocks:\n      - text: Fund flows turned.\n"
                       "  - heading: FAQ")
    c = compare(model(), model(new))
    assert [(g.group, g.added) for g in c.items if g.group == "Sections"] == [("Sections", ("Flows",))]
    assert dict(summary(c))["Sections:"] == "added “Flows”"


def test_figure_moves_past_the_named_ones_are_counted():
    side = Side("a", dt.date(2026, 1, 1))

    def lines(n: int) -> str:
        moves = tuple(Figure(f"R{i}", "Yield", i, i + 1, f"{i}", f"{i + 1}") for i in range(n))
        return dict(summary(Comparison(side, side, figures=(Figures("F", "f", moves),)), arrow="to"))["F:"]

    named = "; ".join(f"R{i} Yield {i} to {i + 1}" for i in range(MAX_NAMED + 1))
    assert lines(MAX_NAMED + 1) == named
    assert lines(MAX_NAMED + 2) == named + "; 1 more"


def test_the_terminal_prints_old_probabilities_as_their_table_did():
    side = Side("a", dt.date(2026, 1, 1))
    c = Comparison(side, side, probabilities=(Probabilities("S", "s", (Move("Base", 45.0, 40.5, "45.0%", "40.5%"),)),))
    assert "    Base: 45.0% -> 40.5%\n" in terminal(c)
