"""`report brands [PATH]`: every brand a `--brand NAME` can reach from PATH, and where it is."""

from __future__ import annotations

from pathlib import Path

from report.errors import ExitCode


def register(sub) -> None:
    b = sub.add_parser("brands", help="list the brands found and where they are",
                       description="List the brands that `--brand NAME` finds for inputs in PATH: "
                       "those in assets/brands/ of its repository (the git work tree holding it, "
                       "else the working folder) come first and take the place of a built-in "
                       "brand of the same name.")
    b.add_argument("where", nargs="?", type=Path, default=None, metavar="PATH",
                   help="an input or a folder of the reports repository (default: the working folder)")
    b.set_defaults(func=cmd_brands)


def _shown(path: Path) -> str:
    """A path as the user would type it: relative to the working folder when inside it."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def cmd_brands(args) -> int:
    from report.brand.discover import DEFAULT_BRAND, found_brands, repository_root

    found = found_brands(args.where)
    width = max(len(f.name) for f in found) if found else 0
    used: set[str] = set()
    for f in found:
        note = "" if f.name not in used else "  (not used: the one above takes its place)"
        default = "  (default)" if f.name == DEFAULT_BRAND and f.name not in used else ""
        print(f"{f.name:<{width}}  {f.origin:<10}  {_shown(f.file.parent)}{default}{note}")
        used.add(f.name)
    print(f"repository: {_shown(repository_root(args.where))} (brands of its own go in assets/brands/NAME/)")
    return ExitCode.OK
