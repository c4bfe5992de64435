"""The chart helper process: a build whose charts another process drew is byte-identical to one that
drew them itself, and a helper that fails, dies or hangs only costs time."""

from __future__ import annotations

import os
import subprocess
import sys
import time

import pytest

from conftest import ROOT, SAMPLE, build
from report.charts import helper


@pytest.fixture(autouse=True)
def helper_allowed(monkeypatch):
    """These tests are about the helper: whatever the environment says (mutmut's runs turn it off),
    here and in the processes they start it may run."""
    monkeypatch.delenv(helper.OPT_OUT, raising=False)


@pytest.fixture(scope="module")
def alone(tmp_path_factory) -> bytes:
    """The sample built with no helper: every chart drawn in this process."""
    mp = pytest.MonkeyPatch()
    mp.setattr(helper.Helper, "start", classmethod(lambda cls: None))
    try:
        return build(tmp_path_factory.mktemp("alone")).read_bytes()
    finally:
        mp.undo()


@pytest.fixture
def two_cores(monkeypatch):
    monkeypatch.setattr(helper, "cores", lambda: 2)


PROBE = ("import sys; from report.cli import main; rc = main(['build', %r, '-o', %r]); "
         "print(rc, 'matplotlib' in sys.modules)")


def test_the_helper_draws_the_charts_and_the_bytes_are_the_same(tmp_path, alone):
    """In a new process, as a user runs it: the building process never imports matplotlib."""
    env = {**os.environ, "REPORT_CACHE_DIR": "off"}
    run = subprocess.run([sys.executable, "-c", PROBE % (str(SAMPLE), str(tmp_path))], cwd=ROOT,
                         env=env, capture_output=True, text=True, check=True)
    if helper.cores() < 2:
        pytest.skip("one core: no helper")
    assert run.stdout.split()[-2:] == ["0", "False"]
    assert (tmp_path / (SAMPLE.stem + ".pdf")).read_bytes() == alone


def test_a_new_interpreter_helper_gives_the_same_bytes(tmp_path, alone, two_cores, monkeypatch):
    monkeypatch.setattr(helper, "FORK", False)  # as on systems without fork
    assert build(tmp_path).read_bytes() == alone


def test_a_job_the_helper_cannot_draw_is_drawn_here(tmp_path, alone, two_cores, monkeypatch):
    def fail(*args):
        raise RuntimeError("cannot draw")

    monkeypatch.setattr(helper, "_draw", fail)  # in the forked helper
    assert build(tmp_path).read_bytes() == alone


def test_a_helper_that_dies_costs_only_time(tmp_path, alone, two_cores, monkeypatch):
    monkeypatch.setattr(helper, "_draw", lambda *args: os._exit(3))
    assert build(tmp_path).read_bytes() == alone


def test_a_helper_that_hangs_is_ended_and_costs_only_time(tmp_path, alone, two_cores, monkeypatch):
    started = []
    real_start = helper.Helper.start.__func__

    def start(cls):
        h = real_start(cls)
        started.append(h)
        return h

    monkeypatch.setattr(helper.Helper, "start", classmethod(start))
    monkeypatch.setattr(helper, "_draw", lambda *args: time.sleep(3600))
    monkeypatch.setattr(helper, "HELPER_TIMEOUT", 1.0)
    assert build(tmp_path).read_bytes() == alone
    assert started and started[0] is not None and not started[0].alive
    helper.reap(wait=True)
    with pytest.raises(ChildProcessError):
        os.waitpid(started[0].pid, os.WNOHANG)  # killed and reaped


def test_no_helper_on_one_core(monkeypatch):
    monkeypatch.setattr(helper, "cores", lambda: 1)
    assert helper.Helper.start() is None


@pytest.mark.parametrize("setting", ["off", "OFF", " off "])
def test_no_helper_when_turned_off(monkeypatch, two_cores, setting):
    monkeypatch.setenv(helper.OPT_OUT, setting)
    assert helper.Helper.start() is None


@pytest.mark.parametrize("setting", ["", "on", "1"])
def test_a_helper_unless_turned_off(monkeypatch, two_cores, setting):  # the control of the one above
    monkeypatch.setenv(helper.OPT_OUT, setting)
    started = helper.Helper.start()
    assert started is not None
    started.close()


def test_the_helper_imports_neither_the_model_nor_pydantic():
    code = ("import sys; from report.charts.helper import warm; warm(); "
            "print(sorted(m for m in ('pydantic', 'report.input.model', 'yaml', 'report.brand.theme') "
            "if m in sys.modules))")
    run = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert run.stdout.strip() == "[]"
