"""The command line: exit codes, summaries, a fast validate, the committed JSON Schema."""

from __future__ import annotations

import json
import subprocess
import sys

from conftest import ROOT, SAMPLE

from report.cli import main


def test_validate_ok(capsys):
    assert main(["validate", str(SAMPLE)]) == 0
    assert "ok" in capsys.readouterr().out


def test_validate_does_not_import_the_renderers():
    code = ("import sys; from report.cli import main; rc = main(['validate', %r]); "
            "heavy = [m for m in ('reportlab', 'matplotlib', 'svglib') if m in sys.modules]; "
            "print(rc, heavy)") % str(SAMPLE)
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert out.stdout.strip().splitlines()[-1] == "0 []"


def test_build_summary_line_and_default_output_name(tmp_path, capsys):
    assert main(["build", str(SAMPLE), "-o", str(tmp_path)]) == 0
    line = capsys.readouterr().out.strip()
    assert line.startswith(f"built {tmp_path / 'russell-2000-bear-case.pdf'}") and "pages" in line
    assert (tmp_path / "russell-2000-bear-case.pdf").stat().st_size > 10_000


def test_unknown_brand_is_a_brand_error(tmp_path, capsys):
    assert main(["build", str(SAMPLE), "-o", str(tmp_path), "--brand", "nope"]) == 3
    err = capsys.readouterr().err
    assert err == "report: error: brand 'nope' not found\n" \
                  f"  hint: brands found: harbor, meridian; a brand of this repository goes in " \
                  f"{ROOT / 'assets' / 'brands' / 'nope'}/\n"
    assert not list(tmp_path.iterdir())


def test_usage_errors_exit_2(capsys):
    assert main(["build"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("usage: report build ") and err.endswith(
        "report build: error: the following arguments are required: INPUT\n")
    assert main(["build", str(SAMPLE), "--paper", "a3"]) == 2
    assert capsys.readouterr().err.endswith(
        "report build: error: argument --paper: invalid choice: 'a3' (choose from 'a4', 'letter')\n")
    assert main(["bild", str(SAMPLE)]) == 2
    assert "invalid choice: 'bild'" in capsys.readouterr().err


def test_python_dash_m_and_version():
    out = subprocess.run([sys.executable, "-m", "report", "--version"], cwd=ROOT, capture_output=True,
                         text=True, check=True)
    assert out.stdout.startswith("report ")


def test_committed_schema_is_current(capsys):
    assert main(["schema"]) == 0
    printed = json.loads(capsys.readouterr().out)
    committed = json.loads((ROOT / "schema" / "report.schema.json").read_text(encoding="utf-8"))
    assert printed == committed, "run: report schema -o schema/report.schema.json"
    first_line = SAMPLE.read_text(encoding="utf-8").splitlines()[0]
    assert first_line == "# yaml-language-server: $schema=../schema/report.schema.json"


def test_pdf_gets_the_usual_file_mode(tmp_path):
    import os

    target = tmp_path / "russell-2000-bear-case.pdf"
    mask = os.umask(0o022)
    try:
        assert main(["build", str(SAMPLE), "-o", str(tmp_path)]) == 0
        assert target.stat().st_mode & 0o777 == 0o644  # not mkstemp's 0600
        target.chmod(0o640)
        assert main(["build", str(SAMPLE), "-o", str(tmp_path)]) == 0
        assert target.stat().st_mode & 0o777 == 0o640  # a rebuild keeps the file's mode
    finally:
        os.umask(mask)


def test_long_furniture_text_shrinks_instead_of_overlapping(tmp_path):
    import pdfplumber
    import yaml

    data = yaml.safe_load(SAMPLE.read_text(encoding="utf-8"))
    data["report_type"] = "A very long report type that an analyst might write " * 3
    data["short_title"] = "An equally long short title for the running header of the report " * 2
    source = tmp_path / "long.yaml"
    source.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    assert main(["build", str(source), "-o", str(tmp_path)]) == 0
    with pdfplumber.open(tmp_path / "long.pdf") as pdf:
        for page in pdf.pages[:2]:
            lines = [w for w in page.extract_words() if w["top"] < 80]  # masthead / running header
            for a in lines:
                for b in lines:
                    overlap_x = min(a["x1"], b["x1"]) - max(a["x0"], b["x0"])
                    overlap_y = min(a["bottom"], b["bottom"]) - max(a["top"], b["top"])
                    assert a is b or overlap_x <= 0.5 or overlap_y <= 0.5, (a["text"], b["text"])


def test_readme_documents_every_exit_code():
    from report.errors import ExitCode

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for code in ExitCode:
        assert f"\n| {code.value} |" in readme, f"README's exit-code table lacks {code.value}"
