"""Print-ready PDFs and `report print`: the 5 mm unprinted edge, charts that survive greyscale,
print-shop marks, and a real CUPS spooler with the cups-pdf virtual printer.

The CUPS tests need `.ci/system-deps.sh` (cups, printer-driver-cups-pdf, cupsd started, queue "PDF");
without them they are skipped with the reason.
"""

from __future__ import annotations

import itertools
import os
import pwd
import re
import shutil
import subprocess
import time
import uuid
from pathlib import Path

import numpy as np
import pdfplumber
import pypdf
import pypdfium2 as pdfium
import pytest
from conftest import SAMPLE

from report.cli import main
from report.input.model import ChartBlock, LineChart, ProbabilityChart
from report.input.parse import parse_file
from report.brand.theme import load_theme

MM = 72 / 25.4
DPI = 100
CASES = [("meridian", "a4"), ("meridian", "letter"), ("harbor", "a4"), ("harbor", "letter")]
PAPER_PT = {"a4": (595.28, 841.89), "letter": (612.0, 792.0)}
QUEUE = os.environ.get("REPORT_TEST_PRINTER", "PDF")
GREY_STEP = 40  # two series whose greys differ by this much (of 255) read apart on paper


def render(pdf: Path, *, grayscale: bool = False, dpi: float = DPI) -> list[np.ndarray]:
    doc = pdfium.PdfDocument(str(pdf))
    try:
        pages = []
        for page in doc:
            image = page.render(scale=dpi / 72, grayscale=grayscale).to_pil().convert("L")
            pages.append(np.asarray(image))
        return pages
    finally:
        doc.close()


# --- the unprinted edge ---------------------------------------------------------------------------

@pytest.mark.parametrize("case", CASES, ids=lambda c: "-".join(c))
def test_nothing_printed_within_5mm_of_the_paper_edge(sample_pdfs, case):
    pdf = sample_pdfs[case]
    band = int(5 * MM * DPI / 72)  # whole pixels inside the 5 mm strip
    for n, pixels in enumerate(render(pdf), start=1):
        for name, strip in (("top", pixels[:band]), ("bottom", pixels[-band:]),
                            ("left", pixels[:, :band]), ("right", pixels[:, -band:])):
            assert strip.min() >= 250, f"page {n}: ink in the {name} 5 mm strip"
    with pdfplumber.open(pdf) as doc:
        for n, page in enumerate(doc.pages, start=1):
            width, height = PAPER_PT[case[1]]
            assert abs(page.width - width) < 1 and abs(page.height - height) < 1
            for obj in page.chars + page.rects + page.lines + page.curves + page.images:
                if obj.get("non_stroking_color") in ((1, 1, 1), [1, 1, 1]) and not obj.get("stroke"):
                    continue  # white on white paper prints nothing
                assert obj["x0"] >= 5 * MM - 0.01 and obj["x1"] <= page.width - 5 * MM + 0.01, (n, obj["object_type"])
                assert obj["top"] >= 5 * MM - 0.01 and obj["bottom"] <= page.height - 5 * MM + 0.01, (n, obj["object_type"])


def test_the_edge_check_sees_ink_at_the_edge(tmp_path):
    """The pixel check is not blind: a PDF with a hairline 3 mm from the edge fails it."""
    from reportlab.pdfgen.canvas import Canvas

    target = tmp_path / "edge.pdf"
    canvas = Canvas(str(target), pagesize=PAPER_PT["a4"])
    canvas.setLineWidth(0.3)
    canvas.line(3 * MM, 100, 3 * MM, 300)
    canvas.showPage()
    canvas.save()
    band = int(5 * MM * DPI / 72)
    assert render(target)[0][:, :band].min() < 250


# --- greyscale charts -----------------------------------------------------------------------------

def _tone_colours(brand: str) -> dict[tuple, str]:
    theme = load_theme(brand)
    out = {}
    for tone in ("bear", "base", "bull", "neutral"):
        hexcode = theme.color(tone).lstrip("#")
        out[tuple(round(int(hexcode[i:i + 2], 16) / 255, 2) for i in (0, 2, 4))] = tone
    return out


def _colour_key(colour) -> tuple | None:
    if not isinstance(colour, (tuple, list)) or len(colour) != 3:
        return None
    return tuple(round(float(c), 2) for c in colour)


def _dash(obj) -> tuple:
    dash = obj.get("dash")
    if not dash or not dash[0]:
        return ("solid",)
    return tuple(round(float(v), 1) for v in dash[0])


def _orientation(line) -> str:
    dx, dy = abs(line["x1"] - line["x0"]), abs(line["bottom"] - line["top"])
    return "h" if dy < 0.5 else "v" if dx < 0.5 else "d"


def chart_series(pdf: Path, brand: str) -> list[list[dict]]:
    """Per chart (one group per page and kind), each series: tone, grey level in a greyscale
    rendering, and its pattern (dash array for a line, hatch directions for a bar)."""
    tones = _tone_colours(brand)
    greys = render(pdf, grayscale=True)
    scale = DPI / 72
    charts = []
    with pdfplumber.open(pdf) as doc:
        for page, pixels in zip(doc.pages, greys):
            lines, bars = {}, []
            for obj in page.curves + page.lines:
                tone = tones.get(_colour_key(obj.get("stroking_color")))
                if tone and obj.get("stroke") and not obj.get("fill") and len(obj["pts"]) >= 5:
                    if len(obj["pts"]) > len(lines.get(tone, {}).get("pts", ())):
                        lines[tone] = obj
            for rect in page.rects:
                tone = tones.get(_colour_key(rect.get("non_stroking_color")))
                if tone and rect.get("fill") and rect["height"] > 8 and rect["width"] > 2:
                    bars.append((tone, rect))
            if lines:
                series = []
                for tone, obj in lines.items():
                    samples = []
                    for x, top in obj["pts"]:
                        r, c = int(top * scale), int(x * scale)
                        samples.append(int(pixels[max(r - 1, 0):r + 2, max(c - 1, 0):c + 2].min()))
                    series.append({"tone": tone, "grey": float(np.median(samples)),
                                   "pattern": _dash(obj)})
                charts.append(series)
            if bars:
                white = [ln for ln in page.lines + page.curves
                         if _colour_key(ln.get("stroking_color")) == (1.0, 1.0, 1.0)]
                series = []
                for tone, rect in bars:
                    box = pixels[int(rect["top"] * scale) + 1:int(rect["bottom"] * scale) - 1,
                                 int(rect["x0"] * scale) + 1:int(rect["x1"] * scale) - 1]
                    inside = [ln for ln in white if ln["x0"] >= rect["x0"] - 0.5 and
                              ln["x1"] <= rect["x1"] + 0.5 and ln["top"] >= rect["top"] - 0.5 and
                              ln["bottom"] <= rect["bottom"] + 0.5]
                    series.append({"tone": tone, "grey": float(np.median(box[box < 240]))
                                   if (box < 240).any() else 255.0,
                                   "pattern": frozenset(_orientation(ln) for ln in inside)})
                charts.append(series)
    return charts


def confusable(series: list[dict]) -> list[tuple[str, str]]:
    """Pairs of series a reader could not tell apart on a greyscale print."""
    return [(a["tone"], b["tone"]) for a, b in itertools.combinations(series, 2)
            if abs(a["grey"] - b["grey"]) < GREY_STEP and a["pattern"] == b["pattern"]]


def _expected_series(source: Path) -> list[int]:
    report, _ = parse_file(source)
    counts = []
    for _, block in report.blocks_with_paths():
        if isinstance(block, ChartBlock) and isinstance(block.chart, LineChart):
            counts.append(len(block.chart.series))
        elif isinstance(block, ChartBlock) and isinstance(block.chart, ProbabilityChart):
            counts.append(len(report.table(block.chart.table).rows))
    return counts


@pytest.mark.parametrize("case", CASES, ids=lambda c: "-".join(c))
def test_every_chart_reads_in_greyscale(sample_pdfs, case):
    charts = chart_series(sample_pdfs[case], case[0])
    assert sorted(len(c) for c in charts) == sorted(_expected_series(SAMPLE)), charts
    for series in charts:
        assert not confusable(series), series


def test_the_greyscale_check_catches_colour_only_series(tmp_path, monkeypatch):
    """Draw the charts with colour as the only difference: the check must complain."""
    from report.charts import looks

    monkeypatch.setattr(looks, "TONE_LOOKS", {tone: looks.Look(tone, "solid", "o", ()) for tone in looks.TONE_LOOKS})
    assert main(["build", str(SAMPLE), "-o", str(tmp_path)]) == 0
    found = chart_series(tmp_path / "russell-2000-bear-case.pdf", "meridian")
    assert len(found) == 2
    # crimson and green are nearly the same grey: only their pattern told them apart
    assert all(("bear", "bull") in confusable(s) or ("bull", "bear") in confusable(s) for s in found)


# --- print-shop marks ------------------------------------------------------------------------------

def test_print_marks_add_a_border_with_crop_marks_and_boxes(sample_pdf, tmp_path):
    assert main(["build", str(SAMPLE), "-o", str(tmp_path), "--print-marks"]) == 0
    marked = tmp_path / "russell-2000-bear-case.pdf"
    plain_pages, marked_pages = pypdf.PdfReader(sample_pdf).pages, pypdf.PdfReader(marked).pages
    assert len(plain_pages) == len(marked_pages)
    width, height = PAPER_PT["a4"]
    border = 12 * MM
    for page in marked_pages:
        media = [float(v) for v in page.mediabox]
        trim = [float(v) for v in page.trimbox]
        bleed = [float(v) for v in page.bleedbox]
        assert media == pytest.approx([0, 0, width + 2 * border, height + 2 * border], abs=0.1)
        assert trim == pytest.approx([border, border, border + width, border + height], abs=0.1)
        assert bleed == pytest.approx([border - 3 * MM, border - 3 * MM, border + width + 3 * MM,
                                       border + height + 3 * MM], abs=0.1)
    # the trimmed page is the plain page, unscaled; the marks sit outside the bleed
    dpi = 72 * round(border * DPI / 72) / border  # the border is a whole number of pixels
    s = dpi / 72
    for plain, with_marks in zip(render(sample_pdf, dpi=dpi), render(marked, dpi=dpi)):
        top, left = round(border * s), round(border * s)
        trimmed = with_marks[top:top + plain.shape[0], left:left + plain.shape[1]].astype(int)
        assert np.abs(trimmed - plain.astype(int)).mean() < 1.0
        clear = round(3 * MM * s)  # the marks extend the trim lines but stop outside the bleed
        assert with_marks[:top - clear, left - 2:left + 3].min() < 200, "no vertical crop mark"
        assert with_marks[top - 2:top + 3, :left - clear].min() < 200, "no horizontal crop mark"
        assert with_marks[top - clear:top, left - clear:left].min() == 255, "ink in the bleed"


# --- report print against CUPS --------------------------------------------------------------------

def _cups_ready() -> str:
    if shutil.which("lp") is None or shutil.which("lpstat") is None:
        return "CUPS client tools (lp, lpstat) are not installed; run .ci/system-deps.sh"
    running = subprocess.run(["lpstat", "-r"], capture_output=True, text=True)
    if "is running" not in running.stdout:
        return "the CUPS scheduler (cupsd) is not running; run .ci/system-deps.sh"
    queue = subprocess.run(["lpstat", "-v", QUEUE], capture_output=True, text=True)
    if queue.returncode != 0 or "cups-pdf" not in queue.stdout:
        return f"no cups-pdf queue named {QUEUE!r}; run .ci/system-deps.sh"
    return ""


needs_cups = pytest.mark.skipif(bool(_cups_ready()), reason=_cups_ready() or "CUPS ready")


def cups_pdf_folders() -> list[Path]:
    """Where cups-pdf writes: its `Out` setting (${HOME} is the submitting user's home), else the
    anonymous folder."""
    home = pwd.getpwuid(os.getuid()).pw_dir
    folders = []
    conf = Path("/etc/cups/cups-pdf.conf")
    if conf.is_file():
        for line in conf.read_text(errors="replace").splitlines():
            match = re.match(r"^\s*(Out|AnonDirName)\s+(\S+)", line)
            if match:
                folders.append(Path(match.group(2).replace("${HOME}", home)
                                    .replace("${USER}", pwd.getpwuid(os.getuid()).pw_name)))
    return folders + [Path(home) / "PDF", Path("/var/spool/cups-pdf/ANONYMOUS")]


def _arrived(job: str, token: str, timeout: float = 60) -> Path | None:
    """The job's output file, once CUPS lists the job as done and the file is whole."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        pending = subprocess.run(["lpstat", "-o", QUEUE], capture_output=True, text=True).stdout
        if job not in pending.split():
            for folder in cups_pdf_folders():
                for path in folder.glob(f"*{token}*.pdf") if folder.is_dir() else ():
                    if path.read_bytes().rstrip().endswith(b"%%EOF"):
                        return path
        time.sleep(0.2)
    return None


@needs_cups
def test_report_print_reaches_the_cups_pdf_printer(tmp_path, capsys):
    token = uuid.uuid4().hex[:10]
    source = tmp_path / "printed.yaml"
    source.write_text(SAMPLE.read_text("utf-8").replace(
        "short_title: Russell 2000 bear case", f"short_title: Print test {token}", 1), "utf-8")
    code = main(["print", str(source), "--printer", QUEUE, "--pdf-out", str(tmp_path)])
    out = capsys.readouterr()
    assert code == 0, out.err
    job = re.search(rf"queued .* as job ({QUEUE}-\d+) on {QUEUE}", out.out)
    assert job, out.out
    printed = _arrived(job.group(1), token)
    assert printed is not None, f"nothing arrived in {cups_pdf_folders()} within 60 s"
    try:
        pages = pypdf.PdfReader(printed).pages
        built = pypdf.PdfReader(tmp_path / "printed.pdf").pages
        assert len(pages) == len(built)
        width, height = (float(v) for v in pages[0].mediabox[2:])
        assert abs(width - PAPER_PT["a4"][0]) < 2 and abs(height - PAPER_PT["a4"][1]) < 2
        # cups-pdf re-renders through Ghostscript (pages become images): compare what they show
        ours, theirs = render(tmp_path / "printed.pdf", dpi=50), render(printed, dpi=50)
        for n, page in enumerate(theirs):
            diffs = [np.abs(page.astype(int) - mine.astype(int)).mean() for mine in ours]
            assert diffs[n] < 6 and diffs[n] == min(diffs), (n + 1, diffs)
    finally:
        printed.unlink()


@needs_cups
def test_unknown_printer_is_one_clear_error(tmp_path, capsys):
    code = main(["print", str(SAMPLE), "--printer", "no-such-queue", "--pdf-out", str(tmp_path)])
    err = capsys.readouterr().err
    assert code == 5
    assert "printer 'no-such-queue' does not exist" in err and "lpstat -p" in err


@needs_cups
def test_scheduler_not_running_is_named_as_such(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("CUPS_SERVER", f"127.0.0.1:{_closed_port()}")  # lp reaches no scheduler
    code = main(["print", str(SAMPLE), "--printer", QUEUE, "--pdf-out", str(tmp_path)])
    err = capsys.readouterr().err
    assert code == 6
    assert "the CUPS scheduler is not running" in err and "does not exist" not in err


def _closed_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_no_spooler_is_one_clear_error(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    code = main(["print", str(SAMPLE), "--pdf-out", str(tmp_path)])
    err = capsys.readouterr().err
    assert code == 6
    assert "no print spooler" in err and err.count("error:") == 1
    assert not (tmp_path / "russell-2000-bear-case.pdf").exists()  # refused before building


@pytest.mark.parametrize("name", ["-o evil", "-dother", "two words", "a/b", "x\ny"])
def test_printer_names_cannot_become_options(tmp_path, capsys, monkeypatch, name):
    fake = tmp_path / "bin"
    fake.mkdir()
    (fake / "lp").write_text("#!/bin/sh\necho called >&2\nexit 1\n")
    (fake / "lp").chmod(0o755)
    monkeypatch.setenv("PATH", str(fake))
    code = main(["print", str(SAMPLE), f"--printer={name}", "--pdf-out", str(tmp_path)])
    err = capsys.readouterr().err
    assert code == 2 and "is not a printer name" in err and "called" not in err
