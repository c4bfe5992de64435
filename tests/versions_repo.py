"""Temporary git repositories holding successive versions of the sample input (versions tests)."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest
from conftest import SAMPLE

TEXT = SAMPLE.read_text(encoding="utf-8")
_SCENARIOS = {"bear": "earnings breadth weakens, {}]", "base": 'moderately helpful", {}]',
              "bull": "improve sooner than expected, {}]"}
_DEFAULTS = {"bear": 30, "base": 45, "bull": 25}


def edited(text: str = TEXT, *, as_of: str | None = None, stat: str | None = None,
           **probabilities: int) -> str:
    """The sample with another as-of date, 1-year return and scenario probabilities."""
    if as_of:
        text = _swap(text, "as_of: 2026-03-31", f"as_of: {as_of}")
    if stat:
        text = _swap(text, "value: 25.72%", f"value: {stat}")
    for tone, value in probabilities.items():
        pattern = _SCENARIOS[tone]
        text = _swap(text, pattern.format(_DEFAULTS[tone]), pattern.format(value))
    return text


def _swap(text: str, old: str, new: str) -> str:
    assert text.count(old) == 1, old
    return text.replace(old, new)


class Repo:
    """A git work tree in a temporary folder; commits are made with the real git command."""

    def __init__(self, root: Path):
        self.root = root
        root.mkdir(parents=True, exist_ok=True)
        self.git("init", "-q", "-b", "main")

    def git(self, *args: str) -> str:
        done = subprocess.run(["git", *args], cwd=self.root, capture_output=True, text=True)
        assert done.returncode == 0, done.stderr
        return done.stdout.strip()

    def write(self, name: str, text: str) -> Path:
        path = self.root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        return path

    def commit(self, name: str, text: str, message: str = "update") -> str:
        self.write(name, text)
        self.git("add", name)
        self.git("commit", "-q", "-m", message)
        return self.git("rev-parse", "HEAD")


def isolate_git(monkeypatch) -> None:
    """git isolated from the user's and the system's configuration, with a fixed identity and date
    (so commit ids, and the versions printed in PDFs, are the same on every machine)."""
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", os.devnull)
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    for var in ("GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE", "GIT_CEILING_DIRECTORIES"):
        monkeypatch.delenv(var, raising=False)
    for role in ("AUTHOR", "COMMITTER"):
        monkeypatch.setenv(f"GIT_{role}_NAME", "Analyst")
        monkeypatch.setenv(f"GIT_{role}_EMAIL", "analyst@example.com")
        monkeypatch.setenv(f"GIT_{role}_DATE", "2026-04-30T12:00:00Z")


@pytest.fixture
def git_env(monkeypatch):
    isolate_git(monkeypatch)


@pytest.fixture
def repo(tmp_path, git_env) -> Repo:
    return Repo(tmp_path / "series")


@pytest.fixture
def outside(tmp_path, git_env, monkeypatch) -> Path:
    """A folder that is in no git repository (git stops looking above it)."""
    folder = tmp_path / "plain"
    folder.mkdir()
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))
    return folder
