"""An input's history read with real git: renames, shallow clones, uncommitted edits, old versions
that no longer validate, corrections with the same as-of date; and the `report diff` / `new` commands."""

from __future__ import annotations

import json
import subprocess

from versions_repo import TEXT, edited, git_env, outside, repo  # noqa: F401 - fixtures

from report.cli import main
from report.input.parse import parse_file
from report.versions.history import collect

NAME = "inputs/rut.yaml"


def _collect(path, **kw):
    report, _ = parse_file(path)
    return collect(path, report, **kw)


def _series(repo):
    """Three updates: March, April, May."""
    first = repo.commit(NAME, TEXT, "March")
    second = repo.commit(NAME, edited(as_of="2026-04-30", stat="18.40%", bear=35, base=40), "April")
    third = repo.commit(NAME, edited(as_of="2026-05-29", stat="16.10%", bear=40, base=40, bull=20), "May")
    return first, second, third


def test_not_in_git_has_no_version(outside):
    path = outside / "rut.yaml"
    path.write_text(TEXT, encoding="utf-8")
    assert _collect(path) == type(_collect(path))()  # empty: no id, no box, no chart, no note


def test_history_box_and_id(repo):
    first, second, third = _series(repo)
    v = _collect(repo.root / NAME)
    assert v.id == third[:7] and v.footer == f"rev {third[:7]}" and v.notes == ()
    assert v.changes.old.label == second[:7] and str(v.changes.old.as_of) == "2026-04-30"
    assert [(m.label, m.old, m.new) for m in v.changes.probabilities[0].moves] == [
        ("Bear", 35, 40), ("Bull invalidation", 25, 20)]
    assert [str(p.as_of) for p in v.history.points] == ["2026-03-31", "2026-04-30", "2026-05-29"]
    assert [dict(p.values)["Bear"] for p in v.history.points] == [30, 35, 40]
    assert dict(v.history.tones)["Bear"] == "bear"


def test_first_version_has_no_box_or_chart(repo):
    commit = repo.commit(NAME, TEXT)
    v = _collect(repo.root / NAME)
    assert (v.id, v.changes, v.history) == (commit[:7], None, None)


def test_uncommitted_edits_are_marked_and_compared(repo, capsys):
    _, second, _ = _series(repo)
    path = repo.write(NAME, edited(as_of="2026-05-29", stat="15.00%", bear=40, base=40, bull=20))
    v = _collect(path)
    assert v.id.endswith("+modified")
    assert v.changes.old.label == second[:7]  # still the last update with an earlier date
    assert main(["diff", str(path)]) == 0
    out = capsys.readouterr().out
    assert "1-year total return: 16.10% -> 15.00%" in out and "Probabilities" not in out
    assert main(["diff", str(path), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["stats"] == [{"label": "1-year total return", "old": "16.10%", "new": "15.00%"}]


def test_untracked_file_is_uncommitted(repo):
    repo.commit("other.yaml", TEXT)
    v = _collect(repo.write(NAME, TEXT))
    assert (v.id, v.footer, v.changes) == ("uncommitted", "uncommitted", None)


def test_renamed_file_history_is_followed(repo, capsys):
    first = repo.commit("old-name.yaml", TEXT)
    repo.git("mv", "old-name.yaml", "rut.yaml")
    repo.git("commit", "-q", "-m", "rename")
    renamed = repo.git("rev-parse", "HEAD")
    repo.commit("rut.yaml", edited(as_of="2026-04-30", bear=35, base=40))
    v = _collect(repo.root / "rut.yaml")
    assert v.changes is not None and v.changes.old.label == renamed[:7]
    assert len(v.history.points) == 2
    assert main(["diff", str(repo.root / "rut.yaml"), "--since", first]) == 0
    assert "Bear: 30% -> 35%" in capsys.readouterr().out


def test_shallow_clone_says_so(repo, tmp_path, capsys):
    first, _, third = _series(repo)
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", "--depth", "1", f"file://{repo.root}", str(clone)], check=True)
    v = _collect(clone / NAME)
    assert v.id == third[:7] and v.changes is None and v.history is None
    assert "shallow clone" in v.notes[0] and "git fetch --unshallow" in v.notes[0]
    assert main(["diff", str(clone / NAME), "--since", first]) == 2
    err = capsys.readouterr().err
    assert "shallow clone" in err and "git fetch --unshallow" in err


def test_version_that_no_longer_validates_is_skipped(repo, capsys):
    old = repo.commit(NAME, TEXT.replace("dek: >-", "summary: an older format\ndek: >-"), "old format")
    repo.commit(NAME, edited(as_of="2026-04-30", bear=35, base=40))
    repo.commit(NAME, edited(as_of="2026-05-29", bear=40, base=35))
    v = _collect(repo.root / NAME)
    assert v.notes == (f"skipped version {old[:7]}: it no longer validates: summary: unknown field",)
    assert [str(p.as_of) for p in v.history.points] == ["2026-04-30", "2026-05-29"]
    assert main(["diff", str(repo.root / NAME), "--since", old]) == 1
    assert f"version {old[:7]} cannot be compared" in capsys.readouterr().err


def test_same_as_of_date_counts_once(repo):
    first = repo.commit(NAME, TEXT)
    repo.commit(NAME, edited(as_of="2026-04-30", bear=35, base=40), "April")
    repo.commit(NAME, edited(as_of="2026-04-30", bear=33, base=42), "April, corrected")
    v = _collect(repo.root / NAME)
    assert v.changes.old.label == first[:7]  # the box compares with March, not the first April draft
    assert [(m.label, m.old, m.new) for m in v.changes.probabilities[0].moves] == [
        ("Bear", 30, 33), ("Base", 45, 42)]
    assert [dict(p.values)["Bear"] for p in v.history.points] == [30, 33]


def test_no_changes_flag_keeps_only_the_id(repo):
    _series(repo)
    v = _collect(repo.root / NAME, changes=False)
    assert v.id and v.changes is None and v.history is None


def test_diff_two_files_and_errors(outside, capsys):
    old, new = outside / "old.yaml", outside / "new.yaml"
    old.write_text(TEXT, encoding="utf-8")
    new.write_text(edited(bear=35, base=40), encoding="utf-8")
    assert main(["diff", str(old), str(new)]) == 0
    assert "Bear: 30% -> 35%" in capsys.readouterr().out
    assert main(["diff", str(new)]) == 1
    assert "not in a git repository" in capsys.readouterr().err
    assert main(["diff", str(old), str(new), "--since", "HEAD"]) == 2


def test_diff_unknown_revision(repo, capsys):
    repo.commit(NAME, TEXT)
    assert main(["diff", str(repo.root / NAME), "--since", "no-such-rev"]) == 2
    assert "no revision 'no-such-rev'" in capsys.readouterr().err


def test_new_sets_the_date_in_place(repo, capsys):
    repo.commit(NAME, TEXT)
    path = repo.root / NAME
    assert main(["new", str(path), "--as-of", "2026-04-30"]) == 0
    text = path.read_text(encoding="utf-8")
    assert text == TEXT.replace("as_of: 2026-03-31", "as_of: 2026-04-30")
    assert "still dated 2026-03-31: key stats 1-year total return" in capsys.readouterr().out
    assert main(["new", str(path), "--as-of", "2026-05-29"]) == 1  # April not committed yet
    assert "uncommitted edits" in capsys.readouterr().err
    beside = repo.root / "next.yaml"
    assert main(["new", str(path), "--as-of", "2026-05-29", "-o", str(beside)]) == 0
    assert "as_of: 2026-05-29" in beside.read_text(encoding="utf-8")
    assert main(["new", str(path), "--as-of", "2026-04-01", "--force"]) == 2  # not after April 30
    assert main(["new", str(path), "--as-of", "30/04/2026"]) == 2


def test_new_keeps_quotes_and_comments(outside, capsys):
    path = outside / "rut.yaml"
    path.write_text(TEXT.replace("as_of: 2026-03-31", "as_of: '2026-03-31'  # month end"), encoding="utf-8")
    assert main(["new", str(path), "--as-of", "2026-04-30"]) == 0  # not in git: nothing to protect
    assert "as_of: '2026-04-30'  # month end\n" in path.read_text(encoding="utf-8")
