"""What a runner would call "does not fit": the checks behind tests/gui/test_fit.py (DESIGN §1.1).

A control or label is clipped when part of it lies outside one of its ancestors. Scrolling
areas may hide a widget vertically (that is what scrolling is for), never sideways; and a
horizontal scroll bar on show is a failure in itself.
"""

from __future__ import annotations

from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractScrollArea,
    QAbstractSpinBox,
    QComboBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QScrollBar,
    QTextEdit,
    QWidget,
)

CHECKED = (QAbstractButton, QAbstractSpinBox, QComboBox, QLineEdit, QLabel, QPlainTextEdit,
           QTextEdit)


def _describe(widget: QWidget) -> str:
    text = ""
    if isinstance(widget, QAbstractButton | QLabel):
        text = widget.text()
    name = widget.accessibleName() or widget.objectName()
    return f"{type(widget).__name__}({(text or name)[:40]!r})"


def _is_viewport(widget: QWidget) -> bool:
    parent = widget.parentWidget()
    return isinstance(parent, QAbstractScrollArea) and parent.viewport() is widget


def clipped(window: QWidget) -> list[str]:
    """Every visible control or label that lies partly outside what the window shows."""
    out: list[str] = []
    for widget in window.findChildren(QWidget):
        if not isinstance(widget, CHECKED) or not widget.isVisibleTo(window):
            continue
        if widget.width() <= 0 or widget.height() <= 0:
            continue
        if isinstance(widget.parentWidget(), QAbstractSpinBox | QComboBox):
            continue  # a spin box's own line edit
        rect = QRect(widget.mapTo(window, QPoint(0, 0)), widget.size())
        ancestor = widget.parentWidget()
        hidden_by_scrolling = False
        while ancestor is not None and ancestor is not window.parentWidget():
            area = QRect(ancestor.mapTo(window, QPoint(0, 0)), ancestor.size())
            if _is_viewport(ancestor):
                if not rect.intersects(area):
                    hidden_by_scrolling = True  # scrolled out of sight: fine
                    break
                if rect.left() < area.left() or rect.right() > area.right():
                    out.append(f"{_describe(widget)} cut sideways by a scrolling area")
                    break
                rect = rect.intersected(area)  # partly scrolled away: judge what shows
            elif not area.contains(rect):
                out.append(f"{_describe(widget)} at {rect.getRect()} outside "
                           f"{type(ancestor).__name__} {area.getRect()}")
                break
            ancestor = ancestor.parentWidget()
        if hidden_by_scrolling:
            continue
        if isinstance(widget, QAbstractButton) and widget.text():
            need = widget.minimumSizeHint().width()
            if widget.width() < need:
                out.append(f"{_describe(widget)} squeezed to {widget.width()} < {need} px")
    return out


def horizontal_scroll_bars(window: QWidget) -> list[str]:
    """The horizontal scroll bars on show (each means something does not fit sideways)."""
    return [f"horizontal scroll bar in {type(bar.parentWidget().parentWidget()).__name__}"
            for bar in window.findChildren(QScrollBar)
            if bar.orientation() == Qt.Orientation.Horizontal and bar.isVisibleTo(window)
            and bar.maximum() > bar.minimum()]


def fully_visible(widget: QWidget, window: QWidget) -> bool:
    """Whether all of ``widget`` is on show in ``window`` (not scrolled or cut away)."""
    if not widget.isVisibleTo(window):
        return False
    rect = QRect(widget.mapTo(window, QPoint(0, 0)), widget.size())
    ancestor = widget.parentWidget()
    while ancestor is not None and ancestor is not window.parentWidget():
        if not QRect(ancestor.mapTo(window, QPoint(0, 0)), ancestor.size()).contains(rect):
            return False
        ancestor = ancestor.parentWidget()
    return True
