"""The paths of a loaded YAML document: ('sections', 0, 'blocks', 2) for every node, in order."""

from __future__ import annotations


def paths(data, path: tuple = ()):
    """Every node's path, the document's own `()` first."""
    yield path
    if isinstance(data, dict):
        for k, v in data.items():
            yield from paths(v, path + (k,))
    elif isinstance(data, list):
        for i, v in enumerate(data):
            yield from paths(v, path + (i,))


def positions(data) -> list[tuple]:
    """One path per schema position: list items after the first stand for the same place."""
    seen, out = set(), []
    for path in paths(data):
        shape = tuple("[]" if isinstance(p, int) else p for p in path)
        if path and shape not in seen:
            out.append(path)
        seen.add(shape)
    return out
