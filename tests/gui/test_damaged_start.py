"""Starting on a damaged data file: it is set aside, the newest backup is offered and restored."""

from __future__ import annotations

import datetime as dt
import pathlib

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from recoverydesk.app import open_with_messages
from recoverydesk.core.model import DayLog, EpisodeInfo
from recoverydesk.storage.backup import backup_now
from recoverydesk.storage.store import DB_NAME, Store

pytestmark = pytest.mark.gui

TODAY = dt.date(2026, 3, 20)


def _answer_with(button_prefix: str, seen: list[str]) -> None:
    """Press the button of the open message box whose text starts with ``button_prefix``."""
    box = QApplication.activeModalWidget()
    if not isinstance(box, QMessageBox):
        QTimer.singleShot(20, lambda: _answer_with(button_prefix, seen))
        return
    seen.append(box.text())
    for button in box.buttons():
        if button.text().startswith(button_prefix):
            button.click()
            return
    raise AssertionError(f"no button starting {button_prefix!r}")


def test_a_damaged_file_is_set_aside_and_the_backup_restored(qtbot, tmp_path) -> None:
    data = tmp_path / "data"
    store = Store.open(data)
    store.start_episode(EpisodeInfo(dt.date(2026, 3, 1)), today=TODAY)
    for n in range(1, 11):
        store.save_day(DayLog(dt.date(2026, 3, n), n % 6), today=TODAY)
    backup_now(store)
    store.close()
    path = data / DB_NAME
    damaged = bytearray(path.read_bytes())
    damaged[len(damaged) // 2:len(damaged) // 2 + 4096] = b"\xa5" * 4096
    damaged[100:112] = b"not sqlite!!"
    path.write_bytes(bytes(damaged))

    seen: list[str] = []
    QTimer.singleShot(0, lambda: _answer_with("Restore the backup", seen))
    reopened = open_with_messages(data)
    assert reopened is not None
    try:
        assert "damaged" in seen[0] and "set aside" in seen[0]
        assert [d.pain for d in reopened.day_logs()] == [n % 6 for n in range(1, 11)]
        kept = [p for p in data.iterdir() if p.name.startswith(f"{DB_NAME}.damaged-")
                and not p.name.endswith(("-wal", "-shm"))]
        assert len(kept) == 1 and pathlib.Path(kept[0]).read_bytes() == bytes(damaged)
    finally:
        reopened.close()
