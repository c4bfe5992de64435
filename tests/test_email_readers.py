"""`report email --readers`: one message per reader, journaled, against real SMTP servers (aiosmtpd).

The guarantee under test: every reader gets exactly one copy of an update, however often the run is
interrupted and re-run, except that a run stopped between the server accepting a message and the
journal recording it sends that one message again (asserted, not hidden).
"""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from mailserver import (LOOPBACK, ROOT, SAMPLE, Recorder, env, main, parse, silent_port,  # noqa: F401
                        smtp_server)


MINIMAL = ROOT / "tests" / "data" / "minimal.yaml"


def reader_list(tmp_path: Path, count: int, name: str = "readers.txt") -> tuple[Path, list[str]]:
    addresses = [f"reader{i:04d}@example.com" for i in range(count)]
    path = tmp_path / name
    path.write_text("# desk readers\n\n" + "\n".join(addresses) + "\n", "utf-8")
    return path, addresses


def send(tmp_path: Path, readers: Path, *args: str) -> int:
    return main(["email", str(SAMPLE), "--readers", str(readers), "--pdf-out", str(tmp_path),
                 *args])


def journal_lines(tmp_path: Path) -> list[str]:
    path = tmp_path / "russell-2000-bear-case.delivery.jsonl"
    return path.read_text("utf-8").splitlines() if path.exists() else []


def to_header(content: bytes) -> str:
    return re.search(rb"^To: (.*?)\r?$", content, re.M).group(1).decode()


def test_a_thousand_readers_one_message_each_and_a_rerun_sends_nothing(env, smtp_server, tmp_path,
                                                                       capsys):
    handler = Recorder(headers_only=True)
    env(smtp_server(handler))
    readers, addresses = reader_list(tmp_path, 1000)
    command = ["email", str(MINIMAL), "--readers", str(readers), "--pdf-out", str(tmp_path)]
    assert main(command) == 0, capsys.readouterr().err  # a one-page report: the test is of delivery
    out = capsys.readouterr()
    assert len(handler.messages) == 1000
    assert [rcpts for _, rcpts, _ in handler.messages] == [[a] for a in addresses]
    assert [to_header(c) for _, _, c in handler.messages] == addresses  # To names that reader only
    ids = {re.search(rb"^Message-ID: (.*?)\r?$", c, re.M).group(1) for _, _, c in handler.messages}
    assert len(ids) == 1000
    assert "sent " in out.out and "to 1000 of 1000 readers" in out.out
    assert len((tmp_path / "minimal.delivery.jsonl").read_text().splitlines()) == 1000

    assert main(command) == 0
    assert len(handler.messages) == 1000  # nobody got a second copy
    assert "nothing to send" in capsys.readouterr().out


def test_refused_readers_exit_5_and_a_rerun_after_the_fix_sends_exactly_to_them(env, smtp_server,
                                                                               tmp_path, capsys):
    readers, addresses = reader_list(tmp_path, 12)
    refused = (addresses[2], addresses[7], addresses[8])
    handler = Recorder(reject=refused)
    port = smtp_server(handler)
    env(port)
    assert send(tmp_path, readers) == 5
    err = capsys.readouterr().err
    for address in refused:
        line = addresses.index(address) + 3  # after the comment and the blank line
        assert f"{readers}:{line}:1: error: {address} not reached: " in err, err
        assert f"{address}: 550 5.1.1" in err
    assert sorted(handler.copies()) == sorted(set(addresses) - set(refused))
    assert len(journal_lines(tmp_path)) == 9

    handler.reject = ()  # the desk fixed the addresses with the server's admin
    assert send(tmp_path, readers) == 0, capsys.readouterr().err
    assert [rcpts[0] for _, rcpts, _ in handler.messages[9:]] == list(refused)
    assert set(handler.copies().values()) == {1}


def _dead(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, ProcessLookupError, IndexError):
        return True
    return state in ("Z", "X")


def _kill(process: subprocess.Popen) -> None:
    """SIGKILL the run and wait until it is gone, so it cannot read the server's next reply."""
    os.kill(process.pid, signal.SIGKILL)
    deadline = time.monotonic() + 30
    while not _dead(process.pid) and time.monotonic() < deadline:
        time.sleep(0.005)


@pytest.mark.parametrize("moment", ["before-the-250", "after-the-250"])
def test_killed_run_then_rerun_gives_everyone_exactly_one_copy(env, smtp_server, tmp_path, capsys,
                                                               monkeypatch, moment):
    """SIGKILL the sending process at the worst moment (the server has taken message 7 but not yet
    answered) and at a safe one (message 7 answered, message 8 starting); re-run the same command;
    count the copies each reader got at the server."""
    readers, addresses = reader_list(tmp_path, 15)
    process: list[subprocess.Popen] = []
    handler = Recorder(headers_only=True)
    if moment == "before-the-250":
        handler.on_accept = lambda n: _kill(process[0]) if n == 7 else None
    else:
        handler.on_mail = lambda n: _kill(process[0]) if n == 8 else None
    env(smtp_server(handler))
    monkeypatch.setenv("REPORT_CACHE_DIR", str(tmp_path / "cache"))
    command = [sys.executable, "-m", "report", "email", str(SAMPLE), "--readers", str(readers),
               "--pdf-out", str(tmp_path)]
    process.append(subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE,
                                    stderr=subprocess.PIPE))
    process[0].communicate(timeout=120)
    assert process[0].returncode == -signal.SIGKILL
    assert len(handler.messages) == 7
    assert len(journal_lines(tmp_path)) == (6 if moment == "before-the-250" else 7)

    assert send(tmp_path, readers) == 0, capsys.readouterr().err  # the same command again
    copies = handler.copies()
    assert sorted(copies) == addresses  # nobody skipped
    twice = [a for a, n in copies.items() if n > 1]
    if moment == "before-the-250":
        assert twice == [addresses[6]] and copies[addresses[6]] == 2  # the one in flight
    else:
        assert twice == []
    assert len(journal_lines(tmp_path)) == 15


def test_throttling_server_slows_the_run_down_and_it_completes(env, smtp_server, tmp_path, capsys):
    """A server under load: 451 to messages arriving less than 50 ms apart (and always to the 2nd
    and 3rd), 421 to the 5th MAIL. The run must slow down, retry, and reach everyone once."""
    last = [0.0]
    throttled = []

    def busy(n: int):
        now = time.monotonic()
        too_soon, last[0] = now - last[0] < 0.05, now
        if n in (2, 3) or too_soon:
            throttled.append(n)
            return "451 4.7.1 too many messages, slow down"
        return None

    handler = Recorder(headers_only=True, on_data=busy,
                       on_mail=lambda n: "421 4.7.0 too busy, closing" if n == 5 else None)
    env(smtp_server(handler))
    readers, addresses = reader_list(tmp_path, 25)
    assert send(tmp_path, readers) == 0, capsys.readouterr().err
    err = capsys.readouterr().err
    assert sorted(handler.copies()) == addresses and set(handler.copies().values()) == {1}
    assert len(throttled) >= 2 and "451 4.7.1" in err and "421 4.7.0" in err
    assert "(temporary); retrying in 0.05 s; slowing down to" in err


def test_rate_spaces_the_messages(env, smtp_server, tmp_path, capsys, monkeypatch):
    """`--rate 120/min`: half a second between the starts of two messages (a fake clock: the waits
    are checked, not the wall clock)."""
    from report.delivery import pace

    class FakeTime:
        now, waits = 1000.0, []

        @classmethod
        def monotonic(cls):
            return cls.now

        @classmethod
        def sleep(cls, seconds):
            cls.waits.append(round(seconds, 6))
            cls.now += seconds

    monkeypatch.setattr(pace, "time", FakeTime)
    handler = Recorder(headers_only=True)
    env(smtp_server(handler))
    readers, _ = reader_list(tmp_path, 5)
    assert send(tmp_path, readers, "--rate", "120/min") == 0, capsys.readouterr().err
    assert FakeTime.waits == [0.5] * 4 and len(handler.messages) == 5
    assert send(tmp_path, readers, "--rate", "fast") == 2
    assert "--rate: 'fast' is not a rate" in capsys.readouterr().err


def test_bulk_headers_and_greeting(env, smtp_server, tmp_path, capsys, monkeypatch):
    from report.delivery.bulk import token

    handler = Recorder()
    env(smtp_server(handler))
    monkeypatch.setenv("REPORT_UNSUBSCRIBE_URL", "https://desk.example/u?e={email}&t={token}")
    monkeypatch.setenv("REPORT_UNSUBSCRIBE_MAILTO", "unsubscribe@meridian.example")
    monkeypatch.setenv("REPORT_UNSUBSCRIBE_SECRET", "s3cret-key")
    readers = tmp_path / "readers.csv"
    readers.write_text("email,name,desk\nann@example.com,Ann Lee,rates\nbob@example.com,,fx\n"
                       '"cho@example.com","Chö, Min",eq\n', "utf-8")
    assert send(tmp_path, readers) == 0, capsys.readouterr().err
    assert "no unsubscribe link" not in capsys.readouterr().err
    messages = [parse(raw) for _, _, raw in handler.messages]
    ann, bob, cho = messages
    assert ann["To"] == "Ann Lee <ann@example.com>" and bob["To"] == "bob@example.com"
    assert cho["To"].addresses[0].display_name == "Chö, Min"
    list_id = "Meridian Research <meridian-research.meridian.example>"
    for msg, address in zip(messages, ("ann@example.com", "bob@example.com", "cho@example.com")):
        assert msg["List-Id"] == list_id
        url = f"https://desk.example/u?e={address}&t={token('s3cret-key', list_id, address)}"
        assert msg["List-Unsubscribe"] == \
            f"<{url}>, <mailto:unsubscribe@meridian.example?subject=unsubscribe>"
        assert msg["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    raw = handler.messages[0][2]
    assert b"=?utf-8?" not in raw.split(b"\r\n\r\n")[0].split(b"List-Unsubscribe:")[1][:200]
    assert len({m["Message-ID"] for m in messages}) == 3
    plain = [m.get_body(("plain",)).get_content().replace("\r\n", "\n") for m in messages]
    html = [m.get_body(("html",)).get_content() for m in messages]
    assert plain[0].startswith("Dear Ann Lee,\n\n") and "Dear Ann Lee," in html[0]
    assert not plain[1].startswith("Dear") and "Dear" not in html[1]  # no name, no greeting
    assert "Dear Chö, Min," in plain[2]
    pdfs = {a.get_content() for m in messages for a in m.iter_attachments()}
    assert main(["build", str(SAMPLE), "-o", str(tmp_path / "b")]) == 0
    assert pdfs == {(tmp_path / "b" / "russell-2000-bear-case.pdf").read_bytes()}  # built once


def test_shared_parts_flatten_to_the_email_packages_bytes(env):
    """Envelope.flatten reuses the bytes of parts shared between messages: the result must be
    what the email package's own generator writes (the control: a part changed after its bytes
    were made would show here)."""
    import io
    from email.generator import BytesGenerator

    from report.brand.theme import load_theme
    from report.build import build_input
    from report.delivery import message

    theme = load_theme("meridian")
    built = build_input(SAMPLE, theme, write=False, changes=False)
    letter = message.prepare(built.report, built.pdf, built.pages, theme, "desk@meridian.example")
    for name in ("", "Ann Lee", "", "Bob"):
        envelope = message.compose(letter, ["ann@example.com"], name=name)
        for linesep in ("\r\n", "\n"):
            out = io.BytesIO()
            BytesGenerator(out, policy=envelope.message.policy.clone(linesep=linesep)).flatten(
                envelope.message)
            assert envelope.flatten(linesep) == out.getvalue()
    assert len(letter.made) == 4  # the PDF and the shared body, for each line ending


def test_mailto_only_has_no_one_click_header(env, smtp_server, tmp_path, capsys, monkeypatch):
    handler = Recorder()
    env(smtp_server(handler))
    monkeypatch.setenv("REPORT_UNSUBSCRIBE_MAILTO", "mailto:leave@meridian.example")
    monkeypatch.setenv("REPORT_LIST_ID", "Rates desk <rates.meridian.example>")
    readers, _ = reader_list(tmp_path, 1)
    assert send(tmp_path, readers) == 0, capsys.readouterr().err
    msg = parse(handler.messages[0][2])
    assert msg["List-Unsubscribe"] == "<mailto:leave@meridian.example>"
    assert msg["List-Unsubscribe-Post"] is None  # RFC 8058: one-click needs an https URI
    assert msg["List-Id"] == "Rates desk <rates.meridian.example>"


def test_no_unsubscribe_setting_warns(env, smtp_server, tmp_path, capsys):
    handler = Recorder()
    env(smtp_server(handler))
    readers, _ = reader_list(tmp_path, 1)
    assert send(tmp_path, readers) == 0
    assert "no unsubscribe link is set" in capsys.readouterr().err
    assert parse(handler.messages[0][2])["List-Unsubscribe"] is None


@pytest.mark.parametrize("variable, value, expected", [
    ("REPORT_UNSUBSCRIBE_URL", "http://desk.example/u", "must be an https:// URL"),
    ("REPORT_UNSUBSCRIBE_URL", "https://desk.example/u?x=\r\nBcc: y", "not a URI usable"),
    ("REPORT_UNSUBSCRIBE_URL", "https://desk.example/u?t={token}", "no secret is set"),
    ("REPORT_UNSUBSCRIBE_MAILTO", "leave@", "has nothing after the @"),
    ("REPORT_LIST_ID", "rates", "is not a list id"),
    ("REPORT_SMTP_RATE", "lots", "is not a rate"),
])
def test_bad_list_settings_are_refused_before_sending(env, silent_port, tmp_path, capsys,
                                                     monkeypatch, variable, value, expected):
    env(silent_port.getsockname()[1])
    monkeypatch.setenv(variable, value)
    readers, _ = reader_list(tmp_path, 2)
    assert send(tmp_path, readers) == 6
    err = capsys.readouterr().err
    assert f"error: {variable}" in err and expected in err and "Traceback" not in err
    silent_port.settimeout(0.2)
    with pytest.raises(socket.timeout):
        silent_port.accept()


def test_ten_refused_messages_in_a_row_stop_the_run(env, smtp_server, tmp_path, capsys):
    handler = Recorder(refuse_text="Why the RUT")  # a content filter that refuses this update
    env(smtp_server(handler))
    readers, addresses = reader_list(tmp_path, 30)
    assert send(tmp_path, readers) == 5
    err = capsys.readouterr().err
    assert handler.data_calls == 10 and handler.messages == []
    assert "stopped: 10 messages in a row were not accepted" in err
    assert "20 reader(s) not tried" in err and addresses[10] in err


def test_server_down_stops_at_once(env, tmp_path, capsys):
    from mailserver import free_port

    env(free_port())
    readers, _ = reader_list(tmp_path, 50)
    assert send(tmp_path, readers) == 5
    err = capsys.readouterr().err
    assert err.count("connection refused") == 1 and "50 reader(s) not tried" in err
    assert journal_lines(tmp_path) == []


def test_a_second_run_on_the_same_journal_is_refused(env, smtp_server, tmp_path, capsys):
    from report.delivery.journal import Journal

    handler = Recorder()
    env(smtp_server(handler))
    readers, _ = reader_list(tmp_path, 3)
    journal = tmp_path / "shared.jsonl"
    with Journal.open(journal):  # another run holds it
        assert send(tmp_path, readers, "--journal", str(journal)) == 4
    err = capsys.readouterr().err
    assert "another `report email` run is using this delivery journal" in err
    assert handler.messages == []
    assert send(tmp_path, readers, "--journal", str(journal)) == 0  # the lock ended with it
    assert len(journal.read_text().splitlines()) == 3


def test_a_new_pdf_starts_afresh(env, smtp_server, tmp_path, capsys):
    handler = Recorder(headers_only=True)
    env(smtp_server(handler))
    readers, _ = reader_list(tmp_path, 3)
    source = tmp_path / "update.yaml"
    source.write_text(SAMPLE.read_text("utf-8"), "utf-8")
    command = ["email", str(source), "--readers", str(readers)]
    assert main(command) == 0
    source.write_text(SAMPLE.read_text("utf-8").replace("Small-Caps", "Small Caps", 1), "utf-8")
    assert main(command) == 0
    assert len(handler.messages) == 6
    assert "lists 1 earlier version(s)" in capsys.readouterr().err


def test_dry_run_writes_one_eml_per_reader_and_nothing_else(env, silent_port, tmp_path, capsys):
    env(silent_port.getsockname()[1])
    inputs = tmp_path / "inputs"
    inputs.mkdir()
    source = inputs / "update.yaml"
    source.write_text(SAMPLE.read_text("utf-8"), "utf-8")
    readers = tmp_path / "readers.csv"
    readers.write_text("email,name\nAnn@Example.com,Ann Lee\nbob@example.com,\n", "utf-8")
    outbox = tmp_path / "outbox"
    code = main(["email", "--dry-run", "--readers", str(readers), "-o", str(outbox), str(source)])
    out = capsys.readouterr()
    assert code == 0, out.err
    assert sorted(p.name for p in outbox.iterdir()) == ["ann@example.com.eml", "bob@example.com.eml"]
    ann = parse((outbox / "ann@example.com.eml").read_bytes())
    assert ann["To"] == "Ann Lee <Ann@Example.com>" and ann["List-Id"]
    assert ann.get_body(("plain",)).get_content().startswith("Dear Ann Lee,")
    assert sorted(p.name for p in inputs.iterdir()) == ["update.yaml"]  # no PDF, no journal
    assert "wrote 2 messages" in out.out
    silent_port.settimeout(0.2)
    with pytest.raises(socket.timeout):
        silent_port.accept()
    assert main(["email", str(source), "--dry-run", "--readers", str(readers)]) == 2
    assert "name a folder with -o" in capsys.readouterr().err
    other = inputs / "second.yaml"
    other.write_text(source.read_text("utf-8"), "utf-8")
    assert main(["email", str(source), str(other), "--dry-run", "--readers", str(readers), "-o",
                 str(tmp_path / "many")]) == 0
    assert sorted(str(p.relative_to(tmp_path / "many")) for p in (tmp_path / "many").rglob("*.eml")) \
        == ["second/ann@example.com.eml", "second/bob@example.com.eml",
            "update/ann@example.com.eml", "update/bob@example.com.eml"]


def test_reader_list_mistakes_are_located_before_anything_is_built(env, silent_port, tmp_path,
                                                                   capsys):
    env(silent_port.getsockname()[1])
    readers = tmp_path / "readers.csv"
    readers.write_text("email,name\n"
                       "ann@example.com,Ann\n"
                       "reader@,Broken\n"
                       "\n"
                       "ANN@example.com,Ann again\n"
                       ",No address\n"
                       '"two@example.com, three@example.com",Two\n', "utf-8")
    assert send(tmp_path, readers) == 1
    err = capsys.readouterr().err
    lines = [line for line in err.splitlines() if ": error: " in line]
    assert lines == [
        f"{readers}:3:1: error: 'reader@' is not an email address: it has nothing after the @",
        f"{readers}:5:1: error: ANN@example.com is listed twice (first on line 2)",
        f"{readers}:6:1: error: this row has no address in the 'email' column",
        f"{readers}:7:1: error: 'two@example.com, three@example.com' holds 2 addresses; give one "
        "at a time",
    ]
    assert not list(tmp_path.glob("*.pdf"))
    silent_port.settimeout(0.2)
    with pytest.raises(socket.timeout):
        silent_port.accept()


def test_interrupted_run_names_the_message_in_flight(env, smtp_server, tmp_path, capsys,
                                                     monkeypatch):
    from report.delivery import smtp

    handler = Recorder(headers_only=True)
    env(smtp_server(handler))
    readers, addresses = reader_list(tmp_path, 6)
    original = smtp.Mailer.send

    def ctrl_c_at_the_third(self, envelope):
        if len(handler.messages) == 2:
            raise KeyboardInterrupt  # as if Ctrl-C came while the third message was in flight
        return original(self, envelope)

    monkeypatch.setattr(smtp.Mailer, "send", ctrl_c_at_the_third)
    assert send(tmp_path, readers) == 130
    err = capsys.readouterr().err
    assert f"interrupted; the message to {addresses[2]} was being sent and may have arrived" in err
    assert "4 reader(s) not tried" in err and len(journal_lines(tmp_path)) == 2
    monkeypatch.setattr(smtp.Mailer, "send", original)
    assert send(tmp_path, readers) == 0
    assert set(handler.copies().values()) == {1} and len(handler.messages) == 6


def test_progress_line_on_a_terminal_and_in_a_log():
    import io

    from report.delivery.progress import Progress

    class Terminal(io.StringIO):
        def isatty(self):
            return True

    screen = Terminal()
    progress = Progress("inputs/x.yaml", 900, screen, clock=lambda: 0.0)
    progress.update(412, 2, 300.0)
    progress.note("report: a note")
    progress.update(413, 2, 0.5)
    progress.done()
    assert screen.getvalue() == (
        "\r\x1b[Kinputs/x.yaml: 412 sent, 2 not reached, 486 left, about 5 min to go"
        "\r\x1b[Kreport: a note\n"
        "\r\x1b[Kinputs/x.yaml: 413 sent, 2 not reached, 485 left, under a second to go\n")
    log = io.StringIO()
    progress = Progress("x", 100, log)
    for n in range(1, 101):
        progress.update(n, 0, 1.0)
    assert len(log.getvalue().splitlines()) == 11  # one line a tenth, not one a reader


def test_pace_doubles_on_throttling_and_recovers_but_never_beats_the_rate():
    from report.delivery.pace import MAX_INTERVAL, Pacer, parse_rate

    assert parse_rate("30/min") == 0.5 and parse_rate("2/s") == 2 and parse_rate("3600/h") == 1
    pacer = Pacer(parse_rate("60/min"), backoff=2, clock=lambda: 0.0, sleep=lambda s: None)
    assert pacer.interval == 1
    assert [pacer.throttled() for _ in range(3)] == [2, 4, 8]
    for _ in range(100):
        pacer.throttled()
    assert pacer.interval == MAX_INTERVAL
    for _ in range(200):
        pacer.accepted()
    assert pacer.interval == 1  # back to the rate, never faster
