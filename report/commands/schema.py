"""`report schema`: the input format's JSON Schema, for editors."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from report.errors import ExitCode


def register(sub) -> None:
    s = sub.add_parser("schema", help="print the input format's JSON Schema",
                       description="Print the JSON Schema of the input format, which editors use "
                       "to autocomplete keys and underline mistakes.")
    s.add_argument("-o", "--out", type=Path, metavar="FILE", help="write it to this file instead "
                   "(e.g. schema/report.schema.json)")
    s.set_defaults(func=cmd_schema)


def schema_text() -> str:
    from report.input.schema import json_schema

    return json.dumps(json_schema(), indent=2, ensure_ascii=False) + "\n"


def cmd_schema(args) -> int:
    text = schema_text()
    if args.out:
        try:
            args.out.write_text(text, encoding="utf-8")
        except OSError as exc:
            print(f"{args.out}: error: cannot write the schema: {exc.strerror}", file=sys.stderr)
            return ExitCode.OUTPUT_ERROR
    else:
        sys.stdout.write(text)
    return ExitCode.OK
