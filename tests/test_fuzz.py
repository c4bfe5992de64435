"""Property tests: valid reports build into PDFs that say exactly what their input says; anything
else is refused with a located message and writes nothing. Never a traceback, never a half-written
file, and never a refusal of what is valid (a tool that refused everything fails most of these).

Two speeds. The loader + model path (what `report validate` does) runs a few thousand generated
documents; full renders (~1 s each) run a few dozen. The render generator makes reports that are
valid by construction (characters both brands' fonts draw, rows that fit on a page, numbers written
unquoted in number fields and sometimes in text fields), with either brand and either paper; each
built PDF is read back with readback.py (every word, table cell, number and date in order, chart
labels in their charts, drawn values where the numbers put them) and checked for foreign fonts.
At the end of a run the share of generated reports that built is printed, and must stay high.
CI runs are derandomized, so reproducible. A longer, random campaign:

    REPORT_FUZZ_EXAMPLES=20000 REPORT_FUZZ_RENDERS=500 python -m pytest tests/test_fuzz.py -s

Each input that ever broke the tool is kept under tests/data/fuzz/ and replayed by
`test_fuzz_corpus` (save a new one with the shrunk example hypothesis prints).
"""

from __future__ import annotations

import datetime as dt
import os
import re
import unicodedata
from collections import Counter
from contextlib import redirect_stderr, redirect_stdout
from io import StringIO
from pathlib import Path

import pikepdf
import pytest
import yaml
from hypothesis import HealthCheck, assume, event, given, settings
from hypothesis import strategies as st
from datapaths import paths
from pdfcheck import fonts_wrong
from readback import problems

from report.brand.theme import load_theme
from report.cli import main
from report.errors import ExitCode, ReportError
from report.input.load import load_text
from report.input.model import FOOTNOTE_CALL, Report
from report.input.parse import validate_data

DATA = Path(__file__).resolve().parent / "data"
CORPUS = DATA / "fuzz"
MINIMAL = DATA / "minimal.yaml"

_CAMPAIGN = "REPORT_FUZZ_EXAMPLES" in os.environ or "REPORT_FUZZ_RENDERS" in os.environ
FAST = int(os.environ.get("REPORT_FUZZ_EXAMPLES", "1000"))
RENDERS = int(os.environ.get("REPORT_FUZZ_RENDERS", "30"))
MIN_BUILT = 0.9  # of generated (valid) reports, the share that must reach a PDF

# Outcomes of this run, printed at the end of the session (conftest's pytest_terminal_summary).
STATS: dict[str, Counter] = {}


def _settings(examples: int):
    return settings(max_examples=examples, deadline=None, derandomize=not _CAMPAIGN, database=None,
                    print_blob=True, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                                            HealthCheck.filter_too_much])


def _located(message: str, file: str) -> bool:
    """Every line is a compiler-style diagnostic for `file`, or its hint."""
    lines = message.rstrip("\n").split("\n")
    pattern = re.compile(rf"^{re.escape(file)}(:\d+:\d+)?: error: \S")
    return bool(lines) and all(pattern.match(line) or line.startswith("  hint: ") for line in lines) \
        and pattern.match(lines[0]) is not None


def _check_or_refuse(text: str) -> Report | None:
    """Load + validate; a refusal must be a located ReportError, anything else is a bug."""
    try:
        data, smap = load_text("fuzz.yaml", text)
        return validate_data(Report, data, smap)
    except ReportError as exc:
        assert exc.code == ExitCode.INPUT_ERROR
        assert _located(str(exc), "fuzz.yaml"), str(exc)
        return None


def _count(test: str, outcome: str) -> None:
    STATS.setdefault(test, Counter())[outcome] += 1


# -- strategies ---------------------------------------------------------------------------------------
THEMES = {name: load_theme(name) for name in ("meridian", "harbor")}
# Letters, digits, punctuation and symbols that every face of both brands draws (no marks, controls
# or spaces: words are joined with plain spaces).
_PRINTABLE = "".join(chr(c) for c in sorted(frozenset.intersection(*(t.drawable for t in THEMES.values())))
                     if chr(c).isprintable() and not chr(c).isspace()
                     and unicodedata.category(chr(c))[0] not in "MCZ")
MARKUP = ["<b>", "</b>", "&", "&amp;", "&lt;", "a<b", "R&D", "<img src=/etc/passwd>",
          '<img src="file:///etc/passwd"/>', "<a href='javascript:alert(1)'>x</a>", "$x$", "$\\frac{1}{2}$",
          "%s", "%(x)s", "{0}", "\\n", "</para>", "<font name=Helvetica>", "&#x41;", "]]>", "<![CDATA[x",
          "<!-- c -->", "<br/>", "<super>2</super>", "&nbsp;", "“quoted”", "—", "–", "€", "≥", "×", "…"]
NUMERIC_TEXT = ["25.72%", "$0.967B", "1.10", "−3.1%", "0.89%", "+4 bp", "1,234", "2026", "Q1 2026",
                "30%", "45%", "1e15", "0x1F", "012", "1:30", "yes", "2026-03-31"]
OUTSIDE_FONTS = ["漢字", "🙂", "\u202e", "\u0640", "ℵ", "\U0001d400"]
# (a word that reads as a footnote call, `[^a]`, would call a note the report does not have)
WORD = st.text(alphabet=_PRINTABLE, min_size=1, max_size=10).filter(lambda w: not FOOTNOTE_CALL.search(w))
TOKEN = st.one_of(WORD, WORD, WORD, st.sampled_from(MARKUP), st.sampled_from(NUMERIC_TEXT))
PHRASE = st.lists(TOKEN, min_size=1, max_size=5).map(" ".join)
SENTENCE = st.lists(TOKEN, min_size=1, max_size=40).map(" ".join)
# A number written unquoted where text belongs: it prints as written (`1.10`, `-0.5`, `1e-05`).
TEXT_NUMBER = st.one_of(st.integers(-10**6, 10**6), st.floats(-1e6, 1e6, allow_nan=False).map(lambda f: round(f, 3)))
CELL = st.one_of(PHRASE, PHRASE, PHRASE, PHRASE, PHRASE, TEXT_NUMBER)
# Names printed inside a chart (row labels, line names) or a tile's value: short enough to fit there
LABEL = st.lists(WORD, min_size=1, max_size=2).map(" ".join).filter(lambda s: len(s) <= 12)
VALUE = st.one_of(st.sampled_from(NUMERIC_TEXT[:9]), st.text(alphabet=_PRINTABLE, min_size=1, max_size=7),
                  st.integers(-9999, 99999))
# Chart values: index levels, percentages, seven-digit levels (wide axis labels), and now and then a
# scale matplotlib writes with an offset ("1e9" above the axis).
NUMBER = st.one_of(st.integers(-10**7, 10**7), st.floats(-1e7, 1e7, allow_nan=False).map(lambda f: round(f, 2)),
                   st.sampled_from([0, 0.5, -0.5, 100, 1e9, -1e9, 123456789.123]))
# x labels: as months or years are, or longer ("September 2026"): the axis names every step-th one
X_LABEL = st.text(alphabet=_PRINTABLE, min_size=1, max_size=14)
DATE = st.dates(dt.date(1990, 1, 1), dt.date(2100, 1, 1))
TONE = st.sampled_from(["bear", "base", "bull", "neutral"])
ANY_SCALAR = st.one_of(st.text(max_size=30), st.integers(), st.floats(), st.booleans(), st.none(),
                       st.sampled_from(["yes", "NO", "on", "2026-13-45", "012", "1:30", ".inf", "~", "<<",
                                        "&a", "*a", "!!str", "- x", "a: b", "|", ">", "#", "---", "..."]))
ANY = st.recursive(ANY_SCALAR, lambda inner: st.one_of(st.lists(inner, max_size=4),
                                                        st.dictionaries(st.text(max_size=8), inner, max_size=4)),
                   max_leaves=20)


@st.composite
def shares(draw, n: int) -> list:
    """n probabilities summing to 100: whole percentages (ints), or tenths now and then."""
    scale = draw(st.sampled_from([1, 1, 10]))
    cuts = sorted(draw(st.lists(st.integers(0, 100 * scale), min_size=n - 1, max_size=n - 1)))
    parts = [b - a for a, b in zip([0] + cuts, cuts + [100 * scale])]
    return parts if scale == 1 else [p / 10 for p in parts]


@st.composite
def figure_columns(draw) -> tuple[dict, st.SearchStrategy]:
    """A column of figures ({name, format, ...}) and the cells it takes: numbers with no more
    decimals than it prints (unquoted), now and then a cell with no figure."""
    fmt = draw(st.sampled_from(["number", "percent", "pp", "bp", "currency"]))
    decimals = draw(st.integers(0, 3))
    column = {"name": draw(PHRASE), "format": fmt, "decimals": decimals}
    if draw(st.booleans()):
        column["signed"] = True
    if fmt == "currency":
        column["currency"] = draw(st.sampled_from(["$", "€", "£", "EUR"]))
    if fmt in ("number", "currency") and draw(st.booleans()):
        column["unit"] = draw(st.sampled_from(["B", "bn", "x", "GW", "bbl"]))
    value = st.floats(-1e6, 1e6, allow_nan=False).map(lambda f, d=decimals: round(f, d) if d else int(f))
    return column, st.one_of(value, value, value, value, st.sampled_from(["n/a", "—", "n.m."]))


@st.composite
def tables(draw, with_probability: bool):
    n_cols = draw(st.integers(1, 4)) + (1 if with_probability else 0)
    n_rows = draw(st.integers(1, 6))
    columns = draw(st.lists(PHRASE, min_size=n_cols, max_size=n_cols, unique=True))
    cells = [CELL] * n_cols
    for c in range(1, n_cols - (1 if with_probability else 0)):  # the first column names the rows
        if draw(st.integers(0, 2)) == 0:
            column, cells[c] = draw(figure_columns())
            columns[c] = {**column, "name": columns[c]}
    rows = [[draw(LABEL if with_probability else CELL)] + [draw(cells[c]) for c in range(1, n_cols)]
            for _ in range(n_rows)]
    table = {"title": draw(PHRASE), "columns": columns, "rows": rows}
    if with_probability:
        for row, share in zip(rows, draw(shares(n_rows))):
            row[-1] = share
        labels = list(dict.fromkeys(str(r[0]) for r in rows))
        tones = {label: draw(TONE) for label in labels if draw(st.booleans())}
        table.update(id=draw(st.from_regex(r"[a-z][a-z0-9-]{0,8}", fullmatch=True)),
                     probability=columns[-1] if isinstance(columns[-1], str) else columns[-1]["name"],
                     **({"tones": tones} if tones else {}))
    if draw(st.booleans()):
        table["source"] = draw(PHRASE)
    return table


# Bar values and scatter coordinates: labelled on the chart, so of a width a chart's labels take
SMALL = st.one_of(st.integers(-999, 9999), st.floats(-999, 999, allow_nan=False).map(lambda f: round(f, 1)))


def _names(draw, n: int) -> list[str]:
    """n series names, each once (they label the chart: the model refuses a name twice)."""
    return draw(st.lists(LABEL, min_size=n, max_size=n, unique=True))


@st.composite
def blocks(draw):
    kind = draw(st.sampled_from(["prose", "callout", "lead", "table", "odds", "lines", "numbered", "faq",
                                 "subheading", "bars", "band", "scatter"]))
    if kind == "subheading":
        return [{"subheading": draw(PHRASE)}]
    if kind == "bars":
        n = draw(st.integers(1, 6))
        names = _names(draw, draw(st.integers(1, 3)))
        chart = {"kind": "bars", "title": draw(PHRASE), "source": draw(PHRASE),
                 "categories": draw(st.lists(LABEL, min_size=n, max_size=n)),
                 "series": [{"name": name, "values": draw(st.lists(SMALL, min_size=n, max_size=n))} for name in names]}
        for key, strategy in (("horizontal", st.booleans()), ("stacked", st.booleans()), ("y_label", LABEL),
                              ("prefix", st.sampled_from(["$", "€"])), ("suffix", st.sampled_from(["%", "B", "bn"]))):
            if draw(st.booleans()):
                chart[key] = draw(strategy)
        return [{"chart": chart}]
    if kind == "scatter":
        n = draw(st.integers(1, 8))
        groups = draw(st.lists(LABEL, min_size=1, max_size=3, unique=True))
        points = [{"label": draw(LABEL), "x": draw(SMALL), "y": draw(SMALL)} for _ in range(n)]
        if draw(st.booleans()):
            for point in points:
                point["group"] = draw(st.sampled_from(groups))
        return [{"chart": {"kind": "scatter", "title": draw(PHRASE), "source": draw(PHRASE), "x_label": draw(LABEL),
                           "y_label": draw(LABEL), "points": points}}]
    if kind == "prose":
        return [draw(SENTENCE)]
    if kind == "callout":
        return [{"callout": draw(SENTENCE)}]
    if kind == "lead":
        return [{"lead": draw(PHRASE), "text": draw(SENTENCE)}]
    if kind in ("table", "odds"):
        table = draw(tables(kind == "odds"))
        out = [{"table": table}]
        if kind == "odds":
            chart = {"kind": "probabilities", "table": table["id"], "title": draw(PHRASE), "source": draw(PHRASE)}
            if draw(st.booleans()):
                chart["caption"] = draw(SENTENCE)
            out.append({"chart": chart})
        return out
    if kind in ("lines", "band"):
        n = draw(st.integers(2, 12))
        names = _names(draw, draw(st.integers(2 if kind == "band" else 1, 3)))
        series = [{"name": name, "tone": draw(TONE), "values": draw(st.lists(NUMBER, min_size=n, max_size=n))}
                  for name in names]
        x = draw(st.one_of(st.lists(X_LABEL, min_size=n, max_size=n),
                           st.integers(-50, 2000).map(lambda start: list(range(start, start + n)))))
        chart = {"kind": kind, "title": draw(PHRASE), "source": draw(PHRASE), "x": x, "series": series,
                 "illustrative": draw(st.booleans())}
        if kind == "band":
            chart["bands"] = [{"name": draw(LABEL), "low": names[0], "high": names[-1]}]
        elif draw(st.booleans()):
            chart["annotations"] = [{"x": x[-1], "series": names[0], "label": draw(LABEL)}]
        if draw(st.integers(0, 3)) == 0:  # (a mark's label is short: at most 80 characters, set in the plot)
            chart["reference_lines"] = [{"y": draw(st.sampled_from(series[0]["values"])), "label": draw(LABEL)}]
        for key, strategy in (("caption", SENTENCE), ("x_label", PHRASE), ("y_label", LABEL)):
            if draw(st.booleans()):
                chart[key] = draw(strategy)
        return [{"chart": chart}]
    if kind == "numbered":
        return [{"numbered": [{"title": draw(PHRASE), "text": draw(SENTENCE)}
                              for _ in range(draw(st.integers(1, 3)))]}]
    return [{"faq": [{"question": draw(SENTENCE), "answer": draw(SENTENCE)} for _ in range(draw(st.integers(1, 2)))]}]


@st.composite
def reports(draw) -> dict:
    sections = []
    for _ in range(draw(st.integers(1, 3))):
        section_blocks = [b for _ in range(draw(st.integers(1, 3))) for b in draw(blocks())]
        section = {"heading": draw(PHRASE), "blocks": section_blocks}
        if draw(st.booleans()):
            section["title"] = draw(SENTENCE)
        if draw(st.integers(0, 4)) == 0:
            section["numbered"] = False
        sections.append(section)
    ids = [b["table"]["id"] for s in sections for b in s["blocks"] if "table" in b and "id" in b["table"]]
    assume(len(ids) == len(set(ids)))
    stats = []
    for _ in range(draw(st.integers(1, 4))):
        stat = {"label": draw(PHRASE), "value": draw(VALUE), "tone": draw(TONE)}
        if draw(st.booleans()):
            stat["source"] = draw(PHRASE)
        if draw(st.booleans()):
            stat["date"] = draw(DATE).isoformat()
        stats.append(stat)
    refs = []
    for _ in range(draw(st.integers(0, 2))):
        ref = {"title": draw(PHRASE)}
        for key, strategy in (("publisher", PHRASE), ("date", DATE.map(dt.date.isoformat)), ("note", SENTENCE),
                              ("url", st.from_regex(r"https://example\.com/[a-z0-9/?=&%-]{0,20}", fullmatch=True))):
            if draw(st.booleans()):
                ref[key] = draw(strategy)
        refs.append(ref)
    dek = draw(st.one_of(SENTENCE, st.lists(SENTENCE, min_size=1, max_size=3)))  # a standfirst of paragraphs
    report = {"title": draw(PHRASE), "dek": dek, "as_of": draw(DATE).isoformat(),
              "key_stats": stats, "sections": sections, "references": refs, "disclaimer": draw(SENTENCE)}
    if draw(st.booleans()):
        report["author"] = draw(PHRASE)
    notes = _footnotes(draw, sections)
    if notes:
        report["footnotes"] = notes
    if draw(st.integers(0, 3)) == 0:
        report["disclaimer_position"] = "front"
    if draw(st.integers(0, 5)) == 0:
        report["status"] = "draft"
    return report


def _footnotes(draw, sections: list) -> dict[str, str]:
    """Calls `[^nK]` at the end of some paragraphs and callouts, and the notes they call."""
    notes: dict[str, str] = {}
    for section in sections:
        for i, block in enumerate(section["blocks"]):
            if (isinstance(block, str) or "callout" in block) and draw(st.integers(0, 2)) == 0:
                name = f"n{len(notes) + 1}"
                notes[name] = draw(SENTENCE)
                if isinstance(block, str):
                    section["blocks"][i] = f"{block}[^{name}]"
                else:
                    block["callout"] = f"{block['callout']}[^{name}]"
    return notes


class _Dumper(yaml.SafeDumper):
    """PyYAML writes YAML 1.1; the tool reads YAML 1.2, where a plain `0E0` or `.5e3` is a number. A
    generated string that YAML 1.2 reads as a number is quoted, so it stays the string it was."""


_NUMBER_LIKE = re.compile(r"[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?|[-+]?\.(inf|Inf|INF|nan|NaN|NAN)")


def _string(dumper, value: str):
    style = "'" if _NUMBER_LIKE.fullmatch(value) else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _string)


def _dump(data) -> str:
    return yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=100)


# -- the fast path: loader + model --------------------------------------------------------------------
@_settings(2 * FAST)
@given(st.text(alphabet=st.sampled_from(list(":-[]{}&*!|>'\"#%@`?,\t\n  ab1.~<=\\") + ["é", "—", "\x07",
                                                                                          "\ufeff", "\u2028"]),
               max_size=200))
def test_any_text_loads_or_is_refused_with_a_location(text):
    _count("any YAML text", "loaded" if _check_or_refuse(text) is not None else "refused")


@_settings(FAST)
@given(st.text(max_size=300))
def test_any_text_as_a_quoted_string_reads_back_exactly(text):
    """Whatever an author puts between quotes is the text that prints, as YAML reads it (PyYAML is the
    reference: a raw line break inside quotes folds to a space); only characters that cannot be
    printed (controls, surrogates) or text that is only white space are refused."""
    data = yaml.safe_load(MINIMAL.read_text(encoding="utf-8"))
    data["dek"] = text
    try:
        dumped = _dump(data)
    except yaml.YAMLError:
        assume(False)  # PyYAML cannot write it (a lone surrogate): nothing an editor would save
    meant = yaml.safe_load(dumped)["dek"]
    printable = meant.strip() and not any(unicodedata.category(c) in ("Cc", "Cs") and c != "\n" for c in meant)
    report = _check_or_refuse(dumped)
    _count("quoted text", "read back" if report is not None else "refused")
    if printable:  # a standfirst written as text is its one paragraph
        assert report is not None and report.dek == (meant,)
    else:
        assert report is None


@_settings(FAST)
@given(ANY)
def test_any_structure_under_an_unknown_key_is_refused_there(data):
    """The valid minimal report plus `extra: <anything>` is refused, and the first message points
    into the extra part (the key itself, or a mistake the loader finds inside it), never elsewhere."""
    base = yaml.safe_load(MINIMAL.read_text(encoding="utf-8"))
    assert _check_or_refuse(_dump(base)) is not None  # the control: without the extra key it is valid
    text = _dump({**base, "extra": data})
    assert _check_or_refuse(text) is None
    with pytest.raises(ReportError) as refused:
        validate_data(Report, *load_text("fuzz.yaml", text))
    first = refused.value.diagnostics[0]
    extra_line = text.splitlines().index(next(line for line in text.splitlines() if line.startswith("extra:"))) + 1
    assert first.line >= extra_line, str(refused.value)
    at_key = (first.line, first.column) == (extra_line, 1)
    if at_key:  # else a mistake the loader finds inside it first (an empty key, a duplicate key, ...)
        assert (first.path, first.message, first.hint) == ("extra", "unknown field", f"known fields: {KNOWN}"), \
            str(refused.value)
    _count("unknown key", "refused at the key" if at_key else "refused inside it")


KNOWN = ", ".join(Report.model_fields)


_BASE = yaml.safe_load(MINIMAL.read_text())
_BASE_PATHS = [p for p in paths(_BASE) if p]
# Text fields of the minimal report where any printable text (or a number, kept as written) is valid
FREE_TEXT = {("title",), ("dek",), ("key_stats", 0, "label"), ("key_stats", 0, "value"), ("key_stats", 0, "source"),
             ("sections", 0, "heading"), ("sections", 0, "blocks", 0), ("sections", 0, "blocks", 1, "table", "title"),
             ("sections", 0, "blocks", 1, "table", "columns", 0), ("sections", 0, "blocks", 1, "table", "rows", 0, 0),
             ("sections", 0, "blocks", 1, "table", "rows", 1, 0), ("sections", 0, "blocks", 2, "chart", "title"),
             ("sections", 0, "blocks", 2, "chart", "source"), ("references", 0, "title"), ("disclaimer",)}


BARE_BLOCK = {("sections", 0, "blocks", 0)}  # a bare number is not a paragraph (it is refused, located)


def _replace(data, path, value):
    if len(path) == 1:
        data[path[0]] = value
        return
    _replace(data[path[0]], path[1:], value)


def _attr(model, path):
    """The value at a YAML path, read off the validated model (a bare paragraph is a TextBlock; a
    standfirst written as text is a tuple of that one paragraph)."""
    for part in path:
        model = model[part] if isinstance(part, int) else getattr(model, part)
    if path == ("dek",):
        assert isinstance(model, tuple) and len(model) == 1, model
        return model[0]
    return getattr(model, "text", model)


def _get(data, path):
    for part in path:
        data = data[part]
    return data


@_settings(FAST)
@given(st.sampled_from(_BASE_PATHS),
       st.one_of(ANY.map(lambda v: ("any", v)), PHRASE.map(lambda v: ("text", v)),
                 TEXT_NUMBER.map(lambda v: ("number", v))), st.booleans())
def test_one_field_changed_validates_or_is_refused_with_a_location(path, value, drop):
    kind, value = value
    data = yaml.safe_load(MINIMAL.read_text())
    if drop and isinstance(path[-1], str):
        parent = _get(data, path[:-1])
        del parent[path[-1]]
        kind = "drop"
    else:
        _replace(data, path, value)
    report = _check_or_refuse(_dump(data))
    if (kind == "text" and path in FREE_TEXT) or (kind == "number" and path in FREE_TEXT - BARE_BLOCK):
        # any text (a number keeps the text it was written with) is valid in a text field
        assert report is not None, (path, value)
        shown = _attr(report, path)
        written = value if kind == "text" else yaml.safe_dump(value).removesuffix("\n...\n").strip()
        assert shown == written, (path, value, shown)
        _count("one field changed", "text accepted as written")
    else:
        _count("one field changed", "accepted" if report is not None else "refused")


@_settings(max(FAST // 5, 1))
@given(reports(), st.sampled_from(["meridian", "harbor"]))
def test_generated_reports_are_valid_for_both_brands(data, brand):
    """The render strategy makes valid reports: the model and the glyph check accept every one."""
    from report.brand.glyphs import check_glyphs

    loaded, smap = load_text("fuzz.yaml", _dump(data))
    validate_data(Report, loaded, smap)
    check_glyphs(loaded, smap, THEMES[brand])
    _count("generated reports", "valid")


@_settings(max(FAST // 10, 1))
@given(reports(), st.sampled_from(OUTSIDE_FONTS), st.sampled_from(["title", "dek", "disclaimer"]))
def test_a_character_outside_the_fonts_is_refused_by_name(data, char, field):
    from report.brand.glyphs import check_glyphs

    data[field] = f"{data[field]} {char}"
    loaded, smap = load_text("fuzz.yaml", _dump(data))
    validate_data(Report, loaded, smap)
    with pytest.raises(ReportError) as refused:
        check_glyphs(loaded, smap, THEMES["meridian"])
    assert refused.value.diagnostics[0].path == field and "no glyph for" in refused.value.diagnostics[0].message


# -- the slow path: full builds -------------------------------------------------------------------------
def _build(text: str, folder: Path, *args: str) -> tuple[int, str, Path]:
    source = folder / "fuzz.yaml"
    source.write_text(text, encoding="utf-8")
    out = folder / "out"
    err = StringIO()
    with redirect_stderr(err), redirect_stdout(StringIO()):
        code = main(["build", str(source), "-o", str(out), *args])
    return code, err.getvalue(), source


def _refused_cleanly(code: int, err: str, source: Path) -> None:
    assert code == ExitCode.INPUT_ERROR, err
    assert _located(err, str(source)), err
    out = source.parent / "out"
    assert not out.exists() or list(out.iterdir()) == []


def _outcome(code: int, err: str) -> str:
    if not code:
        return "built"
    first = err.split("\n")[0]
    return "refused: " + re.sub(r"^\S*: error: |'.*|[\d,]+", "", first)[:60].strip()


def test_generated_reports_build_and_read_back_exactly(tmp_path_factory):
    """Valid reports reach a PDF (at least MIN_BUILT of them) whose text, numbers, dates, charts and
    fonts match the input exactly; the few refused (a row or callout too tall) are refused cleanly."""
    outcomes = STATS.setdefault("rendered reports", Counter())

    @_settings(RENDERS)
    @given(data=reports(), brand=st.sampled_from(["meridian", "harbor"]), paper=st.sampled_from(["a4", "letter"]))
    def build_one(data, brand, paper):
        text = _dump(data)
        code, err, source = _build(text, tmp_path_factory.mktemp("fuzz"), "--brand", brand, "--paper", paper)
        outcome = _outcome(code, err)
        event(outcome)
        outcomes[outcome] += 1
        if code != ExitCode.OK:
            _refused_cleanly(code, err, source)
            return
        pdf = source.parent / "out" / "fuzz.pdf"
        with pikepdf.open(pdf) as doc:
            assert len(doc.pages) >= 1
        assert fonts_wrong(pdf, brand) == []
        model = validate_data(Report, *load_text(str(source), text))
        assert problems(pdf, model, THEMES[brand]) == []

    build_one()
    total = sum(outcomes.values())
    assert total and outcomes["built"] >= MIN_BUILT * total, dict(outcomes)


def test_too_tall_content_is_refused_with_its_place(tmp_path):
    """A table row taller than a page is the one valid-looking input the layout cannot place (a row
    never splits; callouts and paragraphs do: README, "A table row or list item taller than a page")."""
    data = yaml.safe_load(MINIMAL.read_text(encoding="utf-8"))
    long = ("A long cell that never ends. " * 180)[:5000]
    data["sections"][0]["blocks"].insert(0, {"table": {"title": "Tall", "columns": ["a", "b", "c", "d"],
                                                       "rows": [["x", long, long, long]]}})
    code, err, source = _build(_dump(data), tmp_path)
    _refused_cleanly(code, err, source)
    assert re.search(r"sections\[1\]\.blocks\[1\]\.table\.rows\[1\]: row 1 of table 'Tall' is [\d,]+ pt tall, "
                     r"more than a page can hold \([\d,]+ pt\)\n", err), err


def test_a_callout_longer_than_a_page_splits_and_reads_back(tmp_path):
    """The control of the one above: a callout of the same length is valid, and prints whole."""
    data = yaml.safe_load(MINIMAL.read_text(encoding="utf-8"))
    data["sections"][0]["blocks"].insert(0, {"callout": ("A long callout that never ends. " * 160)[:5000]})
    text = _dump(data)
    code, err, source = _build(text, tmp_path)
    assert code == ExitCode.OK, err
    pdf = source.parent / "out" / "fuzz.pdf"
    with pikepdf.open(pdf) as doc:
        assert len(doc.pages) >= 2
    assert problems(pdf, validate_data(Report, *load_text(str(source), text)), THEMES["meridian"]) == []


def _corpus():
    return sorted(CORPUS.glob("*.yaml"))


@pytest.mark.parametrize("path", _corpus(), ids=[p.stem for p in _corpus()])
def test_fuzz_corpus(path, tmp_path):
    """Every input that once broke the tool: it now builds, or is refused with a located message."""
    code, err, source = _build(path.read_bytes().decode("utf-8", errors="surrogateescape"), tmp_path)
    if code != ExitCode.OK:
        _refused_cleanly(code, err, source)
    else:
        assert fonts_wrong(source.parent / "out" / "fuzz.pdf", "meridian") == []
