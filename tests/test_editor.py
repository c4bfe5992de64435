"""The editor and the tool agree: the real yaml-language-server (as VS Code's YAML extension runs it)
over every input, every mistake of the corpus, and its completions.

- Every input the tool accepts (inputs/, tests/data/) shows 0 diagnostics in the editor.
- Each case of tests/data/bad ends with a line saying what an editor shows of its mistake:
  `# editor: underlined` (a diagnostic on the line of the tool's first error), `# editor: hover`
  (the schema cannot state the rule; hovering where the tool points tells it, naming `report
  validate`) or `# editor: none (why)` (strict YAML, fonts, page fit).
- Completion offers exactly the model's fields, and every snippet, inserted as an editor does,
  gives a file that `report validate` and the editor accept.

Inputs under inputs/ reach the schema through their modeline; the corpus through the `yaml.schemas`
setting, as the README's editor set-up describes. One server answers every document.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import Annotated, Union, get_args, get_origin

import pytest
from pydantic import BaseModel, TypeAdapter
from pydantic_core import PydanticUndefined
from yamlls import ROOT, YamlLanguageServer, unavailable

from report.brand.theme import DEFAULT_BRAND, load_theme
from report.errors import ReportError
from report.input import model
from report.input.parse import read_report
from report.input.schema import expand, json_schema

SCHEMA = ROOT / "schema" / "report.schema.json"
DATA = ROOT / "tests" / "data"
CORPUS_GLOB = "tests/data/**/*.yaml"
MODELINE = "# yaml-language-server: $schema=../schema/report.schema.json\n"
BAD = sorted((DATA / "bad").glob("*.yaml"))
VALID = (sorted(ROOT.glob("inputs/*.yaml")) + sorted(DATA.glob("*.yaml"))  # the valid articles
         + sorted((ROOT / "tests" / "corpus").glob("*.yaml")))  # the layout corpus, by its modeline
EDITOR = re.compile(r"^# editor: (underlined|hover|none)\b(.*)$", re.M)


@pytest.fixture(scope="module")
def server():
    missing = unavailable()
    if missing:
        reason, installable = missing
        if installable and os.environ.get("CI"):  # .ci/run installs it: a skip would hide a broken step
            pytest.fail(reason)
        pytest.skip(reason)
    lsp = YamlLanguageServer(schemas={SCHEMA.as_uri(): [CORPUS_GLOB], **readme_setting()})
    yield lsp
    lsp.close()


def readme_setting() -> dict:
    """The README's `yaml.schemas` setting for files without a modeline, as written there."""
    block = re.search(r"```json\n(.*?\"yaml\.schemas\".*?)```", (ROOT / "README.md").read_text(encoding="utf-8"), re.S)
    assert block, "README: the editor set-up's yaml.schemas example is missing"
    return json.loads(block.group(1))["yaml.schemas"]


@pytest.fixture(scope="module")
def theme():
    return load_theme(DEFAULT_BRAND)


def _text(path: Path) -> str:
    return path.read_bytes().decode("utf-8", errors="replace")


@pytest.fixture(scope="module")
def shown(server) -> dict[Path, list[dict]]:
    """The editor's diagnostics for every file of the corpus, validated in one batch."""
    found = server.open_many({p.as_uri(): _text(p) for p in VALID + BAD})
    return {p: found[p.as_uri()] for p in VALID + BAD}


def tool_errors(path: Path, theme) -> list:
    """What `report validate` says of a file: its diagnostics, sorted by line (empty when valid)."""
    try:
        read_report(path, theme)
    except ReportError as exc:
        return exc.diagnostics
    return []


def _listed(found: list[dict]) -> str:
    return "; ".join(f"line {d['range']['start']['line'] + 1}: {d['message']}" for d in found) or "nothing"


def assert_clean(found: list[dict]) -> None:
    assert found == [], f"the editor flags what the tool accepts: {_listed(found)}"


def assert_underlined(found: list[dict], line: int) -> None:
    assert line in {d["range"]["start"]["line"] + 1 for d in found}, \
        f"nothing underlined on line {line}; the editor says {_listed(found)}"


def assert_described(server, uri: str, line: int, column: int) -> None:
    """Hovering where the tool points (in an open document) names the rule and `report validate`."""
    text = server.hover(uri, line - 1, column - 1)
    assert "`report validate`" in text, f"hover at {line}:{column} does not tell the rule: {text!r}"


# -- valid inputs: no diagnostics -------------------------------------------------------------------

@pytest.mark.parametrize("path", VALID, ids=lambda p: str(p.relative_to(ROOT)))
def test_valid_input_shows_no_error(shown, theme, path: Path):
    assert tool_errors(path, theme) == []
    assert_clean(shown[path])


def test_modeline_and_settings_reach_the_schema(server):
    """Each way of naming the schema works: a one-mistake file is underlined through the modeline
    (moved out of inputs/), through the README's setting (no modeline) and through the corpus's."""
    sample = ROOT / "inputs" / "russell-2000-bear-case.yaml"
    assert _text(sample).startswith(MODELINE)
    wrong = _text(sample).replace("\ntitle:", "\ncolour: navy\ntitle:", 1)
    docs = {(ROOT / "drafts" / "_modeline.yaml").as_uri(): wrong,
            (ROOT / "inputs" / "_no-modeline.yaml").as_uri(): wrong.removeprefix(MODELINE),
            (DATA / "_settings.yaml").as_uri(): wrong.removeprefix(MODELINE)}
    for uri, found in server.open_many(docs).items():
        assert_underlined(found, 2 if docs[uri].startswith(MODELINE) else 1)
    assert server.open((ROOT / "drafts" / "_none.yaml").as_uri(), wrong.removeprefix(MODELINE)) == []


# -- mistakes: underlined on the tool's line, or described where the tool points -------------------

def _editor_line(path: Path) -> tuple[str, str]:
    found = EDITOR.findall(_text(path))
    assert len(found) == 1, f"{path.name}: end it with '# editor: underlined | hover | none (why)'"
    return found[0][0], found[0][1].strip()


@pytest.mark.parametrize("path", BAD, ids=lambda p: p.stem)
def test_mistake_as_the_editor_shows_it(server, shown, theme, path: Path):
    kind, why = _editor_line(path)
    if kind == "none":
        assert why.startswith("(") and why.endswith(")"), f"{path.name}: say why: '# editor: none (why)'"
        return
    errors = tool_errors(path, theme)
    assert errors, f"{path.name}: report validate accepts it"
    first = errors[0]
    if kind == "underlined":
        assert_underlined(shown[path], first.line)
    else:
        assert first.line not in {d["range"]["start"]["line"] + 1 for d in shown[path]}, \
            f"{path.name}: the editor underlines it: end it with '# editor: underlined'"
        assert_described(server, path.as_uri(), first.line, first.column)


def test_the_corpus_holds_each_kind_of_mistake_an_editor_can_underline():
    names = {p.stem for p in BAD if _editor_line(p)[0] == "underlined"}
    needed = {"unknown-field", "unknown-key", "missing-key", "wrong-type", "empty-text", "quoted-number",
              "bad-enum", "link-scheme", "date-format", "date-not-in-calendar", "boolean-text"}
    assert needed <= names, sorted(needed - names)


def test_controls_prove_the_checks_can_fail(server, shown, theme):
    """A mistake the schema cannot see is not 'underlined'; a file with a key the schema refuses is
    not 'clean'; hovering a field without a rule is not 'described'."""
    path = DATA / "bad" / "probabilities-sum.yaml"
    with pytest.raises(AssertionError, match="nothing underlined"):
        assert_underlined(shown[path], tool_errors(path, theme)[0].line)
    uri = (DATA / "_control.yaml").as_uri()
    found = server.open(uri, _text(DATA / "minimal.yaml") + "colour: navy\n")
    with pytest.raises(AssertionError, match="flags what the tool accepts"):
        assert_clean(found)
    with pytest.raises(AssertionError, match="does not tell the rule"):
        assert_described(server, uri, 2, 1)  # `title:`


# -- completion: the model's fields, and snippets that validate -----------------------------------

def members(union) -> list:
    """The members of a (possibly Annotated) union, each as written in it (Annotated with its tag)."""
    if get_origin(union) is Annotated:
        union = get_args(union)[0]
    return list(get_args(union)) if get_origin(union) is Union else [union]


def written_as(member) -> tuple[type, object]:
    """(model class, the type it is written as): a validator's declared input type, else the class."""
    cls, *meta = get_args(member) if get_origin(member) is Annotated else (member,)
    declared = [m.json_schema_input_type for m in meta
                if getattr(m, "json_schema_input_type", PydanticUndefined) is not PydanticUndefined]
    return cls, (declared[0] if declared else cls)


def block_keys() -> set[str]:
    """Every key a block may start with: the fields of each block kind as written."""
    return {key for member in members(model.Block) for written in [written_as(member)[1]]
            if isinstance(written, type) and issubclass(written, BaseModel) for key in written.model_fields}


CONTEXTS = {  # where keys are offered: (document, 0-based line, column)
    "top level": (MODELINE + "title: Top\n\n", 2, 0),
    "key stat": (MODELINE + "key_stats:\n  - label: A figure\n    \n", 3, 4),
    "block list": (MODELINE + "sections:\n  - heading: A\n    blocks:\n      - \n", 4, 8),
}
PROPERTY, SNIPPET = 10, {9, 12, 15}  # CompletionItemKind: Property; Module, Value, Snippet


@pytest.mark.parametrize(("context", "expected"), [
    ("top level", set(model.Report.model_fields) - {"title"}),
    ("key stat", set(model.KeyStat.model_fields) - {"label"}),
    ("block list", block_keys()),
])
def test_completion_offers_exactly_the_models_fields(server, context, expected):
    text, line, col = CONTEXTS[context]
    uri = (ROOT / "inputs" / f"_complete-{context.replace(' ', '-')}.yaml").as_uri()
    server.open(uri, text)
    offered = {item["label"] for item in server.completion(uri, line, col) if item.get("kind") == PROPERTY}
    assert offered == expected


def schema_snippets(node) -> list[dict]:
    """Every `defaultSnippets` entry of a JSON Schema."""
    if isinstance(node, dict):
        return node.get("defaultSnippets", []) + [s for k, v in node.items() if k != "defaultSnippets"
                                                  for s in schema_snippets(v)]
    return [s for v in node for s in schema_snippets(v)] if isinstance(node, list) else []


@pytest.mark.parametrize("union", [model.Block, model.Chart], ids=["block", "chart"])
def test_every_kind_has_a_snippet(union):
    """Each block kind and chart kind offers at least one snippet (a new kind must bring one)."""
    with_snippet = {cls for member in members(union) for cls, written in [written_as(member)]
                    if TypeAdapter(written).json_schema().get("defaultSnippets")}
    kinds = {written_as(member)[0] for member in members(union)}
    assert kinds <= with_snippet, f"no snippet for {sorted(k.__name__ for k in kinds - with_snippet)}"


# Where snippets are offered in the minimal article: the line after `after`, as `slot` + snippet.
SLOTS = {"key stat list": ("key_stats:\n", "  - "), "section list": ("sections:\n", "  - "),
         "block list": ("    blocks:\n", "      - "), "chart": ("    blocks:\n", "      - chart:\n          ")}


def _fill(text: str, after: str, slot: str, snippets: list[str]) -> str:
    """Each snippet in a slot of its own, as VS Code inserts it: placeholders keep their defaults
    and its later lines take the indentation of the cursor's line."""
    indent = re.match(r" *", slot.rsplit("\n", 1)[-1]).group(0)
    filled = "".join(slot + expand(s).replace("\n", "\n" + indent) + "\n" for s in snippets)
    return text.replace(after, after + filled, 1)


def test_every_snippet_the_editor_offers_validates(server, theme, tmp_path):
    """Every snippet the editor offers, inserted where it offers it into the minimal article, gives a
    file that `report validate` and the editor accept (the probability chart's snippet names the
    scenario table's); together they are every snippet of the schema."""
    minimal = _text(DATA / "minimal.yaml")
    every = {s["label"] for s in schema_snippets(json_schema())}
    queries = {}
    for context, (after, slot) in SLOTS.items():
        text = _fill(minimal, after, slot, [""])
        before = text[: text.index(after + slot) + len(after + slot)]
        queries[(DATA / f"_snippets-{context.replace(' ', '-')}.yaml").as_uri()] = (
            text, before.count("\n"), len(before.rsplit("\n", 1)[-1]), context)
    server.open_many({uri: q[0] for uri, q in queries.items()})
    article, offered = minimal, {}
    for uri, (_, line, col, context) in queries.items():
        items = [i for i in server.completion(uri, line, col) if i["label"] in every and i.get("kind") in SNIPPET]
        assert items, f"no snippet offered in the {context}"
        offered[context] = sorted(i["label"] for i in items)
        article = _fill(article, *SLOTS[context], [i.get("textEdit", {}).get("newText") or i["insertText"]
                                                   for i in items])
    assert every <= {label for labels in offered.values() for label in labels}, offered
    path = tmp_path / "every-snippet.yaml"
    path.write_text(article, encoding="utf-8")
    for name in re.findall(r"^\s*file: (\S+)$", article, re.M):  # the image a figure snippet names
        image = tmp_path / name
        image.parent.mkdir(parents=True, exist_ok=True)
        from PIL import Image

        Image.new("RGB", (1600, 900), "white").save(image)
    assert tool_errors(path, theme) == [], article
    assert_clean(server.open((DATA / "_every-snippet.yaml").as_uri(), article))
