"""The JSON Schema says what the tool accepts (the number rule, non-blank text, calendar dates),
checked field by field against the model without an editor; tests/test_editor.py runs a real one."""

from __future__ import annotations

import copy
import json
import re
import typing
from typing import Annotated, Literal, Union

import pytest
from pydantic import BaseModel
from pydantic_core import PydanticCustomError

from report.input import model
from report.input.parse import _all_models
from report.input.schema import json_schema


def leaf_types(annotation) -> set:
    """The scalar types a field's value is made of (through Optional, lists, dicts and Annotated)."""
    origin = typing.get_origin(annotation)
    if origin is Annotated:
        return leaf_types(typing.get_args(annotation)[0])
    if origin in (Union, list, dict) or str(origin) == "types.UnionType":
        args = typing.get_args(annotation)[1:] if origin is dict else typing.get_args(annotation)
        return set().union(*(leaf_types(a) for a in args))
    if origin is Literal:
        return {Literal}
    if annotation is type(None) or isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return set()
    return {annotation}


def is_text(annotation) -> bool:
    """Whether a field is text: its type carries the model's text marker (Text, ShortText)."""
    if typing.get_origin(annotation) is Annotated:
        if any(isinstance(m, model._TextSchema) for m in annotation.__metadata__):
            return True
    return any(is_text(a) for a in typing.get_args(annotation))


def fields(schema: dict):
    """(model, field name, its annotation, the field's JSON Schema) for every field of every model."""
    for cls in _all_models(model.Report):
        if not issubclass(cls, BaseModel):
            continue
        node = schema if cls is model.Report else schema["$defs"].get(cls.__name__)
        if node is None:  # written as another type (ParagraphBlock is written as Paragraph)
            continue
        for name, info in cls.model_fields.items():
            annotation = Annotated[(info.annotation, *info.metadata)] if info.metadata else info.annotation
            yield cls, name, annotation, node["properties"][name]


def number_rule_problems(schema: dict) -> list[str]:
    """Rule 5 of the number rule: number fields never accept a string, booleans only where the model
    has one, and a text field accepts non-blank text or a number."""
    problems = []
    for cls, name, annotation, node in fields(schema):
        leaves, text = leaf_types(annotation), json.dumps(node)
        where = f"{cls.__name__}.{name}"
        if leaves == {float} and ('"number"' not in text or '"string"' in text):
            problems.append(f"{where}: a number field must be {{type: number}} only")
        if (bool in leaves) != ('"boolean"' in text):
            problems.append(f"{where}: boolean in the schema {'missing' if bool in leaves else 'not in the model'}")
        if is_text(annotation) and not ('"number"' in text and '"pattern": "\\\\S"' in text):
            problems.append(f"{where}: a text field accepts non-blank text or a number")
    return problems


def _nodes(node):
    if isinstance(node, dict):
        yield node
        for value in node.values():
            yield from _nodes(value)
    elif isinstance(node, list):
        for value in node:
            yield from _nodes(value)


def blank_text_problems(schema: dict) -> list[str]:
    """Rule 4: every string the schema accepts has a visible character."""
    problems = []
    for node in _nodes(schema):
        if node.get("type") == "string":
            pattern = node.get("pattern")
            choices = node.get("enum", [node["const"]] if "const" in node else None)
            if choices is not None:
                if not all(isinstance(c, str) and c.strip() for c in choices):
                    problems.append(f"blank choice: {choices}")
            elif pattern is None or any(re.search(pattern, blank) for blank in ("", " ", " \n\t")):
                problems.append(f"a string schema accepts blank text: {json.dumps(node)[:120]}")
    return problems


def test_the_number_rule_holds_for_every_field():
    assert number_rule_problems(json_schema()) == []


def test_no_string_in_the_schema_may_be_blank():
    assert blank_text_problems(json_schema()) == []


def test_controls_prove_the_rule_checks_can_fail():
    schema = json_schema()
    tampered = copy.deepcopy(schema)
    tampered["$defs"]["Series"]["properties"]["values"]["items"] = {"type": ["number", "string"]}
    tampered["$defs"]["Section"]["properties"]["numbered"] = {"type": "string", "pattern": "\\S"}
    tampered["$defs"]["KeyStat"]["properties"]["label"]["anyOf"][0]["pattern"] = ".*"
    tampered["$defs"]["KeyStat"]["properties"]["value"] = {"type": "string", "pattern": "\\S"}
    assert sorted(p.split(":")[0] for p in number_rule_problems(tampered)) == [
        "KeyStat.label", "KeyStat.value", "Section.numbered", "Series.values"]
    assert len(blank_text_problems(tampered)) == 1


def _tool_accepts_date(text: str) -> bool:
    try:
        model.Reference(title="t", date=text)
    except ValueError:
        return False
    return True


def test_the_date_pattern_is_the_calendar():
    pattern = re.compile(model.CALENDAR_DATE)
    for year in (1, 4, 100, 400, 1900, 1999, 2000, 2023, 2024, 2026, 2100, 2400, 9996, 9999):
        for month in range(0, 14):
            for day in (0, 1, 9, 10, 19, 20, 28, 29, 30, 31, 32):
                text = f"{year:04d}-{month:02d}-{day:02d}"
                assert bool(pattern.search(text)) == _tool_accepts_date(text), text
    for text in ("0000-01-01", "2026-3-31", "2026-03-31T00:00", " 2026-03-31", "31/03/2026", "2026-02-30"):
        assert not pattern.search(text) and not _tool_accepts_date(text), text


@pytest.mark.parametrize("text", ["", " ", "\n", "\t", "a", " a ", "a\nb", "a\tb", "a\x1bb", "\x7f", "a\x85",
                                  "\u00a0", "a\u00a0b", "\ud800", "é", "<b>"])
def test_the_text_patterns_are_the_tools_rule(text):
    """The text schema's patterns accept exactly the strings the model's text check accepts."""
    string = model.text_json_schema({"maxLength": 10})["anyOf"][0]
    by_schema = bool(re.search(string["pattern"], text)) and all(
        re.search(rule["pattern"], text) for rule in string["allOf"])
    try:
        model._clean_text(text)
        by_tool = True
    except PydanticCustomError:
        by_tool = False
    assert by_schema == by_tool


def test_every_block_kind_is_declared_as_written():
    """A plain string and `lead` + `text` are blocks in the schema; the `paragraph:` wrapper is not."""
    blocks = json_schema()["$defs"]["Section"]["properties"]["blocks"]["items"]["oneOf"]
    refs = {b.get("$ref", "").rsplit("/", 1)[-1] for b in blocks}
    assert any(b.get("type") == "string" for b in blocks)
    assert "Paragraph" in refs and "ParagraphBlock" not in refs
