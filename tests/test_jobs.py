"""`report build -j N`: worker processes give the same PDFs, lines, messages and exit code as a
serial build; a failing input fails alone; inputs that would overwrite each other are refused."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

from conftest import ROOT, SAMPLE

from report.cli import main

MINIMAL = ROOT / "tests" / "data" / "minimal.yaml"
BAD = ROOT / "tests" / "data" / "bad" / "row-width.yaml"


def _inputs(folder: Path, bad: bool = False) -> list[str]:
    """The slow sample first, then small ones: a parallel build finishes them out of order."""
    folder.mkdir()
    names = [("rut.yaml", SAMPLE), ("a.yaml", MINIMAL), ("b.yaml", BAD if bad else MINIMAL),
             ("c.yaml", MINIMAL)]
    for name, source in names:
        shutil.copy(source, folder / name)
    return [str(folder / name) for name, _ in names]


def _pdfs(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.glob("*.pdf"))}


def _shape(text: str) -> list[str]:
    """Lines without their timings and folders, to compare two runs."""
    return [re.sub(r"\d+\.\d\d s", "T s", line).replace("serial", "X").replace("parallel", "X")
            for line in text.splitlines()]


def test_parallel_pdfs_lines_and_code_are_those_of_a_serial_build(tmp_path, capsys):
    inputs = _inputs(tmp_path / "in")
    assert main(["build", *inputs, "-o", str(tmp_path / "serial"), "-j", "1"]) == 0
    serial = capsys.readouterr()
    assert main(["build", *inputs, "-o", str(tmp_path / "parallel"), "-j", "3"]) == 0
    parallel = capsys.readouterr()
    assert _pdfs(tmp_path / "parallel") == _pdfs(tmp_path / "serial")
    assert len(_pdfs(tmp_path / "serial")) == 4
    assert _shape(parallel.out) == _shape(serial.out)
    assert [line.split()[1].rsplit("/", 1)[1] for line in parallel.out.splitlines()] == \
        ["rut.pdf", "a.pdf", "b.pdf", "c.pdf"]  # input order, though rut.yaml finishes last
    assert parallel.err.startswith("build: 4 of 4 reports built in ")
    assert parallel.err.endswith(" s on 3 workers\n") and serial.err.endswith(" s\n")


def test_a_failing_input_fails_alone_and_in_its_place(tmp_path):
    inputs = _inputs(tmp_path / "in", bad=True)
    out = tmp_path / "out"
    previous = b"%PDF-1.4\n% the last good b.pdf\n%%EOF\n"
    out.mkdir()
    (out / "b.pdf").write_bytes(previous)
    done = subprocess.run([sys.executable, "-m", "report", "build", *inputs, "-o", str(out), "-j", "2"],
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)  # one stream: the order
    assert done.returncode == 1
    lines = done.stdout.splitlines()
    assert [line.split(":")[0] for line in lines] == [
        f"built {out}/rut.pdf from {inputs[0]}", f"built {out}/a.pdf from {inputs[1]}",
        inputs[2], f"built {out}/c.pdf from {inputs[3]}", "build"]
    assert "rows[2]: row 2 has 3 cells but the table has 2 columns" in lines[2]
    assert lines[-1].endswith(f"s on 2 workers; not built: {inputs[2]}")
    assert (out / "b.pdf").read_bytes() == previous and sorted(_pdfs(out)) == ["a.pdf", "b.pdf", "c.pdf", "rut.pdf"]


def test_the_exit_code_is_the_highest_met(tmp_path, capsys):
    desk = tmp_path / "desk"
    (desk / "assets" / "brands" / "meridian").mkdir(parents=True)
    (desk / "assets" / "brands" / "meridian" / "_brand.yml").write_text("meta: {}\n", encoding="utf-8")
    subprocess.run(["git", "init", "-q", str(desk)], check=True)
    shutil.copy(MINIMAL, desk / "in-desk.yaml")  # its repository's brand is broken: 3
    shutil.copy(BAD, tmp_path / "bad.yaml")  # an invalid input: 1
    shutil.copy(MINIMAL, tmp_path / "good.yaml")  # 0
    argv = ["build", str(tmp_path / "bad.yaml"), str(desk / "in-desk.yaml"), str(tmp_path / "good.yaml"),
            "-o", str(tmp_path / "out")]
    assert main(argv + ["-j", "2"]) == 3
    parallel = capsys.readouterr()
    assert main(argv + ["-j", "1"]) == 3
    assert _shape(capsys.readouterr().err) == _shape(parallel.err.replace(" on 2 workers", ""))
    assert sorted(_pdfs(tmp_path / "out")) == ["good.pdf"]


def test_inputs_that_would_write_the_same_pdf_are_refused(tmp_path, capsys):
    for folder in ("x", "y"):
        (tmp_path / folder).mkdir()
        shutil.copy(MINIMAL, tmp_path / folder / "same.yaml")
    a, b = str(tmp_path / "x" / "same.yaml"), str(tmp_path / "y" / "same.yaml")
    assert main(["build", a, b, "-o", str(tmp_path / "out")]) == 2
    assert capsys.readouterr().err == (
        f"report: error: {a} and {b} would both be written to {tmp_path}/out/same.pdf\n"
        "  hint: give each input once, and different names or folders\n")
    assert not (tmp_path / "out").exists()
    assert main(["build", a, b]) == 0  # control: beside each input, they do not meet


def test_jobs_must_be_a_positive_number(capsys):
    assert main(["build", str(MINIMAL), "-j", "0"]) == 2
    assert "needs at least 1 worker process, got 0" in capsys.readouterr().err
