"""The app icon and the navigation icons, from ``resources/icons/`` (DESIGN.md §1.1).

The app icon is one SVG drawn for the app, with PNGs rendered from it (``make icons``) for the
sizes where a desktop or a tray wants a bitmap. The navigation icons are small line drawings in
the exercise illustrations' style. Icons are loaded when asked for and kept, so a view switch
never reads a file twice.
"""

from __future__ import annotations

import functools
import pathlib

from PySide6.QtGui import QIcon

from recoverydesk.core import shipped

APP_ICON_SIZES = (16, 24, 32, 48, 64, 128, 256, 512)


def icons_dir() -> pathlib.Path:
    """The folder the icons ship in (inside the installed package, or the bundle)."""
    return shipped.path("icons")


@functools.cache
def app_icon() -> QIcon:
    """The RecoveryDesk icon at every PNG size (bitmaps: no SVG plugin on the start path)."""
    folder = icons_dir()
    icon = QIcon()
    for size in APP_ICON_SIZES:
        png = folder / f"recoverydesk-{size}.png"
        if png.is_file():
            icon.addFile(str(png))
    return icon


@functools.cache
def nav_icon(view: str) -> QIcon:
    """The navigation list's icon for ``view`` (an empty icon when there is none).

    Bitmaps rendered from ``nav/<view>.svg`` by ``make icons``: no SVG code on the start path.
    The selected row gets the white twin, so it reads on the highlight colour.
    """
    folder = icons_dir() / "nav"
    icon = QIcon()
    for path, mode in ((folder / f"{view}.png", QIcon.Mode.Normal),
                       (folder / f"{view}-selected.png", QIcon.Mode.Selected)):
        if path.is_file():
            icon.addFile(str(path), mode=mode)
    return icon
