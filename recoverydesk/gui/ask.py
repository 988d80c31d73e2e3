"""Questions whose buttons say what they do, with the answer that changes nothing as the
default (Enter) and the escape (Esc): a runner in pain who presses a key by mistake loses
nothing."""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox, QWidget


def ask(parent: QWidget | None, title: str, text: str, go: str, keep: str, *,
        destructive: bool = False, detail: str = "") -> bool:
    """Whether the runner chose ``go`` over ``keep`` (the default).

    Args:
        destructive: The ``go`` answer replaces or removes something (a warning icon).
        detail: A second paragraph under the question.
    """
    icon = QMessageBox.Icon.Warning if destructive else QMessageBox.Icon.Question
    box = QMessageBox(icon, title, text, parent=parent)
    if detail:
        box.setInformativeText(detail)
    role = (QMessageBox.ButtonRole.DestructiveRole if destructive
            else QMessageBox.ButtonRole.AcceptRole)
    yes = box.addButton(go, role)
    no = box.addButton(keep, QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(no)
    box.setEscapeButton(no)
    box.exec()
    return box.clickedButton() is yes
