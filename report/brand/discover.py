"""A brand name or path -> its `_brand.yml`: `--brand PATH`, then the reports repository's
`assets/brands/NAME`, then the brands built into the package.

The reports repository of an input is the git work tree holding it (the nearest folder above it
with a `.git`), else the working folder. So a desk keeps its own brand beside its articles and every
`report` command run on them finds it, from any folder; a brand of the same name there takes the
place of a built-in one. Nothing here reads a brand file: this only says where it is.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from report.errors import Diagnostic, ExitCode, ReportError

BRAND_FILE = "_brand.yml"
DEFAULT_BRAND = "meridian"
REPOSITORY_BRANDS = Path("assets") / "brands"


def builtin_brands_dir() -> Path:
    """The brands shipped with the package (the repository's assets/brands in a source checkout)."""
    import report.assets

    return Path(report.assets.__file__).resolve().parent / "brands"


def git_root(near: Path | str | None = None) -> Path | None:
    """The git work tree holding `near` (a file or folder; default: the working folder), or None."""
    start = Path.cwd() if near is None else Path(near).absolute()
    if not start.is_dir():
        start = start.parent
    for folder in (start, *start.parents):
        if (folder / ".git").exists():  # a folder, or a file in a linked work tree or submodule
            return folder
    return None


def repository_root(near: Path | str | None = None) -> Path:
    """The reports repository of `near`: its git work tree, else the working folder."""
    return git_root(near) or Path.cwd()


def is_path(value: str | Path) -> bool:
    """`--brand ./acme`, `--brand ../brands/acme/_brand.yml`: a path; `--brand acme`: a name."""
    text = str(value)
    return isinstance(value, Path) or "/" in text or os.sep in text or text in (".", "..") \
        or text.endswith((".yml", ".yaml"))


@dataclass(frozen=True)
class Found:
    """A brand found: its name, its brand file and where it came from."""

    name: str
    file: Path
    origin: str  # "path" (--brand PATH), "repository" or "built-in"


def _by_name(name: str, near) -> list[Found]:
    """Every brand file that the name could mean, the one used first."""
    out = []
    local = repository_root(near) / REPOSITORY_BRANDS / name / BRAND_FILE
    if local.is_file():
        out.append(Found(name, local, "repository"))
    builtin = builtin_brands_dir() / name / BRAND_FILE
    if builtin.is_file() and not (out and out[0].file.resolve() == builtin.resolve()):
        out.append(Found(name, builtin, "built-in"))
    return out


def find_brand(value: str | Path | None = None, near: Path | str | None = None) -> Found:
    """The brand that `--brand value` means for an input at `near`; raises ReportError (exit 3)."""
    value = DEFAULT_BRAND if value is None else value
    if is_path(value):
        path = Path(value)
        file = path if path.suffix in (".yml", ".yaml") else path / BRAND_FILE
        if not file.is_file():
            raise ReportError([Diagnostic(str(file), 0, 0, "no brand file here",
                                          hint=f"a brand is a folder holding {BRAND_FILE}, its "
                                          "fonts and its logo")], ExitCode.BRAND_ERROR)
        return Found(file.parent.name, file, "path")
    found = _by_name(str(value), near)
    if found:
        return found[0]
    names = ", ".join(sorted({f.name for f in found_brands(near)}))
    hint = f"brands found: {names}; a brand of this repository goes in " \
           f"{repository_root(near) / REPOSITORY_BRANDS / str(value)}/"
    if (Path(str(value)) / BRAND_FILE).is_file():
        hint = f"the folder {value}/ holds a brand: pass it as a path, --brand ./{value}"
    raise ReportError([Diagnostic("report", 0, 0, f"brand '{value}' not found", hint=hint)],
                      ExitCode.BRAND_ERROR)


def found_brands(near: Path | str | None = None) -> list[Found]:
    """Every brand that a name can reach from `near`: the repository's, then the built-in ones,
    in that order for each name (the first of a name is the one used)."""
    names = set()
    for folder in (repository_root(near) / REPOSITORY_BRANDS, builtin_brands_dir()):
        names |= {p.parent.name for p in folder.glob(f"*/{BRAND_FILE}")}
    return [f for name in sorted(names) for f in _by_name(name, near)]
