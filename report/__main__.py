"""`python -m report` and the `report` console script: the command line, importing only the tool's own code.

Python puts the working folder first on the import path for `python -m` (and an empty entry in
PYTHONPATH means the working folder too), so a `yaml.py`, `json.py` or `reportlab.py` there would be
imported instead of the real module and run. `own_import_path()` runs before anything else is
imported and drops those entries; the standard library and installed packages are found as usual.
Python processes the tool starts (the workers of `report build -j`) run in safe-path mode.
"""

import os
import sys


def own_import_path() -> list[str]:
    """Remove the working folder (as '', '.' or its path) from sys.path; returns what was removed."""
    try:
        here = os.path.realpath(os.getcwd())
    except OSError:  # the working folder was deleted: nothing can be imported from it anyway
        here = None
    dropped = [p for p in sys.path if p in ("", ".") or (here is not None and os.path.realpath(p) == here)]
    sys.path[:] = [p for p in sys.path if p not in dropped]
    os.environ["PYTHONSAFEPATH"] = "1"  # child interpreters (-c, -m) then skip the working folder too
    return dropped


def run() -> None:
    """The console script's entry point (and `python -m report`)."""
    own_import_path()
    from report.cli import main_entry

    main_entry()


if __name__ == "__main__":  # not when a worker process of `report build -j` imports the main module
    run()
