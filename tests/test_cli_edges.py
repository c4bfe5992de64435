"""The command line's rough edges, each with the exact command: a closed pipe and Ctrl-C never show a
traceback; --paper in any case; help text on every option and argument; options before, between
or after the inputs; positions counted from 1; `report new -o` says how the copy is compared; the
build line's time includes the start-up the user waited for; `validate --fit` sees a too-tall row."""

from __future__ import annotations

import argparse
import os
import re
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT, SAMPLE

from report.cli import _parser, main

MINIMAL = ROOT / "tests" / "data" / "minimal.yaml"
TALL = ROOT / "tests" / "data" / "bad" / "cell-taller-than-page.yaml"
REPORT = [sys.executable, "-m", "report"]


@pytest.mark.parametrize("args", [
    ["validate", str(MINIMAL), str(SAMPLE)],
    ["diff", str(MINIMAL), str(SAMPLE), "--json"],
    ["build", str(MINIMAL), "-o", "{tmp}"],
    ["brands"],
    ["schema"],
])
@pytest.mark.parametrize("closed", [True, False])
def test_a_closed_pipe_ends_quietly(args, closed, tmp_path):
    """`report validate inputs/*.yaml | head -1`, with the reader gone before the first write."""
    args = [a.replace("{tmp}", str(tmp_path)) for a in args]
    proc = subprocess.Popen(REPORT + args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=ROOT)
    if closed:
        proc.stdout.close()
        out = b""
    else:  # control: the command does write to stdout
        out = proc.stdout.read()
        proc.stdout.close()
    err = proc.stderr.read().decode()
    proc.stderr.close()
    assert (proc.wait(timeout=120), err) == ((141, "") if closed else (0, ""))
    assert bool(out) != closed


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_ctrl_c_during_a_batch_stops_without_a_traceback(jobs, tmp_path):
    inputs = []
    for i in range(8):
        shutil.copy(SAMPLE, tmp_path / f"r{i}.yaml")
        inputs.append(f"r{i}.yaml")
    out = tmp_path / "out"
    proc = subprocess.Popen(REPORT + ["build", *inputs, "-o", str(out), "-j", jobs], cwd=tmp_path,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            start_new_session=True)
    first = proc.stdout.readline()
    assert first.startswith("built "), first
    os.killpg(proc.pid, signal.SIGINT)  # as a terminal does: to every process of the command
    rest, err = proc.communicate(timeout=120)
    assert (proc.returncode, err) == (130, "report: interrupted; no file is left half-written\n")
    built = [line.split()[1] for line in (first + rest).splitlines()]
    assert 1 <= len(built) < 8
    assert all(name.endswith(".pdf") for name in os.listdir(out))  # no temp file left behind


@pytest.mark.parametrize(("paper", "shown"), [("A4", "A4"), ("Letter", "Letter"), ("LETTER", "Letter")])
def test_paper_in_any_case(paper, shown, tmp_path, capsys):
    assert main(["build", str(MINIMAL), "-o", str(tmp_path), "--paper", paper]) == 0
    assert f", {shown}, " in capsys.readouterr().out


@pytest.mark.parametrize("command", [["build"], ["watch"], ["validate", "--fit"],
                                     ["email", "--to", "reader@example.com"], ["print"]])
def test_every_command_with_a_paper_takes_it_in_any_case(command):
    args = _parser().parse_args([command[0], str(MINIMAL), *command[1:], "--paper", "LETTER"])
    assert args.paper == "letter"


def test_an_unknown_paper_is_a_usage_error(capsys):
    assert main(["build", str(MINIMAL), "--paper", "A3"]) == 2
    assert "invalid choice: 'a3' (choose from 'a4', 'letter')" in capsys.readouterr().err


def _helpless(parser: argparse.ArgumentParser, name: str = "report") -> list[str]:
    """'COMMAND OPTION' for every option or argument without help text, in every subcommand."""
    out = []
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for command, sub in action.choices.items():
                out += _helpless(sub, f"{name} {command}")
        elif not isinstance(action, argparse._HelpAction) and not (action.help or "").strip():
            out.append(f"{name} {'/'.join(action.option_strings) or action.metavar or action.dest}")
    return out


def test_every_option_and_argument_has_help_text():
    assert _helpless(_parser()) == []
    control = argparse.ArgumentParser()
    control.add_argument("--paper")
    control.add_argument("inputs", metavar="INPUT", help="")
    assert _helpless(control) == ["report --paper", "report INPUT"]


@pytest.mark.parametrize("order", [
    ["-o", "{out}", "{a}", "{b}"],
    ["{a}", "-o", "{out}", "{b}"],
    ["{a}", "{b}", "-o", "{out}"],
    ["--paper", "letter", "{a}", "-j", "1", "{b}", "-o", "{out}"],
])
def test_options_before_between_or_after_the_inputs(order, tmp_path, capsys):
    a, b = tmp_path / "a.yaml", tmp_path / "b.yaml"
    shutil.copy(MINIMAL, a)
    shutil.copy(MINIMAL, b)
    out = tmp_path / "out"
    argv = [x.format(a=a, b=b, out=out) for x in order]
    assert main(["build", *argv]) == 0
    assert sorted(os.listdir(out)) == ["a.pdf", "b.pdf"]
    assert main(["validate", str(a), "--fit", str(b)]) == 0


def test_positions_in_messages_count_from_one(tmp_path, capsys):
    text = MINIMAL.read_text(encoding="utf-8").replace("            - [Bull, 60]", "            - [Bull]")
    (tmp_path / "x.yaml").write_text(text, encoding="utf-8")
    assert main(["validate", str(tmp_path / "x.yaml")]) == 1
    assert "error: sections[1].blocks[2].table.rows[2]: row 2 has 1 cells but the table has 2 columns" \
        in capsys.readouterr().err


def test_new_with_out_explains_how_the_copy_is_compared(tmp_path, capsys):
    source = tmp_path / "x.yaml"
    shutil.copy(MINIMAL, source)
    copy = tmp_path / "next.yaml"
    assert main(["new", str(source), "--as-of", "2026-04-30", "-o", str(copy)]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[-2:] == [
        f"next: edit {copy}, check it with `report diff {source} {copy}` (the two files compared), "
        f"build, then replace the input with it (`mv {copy} {source}`) and commit",
        f"  {copy} is outside the series' git history: its own PDF has no change box; the box compares "
        f"with {source}'s committed versions once the copy replaces it"]
    assert main(["diff", str(source), str(copy)]) == 0  # the command it suggests works
    assert "2026-04-30" in capsys.readouterr().out


def test_the_build_line_counts_the_start_up_the_user_waited_for(tmp_path):
    """A process that waits 2 s before importing report: the console script's line says at least
    that, plus the build before it in the same process (an in-process call counts from its start)."""
    code = ("import sys, time; time.sleep(2); from report.cli import main, process_started; "
            f"main(['build', {str(MINIMAL)!r}, '-o', {str(tmp_path)!r}]); "
            f"main(['build', {str(MINIMAL)!r}, '-o', {str(tmp_path)!r}], started=process_started())")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    first, second = (float(t) for t in re.findall(r", (\d+\.\d\d) s$", done.stdout, flags=re.M))
    assert second >= 2.0 + first


def test_validate_fit_finds_the_row_a_build_would_stop_at(tmp_path, capsys):
    assert main(["validate", str(TALL)]) == 0  # control: the plain check cannot see it
    capsys.readouterr()
    assert main(["validate", "--fit", str(TALL)]) == 1
    fit = capsys.readouterr().err
    assert main(["build", str(TALL), "-o", str(tmp_path)]) == 1
    assert fit == capsys.readouterr().err  # the same located message, from both papers at once
    assert main(["validate", "--fit", str(MINIMAL), "--paper", "LETTER"]) == 0
    assert capsys.readouterr().out.endswith("1 sections, fits Letter\n")


def test_a_row_too_tall_for_one_paper_only_says_which(tmp_path, capsys):
    """A row cut to the longest that fits A4 (whose frame is taller) is too tall for Letter."""
    import yaml

    data = yaml.safe_load(TALL.read_text(encoding="utf-8"))
    rows = data["sections"][0]["blocks"][2]["table"]["rows"]
    words = rows[1][0].split()  # every cell of the row holds the same long text
    source = tmp_path / "x.yaml"

    def fits(n: int, paper: str) -> bool:
        rows[1] = [" ".join(words[:n])] * len(rows[1])
        source.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
        code = main(["validate", "--fit", "--paper", paper, str(source)])
        capsys.readouterr()
        return code == 0

    low, high = 1, len(words)  # fits A4 at low, not at high
    assert fits(low, "a4") and not fits(high, "a4")
    while high - low > 1:
        mid = (low + high) // 2
        low, high = (mid, high) if fits(mid, "a4") else (low, mid)
    assert fits(low, "a4") and not fits(low, "letter")
    assert main(["validate", "--fit", str(source)]) == 1
    err = capsys.readouterr().err
    assert re.search(r"error: sections\[1\]\.blocks\[3\]\.table\.rows\[2\]: row 2 of table 'Tall "
                     r"table' is [\d,]+ pt tall, more than a page can hold \([\d,]+ pt\) on Letter "
                     r"paper\n", err), err
