"""`report email` against real SMTP servers on loopback (aiosmtpd), one per behaviour under test.

Each test starts its own server on 127.0.0.1, points the REPORT_SMTP_* variables at it and runs the
real CLI in-process. Timeouts and backoff are kept short so the whole file runs in seconds.
"""

from __future__ import annotations

import re
import socket
import stat
import time

import pytest

from mailserver import (LOOPBACK, READER, ROOT, SAMPLE, Recorder, authenticator,  # noqa: F401
                        email_cli, env, free_port, main, parse, silent_port, smtp_server)


def test_message_arrives_with_both_bodies_and_the_exact_pdf(env, smtp_server, tmp_path, capsys):
    handler = Recorder()
    env(smtp_server(handler))
    code = email_cli(tmp_path, "--to", READER, "--cc", "Editor <editor@example.com>",
                     "--bcc", "archive@example.org")
    out = capsys.readouterr()
    assert code == 0, out.err
    assert len(handler.messages) == 1
    sender, rcpts, raw = handler.messages[0]
    assert sender == "desk@meridian.example"
    assert sorted(rcpts) == ["archive@example.org", "editor@example.com", READER]
    msg = parse(raw)
    assert msg["Subject"] == ("Why the RUT Could Slide Further: Headwinds for Small-Caps "
                              "(as of March 31, 2026)")
    assert msg["To"] == READER and "editor@example.com" in msg["Cc"]
    assert msg["Bcc"] is None and b"archive@example.org" not in raw  # Bcc only in the envelope
    plain = " ".join(msg.get_body(("plain",)).get_content().split())
    html = msg.get_body(("html",)).get_content()
    for text in ("Why the RUT Could Slide Further", "25.72%", "Quick answer".upper(),
                 "Base (45%)", "Bear", "30%", "is attached", "does not provide personalized"):
        assert text in plain, text
    for text in ("Meridian Research", "25.72%", "Volatile range with mild downside bias", "45%",
                 "The full report is attached", "personalized financial advice"):
        assert text in html, text
    attachments = list(msg.iter_attachments())
    assert [a.get_filename() for a in attachments] == ["Russell 2000 bear case 2026-03-31.pdf"]
    pdf = attachments[0].get_content()
    built = tmp_path / "russell-2000-bear-case.pdf"
    assert pdf == built.read_bytes()
    # the same bytes `report build` writes
    assert main(["build", str(SAMPLE), "-o", str(tmp_path / "b")]) == 0
    assert pdf == (tmp_path / "b" / "russell-2000-bear-case.pdf").read_bytes()
    assert "sent " in out.out and "250 2.0.0 OK queued as TEST1" in out.out


def test_html_body_is_mail_client_safe(env, tmp_path, capsys):
    code = email_cli(tmp_path, "--to", READER, "--dry-run", "-o", str(tmp_path / "m.eml"))
    assert code == 0, capsys.readouterr().err
    msg = parse((tmp_path / "m.eml").read_bytes())
    html = msg.get_body(("html",)).get_content().lower()
    for banned in ("<script", "<style", "<link", "url(", "http://", "https://", "@import",
                   "javascript:", "class="):
        assert banned not in html, banned
    assert "<table" in html and 'style="' in html
    # the one image is the logo, carried in the message itself: nothing is fetched
    sources = re.findall(r'src="([^"]*)"', html)
    assert len(sources) == 1 == html.count("<img") and sources[0].startswith("cid:")
    images = [p for p in msg.walk() if p.get_content_type() == "image/png"]
    assert [p["Content-ID"].strip("<>").lower() for p in images] == [sources[0][4:]]
    assert 'alt="meridian research logo"' in html


def test_input_text_is_html_escaped(env, tmp_path, capsys):
    text = SAMPLE.read_text("utf-8")
    text = text.replace('title: "Why the RUT Could Slide Further: Headwinds for Small-Caps"',
                        'title: "<script>alert(1)</script> R&D <b>bold</b> \\"q\\""', 1)
    text = text.replace("  - label: 1-year total return", '  - label: "<img src=x onerror=y>"', 1)
    source = tmp_path / "evil.yaml"
    source.write_text(text, "utf-8")
    code = email_cli(tmp_path, "--to", READER, "--dry-run", source=source)
    assert code == 0, capsys.readouterr().err
    html = parse((tmp_path / "evil.eml").read_bytes()).get_body(("html",)).get_content()
    assert "<script" not in html and "<img src=x" not in html and "<b>bold" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; R&amp;D &lt;b&gt;bold&lt;/b&gt; &quot;q&quot;" in html
    assert "&lt;img src=x onerror=y&gt;" in html


def test_dry_run_writes_eml_and_contacts_no_server(env, silent_port, tmp_path, capsys):
    env(silent_port.getsockname()[1])
    target = tmp_path / "out" / "update.eml"
    code = email_cli(tmp_path, "--to", READER, "--dry-run", "-o", str(target))
    out = capsys.readouterr()
    assert code == 0, out.err
    assert "dry run, nothing sent" in out.out
    msg = parse(target.read_bytes())
    assert msg["To"] == READER and msg.get_body(("html",)) is not None
    silent_port.settimeout(0.2)
    with pytest.raises(socket.timeout):
        silent_port.accept()  # nobody ever connected


@pytest.mark.parametrize("bad", [
    "reader@example.com\r\nBcc: victim@example.org",
    "reader@example.com\nX-Injected: 1",
    "reader@example.com\x00",
    "not-an-address",
    "two@example.com, three@example.com",
    "reader@exa mple.com",
])
def test_bad_addresses_are_refused_before_connecting(env, silent_port, tmp_path, capsys, bad):
    env(silent_port.getsockname()[1])
    code = email_cli(tmp_path, "--to", bad)
    err = capsys.readouterr().err
    assert code == 2, err
    assert "--to" in err and "Traceback" not in err
    assert not (tmp_path / "russell-2000-bear-case.pdf").exists()  # refused before building
    silent_port.settimeout(0.2)
    with pytest.raises(socket.timeout):
        silent_port.accept()


def test_line_break_in_title_cannot_reach_the_subject(env, silent_port, tmp_path, capsys):
    text = SAMPLE.read_text("utf-8").replace(
        'title: "Why the RUT Could Slide Further: Headwinds for Small-Caps"',
        'title: "Update\\nBcc: victim@example.org"', 1)
    source = tmp_path / "inject.yaml"
    source.write_text(text, "utf-8")
    env(silent_port.getsockname()[1])
    out = tmp_path / "out"
    code = main(["email", str(source), "--pdf-out", str(out), "--to", READER])
    err = capsys.readouterr().err
    line = next(n for n, text in enumerate(source.read_text().splitlines(), 1)
                if text.startswith("title:"))
    assert (code, err) == (1, f"{source}:{line}:8: error: title: the subject contains the control character "
                              "U+000A (a line break or similar), which could inject mail headers\n"
                              "  hint: the title is the subject of the email: keep it on one line\n"
                              f"email: 0 of 1 messages sent; not sent: {source}\n")
    assert not out.exists() and not list(tmp_path.glob("*.pdf"))  # nothing written for it
    silent_port.settimeout(0.2)
    with pytest.raises(socket.timeout):
        silent_port.accept()


def test_rejected_recipient(env, smtp_server, tmp_path, capsys):
    handler = Recorder(reject=("ghost@example.com",))
    env(smtp_server(handler))
    code = email_cli(tmp_path, "--to", "ghost@example.com")
    err = capsys.readouterr().err
    assert code == 5
    assert "refused the recipient" in err and "ghost@example.com: 550" in err
    assert "not sent" in err and handler.messages == []


def test_partly_rejected_recipients_are_named(env, smtp_server, tmp_path, capsys):
    handler = Recorder(reject=("ghost@example.com",))
    env(smtp_server(handler))
    code = email_cli(tmp_path, "--to", READER, "ghost@example.com")
    out = capsys.readouterr()
    assert code == 5
    assert len(handler.messages) == 1 and handler.messages[0][1] == [READER]
    assert f"sent {SAMPLE} to {READER} via" in out.out
    assert "refused some recipients: ghost@example.com: 550" in out.err
    assert "email: 1 of 1 messages sent; refused recipients: ghost@example.com" in out.err


@pytest.fixture(scope="module")
def tls_files(tmp_path_factory):
    """A self-signed certificate for 127.0.0.1 (openssl CLI), and the server's TLS context."""
    import shutil
    import ssl
    import subprocess

    if shutil.which("openssl") is None:
        pytest.skip("the openssl command is not installed: cannot make a test certificate")
    folder = tmp_path_factory.mktemp("tls")
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
                    "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
                    "-keyout", str(key), "-out", str(cert)], check=True, capture_output=True)
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    return cert, context


def starttls_server(smtp_server, tls_files, handler: Recorder) -> int:
    """A submission server: STARTTLS required, then AUTH required (user desk, password s3cret)."""
    return smtp_server(handler, tls_context=tls_files[1], require_starttls=True, auth_required=True,
                       auth_require_tls=True, authenticator=authenticator)


def test_starttls_and_login(env, smtp_server, tls_files, tmp_path, capsys):
    handler = Recorder()
    env(starttls_server(smtp_server, tls_files, handler), security="starttls", user="desk",
        password="s3cret", cafile=str(tls_files[0]))
    assert email_cli(tmp_path, "--to", READER) == 0, capsys.readouterr().err
    assert len(handler.messages) == 1


def test_implicit_tls(env, smtp_server, tls_files, tmp_path, capsys):
    handler = Recorder()
    env(smtp_server(handler, ssl_context=tls_files[1]), security="tls", cafile=str(tls_files[0]))
    assert email_cli(tmp_path, "--to", READER) == 0, capsys.readouterr().err
    assert len(handler.messages) == 1


def test_untrusted_certificate(env, smtp_server, tls_files, tmp_path, capsys):
    handler = Recorder()
    env(starttls_server(smtp_server, tls_files, handler), security="starttls", user="desk",
        password="s3cret")
    assert email_cli(tmp_path, "--to", READER) == 5
    err = capsys.readouterr().err
    assert "certificate is not trusted" in err and "REPORT_SMTP_CAFILE" in err
    assert handler.messages == []


def test_untrusted_certificate_with_implicit_tls(env, smtp_server, tls_files, tmp_path, capsys):
    """Port 465 checks the certificate too (Python's default context for SMTP_SSL would not)."""
    handler = Recorder()
    env(smtp_server(handler, ssl_context=tls_files[1]), security="tls")
    assert email_cli(tmp_path, "--to", READER) == 5
    err = capsys.readouterr().err
    assert "certificate is not trusted" in err and "REPORT_SMTP_CAFILE" in err
    assert handler.messages == []


def test_authentication_required(env, smtp_server, tls_files, tmp_path, capsys):
    handler = Recorder()
    env(starttls_server(smtp_server, tls_files, handler), security="starttls",
        cafile=str(tls_files[0]))
    code = email_cli(tmp_path, "--to", READER)
    err = capsys.readouterr().err
    assert code == 5
    assert "requires authentication" in err and "REPORT_SMTP_USER" in err
    assert handler.messages == []


def test_authentication_failure(env, smtp_server, tls_files, tmp_path, capsys):
    handler = Recorder()
    env(starttls_server(smtp_server, tls_files, handler), security="starttls", user="desk",
        password="wrong", cafile=str(tls_files[0]))
    assert email_cli(tmp_path, "--to", READER) == 5
    err = capsys.readouterr().err
    assert "refused the login for user 'desk'" in err and "535" in err
    assert "wrong" not in err  # the password is never printed
    assert handler.messages == []


def test_connection_closed_mid_data(env, smtp_server, tmp_path, capsys):
    handler = Recorder(drop=True)
    env(smtp_server(handler))
    code = email_cli(tmp_path, "--to", READER)
    err = capsys.readouterr().err
    assert code == 5
    assert "closed the connection before accepting the message; it was not sent" in err
    assert handler.data_calls == 1  # not retried: a hang-up is not a 4xx


def test_server_that_never_answers_times_out(env, silent_port, tmp_path, capsys, monkeypatch):
    env(silent_port.getsockname()[1])
    monkeypatch.setenv("REPORT_SMTP_TIMEOUT", "0.5")
    code = email_cli(tmp_path, "--to", READER)
    err = capsys.readouterr().err
    assert code == 5
    assert "did not answer within 0.5 s" in err and "Traceback" not in err


def test_server_silent_after_the_message_times_out_once(env, smtp_server, tmp_path, capsys,
                                                          monkeypatch):
    handler = Recorder(stall=5)
    env(smtp_server(handler))
    monkeypatch.setenv("REPORT_SMTP_TIMEOUT", "0.5")
    started = time.monotonic()
    code = email_cli(tmp_path, "--to", READER)
    elapsed = time.monotonic() - started
    err = capsys.readouterr().err
    assert code == 5
    assert "did not answer within 0.5 s; the message is not confirmed as sent" in err
    assert handler.data_calls == 1 and elapsed < 4  # not retried, and no second wait for QUIT


def test_connection_refused(env, tmp_path, capsys):
    env(free_port())  # nothing listens there
    code = email_cli(tmp_path, "--to", READER)
    err = capsys.readouterr().err
    assert code == 5
    assert "connection refused" in err and err.count("error:") == 1


def test_tls_to_a_plain_server_fails_clearly(env, smtp_server, tmp_path, capsys):
    handler = Recorder()
    env(smtp_server(handler), security="tls")
    assert email_cli(tmp_path, "--to", READER) == 5
    err = capsys.readouterr().err
    assert "TLS with 127.0.0.1" in err and "failed" in err
    assert handler.messages == []


def test_starttls_required_but_not_offered(env, smtp_server, tmp_path, capsys):
    handler = Recorder()
    env(smtp_server(handler), security="starttls")
    assert email_cli(tmp_path, "--to", READER) == 5
    assert "does not offer STARTTLS" in capsys.readouterr().err
    assert handler.messages == []


def test_temporary_failure_is_retried_with_backoff(env, smtp_server, tmp_path, capsys):
    handler = Recorder(tempfail=2)
    env(smtp_server(handler))
    code = email_cli(tmp_path, "--to", READER)
    out = capsys.readouterr()
    assert code == 0, out.err
    assert handler.data_calls == 3 and len(handler.messages) == 1
    assert out.err.count("(temporary); retrying in") == 2
    assert "retrying in 0.05 s" in out.err and "retrying in 0.1 s" in out.err  # doubles


def test_retries_give_up(env, smtp_server, tmp_path, capsys, monkeypatch):
    handler = Recorder(tempfail=99)
    env(smtp_server(handler))
    monkeypatch.setenv("REPORT_SMTP_RETRIES", "2")
    assert email_cli(tmp_path, "--to", READER) == 5
    err = capsys.readouterr().err
    assert handler.data_calls == 3 and handler.messages == []
    assert "refused the message (after 3 attempts): 451" in err


def test_batch_reports_what_went_and_what_did_not(env, smtp_server, tmp_path, capsys):
    other = tmp_path / "second-update.yaml"
    other.write_text(SAMPLE.read_text("utf-8").replace(
        'title: "Why the RUT Could Slide Further: Headwinds for Small-Caps"',
        'title: "Filtered update"', 1), "utf-8")
    handler = Recorder(refuse_text="Filtered update")
    env(smtp_server(handler))
    code = main(["email", str(SAMPLE), str(other), "--to", READER, "--pdf-out", str(tmp_path)])
    out = capsys.readouterr()
    assert code == 5
    assert len(handler.messages) == 1
    assert f"sent {SAMPLE}" in out.out
    assert "554 5.7.1" in out.err
    assert f"email: 1 of 2 messages sent; not sent: {other}" in out.err


def test_missing_settings_and_sender(env, tmp_path, capsys, monkeypatch):
    assert email_cli(tmp_path, "--to", READER) == 6
    assert "no SMTP server is configured" in capsys.readouterr().err
    env(free_port(), security="bogus")
    assert email_cli(tmp_path, "--to", READER) == 6
    assert "must be one of starttls, tls, none" in capsys.readouterr().err
    env(free_port())
    monkeypatch.delenv("REPORT_MAIL_FROM")
    assert email_cli(tmp_path, "--to", READER) == 6
    assert "no sender address" in capsys.readouterr().err


def test_password_never_sent_in_clear_to_a_remote_host(env, tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("REPORT_SMTP_HOST", "mail.example.com")
    monkeypatch.setenv("REPORT_SMTP_SECURITY", "none")
    monkeypatch.setenv("REPORT_SMTP_USER", "desk")
    monkeypatch.setenv("REPORT_SMTP_PASSWORD", "s3cret")
    assert email_cli(tmp_path, "--to", READER) == 6
    assert "unencrypted" in capsys.readouterr().err


def test_config_file_with_environment_override(env, smtp_server, tmp_path, capsys, monkeypatch):
    handler = Recorder()
    port = smtp_server(handler)
    config = tmp_path / "smtp.ini"
    config.write_text(f"[smtp]\nhost = {LOOPBACK}\nport = 1\nsecurity = none\n"
                      "from = File Sender <file@example.com>\n", "utf-8")
    monkeypatch.setenv("REPORT_SMTP_CONFIG", str(config))
    monkeypatch.delenv("REPORT_MAIL_FROM")
    monkeypatch.setenv("REPORT_SMTP_PORT", str(port))  # the variable wins over the file
    assert email_cli(tmp_path, "--to", READER) == 0, capsys.readouterr().err
    assert handler.messages[0][0] == "file@example.com"


def test_config_file_with_password_readable_by_others_warns(env, tmp_path, capsys, monkeypatch):
    config = tmp_path / "smtp.ini"
    config.write_text("[smtp]\nhost = 127.0.0.1\nport = 1\nsecurity = none\nuser = u\n"
                      "password = p\nfrom = a@example.com\nsurprise = 1\n", "utf-8")
    config.chmod(stat.S_IRUSR | stat.S_IWUSR | stat.S_IRGRP | stat.S_IROTH)
    monkeypatch.setenv("REPORT_SMTP_CONFIG", str(config))
    assert email_cli(tmp_path, "--to", READER) == 6
    err = capsys.readouterr().err
    assert "unknown setting 'surprise'" in err
    config.write_text("[smtp]\nhost = 127.0.0.1\nport = 1\nsecurity = none\nuser = u\n"
                      "password = p\nfrom = a@example.com\n", "utf-8")
    assert email_cli(tmp_path, "--to", READER) == 5  # refused port: settings were accepted
    assert "readable by others; run: chmod 600" in capsys.readouterr().err


def test_large_attachment_warns(env, tmp_path, capsys, monkeypatch):
    from report.delivery import message

    monkeypatch.setattr(message, "MAX_ATTACHMENT_BYTES", 10_000)
    assert email_cli(tmp_path, "--to", READER, "--dry-run", "-o", str(tmp_path)) == 0
    assert "over the 0.01 MB budget" in capsys.readouterr().err


def test_email_module_stays_out_of_validate():
    """`report validate` must not pay for reportlab or matplotlib because email/print exist."""
    import subprocess
    import sys

    code = ("import sys; from report.cli import _parser; _parser(); "
            "bad = [m for m in ('reportlab', 'matplotlib', 'smtplib') if m in sys.modules]; "
            "print(bad); sys.exit(1 if bad else 0)")
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr



def test_digest_without_a_quick_answer_or_scenario_table(env, tmp_path, capsys):
    """The summary adapts: first section as the quick answer, the base-case tile, no bars."""
    import yaml

    data = yaml.safe_load(SAMPLE.read_text("utf-8"))
    data["sections"][0]["heading"] = "Overview"
    for section in data["sections"]:
        section["blocks"] = [b for b in section["blocks"] if not (
            isinstance(b, dict) and ("probability" in b.get("table", {}) or
                                     b.get("chart", {}).get("kind") == "probabilities"))]
    data["sections"] = [s for s in data["sections"] if s["blocks"]]
    source = tmp_path / "plain.yaml"
    source.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), "utf-8")
    assert email_cli(tmp_path, "--to", READER, "--dry-run", source=source) == 0, \
        capsys.readouterr().err
    msg = parse((tmp_path / "plain.eml").read_bytes())
    plain = " ".join(msg.get_body(("plain",)).get_content().split())
    html = msg.get_body(("html",)).get_content()
    assert "QUICK ANSWER The RUT bear case is mainly a financing" in plain
    assert "BASE CASE Base case: Volatile downside bias" in plain
    assert "SCENARIO PROBABILITIES" not in plain and "Scenario probabilities" not in html


def test_malformed_address_gets_a_plain_message(env, tmp_path, capsys):
    """`report email X --to "reader@" --dry-run` (issue 10: it said 'string index out of range')."""
    assert email_cli(tmp_path, "--to", "reader@", "--dry-run") == 2
    err = capsys.readouterr().err
    assert "--to: 'reader@' is not an email address: it has nothing after the @" in err
    assert "string index" not in err and "Traceback" not in err


def test_options_may_come_before_the_inputs(env, tmp_path, capsys):
    """`report email --to a@b.c inputs/x.yaml` (issue 10: INPUT was taken for an address)."""
    source = tmp_path / "x.yaml"
    source.write_text(SAMPLE.read_text("utf-8"), "utf-8")
    code = main(["email", "--to", "a@b.c", str(source), "--dry-run", "--paper", "A4"])
    assert code == 0, capsys.readouterr().err
    assert parse((tmp_path / "x.eml").read_bytes())["To"] == "a@b.c"
    assert main(["email", "--to", "a@b.c"]) == 2
    assert "no INPUT given" in capsys.readouterr().err


def test_dry_run_writes_only_what_it_was_asked_to(env, tmp_path, capsys, monkeypatch):
    """Issue 10: a dry run also wrote a PDF into inputs/, and said From: report@localhost with no
    word that a real send needs a sender."""
    monkeypatch.delenv("REPORT_MAIL_FROM")
    inputs = tmp_path / "inputs"
    inputs.mkdir()
    source = inputs / "x.yaml"
    source.write_text(SAMPLE.read_text("utf-8"), "utf-8")
    assert main(["email", str(source), "--to", READER, "--dry-run"]) == 0
    err = capsys.readouterr().err
    assert sorted(p.name for p in inputs.iterdir()) == ["x.eml", "x.yaml"]
    assert "no sender is set, so the message says From: report@localhost; a real send needs " \
        "one" in err
    assert main(["email", str(source), "--to", READER, "--dry-run", "--pdf-out",
                 str(tmp_path / "pdf")]) == 0
    assert [p.name for p in (tmp_path / "pdf").iterdir()] == ["x.pdf"]  # asked for: written


def test_line_break_in_from_is_a_command_line_mistake(env, silent_port, tmp_path, capsys):
    """Issue 11: CR/LF in --from exited 6 (settings); it is the command line's mistake."""
    env(silent_port.getsockname()[1])
    assert email_cli(tmp_path, "--to", READER, "--from", "desk@example.com\r\nBcc: x@y.z") == 2
    assert "--from: address" in capsys.readouterr().err
    silent_port.settimeout(0.2)
    with pytest.raises(socket.timeout):
        silent_port.accept()


def test_readers_do_not_combine_with_to(env, tmp_path, capsys):
    readers = tmp_path / "r.txt"
    readers.write_text("ann@example.com\n", "utf-8")
    assert email_cli(tmp_path, "--readers", str(readers), "--to", READER) == 2
    assert "does not combine with --to" in capsys.readouterr().err
    assert email_cli(tmp_path, "--to", READER, "--journal", str(tmp_path / "j")) == 2
