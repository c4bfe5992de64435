"""Property tests: any input either builds a valid PDF holding every input string, or fails with a
located message and writes nothing. Never a traceback, never a half-written file.

Two speeds. The loader + model path (what `report validate` does) runs a few thousand generated
documents; full renders (~1 s each) run a few dozen. CI runs are derandomized, so reproducible.
A longer, random campaign:

    REPORT_FUZZ_EXAMPLES=20000 REPORT_FUZZ_RENDERS=500 python -m pytest tests/test_fuzz.py

Each input that ever broke the tool is kept under tests/data/fuzz/ and replayed by
`test_fuzz_corpus` (save a new one with the shrunk example hypothesis prints).
"""

from __future__ import annotations

import datetime as dt
import os
import re
from pathlib import Path

import pikepdf
import pytest
import yaml
from hypothesis import HealthCheck, assume, event, given, settings
from hypothesis import strategies as st

from pdfcheck import font_problems, page_texts, squash
from report.cli import main
from report.errors import ExitCode, ReportError
from report.input.load import load_text
from report.input.model import Report
from report.input.parse import validate_data

DATA = Path(__file__).resolve().parent / "data"
CORPUS = DATA / "fuzz"
MINIMAL = DATA / "minimal.yaml"

_CAMPAIGN = "REPORT_FUZZ_EXAMPLES" in os.environ or "REPORT_FUZZ_RENDERS" in os.environ
FAST = int(os.environ.get("REPORT_FUZZ_EXAMPLES", "1000"))
RENDERS = int(os.environ.get("REPORT_FUZZ_RENDERS", "30"))


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


# -- strategies ---------------------------------------------------------------------------------------

MARKUP = ["<b>", "</b>", "&", "&amp;", "&lt;", "a<b", "R&D", "<img src=/etc/passwd>",
          '<img src="file:///etc/passwd"/>', "<a href='javascript:alert(1)'>x</a>", "$x$", "$\\frac{1}{2}$",
          "%s", "%(x)s", "{0}", "\\n", "</para>", "<font name=Helvetica>", "&#x41;", "]]>", "<![CDATA[x",
          "<!-- c -->", "<br/>", "<super>2</super>", "&nbsp;", "“quoted”", "—", "–", "€", "≥", "×", "…"]
OUTSIDE_FONTS = ["漢字", "🙂", "\u202e", "\u0640", "ℵ", "\U0001d400"]
# Letters, digits, punctuation and symbols the brand fonts draw (Latin-1 and general punctuation).
_PRINTABLE = "".join(c for c in map(chr, range(0x21, 0x250)) if c.isprintable() and not c.isspace()
                     and c not in "\x7f\xad")
WORD = st.text(alphabet=_PRINTABLE, min_size=1, max_size=10)
TOKEN = st.one_of(WORD, WORD, WORD, st.sampled_from(MARKUP))
PHRASE = st.lists(TOKEN, min_size=1, max_size=6).map(" ".join)
SENTENCE = st.lists(TOKEN, min_size=1, max_size=40).map(" ".join)
# Now and then a long text (up to the 5,000-character cap): a cell taller than a page must be refused
# with its table and row named, never crash the layout.
LONG = st.builds(lambda phrase, n: " ".join([phrase] * n)[:5000], PHRASE, st.integers(20, 400))
CELL = st.one_of(PHRASE, PHRASE, PHRASE, PHRASE, PHRASE, PHRASE, PHRASE, PHRASE, PHRASE, LONG)
NUMBER = st.one_of(st.integers(-10**6, 10**6), st.floats(-1e9, 1e9, allow_nan=False),
                   st.sampled_from([0, 1e-300, -1e-300, 5e-324, 123456789.123, 1e15, -1e15]))
ANY_SCALAR = st.one_of(st.text(max_size=30), st.integers(), st.floats(), st.booleans(), st.none(),
                       st.sampled_from(["yes", "NO", "on", "2026-13-45", "012", "1:30", ".inf", "~", "<<",
                                        "&a", "*a", "!!str", "- x", "a: b", "|", ">", "#", "---", "..."]))
ANY = st.recursive(ANY_SCALAR, lambda inner: st.one_of(st.lists(inner, max_size=4),
                                                        st.dictionaries(st.text(max_size=8), inner, max_size=4)),
                   max_leaves=20)


@st.composite
def tables(draw, with_probability: bool):
    n_cols = draw(st.integers(1, 4)) + (1 if with_probability else 0)
    n_rows = draw(st.integers(1, 6))
    columns = draw(st.lists(PHRASE, min_size=n_cols, max_size=n_cols, unique=True))
    rows = [draw(st.lists(CELL, min_size=n_cols, max_size=n_cols)) for _ in range(n_rows)]
    table = {"title": draw(PHRASE), "columns": columns, "rows": rows}
    if with_probability:
        cuts = sorted(draw(st.lists(st.integers(0, 100), min_size=n_rows - 1, max_size=n_rows - 1)))
        shares = [b - a for a, b in zip([0] + cuts, cuts + [100])]
        for row, share in zip(rows, shares):
            row[-1] = share
        table.update(id=draw(st.from_regex(r"[a-z][a-z0-9-]{0,8}", fullmatch=True)),
                     probability=columns[-1])
    if draw(st.booleans()):
        table["source"] = draw(PHRASE)
    return table


@st.composite
def blocks(draw):
    kind = draw(st.sampled_from(["prose", "callout", "lead", "table", "odds", "lines", "numbered", "faq"]))
    if kind == "prose":
        return [draw(SENTENCE)]
    if kind == "callout":
        return [{"callout": draw(st.one_of(SENTENCE, SENTENCE, LONG))}]
    if kind == "lead":
        return [{"lead": draw(PHRASE), "text": draw(SENTENCE)}]
    if kind in ("table", "odds"):
        table = draw(tables(kind == "odds"))
        out = [{"table": table}]
        if kind == "odds":
            out.append({"chart": {"kind": "probabilities", "table": table["id"], "title": draw(PHRASE),
                                  "source": draw(PHRASE)}})
        return out
    if kind == "lines":
        n = draw(st.integers(2, 8))
        series = [{"name": draw(WORD), "tone": draw(st.sampled_from(["bear", "base", "bull", "neutral"])),
                   "values": draw(st.lists(NUMBER, min_size=n, max_size=n))} for _ in range(draw(st.integers(1, 3)))]
        chart = {"kind": "lines", "title": draw(PHRASE), "source": draw(PHRASE), "x": draw(
            st.lists(WORD, min_size=n, max_size=n)), "series": series, "illustrative": draw(st.booleans())}
        return [{"chart": chart}]
    if kind == "numbered":
        return [{"numbered": [{"title": draw(PHRASE), "text": draw(SENTENCE)}
                              for _ in range(draw(st.integers(1, 3)))]}]
    return [{"faq": [{"question": draw(SENTENCE), "answer": draw(SENTENCE)}]}]


@st.composite
def reports(draw) -> dict:
    sections = []
    for _ in range(draw(st.integers(1, 3))):
        section_blocks = [b for _ in range(draw(st.integers(1, 3))) for b in draw(blocks())]
        section = {"heading": draw(PHRASE), "blocks": section_blocks}
        if draw(st.booleans()):
            section["title"] = draw(SENTENCE)
        sections.append(section)
    ids = [b["table"]["id"] for s in sections for b in s["blocks"] if "table" in b and "id" in b["table"]]
    assume(len(ids) == len(set(ids)))
    stats = [{"label": draw(PHRASE), "value": draw(WORD), "source": draw(PHRASE)}
             for _ in range(draw(st.integers(1, 4)))]
    refs = [{"title": draw(PHRASE), "url": "https://example.com/" + draw(st.from_regex(r"[a-z0-9/?=&%-]{0,20}",
                                                                                         fullmatch=True))}
            for _ in range(draw(st.integers(0, 2)))]
    disclaimer = draw(SENTENCE)
    if draw(st.integers(0, 7)) == 0:  # now and then a character the brand's fonts lack
        disclaimer += " " + draw(st.sampled_from(OUTSIDE_FONTS))
    return {"title": draw(PHRASE), "dek": draw(SENTENCE), "as_of": draw(st.dates(dt.date(1990, 1, 1),
                                                                                   dt.date(2100, 1, 1))).isoformat(),
            "key_stats": stats, "sections": sections, "references": refs, "disclaimer": disclaimer}


def _dump(data) -> str:
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100)


def _strings(data, skip=("id", "tone", "kind", "probability", "as_of", "x", "url", "table")) -> list[str]:
    if isinstance(data, dict):
        return [s for k, v in data.items() if k not in skip for s in _strings(v, skip)]
    if isinstance(data, list):
        return [s for v in data for s in _strings(v, skip)]
    return [data] if isinstance(data, str) else []


# -- the fast path: loader + model --------------------------------------------------------------------

@_settings(2 * FAST)
@given(st.text(alphabet=st.sampled_from(list(":-[]{}&*!|>'\"#%@`?,\t\n  ab1.~<=\\") + ["é", "—", "\x07",
                                                                                          "\ufeff", "\u2028"]),
               max_size=200))
def test_any_text_loads_or_is_refused_with_a_location(text):
    _check_or_refuse(text)


@_settings(FAST)
@given(ANY)
def test_any_structure_validates_or_is_refused_with_a_location(data):
    _check_or_refuse(_dump({"title": "x", "extra": data}) if not isinstance(data, dict) else _dump(data))


def _paths(data, path=()):
    yield path
    if isinstance(data, dict):
        for k, v in data.items():
            yield from _paths(v, path + (k,))
    elif isinstance(data, list):
        for i, v in enumerate(data):
            yield from _paths(v, path + (i,))


_BASE = yaml.safe_load(MINIMAL.read_text())
_BASE_PATHS = [p for p in _paths(_BASE) if p]


def _replace(data, path, value):
    if len(path) == 1:
        data[path[0]] = value
        return
    _replace(data[path[0]], path[1:], value)


@_settings(FAST)
@given(st.sampled_from(_BASE_PATHS), st.one_of(ANY, PHRASE, NUMBER), st.booleans())
def test_one_field_changed_validates_or_is_refused_with_a_location(path, value, drop):
    data = yaml.safe_load(MINIMAL.read_text())
    if drop and isinstance(path[-1], str):
        parent = data
        for part in path[:-1]:
            parent = parent[part]
        del parent[path[-1]]
    else:
        _replace(data, path, value)
    _check_or_refuse(_dump(data))


@_settings(max(FAST // 10, 1))
@given(reports())
def test_generated_reports_are_valid(data):
    """The render strategy below makes valid reports (unless a character is outside the fonts)."""
    report = _check_or_refuse(_dump(data))
    assert report is not None


# -- the slow path: full builds -------------------------------------------------------------------------

def _build_and_check(text: str, folder: Path, expect_strings: list[str] | None) -> None:
    source = folder / "fuzz.yaml"
    source.write_text(text, encoding="utf-8")
    out = folder / "out"
    from contextlib import redirect_stderr, redirect_stdout
    from io import StringIO

    err = StringIO()
    with redirect_stderr(err), redirect_stdout(StringIO()):
        code = main(["build", str(source), "-o", str(out)])
    if expect_strings is not None:  # inside hypothesis: count outcomes for --hypothesis-show-statistics
        kind = re.sub(r"^\S*: error: \S*|'.*|[\d,]+", "", err.getvalue().split("\n")[0])[:50] if code else ""
        event(f"exit {code} {kind}".strip())
    if code != ExitCode.OK:
        assert code == ExitCode.INPUT_ERROR, err.getvalue()
        assert _located(err.getvalue(), str(source)), err.getvalue()
        assert not out.exists() or list(out.iterdir()) == []
        return
    pdfs = list(out.iterdir())
    assert [p.name for p in pdfs] == ["fuzz.pdf"]
    with pikepdf.open(pdfs[0]) as pdf:
        assert len(pdf.pages) >= 1
    assert font_problems(pdfs[0]) == []
    if expect_strings is not None:
        text = squash("".join(page_texts(pdfs[0])))
        missing = [s for s in expect_strings if squash(s) not in text]
        assert missing == [], f"strings missing from the PDF: {missing[:5]}"


@_settings(RENDERS)
@given(data=reports())
def test_generated_reports_build_with_every_string(data, tmp_path_factory):
    _build_and_check(_dump(data), tmp_path_factory.mktemp("fuzz"), _strings(data))


def _corpus():
    return sorted(CORPUS.glob("*.yaml"))


@pytest.mark.parametrize("path", _corpus(), ids=[p.stem for p in _corpus()])
def test_fuzz_corpus(path, tmp_path):
    """Every input that once broke the tool: it now builds, or is refused with a located message."""
    _build_and_check(path.read_bytes().decode("utf-8", errors="surrogateescape"), tmp_path, None)
