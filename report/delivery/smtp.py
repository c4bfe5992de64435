"""A composed message + Settings -> a message the server accepted (SMTP, stdlib smtplib).

Each failure becomes one DeliveryError with a plain message and a hint; transient (4xx) replies are
retried with exponential backoff; a message is reported as sent only once the server has answered
250 to the end of its data.
"""

from __future__ import annotations

import io
import smtplib
import socket
import ssl
import sys
import time
from dataclasses import dataclass
from email.generator import BytesGenerator
from typing import Callable

from report.delivery.settings import ENV, Settings
from report.errors import Diagnostic, ExitCode, ReportError


class DeliveryError(ReportError):
    """A message could not be delivered (exit code 5)."""

    def __init__(self, message: str, hint: str = "", where: str = "smtp",
                 code: ExitCode = ExitCode.DELIVERY):
        super().__init__([Diagnostic(where, 0, 0, message, hint=hint)], code)
        self.message = message

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


def send(envelope, settings: Settings, *, sleep: Callable[[float], None] = time.sleep) -> Sent:
    """Deliver one composed Envelope; raises DeliveryError with one clear message on failure."""
    attempt = 0
    while True:
        attempt += 1
        try:
            return _send_once(envelope, settings, attempt)
        except (smtplib.SMTPException, OSError) as exc:
            if not _transient(exc) or attempt > settings.retries:
                raise explain(exc, settings, attempt) from None
            delay = settings.backoff * 2 ** (attempt - 1)
            print(f"report: {settings.where} answered {_reply(exc)} (temporary); "
                  f"retrying in {delay:g} s", file=sys.stderr)
            sleep(delay)


def _send_once(envelope, settings: Settings, attempts: int) -> Sent:
    """MAIL, RCPT, DATA by hand (not sendmail) to keep the server's final reply for the report."""
    data = _flatten(envelope.message)
    client = _connect(settings)
    try:
        options = [f"SIZE={len(data)}"] if client.does_esmtp and client.has_extn("size") else []
        code, reply = client.mail(envelope.sender, options)
        if code != 250:
            raise smtplib.SMTPSenderRefused(code, reply, envelope.sender)
        refused = {}
        for rcpt in envelope.recipients:
            code, reply = client.rcpt(rcpt)
            if code not in (250, 251):
                refused[rcpt] = (code, reply)
        if len(refused) == len(envelope.recipients):
            raise smtplib.SMTPRecipientsRefused(refused)
        code, reply = client.data(data)
        if code != 250:
            raise smtplib.SMTPDataError(code, reply)
    except BaseException:
        client.close()  # no QUIT: after a timeout it would wait as long again
        raise
    try:
        client.quit()
    except (smtplib.SMTPException, OSError):
        client.close()  # the message was accepted; a failed goodbye changes nothing
    return Sent(f"{code} {reply_text(reply)}", refused, attempts)


def _flatten(message) -> bytes:
    out = io.BytesIO()
    BytesGenerator(out, policy=message.policy.clone(linesep="\r\n")).flatten(message)
    return out.getvalue()


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


def explain(exc: BaseException, s: Settings, attempts: int = 1) -> DeliveryError:
    """The one message a user sees for a failed delivery; nothing here was sent."""
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
        return DeliveryError(f"the server at {s.where} refused every recipient{tried}: "
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
