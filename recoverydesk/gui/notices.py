"""Today's notices (DESIGN §5.1): each can be dismissed for good.

The engine raises a notice at most once a week while its condition holds; dismissing one stores
a setting (``notice_dismissed.<id>``) so it is not shown again in this data file.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from recoverydesk.core.today_words import dismissed_key
from recoverydesk.gui.session import Session
from recoverydesk.gui.style import (
    AMBER_BG,
    AMBER_EDGE,
    AMBER_FG,
    clear_layout,
    selectable_later,
)

if TYPE_CHECKING:
    from recoverydesk.core.today_face import Notice


class NoticeBox(QFrame):
    """The day's notices, each with a Dismiss button; hidden when there is none to show."""

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._session = session
        self.setObjectName("noticeBox")
        em = self.fontMetrics().height()
        self.setStyleSheet(
            f"#noticeBox {{ background: {AMBER_BG}; border: 1px solid {AMBER_EDGE}; "
            f"border-radius: {em // 3}px; }} #noticeBox QLabel {{ color: {AMBER_FG}; }}")
        self.setAccessibleName("Notices")
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(em // 2, em // 2, em // 2, em // 2)
        self.buttons: dict[str, QPushButton] = {}
        self.texts: dict[str, str] = {}
        self._notices: list[Notice] = []

    def show_notices(self, notices: list[Notice]) -> None:
        """Show the day's notices (those not dismissed: core/today_face.py leaves them out)."""
        clear_layout(self._layout)
        self.buttons, self.texts = {}, {}
        self._notices = notices
        for notice in notices:
            row = QWidget(self)
            row_lay = QHBoxLayout(row)
            row_lay.setContentsMargins(0, 0, 0, 0)
            label = QLabel(notice["text"], row)
            label.setWordWrap(True)
            selectable_later(label)
            row_lay.addWidget(label, 1)
            button = QPushButton("Dismiss", row)
            button.setAccessibleName(f"Dismiss this notice: {notice['text'][:60]}")
            button.clicked.connect(self._dismiss_slot(notice["id"]))
            row_lay.addWidget(button, 0, Qt.AlignmentFlag.AlignTop)
            self._layout.addWidget(row)
            self.buttons[notice["id"]] = button
            self.texts[notice["id"]] = notice["text"]
        self.setVisible(bool(notices))

    def _dismiss_slot(self, notice_id: str) -> Callable[[], None]:
        def on_clicked() -> None:
            self._session.set_setting(dismissed_key(notice_id), True)
            self.show_notices([n for n in self._notices if n["id"] != notice_id])
        return on_clicked
