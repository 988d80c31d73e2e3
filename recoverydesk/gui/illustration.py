"""The exercise drawing on its card, shared by the Exercises view and the guided session."""

from __future__ import annotations

import functools

from PySide6.QtCore import QByteArray, QEvent, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QPainter, QPixmap
from PySide6.QtSvg import QSvgRenderer
from PySide6.QtWidgets import QSizePolicy, QWidget

from recoverydesk.core.exercises import Exercise, Library
from recoverydesk.gui.style import is_dark

CARD_LIGHT = QColor("#f3f5f8")
CARD_DARK = QColor("#dde2e8")
"""The illustration card. The drawings use mid-tone blue, orange and grey strokes meant for a
pale ground, so the card stays pale on a dark palette too (a touch dimmer, to avoid glare)."""


@functools.lru_cache(maxsize=64)
def _svg_bytes(path: str) -> bytes:
    with open(path, "rb") as file:
        return file.read()


class IllustrationCard(QWidget):
    """An exercise drawing on a neutral rounded card, sharp at any device pixel ratio.

    The SVG is rendered once per size and pixel ratio into a pixmap (painting an SVG on every
    repaint is slow), then drawn centred with its aspect ratio kept.
    """

    def __init__(self, minimum: QSize | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._svg: bytes | None = None
        self._cache_key: tuple[int, int, float, bool] | None = None
        self._pixmap = QPixmap()
        self.setMinimumSize(minimum or QSize(240, 160))
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setAccessibleName("Illustration")

    def set_svg(self, data: bytes | None, description: str = "") -> None:
        """Show this drawing (None: an empty card)."""
        self._svg = data
        self._cache_key = None
        self.setAccessibleDescription(description)
        self.setToolTip(description)
        self.update()

    def has_drawing(self) -> bool:
        return self._svg is not None

    def heightForWidth(self, width: int) -> int:  # overrides QWidget.heightForWidth
        return round(width * 2 / 3)

    def hasHeightForWidth(self) -> bool:  # overrides QWidget.hasHeightForWidth
        return True

    def sizeHint(self) -> QSize:  # overrides QWidget.sizeHint
        # As large as allowed: a layout then gives it its maximum when there is room.
        largest = self.maximumSize()
        return QSize(min(largest.width(), 560), min(largest.height(), 374))

    def paintEvent(self, event: QEvent) -> None:  # overrides QWidget.paintEvent
        del event
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        dark = is_dark(self.palette())
        card = QRectF(self.rect()).adjusted(0.5, 0.5, -0.5, -0.5)
        painter.setPen(QColor("#c9ced6") if not dark else Qt.PenStyle.NoPen)
        painter.setBrush(CARD_DARK if dark else CARD_LIGHT)
        painter.drawRoundedRect(card, 12, 12)
        pixmap = self._render(dark) if self._svg is not None else QPixmap()
        if not pixmap.isNull():
            ratio = pixmap.devicePixelRatio()
            x = (self.width() - pixmap.width() / ratio) / 2
            y = (self.height() - pixmap.height() / ratio) / 2
            painter.drawPixmap(round(x), round(y), pixmap)
        painter.end()

    def _render(self, dark: bool) -> QPixmap:
        ratio = self.devicePixelRatioF()
        key = (self.width(), self.height(), ratio, dark)
        if key == self._cache_key:
            return self._pixmap
        renderer = QSvgRenderer(QByteArray(self._svg or b""))
        if not renderer.isValid():
            self._pixmap = QPixmap()
        else:
            box = QSize(self.width() - 24, self.height() - 16)
            size = renderer.defaultSize().scaled(box, Qt.AspectRatioMode.KeepAspectRatio)
            pixmap = QPixmap(QSize(round(size.width() * ratio), round(size.height() * ratio)))
            pixmap.setDevicePixelRatio(ratio)
            pixmap.fill(Qt.GlobalColor.transparent)
            painter = QPainter(pixmap)
            painter.setRenderHint(QPainter.RenderHint.Antialiasing)
            renderer.render(painter, QRectF(0, 0, size.width(), size.height()))
            painter.end()
            self._pixmap = pixmap
        self._cache_key = key
        return self._pixmap


def illustration_bytes(library: Library, exercise: Exercise) -> bytes | None:
    """The SVG of an exercise, or None when the file cannot be read (the card stays empty
    rather than the view failing: the steps still say what to do)."""
    path = library.illustration_path(exercise)
    try:
        return _svg_bytes(str(path))
    except OSError:
        try:
            return path.read_bytes()
        except OSError:
            return None
