"""The process environment -> a pinned one: settings files and variables around the user can't steer a build.

reportlab, when first imported, runs any `reportlab_settings.py` it finds on the import path (the
working folder, with `python -m`), or else `~/.reportlab_settings`, and takes `RL_*` variables from
the environment; matplotlib reads a `matplotlibrc` from the working folder. Any of these could change
the PDF or weaken reportlab's safety settings (which hosts and URL schemes it may fetch from).

`isolate()` runs first thing in `report.cli.main`, before reportlab is imported: it puts an empty
`reportlab_settings` module in place (so no settings file is executed) and drops `RL_*` variables.
`pin_reportlab()` runs before each render: if reportlab was imported earlier by someone else (a
test, an embedding program), it restores every setting to reportlab's shipped defaults. matplotlib
is reset with `rcdefaults()` in report.charts. Importing this module imports neither library.
"""

from __future__ import annotations

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
        found = _find_settings_module()
        if found:
            ignored.append(found)
        stub = types.ModuleType(_STUB, "Empty on purpose: report never runs a reportlab_settings.py.")
        sys.modules[_STUB] = stub
    for name in sorted(os.environ):
        if name.startswith("RL_"):
            ignored.append(f"${name}")
            del os.environ[name]
    if os.path.isfile("matplotlibrc"):
        ignored.append(os.path.abspath("matplotlibrc"))  # charts reset every rc setting before drawing
    return ignored


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
