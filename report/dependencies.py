"""An input -> every file its build reads: the input itself and its brand's files.

The one list of what a PDF depends on: `report watch` rebuilds an input when any of these changes,
and the brand cache reloads a brand whose files changed. A new kind of dependency (chart data in a
CSV file beside the input, a figure's image file) is added here, once.
"""

from __future__ import annotations

from pathlib import Path


def brand_files(brand_file: Path) -> list[Path]:
    """The brand file and every file in its folder (fonts, licences, logos), sorted."""
    folder = brand_file.parent
    return sorted({brand_file, *(p for p in folder.rglob("*") if p.is_file())})


_NAMED = {"image": "file", "chart": "data"}  # a block key -> its field naming a file beside the input


def named_files(source: Path) -> list[Path]:
    """The files beside it that an input names (a figure's image file, a chart's CSV data); none
    when it does not read."""
    from report.errors import ReportError
    from report.input.load import load_file

    try:
        data, _ = load_file(source)
    except (ReportError, OSError):
        return []
    found: list[Path] = []

    def walk(node) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                if key in _NAMED and isinstance(value, dict) and isinstance(value.get(_NAMED[key]), str):
                    found.append(source.parent / value[_NAMED[key]])
                walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(data)
    return found


def dependencies(source: Path, brand_file: Path | None) -> list[Path]:
    """The files a build of `source` with the brand in `brand_file` reads (None: no brand found)."""
    return [source, *named_files(source)] + (brand_files(brand_file) if brand_file is not None else [])


def fingerprint(paths: list[Path]) -> tuple:
    """Changes when any of the files is changed, replaced, added or removed."""
    out = []
    for path in paths:
        try:
            st = path.stat()
            out.append((str(path), st.st_mtime_ns, st.st_size, st.st_ino))
        except OSError:
            out.append((str(path), None))
    return tuple(out)
