"""Colours and fonts shared by the views, chosen to read on light and dark palettes alike.

Phase colours are mid-tone hues (distinct for the common colour-blindnesses: blue, teal,
yellow-orange, purple, grey-green) used as fills under dark or light text by lightness.
"""

from __future__ import annotations

from typing import Any, cast

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QFont, QPainter, QPaintEvent, QPalette, QPen
from PySide6.QtWidgets import (
    QApplication,
    QFrame,
    QLabel,
    QLayout,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

PHASE_COLOURS: dict[str, str] = {
    "rest": "#7aa6d6",
    "walk": "#5fb3a1",
    "low_impact": "#e0b04f",
    "run": "#b08ad8",
    "full": "#9aa58a",
}


def is_dark(palette: QPalette | None = None) -> bool:
    """Whether the current palette is a dark one (window darker than its text)."""
    palette = palette or QApplication.palette()
    return palette.color(QPalette.ColorRole.Window).lightness() < palette.color(
        QPalette.ColorRole.WindowText).lightness()


def phase_colour(phase: str, *, future: bool = False) -> QColor:
    """A phase's fill; projected (future) days get a lighter, see-through tone."""
    colour = QColor(PHASE_COLOURS.get(phase, "#999999"))
    if future:
        colour.setAlpha(90)
    return colour


def error_colour(palette: QPalette) -> QColor:
    """A red that reads as a warning yet stays legible on light and dark windows.

    Pass a palette whose WindowText is not overridden (a parent's), so darkness is judged right.
    """
    return QColor("#ff8a80") if is_dark(palette) else QColor("#b3261e")


def muted_colour(palette: QPalette) -> QColor:
    """Secondary text and hints: the text colour two-thirds of the way to the background,
    which keeps enough contrast on light and dark palettes alike."""
    text = palette.color(QPalette.ColorRole.WindowText)
    back = palette.color(QPalette.ColorRole.Window)
    return QColor(
        round(text.red() * 0.68 + back.red() * 0.32),
        round(text.green() * 0.68 + back.green() * 0.32),
        round(text.blue() * 0.68 + back.blue() * 0.32),
    )


def caution_style(palette: QPalette) -> str:
    """The calm caution box: a soft amber tint and a left rule, not an alarming red, because
    these are reminders ("stop if it aches"), not warnings of danger."""
    if is_dark(palette):
        back, rule = "#3a3324", "#d9a441"
    else:
        back, rule = "#fdf5e4", "#d9a441"
    return (f"background: {back}; border: none; border-left: 4px solid {rule};"
            "border-radius: 6px; padding: 8px 12px;")


def card_layout(card: QFrame) -> QVBoxLayout:
    """Frame ``card`` as Today's boxes are framed and give it their column, so boxes that
    stand side by side (the check-in, the ladder, the gate…) line up."""
    card.setFrameShape(QFrame.Shape.StyledPanel)
    em = card.fontMetrics().height()
    lay = QVBoxLayout(card)
    lay.setContentsMargins(em, round(em * 0.7), em, em)
    lay.setSpacing(round(em * 0.5))
    return lay


def scaled_font(widget: QWidget, factor: float, *, bold: bool = False) -> QFont:
    """The widget's font scaled from the application's, so the user's font size is honoured."""
    font = QFont(widget.font())
    font.setPointSizeF(max(6.0, font.pointSizeF() * factor))
    font.setBold(bold)
    return font


RED_BG, RED_FG = "#a4262c", "#ffffff"
AMBER_BG, AMBER_FG, AMBER_EDGE = "#fff3cd", "#4d3800", "#d9a400"
"""Box colours are set together with their text colour, so they read in light and dark themes:
red for a pause that needs care now, amber for warnings, notices and a hold."""


def clear_layout(layout: QLayout) -> None:
    """Take every widget out of ``layout`` and delete it, hidden at once so nothing flickers
    until the deletion happens at the next turn of the event loop."""
    while layout.count():
        item = layout.takeAt(0)
        widget = item.widget() if item is not None else None
        if widget is not None:
            widget.hide()
            widget.deleteLater()


# --- legibility (DESIGN §1.1: text ≥ 4.5:1, control borders ≥ 3:1, a visible focus) -----------

SELECTABLE_LATER = "selectableLater"
"""The property that marks a label whose text may be selected once its page allows it."""


def selectable_later(label: QLabel) -> QLabel:
    """Mark ``label`` as text the runner may select with the mouse, once its page allows it:
    a selectable label lays its text out as a whole document, which makes a page of them
    markedly slower to show (Today allows it just after its first frame; docs/performance.md)."""
    label.setProperty(SELECTABLE_LATER, True)
    return label


def allow_selection(page: QWidget) -> None:
    """Let the runner select the text of every label in ``page`` marked ``selectable_later``."""
    for label in page.findChildren(QLabel):
        if label.property(SELECTABLE_LATER) and not (
                label.textInteractionFlags() & Qt.TextInteractionFlag.TextSelectableByMouse):
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)


def relative_luminance(colour: QColor) -> float:
    """WCAG 2.1's relative luminance of an sRGB colour."""
    def channel(value: float) -> float:
        return value / 12.92 if value <= 0.04045 else ((value + 0.055) / 1.055) ** 2.4
    return (0.2126 * channel(colour.redF()) + 0.7152 * channel(colour.greenF())
            + 0.0722 * channel(colour.blueF()))


def contrast(first: QColor, second: QColor) -> float:
    """WCAG 2.1's contrast ratio of two colours, from 1 (none) to 21 (black on white)."""
    high, low = sorted((relative_luminance(first), relative_luminance(second)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def control_border_colour(palette: QPalette) -> QColor:
    """The edge of a check box: the muted text colour, which stands out from the window and
    from the box's own fill by at least 3:1 in the light and the dark palette."""
    return muted_colour(palette)


def install_check_box_edges(app: QApplication) -> None:
    """Give every check box an edge of ``control_border_colour`` (WCAG 2.1: 3:1 for controls).

    Fusion draws a check box's edge in the box's palette's ``Window`` colour darkened by 140 %:
    about 1.65:1 on the light palette, 1.2:1 on the dark one. A palette for the ``QCheckBox``
    class alone, whose ``Window`` is the edge colour lightened by as much, has Fusion draw the
    edge colour itself, with nothing of ours running while it paints (a Python ``QProxyStyle``
    did the same for 20 ms of start-up, DESIGN §10). Call again when the app's palette changes.
    """
    palette = QPalette(app.palette())
    palette.setColor(QPalette.ColorRole.Window,
                     control_border_colour(app.palette()).lighter(140))
    # PySide6's stubs say bytes for the class name; it takes (only) a str.
    app.setPalette(palette, cast(Any, "QCheckBox"))


class FlatButton(QPushButton):
    """A flat push button ("How to…") with a focus ring, which Fusion draws only on raised
    buttons (WCAG 2.1: the keyboard's place must be visible)."""

    def __init__(self, text: str, parent: QWidget | None = None) -> None:
        super().__init__(text, parent)
        self.setFlat(True)

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - overrides QPushButton
        super().paintEvent(event)
        if self.hasFocus():
            painter = QPainter(self)
            painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
            painter.setPen(QPen(self.palette().color(QPalette.ColorRole.Highlight), 2))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRoundedRect(QRectF(self.rect()).adjusted(1, 1, -1, -1), 3, 3)
            painter.end()
