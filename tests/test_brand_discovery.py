"""Brand discovery: `--brand PATH`, then `assets/brands/NAME` of the input's repository (its git work
tree, else the working folder), then the built-in brands; `report brands` says what is found where."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import ROOT

from report.brand.discover import builtin_brands_dir, find_brand, repository_root
from report.cli import main

MINIMAL = ROOT / "tests" / "data" / "minimal.yaml"


def _desk(root: Path, *, git: bool = True, brand_name: str = "Desk Research") -> Path:
    """A reports repository with its own copy of meridian, renamed, and one input."""
    (root / "inputs").mkdir(parents=True)
    shutil.copy(MINIMAL, root / "inputs" / "minimal.yaml")
    folder = root / "assets" / "brands" / "meridian"
    shutil.copytree(builtin_brands_dir() / "meridian", folder)
    brand = folder / "_brand.yml"
    brand.write_text(brand.read_text(encoding="utf-8").replace("Meridian Research", brand_name),
                     encoding="utf-8")
    if git:
        subprocess.run(["git", "init", "-q", str(root)], check=True)
    return root


def test_a_name_is_looked_up_in_the_inputs_repository_first(tmp_path, monkeypatch):
    desk = _desk(tmp_path / "desk")
    monkeypatch.chdir(tmp_path)  # not the desk: the input's git work tree decides
    found = find_brand("meridian", desk / "inputs" / "minimal.yaml")
    assert (found.origin, found.file) == ("repository", desk / "assets/brands/meridian/_brand.yml")
    control = find_brand("meridian", tmp_path / "elsewhere.yaml")  # outside the desk: the built-in
    assert (control.origin, control.file) == ("built-in", builtin_brands_dir() / "meridian/_brand.yml")
    assert find_brand("harbor", desk / "inputs" / "minimal.yaml").origin == "built-in"


def test_outside_git_the_working_folder_is_the_repository(tmp_path, monkeypatch):
    desk = _desk(tmp_path / "desk", git=False)
    source = desk / "inputs" / "minimal.yaml"
    monkeypatch.chdir(desk)
    assert repository_root(source) == desk and find_brand("meridian", source).origin == "repository"
    monkeypatch.chdir(tmp_path)
    assert find_brand("meridian", source).origin == "built-in"


def test_a_path_is_a_brand_folder_or_file(tmp_path, monkeypatch):
    desk = _desk(tmp_path / "desk")
    monkeypatch.chdir(desk)
    folder = Path("assets/brands/meridian")
    for value in ("./assets/brands/meridian", "assets/brands/meridian/_brand.yml", str(desk / folder)):
        assert find_brand(value).origin == "path"


def test_build_uses_the_repository_brand(tmp_path, capsys, monkeypatch):
    from pdfcheck import page_texts

    desk = _desk(tmp_path / "desk")
    monkeypatch.chdir(tmp_path)
    assert main(["build", str(desk / "inputs" / "minimal.yaml"), "-o", str(tmp_path / "a")]) == 0
    assert main(["build", str(MINIMAL), "-o", str(tmp_path / "b")]) == 0  # control: built-in
    assert "Desk Research" in "".join(page_texts(tmp_path / "a" / "minimal.pdf"))
    assert "Meridian Research" in "".join(page_texts(tmp_path / "b" / "minimal.pdf"))


def test_email_and_print_use_each_inputs_repository_brand(tmp_path, monkeypatch, capsys):
    """As build does: `report email` and `report print` of an input in a reports repository, run from
    another folder, use that repository's brand; the control, an input outside it, the built-in one."""
    import email
    import email.policy

    from pdfcheck import page_texts

    from report.delivery import printing

    desk = _desk(tmp_path / "desk")
    other = tmp_path / "other.yaml"
    shutil.copy(MINIMAL, other)
    monkeypatch.chdir(tmp_path)
    inputs = [str(desk / "inputs" / "minimal.yaml"), str(other)]
    assert main(["email", *inputs, "--to", "reader@example.com", "--dry-run", "-o", str(tmp_path / "mail"),
                 "--pdf-out", str(tmp_path / "pdf")]) == 0, capsys.readouterr().err
    for stem, brand in (("minimal", "Desk Research"), ("other", "Meridian Research")):
        letter = email.message_from_bytes((tmp_path / "mail" / f"{stem}.eml").read_bytes(),
                                          policy=email.policy.default)
        body = letter.get_body(("plain",)).get_content()
        assert brand in body and "The full report (1 page, PDF)" in body, body  # not "1 pages"
        assert brand in "".join(page_texts(tmp_path / "pdf" / f"{stem}.pdf")), stem
    printed = []
    monkeypatch.setattr(printing, "lp_command", lambda: "lp")
    monkeypatch.setattr(printing, "print_pdf", lambda pdf, **_: printed.append(
        "".join(page_texts(pdf))) or str(len(printed)))
    assert main(["print", *inputs, "--pdf-out", str(tmp_path / "print")]) == 0, capsys.readouterr().err
    assert len(printed) == 2 and "Desk Research" in printed[0] and "Meridian Research" in printed[1]
    assert "Desk Research" not in printed[1]


def test_unknown_name_lists_what_is_found_and_where_a_brand_would_go(tmp_path, monkeypatch, capsys):
    desk = _desk(tmp_path / "desk")
    monkeypatch.chdir(desk)
    assert main(["validate", "inputs/minimal.yaml", "--brand", "acme"]) == 3
    assert capsys.readouterr().err == (
        "report: error: brand 'acme' not found\n"
        f"  hint: brands found: harbor, meridian; a brand of this repository goes in "
        f"{desk}/assets/brands/acme/\n")


def test_a_bare_name_that_is_a_folder_here_suggests_the_path(tmp_path, monkeypatch, capsys):
    desk = _desk(tmp_path / "desk")
    shutil.copytree(builtin_brands_dir() / "harbor", desk / "acme")
    monkeypatch.chdir(desk)
    assert main(["validate", "inputs/minimal.yaml", "--brand", "acme"]) == 3
    assert "hint: the folder acme/ holds a brand: pass it as a path, --brand ./acme" in capsys.readouterr().err
    assert main(["validate", "inputs/minimal.yaml", "--brand", "./acme"]) == 0


def test_a_missing_brand_folder_says_so(tmp_path, capsys):
    assert main(["validate", str(MINIMAL), "--brand", str(tmp_path / "nope")]) == 3
    assert capsys.readouterr().err == (f"{tmp_path}/nope/_brand.yml: error: no brand file here\n"
                                       "  hint: a brand is a folder holding _brand.yml, its fonts "
                                       "and its logo\n")


def test_report_brands_lists_each_with_its_origin(tmp_path, monkeypatch, capsys):
    desk = _desk(tmp_path / "desk")
    monkeypatch.chdir(desk / "inputs")  # anywhere in the repository
    assert main(["brands"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines == [
        f"harbor    built-in    {builtin_brands_dir() / 'harbor'}",
        f"meridian  repository  {desk / 'assets/brands/meridian'}  (default)",
        f"meridian  built-in    {builtin_brands_dir() / 'meridian'}  (not used: the one above takes "
        "its place)",
        f"repository: {desk} (brands of its own go in assets/brands/NAME/)",
    ]


@pytest.mark.parametrize("broken", [True, False])
def test_a_broken_brand_is_reported_once_for_many_inputs(tmp_path, monkeypatch, capsys, broken):
    desk = _desk(tmp_path / "desk")
    for name in ("b", "c"):
        shutil.copy(MINIMAL, desk / "inputs" / f"{name}.yaml")
    if broken:
        (desk / "assets/brands/meridian/logo.svg").unlink()
    monkeypatch.chdir(desk)
    code = main(["build", "inputs/b.yaml", "inputs/c.yaml", "-o", "out", "-j", "1"])
    err = capsys.readouterr().err
    assert code == (3 if broken else 0)
    assert err.count("logo.svg") == (1 if broken else 0)
    if broken:
        assert "inputs/c.yaml: error: not built: its brand is missing or invalid (see above)" in err
