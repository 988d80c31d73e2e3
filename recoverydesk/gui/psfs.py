"""Function on the Today view: the PSFS card and its activities dialog (DESIGN.md §3.1).

The card has three faces:

- no activities yet: it asks for 3 to 5, in the runner's own words;
- a week since the last scores (``core.psfs.prompt_due``): "How are these going?" with a 0–10
  slider per activity in use and **Save scores**; the sliders start at each activity's last
  score (0 for a new one) and nothing is recorded until Save;
- otherwise one line: the last mean and when the next scores are due, with **Score now** and
  **Activities…** (rename or retire; a renamed activity starts afresh, a retired one keeps
  its scores: ``psfs_activities.py``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Slot
from PySide6.QtWidgets import (
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSlider,
    QVBoxLayout,
    QWidget,
)

from recoverydesk.gui.session import Session, StoreError

if TYPE_CHECKING:
    from recoverydesk.core.today_face import PsfsFace


class PsfsCard(QWidget):
    """The PSFS card of the Today view.

    Attributes:
        name_edits: The activity name fields of the first-time face.
        sliders: {activity id: its 0–10 slider} on the weekly face.
        status: One line of what happened (saved, or why not).
    """

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._session = session
        self._force_prompt = False
        self._shown: PsfsFace | None = None
        self.setAccessibleName("Function (PSFS)")
        self.name_edits: list[QLineEdit] = []
        self.sliders: dict[int, QSlider] = {}
        self._lay = QVBoxLayout(self)
        self._lay.setContentsMargins(0, 0, 0, 0)
        self.title = QLabel(self)
        font = self.title.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.2)
        self.title.setFont(font)
        self._lay.addWidget(self.title)
        self.hint = QLabel(self)
        self.hint.setWordWrap(True)
        self._lay.addWidget(self.hint)
        self._body = QWidget(self)
        self._lay.addWidget(self._body)
        self.status = QLabel(self)
        self.status.setWordWrap(True)
        self.status.setAccessibleName("Function scores status")
        self._lay.addWidget(self.status)

    @property
    def force_prompt(self) -> bool:
        """The runner asked to score now (**Score now**), before the week is up."""
        return self._force_prompt

    def face(self) -> str:
        """Which face shows: ``setup``, ``prompt`` or ``summary``."""
        return self._shown["face"] if self._shown else ""

    @Slot()
    def reload(self) -> None:
        """Show the card for today's state afresh."""
        from recoverydesk.core import today_face

        self.show_face(today_face.psfs_face(self._session, force_prompt=self._force_prompt))

    def show_face(self, face: PsfsFace) -> None:
        """Build the card for ``face``; a card whose face did not change is kept as it is, so
        ticking a checklist item does not reset sliders being moved or names being typed."""
        if face == self._shown:
            return
        self._shown = face
        self._body.deleteLater()
        self._body = QWidget(self)
        self._lay.insertWidget(2, self._body)
        self.name_edits = []
        self.sliders = {}
        self.title.setText(face["title"])
        self.title.setVisible(bool(face["title"]))
        self.hint.setText(face["hint"])
        {"setup": self._build_setup, "prompt": self._build_prompt,
         "summary": self._build_summary}[face["face"]](face)

    # --- faces -----------------------------------------------------------------------------

    def _build_setup(self, face: PsfsFace) -> None:
        grid = QGridLayout(self._body)
        grid.setContentsMargins(0, 0, 0, 0)
        for index in range(face["most"]):
            edit = QLineEdit(self._body)
            edit.setMaxLength(face["name_length"])
            edit.setAccessibleName(f"Activity {index + 1}")
            edit.setPlaceholderText("needed" if index < face["needed"] else "optional")
            grid.addWidget(QLabel(f"{index + 1}.", self._body), index, 0)
            grid.addWidget(edit, index, 1)
            self.name_edits.append(edit)
        save = QPushButton("Save activities", self._body)
        save.setAccessibleName("Save the activities to score weekly")
        save.clicked.connect(self._on_save_names_clicked)
        grid.addWidget(save, face["most"], 1, Qt.AlignmentFlag.AlignLeft)

    def _build_prompt(self, face: PsfsFace) -> None:
        grid = QGridLayout(self._body)
        grid.setContentsMargins(0, 0, 0, 0)
        for row, activity in enumerate(face["rows"]):
            slider = QSlider(Qt.Orientation.Horizontal, self._body)
            slider.setRange(0, 10)
            slider.setPageStep(1)
            slider.setTickPosition(QSlider.TickPosition.TicksBelow)
            slider.setTickInterval(1)
            slider.setValue(activity["last"])
            slider.setAccessibleName(f"{activity['name']}, 0 unable to 10 as before the pain")
            value = QLabel(str(slider.value()), self._body)
            value.setMinimumWidth(value.fontMetrics().horizontalAdvance("10 "))
            slider.valueChanged.connect(lambda v, label=value: label.setText(str(v)))
            name = QLabel(activity["name"], self._body)
            name.setBuddy(slider)
            name.setWordWrap(True)
            grid.addWidget(name, row, 0)
            grid.addWidget(slider, row, 1)
            grid.addWidget(value, row, 2)
            self.sliders[activity["id"]] = slider
        grid.setColumnStretch(1, 1)
        buttons = QHBoxLayout()
        save = QPushButton("Save scores", self._body)
        save.setAccessibleName("Save this week's function scores")
        save.clicked.connect(self._on_save_scores_clicked)
        buttons.addWidget(save)
        buttons.addWidget(self._activities_button())
        buttons.addStretch(1)
        grid.addLayout(buttons, len(self.sliders), 0, 1, 3)

    def _build_summary(self, face: PsfsFace) -> None:
        row = QHBoxLayout(self._body)
        row.setContentsMargins(0, 0, 0, 0)
        if face["rows"]:
            now = QPushButton("Score now", self._body)
            now.setAccessibleName("Score the activities now")
            now.clicked.connect(self._on_score_now_clicked)
            row.addWidget(now)
        row.addWidget(self._activities_button())
        row.addStretch(1)

    def _activities_button(self) -> QPushButton:
        button = QPushButton("Activities…", self._body)
        button.setAccessibleName("Rename, retire or add activities")
        button.clicked.connect(self._on_activities_clicked)
        return button

    # --- actions ---------------------------------------------------------------------------

    def save_names(self) -> bool:
        from recoverydesk.core import psfs
        from recoverydesk.core.model import ValidationError

        names = [e.text() for e in self.name_edits if e.text().strip()]
        if len(names) < psfs.MIN_ACTIVITIES:
            self.status.setText(f"Name at least {psfs.MIN_ACTIVITIES} activities "
                                f"(up to {psfs.MAX_ACTIVITIES}).")
            return False
        try:
            self._session.add_psfs_activities(names)
        except (ValidationError, StoreError) as error:
            self.status.setText(f"Not saved: {error}")
            return False
        self.status.setText("Saved. Score them now, then once a week.")
        return True

    def save_scores(self) -> bool:
        from recoverydesk.core import psfs
        from recoverydesk.core.model import ValidationError

        scores = {activity_id: s.value() for activity_id, s in self.sliders.items()}
        try:
            self._session.save_psfs(scores)
        except (ValidationError, StoreError) as error:
            self.status.setText(f"Not saved: {error}")
            return False
        self._force_prompt = False
        self.status.setText(f"Saved: mean {psfs.mean(scores):.1f} of 10.")
        self.reload()
        return True

    @Slot()
    def _on_save_names_clicked(self) -> None:
        self.save_names()

    @Slot()
    def _on_save_scores_clicked(self) -> None:
        self.save_scores()

    @Slot()
    def _on_score_now_clicked(self) -> None:
        self._force_prompt = True
        self.reload()

    @Slot()
    def _on_activities_clicked(self) -> None:
        from recoverydesk.gui.psfs_activities import PsfsActivitiesDialog

        PsfsActivitiesDialog(self._session, self).exec()
