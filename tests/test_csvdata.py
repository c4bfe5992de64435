"""Chart data from CSV files: read into the same fields as YAML (so the model's rules apply), located
at file.csv:line:column with the field fed, confined to the input's folder, size-capped, and seen by
the change box, `report diff` and `report watch`.

The committed bad cases (tests/data/bad/csv-*.yaml) are run by test_bad_inputs.py; the cases here
need a file made at run time (a symlink, a file over the cap) or a git repository.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from report.cli import main
from report.dependencies import dependencies
from report.input.csvdata import MAX_CSV_BYTES
from report.input.parse import parse_file

ARTICLE = """\
title: Capex report
dek: One line.
as_of: {as_of}
key_stats:
  - {{label: Return, value: 1%}}
sections:
  - heading: Only section
    blocks:
      - Some text.
      - chart:
          kind: combo
          title: Capex and earnings
          source: Filings
          y_label: Capex, $ billions
          y2_label: EPS, $
          data: {data}
          bars: [{{name: Capex}}]
          lines: [{{name: EPS}}]
disclaimer: Not advice.
"""
GOOD = "Year,Capex,EPS\n2023,4.6,3.10\n2024,5.9,2.75\n2025,7.2,3.32\n"


def article(folder: Path, csv: str | None = GOOD, data: str = "charts/capex.csv", as_of: str = "2026-03-31") -> Path:
    if csv is not None:
        (folder / "charts").mkdir(exist_ok=True)
        (folder / data).write_text(csv, encoding="utf-8")
    source = folder / "capex.yaml"
    source.write_text(ARTICLE.format(data=data, as_of=as_of), encoding="utf-8")
    return source


def refused(source: Path, capsys) -> str:
    """Build `source` and expect one located mistake and no file written; return stderr."""
    out = source.parent / "out"
    assert main(["build", str(source), "-o", str(out)]) == 1
    assert not out.exists() or list(out.iterdir()) == []
    return capsys.readouterr().err


def test_a_csv_chart_is_the_same_model_as_the_inline_chart(tmp_path):
    report, _ = parse_file(article(tmp_path))
    chart = report.sections[0].blocks[1].chart
    assert chart.categories == ["2023", "2024", "2025"]  # text stays text as written
    assert [s.values for s in chart.bars] == [[4.6, 5.9, 7.2]]
    assert [s.values for s in chart.lines] == [[3.10, 2.75, 3.32]]


def test_spreadsheet_exports_are_read_as_written(tmp_path):
    """A byte-order mark, `;` separators, quoted cells with the separator and a true minus sign."""
    csv = "\ufeffYear;Capex;EPS\r\n\"2023; restated\";4.6;\u22123.10\r\n2024;5.9;2.75\r\n\r\n"
    report, _ = parse_file(article(tmp_path, csv))
    chart = report.sections[0].blocks[1].chart
    assert chart.categories == ["2023; restated", "2024"]
    assert chart.lines[0].values == [-3.10, 2.75]


def test_every_column_becomes_a_series_when_none_are_named(tmp_path):
    (tmp_path / "charts").mkdir()
    (tmp_path / "charts" / "p.csv").write_text("Month,Bear,Base\nJan,100,100\nFeb,95,101\n", encoding="utf-8")
    source = tmp_path / "lines.yaml"
    source.write_text(ARTICLE.format(data="charts/p.csv", as_of="2026-03-31").replace(
        "kind: combo", "kind: lines").split("          y_label")[0] + "          data: charts/p.csv\n"
        "disclaimer: Not advice.\n", encoding="utf-8")
    chart = parse_file(source)[0].sections[0].blocks[1].chart
    assert [(s.name, s.values) for s in chart.series] == [("Bear", [100, 95]), ("Base", [100, 101])]
    assert chart.x == ["Jan", "Feb"]


@pytest.mark.parametrize(("csv", "expected"), [
    ("Year,Capex,EPS\n2023,4.6,3.10\n2024,abc,2.75\n", "charts/capex.csv:3:6: error: sections[1].blocks[2]"
     ".chart.bars[1].values[2]: expected a number, got 'abc'"),
    ("Year,Capex,EPS\n2023,4.6,3.10\n2024,,2.75\n", "charts/capex.csv:3:6: error: sections[1].blocks[2]"
     ".chart.bars[1].values[2]: the cell is empty; expected a number"),
    ("Year,Capex,EPS\n2023,4.6,inf\n2024,1,1\n", "charts/capex.csv:2:10: error: sections[1].blocks[2].chart.lines[1]"
     ".values[1]: must be a finite number"),
    ("Year,Capex,EPS\n2023,1e16,3\n2024,1,1\n", "charts/capex.csv:2:6: error: sections[1].blocks[2].chart.bars[1]"
     ".values[1]: 1e16 is too large for a chart"),
    ("Year,Capex,Capex\n2023,1,2\n", "charts/capex.csv:1:12: error: sections[1].blocks[2].chart.data: "
     "column 'Capex' is named twice (first in column 2)"),
    ("Year,Capex,EPS\n2023,\"4.6,3\n", "charts/capex.csv:2:6: error: sections[1].blocks[2].chart.data: "
     "a quoted cell is not closed"),
])
def test_a_bad_cell_is_located_in_the_csv_file_with_the_field_it_feeds(tmp_path, capsys, csv, expected):
    err = refused(article(tmp_path, csv), capsys)
    assert err.startswith(str(tmp_path / expected.split(":")[0]) + ":" + expected.split(":", 1)[1]), err


def test_a_file_that_is_not_utf8_is_refused_at_its_byte(tmp_path, capsys):
    source = article(tmp_path)
    (tmp_path / "charts" / "capex.csv").write_bytes(b"Year,Capex,EPS\n2023,4.6,\xff\n")
    err = refused(source, capsys)
    assert f"{tmp_path}/charts/capex.csv:2:10: error: sections[1].blocks[2].chart.data: file is not valid UTF-8" in err


def test_a_file_over_the_size_cap_is_refused(tmp_path, capsys):
    big = "Year,Capex,EPS\n" + "2023,4.6,3.1\n" * (MAX_CSV_BYTES // 12)
    err = refused(article(tmp_path, big), capsys)
    assert ":16:17: error: sections[1].blocks[2].chart.data: data file 'charts/capex.csv' is " in err
    assert "over the 1,000,000-byte limit" in err


def test_a_symlink_out_of_the_folder_is_refused_and_one_inside_is_followed(tmp_path, capsys):
    outside = tmp_path / "secret.csv"
    outside.write_text(GOOD, encoding="utf-8")
    folder = tmp_path / "desk"
    folder.mkdir()
    source = article(folder, csv=None)
    (folder / "charts").mkdir()
    (folder / "charts" / "capex.csv").symlink_to(outside)
    err = refused(source, capsys)
    assert "chart.data: data file 'charts/capex.csv' is a link to a file outside the input's folder" in err
    (folder / "charts" / "capex.csv").unlink()
    (folder / "charts" / "real.csv").write_text(GOOD, encoding="utf-8")
    (folder / "charts" / "capex.csv").symlink_to("real.csv")
    assert parse_file(source)[0].sections[0].blocks[1].chart.bars[0].values == [4.6, 5.9, 7.2]


def test_a_folder_or_a_fifo_is_not_read(tmp_path, capsys):
    source = article(tmp_path, csv=None)
    (tmp_path / "charts").mkdir()
    os.mkfifo(tmp_path / "charts" / "capex.csv")
    assert "data file 'charts/capex.csv' is not a regular file" in refused(source, capsys)


def test_numbers_given_in_both_places_are_refused(tmp_path, capsys):
    source = article(tmp_path)
    source.write_text(source.read_text().replace("data: charts/capex.csv", "data: charts/capex.csv\n"
                                                 "          categories: [a, b, c]"), encoding="utf-8")
    err = refused(source, capsys)
    assert "chart.categories: given here and by the data file 'charts/capex.csv'" in err


def test_watch_depends_on_the_csv_files(tmp_path):
    source = article(tmp_path)
    assert tmp_path / "charts" / "capex.csv" in dependencies(source, None)


# -- history: the change box and `report diff` read the CSV at the input's revision -------------
def _git(folder: Path, *args: str) -> str:
    return subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@example.com", *args], cwd=folder,
                          check=True, capture_output=True, text=True).stdout


def test_the_change_box_and_diff_see_a_csv_change(tmp_path, capsys):
    _git(tmp_path, "init", "-q")
    source = article(tmp_path)
    _git(tmp_path, "add", ".")
    _git(tmp_path, "commit", "-qm", "March")
    source.write_text(source.read_text().replace("2026-03-31", "2026-04-30"), encoding="utf-8")
    (tmp_path / "charts" / "capex.csv").write_text(GOOD.replace("7.2", "7.9"), encoding="utf-8")
    assert main(["diff", str(source)]) == 0
    out = capsys.readouterr().out
    assert "Chart data changed\n  Capex and earnings" in out
    _git(tmp_path, "commit", "-qam", "April")
    (tmp_path / "charts" / "capex.csv").write_text(GOOD.replace("7.2", "8.4"), encoding="utf-8")
    _git(tmp_path, "commit", "-qam", "April, corrected capex only")
    from report.versions.history import collect

    report, _ = parse_file(source)
    versions = collect(source, report)
    head = _git(tmp_path, "rev-parse", "--short=7", "HEAD").strip()
    assert versions.id == head, "the version id names the commit that changed the CSV"
    assert versions.changes is not None and versions.changes.charts == ("Capex and earnings",)
    (tmp_path / "charts" / "capex.csv").write_text(GOOD, encoding="utf-8")
    assert collect(source, report).id == head + "+modified"


def test_a_csv_moved_to_another_name_with_the_same_numbers_is_no_chart_change(tmp_path, capsys):
    """The box tells readers of numbers that changed, not of a file renamed (the control: new numbers)."""
    from report.versions.compare import compare

    old, _ = parse_file(article(tmp_path))
    moved = tmp_path / "moved"
    moved.mkdir()
    new, _ = parse_file(article(moved, data="charts/capex-2026.csv", as_of="2026-04-30"))
    assert compare(old, new).charts == ()
    edited, _ = parse_file(article(tmp_path / "moved", csv=GOOD.replace("7.2", "7.9"), data="charts/capex-2026.csv",
                              as_of="2026-04-30"))
    assert compare(old, edited).charts == ("Capex and earnings",)


def test_an_old_version_whose_csv_was_a_symlink_is_skipped_with_a_note(tmp_path):
    _git(tmp_path, "init", "-q")
    source = article(tmp_path, csv=None)
    (tmp_path / "charts").mkdir()
    (tmp_path / "elsewhere.csv").write_text(GOOD, encoding="utf-8")
    (tmp_path / "charts" / "capex.csv").symlink_to("../elsewhere.csv")
    _git(tmp_path, "add", ".")
    _git(tmp_path, "commit", "-qm", "March")
    (tmp_path / "charts" / "capex.csv").unlink()
    (tmp_path / "charts" / "capex.csv").write_text(GOOD, encoding="utf-8")
    source.write_text(source.read_text().replace("2026-03-31", "2026-04-30"), encoding="utf-8")
    from report.versions.history import collect

    notes = collect(source, parse_file(source)[0]).notes
    assert any("is a symbolic link in commit" in n for n in notes), notes
