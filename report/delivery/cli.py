"""`report email` and `report print`: build each input's PDF, then mail it or hand it to the spooler.

Imports stay light at module level (argparse only): the parsers are registered on every run of
`report`, including the fast `report validate`.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from report.errors import Diagnostic, ExitCode, ReportError

DRY_RUN_SENDER = "report@localhost"


def register(sub) -> None:
    e = sub.add_parser("email", help="build each input and email it to its readers (SMTP)",
                       description="Build each input's PDF and send one message per input: a "
                       "summary in plain text and HTML, the PDF attached. SMTP settings come from "
                       "REPORT_SMTP_* variables or ~/.config/report/smtp.ini (README: Delivery).")
    e.add_argument("inputs", nargs="+", type=Path, metavar="INPUT",
                   help="report input (YAML) to build and send; one message per input")
    e.add_argument("--to", action="extend", nargs="+", required=True, metavar="ADDR", default=[],
                   help="recipient address(es), e.g. reader@example.com or 'Ann Lee <ann@example.com>'")
    e.add_argument("--cc", action="extend", nargs="+", metavar="ADDR", default=[],
                   help="copy recipient address(es)")
    e.add_argument("--bcc", action="extend", nargs="+", metavar="ADDR", default=[],
                   help="blind copy recipient address(es), never written into the message")
    e.add_argument("--from", dest="sender", metavar="ADDR",
                   help="sender address (default: REPORT_MAIL_FROM or the config file's 'from')")
    e.add_argument("--dry-run", action="store_true",
                   help="write the message as an .eml file instead of sending; contacts no server")
    e.add_argument("-o", "--out", type=Path, help="with --dry-run: the .eml file (one input) or "
                   "a folder; default: beside each input")
    _common(e)
    e.set_defaults(func=cmd_email)

    p = sub.add_parser("print", help="build each input and send it to a printer (CUPS lp)")
    p.add_argument("inputs", nargs="+", type=Path, metavar="INPUT",
                   help="report input (YAML) to build and print")
    p.add_argument("--printer", help="CUPS queue name (default: the system's default printer)")
    p.add_argument("--copies", type=int, default=1, help="number of copies, 1 to 99 (default: 1)")
    _common(p)
    p.set_defaults(func=cmd_print)


def _common(p: argparse.ArgumentParser) -> None:
    p.add_argument("--brand", default=None, help="brand name or folder, as for `report build` "
                   "(default: meridian)")
    p.add_argument("--paper", type=str.lower, choices=("a4", "letter"), default="a4",
                   help="paper size, A4 or Letter, in any case (default: A4)")
    p.add_argument("--pdf-out", type=Path, help="where the PDF is written, as for `report build "
                   "-o` (default: beside each input)")
    p.add_argument("--no-changes", action="store_true",
                   help="leave out the 'What changed' box, as for `report build --no-changes`")


def _err(message: str) -> None:
    print(message, file=sys.stderr)


def _usage(message: str) -> ReportError:
    return ReportError([Diagnostic("report", 0, 0, message)], ExitCode.USAGE)


def _check_addresses(args) -> None:
    from report.delivery.message import HeaderValueError, parse_address

    for flag in ("to", "cc", "bcc"):
        for text in getattr(args, flag):
            try:
                parse_address(text)
            except HeaderValueError as exc:
                raise _usage(f"--{flag}: {exc}") from None


def _sender(args, settings) -> str:
    sender = args.sender or (settings.sender if settings else "") or \
        os.environ.get("REPORT_MAIL_FROM", "")
    if not sender and args.dry_run:
        return DRY_RUN_SENDER
    if not sender:
        raise ReportError([Diagnostic("report", 0, 0, "no sender address",
                                      hint="set REPORT_MAIL_FROM, 'from' in the config file, or "
                                      "pass --from")], ExitCode.SETTINGS)
    from report.delivery.message import HeaderValueError, parse_address

    try:
        parse_address(sender)
    except HeaderValueError as exc:
        raise ReportError([Diagnostic("report", 0, 0, f"sender: {exc}")], ExitCode.SETTINGS) from None
    return sender


def _eml_path(source: Path, out: Path | None) -> Path:
    name = source.stem + ".eml"
    if out is None:
        return source.with_name(name)
    return out if out.suffix.lower() == ".eml" else out / name


def _prepare_email(args):
    """Everything that can fail before any build or connection: usage, addresses, settings."""
    from report.delivery import smtp
    from report.brand.theme import DEFAULT_BRAND, load_theme

    if args.out is not None and not args.dry_run:
        raise _usage("-o/--out names the .eml file of --dry-run; use --pdf-out for the PDF")
    if args.out is not None and args.out.suffix.lower() == ".eml" and len(args.inputs) > 1:
        raise _usage("-o names one .eml file but several inputs were given; name a folder instead")
    _check_addresses(args)
    settings = None
    if not args.dry_run:
        settings = smtp.load_settings()
    sender = _sender(args, settings)
    return settings, sender, load_theme(args.brand or DEFAULT_BRAND)


def cmd_email(args) -> int:
    try:
        settings, sender, theme = _prepare_email(args)
    except ReportError as exc:
        _err(str(exc))
        return exc.code
    code, sent, failed = ExitCode.OK, [], []
    for path in args.inputs:
        try:
            sent.append((path, _email_one(path, args, settings, sender, theme)))
        except ReportError as exc:
            _err(str(exc))
            failed.append((path, exc))
            code = max(code, exc.code)
    if len(args.inputs) > 1 or failed:
        verb = "written" if args.dry_run else "sent"
        _err(f"email: {len(sent)} of {len(args.inputs)} messages {verb}"
             + (f"; not {verb}: " + ", ".join(str(p) for p, _ in failed) if failed else ""))
    return code


def _email_one(path: Path, args, settings, sender: str, theme) -> str:
    from report.build import build_input, write_atomic
    from report.delivery import message, smtp

    built = build_input(path, theme, args.paper, args.pdf_out, changes=not args.no_changes)
    try:
        envelope = message.compose(built.report, built.pdf, built.pages, theme, sender,
                                   args.to, args.cc, args.bcc)
    except message.HeaderValueError as exc:
        raise ReportError([Diagnostic(str(path), 0, 0, str(exc), "title")]) from None
    if len(built.pdf) > message.MAX_ATTACHMENT_BYTES:
        _err(f"report: warning: {path}: the PDF is {len(built.pdf) / 1e6:.1f} MB, over the "
             f"{message.MAX_ATTACHMENT_BYTES / 1e6:g} MB budget for an attachment; some servers "
             "refuse messages this large")
    if args.dry_run:
        target = _eml_path(path, args.out)
        try:
            write_atomic(target, bytes(envelope.message))
        except OSError as exc:
            raise ReportError([Diagnostic(str(target), 0, 0, f"cannot write the message: "
                                          f"{exc.strerror}")], ExitCode.OUTPUT_ERROR) from None
        print(f"wrote {target} (dry run, nothing sent): {envelope.message['Subject']!s} for "
              f"{len(envelope.recipients)} recipient(s)" + (", Bcc not shown in the file"
                                                             if args.bcc else ""))
        return str(target)
    try:
        result = smtp.send(envelope, settings)
    except smtp.DeliveryError as exc:
        raise smtp.DeliveryError(f"not sent: {exc.message}", exc.diagnostics[0].hint, str(path),
                                 exc.code) from None
    accepted = [r for r in envelope.recipients if r not in result.refused]
    print(f"sent {path} to {', '.join(accepted)} via {settings.where}: {result.reply}")
    if result.refused:
        refused = "; ".join(f"{a}: {c} {smtp.reply_text(m)}" for a, (c, m) in result.refused.items())
        raise smtp.DeliveryError(f"sent, but the server refused some recipients: {refused}",
                                 "check those addresses; the others got the message", str(path))
    return result.reply


def cmd_print(args) -> int:
    from report.build import build_input
    from report.delivery import printing
    from report.delivery.message import attachment_name
    from report.brand.theme import DEFAULT_BRAND, load_theme

    try:
        printing.lp_command()
        if args.printer:
            printing.check_printer(args.printer)
        if not 1 <= args.copies <= printing.MAX_COPIES:
            raise _usage(f"--copies must be from 1 to {printing.MAX_COPIES}, got {args.copies}")
        theme = load_theme(args.brand or DEFAULT_BRAND)
    except ReportError as exc:
        _err(str(exc))
        return exc.code
    code = ExitCode.OK
    for path in args.inputs:
        try:
            built = build_input(path, theme, args.paper, args.pdf_out, changes=not args.no_changes)
            job = printing.print_pdf(built.target, printer=args.printer, copies=args.copies,
                                     paper=args.paper, title=attachment_name(built.report)[:-4])
        except ReportError as exc:
            _err(str(exc))
            code = max(code, exc.code)
            continue
        print(f"queued {built.target} as job {job} on {args.printer or 'the default printer'} "
              f"({args.copies} cop{'y' if args.copies == 1 else 'ies'}, {built.pages} pages)")
    return code
