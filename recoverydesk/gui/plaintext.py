"""User text shown where Qt would read HTML (issue #17: tooltips, rich-text labels).

Qt renders a tooltip as rich text whenever it *looks* like HTML, so a note such as
``<img src="file:///…" width=20000>`` would load a local file or draw a 20,000-pixel tooltip.
Every user-supplied string shown in a tooltip goes through :func:`plain_tooltip`: escaped and
wrapped so that Qt shows it literally, and shortened so no tooltip covers the screen.
"""

from __future__ import annotations

import html

TOOLTIP_CHARS = 600
"""A tooltip is a glance; the full note is in the Log."""


def plain_tooltip(text: str | None) -> str | None:
    """``text`` as a tooltip Qt shows exactly as written (None or empty: no tooltip)."""
    if not text:
        return None
    if len(text) > TOOLTIP_CHARS:
        text = text[:TOOLTIP_CHARS - 1] + "…"
    escaped = html.escape(text, quote=False).replace("\n", "<br>")
    return f"<qt style='white-space:pre-wrap'>{escaped}</qt>"


def escaped(text: str) -> str:
    """``text`` for a rich-text label: shown literally."""
    return html.escape(text, quote=False)
