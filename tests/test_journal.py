"""The delivery journal: survives a crash mid-write, refuses a second run, never guesses."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from report.delivery.journal import Journal
from report.errors import ReportError

PDF = "a" * 64


def filled(path, readers=("ann@example.com", "bob@example.com")):
    with Journal.open(path) as journal:
        for reader in readers:
            journal.record(PDF, reader, "250 OK", "<id@x>", "inputs/x.yaml")
    return path.read_bytes()


@pytest.mark.parametrize("tail", [b'{"pdf": "aaaa", "reader": "cho@ex', b"\x00" * 300, b"{"])
def test_a_last_line_cut_short_is_ignored_and_nothing_else_is_lost(tmp_path, tail):
    path = tmp_path / "j.jsonl"
    whole = filled(path)
    path.write_bytes(whole + tail)  # the crash: part of a third record, or zeros after a power cut
    with Journal.open(path) as journal:
        assert sorted(journal.delivered(PDF)) == ["ann@example.com", "bob@example.com"]
        assert path.read_bytes() == whole  # trimmed, so the next record starts on a line of its own
        journal.record(PDF, "cho@example.com", "250 OK")
    with Journal.open(path) as journal:
        assert len(journal.delivered(PDF)) == 3
    assert all(json.loads(line) for line in path.read_text().splitlines())


def test_a_damaged_line_inside_is_an_error_at_its_line(tmp_path):
    path = tmp_path / "j.jsonl"
    lines = filled(path).split(b"\n")
    path.write_bytes(lines[0] + b"\n" + b"edited by hand\n" + lines[1] + b"\n")
    with pytest.raises(ReportError) as caught:
        Journal.open(path)
    assert caught.value.code == 4
    assert f"{path}:2:1: error: this line is not a delivery record" in str(caught.value)
    path.write_bytes(lines[0] + b"\n" + b'{"pdf": 1}\n')  # JSON, but not a record
    with pytest.raises(ReportError):
        Journal.open(path)


def test_only_this_pdf_counts(tmp_path):
    path = tmp_path / "j.jsonl"
    filled(path)
    with Journal.open(path) as journal:
        journal.record("b" * 64, "ann@example.com", "250 OK", source="inputs/x.yaml")
        assert list(journal.delivered("b" * 64)) == ["ann@example.com"]
        assert journal.other_pdfs("b" * 64, "inputs/x.yaml") == {PDF}
        assert journal.other_pdfs("b" * 64, "inputs/y.yaml") == set()


def test_two_runs_at_once_are_refused(tmp_path):
    path = tmp_path / "j.jsonl"
    holder = subprocess.Popen([sys.executable, "-c", (
        "import sys, time; from pathlib import Path; from report.delivery.journal import Journal\n"
        f"j = Journal.open(Path({str(path)!r})); print('locked', flush=True); sys.stdin.read()")],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "locked"
        with pytest.raises(ReportError) as caught:
            Journal.open(path)
        assert caught.value.code == 4 and "another `report email` run" in str(caught.value)
    finally:
        holder.communicate("")
    with Journal.open(path):  # the lock ended with the process
        pass


def test_a_record_that_cannot_be_written_stops_the_run(tmp_path, monkeypatch):
    import os

    path = tmp_path / "j.jsonl"
    with Journal.open(path) as journal:
        monkeypatch.setattr(os, "fdatasync", lambda fd: (_ for _ in ()).throw(OSError(28, "No space")))
        with pytest.raises(ReportError) as caught:
            journal.record(PDF, "ann@example.com", "250 OK")
    assert caught.value.code == 4
    assert "cannot record the message to ann@example.com, which the server accepted" in \
        str(caught.value)
