"""The brand logo in the HTML body: a PNG inside the message (CID), shown by a real browser engine at
phone and desktop widths, and a logo cache that is never trusted blindly."""

from __future__ import annotations

import email
import email.policy
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from mailserver import READER, SAMPLE, env  # noqa: F401
from report.cli import main

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
LOGO_PX = 40  # the CSS size the masthead gives the logo


def eml(tmp_path: Path, *args: str) -> email.message.EmailMessage:
    target = tmp_path / "m.eml"
    assert main(["email", str(SAMPLE), "--to", READER, "--dry-run", "-o", str(target), *args]) == 0
    return email.message_from_bytes(target.read_bytes(), policy=email.policy.default)


def page(tmp_path: Path, msg, name: str, blank_logo: bool) -> Path:
    """The HTML body as a mail client shows it: `cid:` resolved to the inline part (or, for the
    control, to a transparent image of the same size)."""
    from PIL import Image

    html = msg.get_body(("html",)).get_content()
    (logo,) = [p for p in msg.walk() if p.get_content_type() == "image/png"]
    image = tmp_path / f"{name}.png"
    image.write_bytes(logo.get_content())
    if blank_logo:
        with Image.open(image) as real:
            Image.new("RGBA", real.size, (0, 0, 0, 0)).save(image)
    target = tmp_path / f"{name}.html"
    target.write_text(html.replace(f"cid:{logo['Content-ID'].strip('<>')}", image.name), "utf-8")
    return target


def screenshot(tmp_path: Path, html: Path, width: int) -> Path:
    shot = tmp_path / f"{html.stem}-{width}.png"
    subprocess.run([CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                    "--disable-background-networking", "--disable-component-update",
                    "--disable-sync", "--disable-quic", "--hide-scrollbars",
                    # the shot once the page is loaded, decoded and drawn, not the first frame a
                    # busy machine happens to have (a blank one made the whole page "differ")
                    "--run-all-compositor-stages-before-draw", "--virtual-time-budget=10000",
                    f"--user-data-dir={tmp_path / f'profile-{html.stem}-{width}'}",
                    f"--window-size={width},600", f"--screenshot={shot}", html.as_uri()],
                   check=True, capture_output=True, timeout=120)
    return shot


@pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed (.ci/system-deps.sh "
                    "installs Debian's chromium)")
@pytest.mark.parametrize("width", [375, 1024])
def test_logo_shows_in_a_browser_at_phone_and_desktop_widths(env, tmp_path, width):
    from PIL import Image, ImageChops

    msg = eml(tmp_path)
    pages = page(tmp_path, msg, "logo", False), page(tmp_path, msg, "blank", True)
    for _ in range(3):  # a loaded machine now and then gets a shot of a half-drawn page: shoot again
        with_logo, control = (Image.open(screenshot(tmp_path, p, width)).convert("RGB") for p in pages)
        box = ImageChops.difference(with_logo, control).getbbox()
        if box is not None and box[3] <= 200:
            break
    assert box is not None, "the logo made no visible difference"
    left, top, right, bottom = box
    assert right <= width and bottom <= 200  # in the masthead, inside the phone's width
    assert LOGO_PX * 0.6 <= right - left <= LOGO_PX and LOGO_PX * 0.6 <= bottom - top <= LOGO_PX


def test_logo_is_inline_with_alt_text_and_the_plain_text_is_unchanged(env, tmp_path):
    msg = eml(tmp_path)
    html_part = msg.get_body(("html",))
    related = [p for p in msg.walk() if p.get_content_type() == "multipart/related"]
    assert len(related) == 1 and related[0].get_payload()[0] is html_part
    (logo,) = [p for p in msg.walk() if p.get_content_type() == "image/png"]
    assert logo.get_content_disposition() == "inline"
    assert logo.get_content().startswith(b"\x89PNG")
    html = html_part.get_content()
    assert f'src="cid:{logo["Content-ID"].strip("<>")}"' in html
    assert 'alt="Meridian Research logo"' in html
    plain = msg.get_body(("plain",)).get_content()
    assert "logo" not in plain.lower() and "cid:" not in plain
    assert [a.get_filename() for a in msg.iter_attachments()] == \
        ["Russell 2000 bear case 2026-03-31.pdf"]  # the logo is not shown as an attachment


def test_logo_cache_is_keyed_by_the_logo_and_never_trusted(tmp_path, monkeypatch):
    from report.brand.theme import load_theme
    from report import diskcache
    from report.delivery import logo as logos

    monkeypatch.setenv("REPORT_CACHE_DIR", str(tmp_path / "cache"))
    theme = load_theme("meridian")
    first = logos.logo_png(theme, "x.example")
    (entry,) = (tmp_path / "cache" / "logos").iterdir()
    assert diskcache.unseal(entry.read_bytes()) == first.png
    calls = []
    real_render = logos._render
    monkeypatch.setattr(logos, "_render", lambda *a: calls.append(1) or real_render(*a))
    assert logos.logo_png(theme, "x.example").png == first.png and calls == []  # from the cache
    for damage in (b"not a png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 40, first.png,  # unsealed
                   diskcache.seal(b"\x89PNG\r\n\x1a\n" + b"\x00" * 40)):  # sealed, not the logo
        entry.write_bytes(damage)
        assert logos.logo_png(theme, "x.example").png == first.png
    entry.unlink()
    os.mkfifo(entry)  # reading this would hang a build that trusted the cache
    assert logos.logo_png(theme, "x.example").png == first.png
    assert len(calls) == 5
    harbor = logos.logo_png(load_theme("harbor"), "x.example")
    assert harbor.png != first.png and harbor.cid != first.cid  # another logo, another key
