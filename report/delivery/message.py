"""Report model + built PDF -> one email: subject, plain-text and HTML bodies, the PDF attached.

What the email says comes from the same validated model as the PDF (title, dek, key stats, the quick
answer, the base case, the scenario probabilities, the disclaimer), so the summary cannot drift from
the report. The HTML is made for mail clients: table layout, inline styles, no scripts, no images or
other external fetches; the brand shows as a coloured text masthead (many clients block or do not
render SVG, and the brand logo is an SVG). Every input string is HTML-escaped on its way in.
"""

from __future__ import annotations

import html
import re
import textwrap
import unicodedata
from dataclasses import dataclass
from datetime import datetime, timezone
from email.headerregistry import Address, HeaderRegistry
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid

from report.input.model import CalloutBlock, ChartBlock, ProbabilityChart, Report, TableBlock, TextBlock
from report.brand.theme import Theme

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


@dataclass(frozen=True)
class Scenario:
    label: str
    probability: float
    tone: str
    outcome: str


@dataclass(frozen=True)
class Digest:
    """What the email says, taken from the model: the front of the report in a few blocks."""

    brand: str
    title: str
    dek: str
    date_line: str
    label: str
    stats: tuple[tuple[str, str, str], ...]  # label, value, tone
    quick_title: str
    quick_text: str
    base_case: str
    scenarios_title: str
    scenarios: tuple[Scenario, ...]
    disclaimer: str
    attachment: str
    pages: int


def _quick_answer(report: Report) -> tuple[str, str]:
    section = next((s for s in report.sections if s.heading.casefold() == "quick answer"),
                   report.sections[0])
    text = next((b.callout for b in section.blocks if isinstance(b, CalloutBlock)), None)
    if text is None:
        text = next((b.text for b in section.blocks if isinstance(b, TextBlock)), "")
    return section.title or section.heading, " ".join(text.split())


def _scenario_table(report: Report):
    """The table a probability chart draws, else the first table with a probability column."""
    for _, block in report.blocks_with_paths():
        if isinstance(block, ChartBlock) and isinstance(block.chart, ProbabilityChart):
            return report.table(block.chart.table)
    return next((b.table for _, b in report.blocks_with_paths()
                 if isinstance(b, TableBlock) and b.table.probability), None)


def _scenarios(report: Report) -> tuple[str, tuple[Scenario, ...]]:
    table = _scenario_table(report)
    if table is None:
        return "", ()
    col = table.columns.index(table.probability)
    rows = []
    for row in table.rows:
        outcome = " — ".join(str(c) for i, c in enumerate(row[1:], 1) if i != col)
        rows.append(Scenario(str(row[0]), float(row[col]), table.tones.get(str(row[0]), "neutral"),
                             outcome))
    return table.title, tuple(rows)


def _base_case(report: Report, scenarios: tuple[Scenario, ...]) -> str:
    row = next((s for s in scenarios if s.tone == "base"), None)
    if row is not None:
        return f"{row.label} ({row.probability:g}%): {row.outcome}".rstrip(": ")
    stat = next((s for s in report.key_stats if s.tone == "base"), None)
    return f"{stat.label}: {stat.value}" if stat else ""


def digest(report: Report, theme: Theme, attachment: str, pages: int) -> Digest:
    title, rows = _scenarios(report)
    quick_title, quick_text = _quick_answer(report)
    return Digest(
        brand=theme.name, title=report.title, dek=" ".join(report.dek.split()),
        date_line=f"As of {theme.format_date(report.as_of)}",
        label=f"{theme.report_label} · {report.report_type}",
        stats=tuple((s.label, s.value, s.tone) for s in report.key_stats),
        quick_title=quick_title, quick_text=quick_text, base_case=_base_case(report, rows),
        scenarios_title=title, scenarios=rows,
        disclaimer=" ".join(report.disclaimer.split()), attachment=attachment, pages=pages)


def subject(report: Report, theme: Theme) -> str:
    """'<title> (as of March 31, 2026)'; HeaderValueError if the title holds a line break."""
    return check_header(f"{report.title} (as of {theme.format_date(report.as_of)})", "the subject")


def attachment_name(report: Report) -> str:
    """A readable, portable file name: 'Russell 2000 bear case 2026-03-31.pdf'."""
    text = unicodedata.normalize("NFKC", report.header_title)
    text = "".join(c if c.isalnum() or c in " -_.,()&'" else " " for c in text)
    text = " ".join(text.split())[:80].strip(" .") or "report"
    return f"{text} {report.as_of.isoformat()}.pdf"


def plain_body(d: Digest) -> str:
    def para(text: str, indent: str = "") -> str:
        return textwrap.fill(text, 72, initial_indent=indent, subsequent_indent=indent,
                             break_on_hyphens=False)

    out = [d.title, "=" * min(72, len(d.title)), f"{d.label} · {d.date_line}", "", para(d.dek), "",
           "KEY FIGURES"]
    out += [para(f"{label}: {value}", "  ") for label, value, _ in d.stats]
    out += ["", "QUICK ANSWER", para(d.quick_title), "", para(d.quick_text)]
    if d.base_case:
        out += ["", "BASE CASE", para(d.base_case)]
    if d.scenarios:
        out += ["", f"SCENARIO PROBABILITIES ({d.scenarios_title})"]
        width = max(len(s.label) for s in d.scenarios)
        out += [f"  {s.label:<{width}}  {s.probability:>3g}%  {'#' * round(s.probability / 5)}"
                for s in d.scenarios]
    out += ["", f"The full report ({d.pages} pages, PDF) is attached:", f"  {d.attachment}",
            "", "--", para(d.disclaimer), f"{d.brand}"]
    return "\n".join(out) + "\n"


def _e(text: str) -> str:
    return html.escape(text, quote=True)


_SERIF_HINTS = ("serif", "garamond", "georgia", "times", "baskerville", "caslon", "minion")


def _font(family: str) -> str:
    """The brand's family first, then a web-safe family of the same kind for clients without it."""
    name = re.sub(r"[^\w \-]", "", family)  # nothing that could end the CSS value or attribute
    serif = any(h in name.lower() for h in _SERIF_HINTS) and "sans" not in name.lower()
    return f"'{name}', " + ("Georgia, 'Times New Roman', serif" if serif else
                            "Helvetica, Arial, sans-serif")


def html_body(d: Digest, theme: Theme) -> str:
    """The digest as a mail-client-safe HTML document (see the module docstring)."""
    c = theme.color
    body, head = _font(theme.body.family), _font(theme.heading.family)
    text = f"font-family:{body};color:{c('ink')};font-size:15px;line-height:1.5;"
    small = f"font-family:{head};color:{c('muted')};font-size:12px;line-height:1.45;"
    kicker = (f"font-family:{head};color:{c('accent')};font-size:12px;font-weight:bold;"
              "letter-spacing:0.08em;text-transform:uppercase;padding:22px 28px 6px 28px;")
    parts = [
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{_e(d.title)}</title></head>",
        f'<body style="margin:0;padding:0;background:{c("zebra")};">',
        f'<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" '
        f'style="background:{c("zebra")};"><tr><td align="center" style="padding:24px 8px;">',
        # a max-width div rather than a fixed-width table: the message narrows on a phone
        '<div style="max-width:640px;margin:0 auto;">'
        '<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" '
        'style="width:100%;background:#FFFFFF;">',
        _masthead(d, theme, head),
        f'<tr><td style="padding:26px 28px 4px 28px;font-family:{head};color:{c("heading")};'
        f'font-size:26px;line-height:1.2;font-weight:bold;">{_e(d.title)}</td></tr>',
        f'<tr><td style="padding:10px 28px 4px 28px;{text}font-size:16px;color:{c("muted")};">'
        f"{_e(d.dek)}</td></tr>",
        _stats(d, theme, head),
        f'<tr><td style="{kicker}">Quick answer</td></tr>',
        f'<tr><td style="padding:0 28px;font-family:{head};color:{c("heading")};font-size:17px;'
        f'font-weight:bold;line-height:1.3;">{_e(d.quick_title)}</td></tr>',
        f'<tr><td style="padding:12px 28px 0 28px;"><table role="presentation" width="100%" '
        f'cellpadding="0" cellspacing="0" border="0"><tr><td style="background:{c("callout_fill")};'
        f'border-left:4px solid {c("callout_rule")};padding:14px 16px;{text}">{_e(d.quick_text)}'
        "</td></tr></table></td></tr>",
    ]
    if d.base_case:
        parts += [f'<tr><td style="{kicker}">Base case</td></tr>',
                  f'<tr><td style="padding:0 28px;{text}">{_e(d.base_case)}</td></tr>']
    if d.scenarios:
        parts += [f'<tr><td style="{kicker}">Scenario probabilities</td></tr>', _bars(d, theme, head)]
    parts += [
        f'<tr><td style="padding:24px 28px 0 28px;{text}"><strong>The full report is attached</strong>'
        f' ({d.pages} pages, PDF): {_e(d.attachment)}</td></tr>',
        f'<tr><td style="padding:20px 28px 24px 28px;"><table role="presentation" width="100%" '
        f'cellpadding="0" cellspacing="0" border="0"><tr><td style="border-top:1px solid {c("rule")};'
        f'padding-top:12px;{small}">{_e(d.disclaimer)}<br>{_e(d.brand)} · {_e(d.date_line)}'
        "</td></tr></table></td></tr>",
        "</table></div></td></tr></table></body></html>\n",
    ]
    return "\n".join(parts)


def _masthead(d: Digest, theme: Theme, font: str) -> str:
    c = theme.color
    return (f'<tr><td style="background:{c("masthead")};padding:18px 28px;">'
            '<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0"><tr>'
            f'<td style="font-family:{font};color:{c("masthead_text")};font-size:20px;'
            f'font-weight:bold;">{_e(d.brand)}</td>'
            f'<td align="right" style="font-family:{font};color:{c("masthead_text")};font-size:12px;'
            f'line-height:1.5;">{_e(d.label)}<br>{_e(d.date_line)}</td>'
            "</tr></table></td></tr>")


def _stats(d: Digest, theme: Theme, font: str) -> str:
    c = theme.color
    per_row = 2 if len(d.stats) in (2, 4) else 3
    rows = []
    for start in range(0, len(d.stats), per_row):
        cells = []
        for label, value, tone in d.stats[start:start + per_row]:
            ink = c("heading") if tone == "neutral" else c(tone)
            cells.append(
                f'<td width="{100 // per_row}%" valign="top" style="background:{c("tile_fill")};'
                f'padding:12px 14px;border:4px solid #FFFFFF;">'
                f'<div style="font-family:{font};color:{ink};font-size:20px;font-weight:bold;'
                f'line-height:1.2;">{_e(value)}</div>'
                f'<div style="font-family:{font};color:{c("muted")};font-size:12px;'
                f'padding-top:4px;">{_e(label)}</div></td>')
        cells += ['<td style="border:4px solid #FFFFFF;"></td>'] * (per_row - len(cells))
        rows.append("<tr>" + "".join(cells) + "</tr>")
    return ('<tr><td style="padding:18px 24px 0 24px;"><table role="presentation" width="100%" '
            'cellpadding="0" cellspacing="0" border="0">' + "".join(rows) + "</table></td></tr>")


def _bars(d: Digest, theme: Theme, font: str) -> str:
    c = theme.color
    rows = []
    for s in d.scenarios:
        width = max(1, min(100, round(s.probability)))
        fill = c(s.tone)
        bar = (f'<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0">'
               f'<tr><td width="{width}%" style="background:{fill};height:14px;font-size:1px;'
               f'line-height:1px;">&nbsp;</td>'
               + (f'<td style="font-size:1px;line-height:1px;">&nbsp;</td>' if width < 100 else "")
               + "</tr></table>")
        rows.append(
            f'<tr><td width="34%" style="font-family:{font};color:{c("ink")};font-size:14px;'
            f'padding:5px 10px 5px 0;">{_e(s.label)}</td>'
            f'<td width="52%" style="padding:5px 0;">{bar}</td>'
            f'<td width="14%" align="right" style="font-family:{font};color:{c("ink")};'
            f'font-size:14px;font-weight:bold;padding:5px 0 5px 10px;">{s.probability:g}%</td></tr>')
    caption = (f'<tr><td colspan="3" style="font-family:{font};color:{c("muted")};font-size:12px;'
               f'padding-top:4px;">{_e(d.scenarios_title)}</td></tr>')
    return ('<tr><td style="padding:2px 28px 0 28px;"><table role="presentation" width="100%" '
            'cellpadding="0" cellspacing="0" border="0">' + "".join(rows) + caption +
            "</table></td></tr>")


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
