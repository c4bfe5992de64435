"""Options that several subcommands share, each with its help text, so they read the same everywhere."""

from __future__ import annotations

import argparse
from pathlib import Path

PAPERS = ("a4", "letter")
PAPER_NAMES = {"a4": "A4", "letter": "Letter"}


def add_inputs(p: argparse.ArgumentParser, what: str = "report input (YAML) to build") -> None:
    p.add_argument("inputs", nargs="+", type=Path, metavar="INPUT", help=f"{what}; several may be given")


def add_brand(p: argparse.ArgumentParser) -> None:
    p.add_argument("--brand", default=None, metavar="NAME|PATH",
                   help="the brand: a name, looked up in assets/brands/NAME of the input's repository, "
                   "then among the built-in brands (see `report brands`), or the path of a brand "
                   "folder (default: meridian)")


def add_paper(p: argparse.ArgumentParser) -> None:
    p.add_argument("--paper", type=str.lower, choices=PAPERS, default="a4",
                   help="paper size, A4 or Letter, in any case (default: A4)")


def add_build_options(p: argparse.ArgumentParser) -> None:
    """The options of `report build` that `report watch` takes as well."""
    p.add_argument("-o", "--out", type=Path, metavar="OUT", help="output folder (or a .pdf path "
                   "for one input); default: beside each input")
    add_brand(p)
    add_paper(p)
    p.add_argument("--no-changes", action="store_true", help="leave out the 'What changed since' "
                   "box and the probability history drawn from the input's git history")
    p.add_argument("--print-marks", action="store_true", help="add crop marks in a border around "
                   "each page and declare TrimBox/BleedBox, for a print shop")
