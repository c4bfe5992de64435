"""Real SMTP servers on loopback (aiosmtpd) for the delivery tests, and the fixtures that start them.

`smtp_server(handler)` starts a server and returns its port; `env(port)` points the REPORT_SMTP_*
variables at it, with short timeouts and backoff so each test runs in seconds; `Recorder` keeps
what arrives and misbehaves on request (refuses, throttles, hangs up, or calls a hook).
"""

from __future__ import annotations

import asyncio
import email
import email.policy
import socket
from pathlib import Path

import pytest

pytest.importorskip("aiosmtpd")
from aiosmtpd.controller import Controller  # noqa: E402
from aiosmtpd.smtp import AuthResult, LoginPassword  # noqa: E402

from report.cli import main  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "inputs" / "russell-2000-bear-case.yaml"
LOOPBACK = "127.0.0.1"
READER = "reader@example.com"


def free_port() -> int:
    with socket.socket() as s:
        s.bind((LOOPBACK, 0))
        return s.getsockname()[1]


class Recorder:
    """An aiosmtpd handler that keeps what arrives and can misbehave on request.

    Hooks, each given the 1-based count of its command so far: `on_mail(n)` and `on_data(n)` may
    return a reply that replaces the usual one (the message is then not kept); `on_accept(n)` runs
    once the nth message is kept, before its 250 goes out. `headers_only` keeps only the header
    block of each message (a thousand PDFs need not stay in memory).
    """

    def __init__(self, *, reject: tuple[str, ...] = (), tempfail: int = 0, drop: bool = False,
                 refuse_text: str = "", stall: float = 0, headers_only: bool = False,
                 on_mail=None, on_data=None, on_accept=None):
        self.reject, self.tempfail, self.drop, self.refuse_text = reject, tempfail, drop, refuse_text
        self.stall, self.headers_only = stall, headers_only
        self.on_mail, self.on_data, self.on_accept = on_mail, on_data, on_accept
        self.messages: list[tuple[str, list[str], bytes]] = []
        self.data_calls = self.mail_calls = 0

    async def handle_MAIL(self, server, session, envelope, address, mail_options):  # noqa: N802
        self.mail_calls += 1
        reply = self.on_mail(self.mail_calls) if self.on_mail else None
        if reply:
            return reply
        envelope.mail_from = address
        envelope.mail_options.extend(mail_options)
        return "250 OK"

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # noqa: N802
        if address in self.reject:
            return "550 5.1.1 <%s>: no such user" % address
        envelope.rcpt_tos.append(address)
        return "250 2.1.5 OK"

    async def handle_DATA(self, server, session, envelope):  # noqa: N802
        self.data_calls += 1
        if self.stall:
            await asyncio.sleep(self.stall)  # the whole message is in; the answer never comes
        if self.drop:
            server.transport.close()  # hang up before answering the end of data
            return "250 never seen"
        if self.data_calls <= self.tempfail:
            return "451 4.3.0 temporary local problem, try again"
        reply = self.on_data(self.data_calls) if self.on_data else None
        if reply:
            return reply
        if self.refuse_text and self.refuse_text.encode() in envelope.content:
            return "554 5.7.1 message refused by content filter"
        content = envelope.content.split(b"\r\n\r\n", 1)[0] if self.headers_only else \
            envelope.content
        self.messages.append((envelope.mail_from, list(envelope.rcpt_tos), content))
        if self.on_accept:
            self.on_accept(len(self.messages))
        return "250 2.0.0 OK queued as TEST%d" % len(self.messages)

    def copies(self) -> dict[str, int]:
        """Envelope recipient -> how many messages reached them."""
        out: dict[str, int] = {}
        for _, rcpts, _ in self.messages:
            for rcpt in rcpts:
                out[rcpt] = out.get(rcpt, 0) + 1
        return out


def authenticator(server, session, envelope, mechanism, auth_data):
    ok = isinstance(auth_data, LoginPassword) and auth_data.login == b"desk" and \
        auth_data.password == b"s3cret"
    return AuthResult(success=ok, handled=False)


@pytest.fixture
def smtp_server():
    """Start aiosmtpd servers on loopback: smtp_server(handler, **controller_options) -> port."""
    running = []

    def start(handler: Recorder, **options) -> int:
        port = free_port()
        controller = Controller(handler, hostname=LOOPBACK, port=port, **options)
        controller.start()
        running.append(controller)
        return port

    yield start
    for controller in running:
        controller.stop()


@pytest.fixture
def silent_port():
    """A loopback port that accepts TCP connections (kernel backlog) but never says a word."""
    sock = socket.socket()
    sock.bind((LOOPBACK, 0))
    sock.listen(8)
    yield sock
    sock.close()


@pytest.fixture
def env(monkeypatch, tmp_path):
    """A clean mail environment: no config file, short timeout and backoff, a sender."""
    for var in ("REPORT_SMTP_HOST", "REPORT_SMTP_PORT", "REPORT_SMTP_SECURITY", "REPORT_SMTP_USER",
                "REPORT_SMTP_PASSWORD", "REPORT_MAIL_FROM", "REPORT_SMTP_CONFIG", "REPORT_SMTP_CAFILE",
                "REPORT_SMTP_RETRIES"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.setenv("REPORT_SMTP_TIMEOUT", "1")
    monkeypatch.setenv("REPORT_SMTP_BACKOFF", "0.05")
    monkeypatch.setenv("REPORT_MAIL_FROM", "Research desk <desk@meridian.example>")

    def point(port: int, security: str = "none", **more) -> None:
        monkeypatch.setenv("REPORT_SMTP_HOST", LOOPBACK)
        monkeypatch.setenv("REPORT_SMTP_PORT", str(port))
        monkeypatch.setenv("REPORT_SMTP_SECURITY", security)
        for key, value in more.items():
            monkeypatch.setenv(f"REPORT_SMTP_{key.upper()}", value)

    return point


def email_cli(tmp_path: Path, *args: str, source: Path = SAMPLE) -> int:
    return main(["email", str(source), "--pdf-out", str(tmp_path), *args])


def parse(raw: bytes):
    return email.message_from_bytes(raw, policy=email.policy.default)
