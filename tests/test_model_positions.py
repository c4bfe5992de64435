"""The model never crashes: null, every wrong type and absence in every position of the input and the
brand file give located input (or brand) errors; and one rule for numbers everywhere.

"Every position" means every place of the schema the sample uses (list indices folded: the first
key stat stands for all), each given null, a list, a mapping, true, a number, empty and blank text,
and numbers written as text; optional keys are also left out.
"""

from __future__ import annotations

import copy
from pathlib import Path

import pytest

from datapaths import positions
from report.errors import ExitCode, ReportError
from report.input.load import load_file, load_text
from report.input.model import Report, plain_number
from report.input.parse import validate_data

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "inputs" / "russell-2000-bear-case.yaml"
BRAND = ROOT / "assets" / "brands" / "meridian" / "_brand.yml"
WRONG = [None, [], ["x"], {}, {"a": "b"}, True, 1.5, 7, "", "   ", "1_000", "x"]


def _mutations(data):
    for path in positions(data):
        for value in WRONG + ["<absent>"]:
            changed = copy.deepcopy(data)
            parent = changed
            for part in path[:-1]:
                parent = parent[part]
            if value == "<absent>":
                if not isinstance(path[-1], str):
                    continue
                del parent[path[-1]]
            else:
                parent[path[-1]] = value
            yield path, value, changed


def _refused_or_valid(model, data, smap, code: ExitCode) -> None:
    try:
        validate_data(model, data, smap, code)
    except ReportError as exc:  # anything else (KeyError, TypeError, ...) fails the test
        assert exc.code == code
        assert exc.diagnostics and all(d.line >= 1 and d.message for d in exc.diagnostics), str(exc)


def test_every_position_of_the_input():
    data, smap = load_file(SAMPLE)
    validate_data(Report, data, smap)  # the control: the unchanged sample is valid
    count = 0
    for path, value, changed in _mutations(data):
        count += 1
        try:
            _refused_or_valid(Report, changed, smap, ExitCode.INPUT_ERROR)
        except AssertionError:
            raise
        except Exception as exc:  # pragma: no cover - the message names the case
            raise AssertionError(f"{path} = {value!r}: {type(exc).__name__}: {exc}") from exc
    assert count > 900  # about 75 positions x 13 changes: the walk really covers the schema


def test_every_position_of_the_brand_file():
    from report.brand.theme import BrandFile

    data, smap = load_file(BRAND)
    validate_data(BrandFile, data, smap, ExitCode.BRAND_ERROR)
    for path, value, changed in _mutations(data):
        try:
            _refused_or_valid(BrandFile, changed, smap, ExitCode.BRAND_ERROR)
        except AssertionError:
            raise
        except Exception as exc:  # pragma: no cover
            raise AssertionError(f"{path} = {value!r}: {type(exc).__name__}: {exc}") from exc


def _diagnostics(text: str):
    data, smap = load_text("t.yaml", text)
    with pytest.raises(ReportError) as exc:
        validate_data(Report, data, smap)
    return exc.value.diagnostics


MINIMAL = (ROOT / "tests" / "data" / "minimal.yaml").read_text()


def _with_values(values: str) -> str:
    chart = ("      - chart:\n          kind: lines\n          title: P\n          source: S\n"
             "          x: [a, b]\n          series:\n            - name: B\n"
             f"              values: [1, {values}]\n")
    return MINIMAL.replace("      - chart:\n          kind: probabilities", chart + "      - chart:\n"
                           "          kind: probabilities")


@pytest.mark.parametrize(("written", "message", "hint"), [
    ('"100"', "expected a number, got the text '100'", "write 100 without quotes"),
    ("'35'", "expected a number, got the text '35'", "write 35 without quotes"),
    ('"1_000"', "expected a number, got the text '1_000'", "write 1000 without quotes"),
    ('"1e3"', "expected a number, got the text '1e3'", "write 1000 without quotes"),
    ("1_000", "expected a number, got the text '1_000'", "write 1000"),
    ("0x1F", "expected a number, got the text '0x1F'", "write 31"),
    ("012", "expected a number, got the text '012'", "write 12 (no leading zero: YAML versions read "
                                                      "leading zeros differently)"),
    ("1:30", "expected a number, got the text '1:30'", "write a number, e.g. 35"),
    ("yes", "expected a number, got the text 'yes'", "write a number, e.g. 35"),
    ("true", "expected a number, got true", "write a number, e.g. 35"),
    ('"35%"', "expected a number, got the text '35%'", "write 35 without quotes or the % sign"),
])
def test_a_number_field_refuses_text(written, message, hint):
    (d,) = _diagnostics(_with_values(written))
    assert (d.path, d.message, d.hint) == ("sections[1].blocks[3].chart.series[1].values[2]", message, hint)


@pytest.mark.parametrize("written", ["1000", "-3.5", "1e3", ".5", "+7"])
def test_a_number_field_takes_yaml_numbers(written):
    data, smap = load_text("t.yaml", _with_values(written))
    report = validate_data(Report, data, smap)
    assert report.sections[0].blocks[2].chart.series[0].values[1] == float(written)


def test_a_probability_cell_follows_the_same_rule():
    (d,) = _diagnostics(MINIMAL.replace("[Bull, 60]", '[Bull, "60"]'))
    assert (d.message, d.hint) == ("expected a number in column 'Probability', got the text '60'",
                                   "write 60 without quotes")  # the rule's message, naming the column


def test_a_brand_number_follows_the_same_rule(tmp_path):
    import shutil

    from report.brand.theme import load_theme

    brand = tmp_path / "brand"
    shutil.copytree(BRAND.parent, brand)
    text = (brand / "_brand.yml").read_text()
    (brand / "_brand.yml").write_text(text.replace("line-height: 1.42", 'line-height: "1.42"'))
    with pytest.raises(ReportError) as exc:
        load_theme(brand)
    assert exc.value.code == ExitCode.BRAND_ERROR
    assert "typography.base.line-height: expected a number, got the text '1.42'" in str(exc.value)
    assert "hint: write 1.42 without quotes" in str(exc.value)


@pytest.mark.parametrize(("written", "kept"), [("25.72", "25.72"), ("1.10", "1.10"), ("012", "012"),
                                               ("1e3", "1e3"), ("'35'", "35"), ("-0", "-0")])
def test_a_text_field_keeps_a_number_as_written(written, kept):
    data, smap = load_text("t.yaml", MINIMAL.replace("value: 1%", f"value: {written}"))
    assert validate_data(Report, data, smap).key_stats[0].value == kept


@pytest.mark.parametrize("written", ["true", "false", "~", "", '""', "'  '"])
def test_a_text_field_refuses_booleans_null_and_blank_text(written):
    (d,) = _diagnostics(MINIMAL.replace("value: 1%", f"value: {written}"))
    assert d.path == "key_stats[1].value"
    assert d.hint  # quote it / write it


def test_null_in_an_optional_field_leaves_it_out_unless_a_comment_ate_a_word():
    data, smap = load_text("t.yaml", MINIMAL.replace("    source: Example data\nsections",
                                                     "    source:   # to be confirmed\nsections"))
    assert validate_data(Report, data, smap).key_stats[0].source is None
    (d,) = _diagnostics(MINIMAL.replace("    source: Example data\nsections", "    source: #2 desk\nsections"))
    assert (d.path, d.message, d.hint) == ("key_stats[1].source", "the value is empty: '#' starts a YAML comment",
                                           'to keep it as text, quote it: "#2 desk"')


def test_a_comment_that_eats_a_required_value_is_named():
    (d,) = _diagnostics(MINIMAL.replace("value: 1%", "value: #1 pick"))
    assert d.hint == 'to keep it as text, quote it: "#1 pick"'
    (d,) = _diagnostics(MINIMAL.replace("value: 1%", "value:   # a note"))  # a real comment: the value is missing
    assert d.message == "expected text" and "'#' starts a YAML comment" in d.hint
    (d,) = _diagnostics(MINIMAL.replace("value: 1%", "value: ~"))  # the control: no comment, no such hint
    assert "#" not in d.hint


@pytest.mark.parametrize(("text", "plain"), [("1_000", "1000"), ("1e3", "1000"), (" 35 ", "35"), ("1.50", "1.5"),
                                             ("+5", "5"), ("-0.0", "0"), ("0x1F", "31"), ("0b101", "5"),
                                             ("1.5e-3", "0.0015"), ("35%", "35"), ("1:30", None), ("1__0", None),
                                             ("1_", None), ("abc", None), ("1e400", None), ("", None), ("_1", None)])
def test_the_plain_form_of_a_number_written_as_text(text, plain):
    assert plain_number(text) == plain
