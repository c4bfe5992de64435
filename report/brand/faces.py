"""One TTF file -> one reportlab font, under a given name, and with a face of its own.

reportlab keeps one font per face name (the PostScript name inside the file): registering a second
file of the same face name, such as another version of a brand's font in another brand, silently
gives the first file's glyphs and metrics. Such a file is given a face name of its own here; the same
file registered twice shares one. Both the building process and the chart helper register through
this function, so they measure and print the same glyphs.
"""

from __future__ import annotations

import filecmp
from pathlib import Path

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

_FACES: dict[bytes, Path] = {}  # face name -> the file registered under it


def register(name: str, path: Path):
    """Register the font file at `path` under `name`; returns the reportlab TTFont."""
    font = TTFont(name, str(path))
    face, n = font.face.name, 1
    while face in _FACES and not filecmp.cmp(_FACES[face], path, shallow=False):  # read only on a clash
        n += 1
        face = font.face.name + b"-" + str(n).encode()
    _FACES.setdefault(face, Path(path))
    font.face.name = face
    pdfmetrics.registerFont(font)
    return font
