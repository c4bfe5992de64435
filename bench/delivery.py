"""Speed of `report email --readers` (not a test): medians over several runs.

Usage: python bench/delivery.py [--runs 5] [--readers 1000]
Reports: composing one reader's message, flattening it to bytes with the shared parts reused
(Envelope.flatten) and with the email package's plain generator, and a whole run to N readers
against an aiosmtpd server on 127.0.0.1 in another process (messages a second).
"""

from __future__ import annotations

import argparse
import io
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "inputs" / "russell-2000-bear-case.yaml"
SERVER = ("import sys, time; from aiosmtpd.controller import Controller\n"
          "class H:\n    async def handle_DATA(self, s, e, env): return '250 OK'\n"
          "c = Controller(H(), hostname='127.0.0.1', port=int(sys.argv[1])); c.start()\n"
          "print('up', flush=True); sys.stdin.read(); c.stop()\n")


def per_message(runs: int, name: str) -> dict[str, float]:
    from email.generator import BytesGenerator

    from report.brand.theme import load_theme
    from report.build import build_input
    from report.delivery import message
    from report.delivery.logo import logo_png

    theme = load_theme("meridian")
    built = build_input(SAMPLE, theme, write=False, changes=False)
    letter = message.prepare(built.report, built.pdf, built.pages, theme, "desk@meridian.example",
                             logo_png(theme, "meridian.example"))
    times: dict[str, list[float]] = {"compose": [], "flatten (shared parts)": [],
                                     "flatten (email package)": []}
    for _ in range(runs * 50):
        start = time.perf_counter()
        envelope = message.compose(letter, ["ann@example.com"], name=name)
        composed = time.perf_counter()
        envelope.flatten()  # the first flatten also picks the MIME boundaries: not timed below
        middle = time.perf_counter()
        envelope.flatten()
        end = time.perf_counter()
        BytesGenerator(io.BytesIO(), policy=envelope.message.policy.clone(linesep="\r\n")).flatten(
            envelope.message)
        times["compose"].append(composed - start)
        times["flatten (shared parts)"].append(end - middle)
        times["flatten (email package)"].append(time.perf_counter() - end)
    return {k: statistics.median(v) * 1000 for k, v in times.items()}


def whole_run(readers: int, runs: int) -> float:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = subprocess.Popen([sys.executable, "-c", SERVER, str(port)], stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, text=True)
    server.stdout.readline()
    rates = []
    try:
        for _ in range(runs):
            with tempfile.TemporaryDirectory() as tmp:
                listing = Path(tmp) / "readers.txt"
                listing.write_text("".join(f"r{i}@example.com\n" for i in range(readers)))
                env = {**os.environ, "REPORT_SMTP_HOST": "127.0.0.1", "REPORT_SMTP_PORT": str(port),
                       "REPORT_SMTP_SECURITY": "none", "REPORT_MAIL_FROM": "desk@meridian.example"}
                start = time.perf_counter()
                subprocess.run([sys.executable, "-m", "report", "email", str(SAMPLE), "--readers",
                                str(listing), "--pdf-out", tmp], env=env, check=True,
                               capture_output=True)
                rates.append(readers / (time.perf_counter() - start))
    finally:
        server.communicate("")
    return statistics.median(rates)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--readers", type=int, default=1000)
    args = parser.parse_args()
    for label, name in (("reader without a name", ""), ("reader with a name", "Ann Lee")):
        for step, ms in per_message(args.runs, name).items():
            print(f"{label:24s} {step:26s} {ms:6.2f} ms")
    print(f"whole run, {args.readers} readers (build included): "
          f"{whole_run(args.readers, args.runs):.0f} messages/s")


if __name__ == "__main__":
    main()
