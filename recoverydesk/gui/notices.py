"""Today's notices (DESIGN §5.1): each can be dismissed for good.

The engine raises a notice at most once a week while its condition holds; dismissing one stores
a setting (``notice_dismissed.<id>``) so it is not shown again in this data file.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from recoverydesk.core import engine
from recoverydesk.gui.session import Session
from recoverydesk.gui.style import AMBER_BG, AMBER_EDGE, AMBER_FG, clear_layout


def dismissed_key(notice_id: str) -> str:
    return f"notice_dismissed.{notice_id}"


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

    def show_status(self, status: engine.DayStatus | None) -> None:
        """Show ``status``'s notices that have not been dismissed."""
        clear_layout(self._layout)
        self.buttons, self.texts = {}, {}
        notices = [] if status is None else [
            n for n in status.notices if not self._session.setting(dismissed_key(n.id), False)]
        for notice in notices:
            row = QWidget(self)
            row_lay = QHBoxLayout(row)
            row_lay.setContentsMargins(0, 0, 0, 0)
            label = QLabel(notice.detail, row)
            label.setWordWrap(True)
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            row_lay.addWidget(label, 1)
            button = QPushButton("Dismiss", row)
            button.setAccessibleName(f"Dismiss this notice: {notice.detail[:60]}")
            button.clicked.connect(self._dismiss_slot(notice.id))
            row_lay.addWidget(button, 0, Qt.AlignmentFlag.AlignTop)
            self._layout.addWidget(row)
            self.buttons[notice.id] = button
            self.texts[notice.id] = notice.detail
        self.setVisible(bool(notices))

    def _dismiss_slot(self, notice_id: str) -> Callable[[], None]:
        def on_clicked() -> None:
            self._session.set_setting(dismissed_key(notice_id), True)
            self.show_status(self._session.status())
        return on_clicked
