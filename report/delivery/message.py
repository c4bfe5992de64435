"""Report model + built PDF -> one email: subject, plain-text and HTML bodies, the PDF attached.

The words come from `digest` (plain text) and `htmlbody` (HTML); this module checks every header
value (no control characters: no header injection) and assembles the MIME message.
"""

from __future__ import annotations

import io
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import datetime, timezone
from email.generator import BytesGenerator
from email.headerregistry import Address, HeaderRegistry
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid

from email import policy as email_policy

from report.brand.theme import Theme
from report.delivery.digest import Digest, digest, plain_body
from report.delivery.htmlbody import html_body
from report.delivery.logo import Logo
from report.input.model import Report

MAX_ATTACHMENT_BYTES = 10_000_000  # many servers refuse messages over 10-25 MB once base64-encoded
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")
_DOMAIN = re.compile(r"^(?=.{1,253}$)([A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)*"
                     r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?$")
_HEADERS = HeaderRegistry()
# Headers given as text (the List-Unsubscribe URIs) are written as they are, never re-encoded: a
# long URL refolded by the email package would become an encoded-word that no client reads.
POLICY = email_policy.default.clone(refold_source="none")


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
    """'reader@example.com' or 'A Reader <reader@example.com>' -> Address; HeaderValueError with a
    plain reason ("has nothing after the @") if not."""
    check_header(text, f"address {text!r}")
    spec = text.strip()
    if spec.endswith(">") and "<" in spec:
        spec = spec[spec.rindex("<") + 1:-1].strip()
    local, at, domain = spec.rpartition("@")
    reason = ("has no @ (an address looks like name@example.com)" if not at else
              "has nothing before the @" if not local else
              "has nothing after the @" if not domain else
              "has characters other than ASCII, which are not supported" if not spec.isascii() else
              f"has an invalid domain {domain!r}" if not _DOMAIN.match(domain) else "")
    if reason:
        raise HeaderValueError(f"{text!r} is not an email address: it {reason}")
    try:
        header = _HEADERS("To", text)
        addresses = header.addresses
    except Exception:  # the header parser raises several types for malformed input
        raise HeaderValueError(f"{text!r} is not a valid email address") from None
    if len(addresses) > 1:
        raise HeaderValueError(f"{text!r} holds {len(addresses)} addresses; give one at a time")
    if len(addresses) != 1 or header.defects or addresses[0].addr_spec != spec:
        raise HeaderValueError(f"{text!r} is not a valid email address")
    return addresses[0]


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
    shared: tuple[EmailMessage, ...] = ()  # parts shared with other messages (see flatten)
    made: dict = field(default_factory=dict, compare=False, repr=False)  # their bytes, by linesep

    def flatten(self, linesep: str = "\r\n") -> bytes:
        """The message as bytes (CRLF for SMTP); a part it shares with other messages (the PDF)
        is encoded once and its bytes reused, which is what makes a thousand messages cheap."""
        out = io.BytesIO()
        _SharingGenerator(out, policy=self.message.policy.clone(linesep=linesep),
                          shared={id(p): p for p in self.shared}, made=self.made
                          ).flatten(self.message)
        return out.getvalue()


class _SharingGenerator(BytesGenerator):
    """A BytesGenerator that writes each shared part from the bytes made the first time it was
    written (a part's bytes do not depend on the message around it)."""

    def __init__(self, out, mangle_from_=None, maxheaderlen=None, *, policy=None,
                 shared: dict | None = None, made: dict | None = None):
        super().__init__(out, mangle_from_, maxheaderlen, policy=policy)
        self._shared, self._made = shared or {}, made if made is not None else {}

    def clone(self, fp):
        twin = super().clone(fp)
        twin._shared, twin._made = self._shared, self._made
        return twin

    def flatten(self, msg, unixfrom=False, linesep=None):
        if id(msg) not in self._shared:
            return super().flatten(msg, unixfrom, linesep)
        key = (id(msg), self.policy.linesep)
        if key not in self._made:
            out = io.BytesIO()
            BytesGenerator(out, policy=self.policy).flatten(msg, unixfrom, linesep)
            self._made[key] = out.getvalue()
        self._fp.write(self._made[key])


@dataclass(frozen=True)
class Letter:
    """Everything of a report's email that is the same for every reader, made once per input."""

    subject: str
    sender: Address
    digest: Digest
    theme: Theme
    attachment: EmailMessage  # the PDF part, encoded once and shared by every message
    logo: Logo | None
    shared: dict = field(default_factory=dict, compare=False)  # the body without a greeting
    made: dict = field(default_factory=dict, compare=False)  # shared parts' bytes (Envelope.flatten)

    def body(self, hello: str) -> EmailMessage:
        """The multipart/alternative part (plain text, HTML and logo) opening with `hello`; the
        one without a greeting is made once and shared by every reader without a name."""
        if hello in self.shared:
            return self.shared[hello]
        part = EmailMessage(policy=POLICY)
        part.set_content(plain_body(self.digest, hello), cte="quoted-printable")
        part.add_alternative(html_body(self.digest, self.theme, self.logo, hello), subtype="html",
                             cte="quoted-printable")
        if self.logo is not None:
            part.get_payload()[1].add_related(self.logo.png, "image", "png",
                                              cid=f"<{self.logo.cid}>", disposition="inline",
                                              filename="logo.png")
        if not hello:
            self.shared[hello] = part
        return part


def prepare(report: Report, pdf: bytes, pages: int, theme: Theme, sender: str,
            logo: Logo | None = None) -> Letter:
    """The reader-independent part of the email; HeaderValueError for a bad subject or sender."""
    name = attachment_name(report)
    attachment = EmailMessage(policy=POLICY)
    attachment.set_content(pdf, maintype="application", subtype="pdf", disposition="attachment",
                           filename=name)
    return Letter(subject(report, theme), parse_address(sender), digest(report, theme, name, pages),
                  theme, attachment, logo)


def greeting(name: str) -> str:
    return f"Dear {' '.join(name.split())}," if name.strip() else ""


def compose(letter: Letter, to: list, cc: list = (), bcc: list = (), *, name: str = "",
            headers: tuple[tuple[str, str], ...] = (), now: datetime | None = None) -> Envelope:
    """One message of `letter` (addresses as text or Address); `name` adds a greeting, `headers`
    are added as given (already folded: see POLICY). HeaderValueError for a bad address."""
    def parsed(group) -> list[Address]:
        return [a if isinstance(a, Address) else parse_address(a) for a in group]

    to_, cc_, bcc_ = parsed(to), parsed(cc), parsed(bcc)
    if not to_:
        raise HeaderValueError("no recipient: give at least one --to address")
    msg = EmailMessage(policy=POLICY)
    msg["Subject"] = letter.subject
    msg["From"] = letter.sender
    msg["To"] = to_
    if cc_:
        msg["Cc"] = cc_
    msg["Date"] = format_datetime(now or datetime.now(timezone.utc))
    msg["Message-ID"] = make_msgid(domain=letter.sender.domain)
    for key, value in headers:
        msg.set_raw(key, value)
    msg.make_mixed()
    body = letter.body(greeting(name))
    msg.attach(body)
    msg.attach(letter.attachment)
    recipients = tuple(dict.fromkeys(a.addr_spec for a in (*to_, *cc_, *bcc_)))
    shared = (letter.attachment, *letter.shared.values())
    return Envelope(msg, letter.sender.addr_spec, recipients, shared, letter.made)
