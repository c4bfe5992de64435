"""A built PDF -> a job on the system's print spooler (CUPS `lp`), with one clear error per failure.

`lp` is run without a shell, its arguments as a list; the printer name is checked first so that it
can never be read as an option. The PDF is sent at its own size (A4 or Letter media, no scaling), so
the 5 mm unprinted edge the layout keeps stays clear on office printers.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

from report.errors import Diagnostic, ExitCode, ReportError

LP_TIMEOUT = 60.0
MAX_COPIES = 99
MEDIA = {"a4": "A4", "letter": "Letter"}
_PRINTER = re.compile(r"^[^\s/#\\'\"-][^\s/#\\'\"]{0,126}$")
_JOB = re.compile(r"request id is (\S+)")


def _error(message: str, code: ExitCode, hint: str = "", where: str = "lp") -> ReportError:
    return ReportError([Diagnostic(where, 0, 0, message, hint=hint)], code)


def lp_command() -> str:
    """The `lp` program, or ReportError (exit code 6) when the machine has no print spooler."""
    path = shutil.which("lp")
    if path is None:
        raise _error("no print spooler: the `lp` command (CUPS) is not installed", ExitCode.SETTINGS,
                     "install CUPS (Debian: apt-get install cups cups-client), or build the PDF "
                     "with `report build` and print it yourself")
    return path


def check_printer(name: str) -> str:
    if not _PRINTER.match(name) or not name.isprintable():
        raise _error(f"'{name}' is not a printer name", ExitCode.USAGE,
                     "names have no spaces, '/', '#' or quotes and do not start with '-'; "
                     "list the printers with `lpstat -p`")
    return name


def lp_arguments(pdf: Path, *, printer: str | None, copies: int, paper: str, title: str) -> list[str]:
    if not 1 <= copies <= MAX_COPIES:
        raise _error(f"--copies must be from 1 to {MAX_COPIES}, got {copies}", ExitCode.USAGE)
    args = [lp_command()]
    if printer:
        args += ["-d", check_printer(printer)]
    safe_title = "".join(c for c in title if c.isprintable())[:120] or pdf.stem
    return args + ["-n", str(copies), "-o", f"media={MEDIA[paper]}", "-t", safe_title, "--", str(pdf)]


def print_pdf(pdf: Path, *, printer: str | None = None, copies: int = 1, paper: str = "a4",
              title: str = "", timeout: float = LP_TIMEOUT) -> str:
    """Queue `pdf` for printing; returns the spooler's job id. Raises ReportError on failure."""
    args = lp_arguments(pdf, printer=printer, copies=copies, paper=paper, title=title)
    try:
        done = subprocess.run(args, capture_output=True, text=True, timeout=timeout, check=False,
                              stdin=subprocess.DEVNULL)
    except subprocess.TimeoutExpired:
        raise _error(f"the print spooler did not answer within {timeout:g} s; nothing was printed",
                     ExitCode.DELIVERY, "is cupsd running? `lpstat -r` tells") from None
    except OSError as exc:
        raise _error(f"cannot run {args[0]}: {exc.strerror}", ExitCode.SETTINGS) from None
    if done.returncode != 0:
        if not scheduler_running():  # lp then blames the printer, which misleads
            raise _error("the CUPS scheduler is not running; nothing was printed", ExitCode.SETTINGS,
                         "start cupsd (e.g. `service cups start`); `lpstat -r` tells whether it runs")
        raise explain_lp(done.stderr or done.stdout, printer)
    match = _JOB.search(done.stdout)
    return match.group(1) if match else done.stdout.strip()


def scheduler_running() -> bool:
    """False only when `lpstat -r` says so: without lpstat, trust what lp itself said."""
    lpstat = shutil.which("lpstat")
    if lpstat is None:
        return True
    try:
        done = subprocess.run([lpstat, "-r"], capture_output=True, text=True, timeout=10,
                              stdin=subprocess.DEVNULL)
    except (OSError, subprocess.TimeoutExpired):
        return True
    return "not running" not in done.stdout + done.stderr


def explain_lp(output: str, printer: str | None) -> ReportError:
    """lp's own complaint, kept in its words, with the hint that fixes it."""
    said = " ".join(output.split()).removeprefix("lp:").strip() or "lp failed without a message"
    low = said.lower()
    if "does not exist" in low or "not found" in low:
        return _error(f"printer '{printer}' does not exist ({said})", ExitCode.DELIVERY,
                      "list the printers with `lpstat -p`")
    if "no default destination" in low:
        return _error(f"no printer given and the system has no default printer ({said})",
                      ExitCode.SETTINGS, "pass --printer NAME, or set a default with `lpoptions -d NAME`")
    if "scheduler" in low or "connect to server" in low or "connection refused" in low:
        return _error(f"the CUPS scheduler is not running ({said})", ExitCode.SETTINGS,
                      "start cupsd (e.g. `service cups start`); `lpstat -r` tells whether it runs")
    if "not accepting" in low:
        return _error(f"the printer is not accepting jobs ({said})", ExitCode.DELIVERY,
                      f"enable it with `cupsaccept {printer or 'NAME'}`")
    return _error(f"printing failed: {said}", ExitCode.DELIVERY)
