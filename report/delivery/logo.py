"""The brand's SVG logo -> a PNG for the HTML body (mail clients do not show SVG), cached by hash.

Rendered by resvg (through resvg_py: a Rust renderer in a self-contained wheel, no system
libraries), with system fonts skipped and the brand's own fonts given, so the PNG depends only on
the logo and the brand. The SVG has already passed the brand's logo check (no scripts, nothing
external). The cache is untrusted (report.diskcache: a regular, small file whose checksum matches,
never blocking, never following a symlink) and the entry must be a PNG of the expected height;
anything else is rendered again.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

from report import diskcache
from report.brand.theme import Theme
from report.errors import Diagnostic, ExitCode, ReportError

CSS_HEIGHT = 40  # the logo's height in the masthead, in CSS pixels
MAX_CSS_WIDTH = 160  # a wide logo is scaled down to fit beside the brand name on a phone
DENSITY = 3  # pixels per CSS pixel: sharp on high-density screens
MAX_PNG_BYTES = 2_000_000
FORMAT = 2  # 2: entries sealed by report.diskcache
_PNG = b"\x89PNG\r\n\x1a\n"


@dataclass(frozen=True)
class Logo:
    png: bytes
    width: int  # CSS pixels, as the <img> declares them
    height: int
    cid: str  # Content-ID without the angle brackets
    alt: str


def _png_size(data: bytes) -> tuple[int, int] | None:
    if len(data) < 24 or not data.startswith(_PNG) or data[12:16] != b"IHDR":
        return None
    return int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")


def cache_dir() -> Path | None:
    """`logos` beside the chart cache's folder: REPORT_CACHE_DIR/logos (`off` disables it), else
    $XDG_CACHE_HOME/report/logos."""
    root = diskcache.cache_root()
    return None if root is None else (root / "logos" if "REPORT_CACHE_DIR" in os.environ else root.parent / "logos")


def _key(svg: bytes, theme: Theme) -> str:
    digest = hashlib.sha256(f"{FORMAT}\0{DENSITY * CSS_HEIGHT}\0".encode() + svg)
    for font in sorted({str(theme.heading.regular), str(theme.heading.bold)}):
        digest.update(Path(font).read_bytes())
    try:
        digest.update(metadata.version("resvg_py").encode())
    except metadata.PackageNotFoundError:
        pass
    return digest.hexdigest()


def _render(svg: bytes, theme: Theme) -> bytes:
    import resvg_py

    try:
        return bytes(resvg_py.svg_to_bytes(
            svg_string=svg.decode("utf-8"), height=DENSITY * CSS_HEIGHT, skip_system_fonts=True,
            font_files=[str(theme.heading.regular), str(theme.heading.bold)],
            font_family=theme.heading.family))
    except (ValueError, UnicodeDecodeError) as exc:
        raise ReportError([Diagnostic(str(theme.logo), 0, 0, f"the logo cannot be drawn as a PNG "
                                      f"for the email: {exc}")], ExitCode.BRAND_ERROR) from None


def _read_cached(path: Path) -> bytes | None:
    data = diskcache.read_entry(path, MAX_PNG_BYTES + 65)  # a sealed entry: digest line, then the PNG
    size = _png_size(data) if data is not None else None
    return data if size and size[1] == DENSITY * CSS_HEIGHT else None


def logo_png(theme: Theme, domain: str) -> Logo:
    """The theme's logo as a PNG with its CSS size, Content-ID (on `domain`) and alt text."""
    svg = theme.logo.read_bytes()
    key = _key(svg, theme)
    folder = cache_dir()
    png = _read_cached(folder / f"{key}.png") if folder else None
    if png is None:
        png = _render(svg, theme)
        if folder:
            diskcache.write_entry(folder / f"{key}.png", png)  # a failed write only costs a render
    width, height = _png_size(png) or (1, 1)
    css_w, css_h = round(CSS_HEIGHT * width / height), CSS_HEIGHT
    if css_w > MAX_CSS_WIDTH:
        css_w, css_h = MAX_CSS_WIDTH, max(1, round(MAX_CSS_WIDTH * height / width))
    return Logo(png, css_w, css_h, f"logo.{key[:16]}@{domain}", f"{theme.name} logo")
