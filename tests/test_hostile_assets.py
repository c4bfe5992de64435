"""Hostile brand assets: logos parsed by what renders them, under limits counted as work; fonts checked
table by table with fontTools. Small cases live as data in tests/data/bad/brands/; the large or
crafted ones are made here. Each check has a control that passes or shows the danger is real.
"""

from __future__ import annotations

import shutil
import struct
from pathlib import Path

import pikepdf
import pytest

from pdfcheck import raster_images
from report.cli import main
from report.errors import ExitCode, ReportError

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data"
MINIMAL = DATA / "minimal.yaml"
HARBOR = ROOT / "assets" / "brands" / "harbor"
SVG = 'xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="40" height="40"'


@pytest.fixture
def brand(tmp_path) -> Path:
    folder = tmp_path / "brand"
    shutil.copytree(HARBOR, folder)
    return folder


def _run(command: str, brand: Path, out: Path, capsys) -> tuple[int, str]:
    argv = [command, str(MINIMAL), "--brand", str(brand)] + (["-o", str(out)] if command == "build" else [])
    code = main(argv)
    return code, capsys.readouterr().err


def _refused(brand: Path, tmp_path: Path, capsys, expected: str) -> None:
    """validate and build both refuse the brand with `expected`, and build writes nothing."""
    for command in ("validate", "build"):
        code, err = _run(command, brand, tmp_path / "out", capsys)
        assert (code, expected in err, "Traceback" in err) == (ExitCode.BRAND_ERROR, True, False), err
    assert not (tmp_path / "out").exists()


# -- logos ----------------------------------------------------------------------------------------------

def test_the_utf7_logo_really_hides_an_image_from_a_utf8_reader():
    """The control for logo-svg-utf7: the old UTF-8 reading saw no image, the renderer draws one."""
    import xml.etree.ElementTree as ElementTree

    from reportlab.graphics.shapes import Image
    from svglib.svglib import svg2rlg

    logo = DATA / "bad" / "brands" / "logo-svg-utf7" / "logo.svg"
    seen = [e.tag for e in ElementTree.fromstring(logo.read_bytes().decode("utf-8", "replace")).iter()]
    assert not any(t.endswith("image") for t in seen)
    drawing, stack, images = svg2rlg(str(logo)), [], 0
    stack.append(drawing)
    while stack:
        node = stack.pop()
        images += isinstance(node, Image)
        stack.extend(getattr(node, "contents", []))
    assert images == 1


@pytest.mark.parametrize(("body", "expected"), [
    ('<rect width="1" height="1"/>' * 17_000, "has 17,001 elements, over the limit of 2,000"),
    ('<path d="M0 0' + " L1 1" * 15_000 + '"/>', "has over 20,000 numbers in its path data"),
    ('<g>' * 40 + '<rect width="1" height="1"/>' + '</g>' * 40, "nests over 32 levels deep"),
])
def test_large_logos_are_refused_by_counting(body, expected, brand, tmp_path, capsys):
    (brand / "logo.svg").write_text(f"<svg {SVG}>{body}</svg>")
    _refused(brand, tmp_path, capsys, expected)


def test_counting_a_use_bomb_is_linear_work():
    """The expansion is computed, not performed: one visit per element however much it would expand."""
    from report.brand.logo import _Work, parse_svg

    logo = (DATA / "bad" / "brands" / "logo-svg-use-bomb" / "logo.svg").read_bytes()
    root = parse_svg(logo, "logo.svg", ValueError)
    work = _Work(root, "logo.svg", ValueError)
    drawn, _, depth = work.of(root)
    assert drawn > 10**8 and depth == 19
    assert len(work.memo) == len(work.nodes) == 92  # each element evaluated once, and no more


@pytest.mark.parametrize("order", ["defined before use", "used before defined"])
def test_a_use_chain_deeper_than_the_limit_is_refused(order, brand, tmp_path, capsys):
    """Each use refers to the next: 1,900 deep (a recursion this deep would crash an unguarded walk)."""
    uses = [f'<use id="u{i}" xlink:href="#u{i - 1}"/>' for i in range(1, 1900)]
    chain = '<rect id="u0" width="1" height="1"/>' + "".join(uses if order == "defined before use" else uses[::-1])
    (brand / "logo.svg").write_text(f"<svg {SVG}><defs>{chain}</defs><use xlink:href='#u1899'/></svg>")
    _refused(brand, tmp_path, capsys, "nests over 32 levels deep (counting through references)")


INKSCAPE = """<?xml version="1.0" encoding="UTF-8" standalone="no"?>
<!-- Created with Inkscape (http://www.inkscape.org/) -->
<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"
     xmlns:sodipodi="http://sodipodi.sourceforge.net/DTD/sodipodi-0.dtd"
     xmlns:inkscape="http://www.inkscape.org/namespaces/inkscape"
     xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:cc="http://creativecommons.org/ns#"
     xmlns:dc="http://purl.org/dc/elements/1.1/" width="64" height="64" viewBox="0 0 64 64"
     version="1.1" id="svg8" inkscape:version="1.2 (dc2aedaf03, 2022-05-15)" sodipodi:docname="logo.svg">
  <title id="title1">Harbor mark</title>
  <sodipodi:namedview id="namedview1" pagecolor="#ffffff" inkscape:zoom="8"/>
  <metadata id="metadata1"><rdf:RDF><cc:Work rdf:about=""><dc:format>image/svg+xml</dc:format>
    <dc:title>Harbor</dc:title></cc:Work></rdf:RDF></metadata>
  <defs id="defs1">
    <style>.sun { fill: url(#gold) }</style>
    <linearGradient id="gold" x1="0" y1="0" x2="1" y2="0"><stop offset="0" stop-color="#E9C46A"/>
      <stop offset="1" stop-color="#F4A261"/></linearGradient>
    <clipPath id="round"><circle cx="32" cy="32" r="31"/></clipPath>
    <symbol id="wave" viewBox="0 0 64 20"><path d="M12 10 Q22 2 32 10 T52 10" fill="none"
      stroke="#FFFFFF" stroke-width="4"/></symbol>
  </defs>
  <g inkscape:label="Layer 1" inkscape:groupmode="layer" id="layer1" clip-path="url(#round)">
    <rect width="64" height="64" fill="#5B1A2B" data-name="Layer 1"/>
    <circle class="sun" cx="32" cy="18" r="8"/>
    <use xlink:href="#wave" y="30" width="64" height="20"/>
    <use href="#wave" y="40" width="64" height="20"/>
  </g>
</svg>
"""


def test_an_inkscape_logo_with_metadata_gradients_and_uses_builds(brand, tmp_path, capsys):
    """The control for the logo rules: what drawing programs write passes, and prints as vectors."""
    (brand / "logo.svg").write_text(INKSCAPE)
    code, err = _run("build", brand, tmp_path / "out", capsys)
    assert (code, err) == (0, "")
    assert raster_images(tmp_path / "out" / "minimal.pdf") == 0


@pytest.mark.parametrize("body", ['<g transform="matrix(0 0 0 0 0 0)"><rect width="4" height="4"/></g>',
                                  '<rect width="4" height="4" stroke="red" stroke-dasharray="0 0"/>'])
def test_a_logo_the_renderer_cannot_draw_is_a_brand_error(body, brand, tmp_path, capsys):
    """Only drawing finds these; `validate` does not draw (it imports no renderer)."""
    (brand / "logo.svg").write_text(f"<svg {SVG}>{body}</svg>")
    assert _run("validate", brand, tmp_path, capsys)[0] == 0
    code, err = _run("build", brand, tmp_path / "out", capsys)
    assert code == ExitCode.BRAND_ERROR and "'logo.svg' could not be drawn" in err and "Traceback" not in err
    assert not (tmp_path / "out").exists()


def test_a_raster_drawn_by_the_renderer_is_refused_even_past_the_checks(tmp_path, monkeypatch):
    """The second net: were a check to miss an image, the drawing itself is searched for rasters."""
    import report.brand.logo as logo

    source = DATA / "bad" / "brands" / "logo-svg-data-url" / "logo.svg"
    target = tmp_path / "logo.svg"
    target.write_bytes(source.read_bytes())

    def parse_only(path, fail, data=None, kind=None):  # the checks switched off: parse, nothing else
        return logo.parse_svg(data if data is not None else path.read_bytes(), path.name, fail)

    monkeypatch.setattr(logo, "check_svg", parse_only)
    logo._drawing.cache_clear()
    with pytest.raises(ReportError, match="draws a raster image, which a logo may not hold") as exc:
        logo.logo_drawing(target)
    assert exc.value.code == ExitCode.BRAND_ERROR
    logo._drawing.cache_clear()


# -- fonts ------------------------------------------------------------------------------------------------

FACE = "fonts/OpenSans-Regular.ttf"


def _tables(data: bytes) -> dict[str, tuple[int, int, int]]:
    count = struct.unpack_from(">H", data, 4)[0]
    out = {}
    for i in range(count):
        tag, _, offset, length = struct.unpack_from(">4sIII", data, 12 + 16 * i)
        out[tag.decode()] = (i, offset, length)
    return out


def _reseal(data: bytearray, tag: str) -> bytes:
    """Give a changed table its right checksum again: a crafted font, not a damaged one."""
    from fontTools.ttLib.sfnt import calcChecksum

    index, offset, length = _tables(bytes(data))[tag]
    raw = bytes(data[offset:offset + length])
    if tag == "head":
        raw = raw[:8] + b"\0\0\0\0" + raw[12:]
    struct.pack_into(">I", data, 12 + 16 * index + 4, calcChecksum(raw))
    return bytes(data)


@pytest.mark.parametrize("tag", ["cmap", "glyf", "head", "loca", "hmtx"])
def test_random_bytes_in_a_table_are_a_brand_error(tag, brand, tmp_path, capsys):
    face = brand / FACE
    data = bytearray(face.read_bytes())
    _, offset, length = _tables(bytes(data))[tag]
    data[offset + length // 3: offset + length // 3 + 16] = bytes(range(200, 216))
    face.write_bytes(bytes(data))
    _refused(brand, tmp_path, capsys, f"'OpenSans-Regular.ttf' is damaged or incomplete (the '{tag}' table "
                                      "does not match its checksum)")


def test_the_unchanged_font_builds(brand, tmp_path, capsys):
    """The control of the font cases: the copied brand itself is fine."""
    assert _run("build", brand, tmp_path / "out", capsys) == (0, "")


def _crafted(brand: Path, tag: str, change) -> None:
    face = brand / FACE
    data = bytearray(face.read_bytes())
    _, offset, _ = _tables(bytes(data))[tag]
    change(data, offset)
    face.write_bytes(_reseal(data, tag))


def test_a_crafted_head_table_is_a_brand_error(brand, tmp_path, capsys):
    _crafted(brand, "head", lambda data, at: struct.pack_into(">H", data, at + 18, 0))  # unitsPerEm = 0
    _refused(brand, tmp_path, capsys, "the 'head' table gives 0 units per em")


def test_overlapping_character_map_ranges_are_refused_before_decoding(brand, tmp_path, capsys):
    """A format-12 map whose groups each span all of Unicode: decoding it would list billions of
    codes. The ranges are summed from the table's header first (work: one pass over the groups)."""
    from report.brand.assets import MAX_CMAP_CODES

    def overlap(data: bytearray, at: int) -> None:
        count = struct.unpack_from(">H", data, at + 2)[0]
        for i in range(count):
            sub = at + struct.unpack_from(">I", data, at + 4 + 8 * i + 4)[0]
            if struct.unpack_from(">H", data, sub)[0] == 4:  # rewrite it as format 12, same bytes
                groups = (struct.unpack_from(">H", data, sub + 2)[0] - 16) // 12
                struct.pack_into(">HHIII", data, sub, 12, 0, 16 + 12 * groups, 0, groups)
                for g in range(groups):
                    struct.pack_into(">III", data, sub + 16 + 12 * g, 0, 0x10FFFF, 1)
                return

    _crafted(brand, "cmap", overlap)
    _refused(brand, tmp_path, capsys, "ranges overlap")
    assert MAX_CMAP_CODES == 0x110000


def test_a_font_whose_licence_forbids_embedding_is_refused(brand, tmp_path, capsys):
    """OS/2 fsType 2 ("restricted licence"): embedding it in a PDF breaks its licence. (The brand's
    own OpenSans says 8, "editable": the unchanged font passing is this check's control.)"""
    _crafted(brand, "OS/2", lambda data, at: struct.pack_into(">H", data, at + 8, 0x0002))
    _refused(brand, tmp_path, capsys, "its licence bits (OS/2 fsType) forbid embedding it in a PDF")


def test_a_composite_glyph_made_of_itself_is_refused(brand, tmp_path, capsys):
    """fontTools refuses to write such a font, so the component's glyph index is patched in place."""
    from fontTools.ttLib import TTFont

    font = TTFont(str(brand / FACE))
    order, loca, glyf = font.getGlyphOrder(), font["loca"], font["glyf"]
    index = next(i for i, n in enumerate(order) if glyf[n].isComposite())

    def loop(data: bytearray, at: int) -> None:
        struct.pack_into(">H", data, at + loca[index] + 10 + 2, index)  # first component: itself

    _crafted(brand, "glyf", loop)
    _refused(brand, tmp_path, capsys, "is made of a missing or looping glyph")


def test_a_font_reportlab_refuses_is_a_brand_error_naming_it(brand, tmp_path, capsys, monkeypatch):
    """The last line of defence, were the checks to let one through: reportlab's own refusal."""
    import report.brand.faces as faces
    import report.brand.styles as styles

    def refuse(name, path):
        raise ValueError("simulated: reportlab cannot read this font")

    monkeypatch.setattr(faces, "TTFont", refuse)
    monkeypatch.setattr(styles, "_REGISTERED", {})
    code, err = _run("build", brand, tmp_path / "out", capsys)
    assert code == ExitCode.BRAND_ERROR and "cannot be embedded (ValueError: simulated" in err
    assert ".ttf" in err and "Traceback" not in err


def test_font_verdicts_are_cached_by_content_and_a_damaged_one_is_checked_again(tmp_path):
    """`validate` stays quick: a font that passed is not parsed again (fontTools not even imported),
    and a stored verdict that is damaged, or is for other bytes, is never believed."""
    import os
    import subprocess
    import sys

    probe = ("import sys; from report.cli import main; rc = main(['validate', %r]); "
             "print(rc, 'fontTools.ttLib' in sys.modules)" % str(MINIMAL))
    env = {**os.environ, "REPORT_CACHE_DIR": str(tmp_path / "cache")}

    def validate() -> str:
        run = subprocess.run([sys.executable, "-c", probe], env=env, capture_output=True, text=True, timeout=300)
        return run.stdout.strip().splitlines()[-1]

    assert validate() == "0 True"  # checked, and the verdicts stored
    verdicts = sorted((tmp_path / "cache" / "fonts").glob("*.json"))
    assert len(verdicts) == 4
    assert validate() == "0 False"  # read back: nothing parsed
    good = verdicts[0].read_bytes()
    verdicts[0].write_bytes(good.replace(b'"ranges":[[', b'"ranges":[[0,1114111],[', 1))  # forged, unsealed
    verdicts[1].write_bytes(good)  # another font's sound verdict in this font's place
    assert validate() == "0 True"  # both checked again ...
    assert verdicts[0].read_bytes() == good and verdicts[1].read_bytes() != good  # ... and stored again


# -- figures: an input's SVG follows the logo's rules (text allowed, larger limits) -------------------

def _figure_article(folder: Path, svg: bytes) -> Path:
    import yaml

    (folder / "figure.svg").write_bytes(svg)
    data = {"title": "Figures", "dek": "A figure from a file.", "as_of": "2026-05-01",
            "key_stats": [{"label": "Spread", "value": "94 bp"}],
            "sections": [{"heading": "Figures", "blocks": [{"image": {"file": "figure.svg", "title": "A figure",
                                                                        "source": "Desk"}}]}],
            "disclaimer": "For tests."}
    path = folder / "figures.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return path


@pytest.mark.parametrize(("case", "expected"), [
    ("logo-svg-utf7", "declares the encoding 'UTF-7'"),
    ("logo-svg-data-url", "embeds data in an attribute"),
    ("logo-svg-use-bomb", "draws over 20,000 elements once its <use> references are expanded"),
    ("logo-svg-foreign-image", "holds a <image> element, which a figure may not use"),
])
def test_an_svg_figure_is_checked_like_a_logo(case, expected, tmp_path, capsys):
    source = _figure_article(tmp_path, (DATA / "bad" / "brands" / case / "logo.svg").read_bytes())
    for command in ("validate", "build"):
        code = main([command, str(source)] + (["-o", str(tmp_path / "out")] if command == "build" else []))
        err = capsys.readouterr().err
        assert code == ExitCode.INPUT_ERROR and expected in err and "image.file" in err, err
        assert "Traceback" not in err
    assert not (tmp_path / "out").exists()


def test_an_svg_figure_with_text_prints_it_in_the_brands_font(tmp_path, capsys):
    """The control: a figure's labels are allowed, set in the brand's font whatever family the file
    names (no system font is looked up, none is embedded)."""
    from pdfcheck import font_problems, page_texts

    svg = (f'<svg {SVG} viewBox="0 0 40 40"><rect width="40" height="40" fill="#eee"/>'
           '<text x="2" y="20" font-family="Comic Sans MS" font-size="6">Rates up</text>'
           '<text x="2" y="30" font-family="NoSuchFont" font-weight="bold" font-size="6">Spreads</text></svg>')
    source = _figure_article(tmp_path, svg.encode())
    assert main(["build", str(source), "-o", str(tmp_path / "out"), "--no-changes"]) == 0, capsys.readouterr().err
    pdf = tmp_path / "out" / "figures.pdf"
    assert font_problems(pdf) == []
    with pikepdf.open(pdf) as doc:
        fonts = {str(f.BaseFont) for f in doc.objects if isinstance(f, pikepdf.Dictionary)
                 and f.get("/Type") == "/Font" and "/BaseFont" in f}
    assert fonts and all("Lato" in f for f in fonts), fonts
    assert "Rates up" in "".join(page_texts(pdf))
