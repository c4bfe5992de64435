"""One input of `report email` -> its PDF (built exactly as `report build` does) -> one message to
the --to/--cc/--bcc addresses, one message per reader of a list, or `.eml` files (a dry run).

The PDF is built in memory and the email composed before anything is written, so an input whose
email cannot be made (a line break in the title) leaves no file behind. A dry run writes only the
`.eml` files, and the PDF only when --pdf-out asks for it.
"""

from __future__ import annotations

import hashlib
import sys
from dataclasses import dataclass, field
from pathlib import Path

from report.delivery import bulk, message, outbox
from report.delivery.settings import Settings
from report.errors import Diagnostic, ExitCode, ReportError


@dataclass
class Context:
    """Everything the inputs of one `report email` run share."""

    args: object
    settings: Settings | None
    sender: str
    looks: dict  # input path -> (Theme, its email logo): the brand `report build` would use for it
    readers: tuple = ()
    sending: Sending | None = None  # real sends only
    list_id: str = ""


@dataclass
class Sending:
    """The connection and the pace of a real run, shared by its inputs."""

    mailer: object  # smtp.Mailer
    pacer: object  # pace.Pacer

    def run(self, journal, progress, headers):
        from report.delivery import readership

        self.mailer.note = progress.note
        self.mailer.on_temporary = readership.slow_down(self.pacer)
        return readership.Run(self.mailer, self.pacer, journal, headers)


@dataclass
class Result:
    sent: int = 0  # messages the server accepted (or .eml files written)
    total: int = 0  # messages this run tried to send
    already: int = 0  # readers who had this PDF before the run
    refused: list[str] = field(default_factory=list)  # recipients refused, others reached
    complete: bool = True
    code: ExitCode = ExitCode.OK


def _err(text: str) -> None:
    print(text, file=sys.stderr)


def _title_error(path: Path, exc: message.HeaderValueError) -> ReportError:
    from report.input.load import load_file

    _, smap = load_file(path)
    line, column = smap.locate(("title",))
    return ReportError([Diagnostic(str(path), line, column, str(exc), "title",
                                   "the title is the subject of the email: keep it on one line")])


def _letter(path: Path, ctx: Context):
    from report.build import build_input

    args = ctx.args
    write = not args.dry_run or args.pdf_out is not None
    theme, logo = ctx.looks[path]
    built = build_input(path, theme, args.paper, args.pdf_out, changes=not args.no_changes,
                        write=False, final=not args.dry_run)  # a draft never goes to readers
    try:
        letter = message.prepare(built.report, built.pdf, built.pages, theme, ctx.sender, logo)
    except message.HeaderValueError as exc:
        raise _title_error(path, exc) from None
    if len(built.pdf) > message.MAX_ATTACHMENT_BYTES:
        _err(f"report: warning: {path}: the PDF is {len(built.pdf) / 1e6:.1f} MB, over the "
             f"{message.MAX_ATTACHMENT_BYTES / 1e6:g} MB budget for an attachment; some servers "
             "refuse messages this large")
    if write:
        from report.build import write_pdf

        write_pdf(built.target, built.pdf)
    return built, letter


def email_input(path: Path, ctx: Context) -> Result:
    """Build, compose and send (or write) one input's email; ReportError when nothing went."""
    built, letter = _letter(path, ctx)
    if ctx.readers:
        if ctx.args.dry_run:
            return _readers_dry_run(path, letter, ctx)
        return _to_readers(path, built, letter, ctx)
    envelope = message.compose(letter, ctx.args.to, ctx.args.cc, ctx.args.bcc)
    if ctx.args.dry_run:
        return _dry_run(path, envelope, ctx)
    return _to_addresses(path, envelope, ctx)


def _dry_run(path: Path, envelope: message.Envelope, ctx: Context) -> Result:
    target = outbox.eml_path(path, ctx.args.out)
    outbox.write_eml(target, envelope)
    print(f"wrote {target} (dry run, nothing sent): {envelope.message['Subject']!s} for "
          f"{len(envelope.recipients)} recipient(s)" + (", Bcc not shown in the file"
                                                         if ctx.args.bcc else ""))
    return Result(sent=1, total=1)


def _to_addresses(path: Path, envelope: message.Envelope, ctx: Context) -> Result:
    from report.delivery import smtp

    ctx.sending.pacer.wait()
    try:
        result = ctx.sending.mailer.send(envelope)
    except smtp.DeliveryError as exc:
        raise smtp.DeliveryError(f"not sent: {exc.message}", exc.diagnostics[0].hint, str(path),
                                 exc.code) from None
    accepted = [r for r in envelope.recipients if r not in result.refused]
    print(f"sent {path} to {', '.join(accepted)} via {ctx.settings.where}: {result.reply}")
    if not result.refused:
        return Result(sent=1, total=1)
    refused = "; ".join(f"{a}: {c} {smtp.reply_text(m)}" for a, (c, m) in result.refused.items())
    _err(str(smtp.DeliveryError(f"sent, but the server refused some recipients: {refused}",
                                "check those addresses; the others got the message", str(path))))
    return Result(sent=1, total=1, refused=list(result.refused), complete=False,
                  code=ExitCode.DELIVERY)


def headers_for(ctx: Context):
    def headers(reader) -> tuple[tuple[str, str], ...]:
        return bulk.list_headers(ctx.settings, reader.address, ctx.list_id)
    return headers


def _readers_dry_run(path: Path, letter, ctx: Context) -> Result:
    folder = ctx.args.out if len(ctx.args.inputs) == 1 else ctx.args.out / path.stem
    files = outbox.reader_files(folder, [r.key for r in ctx.readers])
    headers = headers_for(ctx)
    for reader in ctx.readers:
        envelope = message.compose(letter, [reader.header], name=reader.name,
                                   headers=headers(reader))
        outbox.write_eml(files[reader.key], envelope)
    print(f"wrote {len(ctx.readers)} messages to {folder}/ (dry run, nothing sent), one per "
          f"reader of {ctx.args.readers}: {letter.subject}")
    return Result(sent=len(ctx.readers), total=len(ctx.readers))


def _to_readers(path: Path, built, letter, ctx: Context) -> Result:
    from report.delivery import readership
    from report.delivery.journal import Journal, journal_path
    from report.delivery.progress import Progress

    pdf = hashlib.sha256(built.pdf).hexdigest()
    where = ctx.args.journal or journal_path(built.target)
    with Journal.open(where) as journal:
        earlier = journal.other_pdfs(pdf, str(path))
        if earlier and not journal.delivered(pdf):
            _err(f"report: note: {where} lists {len(earlier)} earlier version(s) of {path}; this "
                 "PDF differs from them (a new update), so every reader gets it")
        progress = Progress(str(path), len(ctx.readers))
        outcome = readership.deliver(letter, ctx.readers, pdf, str(path),
                                     ctx.sending.run(journal, progress, headers_for(ctx)), progress)
    line, problems = readership.summary(outcome, str(path), str(ctx.args.readers), str(where),
                                        ctx.settings.where)
    print(line)
    if problems:
        _err(str(ReportError(problems, ExitCode.DELIVERY)))
    tried = len(outcome.sent) + len(outcome.failed) + len(outcome.untried)
    code = ExitCode.OK if outcome.complete else ExitCode.DELIVERY
    if outcome.interrupted:
        code = 130
    return Result(sent=len(outcome.sent), total=tried, already=outcome.already,
                  complete=outcome.complete, code=code)
