"""The day markers, one meaning everywhere (DESIGN §1.1): Today, Calendar, Charts and report.

Each marker differs in shape as well as colour (the Okabe–Ito hues, distinct for the common
colour-blindnesses), so nothing rests on hue alone. Qt-free: the report's renderer and the
window read the same table.
"""

from __future__ import annotations

import dataclasses


@dataclasses.dataclass(frozen=True, slots=True)
class Marker:
    """How one kind of event on a day is drawn and named."""

    symbol: str
    words: str
    light: str
    """Colour on a light background."""
    dark: str
    """Colour on a dark background."""


MARKERS: dict[str, Marker] = {
    "flag": Marker("◆", "red flag", "#D55E00", "#FF6B4A"),
    "advance": Marker("▲", "advanced", "#009E73", "#2FD3A0"),
    "regression": Marker("▼", "stepped back", "#CC79A7", "#E79BC6"),
    "clearance": Marker("✓", "cleared", "#0072B2", "#56B4E9"),
}
