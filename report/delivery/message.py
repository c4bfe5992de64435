"""Report model + built PDF -> one email: subject, plain-text and HTML bodies, the PDF attached.

The words come from `digest` (plain text) and `htmlbody` (HTML); this module checks every header
value (no control characters: no header injection) and assembles the MIME message.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import datetime, timezone
from email.headerregistry import Address, HeaderRegistry
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid

from report.brand.theme import Theme
from report.delivery.digest import digest, plain_body
from report.delivery.htmlbody import html_body
from report.input.model import Report

MAX_ATTACHMENT_BYTES = 10_000_000  # many servers refuse messages over 10-25 MB once base64-encoded
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")
_DOMAIN = re.compile(r"^(?=.{1,253}$)([A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)*"
                     r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?$")
_HEADERS = HeaderRegistry()


class HeaderValueError(ValueError):
    """A subject or address that must not go into a mail header."""


def check_header(value: str, what: str) -> str:
    """`value` unchanged, or HeaderValueError if it holds CR, LF or another control character."""
    bad = _CONTROL.search(value)
    if bad:
        raise HeaderValueError(f"{what} contains the control character U+{ord(bad.group()):04X} "
                               "(a line break or similar), which could inject mail headers")
    return value


def parse_address(text: str) -> Address:
    """'reader@example.com' or 'A Reader <reader@example.com>' -> Address; HeaderValueError if not."""
    check_header(text, f"address {text!r}")
    try:
        header = _HEADERS("To", text)
        addresses = header.addresses
    except Exception as exc:  # the header parser raises several types for malformed input
        raise HeaderValueError(f"{text!r} is not an email address ({exc})") from None
    if len(addresses) != 1 or header.defects:
        raise HeaderValueError(f"{text!r} is not one email address")
    address = addresses[0]
    if not address.username or not address.addr_spec.isascii() or \
            not _DOMAIN.match(address.domain or ""):
        raise HeaderValueError(f"{text!r} is not an email address of the form name@domain")
    return address

def subject(report: Report, theme: Theme) -> str:
    """'<title> (as of March 31, 2026)'; HeaderValueError if the title holds a line break."""
    return check_header(f"{report.title} (as of {theme.format_date(report.as_of)})", "the subject")


def attachment_name(report: Report) -> str:
    """A readable, portable file name: 'Russell 2000 bear case 2026-03-31.pdf'."""
    text = unicodedata.normalize("NFKC", report.header_title)
    text = "".join(c if c.isalnum() or c in " -_.,()&'" else " " for c in text)
    text = " ".join(text.split())[:80].strip(" .") or "report"
    return f"{text} {report.as_of.isoformat()}.pdf"

@dataclass(frozen=True)
class Envelope:
    """A composed message and everyone it goes to (Bcc recipients are in no header)."""

    message: EmailMessage
    sender: str
    recipients: tuple[str, ...]


def compose(report: Report, pdf: bytes, pages: int, theme: Theme, sender: str,
            to: list[str], cc: list[str] = (), bcc: list[str] = (), *,
            now: datetime | None = None) -> Envelope:
    """The email for one built report; HeaderValueError for a bad subject or address."""
    from_ = parse_address(sender)
    to_, cc_, bcc_ = ([parse_address(a) for a in group] for group in (to, cc, bcc))
    if not to_:
        raise HeaderValueError("no recipient: give at least one --to address")
    name = attachment_name(report)
    d = digest(report, theme, name, pages)
    msg = EmailMessage()
    msg["Subject"] = subject(report, theme)
    msg["From"] = from_
    msg["To"] = to_
    if cc_:
        msg["Cc"] = cc_
    msg["Date"] = format_datetime(now or datetime.now(timezone.utc))
    msg["Message-ID"] = make_msgid(domain=from_.domain)
    msg.set_content(plain_body(d), cte="quoted-printable")
    msg.add_alternative(html_body(d, theme), subtype="html", cte="quoted-printable")
    msg.add_attachment(pdf, maintype="application", subtype="pdf", filename=name)
    recipients = tuple(dict.fromkeys(a.addr_spec for a in (*to_, *cc_, *bcc_)))
    return Envelope(msg, from_.addr_spec, recipients)
