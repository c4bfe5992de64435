"""Bad input as data: each file under tests/data/bad carries the exact messages it must produce.

An input case is `tests/data/bad/NAME.yaml`; a brand case is `tests/data/bad/brands/NAME/_brand.yml`,
built with the valid `tests/data/minimal.yaml`. Their header comments say what is expected:

    # A misspelled key                                 <- what the case is about
    # expect: {file}:11:5: error: key_stats[1].sourse: unknown field
    # expect:   hint: did you mean 'source'?
    # exit: 1
    # validate: passes (...)                           <- optional: a check only `build` makes
    ...the YAML...
    # editor: underlined                               <- last line: what an editor shows (test_editor.py)

`{file}` is the input as given on the command line, `{folder}` its folder (where its CSV data files
are, under tests/data/bad/csv/), `{brand}` the brand file. stderr must be exactly
the expected lines: one message per mistake, no traceback. Nothing may be written, and a PDF from an
earlier build at the target path must stay byte-identical. To add a case, write the file with its
header; the line numbers count the header lines too.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from report.cli import main

DATA = Path(__file__).resolve().parent / "data"
BAD = DATA / "bad"
MINIMAL = DATA / "minimal.yaml"
PREVIOUS = b"%PDF-1.4\n% a previous, good build that a failed build must not touch\n%%EOF\n"


def _header(path: Path) -> dict:
    text = path.read_bytes().decode("utf-8", errors="replace")
    expect = re.findall(r"^# expect: (.*)$", text, flags=re.M)
    code = re.search(r"^# exit: (\d+)$", text, flags=re.M)
    assert expect and code, f"{path} lacks '# expect:' or '# exit:' lines"
    return {"expect": expect, "exit": int(code.group(1)),
            "validate_passes": re.search(r"^# validate: passes", text, flags=re.M) is not None}


def _cases():
    for path in sorted(BAD.glob("*.yaml")):
        yield pytest.param(path, None, id=path.stem)
    for path in sorted(BAD.glob("brands/*/_brand.yml")):
        yield pytest.param(MINIMAL, path, id=f"brand-{path.parent.name}")


def _expected(header: dict, source: Path, brand: Path | None) -> str:
    lines = [line.replace("{file}", str(source)).replace("{brand}", str(brand)).replace("{folder}", str(source.parent))
             for line in header["expect"]]
    return "\n".join(lines) + "\n"


def _argv(command: str, source: Path, brand: Path | None, *extra: str) -> list[str]:
    return [command, str(source), *extra] + (["--brand", str(brand.parent)] if brand else [])


def test_corpus_is_complete():
    """The categories the tool promises to refuse each have a data file."""
    names = {p.stem for p in BAD.glob("*.yaml")} | {p.parent.name for p in BAD.glob("brands/*/_brand.yml")}
    needed = {"yaml-syntax", "tab-indent", "duplicate-key", "unknown-key", "missing-key", "wrong-type",
              "probabilities-sum", "row-width", "empty", "not-a-mapping", "several-documents",
              "anchor-alias", "explicit-tag", "merge-key", "not-utf8", "control-character",
              "missing-glyph", "link-scheme", "inf-number", "nan-number", "paragraph-too-long",
              "chart-missing-table", "cell-taller-than-page", "missing-font", "missing-logo"}
    assert needed <= names, sorted(needed - names)


@pytest.mark.parametrize(("source", "brand"), list(_cases()))
def test_bad_input(source: Path, brand: Path | None, tmp_path: Path, capsys):
    header = _header(brand or source)
    expected = _expected(header, source, brand)

    empty = tmp_path / "empty"
    empty.mkdir()
    assert main(_argv("build", source, brand, "-o", str(empty))) == header["exit"]
    out, err = capsys.readouterr()
    assert err == expected
    assert out == ""
    assert list(empty.iterdir()) == [], "a failed build wrote something"

    kept = tmp_path / "kept"
    kept.mkdir()
    previous = kept / f"{source.stem}.pdf"
    previous.write_bytes(PREVIOUS)
    assert main(_argv("build", source, brand, "-o", str(kept))) == header["exit"]
    assert capsys.readouterr().err == expected
    assert previous.read_bytes() == PREVIOUS
    assert sorted(p.name for p in kept.iterdir()) == [previous.name], "a temp file was left behind"


@pytest.mark.parametrize(("source", "brand"), list(_cases()))
def test_validate_agrees(source: Path, brand: Path | None, capsys):
    """`report validate` reports the same mistakes (except the checks that need the fonts)."""
    header = _header(brand or source)
    code = main(_argv("validate", source, brand))
    out, err = capsys.readouterr()
    if header["validate_passes"]:
        assert (code, err) == (0, "")
    else:
        assert (code, err) == (header["exit"], _expected(header, source, brand))


def _templates(source: str):
    import ast

    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call) and getattr(node.func, "id", "") == "PydanticCustomError" \
                and len(node.args) >= 2 and isinstance(node.args[1], ast.Constant):
            yield node.lineno, node.args[1].value


def test_every_message_template_names_plain_fields():
    """pydantic fills a message's {name} from its context but prints `{limit:g}` as written (a real
    message said "the limit is ±{limit:g}"): a template may hold names only, formatted beforehand."""
    root = Path(__file__).resolve().parent.parent / "report"
    wrong = [f"{path.relative_to(root)}:{line}: {template}" for path in sorted(root.rglob("*.py"))
             for line, template in _templates(path.read_text(encoding="utf-8"))
             if any(not re.fullmatch(r"\w+", name) for name in re.findall(r"\{([^}]*)\}", template))]
    assert wrong == []
    control = 'PydanticCustomError("t", "{value} over ±{limit:g}", {})'
    assert [t for _, t in _templates(control)] and any(
        not re.fullmatch(r"\w+", n) for _, t in _templates(control) for n in re.findall(r"\{([^}]*)\}", t))
