"""From a YAML file to a validated model, with every pydantic error mapped back to file:line:column.

Messages are reworded for people who edit YAML by hand, one per mistake, with a hint where one
helps ("did you mean 'source'?").
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import TypeVar

from pydantic import BaseModel, ValidationError

from report.errors import Diagnostic, ExitCode, ReportError, format_path
from report.input.load import SourceMap, load_file, printable

M = TypeVar("M", bound=BaseModel)

_MESSAGES = {
    "string_type": "expected text",
    "float_type": "expected a number",
    "float_parsing": "expected a number",
    "int_type": "expected a whole number",
    "int_parsing": "expected a whole number",
    "bool_type": "expected true or false",
    "date_type": "expected a date written YYYY-MM-DD",
    "date_parsing": "expected a date written YYYY-MM-DD",
    "date_from_datetime_parsing": "expected a date written YYYY-MM-DD",
    "list_type": "expected a list ('- item' lines)",
    "dict_type": "expected a mapping ('key: value' lines)",
    "model_type": "expected a mapping ('key: value' lines)",
    "model_attributes_type": "expected a mapping ('key: value' lines)",
    "finite_number": "must be a finite number",
}


def _walk(data, loc: tuple) -> tuple:
    """The part of a pydantic location that names real places in the data (union tags dropped)."""
    path: list = []
    node = data
    for part in loc:
        if isinstance(node, dict) and isinstance(part, str) and part in node:
            node = node[part]
        elif isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
            node = node[part]
        else:  # a union tag, or `text` of a bare paragraph validated as {text: ...}
            continue
        path.append(part)
    return tuple(path)


def _extend(data, base: tuple, extra: tuple) -> tuple:
    return _walk(data, base + tuple(extra))


def _fields_of(models: list[type[BaseModel]], siblings: set[str]) -> list[str]:
    """Fields of the model that best matches the keys written beside an unknown one."""
    best = max(models, key=lambda m: len(siblings & set(m.model_fields)))
    return list(best.model_fields)


def _all_models(root: type[BaseModel]) -> list[type[BaseModel]]:
    seen: list[type[BaseModel]] = []

    def visit(tp) -> None:
        if isinstance(tp, type) and issubclass(tp, BaseModel):
            if tp in seen:
                return
            seen.append(tp)
            for f in tp.model_fields.values():
                visit(f.annotation)
        for arg in getattr(tp, "__args__", ()) or ():
            visit(arg)
        for meta in getattr(tp, "__metadata__", ()) or ():
            visit(meta)
        origin = getattr(tp, "__origin__", None)
        if origin is not None and origin is not tp:
            visit(origin)

    visit(root)
    return seen


def _diagnostic(err: dict, data, smap: SourceMap, models) -> Diagnostic:
    ctx = err.get("ctx") or {}
    kind = err["type"]
    path = _walk(data, err["loc"])
    if "path" in ctx:
        path = _extend(data, path, ctx["path"])
    hint = ctx.get("hint", "")
    message = _MESSAGES.get(kind, err["msg"])
    key = False
    shown = None  # the path as printed, when it differs from the path located
    if kind == "extra_forbidden":
        name = err["loc"][-1]
        path, key = _walk(data, err["loc"][:-1]) + (name,), True
        parent = path[:-1]
        node = data
        for p in parent:
            node = node[p]
        fields = _fields_of(models, set(node) if isinstance(node, dict) else set())
        message = "unknown field"
        if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_-]*", str(name)):  # ' 0', 'a.b': quote it, not a path
            message, shown = f"unknown field '{name}'", format_path(parent)
        import difflib  # only for a mistake: validating a good input never needs it

        close = difflib.get_close_matches(str(name), fields, n=1, cutoff=0.6)
        hint = f"did you mean '{close[0]}'?" if close else f"known fields: {', '.join(fields)}"
    elif kind == "missing":
        field = err["loc"][-1]
        message = f"missing required field '{field}'"
        path = _walk(data, err["loc"][:-1])
        key = True
    elif kind == "literal_error":
        message = f"must be one of {ctx.get('expected', '')}"
    elif kind in ("too_long", "string_too_long") and isinstance(getattr(err.get("input"), "source",
                                                                         err.get("input")), str):
        limit = ctx.get("max_length")
        length = ctx.get("actual_length") or len(str(getattr(err["input"], "source", err["input"])))
        message = f"text is {length:,} characters, over the {limit:,}-character limit"
        hint = hint or ("split it into several paragraphs" if limit and limit > 1000
                        else "shorten it; longer text belongs in a paragraph")
    elif kind in ("greater_than_equal", "less_than_equal"):
        from report.input.model import MAX_CHART_VALUE

        bound = ctx.get("ge", ctx.get("le"))
        written = getattr(err.get("input"), "source", err.get("input"))
        if bound is not None and abs(float(bound)) == MAX_CHART_VALUE:
            message = f"{written} is too large for a chart (the limit is ±{MAX_CHART_VALUE:g})"
            hint = "change the unit, e.g. billions instead of units"
        else:
            message = f"must be {'at least' if kind == 'greater_than_equal' else 'at most'} {bound}, got {written}"
    elif kind == "too_short":
        message = f"needs at least {ctx.get('min_length')} item(s)"
    elif kind == "too_long":
        message = f"has {ctx.get('actual_length')} items, over the limit of {ctx.get('max_length')}"
    elif kind.startswith("date") and isinstance(err.get("input"), str) \
            and re.fullmatch(r"\d{4}-\d{2}-\d{2}", err["input"]):
        message = f"'{err['input']}' is not a date in the calendar"
    elif kind == "string_pattern_mismatch":
        pattern = str(ctx.get("pattern", ""))
        message = ("must be an http(s):// or mailto: link" if "https?" in pattern
                   else "must be a relative path to a .csv file, e.g. charts/capex.csv" if "[Cc][Ss][Vv]" in pattern
                   else "must be lower-case letters, digits and hyphens, e.g. 'scenarios'")
        if "[Cc][Ss][Vv]" in pattern:
            hint = "name the file from the input's folder, without a leading /"
    elif kind == "number_text":
        hint = _number_hint(ctx, path, smap) or hint
    elif kind in ("string_type", "bool_type") and isinstance(err.get("input"), (bool, str)):
        hint = hint or ("quote it to keep it as text" if kind == "string_type" else "write true or false")
    elif kind == "block_kind":
        node = err.get("input")
        if isinstance(node, dict):
            import difflib

            close = difflib.get_close_matches(next(iter(node), ""), ["text", "callout", "table", "chart",
                                                                    "numbered", "faq", "lead"], n=1)
            hint = f"did you mean '{close[0]}'?" if close else ""
            if "paragraph" in node:  # the spelling of a lead-in paragraph before the schema's fix
                hint = "a paragraph with a bold lead-in is written 'lead:' and 'text:' in the block itself"
    elif kind == "union_tag_invalid":
        message = f"kind must be one of {ctx.get('expected_tags', '')}"
    if "choices" in ctx and ctx["choices"]:
        hint = hint or f"known: {', '.join(ctx['choices'])}"
    if kind == "extra_forbidden":
        pass  # an unknown key is wrong whatever its value: its hint names the known fields
    elif path in smap.comments and kind != "missing":
        hint = (f"'#' starts a YAML comment, so the value is empty; to keep it as text, quote it: "
                f"\"{smap.comments[path]}\"")
    elif err.get("input", "") is None and kind not in ("missing", "block_kind", "cell_type"):
        hint = ("the item is empty: write it, or remove the item" if path and isinstance(path[-1], int)
                else "the value is empty: write it")
    file, line, col = smap.where(path, key=key)
    if key and kind == "missing" and path in smap.keys:
        line, col = smap.keys[path]
    if file != smap.file:  # a cell of a data file
        message, hint = _cell_message(kind, err.get("input"), message, hint)
    shown = format_path(path) if shown is None else shown
    return Diagnostic(file, line, col, printable(message), printable(shown), printable(hint))


def _cell_message(kind: str, value, message: str, hint: str) -> tuple[str, str]:
    """Messages about a CSV cell say what the cell holds and how a spreadsheet writes it right."""
    if kind not in ("number_text", "number_type", "float_type") or not isinstance(value, (str, type(None))):
        return message, hint
    if value is None:
        return "the cell is empty; expected a number", "a chart needs a number in every cell of a series"
    text = value.strip()
    if re.fullmatch(r"[-+\u2212]?[\d.,]+\s*%", text):
        hint = "write the number alone (12.5, not 12.5%) and say the unit in the axis label"
    elif re.fullmatch(r"[-+]?\d{1,3}(,\d{3})+(\.\d+)?", text):
        hint = "write it without thousands separators, e.g. 1234.5"
    elif re.fullmatch(r"[-+]?\d+,\d+", text):
        hint = "write the decimal point as '.', e.g. 3.5"
    else:
        hint = "write a number, e.g. 3.5 or -12"
    return f"expected a number, got '{text}'", hint


def _number_hint(ctx: dict, path: tuple, smap: SourceMap) -> str:
    """`write 1000 without quotes`: the number a text seems to mean, and how to write it."""
    plain, written = ctx.get("plain"), str(ctx.get("value", "")).strip()
    if not plain:
        return ""
    dropped = [part for part, on in (("quotes", path in smap.quoted), ("the % sign", written.endswith("%")))
               if on]
    hint = f"write {plain}" + (f" without {' or '.join(dropped)}" if dropped else "")
    if re.fullmatch(r"[-+]?0[0-9]+(\.[0-9]*)?", written):
        hint += " (no leading zero: YAML versions read leading zeros differently)"
    return hint


def _misspelled(diags: list[Diagnostic]) -> set[tuple[str, str]]:
    """(mapping path, field) of each missing field that an unknown key beside it misspells."""
    out = set()
    for d in diags:
        if d.message == "unknown field" and d.hint.startswith("did you mean '"):
            parent = d.path.rpartition(".")[0] if "." in d.path else ""
            out.add((parent, d.hint.split("'")[1]))
    return out


def diagnostics(exc: ValidationError, data, smap: SourceMap, root: type[BaseModel]) -> list[Diagnostic]:
    models = _all_models(root)
    seen: set = set()
    out = []
    for err in exc.errors(include_url=False):
        d = _diagnostic(err, data, smap, models)
        if (d.line, d.column, d.message) not in seen:  # a union can report one mistake twice
            seen.add((d.line, d.column, d.message))
            out.append(d)
    typos = _misspelled(out)  # `lable:` is one mistake, not an unknown and a missing field
    return [d for d in out if not (d.message.startswith("missing required field '")
                                   and (d.path, d.message.split("'")[1]) in typos)]


def _eaten(smap: SourceMap) -> list[Diagnostic]:
    """Values a comment ate: `value: #1 pick` is YAML for an empty value and the comment '#1 pick'.
    A `#` right before a word is text the author meant; a comment is written `# like this`."""
    out = []
    for path, comment in smap.comments.items():
        if re.match(r"#[^\s#]", comment):
            line, col = smap.locate(path)
            out.append(Diagnostic(smap.file, line, col, "the value is empty: '#' starts a YAML comment",
                                  printable(format_path(path)),
                                  printable(f"to keep it as text, quote it: \"{comment}\"")))
    return out


def validate_data(model: type[M], data, smap: SourceMap, code: ExitCode = ExitCode.INPUT_ERROR) -> M:
    eaten = _eaten(smap)
    try:
        result = model.model_validate(data)
    except ValidationError as exc:
        named = {d.path for d in eaten}  # one message per mistake: the comment's says it all
        found = [d for d in diagnostics(exc, data, smap, model) if d.path not in named]
        raise ReportError(eaten + found, code) from None
    if eaten:
        raise ReportError(eaten, code)
    return result


def parse_file(path: Path | str, model: type[M] | None = None) -> tuple[M, SourceMap]:
    """Load and validate one report input (with its data files) or any model's YAML file; raises
    ReportError."""
    if model is None:
        return read_report(path)
    data, smap = load_file(path)
    return validate_data(model, data, smap), smap


def folder_of(path: Path | str):
    """The data files of the input at `path`: its folder on disk."""
    from report.input.csvdata import Folder

    return Folder(Path(path).parent, os.path.dirname(str(path)))


def validate_report(data, smap: SourceMap, source):
    """A loaded input, its charts' data files read from `source` (report.input.csvdata), as a
    validated Report; raises ReportError with every mistake, in the YAML and the data files alike."""
    from report.input.csvdata import attach
    from report.input.model import Report

    eaten = _eaten(smap)
    problems, failed = attach(data, smap, source)
    try:
        report = Report.model_validate(data)
    except ValidationError as exc:
        unfilled = tuple(format_path(p) for p in failed)
        named = {d.path for d in eaten}  # one message per mistake: the comment's says it all
        problems += [d for d in diagnostics(exc, data, smap, Report) if d.path not in named  # a chart
                     and not (d.path.startswith(unfilled) and d.message.startswith("missing required"))]
        report = None
    problems = eaten + problems
    if problems or report is None:
        raise ReportError(problems)
    return report


def read_report(path: Path | str, theme=None):
    """Load and validate a report input with its data files and, given a theme, check its glyphs:
    (Report, SourceMap). Everything `report validate` checks, and all `report build` checks before
    rendering.
    """
    data, smap = load_file(path)
    report = validate_report(data, smap, folder_of(path))
    from report.input.files import check_files

    check_files(report, smap, Path(path).resolve().parent)  # figures from image files beside it
    if theme is not None:
        from report.brand.glyphs import check_glyphs

        check_glyphs(data, smap, theme)
    return report, smap
