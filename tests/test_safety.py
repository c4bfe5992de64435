"""Hostile surroundings and failures: settings files and variables can't change the PDF, brand assets
stay in their folder, text is text (in paragraphs, links and charts), and a failed write loses nothing.
"""

from __future__ import annotations

import errno
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pikepdf
import pdfplumber
import pytest

from report.cli import main
from report.errors import ExitCode

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data"
MINIMAL = DATA / "minimal.yaml"
MERIDIAN = ROOT / "assets" / "brands" / "meridian"
PREVIOUS = b"%PDF-1.4\n% the last good build\n%%EOF\n"

CHART_TEXT = """\
      - chart:
          kind: lines
          title: Paths
          source: Example data
          x: ["$a$", "b & <c>"]
          series:
            - name: "$x^2$ & <b>y</b>"
              tone: bear
              values: [100, 95]
"""


def _text(pdf: Path) -> str:
    with pdfplumber.open(pdf) as doc:
        return "\n".join(page.extract_text() or "" for page in doc.pages)


def _subprocess_build(cwd: Path, source: Path, out: Path, env: dict | None = None) -> subprocess.CompletedProcess:
    base = {k: v for k, v in os.environ.items() if not k.startswith(("RL_", "MPL", "MATPLOTLIB"))}
    base["PYTHONPATH"] = str(ROOT)
    base.update(env or {})
    return subprocess.run([sys.executable, "-m", "report", "build", str(source), "-o", str(out)],
                          cwd=cwd, env=base, capture_output=True, text=True, timeout=120)


# -- the environment can't change the output -------------------------------------------------------

@pytest.fixture(scope="module")
def chart_input(tmp_path_factory) -> Path:
    """The minimal report plus a line chart whose labels look like math and markup."""
    folder = tmp_path_factory.mktemp("chart-input")
    source = folder / "charted.yaml"
    source.write_text(MINIMAL.read_text().replace("      - chart:\n          kind: probabilities",
                                                  CHART_TEXT + "      - chart:\n          kind: probabilities"))
    return source


@pytest.fixture(scope="module")
def clean_pdf(chart_input, tmp_path_factory) -> bytes:
    folder = tmp_path_factory.mktemp("clean")
    result = _subprocess_build(folder, chart_input, folder / "out")
    assert result.returncode == 0, result.stderr
    return (folder / "out" / "charted.pdf").read_bytes()


def test_settings_files_beside_the_input_change_nothing(chart_input, clean_pdf, tmp_path):
    """A matplotlibrc and a reportlab_settings.py in the working folder: ignored, never run."""
    marker = tmp_path / "reportlab_settings_ran"
    (tmp_path / "reportlab_settings.py").write_text(
        f"open({str(marker)!r}, 'w').write('ran')\ninvariant = 0\npageCompression = 0\n"
        "trustedHosts = ['evil.example']\ntrustedSchemes = ['file', 'http']\nshapeChecking = 0\n")
    (tmp_path / "matplotlibrc").write_text(
        "font.family: serif\nlines.linewidth: 9\ntext.usetex: True\ntext.parse_math: True\n"
        "axes.facecolor: red\nsvg.fonttype: path\naxes.formatter.use_mathtext: True\n")
    shutil.copy(chart_input, tmp_path / "charted.yaml")
    result = _subprocess_build(tmp_path, tmp_path / "charted.yaml", tmp_path / "out")
    assert result.returncode == 0, result.stderr
    assert not marker.exists(), "reportlab ran a reportlab_settings.py from the working folder"
    assert (tmp_path / "out" / "charted.pdf").read_bytes() == clean_pdf
    assert "reportlab_settings.py" in result.stderr and "matplotlibrc" in result.stderr


def test_rl_variables_and_home_settings_change_nothing(chart_input, clean_pdf, tmp_path):
    home = tmp_path / "home"
    home.mkdir()
    marker = tmp_path / "home_settings_ran"
    (home / ".reportlab_settings").write_text(f"open({str(marker)!r}, 'w').write('ran')\ninvariant = 0\n")
    env = {"HOME": str(home), "RL_invariant": "0", "RL_pageCompression": "0", "RL_shapeChecking": "0",
           "RL_trustedHosts": "evil.example", "RL_trustedSchemes": "file,http", "RL_useA85": "0"}
    result = _subprocess_build(tmp_path, chart_input, tmp_path / "out", env)
    assert result.returncode == 0, result.stderr
    assert not marker.exists(), "reportlab ran ~/.reportlab_settings"
    assert (tmp_path / "out" / "charted.pdf").read_bytes() == clean_pdf
    assert "$RL_invariant" in result.stderr
    assert str(home / ".reportlab_settings") in result.stderr


def test_matplotlib_settings_around_the_user_change_nothing(chart_input, clean_pdf, tmp_path):
    """$MATPLOTLIBRC naming a FIFO (reading it would block forever), an unknown $MPLBACKEND (importing
    matplotlib would fail), a matplotlibrc FIFO in the working folder and one in the config folder."""
    fifo = tmp_path / "rc-fifo"
    os.mkfifo(fifo)
    os.mkfifo(tmp_path / "matplotlibrc")
    config = tmp_path / "mplconfig"
    config.mkdir()
    (config / "matplotlibrc").write_text("lines.linewidth: 9\naxes.facecolor: red\n")
    env = {"MATPLOTLIBRC": str(fifo), "MPLBACKEND": "nonsense", "MPLCONFIGDIR": str(config)}
    result = _subprocess_build(tmp_path, chart_input, tmp_path / "out", env)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "out" / "charted.pdf").read_bytes() == clean_pdf
    for ignored in ("$MATPLOTLIBRC", "$MPLBACKEND", str(tmp_path / "matplotlibrc"), str(fifo),
                    str(config / "matplotlibrc")):
        assert ignored in result.stderr


def test_settings_changed_in_process_are_put_back(chart_input, tmp_path):
    """Code that imported reportlab earlier and changed its settings can't reach our PDF either."""
    from reportlab import rl_config

    assert main(["build", str(chart_input), "-o", str(tmp_path / "a")]) == 0
    saved = rl_config.shapeChecking, rl_config.trustedHosts, rl_config.useA85
    rl_config.shapeChecking, rl_config.trustedHosts, rl_config.useA85 = 0, ["evil.example"], 0
    try:
        assert main(["build", str(chart_input), "-o", str(tmp_path / "b")]) == 0
        assert (rl_config.shapeChecking, rl_config.trustedHosts) == (1, None)
    finally:
        rl_config.shapeChecking, rl_config.trustedHosts, rl_config.useA85 = saved
    assert (tmp_path / "a" / "charted.pdf").read_bytes() == (tmp_path / "b" / "charted.pdf").read_bytes()


# -- text is text -----------------------------------------------------------------------------------

def test_markup_math_and_links_print_as_written(clean_pdf, tmp_path):
    pdf = tmp_path / "clean.pdf"
    pdf.write_bytes(clean_pdf)
    text = _text(pdf)
    for literal in ("R&D, a < b and <b>not bold</b>", "$x$ included", "Odds of $x^2$",
                    "$x^2$ & <b>y</b>", "$a$", "b & <c>"):  # the last three are drawn by matplotlib
        assert literal in text
    with pikepdf.open(pdf) as doc:
        uris = [str(annot.A.URI) for page in doc.pages for annot in page.get("/Annots", [])
                if "/A" in annot and "/URI" in annot.A]
    assert uris == ["https://example.com/report"]


@pytest.mark.parametrize("url", ["https://example.com/a?b=c&d=e", "http://example.com", "mailto:desk@example.com"])
def test_link_schemes_accepted(url):
    from report.input.model import Reference

    assert Reference(title="t", url=url).url == url


@pytest.mark.parametrize("url", ["javascript:alert(1)", "file:///etc/passwd", "data:text/html,x", "ftp://x",
                                 "http://exa mple.com", "https://x\"onmouseover=1", "//example.com",
                                 "HTTPS:/example.com", " https://example.com"])
def test_link_schemes_refused(url):
    from pydantic import ValidationError

    from report.input.model import Reference

    with pytest.raises(ValidationError):
        Reference(title="t", url=url)


def test_typographic_characters_pass_the_glyph_check():
    from report.build import check_glyphs
    from report.input.load import load_text
    from report.brand.theme import load_theme

    data, smap = load_text("x.yaml", "title: “Quotes” — dashes – € ≥ × ’ … •\n")
    check_glyphs(data, smap, load_theme("meridian"))
    check_glyphs(data, smap, load_theme("harbor"))


# -- assets are confined ------------------------------------------------------------------------------

@pytest.fixture
def brand(tmp_path) -> Path:
    """A working copy of the meridian brand, to break in each test."""
    folder = tmp_path / "brand"
    shutil.copytree(MERIDIAN, folder)
    return folder


def _validate(brand: Path, capsys) -> tuple[int, str]:
    code = main(["validate", str(MINIMAL), "--brand", str(brand)])
    return code, capsys.readouterr().err


def test_symlink_out_of_the_brand_folder_is_refused(brand, tmp_path, capsys):
    secret = tmp_path / "secret.svg"
    secret.write_text('<svg xmlns="http://www.w3.org/2000/svg"/>')
    (brand / "logo.svg").unlink()
    (brand / "logo.svg").symlink_to(secret)
    code, err = _validate(brand, capsys)
    assert code == ExitCode.BRAND_ERROR
    assert "logo.images.mark: 'logo.svg' leads outside the brand folder" in err


def test_symlinked_font_directory_out_of_the_folder_is_refused(brand, tmp_path, capsys):
    outside = tmp_path / "fonts-elsewhere"
    shutil.move(brand / "fonts", outside)
    (brand / "fonts").symlink_to(outside, target_is_directory=True)
    code, err = _validate(brand, capsys)
    assert code == ExitCode.BRAND_ERROR
    assert "'fonts/Lato-Regular.ttf' leads outside the brand folder" in err


def test_symlink_inside_the_brand_folder_is_fine(brand, capsys):
    (brand / "art").mkdir()
    shutil.move(brand / "logo.svg", brand / "art" / "logo.svg")
    (brand / "logo.svg").symlink_to(brand / "art" / "logo.svg")
    assert _validate(brand, capsys) == (0, "")


def test_oversized_logo_is_refused(brand, capsys):
    logo = (brand / "logo.svg").read_text()
    (brand / "logo.svg").write_text(logo.replace("</svg>", "<!--" + "x" * 600_000 + "--></svg>"))
    code, err = _validate(brand, capsys)
    assert code == ExitCode.BRAND_ERROR
    assert "'logo.svg' is 6" in err and "over the 500,000-byte limit" in err


def test_a_folder_named_like_a_font_is_refused(brand, capsys):
    (brand / "fonts" / "Lato-Italic.ttf").unlink()
    (brand / "fonts" / "Lato-Italic.ttf").mkdir()
    code, err = _validate(brand, capsys)
    assert code == ExitCode.BRAND_ERROR
    assert "'fonts/Lato-Italic.ttf' is not a regular file" in err


def test_svg_with_css_import_is_refused(brand, capsys):
    (brand / "logo.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg"><style>@import '
                                    'url(http://evil.example/x.css);</style></svg>')
    code, err = _validate(brand, capsys)
    assert code == ExitCode.BRAND_ERROR
    assert "refers to an external resource" in err


# -- atomic output --------------------------------------------------------------------------------------

@pytest.fixture
def kept(tmp_path) -> Path:
    """An output folder holding the previous good PDF of the minimal report."""
    folder = tmp_path / "out"
    folder.mkdir()
    (folder / "minimal.pdf").write_bytes(PREVIOUS)
    return folder


def _untouched(folder: Path) -> None:
    assert (folder / "minimal.pdf").read_bytes() == PREVIOUS
    assert [p.name for p in folder.iterdir()] == ["minimal.pdf"], "a temp file was left behind"


def test_render_failure_keeps_the_previous_pdf(kept, monkeypatch, capsys):
    import report.build

    def broken(*args, **kwargs):
        raise RuntimeError("simulated crash inside reportlab")

    monkeypatch.setattr(report.build, "render", broken)
    assert main(["build", str(MINIMAL), "-o", str(kept)]) == ExitCode.INTERNAL
    assert "simulated crash" in capsys.readouterr().err  # a bug shows its traceback
    _untouched(kept)


def test_interrupt_keeps_the_previous_pdf(kept, monkeypatch, capsys):
    import report.build

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(report.build, "render", interrupted)
    assert main(["build", str(MINIMAL), "-o", str(kept)]) == 130
    assert capsys.readouterr().err == "report: interrupted; no file is left half-written\n"
    _untouched(kept)


@pytest.mark.parametrize("fail", ["write", "fsync", "replace"])
def test_failure_while_writing_keeps_the_previous_pdf(fail, kept, monkeypatch, capsys):
    """A full disk, an I/O error or a failed rename: the temp file goes, the old PDF stays."""
    import report.build

    def boom(*args, **kwargs):
        raise OSError(errno.ENOSPC if fail == "write" else errno.EIO, os.strerror(errno.EIO))

    if fail == "write":
        real_fdopen = os.fdopen

        class Full:
            def __init__(self, fd, mode):
                self.file = real_fdopen(fd, mode)

            def __enter__(self):
                return self

            def __exit__(self, *exc):
                self.file.close()

            def write(self, data):
                self.file.write(data[: len(data) // 2])
                boom()

        monkeypatch.setattr(report.build.os, "fdopen", Full)
    else:
        monkeypatch.setattr(report.build.os, fail, boom)
    assert main(["build", str(MINIMAL), "-o", str(kept)]) == ExitCode.OUTPUT_ERROR
    assert "cannot write the PDF" in capsys.readouterr().err
    monkeypatch.undo()
    _untouched(kept)


def test_unwritable_folder(kept, monkeypatch, capsys):
    """A folder we may not write to (simulated: this may run as root, which ignores permissions)."""
    import report.build

    def denied(*args, **kwargs):
        raise PermissionError(errno.EACCES, os.strerror(errno.EACCES))

    monkeypatch.setattr(report.build.tempfile, "mkstemp", denied)
    assert main(["build", str(MINIMAL), "-o", str(kept)]) == ExitCode.OUTPUT_ERROR
    assert "cannot write the PDF: Permission denied" in capsys.readouterr().err
    _untouched(kept)


@pytest.mark.skipif(os.geteuid() == 0, reason="root ignores folder permissions")
def test_read_only_folder(kept, capsys):
    kept.chmod(0o555)
    try:
        assert main(["build", str(MINIMAL), "-o", str(kept)]) == ExitCode.OUTPUT_ERROR
    finally:
        kept.chmod(0o755)
    _untouched(kept)


def test_output_under_a_file_is_an_output_error(tmp_path, capsys):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    assert main(["build", str(MINIMAL), "-o", str(blocker / "out")]) == ExitCode.OUTPUT_ERROR
    assert "cannot write the PDF" in capsys.readouterr().err


def test_truncated_font_is_a_brand_error(brand, capsys):
    font = brand / "fonts" / "Lato-Bold.ttf"
    font.write_bytes(font.read_bytes()[:20_000])
    code, err = _validate(brand, capsys)
    assert code == ExitCode.BRAND_ERROR
    assert "'Lato-Bold.ttf' is damaged or incomplete" in err


def test_svg_logo_with_an_absurd_size_is_refused(brand, capsys):
    (brand / "logo.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg" width="1e9" height="40" '
                                    'viewBox="0 0 40 40"><rect width="40" height="40"/></svg>')
    code, err = _validate(brand, capsys)
    assert code == ExitCode.BRAND_ERROR
    assert "declares a size over 100,000 units" in err
