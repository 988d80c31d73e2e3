"""The "Ready to run?" dialog of `low_impact` (DESIGN §5.3, gate G6).

Asked the morning after the test: the six checks, each with why it is asked, and how the back
is this morning. Only a full pass is recorded (a ``ready`` action on the day it is answered);
a test that did not go well writes nothing. Sharp pain while hopping ends the test and shows
the ``bone_stress`` red-flag text. The words are data (resources/engine.toml ``[ready_test]``).
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Slot
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from recoverydesk.core.explain import templates
from recoverydesk.gui.session import Session
from recoverydesk.gui.style import scaled_font


def ready_texts() -> tuple[dict[str, str], list[dict[str, str]]]:
    """The dialog's sentences and its six checks (text, why), from resources/engine.toml."""
    data: Any = templates()
    return dict(data.get("ready_test", {})), [dict(c) for c in data.get("ready_check", [])]


class ReadyDialog(QDialog):
    """Ask whether yesterday's ready-to-run test went well; record only a full pass.

    Attributes:
        checks: One box per check, in the order of §5.3.
        morning: This morning no more than 1 point worse than yesterday's.
        hop_pain: Sharp pain while hopping (ends the test).
        record_button: Enabled only when every box is ticked and no hop pain.
    """

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._session = session
        texts, checks = ready_texts()
        self._texts = texts
        self.setWindowTitle(texts.get("title", "Ready to run?"))
        self.setAccessibleName(self.windowTitle())
        em = self.fontMetrics().height()
        self.setMinimumWidth(em * 30)
        lay = QVBoxLayout(self)
        lay.setSpacing(round(em * 0.35))
        question = QLabel(texts.get("question", ""), self)
        question.setFont(scaled_font(self, 1.15, bold=True))
        question.setWordWrap(True)
        lay.addWidget(question)
        lay.addWidget(self._note(texts.get("intro", "")))
        self.checks: list[QCheckBox] = []
        for check in checks:
            box = self._box(check["text"], check["why"])
            self.checks.append(box)
            lay.addWidget(box)
            lay.addWidget(self._note(check["why"], indent=em * 2))
        self.morning = self._box(texts.get("morning", ""), texts.get("morning_why", ""))
        lay.addWidget(self.morning)
        lay.addWidget(self._note(texts.get("morning_why", ""), indent=em * 2))
        self.hop_pain = QCheckBox(texts.get("hop_pain", ""), self)
        self.hop_pain.setAccessibleName(texts.get("hop_pain", ""))
        self.hop_pain.toggled.connect(self._on_answer_toggled)
        lay.addWidget(self.hop_pain)
        self.stop_text = self._note("")
        self.stop_text.setStyleSheet("font-weight: bold;")
        lay.addWidget(self.stop_text)
        self.status_text = self._note(texts.get("not_all", ""))
        lay.addWidget(self.status_text)
        self.source_text = self._note(texts.get("source", ""))
        lay.addWidget(self.source_text)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel, self)
        self.record_button = QPushButton("&Record a pass", self)
        self.record_button.setAccessibleName("Record the ready-to-run test as passed today")
        buttons.addButton(self.record_button, QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.accepted.connect(self._on_buttons_accepted)
        buttons.rejected.connect(self.reject)
        lay.addWidget(buttons)
        self._on_answer_toggled()
        # Wrapped labels need their height for the width: a dialog does not ask by itself.
        width = em * 40
        height = lay.totalHeightForWidth(width) if lay.hasHeightForWidth() else 0
        self.resize(width, max(height, self.sizeHint().height()))

    def _note(self, text: str, indent: int = 0) -> QLabel:
        label = QLabel(text, self)
        label.setWordWrap(True)
        label.setIndent(indent)
        return label

    def _box(self, text: str, why: str) -> QCheckBox:
        box = QCheckBox(text, self)
        box.setAccessibleName(text)
        box.setAccessibleDescription(why)
        box.setToolTip(why)
        box.toggled.connect(self._on_answer_toggled)
        return box

    @Slot()
    def _on_answer_toggled(self) -> None:
        stopped = self.hop_pain.isChecked()
        if stopped:
            flag = self._session.content.red_flags.get("bone_stress")
            advice = f"\n\n{flag.label}: {flag.explanation} {flag.advice}" if flag else ""
            self.stop_text.setText(self._texts.get("hop_stop", "") + advice)
        self.stop_text.setVisible(stopped)
        for box in self.checks[4:]:  # the hops end the test: nothing after them counts
            box.setEnabled(not stopped)
        self.record_button.setEnabled(self.passed())
        self.status_text.setVisible(not self.passed() and not stopped)

    def passed(self) -> bool:
        """Every check and this morning's answer ticked, and no sharp pain hopping."""
        return (not self.hop_pain.isChecked() and self.morning.isChecked()
                and all(box.isChecked() for box in self.checks))

    @Slot()
    def _on_buttons_accepted(self) -> None:
        if not self.passed():
            return
        self._session.record_ready()
        self._session.notify(self._texts.get("passed", ""))
        self.accept()
