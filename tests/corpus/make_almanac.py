"""Writes global-sector-almanac.yaml, the corpus's ~30-page report, from the sector notes below.  The YAML is committed; run this only to change it: `python tests/corpus/make_almanac.py`. Deterministic: the chart paths come from a seeded generator, so a rerun writes the same file. """

from __future__ import annotations

import random
from pathlib import Path

import yaml

OUT = Path(__file__).with_name("global-sector-almanac.yaml")
REGIONS = ["United States", "Euro area", "United Kingdom", "Japan", "Emerging Asia"]

# name, stance, what drives it (3), what could go wrong (2), sub-industries with a stance and why
SECTORS = [
    ("Energy", "Neutral",
     ["OPEC+ is returning idle barrels at a measured pace", "refining margins remain well above their ten-year average", "capital discipline keeps free-cash-flow yields near ten per cent"],
     ["a demand slowdown in China", "a faster unwinding of production cuts"],
     [("Integrated oils", "Overweight", "Dividends covered at $65 Brent"),
      ("Exploration and production", "Neutral", "Returns depend on the oil price"),
      ("Refining", "Overweight", "Diesel cracks remain strong"),
      ("Oilfield services", "Underweight", "Offshore orders peaking"),
      ("Midstream", "Neutral", "Stable fees, little growth")]),
    ("Materials", "Underweight",
     ["Chinese property construction is still contracting", "new copper supply is arriving late",
      "chemical producers face a glut of capacity built in 2021 and 2022"],
     ["a large Chinese stimulus package", "supply disruptions at major copper mines"],
     [("Copper miners", "Neutral", "Tight supply offsets weak demand"),
      ("Iron ore", "Underweight", "Steel output in China falling"),
      ("Commodity chemicals", "Underweight", "Overcapacity in Asia"),
      ("Industrial gases", "Overweight", "Contracted, inflation-linked revenue"),
      ("Gold miners", "Neutral", "Costs rising with the gold price")]),
    ("Industrials", "Overweight",
     ["grid and data-centre construction lifts electrical equipment orders", "aerospace backlogs stretch past 2030", "reshoring supports automation spending"],
     ["a slowdown in data-centre construction", "aircraft delivery delays from engine shortages"],
     [("Electrical equipment", "Overweight", "Orders running ahead of shipments"),
      ("Aerospace", "Overweight", "Record backlogs and pricing"),
      ("Machinery", "Neutral", "Agriculture and construction soft"),
      ("Transport", "Underweight", "Freight volumes flat"),
      ("Building products", "Neutral", "Renovation steady, new build weak")]),
    ("Consumer discretionary", "Neutral",
     ["real wage growth is positive in most developed markets", "travel spending keeps rising as a share of consumption", "inventories at retailers are lean"],
     ["a rise in unemployment", "tariffs on imported goods"],
     [("Travel and leisure", "Overweight", "Spending shifting to experiences"),
      ("Autos", "Underweight", "Price war in electric vehicles"),
      ("Apparel and luxury", "Neutral", "China demand uncertain"),
      ("E-commerce", "Overweight", "Margins expanding with scale"),
      ("Home furnishing", "Underweight", "Housing turnover low")]),
    ("Consumer staples", "Underweight",
     ["volume growth has stalled after two years of price increases", "private labels are taking share", "weight-loss drugs are starting to change snacking habits"],
     ["a recession that rewards defensive earnings", "a sharp fall in commodity input costs"],
     [("Beverages", "Neutral", "Pricing power intact"),
      ("Packaged food", "Underweight", "Volumes falling"),
      ("Household products", "Neutral", "Premium brands resilient"),
      ("Food retail", "Underweight", "Price competition"),
      ("Tobacco", "Neutral", "High yield, slow decline")]),
    ("Health care", "Overweight",
     ["obesity and diabetes treatments are the fastest-growing drug class on record", "medical device procedure volumes are above their pre-pandemic trend", "valuations are near a twenty-year low relative to the market"],
     ["drug pricing legislation", "patent expiries in the second half of the decade"],
     [("Pharmaceuticals", "Overweight", "Obesity franchise and pipelines"),
      ("Medical devices", "Overweight", "Procedure volumes strong"),
      ("Managed care", "Neutral", "Medical cost trend elevated"),
      ("Life-science tools", "Neutral", "Biotech funding recovering"),
      ("Biotechnology", "Neutral", "Binary pipeline risk")]),
    ("Financials", "Overweight",
     ["net interest margins have held up better than feared", "capital markets activity is recovering", "excess capital supports record buybacks"],
     ["a sharp fall in policy rates", "commercial real-estate losses"],
     [("Large banks", "Overweight", "Buybacks and stable margins"),
      ("Regional banks", "Neutral", "Commercial property exposure"),
      ("Insurance", "Overweight", "Pricing firm, investment income rising"),
      ("Asset managers", "Neutral", "Fee pressure offsets inflows"),
      ("Exchanges", "Overweight", "Volumes and data revenue")]),
    ("Information technology", "Overweight",
     ["accelerator and memory demand from AI data centres", "software spending is shifting to consumption-based models", "semiconductor inventories outside autos are lean"],
     ["a pause in hyperscaler capital spending", "tighter export controls"],
     [("Semiconductors", "Overweight", "AI demand still supply-limited"),
      ("Software", "Neutral", "Seat growth slowing"),
      ("IT services", "Underweight", "Automation pressure on pricing"),
      ("Hardware", "Neutral", "PC and phone cycle slow"),
      ("Semiconductor equipment", "Overweight", "Leading-edge capacity additions")]),
    ("Communication services", "Neutral",
     ["digital advertising is growing at double-digit rates", "streaming services have reached profitability", "telecom capital spending has peaked"],
     ["regulation of large platforms", "an advertising recession"],
     [("Interactive media", "Overweight", "Ad growth and AI monetisation"),
      ("Telecoms", "Neutral", "Capex falling, competition stable"),
      ("Entertainment", "Neutral", "Streaming margins improving"),
      ("Publishing", "Underweight", "Search traffic shifting to AI answers"),
      ("Towers", "Neutral", "Rates sensitivity")]),
    ("Utilities", "Neutral",
     ["power demand is rising for the first time in two decades", "regulated returns are being reset higher", "renewable build-out is accelerating"],
     ["higher long-term interest rates", "wildfire and storm liabilities"],
     [("Regulated electric", "Overweight", "Rate-base growth from grid spending"),
      ("Independent power", "Overweight", "Data-centre power contracts"),
      ("Gas utilities", "Neutral", "Stable, slow growth"),
      ("Water", "Neutral", "Defensive, fully valued"),
      ("Renewable developers", "Underweight", "Financing costs and permits")]),
    ("Real estate", "Underweight",
     ["office vacancies remain near record highs", "refinancing costs are far above the coupons being replaced", "transaction volumes are still depressed"],
     ["a fast fall in long-term rates", "a pickup in office leasing"],
     [("Data centres", "Overweight", "Demand exceeds new supply"),
      ("Logistics", "Neutral", "Rents flattening"),
      ("Offices", "Underweight", "Vacancies and refinancing"),
      ("Residential", "Neutral", "Supply peaking in the sun belt"),
      ("Retail property", "Neutral", "Occupancy stable")]),
]


def _words(text: str) -> str:
    return " ".join(text.split())


def section(rng: random.Random, name: str, stance: str, drivers, risks, subs, n: int) -> dict:
    drivers = [_words(d) for d in drivers]
    lower = name.lower()
    blocks: list = [
        f"Our stance on {lower} is {stance.lower()}. Three things shape the view: {drivers[0]}, "
        f"{drivers[1]}, and {drivers[2]}. None of them is new, but together they explain why "
        f"earnings revisions for the sector have been {'positive' if stance == 'Overweight' else 'mixed' if stance == 'Neutral' else 'negative'} "
        "for most of the past two quarters, and why we expect that pattern to continue into next "
        "year even if the broader market's revisions turn flat.",
        f"The first driver matters most. Because {drivers[0]}, the sector's revenue is tied less "
        "to the economic cycle than its history would suggest, and the companies best placed to "
        "benefit are those with pricing power and spare capacity. We prefer them to the "
        "higher-beta names that rallied hardest last year, whose valuations already assume the "
        "good news and leave little room for an operational stumble.",
        f"Valuations tell a more cautious story. The sector trades at {rng.randint(11, 26)} times "
        f"forward earnings against a ten-year median of {rng.randint(12, 22)}, and the gap between "
        "the cheapest and the most expensive quintile of stocks is wider than usual. That "
        "dispersion is an opportunity for stock pickers, but it also means that a sector-level "
        "allocation captures only part of the potential return.",
        f"Two risks would change our mind: {risks[0]}, and {risks[1]}. We monitor both through "
        "company guidance, channel checks and the monthly data, and we would move the stance one "
        "notch if either of them showed up in earnings revisions for more than a quarter.",
    ]
    blocks.append(
        f"Regional differences are large. In the United States the {lower} sector is dominated by "
        "a handful of large companies with global revenue, so its earnings track world demand more "
        "than domestic growth. In the euro area and the United Kingdom the sector is smaller, more "
        "domestic and more exposed to regulation, while in Japan and emerging Asia it is a mix of "
        "exporters and local champions whose fortunes depend on the currency as much as on demand. "
        "We therefore set the regional tilts separately from the sector stance.")
    blocks.append({"table": {
        "title": f"{name}: regional snapshot",
        "columns": ["Region", "Share of global sector", "Forward P/E", "Our tilt"],
        "rows": [[r, f"{rng.uniform(4, 45):.0f}%", f"{rng.uniform(9, 27):.1f}x",
                  rng.choice(["Prefer", "Neutral", "Avoid"])] for r in REGIONS[:4]],
    }})
    blocks.append(
        "What is priced matters as much as what is likely. Consensus already expects earnings "
        f"growth of about {rng.randint(3, 15)} per cent for the sector next year, and the options "
        "market implies a range of outcomes that is narrower than the history of the sector "
        "would justify. A stance built on a better-than-consensus view therefore needs a catalyst, "
        "and for this sector we see the next two reporting seasons as the moments when the market "
        "will be forced to choose between the optimistic and the cautious readings of the data.")
    blocks.append({"table": {
        "id": f"sub-industries-{n}",
        "title": f"{name}: sub-industry views",
        "columns": ["Sub-industry", "Stance", "Why", "Twelve-month view"],
        "rows": [[s, st, why, rng.choice(["Earnings revisions positive", "Valuation support",
                                           "Wait for a better entry", "Margins at risk",
                                           "Dividend growth intact"])] for s, st, why in subs],
        "source": "Desk views; consensus estimates",
    }})
    months = [f"M{m}" for m in range(0, 13)]
    series = []
    for region in REGIONS[:3]:
        level, values = 100.0, []
        for _ in months:
            values.append(round(level, 1))
            level += rng.uniform(-3.5, 4.0)
        series.append({"name": f"{name}, {region}, relative to the regional market",
                       "values": values})
    blocks.append({"chart": {
        "kind": "lines",
        "title": f"{name}: relative performance by region over the past year",
        "caption": f"Total return of {lower} relative to each regional market, rebased to 100.",
        "source": "Index provider total-return data; desk calculations",
        "x_label": "Months ago (M0 = a year ago)", "y_label": "Relative return, rebased",
        "x": months, "series": series}})
    if n % 3 != 2:
        blocks.append({"numbered": [
            {"title": f"Watch {s.lower()}", "text": f"{why}. We rate it {st.lower()} and would "
             "revisit the view if the next two quarters of guidance move the other way."}
            for s, st, why in subs]})
    blocks.append(
        f"Flows and positioning complete the picture. Active funds are {rng.choice(['modestly', 'heavily', 'slightly'])} "
        f"{'overweight' if rng.random() > 0.5 else 'underweight'} {lower} against their benchmarks, and "
        "exchange-traded fund flows into the sector have been "
        f"{rng.choice(['steady', 'volatile', 'negative', 'strongly positive'])} over the past three months. "
        "Crowded positions tend to unwind abruptly on disappointing news, so we pay as much "
        "attention to who owns a stock as to what the company is likely to report, and we prefer "
        "to add to positions after a forced-selling episode rather than chase a rally.")
    blocks.append(f"In portfolios, we express the {lower} view through the sub-industries in the "
                  "table rather than through the sector as a whole, and we size positions so "
                  "that no single sub-industry contributes more than a quarter of the sector's "
                  "tracking error.")
    return {"heading": name, "title": f"{name}: {stance.lower()}, because {drivers[0]}",
            "blocks": blocks}


def appendix(rng: random.Random) -> dict:
    rows = []
    for region in REGIONS:
        for name, stance, *_ in SECTORS:
            rows.append([region, name, f"{rng.uniform(9, 28):.1f}x", f"{rng.uniform(-6, 18):+.1f}%",
                         rng.choice([stance, stance, "Neutral"])])
        rows.append([region, "All sectors", f"{rng.uniform(12, 21):.1f}x",
                     f"{rng.uniform(2, 11):+.1f}%", "Benchmark"])
    return {"heading": "Appendix", "title": "Valuation and earnings growth by region and sector",
            "numbered": False, "blocks": [
                "The table lists every region and sector we cover, sixty rows in all, with the "
                "forward multiple, expected earnings growth and our stance.",
                {"table": {"id": "valuation-grid", "title": "Valuation grid", "columns":
                           ["Region", "Sector", "Forward P/E", "EPS growth, 12m", "Stance"],
                           "rows": rows, "source": "Consensus estimates; desk views"}}]}


def scenarios() -> dict:
    return {"heading": "Scenarios", "title": "How the sector views fare in four macro scenarios",
            "blocks": [
                {"table": {"id": "macro-scenarios", "title": "Macro scenarios",
                           "columns": ["Scenario", "Growth", "Policy rates", "Sector winners", "Probability"],
                           "probability": "Probability",
                           "tones": {"Soft landing": "base", "Recession": "bear",
                                     "Reacceleration": "bull", "Stagflation": "bear"},
                           "rows": [
                               ["Soft landing", "Trend", "Gradual cuts", "Industrials, financials", 50],
                               ["Recession", "Negative", "Rapid cuts", "Health care, utilities", 20],
                               ["Reacceleration", "Above trend", "On hold", "Technology, energy", 20],
                               ["Stagflation", "Weak", "On hold", "Energy, staples", 10]]}},
                {"chart": {"kind": "probabilities", "table": "macro-scenarios",
                           "title": "Macro scenario probabilities",
                           "source": "Desk scenarios, not a forecast"}},
                "The sector stances are chosen to do well in the soft-landing scenario without "
                "losing heavily in a recession: the overweights in health care and financials "
                "balance the cyclical exposure of industrials and technology."]}


def main() -> None:
    rng = random.Random(20260115)
    sections = [{
        "heading": "Quick Answer",
        "title": "Stay overweight quality cyclicals and health care; underweight staples and property",
        "blocks": [
            {"callout": "Earnings growth is broadening beyond technology, but unevenly. We are "
             "overweight industrials, health care, financials and technology, neutral on five "
             "sectors, and underweight materials, consumer staples and real estate."},
            "This almanac collects our views on eleven sectors across the major regions. Each "
            "chapter sets out the stance, the drivers, the risks and the sub-industries we prefer, "
            "followed by a chart of relative performance by region. The appendix lists valuation "
            "and expected earnings growth for every region and sector we cover.",
        ]}]
    for n, (name, stance, drivers, risks, subs) in enumerate(SECTORS):
        sections.append(section(rng, name, stance, drivers, risks, subs, n))
    sections.append(scenarios())
    sections.append({"heading": "FAQ", "title": "Questions about the almanac", "blocks": [{"faq": [
        {"question": "How often is the almanac updated?",
         "answer": "Quarterly, with interim notes when a stance changes."},
        {"question": "Are the stances relative or absolute?",
         "answer": "Relative to a global equity benchmark weighted by market value."},
        {"question": "Why do some sub-industries disagree with their sector?",
         "answer": "Because the dispersion within sectors is often larger than between them; the "
                   "sub-industry views are where most of the active return comes from."}]}]})
    sections.append(appendix(rng))
    data = {
        "title": "Global Sector Almanac: Eleven Sectors, Five Regions, One Framework",
        "short_title": "Global sector almanac",
        "report_type": "Equity strategy · Global sectors",
        "as_of": "2026-01-15",
        "author": "Global equity strategy",
        "keywords": ["sectors", "global equities", "allocation", "valuation"],
        "dek": "A long-form reference: every sector's stance, drivers, risks and preferred "
               "sub-industries, with relative performance charts and a sixty-row valuation grid.",
        "key_stats": [
            {"label": "Overweights", "value": "4 sectors", "source": "Desk allocation", "tone": "bull"},
            {"label": "Underweights", "value": "3 sectors", "source": "Desk allocation", "tone": "bear"},
            {"label": "Global forward P/E", "value": "17.2x", "source": "Consensus estimates",
             "date": "2026-01-14"},
            {"label": "Global EPS growth, 2026", "value": "+9.8%", "source": "Consensus estimates",
             "date": "2026-01-14"},
        ],
        "sections": sections,
        "references": [{"title": "Global Industry Classification Standard",
                        "publisher": "MSCI and S&P Dow Jones Indices",
                        "url": "https://www.msci.com/our-solutions/indexes/gics"}],
        "disclaimer": "For professional investors only. Sector stances are relative views and "
                      "not recommendations to buy or sell any security.",
    }
    head = ("# yaml-language-server: $schema=../../schema/report.schema.json\n"
            "# Shape: the ~30-page report. Generated by make_almanac.py (edit that, then rerun it):\n"
            "# eleven long sector chapters, each with paragraphs, a 5-row table and a 3-series line\n"
            "# chart and a 4-row regional table, most with a numbered list; a four-scenario table and chart; a FAQ;\n"
            "# an unnumbered appendix with a 60-row, 5-column table that runs over several pages.\n")
    text = yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100)
    OUT.write_text(head + text.replace("as_of: '2026-01-15'", "as_of: 2026-01-15")
                   .replace("date: '2026-01-14'", "date: 2026-01-14"), encoding="utf-8")


if __name__ == "__main__":
    main()
