"""Spin boxes that can be empty: a score or a figure not given reads "—" and means None.

Their own module (not the Log form's) because Today's check-in uses them too, and the Log
form with its body map is not needed before Today's first frame (DESIGN.md §10).
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QValidator
from PySide6.QtWidgets import QAbstractSpinBox, QDoubleSpinBox, QSpinBox, QWidget


class _Optional:
    """What makes a spin box able to be empty: its lowest value reads "—" and means None."""

    def _set_up_empty(self, low: Any, high: Any, step: Any, empty_at: Any, suffix: str) -> None:
        box: Any = self
        empty = low - step if empty_at is None else empty_at
        box.setRange(empty, high)
        box.setSingleStep(step)
        box.setSpecialValueText("—")
        box.setSuffix(suffix)
        box.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        box.setCorrectionMode(QAbstractSpinBox.CorrectionMode.CorrectToNearestValue)
        box.setValue(empty)

    def value_or_none(self) -> Any:
        box: Any = self
        value = box.value()
        return None if value == box.minimum() else value

    def set_value_or_none(self, value: Any) -> None:
        box: Any = self
        box.setValue(box.minimum() if value is None else value)


class OptionalSpinBox(_Optional, QSpinBox):
    """A whole-number spin box that can also be empty."""

    def __init__(self, low: int, high: int, *, step: int = 1, empty_at: int | None = None,
                 suffix: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._set_up_empty(low, high, step, empty_at, suffix)


class OptionalDoubleSpinBox(_Optional, QDoubleSpinBox):
    """A decimal spin box that can also be empty."""

    def __init__(self, low: float, high: float, *, step: float, decimals: int,
                 empty_at: float | None = None, suffix: str = "",
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setDecimals(decimals)
        self._set_up_empty(low, high, step, empty_at, suffix)


class DurationSpinBox(OptionalDoubleSpinBox):
    """A duration in minutes that reads and types like a clock: "25:00", "1:02:03".

    Plain minutes ("25") and decimal minutes are understood too; the lowest value is "—".
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        from recoverydesk.core.model import MAX_DURATION_S

        super().__init__(0, MAX_DURATION_S / 60, step=1, decimals=4, empty_at=0,
                         parent=parent)

    def textFromValue(self, value: float) -> str:  # noqa: N802 - overrides QDoubleSpinBox
        from recoverydesk.core import words

        return words.duration_text(value * 60)

    def valueFromText(self, text: str) -> float:  # noqa: N802 - overrides QDoubleSpinBox
        minutes = _clock_minutes(text)
        return self.minimum() if minutes is None else minutes

    def validate(self, text: str,  # overrides QDoubleSpinBox.validate
                 pos: int) -> tuple[QValidator.State, str, int]:
        stripped = text.strip()
        if stripped in ("", "—"):
            return QValidator.State.Intermediate, text, pos
        if not all(c.isdigit() or c in ":." for c in stripped):
            return QValidator.State.Invalid, text, pos
        minutes = _clock_minutes(stripped)
        ok = minutes is not None and 0 <= minutes <= self.maximum()
        return (QValidator.State.Acceptable if ok else QValidator.State.Intermediate), text, pos


def _clock_minutes(text: str) -> float | None:
    """Minutes from "25", "25.5", "25:30" or "1:02:03"; None when it is not a time."""
    parts = text.strip().split(":")
    try:
        numbers = [float(p) for p in parts]
    except ValueError:
        return None
    if len(numbers) == 1:
        return numbers[0]
    if len(numbers) > 3 or any(n >= 60 for n in numbers[1:]):
        return None
    seconds = 0.0
    for number in numbers:
        seconds = seconds * 60 + number
    return seconds / 60
