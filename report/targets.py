"""An input's path and the `-o` option -> the path of its PDF (light: no renderer is imported)."""

from __future__ import annotations

from pathlib import Path


def output_path(source: Path, out: Path | None, paper: str, many_papers: bool = False) -> Path:
    """INPUT.yaml -> OUT/INPUT.pdf (or OUT itself when it names a .pdf file)."""
    name = source.stem + (f"-{paper}" if many_papers else "") + ".pdf"
    if out is None:
        return source.with_name(name)
    if out.suffix.lower() == ".pdf":
        return out
    return out / name
