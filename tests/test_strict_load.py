"""The strict loader on its own: what YAML means here, and the limits that keep loading fast and safe."""

from __future__ import annotations

import time

import pytest

from report.errors import ReportError
from report.input.load import MAX_DEPTH, MAX_FILE_BYTES, decode, load_file, load_text


def _value(text: str):
    data, _ = load_text("t.yaml", f"v: {text}\n")
    return data["v"]


@pytest.mark.parametrize("written", ["yes", "no", "on", "off", "y", "n", "Yes", "NO", "2026-03-31",
                                     "2026-03-31T10:00:00Z", "012", "0o12", "0x1F", "1:30", "1_000",
                                     "0b101", ".5e", "+", "1e", "inf", "nan", "NaN"])
def test_nothing_is_retyped_behind_the_authors_back(written):
    assert _value(written) == written


@pytest.mark.parametrize(("written", "value"), [("true", True), ("False", False), ("null", None), ("~", None),
                                                ("", None), ("12", 12), ("-3", -3), ("1.5", 1.5),
                                                ("1e3", 1000.0), ("'yes'", "yes"), ('"012"', "012")])
def test_yaml_1_2_core_scalars(written, value):
    got = _value(written)
    assert got == value and type(got) in (type(value), *type(value).__subclasses__())


def test_numbers_remember_how_they_were_written():
    assert _value("1.10").source == "1.10"
    assert _value("007") == "007"  # a leading zero is text, not octal 7
    from report.input.model import KeyStat

    assert KeyStat(label="x", value=_value("1.10")).value == "1.10"


def test_special_floats_load_and_the_model_refuses_them():
    import math

    assert math.isinf(_value(".inf")) and math.isnan(_value(".nan"))


def test_byte_order_mark_is_fine(tmp_path):
    path = tmp_path / "bom.yaml"
    path.write_bytes(b"\xef\xbb\xbftitle: x\n")
    assert load_file(path)[0] == {"title": "x"}


def test_size_cap(tmp_path):
    path = tmp_path / "big.yaml"
    path.write_bytes(b"title: x\n" + b"#" * MAX_FILE_BYTES)
    with pytest.raises(ReportError) as exc:
        load_file(path)
    assert "over the 1,000,000-byte limit" in str(exc.value)


def test_utf16_is_refused():
    with pytest.raises(ReportError, match="not valid UTF-8"):
        decode("x.yaml", "title: x\n".encode("utf-16"))


@pytest.mark.parametrize("text", ["v: " + "[" * 100_000 + "]" * 100_000,
                                  "v: " + "{a: " * 20_000 + "}" * 20_000,
                                  "v:\n" + "".join(" " * i + "- \n" for i in range(1, 500))])
def test_deep_nesting_is_a_clean_error(text):
    started = time.perf_counter()
    with pytest.raises(ReportError, match=f"nesting deeper than {MAX_DEPTH} levels"):
        load_text("t.yaml", text)
    assert time.perf_counter() - started < 5


def test_billion_laughs_stops_at_the_first_anchor():
    lol = "a: &a [lol, lol]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a]\nc: [*b, *b, *b, *b, *b, *b, *b]\n"
    with pytest.raises(ReportError, match=r"^t.yaml:1:4: error: anchors \(&a\) are not allowed"):
        load_text("t.yaml", lol)


def test_duplicate_keys_deep_inside():
    with pytest.raises(ReportError, match=r"t.yaml:4:5: error: a\[1\].b: duplicate key 'b' \(first written on line 3\)"):
        load_text("t.yaml", "a:\n  - x: 1\n    b: 2\n    b: 3\n")


@pytest.mark.parametrize("text", ["!!str x", "!custom x", "!!binary aGk=", "!!python/name:os.system"])
def test_every_explicit_tag_is_refused(text):
    with pytest.raises(ReportError, match="explicit tags"):
        load_text("t.yaml", f"v: {text}\n")


def test_locations_of_values_and_keys():
    data, smap = load_text("t.yaml", "a:\n  - b: 1\n    c: [x, y]\n")
    assert smap.locate(("a", 0, "c", 1)) == (3, 12)
    assert smap.locate(("a", 0, "c"), key=True) == (3, 5)
    assert smap.locate(("a", 0, "missing")) == (2, 5)


def test_a_fifo_or_device_is_refused_without_reading(tmp_path):
    import os

    fifo = tmp_path / "pipe.yaml"
    os.mkfifo(fifo)  # reading it would wait for a writer forever
    for path, message in ((fifo, "is not a regular file"), ("/dev/zero", "is not a regular file"),
                          (tmp_path, "is a folder, not a YAML file")):
        with pytest.raises(ReportError, match=message):
            load_file(path)
