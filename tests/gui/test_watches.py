"""A watch plugged in as a USB drive: its new files are offered once (DESIGN.md §7)."""

from __future__ import annotations

import pathlib

import pytest

from recoverydesk.gui import watches

pytestmark = pytest.mark.gui

SAMPLES = pathlib.Path(__file__).resolve().parents[2].parent / "shared" / "samples" / "activities"


def make_watch(root: pathlib.Path, names: list[str]) -> pathlib.Path:
    activity = root / "GARMIN" / "ACTIVITY"  # FAT drives are not particular about case
    activity.mkdir(parents=True, exist_ok=True)
    (root / "GARMIN" / "GarminDevice.xml").write_text(
        "<Device><Model><Description>Forerunner 935</Description></Model></Device>")
    for name in names:
        (activity / name).write_bytes(name.encode() * 10)
    (activity / "notes.txt").write_text("not an activity")
    return root


class Answers:
    def __init__(self, answer: bool) -> None:
        self.answer = answer
        self.asked: list[tuple[str, int]] = []
        self.imported: list[list[pathlib.Path]] = []

    def ask(self, device: str, count: int) -> bool:
        self.asked.append((device, count))
        return self.answer


def poller(session, root, answers: Answers) -> watches.WatchPoller:
    return watches.WatchPoller(None, session, volumes=lambda: [("GARMIN", root)],
                               ask=answers.ask, start_import=answers.imported.append)


def test_new_files_are_offered_once_whatever_the_answer(qtbot, session, tmp_path) -> None:
    root = make_watch(tmp_path / "mnt", ["A1.FIT", "A2.FIT"])
    answers = Answers(False)
    watcher = poller(session, root, answers)
    watcher.poll()
    assert answers.asked == [("Forerunner 935", 2)]
    watcher.poll()
    assert answers.asked == [("Forerunner 935", 2)], "answered files are not offered again"
    make_watch(root, ["A3.FIT"])
    answers.answer = True
    watcher.poll()
    assert answers.asked[-1] == ("Forerunner 935", 1)
    assert [[p.name for p in files] for files in answers.imported] == [["A3.FIT"]]
    # remembered in the data file: a new window (a new poller) does not ask either
    again = Answers(True)
    poller(session, root, again).poll()
    assert again.asked == []


def test_a_drive_without_a_garmin_folder_is_ignored(qtbot, session, tmp_path) -> None:
    (tmp_path / "stick" / "Music").mkdir(parents=True)
    answers = Answers(True)
    poller(session, tmp_path / "stick", answers).poll()
    assert answers.asked == []


def test_polls_at_most_every_five_seconds(qtbot, session) -> None:
    watcher = watches.WatchPoller(None, session, volumes=lambda: [])
    assert watcher.timer.interval() >= 5000


@pytest.mark.skipif(not SAMPLES.is_dir(), reason="sample activity files not found")
def test_the_offer_imports_through_the_importer(qtbot, session, tmp_path) -> None:
    import shutil

    from recoverydesk.gui import importer

    root = tmp_path / "mnt"
    make_watch(root, [])
    shutil.copy(SAMPLES / "garmin-fenix-5-run.fit", root / "GARMIN" / "ACTIVITY" / "R.FIT")
    jobs = []

    def start(files):
        job = importer.import_files(None, session, files, show_summary=lambda *_: None)
        jobs.append(job)
        return job

    watcher = watches.WatchPoller(None, session, volumes=lambda: [("GARMIN", root)],
                                  ask=lambda *_: True, start_import=start)
    watcher.poll()
    qtbot.waitUntil(lambda: not jobs[0].running, timeout=60_000)
    assert jobs[0].wait()
    assert [r.status for r in jobs[0].results] == ["imported"]


def test_the_question_names_the_count_and_the_watch(qtbot, session, tmp_path) -> None:
    from PySide6.QtWidgets import QMessageBox, QWidget

    root = make_watch(tmp_path / "mnt", ["A1.FIT", "A2.FIT", "A3.FIT"])
    imported: list[list[pathlib.Path]] = []
    window = QWidget()
    qtbot.addWidget(window)
    watcher = watches.WatchPoller(window, session, volumes=lambda: [("GARMIN", root)],
                                  start_import=imported.append)
    watcher.poll()
    boxes = [w for w in window.findChildren(QMessageBox) if w.isVisible()]
    assert [b.text() for b in boxes] == [
        "3 new activities on your Forerunner 935. Import them?"]
    boxes[0].buttons()[0].click()  # Import
    assert [[p.name for p in files] for files in imported] == [["A1.FIT", "A2.FIT", "A3.FIT"]]
