"""Between Python dates and QDate, typed (PySide6's stubs know neither direction)."""

from __future__ import annotations

import datetime

from PySide6.QtCore import QDate


def to_qdate(day: datetime.date) -> QDate:
    return QDate(day.year, day.month, day.day)


def from_qdate(qdate: QDate) -> datetime.date:
    return datetime.date(qdate.year(), qdate.month(), qdate.day())
