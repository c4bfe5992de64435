"""Model + theme -> PDF bytes in memory (one layout pass), then an atomic write.

Nothing is written until the whole PDF exists in memory and has been checked; the file then appears
in one `os.replace`, so a failed build never leaves a half-written PDF or loses the previous one.
"""

from __future__ import annotations

import io
import os
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timezone
from pathlib import Path

from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus.doctemplate import LayoutError

from report import __version__
from report.errors import Diagnostic, ExitCode, ReportError
from report.layout.pages import Furniture, ReportDoc
from report.layout.story import Story
from report.input.model import Report
from report.safety import pin_reportlab
from report.brand.glyphs import check_glyphs  # noqa: F401 - part of build's interface
from report.brand.styles import Styles
from report.brand.theme import Theme
from report.targets import output_path  # noqa: F401 - part of build's interface

_STYLES: dict[int, tuple[Theme, Styles]] = {}


def styles_for(theme: Theme) -> Styles:
    """One Styles per theme per process (fonts are registered once). The theme is kept with its
    styles so that its id is never reused by a newer theme (`report watch` reloads brands)."""
    if id(theme) not in _STYLES:
        _STYLES[id(theme)] = (theme, Styles(theme))
    return _STYLES[id(theme)][1]


@dataclass(frozen=True)
class _Stamp:
    """A reportlab TimeStamp for a fixed moment: the PDF's dates come from the input, not the clock."""

    t: float

    @property
    def YMDhms(self):  # noqa: N802 - reportlab's attribute name
        return time.gmtime(self.t)[:6]

    dhh = 0
    dmm = 0


def pdf_timestamp(as_of: date) -> float:
    """SOURCE_DATE_EPOCH when set (reproducible-builds convention), else the as-of date at 00:00 UTC."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return float(epoch)
    return datetime(as_of.year, as_of.month, as_of.day, tzinfo=timezone.utc).timestamp()


def _furniture(report: Report, theme: Theme, version: str) -> Furniture:
    return Furniture(
        brand=theme.name,
        label=f"{theme.report_label} · {report.report_type}",
        short_title=report.header_title,
        date_line=f"As of {theme.format_date(report.as_of)}",
        disclaimer=theme.disclaimer_short,
        version=version,
        draft=report.status == "draft",
    )


def _metadata(report: Report, theme: Theme) -> dict:
    draft = report.status == "draft"
    return {
        "title": report.title,
        "author": report.author or theme.name,
        "subject": ("DRAFT — " if draft else "") + f"{report.report_type}: {report.header_title}",
        "keywords": ", ".join((["draft"] if draft else []) + list(report.keywords)),
        "creator": f"report {__version__}",
        "lang": "en",
    }


class Charts:
    """The report's charts at the text width. Heights are planned without drawing; on the page each
    chart is a PDF form, named where it stands and drawn once the layout is done, so that a chart
    helper process (report.charts.helper) can draw it meanwhile. Each drawing is made once, for
    both layouts of a long report, and is the same with or without a helper."""

    def __init__(self, report: Report, styles: Styles, width: float, helper=None):
        self.report, self.styles, self.width, self.helper = report, styles, width, helper
        self._jobs: dict[tuple, tuple] = {}  # (id(spec), height) -> (spec, job, ticket)
        self._drawn: dict[tuple, object] = {}
        self._forms: dict[tuple, str] = {}  # this layout's forms

    def heights(self, spec) -> tuple[float, float, float, float]:
        """The chart's heights. A chart of one height only is sent to the helper now: it will be
        drawn at that height wherever it falls."""
        from report import charts

        job = charts.job(spec, self.report, self.width)
        heights = charts.job_heights(job, self.styles)
        if len(set(heights)) == 1:
            self._job(spec, None, job)
        return heights

    def history(self, history) -> tuple[float, Callable[[float | None], str]]:
        """The probability history chart: its height, and the form it stands in."""
        from report import charts

        job = charts.history_job(history, self.styles, self.width)
        return charts.job_heights(job, self.styles)[0], lambda height: self.form(history, None, job)

    def form(self, spec, height: float | None, job=None) -> str:
        """The name of the form that shows the chart at `height` (None: its preferred height). Its
        page is laid out: from now on the helper may draw it (drawing ahead at the preferred height
        would often be in vain: a figure's chart is lowered or grown to suit its page)."""
        key = (id(spec), height)
        self._job(spec, height, job, located=job is None)
        return self._forms.setdefault(key, f"Chart{len(self._forms) + 1}")

    def new_layout(self) -> None:
        self._forms = {}

    def define(self, canvas) -> None:
        """Draw this layout's forms (called once its pages are done, before the PDF is saved)."""
        for key, name in self._forms.items():
            drawing = self._drawing(key)
            canvas.beginForm(name, lowerx=-_BLEED, lowery=-_BLEED, upperx=drawing.width + _BLEED,
                             uppery=drawing.height + _BLEED)
            drawing.drawOn(canvas, 0, 0)
            canvas.endForm()

    def _job(self, spec, height: float | None, job=None, located: bool = True) -> None:
        """Plan the drawing of `spec` at `height`: from the cache, or sent to the helper."""
        key = (id(spec), height)
        if key in self._jobs:
            return
        from report import charts
        from report.charts.cache import lookup
        from report.charts.style import chart_fonts

        job = job or charts.job(spec, self.report, self.width, height)
        ticket = None
        drawing = lookup(job.payload(self.styles), chart_fonts(self.styles))
        if drawing is not None:
            self._drawn[key] = drawing
        elif self.helper is not None:
            ticket = self.helper.submit(job, self.styles)
        self._jobs[key] = (spec if located else None, job, ticket)

    def _drawing(self, key: tuple):
        if key not in self._drawn:
            from report import charts
            from report.charts.cache import store
            from report.charts.fit import ChartTextOutside
            from report.charts.shapes import decode
            from report.charts.style import chart_fonts

            spec, job, ticket = self._jobs[key]
            shapes = self.helper.result(ticket) if self.helper is not None else None
            try:
                drawing = decode(shapes) if shapes is not None else None
            except (ValueError, KeyError, TypeError):
                drawing = None
            try:
                if drawing is None:  # here, when the helper could not
                    drawing = charts.render_job(job, self.styles)
            except ChartTextOutside as exc:
                if spec is not None:
                    exc.chart = spec  # located by build_input
                raise
            store(job.payload(self.styles), drawing, chart_fonts(self.styles))
            self._drawn[key] = drawing
        return self._drawn[key]


_BLEED = 5.0  # points around a chart's form: strokes on its edge are half outside it


@dataclass(frozen=True)
class Rendered:
    pdf: bytes
    pages: int
    notes: tuple[str, ...] = ()  # for the author, e.g. a figure printing at too low a resolution


def render(report: Report, theme: Theme, paper: str = "a4", *, version: str = "",
           crop_marks=None, versions=None, folder: Path | None = None, helper=None) -> Rendered:
    """The report as PDF bytes. Deterministic: same input, theme and paper give the same bytes,
    whether or not a chart `helper` (report.charts.helper.Helper) draws the charts.

    `folder` is the input's, where its image files are. A report longer than the brand's
    `toc_pages` is laid out again with a table of contents."""
    styles = styles_for(theme)
    charts = {}
    first = _render(report, theme, styles, paper, version, crop_marks, versions, folder, charts, helper,
                    toc=False)
    if theme.toc_pages is None or first.pages <= theme.toc_pages:
        return first
    return _render(report, theme, styles, paper, version, crop_marks, versions, folder, charts, helper,
                   toc=True)


def _render(report, theme, styles, paper, version, crop_marks, versions, folder, charts, helper, *,
            toc: bool) -> Rendered:
    pin_reportlab()  # settings changed by the environment or by other code never reach the PDF
    furniture = _furniture(report, theme, version or (versions.footer if versions else ""))
    stamp = _Stamp(pdf_timestamp(report.as_of))

    def canvasmaker(*args, **kwargs):
        canvas = Canvas(*args, **kwargs)
        canvas._doc._timeStamp = stamp
        if versions is not None and versions.id:  # the input's git version, for traceability
            from report.versions.pdfinfo import stamp as stamp_version

            stamp_version(canvas, versions.id)
        if hasattr(crop_marks, "set_boxes"):  # print-shop marks also declare TrimBox/BleedBox
            crop_marks.set_boxes(canvas)
        return canvas

    buffer = io.BytesIO()
    doc = ReportDoc(buffer, styles, furniture, paper,
                    metadata=_metadata(report, theme), crop_marks=crop_marks)
    width = doc.text_width
    if width not in charts:
        charts[width] = Charts(report, styles, width, helper)  # drawn once for both layouts
    charts[width].new_layout()
    story = Story(report, styles, width, charts[width], versions=versions, folder=folder or Path("."), toc=toc)
    doc.footnotes = story.footnotes()
    doc.late_forms = charts[width].define
    doc.build(doc.story_start() + story.build(), canvasmaker=canvasmaker)  # "Page X of Y" filled in at the end
    pdf = buffer.getvalue()
    if not (pdf.startswith(b"%PDF-") and pdf.rstrip().endswith(b"%%EOF")):
        raise RuntimeError("reportlab produced an incomplete PDF")
    return Rendered(pdf, doc.page, tuple(story.warnings))


def _file_mode(target: Path) -> int:
    """The mode of the file being replaced, or what a plain new file gets under the umask."""
    try:
        return target.stat().st_mode & 0o777
    except OSError:
        mask = os.umask(0)
        os.umask(mask)
        return 0o666 & ~mask


def write_atomic(target: Path, data: bytes) -> None:
    """Write `data` to `target` via a temp file in the same folder, fsync, then rename over it."""
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        os.fchmod(fd, _file_mode(target))  # mkstemp makes 0600: give the PDF the usual mode
        with os.fdopen(fd, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.replace(tmp, target)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise
    try:
        dir_fd = os.open(target.parent, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(dir_fd)
    finally:
        os.close(dir_fd)


def write_pdf(target: Path, data: bytes) -> None:
    try:
        write_atomic(target, data)
    except OSError as exc:
        raise ReportError([Diagnostic(str(target), 0, 0, f"cannot write the PDF: {exc.strerror}")],
                          ExitCode.OUTPUT_ERROR) from None


@dataclass(frozen=True)
class Built:
    source: Path
    target: Path
    pdf: bytes
    pages: int
    report: Report
    notes: tuple[str, ...] = ()  # e.g. an old version of the input skipped by the change box


def build_input(source: Path, theme: Theme, paper: str = "a4", out: Path | None = None,
                changes: bool = True, *, write: bool = True, final: bool = False, **render_options) -> Built:
    """Validate one input, render it and write its PDF atomically (`write=False`: keep it in
    memory; `Built.target` says where it would go; `final`: refuse a draft); raises ReportError.

    The one path from an input file to a PDF on disk: `report build` and every command that needs
    the PDF (email, print) go through here, so they all produce the same file and bytes.
    """
    from report.input.parse import read_report

    report, smap = read_report(source, theme)
    if final and report.status == "draft":
        line, col = smap.locate(("status",))
        raise ReportError([Diagnostic(smap.file, line, col, "the input is a draft; --final builds only "
                                      "a final note", "status", "set `status: final` when it is ready "
                                      "for readers")])
    if "versions" not in render_options:  # the input's git history: version id, change box, chart
        from report.versions.history import collect

        render_options["versions"] = collect(source, report, changes=changes)
    render_options.setdefault("folder", Path(source).resolve().parent)
    from report.charts.fit import ChartTextOutside

    try:
        result = render(report, theme, paper, **render_options)
    except ChartTextOutside as exc:
        from report.layout.fit import explain_chart

        raise explain_chart(report, smap, exc.original()) from None
    except LayoutError:
        from report.layout.fit import explain

        located = explain(report, smap, styles_for(theme), paper)  # a block too tall for any page
        if located is None:
            raise
        raise located from None
    target = output_path(source, out, paper)
    if write:
        write_pdf(target, result.pdf)
    notes = render_options["versions"].notes if render_options["versions"] else ()
    return Built(source, target, result.pdf, result.pages, report, tuple(notes) + result.notes)
