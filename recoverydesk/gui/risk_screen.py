"""The risk screen of DESIGN §4.1: yes/no questions, each with why it is asked.

Asked in the first-run setup and changed later from Preferences. A screen is the whole set of
answers on a day: Preferences records all of them again (``screen`` action) when one changes.
The words are data (resources/risk_screen.toml).
"""

from __future__ import annotations

from PySide6.QtCore import Slot
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFrame,
    QLabel,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from recoverydesk.core.plan import Content
from recoverydesk.gui.session import Session


class RiskScreen(QWidget):
    """The questions as check boxes (ticked = yes), under the screen's reassuring intro.

    Attributes:
        boxes: One box per risk id, in the order of §4.1.
    """

    def __init__(self, content: Content, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Health questions")
        em = self.fontMetrics().height()
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        self.intro = QLabel(content.screen_intro, self)
        self.intro.setWordWrap(True)
        lay.addWidget(self.intro)
        hint = QLabel("Tick a question only if the answer is yes.", self)
        hint.setWordWrap(True)
        lay.addWidget(hint)
        self.boxes: dict[str, QCheckBox] = {}
        for risk_id, risk in content.risks.items():
            box = QCheckBox(risk.question, self)
            box.setAccessibleName(risk.question)
            box.setAccessibleDescription(f"Why we ask: {risk.why}")
            box.setToolTip(risk.why)
            # QCheckBox's own text does not wrap: keep it short in the box, whole in a label.
            box.setText("Yes")
            question = QLabel(risk.question, self)
            question.setWordWrap(True)
            question.setBuddy(box)
            why = QLabel(f"<i>Why we ask:</i> {risk.why}", self)
            why.setWordWrap(True)
            why.setIndent(em)
            lay.addWidget(question)
            lay.addWidget(box)
            lay.addWidget(why)
            self.boxes[risk_id] = box

    def answers(self) -> frozenset[str]:
        """The ids answered yes."""
        return frozenset(r for r, box in self.boxes.items() if box.isChecked())

    def set_answers(self, yes: frozenset[str]) -> None:
        for risk_id, box in self.boxes.items():
            box.setChecked(risk_id in yes)


def scrolled(widget: QWidget, height: int) -> QScrollArea:
    """``widget`` in a frameless vertical scroll area of at most ``height`` pixels."""
    area = QScrollArea()
    area.setWidgetResizable(True)
    area.setFrameShape(QFrame.Shape.NoFrame)
    area.setWidget(widget)
    area.setMinimumHeight(min(height, widget.sizeHint().height()))
    area.setMaximumHeight(height)
    return area


class RiskScreenDialog(QDialog):
    """Change the risk screen's answers; a change records the whole set today."""

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._session = session
        self.setWindowTitle("Health questions")
        em = self.fontMetrics().height()
        self.setMinimumWidth(em * 32)
        lay = QVBoxLayout(self)
        self.questions = RiskScreen(session.content)
        self._before = session.screen_answers()
        self.questions.set_answers(self._before)
        lay.addWidget(scrolled(self.questions, em * 26))
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.accepted.connect(self._on_buttons_accepted)
        buttons.rejected.connect(self.reject)
        lay.addWidget(buttons)

    @Slot()
    def _on_buttons_accepted(self) -> None:
        answers = self.questions.answers()
        if answers != self._before:
            self._session.record_screen(answers)
            self._session.notify("Your answers to the health questions are recorded today.")
        self.accept()
