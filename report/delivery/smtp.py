"""A composed message + Settings -> a message the server accepted (SMTP, stdlib smtplib).

Each failure becomes one DeliveryError with a plain message and a hint; transient (4xx) replies are
retried with exponential backoff; a message is reported as sent only once the server has answered
250 to the end of its data.
"""

from __future__ import annotations

import smtplib
import socket
import ssl
import sys
import time
from dataclasses import dataclass
from typing import Callable

from report.delivery.settings import ENV, Settings
from report.errors import Diagnostic, ExitCode, ReportError


class DeliveryError(ReportError):
    """A message could not be delivered (exit code 5). `scope` says what failed: "server" (the
    connection, TLS, login, the sender: every further message would fail too), "address" (the
    server refused the recipient) or "message" (this message only); `unconfirmed` that the message
    was sent but its acceptance never confirmed."""

    def __init__(self, message: str, hint: str = "", where: str = "smtp",
                 code: ExitCode = ExitCode.DELIVERY, *, scope: str = "server",
                 unconfirmed: bool = False):
        super().__init__([Diagnostic(where, 0, 0, message, hint=hint)], code)
        self.message, self.scope, self.unconfirmed = message, scope, unconfirmed


def _tls_context(settings: Settings) -> ssl.SSLContext:
    return ssl.create_default_context(cafile=settings.cafile or None)


def _connect(settings: Settings) -> smtplib.SMTP:
    if settings.security == "tls":
        client = smtplib.SMTP_SSL(settings.host, settings.port, timeout=settings.timeout,
                                  context=_tls_context(settings))
    else:
        client = smtplib.SMTP(settings.host, settings.port, timeout=settings.timeout)
    try:
        client.ehlo()
        if settings.security == "starttls":
            if not client.has_extn("starttls"):
                raise DeliveryError(f"the server at {settings.where} does not offer STARTTLS",
                                    f"set {ENV['security']}=tls for an implicit-TLS port (465), "
                                    "or none only for a trusted local relay")
            client.starttls(context=_tls_context(settings))
            client.ehlo()
        if settings.user:
            if not client.has_extn("auth"):
                raise DeliveryError(f"the server at {settings.where} does not offer "
                                    "authentication (AUTH)", f"unset {ENV['user']} and "
                                    f"{ENV['password']} if this server needs no login")
            client.login(settings.user, settings.password)
    except BaseException:
        client.close()
        raise
    return client


@dataclass(frozen=True)
class Sent:
    reply: str  # the server's answer to the end of data, e.g. "250 OK queued as 1234"
    refused: dict  # recipients refused while others were accepted: {address: (code, text)}
    attempts: int


def _transient(exc: Exception) -> bool:
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        return all(400 <= code < 500 for code, _ in exc.recipients.values())
    return isinstance(exc, smtplib.SMTPResponseException) and 400 <= exc.smtp_code < 500


class Mailer:
    """One SMTP connection reused for every message of a run (one TLS handshake and login, not one
    per reader). A connection the server dropped between two messages is opened again; temporary
    (4xx) answers are retried with exponential backoff, telling `on_temporary` so the run can slow
    down (what it returns is added to the note); a message is reported sent only on the server's 250 to the end of its data."""

    def __init__(self, settings: Settings, *, sleep: Callable[[float], None] = time.sleep,
                 on_temporary: Callable[[Exception], str] | None = None,
                 note: Callable[[str], None] | None = None):
        self.settings, self.sleep, self.on_temporary = settings, sleep, on_temporary
        self.note = note or (lambda text: print(text, file=sys.stderr))
        self.client: smtplib.SMTP | None = None
        self.stage = "connect"

    def send(self, envelope) -> Sent:
        """Deliver one composed Envelope; raises DeliveryError with one clear message on failure."""
        data, attempt = envelope.flatten(), 0
        while True:
            attempt += 1
            try:
                return self._attempt(envelope, data, attempt)
            except (smtplib.SMTPException, OSError) as exc:
                self._recover(exc)
                if not _transient(exc) or attempt > self.settings.retries:
                    raise explain(exc, self.settings, attempt, self.stage) from None
                delay = self.settings.backoff * 2 ** (attempt - 1)
                more = self.on_temporary(exc) if self.on_temporary else ""
                self.note(f"report: {self.settings.where} answered {_reply(exc)} (temporary); "
                          f"retrying in {delay:g} s{more}")
                self.sleep(delay)

    def _attempt(self, envelope, data: bytes, attempts: int) -> Sent:
        """MAIL, RCPT, DATA by hand (not sendmail) to keep the server's final reply."""
        reused = self.client is not None
        if not reused:
            self.stage = "connect"
            self.client = _connect(self.settings)
        self.stage = "mail"
        options = [f"SIZE={len(data)}"] if self.client.does_esmtp and \
            self.client.has_extn("size") else []
        try:
            code, reply = self.client.mail(envelope.sender, options)
        except (smtplib.SMTPServerDisconnected, OSError):
            if not reused:
                raise
            self._close()  # the server hung up while we were idle: once more on a new connection
            return self._attempt(envelope, data, attempts)
        if code != 250:
            raise smtplib.SMTPSenderRefused(code, reply, envelope.sender)
        self.stage = "rcpt"
        refused = {}
        for rcpt in envelope.recipients:
            code, reply = self.client.rcpt(rcpt)
            if code not in (250, 251):
                refused[rcpt] = (code, reply)
        if len(refused) == len(envelope.recipients):
            raise smtplib.SMTPRecipientsRefused(refused)
        self.stage = "data"
        code, reply = self.client.data(data)
        if code != 250:
            raise smtplib.SMTPDataError(code, reply)
        self.stage = "done"
        return Sent(f"{code} {reply_text(reply)}", refused, attempts)

    def _recover(self, exc: Exception) -> None:
        """After a failed message: RSET a connection that is still good, else drop it."""
        if self.client is None:
            return
        alive = isinstance(exc, smtplib.SMTPResponseException) and exc.smtp_code != 421 and \
            not isinstance(exc, smtplib.SMTPConnectError)
        if alive:
            try:
                if self.client.rset()[0] == 250:
                    return
            except (smtplib.SMTPException, OSError):
                pass
        self._close()

    def _close(self) -> None:
        if self.client is not None:
            self.client.close()  # no QUIT: after a timeout it would wait as long again
            self.client = None

    def close(self) -> None:
        """Say goodbye (QUIT) on a connection in good order, then close it."""
        if self.client is not None:
            try:
                self.client.quit()
            except (smtplib.SMTPException, OSError):
                pass  # the messages were accepted; a failed goodbye changes nothing
            self._close()


def _reply(exc: Exception) -> str:
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        return "; ".join(f"{addr}: {code} {reply_text(msg)}"
                         for addr, (code, msg) in exc.recipients.items())
    if isinstance(exc, smtplib.SMTPResponseException):
        return f"{exc.smtp_code} {reply_text(exc.smtp_error)}"
    return str(exc)


def reply_text(raw) -> str:
    text = raw.decode("utf-8", "replace") if isinstance(raw, bytes) else str(raw)
    return " ".join(text.split())


def explain(exc: BaseException, s: Settings, attempts: int = 1, stage: str = "") -> DeliveryError:
    """The one message a user sees for a failed delivery, with its scope: a recipient or message
    the server refused, or a connection lost during the data of one message, concern one reader;
    anything else (connecting, TLS, login, the sender) concerns the whole run."""
    error = _explain(exc, s, attempts)
    if isinstance(exc, DeliveryError):
        return error
    if isinstance(exc, smtplib.SMTPRecipientsRefused) and not _transient(exc):
        error.scope = "address"
    elif isinstance(exc, (smtplib.SMTPRecipientsRefused, smtplib.SMTPDataError)) or \
            (_transient(exc) and stage in ("rcpt", "data")):
        error.scope = "message"
    elif stage == "data":
        error.scope, error.unconfirmed = "message", True
    return error


def _explain(exc: BaseException, s: Settings, attempts: int = 1) -> DeliveryError:
    tried = f" (after {attempts} attempts)" if attempts > 1 else ""
    if isinstance(exc, DeliveryError):
        return exc
    if isinstance(exc, smtplib.SMTPAuthenticationError):
        return DeliveryError(f"the server at {s.where} refused the login for user '{s.user}': "
                             f"{_reply(exc)}", f"check {ENV['user']} and {ENV['password']}")
    if isinstance(exc, smtplib.SMTPSenderRefused) and exc.smtp_code in (530, 535, 550) and \
            b"auth" in (exc.smtp_error or b"").lower():
        return DeliveryError(f"the server at {s.where} requires authentication: {_reply(exc)}",
                             f"set {ENV['user']} and {ENV['password']}")
    if isinstance(exc, smtplib.SMTPSenderRefused):
        return DeliveryError(f"the server at {s.where} refused the sender {exc.sender}: "
                             f"{_reply(exc)}{tried}", f"check {ENV['sender']}")
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        every = "the recipient" if len(exc.recipients) == 1 else "every recipient"
        return DeliveryError(f"the server at {s.where} refused {every}{tried}: "
                             f"{_reply(exc)}", "check the addresses; nothing was sent")
    if isinstance(exc, smtplib.SMTPDataError):
        return DeliveryError(f"the server at {s.where} refused the message{tried}: {_reply(exc)}",
                             "a size limit or content filter may apply; nothing was sent")
    if isinstance(exc, smtplib.SMTPServerDisconnected) and isinstance(exc.__context__, TimeoutError):
        exc = exc.__context__  # smtplib reports a read that timed out as a hang-up
    if isinstance(exc, smtplib.SMTPServerDisconnected):
        return DeliveryError(f"the server at {s.where} closed the connection before accepting the "
                             "message; it was not sent", "try again later; if it persists, check "
                             "the port and security setting")
    if isinstance(exc, smtplib.SMTPNotSupportedError):
        return DeliveryError(f"the server at {s.where} does not support a required feature: {exc}")
    if isinstance(exc, smtplib.SMTPResponseException):
        return DeliveryError(f"the server at {s.where} answered {_reply(exc)}{tried}; nothing was sent")
    if isinstance(exc, ssl.SSLCertVerificationError):
        return DeliveryError(f"TLS with {s.where} failed: the server's certificate is not trusted "
                             f"({exc.verify_message})", f"set {ENV['cafile']} to the CA bundle "
                             "that signed it, or check the host name")
    if isinstance(exc, ssl.SSLError):
        return DeliveryError(f"TLS with {s.where} failed: {exc.reason or exc}",
                             "port 465 uses security tls, port 587 uses starttls; check "
                             f"{ENV['security']} and {ENV['port']}")
    if isinstance(exc, (TimeoutError, socket.timeout)):
        return DeliveryError(f"the server at {s.where} did not answer within {s.timeout:g} s; "
                             "the message is not confirmed as sent", f"check the host and port, or raise {ENV['timeout']}")
    if isinstance(exc, ConnectionRefusedError):
        return DeliveryError(f"cannot connect to {s.where}: connection refused",
                             f"is the SMTP server running? check {ENV['host']} and {ENV['port']}")
    if isinstance(exc, socket.gaierror):
        return DeliveryError(f"cannot find the SMTP server '{s.host}': {exc.strerror}",
                             f"check {ENV['host']}")
    if isinstance(exc, OSError):
        return DeliveryError(f"cannot talk to {s.where}: {exc.strerror or exc}; nothing was sent")
    return DeliveryError(f"sending through {s.where} failed: {exc}")
