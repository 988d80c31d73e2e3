"""A white image to draw a report chart on, at a print-friendly scale (QtGui only)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtGui import QColor, QImage, QPainter


def draw_on_white(width: float, height: float, scale: float,
                  paint: Callable[[QPainter], None]) -> QImage:
    """An image ``scale`` times ``width`` × ``height`` CSS pixels, white, with ``paint``
    drawing on it in CSS pixels (antialiased shapes and text)."""
    image = QImage(int(width * scale), int(height * scale), QImage.Format.Format_RGB32)
    image.fill(QColor("white"))
    p = QPainter(image)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    p.setRenderHint(QPainter.RenderHint.TextAntialiasing)
    p.scale(scale, scale)
    try:
        paint(p)
    finally:
        p.end()
    return image
