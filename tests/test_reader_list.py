"""Reader lists (`report email --readers FILE`): both forms read, every mistake located at its line."""

from __future__ import annotations

from pathlib import Path

import pytest

from report.delivery.readers import load_readers
from report.errors import ReportError


def write(tmp_path: Path, name: str, text: str | bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    return path


def test_plain_list_with_comments_names_and_blank_lines(tmp_path):
    path = write(tmp_path, "readers.txt", "# rates desk\n\nann@example.com\n"
                 "  Bob Stone <bob@example.com>   # sales\n\n\tcho@example.com\n")
    readers = load_readers(path)
    assert [(r.address, r.name, r.line) for r in readers] == [
        ("ann@example.com", "", 3), ("bob@example.com", "Bob Stone", 4), ("cho@example.com", "", 6)]


def test_csv_with_extra_columns_bom_quotes_and_semicolons(tmp_path):
    path = write(tmp_path, "readers.csv", "\ufeffName,Desk,EMAIL\n"
                 '"Lee, Ann",rates,ann@example.com\n'
                 'Bob,"fx\nand rates",bob@example.com\n'
                 ",,cho@example.com\n")
    readers = load_readers(path)
    assert [(r.address, r.name, r.line) for r in readers] == [
        ("ann@example.com", "Lee, Ann", 2), ("bob@example.com", "Bob", 3),
        ("cho@example.com", "", 5)]
    semi = write(tmp_path, "eu.csv", "email;name\nann@example.com;Ann\n")
    assert [(r.address, r.name) for r in load_readers(semi)] == [("ann@example.com", "Ann")]


@pytest.mark.parametrize("name, text, expected", [
    ("r.txt", "ann@example.com\nbob@\n", ["r.txt:2:1: error: 'bob@' is not an email address: it "
                                          "has nothing after the @"]),
    ("r.txt", "ann@example.com\n\nAnn@Example.com\n",
     ["r.txt:3:1: error: Ann@Example.com is listed twice (first on line 1)"]),
    ("r.txt", "a@b.example\nnot an address\nc@exa mple.com\n",
     ["r.txt:2:1: error: 'not an address' is not an email address: it has no @ (an address looks "
      "like name@example.com)",
      "r.txt:3:1: error: 'c@exa mple.com' is not an email address: it has an invalid domain "
      "'exa mple.com'"]),
    ("r.txt", "email,name\nann@example.com,Ann\n",
     ["r.txt:1:1: error: 'email,name' looks like a CSV header row"]),
    ("r.txt", "# nobody yet\n\n", ["r.txt: error: the reader list holds no address"]),
    ("r.txt", "ann@example.com\r\nbob@example.com\x0bx\n",
     ["r.txt:2:1: error: address 'bob@example.com\\x0bx' contains the control character U+000B"]),
    ("r.txt", b"ann@example.com\n\xff\xfe\n", ["r.txt:2:1: error: not UTF-8 text"]),
    ("r.csv", "mail,name\nann@example.com,Ann\n",
     ["r.csv:1:1: error: the header row has no 'email' column (found: mail, name)"]),
    ("r.csv", "email,email\nann@example.com,x\n",
     ["r.csv:1:1: error: the header row has two 'email' columns"]),
    ("r.csv", "email,name\nann@example.com,Ann\nbob@example.com,\"Bob\nBcc: x\"\n",
     ["r.csv:3:1: error: the name 'Bob\\nBcc: x' contains the control character U+000A"]),
    ("r.csv", "email,name\n,Nobody\nann@example.com,Ann\nann@EXAMPLE.com,Ann\n",
     ["r.csv:2:1: error: this row has no address in the 'email' column",
      "r.csv:4:1: error: ann@EXAMPLE.com is listed twice (first on line 3)"]),
])
def test_mistakes_are_located(tmp_path, monkeypatch, name, text, expected):
    monkeypatch.chdir(tmp_path)
    write(tmp_path, name, text)
    with pytest.raises(ReportError) as caught:
        load_readers(Path(name))
    assert caught.value.code == 1
    lines = [line for line in str(caught.value).splitlines() if not line.startswith("  hint")]
    assert len(lines) == len(expected)
    for line, start in zip(lines, expected):
        assert line.startswith(start), line


def test_unreadable_list_is_a_command_line_mistake(tmp_path):
    with pytest.raises(ReportError) as caught:
        load_readers(tmp_path / "missing.txt")
    assert caught.value.code == 2 and "cannot read the reader list" in str(caught.value)
    with pytest.raises(ReportError) as caught:
        load_readers(tmp_path)  # a folder
    assert caught.value.code == 2
