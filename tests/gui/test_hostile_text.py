"""User text where Qt reads HTML (issue #17): shown literally, never rendered."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QTextDocument

from recoverydesk.core.model import DayLog
from recoverydesk.gui.history import HistoryView
from recoverydesk.gui.plaintext import TOOLTIP_CHARS, plain_tooltip

pytestmark = pytest.mark.gui

HOSTILE_NOTES = [
    '<img width=20000 height=20000 src="x">',
    '<img src="file:///etc/passwd">',
    "<b>bold</b> & <i>more</i>\nsecond line",
    "<qt><table><tr><td>" * 50,
    "x" * 5000,
]


def _rendered(tooltip: str) -> QTextDocument:
    doc = QTextDocument()
    doc.setHtml(tooltip)
    return doc


@pytest.mark.parametrize("note", HOSTILE_NOTES)
def test_history_notes_tooltip_shows_the_note_as_text(qtbot, session, note: str) -> None:
    day = dt.date(2026, 3, 5)
    session.save_day(DayLog(day, 3, notes=note))
    view = HistoryView(session)
    qtbot.addWidget(view)
    model = view.entries_model
    notes_column = next(i for i in range(model.columnCount())
                        if model.headerData(i, Qt.Orientation.Horizontal) == "Notes")
    tooltip = model.index(0, notes_column).data(Qt.ItemDataRole.ToolTipRole)
    doc = _rendered(tooltip)
    shown = doc.toPlainText()
    expected = note if len(note) <= TOOLTIP_CHARS else note[:TOOLTIP_CHARS - 1] + "…"
    # Shown literally: a rendered <img> or <b> would leave an object mark or lose the tags.
    assert shown.replace("\u2028", "\n") == expected
    assert "\ufffc" not in shown


def test_plain_tooltip_keeps_nothing_for_empty_text() -> None:
    assert plain_tooltip("") is None and plain_tooltip(None) is None
