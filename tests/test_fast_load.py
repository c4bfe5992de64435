"""The libyaml path of the strict loader gives what the pure-Python loader gives: the same data, the
same types and written forms of numbers, the same marks, and never accepts what the other refuses."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from report.errors import ReportError
from report.input import load

ROOT = Path(__file__).resolve().parent.parent
YAML_FILES = sorted(p for p in ROOT.glob("**/*.yaml") if ".venv" not in p.parts and "node_modules" not in p.parts) \
    + sorted(ROOT.glob("assets/brands/*/_brand.yml"))

pytestmark = pytest.mark.skipif(load.CParser is None, reason="PyYAML without libyaml")


def _typed(value):
    """A value with the types and written forms of its numbers spelled out, for comparing."""
    if isinstance(value, dict):
        return {k: _typed(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_typed(v) for v in value]
    return (type(value).__name__, repr(value), getattr(value, "source", None))


def _outcome(loader, text: str):
    try:
        data, smap = loader("t.yaml", text)
    except ReportError as exc:
        return ("refused", str(exc))
    return ("loaded", _typed(data), vars(smap))  # every field of the source map, whatever it grows


def _fast(text: str):
    try:
        return _outcome(load._fast_load, text)
    except load._Fallback:
        return None


def _agree(text: str) -> bool:
    """True when the libyaml walk took `text` (and agreed); False when it handed it over."""
    fast = _fast(text)
    if fast is None:
        return False
    assert fast == _outcome(load.load_text_pure, text)
    return True


@pytest.mark.parametrize("path", YAML_FILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_yaml_file_of_the_project_loads_alike(path):
    raw = path.read_bytes()
    try:
        text = load.decode(str(path), raw)
    except ReportError:
        return
    _agree(text)
    assert _outcome(load.load_text, text) == _outcome(load.load_text_pure, text)


def test_the_sample_takes_the_fast_path():
    assert _agree((ROOT / "inputs" / "russell-2000-bear-case.yaml").read_text(encoding="utf-8"))


@pytest.mark.parametrize("text", [
    "a: &x 1\nb: *x\n", "a: !!str 1\n", "a: ! 1\n", "a: 1\na: 2\n", "? [a]\n: 1\n", "<<: {a: 1}\n",
    "1: x\n", "' ': x\n", "a: 1\n---\nb: 2\n", "", "- a\n", "a:\n\t- b\n", "a: [1,\n", "a: b: c\n",
    "a: '\u2028'\n", "a: \u0085\n", "a: 1\r", "a: 1\r\nb: 2\r\n", "x" * 3 + ": " + "[" * 40 + "]" * 40 + "\n",
    "a: 'unclosed\n", "a: \"\\x01\"\n", "%YAML 1.1\n---\na: 1\n", "a: |\n  x\n  y\nb: >-\n  p\n  q\n",
])
def test_edge_cases_load_alike_or_are_handed_over(text):
    _agree(text)
    assert _outcome(load.load_text, text) == _outcome(load.load_text_pure, text)


_PIECES = ["a", "b", "key", "x y", "-", "- ", ": ", ":", "'", '"', "#", " #c", "[", "]", "{", "}", ",",
           "? ", "|", ">", "|-", ">+", "&a", "*a", "!", "!!str", "%", "@", "`", "\\", "\n", "\n  ", "\n    ",
           "\n- ", "\r\n", "\t", "1", "1.0", "0x1", "012", "-3", ".5", "1e3", ".inf", "null", "~", "true",
           "yes", "2026-03-31", "é", "—", "€", "\u00a0", "\ufeff", "\u200b", "<<", "---", "...", "  "]


@settings(max_examples=1500, deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(_PIECES), max_size=40).map("".join))
def test_generated_text_loads_alike_or_is_handed_over(text):
    _agree(text)


@settings(max_examples=500, deadline=None, derandomize=True, database=None)
@given(st.recursive(st.one_of(st.text(max_size=8), st.integers(), st.floats(allow_nan=False), st.booleans(),
                              st.none()),
                    lambda kids: st.one_of(st.lists(kids, max_size=4),
                                           st.dictionaries(st.text(min_size=1, max_size=6), kids, max_size=4)),
                    max_leaves=20),
       st.sampled_from([None, True, False]), st.sampled_from([None, '"', "'", "|"]))
def test_dumped_documents_load_alike(value, flow, style):
    import yaml

    text = yaml.safe_dump({"v": value}, default_flow_style=flow, default_style=style, allow_unicode=True)
    _agree(text)
