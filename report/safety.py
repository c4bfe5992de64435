"""The process environment -> a pinned one: settings files and variables around the user can't steer a build.

reportlab, when first imported, runs any `reportlab_settings.py` it finds on the import path (the
working folder, with `python -m`), or else `~/.reportlab_settings`, and takes `RL_*` variables from
the environment; matplotlib reads a `matplotlibrc` from the working folder. Any of these could change
the PDF or weaken reportlab's safety settings (which hosts and URL schemes it may fetch from).

`isolate()` runs first thing in `report.cli.main`, before reportlab is imported: it puts an empty
`reportlab_settings` module in place (so no settings file, nor `~/.reportlab_settings`, is executed)
and drops `RL_*`, `MATPLOTLIBRC` and `MPLBACKEND` variables, naming everything it ignored.
matplotlib is imported from a neutral folder (`away_from_settings`), so a `matplotlibrc` beside the
user is never even opened.
`pin_reportlab()` runs before each render: if reportlab was imported earlier by someone else (a
test, an embedding program), it restores every setting to reportlab's shipped defaults. matplotlib
is reset with `rcdefaults()` in report.charts. Importing this module imports neither library.
"""

from __future__ import annotations

import contextlib
import copy
import importlib.util
import os
import sys
import types

_STUB = "reportlab_settings"
_PATH_SETTINGS = ("T1SearchPath", "TTFSearchPath", "CMapSearchPath")  # only for fonts we never look up


def isolate() -> list[str]:
    """Neutralise reportlab/matplotlib settings from the environment; returns what was ignored."""
    ignored = []
    if _STUB not in sys.modules:
        found = _find_settings_module()  # the working folder is off the import path already
        for path in (found, os.path.abspath("reportlab_settings.py")):
            if path and os.path.lexists(path) and path not in ignored:
                ignored.append(path)
        stub = types.ModuleType(_STUB, "Empty on purpose: report never runs a reportlab_settings.py.")
        sys.modules[_STUB] = stub
        home = os.path.expanduser(os.path.join("~", ".reportlab_settings"))
        if os.path.lexists(home):
            ignored.append(home)  # reportlab reads it only when no reportlab_settings module exists
    rc_files = _matplotlibrc_files()  # before $MATPLOTLIBRC goes: it names one of them
    for name in sorted(os.environ):
        if name.startswith("RL_") or name in _MPL_VARIABLES:
            ignored.append(f"${name}")
            del os.environ[name]
    ignored.extend(path for path in rc_files if path not in ignored)
    return ignored


# MATPLOTLIBRC names an rc file matplotlib would read (a FIFO there would hang its import);
# MPLBACKEND with an unknown name makes its import fail. Charts need neither.
_MPL_VARIABLES = ("MATPLOTLIBRC", "MPLBACKEND")


def _matplotlibrc_files() -> list[str]:
    """The matplotlibrc files matplotlib would find around the user; charts reset every rc setting
    (report.charts.style) and matplotlib is imported away from the working folder."""
    config = os.environ.get("MPLCONFIGDIR") or os.path.join(
        os.environ.get("XDG_CONFIG_HOME") or os.path.expanduser(os.path.join("~", ".config")), "matplotlib")
    rc = os.environ.get("MATPLOTLIBRC")
    candidates = ["matplotlibrc"] + ([rc, os.path.join(rc, "matplotlibrc")] if rc else []) + \
        [os.path.join(config, "matplotlibrc")]
    return [os.path.abspath(p) for p in candidates if os.path.lexists(p) and not os.path.isdir(p)]


@contextlib.contextmanager
def away_from_settings():
    """Import matplotlib from a neutral working folder: it reads `./matplotlibrc` on import, and a
    FIFO or device of that name there would block it forever. Single-threaded use only."""
    try:
        here = os.getcwd()
    except OSError:
        yield
        return
    os.chdir(os.path.dirname(os.path.abspath(__file__)))  # the package folder holds no matplotlibrc
    try:
        yield
    finally:
        os.chdir(here)


def _find_settings_module() -> str | None:
    try:
        spec = importlib.util.find_spec(_STUB)  # locates the file without running it
    except (ImportError, ValueError):
        return None
    return spec.origin if spec is not None and spec.origin else None


def pin_reportlab() -> list[str]:
    """Put every reportlab setting back to its shipped default; returns the names that had changed."""
    from reportlab import rl_config, rl_settings

    changed = []
    for name in rl_config._SAVED:
        if name in _PATH_SETTINGS or not hasattr(rl_settings, name):
            continue
        default = getattr(rl_settings, name)
        if name == "defaultPageSize":
            continue  # a tuple in rl_config, a name in rl_settings; every page size is set explicitly
        if name in ("trustedHosts", "trustedSchemes") and isinstance(default, str):
            default = [part.strip() for part in default.split(",") if part.strip()]
        if name.endswith("Glob"):
            default = (default or "").split()
        if getattr(rl_config, name) != default:
            changed.append(name)
            setattr(rl_config, name, copy.deepcopy(default))
    return changed
