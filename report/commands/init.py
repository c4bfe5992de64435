"""`report init [DIR]`: a new reports repository, from the starter shipped in the package.

It holds an example article (`inputs/`), a copy of a built-in brand for the desk to make its own
(`assets/brands/NAME/`, which then takes the built-in's place), the input format's JSON Schema for
editors, a `.gitignore` for built PDFs and a pre-commit configuration that validates inputs. Every
file is checked before any is written: nothing existing is ever overwritten, and a failure halfway
removes what this run created.
"""

from __future__ import annotations

import shlex
import shutil
import subprocess
import sys
from pathlib import Path

from report.errors import Diagnostic, ExitCode, ReportError

# starter file -> its name in the new repository (dot files are stored without the dot, so that
# they do not act in this repository)
STARTER_NAMES = {"gitignore": ".gitignore", "pre-commit-config.yaml": ".pre-commit-config.yaml"}


def register(sub) -> None:
    i = sub.add_parser("init", help="set up a reports repository (example input, brand, pre-commit)",
                       description="Set up a reports repository in DIR: inputs/ with an example "
                       "article, assets/brands/NAME/ (a copy of a built-in brand to make your own), "
                       "schema/ for editors, a .gitignore for built PDFs and a pre-commit "
                       "configuration. Existing files are never overwritten.")
    i.add_argument("folder", nargs="?", type=Path, default=Path("."), metavar="DIR",
                   help="the folder to set up, created if needed (default: the working folder)")
    i.add_argument("--brand", default=None, metavar="NAME", help="the built-in brand to copy "
                   "(default: meridian; `report brands` lists them)")
    i.add_argument("--no-git", action="store_true", help="do not run `git init` (by default a "
                   "folder that is not in a git repository becomes one)")
    i.set_defaults(func=cmd_init)


def _plan(brand: str) -> dict[Path, Path]:
    """Relative path in the new repository -> the packaged file it is copied from."""
    import report.assets
    import report.schema
    from report.brand.discover import builtin_brands_dir

    assets = Path(report.assets.__file__).resolve().parent
    starter = assets / "starter"
    plan = {Path(*(STARTER_NAMES.get(part, part) for part in f.relative_to(starter).parts)): f
            for f in sorted(starter.rglob("*")) if f.is_file()}
    folder = builtin_brands_dir() / brand
    if not (folder / "_brand.yml").is_file():
        from report.brand.theme import available_brands

        raise ReportError([Diagnostic("report", 0, 0, f"no built-in brand '{brand}'",
                                      hint=f"built-in brands: {', '.join(available_brands())}")],
                          ExitCode.USAGE)
    plan |= {Path("assets", "brands", brand) / f.relative_to(folder): f
             for f in sorted(folder.rglob("*")) if f.is_file()}
    plan[Path("schema", "report.schema.json")] = Path(report.schema.__file__).parent / "report.schema.json"
    return plan


def _write_all(root: Path, plan: dict[Path, Path]) -> None:
    """Copy every file, creating none that exists; on failure, remove what was created."""
    created: list[Path] = []
    try:
        for rel, source in plan.items():
            target = root / rel
            for parent in reversed(target.parents):
                if not parent.exists():
                    parent.mkdir()
                    created.append(parent)
            with source.open("rb") as src, target.open("xb") as dst:  # x: never overwrite
                created.append(target)
                shutil.copyfileobj(src, dst)
    except BaseException:
        for path in reversed(created):
            path.unlink() if path.is_file() else path.rmdir()
        raise


def _existing(root: Path, existing: list[Path], planned: int) -> Diagnostic:
    shown = [str(rel) for rel in existing[:4]] + ([f"and {len(existing) - 4} more"] if len(existing) > 4 else [])
    return Diagnostic(str(root), 0, 0, f"{len(existing)} of the {planned} files to set up already "
                      f"exist: {', '.join(shown)}; nothing was written",
                      hint="report init never overwrites a file: choose another folder, or move "
                      "those files away")


def _git_init(root: Path) -> str:
    try:
        done = subprocess.run(["git", "init", "-q", str(root)], capture_output=True, text=True, timeout=60)
    except (OSError, subprocess.TimeoutExpired):
        return "git was not found: run `git init` there to keep the inputs' history"
    if done.returncode != 0:
        return f"`git init` failed ({done.stderr.strip() or done.returncode}): run it yourself"
    return ""


def cmd_init(args) -> int:
    from report.brand.discover import DEFAULT_BRAND, git_root

    root: Path = args.folder
    brand = args.brand or DEFAULT_BRAND
    try:
        plan = _plan(brand)
        if root.exists() and not root.is_dir():
            raise ReportError([Diagnostic(str(root), 0, 0, "is a file, not a folder")], ExitCode.USAGE)
        existing = [rel for rel in plan if (root / rel).exists() or (root / rel).is_symlink()]
        if existing:
            raise ReportError([_existing(root, existing, len(plan))], ExitCode.OUTPUT_ERROR)
        in_git = git_root(root if root.exists() else root.parent) is not None
        try:
            _write_all(root, plan)
        except OSError as exc:
            raise ReportError([Diagnostic(str(exc.filename or root), 0, 0, f"cannot write: "
                                          f"{exc.strerror}; nothing was set up")],
                              ExitCode.OUTPUT_ERROR) from None
    except ReportError as exc:
        print(exc, file=sys.stderr)
        return exc.code
    git_note = "" if in_git or args.no_git else _git_init(root)
    _summary(root, brand, git_initialised=not (in_git or args.no_git or git_note))
    if git_note:
        print(f"report: note: {git_note}", file=sys.stderr)
    return ExitCode.OK


def _summary(root: Path, brand: str, git_initialised: bool) -> None:
    lines = [
        ("inputs/example-outlook.yaml", "an example article: edit it, or copy it for a new series"),
        (f"assets/brands/{brand}/", f"a copy of the built-in brand '{brand}', used in its place: "
         "make it your desk's"),
        ("schema/report.schema.json", "lets editors autocomplete the input format"),
        (".pre-commit-config.yaml", "runs `report validate --fit` on inputs (`pre-commit install`)"),
        (".gitignore", "keeps built PDFs out of git"),
        ("README.md", "how this repository works"),
    ]
    print(f"set up a reports repository in {root}" + (" (git init)" if git_initialised else ""))
    for name, what in lines:
        print(f"  {name:<30} {what}")
    cd = "" if root.resolve() == Path.cwd().resolve() else f"cd {shlex.quote(str(root))} && "
    print(f"next: {cd}report build inputs/*.yaml")
