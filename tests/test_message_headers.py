"""The message as a mail program reads it (the stdlib's parser over its bytes): its headers, the
attachment's file name, and a file name every system can save whatever the title holds."""

from __future__ import annotations

import datetime as dt
from email import message_from_bytes
from email.policy import default

import pytest

from conftest import SAMPLE
from report.brand.theme import load_theme
from report.delivery import message
from report.input.parse import parse_file

NOW = dt.datetime(2026, 4, 30, 9, 15, tzinfo=dt.timezone.utc)


@pytest.fixture(scope="module")
def report():
    return parse_file(SAMPLE)[0]


def test_the_headers_and_the_attachment_as_a_mail_program_reads_them(report):
    letter = message.prepare(report, b"%PDF-1.4 test", 6, load_theme("meridian"), "Desk <desk@meridian.example>")
    envelope = message.compose(letter, ["Ann <ann@example.com>"], cc=["cc@example.com"], bcc=["b@example.com"],
                               name="Ann", now=NOW)
    msg = message_from_bytes(bytes(envelope.message), policy=default)
    assert msg["From"] == "Desk <desk@meridian.example>"
    assert msg["To"] == "Ann <ann@example.com>" and msg["Cc"] == "cc@example.com" and msg["Bcc"] is None
    assert msg["Date"] == "Thu, 30 Apr 2026 09:15:00 +0000"
    assert msg["Message-ID"].endswith("@meridian.example>")
    (pdf,) = [p for p in msg.iter_attachments() if p.get_content_type() == "application/pdf"]
    assert pdf.get_filename() == f"{report.header_title} 2026-03-31.pdf".replace(":", " ").replace("  ", " ")
    assert pdf.get_content() == b"%PDF-1.4 test"
    html = msg.get_body(("html",))
    assert html is not None and html.get_content_subtype() == "html"


@pytest.mark.parametrize("title,name", [
    ("Q1/Q2: rates\\credit <now>", "Q1 Q2 rates credit now"),
    ("Rates & credit (EM), 'base' case.", "Rates & credit (EM), 'base' case"),
    ("\u202e\x00\t", "report"),
    ("x" * 100, "x" * 80),
])
def test_the_file_name_is_portable_whatever_the_title_holds(report, title, name):
    titled = report.model_copy(update={"title": title, "short_title": None})
    assert message.attachment_name(titled) == f"{name} 2026-03-31.pdf"
