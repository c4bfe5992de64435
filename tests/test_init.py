"""`report init`: a reports repository that builds at once, never over existing files; and the
pre-commit hooks it configures (and this repository exposes), run by pre-commit itself."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT

from report.cli import main

TALL = ROOT / "tests" / "data" / "bad" / "cell-taller-than-page.yaml"
CREATED = [".gitignore", ".pre-commit-config.yaml", "README.md", "assets/brands/meridian/_brand.yml",
           "assets/brands/meridian/fonts/LICENSE-Lato.txt", "assets/brands/meridian/fonts/Lato-Bold.ttf",
           "assets/brands/meridian/fonts/Lato-BoldItalic.ttf",
           "assets/brands/meridian/fonts/Lato-Italic.ttf", "assets/brands/meridian/fonts/Lato-Regular.ttf",
           "assets/brands/meridian/logo.svg", "inputs/example-outlook.yaml", "schema/report.schema.json"]


def _files(root: Path) -> list[str]:
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file() and ".git" not in p.parts)


def test_init_sets_up_a_repository_that_builds(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    assert main(["init", "desk"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("set up a reports repository in desk (git init)\n")
    assert out.endswith("next: cd desk && report build inputs/*.yaml\n")
    desk = tmp_path / "desk"
    assert _files(desk) == CREATED and (desk / ".git").is_dir()
    assert "*.pdf" in (desk / ".gitignore").read_text(encoding="utf-8").splitlines()
    assert (desk / "schema/report.schema.json").read_bytes() == (ROOT / "schema/report.schema.json").read_bytes()

    monkeypatch.chdir(desk)
    assert main(["build", "inputs/example-outlook.yaml"]) == 0
    assert (desk / "inputs" / "example-outlook.pdf").is_file()
    first = (desk / "inputs/example-outlook.yaml").read_text(encoding="utf-8").splitlines()[0]
    assert first == "# yaml-language-server: $schema=../schema/report.schema.json"  # the copy just made


def test_the_example_has_a_chart_a_table_and_key_stats():
    from report.input.parse import parse_file

    report, _ = parse_file(ROOT / "assets/starter/inputs/example-outlook.yaml")
    kinds = {type(b).__name__ for s in report.sections for b in s.blocks}
    assert {"ChartBlock", "TableBlock"} <= kinds and report.key_stats


def test_init_never_overwrites_and_writes_nothing_then(tmp_path, capsys):
    (tmp_path / "inputs").mkdir()
    mine = tmp_path / "inputs" / "example-outlook.yaml"
    mine.write_text("title: mine\n", encoding="utf-8")
    assert main(["init", str(tmp_path), "--no-git"]) == 4
    assert capsys.readouterr().err == (
        f"{tmp_path}: error: 1 of the 12 files to set up already exist: inputs/example-outlook.yaml; "
        "nothing was written\n  hint: report init never overwrites a file: choose another folder, or "
        "move those files away\n")
    assert _files(tmp_path) == ["inputs/example-outlook.yaml"]
    assert mine.read_text(encoding="utf-8") == "title: mine\n"
    mine.unlink()  # control: without it, the same command sets everything up
    assert main(["init", str(tmp_path), "--no-git"]) == 0
    assert _files(tmp_path) == CREATED and not (tmp_path / ".git").exists()


def test_init_inside_a_repository_leaves_git_alone(tmp_path, capsys):
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    assert main(["init", str(tmp_path / "reports"), "--brand", "harbor"]) == 0
    assert "(git init)" not in capsys.readouterr().out
    assert not (tmp_path / "reports" / ".git").exists()
    assert (tmp_path / "reports/assets/brands/harbor/fonts/LICENSE-Caladea.txt").is_file()


def test_init_with_an_unknown_brand_writes_nothing(tmp_path, capsys):
    assert main(["init", str(tmp_path / "desk"), "--brand", "acme"]) == 2
    assert capsys.readouterr().err == ("report: error: no built-in brand 'acme'\n"
                                       "  hint: built-in brands: harbor, meridian\n")
    assert not (tmp_path / "desk").exists()


def test_a_failed_write_removes_what_init_created(tmp_path, monkeypatch, capsys):
    import report.commands.init as init

    real = shutil.copyfileobj
    calls = []

    def full_disk(src, dst):
        calls.append(dst)
        if len(calls) == 5:
            raise OSError(28, "No space left on device", dst.name)
        real(src, dst)

    monkeypatch.setattr(init.shutil, "copyfileobj", full_disk)
    assert main(["init", str(tmp_path / "desk"), "--no-git"]) == 4
    assert "No space left on device; nothing was set up" in capsys.readouterr().err
    assert len(calls) == 5 and not (tmp_path / "desk").exists()


def test_the_hook_manifest_and_the_starter_config_are_valid_pre_commit_files():
    from pre_commit.clientlib import load_config, load_manifest

    hooks = {h["id"]: h for h in load_manifest(str(ROOT / ".pre-commit-hooks.yaml"))}
    assert hooks["report-validate-fit"]["entry"] == "report validate --fit"
    assert hooks["report-validate"]["entry"] == "report validate"
    config = load_config(str(ROOT / "assets/starter/pre-commit-config.yaml"))
    (local,) = config["repos"][0]["hooks"]
    assert local["id"] in hooks and local["entry"] == hooks[local["id"]]["entry"]
    assert local["files"] == hooks[local["id"]]["files"]


def _pre_commit(desk: Path) -> subprocess.CompletedProcess:
    env = dict(os.environ, PATH=f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
               PRE_COMMIT_HOME=str(desk.parent / "pre-commit-home"))
    subprocess.run(["git", "add", "-A"], cwd=desk, check=True)
    return subprocess.run([sys.executable, "-m", "pre_commit", "run", "--all-files", "--color", "never"],
                          cwd=desk, env=env, capture_output=True, text=True, timeout=300)


@pytest.mark.parametrize("bad", [False, True])
def test_the_configured_hook_runs_validate_fit_through_pre_commit(tmp_path, bad):
    assert main(["init", str(tmp_path / "desk")]) == 0
    desk = tmp_path / "desk"
    if bad:  # builds fail on it; plain validate passes it; the hook must not
        shutil.copy(TALL, desk / "inputs" / "tall.yaml")
        assert main(["validate", str(desk / "inputs" / "tall.yaml")]) == 0
    done = _pre_commit(desk)
    assert done.returncode == (1 if bad else 0), done.stdout + done.stderr
    assert ("row 2 of table 'Tall table'" in done.stdout) == bad
