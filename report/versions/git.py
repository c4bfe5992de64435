"""The git command line -> an input file's committed versions (commit ids, names, file bytes).

Git itself reads the history (no GitPython): `log --follow` follows renames, `cat-file --batch` reads
every version in one process. Nothing here writes to the repository; `GIT_OPTIONAL_LOCKS=0` keeps
`git status` from refreshing the index while others work in the same tree.
"""

from __future__ import annotations

import os
import subprocess
from dataclasses import dataclass
from pathlib import Path

GIT_TIMEOUT = 60  # seconds; a history read that takes longer is a stuck process, not a slow repo
SHORT = 7  # fixed, so an id printed today reads the same when the repository grows


class GitError(Exception):
    """git is missing or failed in a way the user should hear about."""


@dataclass(frozen=True)
class Tracked:
    """An input file inside a git work tree."""

    root: Path
    path: str  # relative to root, '/'-separated, as git names it today


@dataclass(frozen=True)
class Revision:
    """One commit that changed the file, and the file's name in that commit."""

    commit: str
    path: str

    @property
    def short(self) -> str:
        return self.commit[:SHORT]


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env.update(GIT_OPTIONAL_LOCKS="0", LC_ALL="C", GIT_TERMINAL_PROMPT="0")
    return env


def run(cwd: Path, *args: str, stdin: bytes | None = None, check: bool = True) -> bytes:
    """Run one git command in `cwd` and return its standard output."""
    try:
        done = subprocess.run(["git", "-c", "core.quotepath=off", *args], cwd=cwd, input=stdin,
                              capture_output=True, env=_env(), timeout=GIT_TIMEOUT)
    except FileNotFoundError:
        raise GitError("git is not installed (or not on PATH)") from None
    except subprocess.TimeoutExpired:
        raise GitError(f"git {args[0]} took over {GIT_TIMEOUT} s") from None
    if check and done.returncode != 0:
        message = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise GitError(f"git {args[0]} failed: {message[-1] if message else done.returncode}")
    return done.stdout


def locate(path: Path) -> Tracked | None:
    """The work tree holding `path`, or None when it is not in one (or git is missing)."""
    path = Path(path).resolve()
    try:
        out = subprocess.run(["git", "rev-parse", "--show-toplevel"], cwd=path.parent,
                             capture_output=True, env=_env(), timeout=GIT_TIMEOUT)
    except (FileNotFoundError, NotADirectoryError, subprocess.TimeoutExpired):
        return None
    if out.returncode != 0:
        if b"dubious ownership" in out.stderr:  # git refuses another user's repository: say so
            raise GitError("git refuses this repository (owned by another user); see "
                           "`git config --global --add safe.directory`")
        return None
    root = Path(out.stdout.decode("utf-8", "surrogateescape").strip()).resolve()
    try:
        return Tracked(root, path.relative_to(root).as_posix())
    except ValueError:  # the file is a symlink out of the tree, or the like
        return None


def is_shallow(t: Tracked) -> bool:
    return run(t.root, "rev-parse", "--is-shallow-repository").strip() == b"true"


def revisions(t: Tracked, start: str = "HEAD") -> list[Revision]:
    """Commits that changed the file, newest first, following renames."""
    if not run(t.root, "rev-parse", "--verify", "--quiet", "HEAD", check=False).strip():
        return []  # a repository without commits yet
    out = run(t.root, "log", "--follow", "--diff-filter=ACMRT", "--format=%x1e%H", "--name-only",
              start, "--", t.path).decode("utf-8", "surrogateescape")
    found = []
    for record in out.split("\x1e")[1:]:
        lines = [x for x in record.splitlines() if x]
        if len(lines) >= 2:
            found.append(Revision(lines[0], lines[-1]))
    return found


def read(t: Tracked, revs: list[Revision]) -> dict[str, bytes | None]:
    """The file's bytes in each revision ({commit: bytes}, None when missing), in one git process."""
    if not revs:
        return {}
    query = "".join(f"{r.commit}:{r.path}\n" for r in revs).encode("utf-8", "surrogateescape")
    out = run(t.root, "cat-file", "--batch", stdin=query)
    blobs: dict[str, bytes | None] = {}
    at = 0
    for r in revs:
        end = out.index(b"\n", at)
        header = out[at:end].split()
        at = end + 1
        if len(header) == 3 and header[1] == b"blob":
            size = int(header[2])
            blobs[r.commit] = out[at:at + size]
            at += size + 1
        else:  # "<name> missing", or not a file
            blobs[r.commit] = None
    return blobs


def state(t: Tracked) -> str:
    """'clean', 'modified' (differs from its last commit, staged or not) or 'untracked'."""
    out = run(t.root, "status", "--porcelain=v1", "-z", "--untracked-files=all", "--", t.path)
    if not out:
        return "clean"
    return "untracked" if out.startswith(b"??") else "modified"


def resolve(t: Tracked, rev: str) -> str | None:
    """The full commit id `rev` names, or None when the repository has no such commit."""
    if rev.startswith("-"):
        return None
    out = run(t.root, "rev-parse", "--verify", "--quiet", "--end-of-options", f"{rev}^{{commit}}",
              check=False)
    return out.decode().strip() or None


def is_ancestor(t: Tracked, older: str, newer: str) -> bool:
    done = subprocess.run(["git", "merge-base", "--is-ancestor", older, newer], cwd=t.root,
                          capture_output=True, env=_env(), timeout=GIT_TIMEOUT)
    return done.returncode == 0


def at(t: Tracked, commit: str, history: list[Revision]) -> Revision | None:
    """The file as it was in `commit`: the newest of its revisions that `commit` contains."""
    for r in history:
        if r.commit == commit or is_ancestor(t, r.commit, commit):
            return r
    return None


def modes(t: Tracked, commit: str, paths: list[str]) -> dict[str, str]:
    """The tree mode of each of `paths` in `commit` ('100644', '120000' for a symlink, …); paths
    missing there are left out."""
    if not paths:
        return {}
    out = run(t.root, "ls-tree", "-z", "--full-tree", commit, "--", *paths).decode("utf-8", "surrogateescape")
    found = {}
    for record in filter(None, out.split("\0")):
        meta, _, name = record.partition("\t")
        found[name] = meta.split()[0]
    return found
