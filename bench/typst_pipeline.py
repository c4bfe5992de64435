"""The reference pipeline for bench/bench.py: the same article through Typst, charts by matplotlib.

Usage: python bench/typst_pipeline.py INPUT.yaml [INPUT.yaml ...] -o FOLDER

What a team without this project would write: read the YAML (PyYAML, with libyaml when present),
draw each chart with a matplotlib Figure (no pyplot) as SVG, and set the article's text, key stats,
tables, lists, figures, references and disclaimer in Typst markup compiled by `typst.compile` (the
`typst` PyPI package, the `bench` extra) in the brand's fonts, with system fonts ignored. It checks
nothing and locates no error: it is only the pace to beat. Several inputs are built in one process,
the way `report build a.yaml b.yaml` builds them.
"""

from __future__ import annotations

import argparse
import io
import sys
import tempfile
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
BRAND = ROOT / "assets" / "brands" / "meridian"
FONT = "Lato"
NAVY, TEAL, INK, SLATE, RULE, MIST, ICE = ("#173A5E", "#2A9D8F", "#1E2328", "#5C6670", "#9AA3AB",
                                           "#EEF2F5", "#E3EEF0")
TONES = {"bear": "#B8323B", "base": "#C7841A", "bull": "#2F7D4E", "neutral": "#7A8590"}
DASHES = {"bear": (0, (5, 2.2)), "base": (0, (1.2, 1.6)), "bull": "solid", "neutral": (0, (6, 2, 1, 2))}
WIDTH_IN = (210 - 2 * 19) / 25.4  # the text width on A4 with the brand's 19 mm margins


def _text(value) -> str:
    """A YAML string as Typst content: markup characters escaped."""
    out = str(value)
    for c in "\\#*_`$<>@[]~=/":
        out = out.replace(c, "\\" + c)
    return out


def _mpl():
    import matplotlib

    matplotlib.rcdefaults()
    from matplotlib import font_manager
    from matplotlib.figure import Figure

    for face in sorted((BRAND / "fonts").glob("*.ttf")):
        font_manager.fontManager.addfont(str(face))
    matplotlib.rcParams.update({"font.family": [FONT], "font.size": 8, "axes.spines.top": False,
                                "axes.spines.right": False, "axes.grid": True, "grid.alpha": 0.35,
                                "svg.hashsalt": "report", "svg.fonttype": "path"})
    return Figure


def _svg(fig) -> bytes:
    out = io.BytesIO()
    fig.savefig(out, format="svg", metadata={"Date": None})
    return out.getvalue()


def line_chart(Figure, chart: dict) -> bytes:
    fig = Figure(figsize=(WIDTH_IN, 2.9))
    ax = fig.add_subplot()
    for s in chart["series"]:
        tone = s.get("tone", "neutral")
        ax.plot(chart["x"], s["values"], color=TONES[tone], linestyle=DASHES[tone], label=s["name"])
        ax.annotate(s["name"], (chart["x"][-1], s["values"][-1]), xytext=(4, 0),
                    textcoords="offset points", va="center", color=TONES[tone])
    ax.set_xlabel(chart.get("x_label", ""))
    ax.set_ylabel(chart.get("y_label", ""))
    ax.legend(frameon=False, loc="upper left")
    fig.tight_layout()
    return _svg(fig)


def bar_chart(Figure, chart: dict, tables: dict) -> bytes:
    table = tables[chart["table"]]
    column = table["columns"].index(table["probability"])
    labels = [row[0] for row in table["rows"]]
    values = [float(row[column]) for row in table["rows"]]
    colors = [TONES[table.get("tones", {}).get(x, "neutral")] for x in labels]
    fig = Figure(figsize=(WIDTH_IN, 0.45 * len(labels) + 0.8))
    ax = fig.add_subplot()
    bars = ax.barh(labels[::-1], values[::-1], color=colors[::-1])
    ax.bar_label(bars, labels=[f"{v:g}%" for v in values[::-1]], padding=3)
    ax.set_xlim(0, 100)
    fig.tight_layout()
    return _svg(fig)


def _table(t: dict) -> str:
    cols = len(t["columns"])
    cells = [f"[*{_text(c)}*]" for c in t["columns"]]
    cells += [f"[{_text(cell)}]" for row in t["rows"] for cell in row]
    return (f"#block(breakable: false)[*{_text(t['title'])}*]\n"
            f"#table(columns: {cols}, stroke: (y: 0.4pt + rgb(\"{RULE}\")), fill: (_, y) => if y == 0 "
            f"{{ rgb(\"{MIST}\") }}, inset: 5pt, {', '.join(cells)})\n")


def _block(block, tables: dict, figures: list, folder: Path, Figure) -> str:
    if isinstance(block, str):
        return _text(block) + "\n\n"
    if "callout" in block:
        return (f"#block(fill: rgb(\"{ICE}\"), stroke: (left: 3pt + rgb(\"{TEAL}\")), inset: 10pt, "
                f"width: 100%)[{_text(block['callout'])}]\n\n")
    if "lead" in block:
        return f"*{_text(block['lead'])}* {_text(block['text'])}\n\n"
    if "table" in block:
        return _table(block["table"])
    if "numbered" in block:
        return "".join(f"+ *{_text(i['title'])}* \\ {_text(i['text'])}\n" for i in block["numbered"]) + "\n"
    if "faq" in block:
        return "".join(f"=== {_text(q['question'])}\n{_text(q['answer'])}\n\n" for q in block["faq"])
    if "chart" in block:
        chart = block["chart"]
        svg = line_chart(Figure, chart) if chart.get("kind") == "lines" else bar_chart(Figure, chart, tables)
        name = f"chart-{len(figures) + 1}.svg"
        (folder / name).write_bytes(svg)
        figures.append(name)
        caption = _text(chart.get("caption", ""))
        return (f"#figure(image(\"{name}\", width: 100%), caption: [{_text(chart['title'])}. {caption} "
                f"Source: {_text(chart['source'])}])\n\n")
    return ""


def markup(article: dict, folder: Path, Figure) -> str:
    tables = {b["table"]["id"]: b["table"] for s in article["sections"] for b in s["blocks"]
              if isinstance(b, dict) and "table" in b and "id" in b["table"]}
    (folder / "logo.svg").write_bytes((BRAND / "logo.svg").read_bytes())
    out = [f"#set page(paper: \"a4\", margin: 19mm, footer: context [#text(size: 7.5pt, fill: rgb(\"{SLATE}\"))"
           f"[As of {article['as_of']} · For information only #h(1fr) Page #counter(page).display() of "
           f"#counter(page).final().first()]])\n",
           f"#set text(font: \"{FONT}\", size: 10.3pt, fill: rgb(\"{INK}\"))\n",
           "#set par(leading: 0.6em, justify: false)\n",
           f"#show heading: set text(fill: rgb(\"{NAVY}\"))\n",
           f"#block(fill: rgb(\"{NAVY}\"), width: 100%, inset: 8pt)[#box(image(\"logo.svg\", height: 10mm)) "
           f"#h(1fr) #text(fill: white)[*Meridian Research* · {_text(article['report_type'])}]]\n",
           f"#text(size: 23pt, weight: \"bold\", fill: rgb(\"{NAVY}\"))[{_text(article['title'])}]\n\n",
           f"#text(size: 11.5pt)[{_text(article['dek'])}]\n\n",
           f"#text(size: 7.5pt, fill: rgb(\"{SLATE}\"))[{_text(article.get('author', ''))} · {article['as_of']}]\n\n"]
    stats = article.get("key_stats", [])
    if stats:
        tiles = ", ".join(f"block(fill: rgb(\"{MIST}\"), inset: 6pt, width: 100%)[#text(size: 7.5pt)"
                          f"[{_text(s['label'])}] \\ #text(size: 16pt, weight: \"bold\")[{_text(s['value'])}] "
                          f"\\ #text(size: 7pt)[{_text(s['source'])}]]" for s in stats)
        out.append(f"#grid(columns: {min(len(stats), 4)}, gutter: 6pt, {tiles})\n\n")
    figures: list[str] = []
    for section in article["sections"]:
        out.append(f"#line(length: 100%, stroke: 1.2pt + rgb(\"{NAVY}\"))\n")
        out.append(f"#text(size: 8pt, fill: rgb(\"{TEAL}\"), weight: \"bold\")[{_text(section['heading'])}]\n")
        out.append(f"== {_text(section.get('title', ''))}\n\n")
        out += [_block(b, tables, figures, folder, Figure) for b in section["blocks"]]
    if article.get("references"):
        out.append("== References\n\n")
        for i, ref in enumerate(article["references"], start=1):
            out.append(f"[{i}] {_text(ref['title'])} — {_text(ref.get('publisher', ''))} "
                       f"{_text(ref.get('url', ''))}\n\n")
    if article.get("disclaimer"):
        out.append(f"#block(stroke: 0.6pt + rgb(\"{RULE}\"), inset: 8pt)[#text(size: 7.5pt)"
                   f"[*Disclaimer:* {_text(article['disclaimer'])}]]\n")
    return "".join(out)


def build(source: Path, out: Path, Figure) -> Path:
    import typst

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    article = yaml.load(source.read_text(encoding="utf-8"), Loader=loader)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        main = folder / "main.typ"
        main.write_text(markup(article, folder, Figure), encoding="utf-8")
        pdf = typst.compile(str(main), root=str(folder), font_paths=[str(BRAND / "fonts")],
                            ignore_system_fonts=True, timestamp=0)
    target = out / (source.stem + ".typst.pdf")
    target.write_bytes(pdf)
    return target


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("inputs", nargs="+", type=Path)
    ap.add_argument("-o", "--out", type=Path, required=True)
    a = ap.parse_args(argv)
    a.out.mkdir(parents=True, exist_ok=True)
    Figure = _mpl()
    for source in a.inputs:
        build(source, a.out, Figure)
    return 0


if __name__ == "__main__":
    sys.exit(main())
