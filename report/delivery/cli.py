"""`report email` and `report print`: build each input's PDF, then mail it or hand it to the spooler.

Imports stay light at module level (argparse only): the parsers are registered on every run of
`report`, including the fast `report validate`.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from report.errors import Diagnostic, ExitCode, ReportError

DRY_RUN_SENDER = "report@localhost"


def register(sub) -> None:
    e = sub.add_parser("email", help="build each input and email it to its readers (SMTP)",
                       description="Build each input's PDF and email it: one message per input to "
                       "the --to/--cc/--bcc addresses, or one message per reader of a --readers "
                       "list, with a summary in plain text and HTML and the PDF attached. SMTP "
                       "settings come from REPORT_SMTP_* variables or ~/.config/report/smtp.ini "
                       "(README: Delivery). Options may come before or after the inputs.")
    e.add_argument("inputs", nargs="*", type=Path, metavar="INPUT", help="input YAML files")
    who = e.add_argument_group("recipients (--to, or --readers)")
    who.add_argument("--to", action="extend", nargs="+", metavar="ADDR", default=[],
                     help="send one message per input to these addresses")
    who.add_argument("--cc", action="extend", nargs="+", metavar="ADDR", default=[],
                     help="with --to: copy these addresses, shown to all")
    who.add_argument("--bcc", action="extend", nargs="+", metavar="ADDR", default=[],
                     help="with --to: copy these addresses, shown to no one")
    who.add_argument("--readers", type=Path, metavar="FILE",
                     help="send each reader in FILE a message of their own: one address per line, "
                     "or a .csv with an 'email' column and optionally 'name'")
    run = e.add_argument_group("sending to a reader list")
    run.add_argument("--journal", type=Path, metavar="FILE",
                     help="the delivery journal: who has which PDF, so a re-run sends only to "
                     "readers not reached (default: beside the PDF, X.delivery.jsonl)")
    run.add_argument("--rate", metavar="N/min", help="send at most N messages a minute (also N/s, "
                     "N/h; default: REPORT_SMTP_RATE, else as fast as the server accepts)")
    e.add_argument("--from", dest="sender", metavar="ADDR",
                   help="sender address (default: REPORT_MAIL_FROM or the config file's 'from')")
    e.add_argument("--dry-run", action="store_true",
                   help="write the messages as .eml files instead of sending; contacts no server")
    e.add_argument("-o", "--out", type=Path, help="with --dry-run: the .eml file (one input) or a "
                   "folder (one .eml per reader with --readers); default: beside each input")
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
                   "-o` (default: beside each input; a dry run writes none unless asked here)")
    p.add_argument("--no-changes", action="store_true",
                   help="leave out the 'What changed' box, as for `report build --no-changes`")


def _err(message: str) -> None:
    print(message, file=sys.stderr)


def _usage(message: str, hint: str = "") -> ReportError:
    return ReportError([Diagnostic("report", 0, 0, message, hint=hint)], ExitCode.USAGE)


def _gather_inputs(args) -> None:
    """`--to a@b.c inputs/x.yaml`: the greedy address list took the input; give it back."""
    for flag in ("to", "cc", "bcc"):
        values = getattr(args, flag)
        moved = [v for v in values if "@" not in v and v.lower().endswith((".yaml", ".yml"))]
        setattr(args, flag, [v for v in values if v not in moved])
        args.inputs += [Path(v) for v in moved]


def _check_args(args) -> None:
    from report.delivery.message import HeaderValueError, parse_address

    _gather_inputs(args)
    if not args.inputs:
        raise _usage("no INPUT given", "report email INPUT... --to ADDR... (or --readers FILE)")
    if args.readers and (args.to or args.cc or args.bcc):
        raise _usage("--readers sends each reader a message addressed to them alone; it does not "
                     "combine with --to, --cc or --bcc", "put every address in the reader list")
    if not args.readers and not args.to:
        raise _usage("no recipient: give --to ADDR... or --readers FILE")
    if args.journal and not args.readers:
        raise _usage("--journal records deliveries to a reader list; use it with --readers")
    if args.out is not None and not args.dry_run:
        raise _usage("-o/--out names the .eml file of --dry-run; use --pdf-out for the PDF")
    if args.readers and args.dry_run and (args.out is None or args.out.suffix.lower() == ".eml"):
        raise _usage("a dry run to a reader list writes one .eml per reader: name a folder with -o")
    if args.out is not None and args.out.suffix.lower() == ".eml" and len(args.inputs) > 1:
        raise _usage("-o names one .eml file but several inputs were given; name a folder instead")
    for flag in ("to", "cc", "bcc"):
        for text in getattr(args, flag):
            try:
                parse_address(text)
            except HeaderValueError as exc:
                raise _usage(f"--{flag}: {exc}") from None
    if args.rate is not None:
        from report.delivery.pace import parse_rate

        try:
            args.rate = parse_rate(args.rate)
        except ValueError as exc:
            raise _usage(f"--rate: {exc}") from None


def _sender(args, settings) -> str:
    from report.delivery.message import HeaderValueError, parse_address

    if args.sender:
        try:
            parse_address(args.sender)
        except HeaderValueError as exc:
            raise _usage(f"--from: {exc}") from None
        return args.sender
    sender = settings.sender if settings else ""
    if not sender and args.dry_run:
        _err(f"report: note: no sender is set, so the message says From: {DRY_RUN_SENDER}; a real "
             "send needs one: REPORT_MAIL_FROM, 'from' in the config file, or --from")
        return DRY_RUN_SENDER
    if not sender:
        raise ReportError([Diagnostic("report", 0, 0, "no sender address",
                                      hint="set REPORT_MAIL_FROM, 'from' in the config file, or "
                                      "pass --from")], ExitCode.SETTINGS)
    try:
        parse_address(sender)
    except HeaderValueError as exc:
        raise ReportError([Diagnostic(settings.origin, 0, 0, f"sender: {exc}")],
                          ExitCode.SETTINGS) from None
    return sender


def _prepare_email(args):
    """Everything that can fail before any build or connection: usage, readers, settings."""
    from report.commands.jobs import Themes
    from report.delivery import bulk, settings as mail_settings
    from report.delivery.logo import logo_png
    from report.delivery.mailing import Context
    from report.delivery.message import parse_address
    from report.delivery.readers import load_readers

    _check_args(args)
    readers = load_readers(args.readers) if args.readers else ()
    settings = mail_settings.load_settings(server=not args.dry_run)
    sender = _sender(args, settings)
    domain = parse_address(sender).domain
    themes, logos = Themes(), {}
    looks = {}
    for path in args.inputs:  # each input's brand, found as `report build` finds it (near the input)
        file, theme = themes.get(args.brand, path)
        if file not in logos:
            logos[file] = logo_png(theme, domain)
        looks[path] = (theme, logos[file])
    ctx = Context(args, settings, sender, looks, readers)
    if readers:  # one list: named after the first input's brand unless the settings name it
        ctx.list_id = settings.list_id or bulk.default_list_id(looks[args.inputs[0]][0].name, domain)
        if not (settings.unsubscribe_url or settings.unsubscribe_mailto):
            _err("report: warning: no unsubscribe link is set (REPORT_UNSUBSCRIBE_URL or "
                 "REPORT_UNSUBSCRIBE_MAILTO), so messages carry no List-Unsubscribe header; large "
                 "mail providers require one-click unsubscribe of bulk senders")
    return ctx


def _sending(ctx):
    from report.delivery.mailing import Sending
    from report.delivery.pace import Pacer
    from report.delivery.smtp import Mailer

    rate = ctx.args.rate if ctx.args.rate is not None else ctx.settings.rate
    pacer = Pacer(rate, ctx.settings.backoff)
    return Sending(Mailer(ctx.settings, on_temporary=lambda _exc: pacer.throttled() and ""), pacer)


def _batch_line(args, results: list, failed: list[Path]) -> str:
    verb = "written" if args.dry_run else "sent"
    sent, total = sum(r.sent for r in results), sum(r.total for r in results) + len(failed)
    line = f"email: {sent} of {total} messages {verb}"
    already = sum(r.already for r in results)
    if already:
        line += f" ({already} readers already had theirs)"
    if failed:
        line += f"; not {verb}: " + ", ".join(str(p) for p in failed)
    refused = [a for r in results for a in r.refused]
    if refused:
        line += "; refused recipients: " + ", ".join(refused)
    return line


def cmd_email(args) -> int:
    from report.delivery.mailing import email_input

    try:
        ctx = _prepare_email(args)
    except ReportError as exc:
        _err(str(exc))
        return exc.code
    if not args.dry_run:
        ctx.sending = _sending(ctx)
    code, results, failed = ExitCode.OK, [], []
    try:
        for path in args.inputs:
            try:
                result = email_input(path, ctx)
            except ReportError as exc:
                _err(str(exc))
                failed.append(path)
                code = max(code, exc.code)
                continue
            results.append(result)
            code = max(code, result.code)
    finally:
        if ctx.sending is not None:
            ctx.sending.mailer.close()
    if len(args.inputs) > 1 or failed or any(not r.complete for r in results):
        _err(_batch_line(args, results, failed))
    return code


def cmd_print(args) -> int:
    from report.build import build_input
    from report.delivery import printing
    from report.delivery.message import attachment_name
    from report.commands.jobs import Themes
    from report.numbers import counted

    try:
        printing.lp_command()
        if args.printer:
            printing.check_printer(args.printer)
        if not 1 <= args.copies <= printing.MAX_COPIES:
            raise _usage(f"--copies must be from 1 to {printing.MAX_COPIES}, got {args.copies}")
        themes = Themes()  # each input's brand, found as `report build` finds it; all before printing
        looks = {path: themes.get(args.brand, path)[1] for path in args.inputs}
    except ReportError as exc:
        _err(str(exc))
        return exc.code
    code = ExitCode.OK
    for path in args.inputs:
        try:
            built = build_input(path, looks[path], args.paper, args.pdf_out, changes=not args.no_changes)
            job = printing.print_pdf(built.target, printer=args.printer, copies=args.copies,
                                     paper=args.paper, title=attachment_name(built.report)[:-4])
        except ReportError as exc:
            _err(str(exc))
            code = max(code, exc.code)
            continue
        print(f"queued {built.target} as job {job} on {args.printer or 'the default printer'} "
              f"({counted(args.copies, 'copy', 'copies')}, {counted(built.pages, 'page')})")
    return code
