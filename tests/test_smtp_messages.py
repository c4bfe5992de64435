"""Each way a delivery fails, as the user reads it: the exact message and hint, and whether it stops
every further message (the server) or only this one. Real smtplib / ssl / socket exceptions, as the
standard library raises them (tests/test_email.py meets them through a real server)."""

from __future__ import annotations

import smtplib
import socket
import ssl

import pytest

from report.delivery.settings import Settings
from report.delivery.smtp import _transient, explain, reply_text

def _ssl_error(reason: str) -> ssl.SSLError:
    """As the ssl module raises it: with the OpenSSL reason as an attribute."""
    exc = ssl.SSLError(1, f"[SSL: {reason}] {reason.lower().replace('_', ' ')}")
    exc.reason = reason
    return exc


S = Settings(host="mail.example", port=587, security="starttls", user="desk", sender="desk@example.com")
AT = S.where

CASES = {
    "login refused": (smtplib.SMTPAuthenticationError(535, b"5.7.8 bad credentials"),
                      f"the server at {AT} refused the login for user 'desk': 535 5.7.8 bad credentials",
                      "check REPORT_SMTP_USER and REPORT_SMTP_PASSWORD", "server"),
    "login needed": (smtplib.SMTPSenderRefused(530, b"5.7.0 Authentication required", "desk@example.com"),
                     f"the server at {AT} requires authentication: 530 5.7.0 Authentication required",
                     "set REPORT_SMTP_USER and REPORT_SMTP_PASSWORD", "server"),
    "sender refused": (smtplib.SMTPSenderRefused(553, b"5.1.8 bad sender", "desk@example.com"),
                       f"the server at {AT} refused the sender desk@example.com: 553 5.1.8 bad sender",
                       "check REPORT_MAIL_FROM", "server"),
    "recipient refused": (smtplib.SMTPRecipientsRefused({"a@example.com": (550, b"5.1.1 no such user")}),
                          f"the server at {AT} refused the recipient: a@example.com: 550 5.1.1 no such user",
                          "check the addresses; nothing was sent", "address"),
    "message refused": (smtplib.SMTPDataError(552, b"5.3.4 message too big"),
                        f"the server at {AT} refused the message: 552 5.3.4 message too big",
                        "a size limit or content filter may apply; nothing was sent", "message"),
    "hung up": (smtplib.SMTPServerDisconnected("Connection unexpectedly closed"),
                f"the server at {AT} closed the connection before accepting the message; it was not sent",
                "try again later; if it persists, check the port and security setting", "server"),
    "TLS failed": (_ssl_error("WRONG_VERSION_NUMBER"), f"TLS with {AT} failed: WRONG_VERSION_NUMBER",
                   "port 465 uses security tls, port 587 uses starttls; check REPORT_SMTP_SECURITY and "
                   "REPORT_SMTP_PORT", "server"),
    "refused": (ConnectionRefusedError(111, "Connection refused"), f"cannot connect to {AT}: connection refused",
                "is the SMTP server running? check REPORT_SMTP_HOST and REPORT_SMTP_PORT", "server"),
    "no such host": (socket.gaierror(-2, "Name or service not known"),
                     "cannot find the SMTP server 'mail.example': Name or service not known",
                     "check REPORT_SMTP_HOST", "server"),
}


@pytest.mark.parametrize("case", list(CASES))
def test_each_failure_reads_as_documented(case):
    exc, message, hint, scope = CASES[case]
    error = explain(exc, S, stage="data" if case.startswith("message") else "mail")
    assert error.message == message
    assert error.diagnostics[0].hint == hint
    assert error.scope == scope


@pytest.mark.parametrize("code,transient", [(399, False), (400, True), (451, True), (499, True), (500, False),
                                            (550, False)])
def test_only_4xx_replies_are_tried_again(code, transient):
    assert _transient(smtplib.SMTPResponseException(code, b"x")) is transient
    refused = smtplib.SMTPRecipientsRefused({"a@example.com": (code, b"x"), "b@example.com": (451, b"y")})
    assert _transient(refused) is transient


def test_a_reply_in_bad_utf8_is_still_read():
    assert reply_text(b"5.7.1 caf\xe9 refused") == "5.7.1 caf\ufffd refused"
    assert reply_text("already text") == "already text"
