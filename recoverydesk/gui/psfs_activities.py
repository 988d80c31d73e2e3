"""Rename, retire, bring back or add the activities scored on Today's Function card
(DESIGN.md §3.1); opened by its **Activities…** button."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, Slot
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from recoverydesk.gui.session import Session, StoreError


class PsfsActivitiesDialog(QDialog):
    """Rename, retire, bring back or add PSFS activities.

    Attributes:
        items: The list of activities (retired ones marked), each item's data its id.
        status: Why the last change was refused, if it was.
    """

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._session = session
        self.setWindowTitle("Function activities")
        lay = QVBoxLayout(self)
        from recoverydesk.core.outcomes import texts

        note = QLabel(texts()["psfs_rename_note"], self)
        note.setWordWrap(True)
        lay.addWidget(note)
        self.items = QListWidget(self)
        self.items.setAccessibleName("Activities")
        lay.addWidget(self.items)
        row = QHBoxLayout()
        for text, slot in (("Rename…", self._on_rename_clicked),
                           ("Retire", self._on_retire_clicked),
                           ("Bring back", self._on_bring_back_clicked),
                           ("Add…", self._on_add_clicked)):
            button = QPushButton(text, self)
            button.clicked.connect(slot)
            row.addWidget(button)
        lay.addLayout(row)
        self.status = QLabel(self)
        self.status.setWordWrap(True)
        lay.addWidget(self.status)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        close.rejected.connect(self.reject)
        lay.addWidget(close)
        credit = QLabel(texts()["psfs_credit"], self)
        credit.setWordWrap(True)
        lay.addWidget(credit)
        self._fill()

    def _fill(self) -> None:
        self.items.clear()
        for activity in self._session.psfs_activities():
            text = activity.name + (" (retired)" if activity.retired else "")
            item = QListWidgetItem(text)
            item.setData(Qt.ItemDataRole.UserRole, activity.id)
            self.items.addItem(item)

    def _selected(self) -> int | None:
        item = self.items.currentItem()
        return None if item is None else int(item.data(Qt.ItemDataRole.UserRole))

    def _do(self, action: Callable[[], None]) -> None:
        from recoverydesk.core.model import ValidationError

        try:
            action()
        except (ValidationError, StoreError) as error:
            self.status.setText(f"Not changed: {error}")
            return
        self.status.clear()
        self._fill()

    def rename(self, activity_id: int, name: str) -> None:
        self._do(lambda: self._session.rename_psfs_activity(activity_id, name))

    def set_retired(self, activity_id: int, retired: bool) -> None:
        self._do(lambda: self._session.set_psfs_retired(activity_id, retired))

    def add(self, name: str) -> None:
        self._do(lambda: self._session.add_psfs_activities([name]))

    @Slot()
    def _on_rename_clicked(self) -> None:
        activity_id = self._selected()
        if activity_id is None:
            return
        name, ok = QInputDialog.getText(self, "Rename", "New name (it starts afresh):")
        if ok:
            self.rename(activity_id, name)

    @Slot()
    def _on_retire_clicked(self) -> None:
        activity_id = self._selected()
        if activity_id is not None:
            self.set_retired(activity_id, True)

    @Slot()
    def _on_bring_back_clicked(self) -> None:
        activity_id = self._selected()
        if activity_id is not None:
            self.set_retired(activity_id, False)

    @Slot()
    def _on_add_clicked(self) -> None:
        name, ok = QInputDialog.getText(self, "Add an activity", "Activity:")
        if ok:
            self.add(name)
