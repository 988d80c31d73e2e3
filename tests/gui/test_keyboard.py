"""Keyboard and screen readers (DESIGN §1.1): Tab walks each view in reading order, stops
only on things a runner can use, and every stop has a name a screen reader can say."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtGui import QAccessible
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QFrame,
    QLineEdit,
    QPlainTextEdit,
    QScrollArea,
    QSplitter,
    QStackedWidget,
    QWidget,
)

from recoverydesk.gui.mainwindow import VIEW_NAMES, MainWindow

pytestmark = pytest.mark.gui

DEAD_STOPS = (QScrollArea, QStackedWidget, QSplitter)
"""Containers that, when Tab stops on them, leave the runner on nothing they can use."""
INPUTS = (QAbstractSpinBox, QComboBox, QLineEdit, QPlainTextEdit)
"""Fields a runner fills in: each also says what it wants (its description)."""


@pytest.fixture
def window(qtbot, demo_window: MainWindow) -> MainWindow:
    demo_window.resize(1920, 1040)  # room for everything, so positions are not scrolled away
    demo_window.show()
    qtbot.waitExposed(demo_window)
    demo_window.activateWindow()
    qtbot.waitUntil(demo_window.isActiveWindow)
    return demo_window


def spoken_name(widget: QWidget) -> str:
    """What a screen reader says for ``widget``: its accessible name, text or buddy label."""
    interface = QAccessible.queryAccessibleInterface(widget)
    return interface.text(QAccessible.Text.Name).strip() if interface is not None else ""


def tab_chain(qtbot, window: MainWindow) -> list[QWidget]:
    """Every widget Tab stops at, from the view list round to it again."""
    window.nav.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.waitUntil(window.nav.hasFocus)
    chain: list[QWidget] = []
    for _ in range(300):
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        widget = QApplication.focusWidget()
        if widget is window.nav or widget is None:
            return chain
        if chain and widget is chain[-1]:
            continue  # a date field's Tab moves through its day, month and year first
        assert widget not in chain, f"Tab goes round without reaching the view list: {chain}"
        chain.append(widget)
    raise AssertionError("Tab never came back to the view list")


def _rect(widget: QWidget, window: QWidget) -> QRect:
    return QRect(widget.mapTo(window, QPoint(0, 0)), widget.size())


@pytest.mark.parametrize("name", VIEW_NAMES)
def test_tab_walks_the_view_in_reading_order_with_names(qtbot, window: MainWindow,
                                                        name: str) -> None:
    view = window.show_view(name)
    qtbot.wait(20)
    places = {w: _rect(w, window) for w in view.findChildren(QWidget)}
    chain = tab_chain(qtbot, window)
    assert chain, f"Tab never enters the {name} view"
    problems: list[str] = []
    for widget in chain:
        label = f"{type(widget).__name__} {spoken_name(widget)!r}"
        if type(widget) in DEAD_STOPS or type(widget) in (QWidget, QFrame):
            problems.append(f"dead stop on {label}")
        elif not view.isAncestorOf(widget):
            problems.append(f"stop outside the view: {label}")
        elif not spoken_name(widget):
            problems.append(f"no accessible name: {type(widget).__name__}")
        elif isinstance(widget, INPUTS) and not (widget.accessibleDescription()
                                                 or widget.toolTip()):
            problems.append(f"input without a description: {label}")
    for before, after in zip(chain, chain[1:], strict=False):
        a, b = places.get(before), places.get(after)
        if a is None or b is None:
            continue
        # Reading order: the next stop is on the same line or below, or starts a column to
        # the right. Going up and to the left is going backwards.
        backwards = b.bottom() < a.top() and b.left() < a.right()
        if backwards:
            problems.append(f"backwards: {spoken_name(before)!r} → {spoken_name(after)!r}")
    assert problems == []


def test_alt_arrows_move_the_log_between_days(qtbot, window: MainWindow) -> None:
    log = window.show_view("log")
    log.pain_spin.setFocus()
    qtbot.waitUntil(log.pain_spin.hasFocus)
    day = log.day
    qtbot.keyClick(log.pain_spin, Qt.Key.Key_Left, Qt.KeyboardModifier.AltModifier)
    assert log.day == day - dt.timedelta(days=1)
    assert log.date_edit.date().toPython() == log.day
    qtbot.keyClick(log.pain_spin, Qt.Key.Key_Right, Qt.KeyboardModifier.AltModifier)
    assert log.day == day
    assert not log.next_button.isEnabled()  # today: nothing after it to show
    qtbot.mouseClick(log.previous_button, Qt.MouseButton.LeftButton)
    assert log.day == day - dt.timedelta(days=1)
    assert log.next_button.isEnabled()
