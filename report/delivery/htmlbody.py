"""Digest + theme -> the HTML body: made for mail clients, every input string escaped on its way in.

Table layout and inline styles only; no scripts, no external fetches of any kind. The brand shows
as a coloured masthead with its logo, a PNG attached to the message itself (`cid:`), so no client
has to fetch anything; with images blocked, the alt text and the brand name still show.
"""

from __future__ import annotations

import html
import re

from report.brand.theme import Theme
from report.delivery.digest import Digest
from report.delivery.logo import Logo
from report.numbers import counted


def _e(text: str) -> str:
    return html.escape(text, quote=True)


_SERIF_HINTS = ("serif", "garamond", "georgia", "times", "baskerville", "caslon", "minion")


def _font(family: str) -> str:
    """The brand's family first, then a web-safe family of the same kind for clients without it."""
    name = re.sub(r"[^\w \-]", "", family)  # nothing that could end the CSS value or attribute
    serif = any(h in name.lower() for h in _SERIF_HINTS) and "sans" not in name.lower()
    return f"'{name}', " + ("Georgia, 'Times New Roman', serif" if serif else
                            "Helvetica, Arial, sans-serif")


def html_body(d: Digest, theme: Theme, logo: Logo | None = None, greeting: str = "") -> str:
    """The digest as a mail-client-safe HTML document (see the module docstring), opening with
    `greeting` ("Dear Ann Lee,") when one is given."""
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
        _masthead(d, theme, head, logo),
        (f'<tr><td style="padding:24px 28px 0 28px;{text}">{_e(greeting)}</td></tr>'
         if greeting else ""),
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
        f' ({counted(d.pages, "page")}, PDF): {_e(d.attachment)}</td></tr>',
        f'<tr><td style="padding:20px 28px 24px 28px;"><table role="presentation" width="100%" '
        f'cellpadding="0" cellspacing="0" border="0"><tr><td style="border-top:1px solid {c("rule")};'
        f'padding-top:12px;{small}">{_e(d.disclaimer)}<br>{_e(d.brand)} · {_e(d.date_line)}'
        "</td></tr></table></td></tr>",
        "</table></div></td></tr></table></body></html>\n",
    ]
    return "\n".join(parts)


def _masthead(d: Digest, theme: Theme, font: str, logo: Logo | None) -> str:
    c = theme.color
    mark = ""
    if logo is not None:
        mark = (f'<td width="{logo.width}" valign="middle" style="padding-right:12px;">'
                f'<img src="cid:{_e(logo.cid)}" width="{logo.width}" height="{logo.height}" '
                f'alt="{_e(logo.alt)}" style="display:block;border:0;outline:none;'
                f'width:{logo.width}px;height:{logo.height}px;font-family:{font};'
                f'color:{c("masthead_text")};font-size:12px;"></td>')
    return (f'<tr><td style="background:{c("masthead")};padding:18px 28px;">'
            '<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0"><tr>'
            f'{mark}<td valign="middle" style="font-family:{font};color:{c("masthead_text")};'
            f'font-size:20px;font-weight:bold;">{_e(d.brand)}</td>'
            f'<td align="right" valign="middle" style="font-family:{font};'
            f'color:{c("masthead_text")};font-size:12px;line-height:1.5;">{_e(d.label)}<br>'
            f'{_e(d.date_line)}</td>'
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
    from report.charts.looks import colour, looks

    rows = []
    for s, look in zip(d.scenarios, looks([s.tone for s in d.scenarios], theme.series)):
        width = max(1, min(100, round(s.probability)))
        fill = colour(theme, look)  # the colour of its bar in the PDF's chart
        bar = (f'<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0">'
               f'<tr><td width="{width}%" style="background:{fill};height:14px;font-size:1px;'
               f'line-height:1px;">&nbsp;</td>'
               + ('<td style="font-size:1px;line-height:1px;">&nbsp;</td>' if width < 100 else "")
               + "</tr></table>")
        rows.append(
            f'<tr><td width="34%" style="font-family:{font};color:{c("ink")};font-size:14px;'
            f'padding:5px 10px 5px 0;">{_e(s.label)}</td>'
            f'<td width="52%" style="padding:5px 0;">{bar}</td>'
            f'<td width="14%" align="right" style="font-family:{font};color:{c("ink")};'
            f'font-size:14px;font-weight:bold;padding:5px 0 5px 10px;">{_e(s.shown)}</td></tr>')
    caption = (f'<tr><td colspan="3" style="font-family:{font};color:{c("muted")};font-size:12px;'
               f'padding-top:4px;">{_e(d.scenarios_title)}</td></tr>')
    return ('<tr><td style="padding:2px 28px 0 28px;"><table role="presentation" width="100%" '
            'cellpadding="0" cellspacing="0" border="0">' + "".join(rows) + caption +
            "</table></td></tr>")
