"""A real package: the sdist and the wheel carry the brands (fonts, licences, logos), the starter and
the schema; a wheel installed in a fresh virtual environment, not editable, builds reports from any
folder, with built-in and repository brands, and sets up a new reports repository.

The sdist and wheel are built from a copy of the files git knows (as a clean clone has them), with
the backend of this environment (`python -m build --no-isolation`); the fresh environment gets its
dependencies from PyPI through pip's cache, exactly as a user's would.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path

import pytest
from conftest import ROOT

from pdfcheck import page_texts


def _tracked() -> list[str]:
    out = subprocess.run(["git", "ls-files", "--cached", "--others", "--exclude-standard"], cwd=ROOT,
                         capture_output=True, text=True, check=True).stdout.splitlines()
    return [f for f in out if (ROOT / f).is_file()]


def _packaged(name: str) -> str | None:
    """Where a repository file lands in the wheel (None: it is not meant to be there)."""
    for folder, package in (("report/", "report/"), ("assets/", "report/assets/"),
                            ("schema/", "report/schema/")):
        if name.startswith(folder):
            return package + name[len(folder):]
    return None


@pytest.fixture(scope="module")
def dist(tmp_path_factory) -> Path:
    """sdist and wheel (the wheel built from the sdist) of a clean copy of the repository."""
    tmp = tmp_path_factory.mktemp("dist")
    src = tmp / "src"
    for name in _tracked():
        (src / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / name, src / name)
    subprocess.run([sys.executable, "-m", "build", "--no-isolation", "--outdir", str(tmp / "dist"),
                    str(src)], check=True, capture_output=True)
    return tmp / "dist"


def test_the_wheel_holds_every_module_brand_file_starter_and_the_schema(dist):
    wheel = next(dist.glob("report-*.whl"))
    with zipfile.ZipFile(wheel) as z:
        held = set(z.namelist())
    wanted = {_packaged(n) for n in _tracked()} - {None}
    assert wanted - held == set(), "add the package or pattern to pyproject.toml [tool.setuptools]"
    for needed in ("report/assets/brands/meridian/fonts/LICENSE-Lato.txt",
                   "report/assets/brands/harbor/logo.svg", "report/schema/report.schema.json",
                   "report/assets/starter/inputs/example-outlook.yaml", "report/commands/watch.py"):
        assert needed in held
    assert not [n for n in held if "__pycache__" in n or n.startswith(("tests/", "assets/"))]


def test_the_sdist_holds_the_sources_of_the_data(dist):
    sdist = next(dist.glob("report-*.tar.gz"))
    with tarfile.open(sdist) as t:
        held = {n.split("/", 1)[1] for n in t.getnames() if "/" in n}
    wanted = {n for n in _tracked() if n.startswith(("assets/", "schema/", "report/"))}
    assert wanted - held == set()


def test_an_editable_install_reads_the_repository_assets():
    import report.assets
    import report.schema
    from report.brand.discover import builtin_brands_dir

    assert Path(report.assets.__file__).resolve().parent == ROOT / "assets"
    assert Path(report.schema.__file__).resolve().parent == ROOT / "schema"
    assert (builtin_brands_dir() / "meridian" / "_brand.yml").is_file()


def _run(venv: Path, cwd: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in ("VIRTUAL_ENV", "PYTHONPATH", "PYTHONHOME")}
    env["PATH"] = f"{venv / 'bin'}{os.pathsep}{env.get('PATH', '')}"
    env["REPORT_CACHE_DIR"] = str(cwd / ".chart-cache")
    done = subprocess.run(["bash", "-c", " ".join(args)], cwd=cwd, env=env, capture_output=True, text=True)
    if check:
        assert done.returncode == 0, f"{' '.join(args)}: {done.returncode}\n{done.stdout}\n{done.stderr}"
    return done


@pytest.mark.slow
def test_a_wheel_in_a_fresh_environment_works_from_any_folder(dist, tmp_path):
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    wheel = next(dist.glob("report-*.whl"))
    subprocess.run([sys.executable, "-m", "pip", "--python", str(venv / "bin" / "python"), "install",
                    "--quiet", "--no-compile", "--disable-pip-version-check", str(wheel)],
                   check=True, capture_output=True)
    where = tmp_path / "elsewhere"
    where.mkdir()
    located = _run(venv, where, "python", "-c", "'import report; print(report.__file__)'").stdout
    assert located.startswith(str(venv)), "the package must come from the wheel, not the checkout"

    # The "done when": init a desk, build every input in it
    _run(venv, where, "report", "init", "desk")
    desk = where / "desk"
    _run(venv, desk, "report", "build", "inputs/*.yaml")
    first = "".join(page_texts(desk / "inputs" / "example-outlook.pdf"))
    assert "Meridian Research" in first and "Copper Outlook" in first

    # A built-in brand by name, from a folder outside any repository
    _run(venv, where, "report", "build", "desk/inputs/example-outlook.yaml", "--brand", "harbor", "-o", "harbor/")
    assert "Harbor Street Capital" in "".join(page_texts(where / "harbor" / "example-outlook.pdf"))

    # The desk's own copy of the brand takes the built-in's place, found from the input's repository
    brand = desk / "assets" / "brands" / "meridian" / "_brand.yml"
    brand.write_text(brand.read_text(encoding="utf-8").replace("Meridian Research", "Desk Research"),
                     encoding="utf-8")
    _run(venv, where, "report", "build", "desk/inputs/example-outlook.yaml", "-o", "local/")
    local = "".join(page_texts(where / "local" / "example-outlook.pdf"))
    assert "Desk Research" in local and "Meridian Research" not in local

    listed = _run(venv, desk, "report", "brands").stdout
    assert "meridian  repository  assets/brands/meridian" in listed
    assert f"harbor    built-in    {venv}" in listed
    assert _run(venv, desk, "report", "validate", "--fit", "inputs/*.yaml").stdout.startswith("ok ")
    assert _run(venv, where, "python", "-m", "report", "--version").stdout.startswith("report ")
