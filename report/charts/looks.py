"""Series tones -> their looks: the one function that decides how each series of a chart (and each
row of a scenario table) is drawn, so that no two series of one chart look alike in colour or in
greyscale.

A series with the tone bear, base or bull takes that tone's look, the first time the tone occurs in
the chart; every other series (neutral, or a tone already taken) takes the next look of the brand's
ordered series palette. Each look has its own colour, dash, marker and hatch: the dashes, markers and
hatches are all different from one another, so two looks differ in pattern even where their colours
print as the same grey. Pure data: importing this module imports neither matplotlib nor reportlab.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

TONED = ("bear", "base", "bull")  # tones with a meaning of their own; neutral means "no tone"


@dataclass(frozen=True)
class Look:
    """How one series is drawn: a role or #RRGGBB colour, a matplotlib dash, a marker, a hatch (the
    angles of its white lines, in degrees; () is a plain fill)."""

    color: str
    dash: object
    marker: str
    hatch: tuple[int, ...]


TONE_LOOKS = {
    "bear": Look("bear", (0, (5, 2.2)), "v", (45,)),
    "base": Look("base", (0, (1.2, 1.6)), "o", (0,)),
    "bull": Look("bull", "solid", "^", ()),
}

# The series palette's patterns, in order; each differs from every tone's and from one another.
DASHES = ((0, (6, 2, 1, 2)), (0, (7, 1.6)), (0, (3, 1.4, 1, 1.4)), (0, (1.2, 1.6, 1.2, 4)), (0, (9, 1.8, 1.8, 1.8, 1.8, 1.8)),
          (0, (2.4, 1.4)), (0, (11, 3)), (0, (4, 1.5, 4, 4)), (0, (6, 1.5, 1.5, 1.5, 1.5, 4)),
          (0, (1, 3)), (0, (14, 2, 3, 2)), (0, (3, 3)))
MARKERS = ("s", "D", "P", "X", "<", ">", "p", "h", "*", "d", "8", "H", "1", "2")
HATCHES = ((90,), (135,), (0, 90), (45, 135), (0, 45), (90, 135), (0, 135), (45, 90), (0, 45, 90, 135),
           (0, 45, 135), (0, 90, 135), (45, 90, 135), (0, 45, 90))


def palette_look(series: Sequence[str], index: int) -> Look:
    """The `index`-th look of a brand's series palette (colours cycle; patterns cycle on their own
    periods, so the combination repeats only after thousands of series)."""
    return Look(series[index % len(series)], DASHES[index % len(DASHES)],
                MARKERS[index % len(MARKERS)], HATCHES[index % len(HATCHES)])


def looks(tones: Sequence[str], series: Sequence[str]) -> list[Look]:
    """The look of each series of one chart, from its tone and the brand's series palette."""
    taken: set[str] = set()
    out = []
    following = 0
    for tone in tones:
        if tone in TONED and tone not in taken:
            taken.add(tone)
            out.append(TONE_LOOKS[tone])
        else:
            out.append(palette_look(series, following))
            following += 1
    return out


def colour(theme, look: Look) -> str:
    """A look's colour as #RRGGBB under `theme` (a role name, or already a colour)."""
    return look.color if look.color.startswith("#") else theme.color(look.color)
