"""The import path is the tool's own: `python -m report` and the `report` console script import nothing
from the working folder or the input's folder, even with an empty entry in PYTHONPATH."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
MINIMAL = Path(__file__).resolve().parent / "data" / "minimal.yaml"
SHADOWS = ("yaml", "reportlab", "matplotlib", "json", "argparse", "pydantic", "lxml", "fontTools", "svglib")


@pytest.fixture
def shadowed(tmp_path) -> Path:
    """A working folder holding the input, in a folder of its own, and modules named like the tool's
    imports, each leaving a marker file when it is run."""
    work = tmp_path / "work"
    (work / "in").mkdir(parents=True)
    shutil.copy(MINIMAL, work / "in" / "minimal.yaml")
    for folder in (work, work / "in"):
        for name in SHADOWS:
            (folder / f"{name}.py").write_text(f"open({str(tmp_path / ('ran-' + name))!r}, 'w').write('x')\n")
    return work


def _run(argv: list[str], cwd: Path) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("RL_", "MPL", "MATPLOTLIB"))}
    env["PYTHONPATH"] = os.pathsep + "/nonexistent"  # the empty entry means the working folder
    return subprocess.run(argv, cwd=cwd, env=env, capture_output=True, text=True, timeout=300)


def _ran(tmp_path: Path) -> list[str]:
    return sorted(p.name for p in tmp_path.glob("ran-*"))


def test_the_shadowing_modules_would_run(shadowed, tmp_path):
    """The control: without the tool's own start, Python imports them from the working folder."""
    result = _run([sys.executable, "-c", "from report.cli import main"], shadowed)
    assert result.returncode != 0 or _ran(tmp_path)
    assert "ran-argparse" in _ran(tmp_path) or "ran-json" in _ran(tmp_path)


def test_python_dash_m_report_imports_nothing_from_the_working_folder(shadowed, tmp_path):
    result = _run([sys.executable, "-m", "report", "build", "in/minimal.yaml", "-o", "out"], shadowed)
    assert result.returncode == 0, result.stderr
    assert _ran(tmp_path) == []
    assert (shadowed / "out" / "minimal.pdf").exists()


def test_the_console_script_imports_nothing_from_the_working_folder(shadowed, tmp_path):
    script = Path(sys.executable).parent / "report"
    if not script.exists():
        pytest.skip("the report console script is not installed beside this Python")
    result = _run([str(script), "validate", "in/minimal.yaml"], shadowed)
    assert result.returncode == 0, result.stderr
    assert _ran(tmp_path) == []


def test_own_import_path_drops_the_working_folder_only(tmp_path, monkeypatch):
    from report.__main__ import own_import_path

    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(sys, "path", ["", ".", str(tmp_path), "/usr/lib/python3", str(ROOT)])
    assert own_import_path() == ["", ".", str(tmp_path)]
    assert sys.path == ["/usr/lib/python3", str(ROOT)]
