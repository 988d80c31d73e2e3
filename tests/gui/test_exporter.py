"""File → Export…: the chosen format lands where chosen and holds the store's data."""

from __future__ import annotations

import csv
import json
import pathlib

import pytest
from PySide6.QtWidgets import QMessageBox, QWidget

from recoverydesk.core.model import Activity, DayLog
from recoverydesk.gui import exporter
from recoverydesk.gui.exporter import ExportChoice

from .conftest import START, TODAY

pytestmark = pytest.mark.gui


@pytest.fixture
def filled(session, store):
    day = START
    store.save_day(DayLog(day, 4, pain_morning=3, notes="sore"),
                           [Activity(day, "walk", distance_m=2500.0, duration_s=1800.0)],
                           today=TODAY)
    store.save_day(DayLog(START.replace(day=2), 3), today=TODAY)
    return session


class Told:
    def __init__(self) -> None:
        self.calls: list[tuple[str, str]] = []

    def __call__(self, window, title: str, text: str) -> None:
        self.calls.append((title, text))


def test_json_export_writes_one_document(qtbot, filled, tmp_path: pathlib.Path):
    target = tmp_path / "out" / "backup.json"
    target.parent.mkdir()  # the save dialog only offers existing folders
    told = Told()
    messages: list[str] = []
    filled.message.connect(messages.append)

    done = exporter.export_data(None, filled, choose=lambda w, s: ExportChoice("json", target),
                                inform=told)

    assert done is not None and done.path == target and target.is_file()
    doc = json.loads(target.read_text(encoding="utf-8"))
    assert [d["date"] for d in doc["days"]] == ["2026-03-01", "2026-03-02"]
    assert doc["activities"][0]["distance_m"] == 2500.0
    assert told.calls == [("Export finished", f"Exported 2 days and 1 activity to {target}.")]
    assert messages == [told.calls[0][1]]


def test_csv_export_into_an_empty_folder(qtbot, filled, tmp_path: pathlib.Path):
    folder = tmp_path / "csv"
    folder.mkdir()

    done = exporter.export_data(None, filled, choose=lambda w, s: ExportChoice("csv", folder),
                                inform=Told())

    assert done is not None and done.path == folder
    with (folder / "days.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert [(r["date"], r["pain"], r["notes"]) for r in rows] == [
        ("2026-03-01", "4", "sore"), ("2026-03-02", "3", "")]
    with (folder / "activities.csv").open(encoding="utf-8", newline="") as handle:
        acts = list(csv.DictReader(handle))
    assert [(a["kind"], float(a["distance_m"])) for a in acts] == [("walk", 2500.0)]
    assert "10 CSV files" in done.message


def test_csv_export_never_spills_into_a_busy_folder(qtbot, filled, tmp_path: pathlib.Path):
    (tmp_path / "days.csv").write_text("mine, not yours\n", encoding="utf-8")

    first = exporter.export_data(None, filled,
                                 choose=lambda w, s: ExportChoice("csv", tmp_path), inform=Told())
    second = exporter.export_data(None, filled,
                                  choose=lambda w, s: ExportChoice("csv", tmp_path), inform=Told())

    assert (tmp_path / "days.csv").read_text(encoding="utf-8") == "mine, not yours\n"
    assert first.path == tmp_path / "RecoveryDesk export 2026-03-20"
    assert second.path == tmp_path / "RecoveryDesk export 2026-03-20 (2)"
    assert (first.path / "days.csv").is_file() and (second.path / "activities.csv").is_file()


def test_backing_out_writes_nothing(qtbot, filled):
    assert exporter.export_data(None, filled, choose=lambda w, s: None) is None


def test_a_place_that_cannot_be_written_is_said_plainly(qtbot, filled, tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x", encoding="utf-8")
    window = QWidget()
    qtbot.addWidget(window)
    messages: list[str] = []
    filled.message.connect(messages.append)

    done = exporter.export_data(window, filled,
                                choose=lambda w, s: ExportChoice("json", blocker / "a.json"))

    assert done is None
    assert messages and messages[0].startswith(f"Nothing was exported to {blocker / 'a.json'}")
    boxes = window.findChildren(QMessageBox)
    assert boxes and boxes[0].windowTitle() == "Export failed"


def test_format_dialog_offers_both(qtbot):
    dialog = exporter.ExportFormatDialog()
    qtbot.addWidget(dialog)
    assert dialog.chosen_format() == "csv"
    dialog.json_button.setChecked(True)
    assert dialog.chosen_format() == "json"


def test_json_export_asks_before_replacing_a_file(qtbot, filled, tmp_path: pathlib.Path,
                                                  monkeypatch: pytest.MonkeyPatch):
    """Typed without ".json", the name the file chooser checked is not the file written."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QDialog, QFileDialog

    existing = tmp_path / "mine.json"
    existing.write_text("keep me", encoding="utf-8")
    monkeypatch.setattr(exporter.ExportFormatDialog, "exec",
                        lambda self: (self.json_button.setChecked(True),
                                      QDialog.DialogCode.Accepted)[1])
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        staticmethod(lambda *a, **k: (str(tmp_path / "mine"), "")))
    asked: list[str] = []

    def answer() -> None:
        box = QApplication.activeModalWidget()
        if isinstance(box, QMessageBox):
            asked.append(box.text())
            box.defaultButton().click()  # the safe default: keep the file
        else:
            QTimer.singleShot(20, answer)

    QTimer.singleShot(20, answer)
    assert exporter.choose_export(None, filled) is None
    assert asked and "mine.json" in asked[0]
    assert existing.read_text(encoding="utf-8") == "keep me"
