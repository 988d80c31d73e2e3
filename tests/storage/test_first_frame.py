"""Today's first frame (recoverydesk/first_frame.py): worked out read-only, handed over whole,
and never there when the opening proper has something to say first."""

from __future__ import annotations

import hashlib
import json
import marshal
import os
import pathlib
import subprocess
import sys

import pytest

from recoverydesk import first_frame
from recoverydesk.core.model import EpisodeInfo
from recoverydesk.core.today_face import face
from recoverydesk.storage.errors import StoreUnavailable
from recoverydesk.storage.reader import Reader
from recoverydesk.storage.store import DB_NAME, Store
from tests.conftest import DEMO_TODAY
from tests.storage.conftest import schema1_folder

REPO = pathlib.Path(__file__).resolve().parents[2]
forks = pytest.mark.skipif(not hasattr(os, "fork"), reason="the first frame needs os.fork")


def _files(folder: pathlib.Path) -> dict[str, str]:
    """Every file in ``folder`` with the SHA-256 of its bytes."""
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.iterdir()) if p.is_file()}


def test_the_first_frame_is_todays_face_read_without_writing(demo_dir: pathlib.Path) -> None:
    before = _files(demo_dir)
    frame = first_frame.work_out(demo_dir, DEMO_TODAY)
    assert frame is not None
    after = _files(demo_dir)
    assert after[DB_NAME] == before[DB_NAME]  # not a byte written
    made = set(after) - set(before)  # only SQLite's own companions of a reader, log empty
    assert made <= {f"{DB_NAME}-wal", f"{DB_NAME}-shm"}
    if f"{DB_NAME}-wal" in made:
        assert (demo_dir / f"{DB_NAME}-wal").stat().st_size == 0
    store = Store.open(demo_dir)
    try:
        expected = face(Reader(store, today=lambda: DEMO_TODAY))
        assert frame["demo"] is True
    finally:
        store.close()
    assert frame["face"] == expected
    assert " — day " in frame["face"]["heading"]
    assert frame["face"]["checklist"], "the demo's day has a checklist"


def test_a_face_is_plain_data_that_crosses_a_pipe_unchanged(demo_dir: pathlib.Path) -> None:
    frame = first_frame.work_out(demo_dir, DEMO_TODAY)
    assert frame is not None
    assert marshal.loads(marshal.dumps(dict(frame))) == frame
    assert json.loads(json.dumps(frame)) == frame


def test_no_first_frame_where_there_is_no_data_file_and_none_is_made(tmp_path) -> None:
    folder = tmp_path / "new"
    assert first_frame.work_out(folder) is None
    assert not folder.exists()


def test_no_first_frame_before_an_episode_has_begun(tmp_path) -> None:
    Store.open(tmp_path / "data").close()  # a data file, no episode: first-run questions first
    assert first_frame.work_out(tmp_path / "data") is None


def test_a_file_to_migrate_is_left_to_the_opening_proper(tmp_path) -> None:
    folder = schema1_folder(tmp_path)
    before = _files(folder)
    assert first_frame.work_out(folder) is None
    assert _files(folder) == before


def test_peek_refuses_what_opening_would_refuse(tmp_path) -> None:
    data = tmp_path / "data"
    store = Store.open(data)
    store.start_episode(EpisodeInfo(DEMO_TODAY), today=DEMO_TODAY)
    store.close()
    os.chmod(data, 0o777)  # shared with every user: never used
    with pytest.raises(StoreUnavailable):
        Store.peek(data)
    os.chmod(data, 0o700)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir(mode=0o700)
    (data / DB_NAME).rename(elsewhere / DB_NAME)
    (data / DB_NAME).symlink_to(elsewhere / DB_NAME)  # never followed
    with pytest.raises(StoreUnavailable):
        Store.peek(data)


@forks
def test_the_child_hands_over_the_face_it_worked_out(demo_dir: pathlib.Path) -> None:
    pending = first_frame.start(demo_dir, DEMO_TODAY)
    assert pending is not None
    frame = pending.result()
    assert frame == first_frame.work_out(demo_dir, DEMO_TODAY)
    assert pending.result() is frame  # asked again: the same, the child long gone
    with pytest.raises(ChildProcessError):
        os.waitpid(pending._pid, os.WNOHANG)  # reaped: no zombie left behind


@forks
def test_a_child_with_nothing_to_show_hands_over_nothing(tmp_path) -> None:
    pending = first_frame.start(tmp_path / "new")
    assert pending is not None
    assert pending.result() is None
    assert not (tmp_path / "new").exists()


@forks
def test_a_late_or_unneeded_child_is_stopped(demo_dir: pathlib.Path) -> None:
    late = first_frame.start(demo_dir, DEMO_TODAY)
    assert late is not None
    assert late.result(wait=0) is None  # not waited for: the window starts the plain way
    unneeded = first_frame.start(demo_dir, DEMO_TODAY)
    assert unneeded is not None
    unneeded.cancel()  # another window has the data
    assert unneeded.result() is None
    for pending in (late, unneeded):
        with pytest.raises(ChildProcessError):
            os.waitpid(pending._pid, os.WNOHANG)


_IMPORTED = """
import sys
{code}
print(" ".join(sorted(m for m in sys.modules
                      if m.startswith(("PySide6", "recoverydesk.core", "sqlite3", "json")))))
"""


@pytest.mark.parametrize(("code", "allowed"), [
    # What the command loads before it forks: nothing the child then has to wait for.
    ("import recoverydesk.launch, recoverydesk.first_frame", set()),
    # The child itself: the core and SQLite, never Qt.
    ("import datetime, pathlib, recoverydesk.first_frame as f; f.work_out("
     f"pathlib.Path({{folder!r}}), datetime.date.fromisoformat({DEMO_TODAY.isoformat()!r}))",
     None),
])
def test_what_each_side_of_the_fork_loads(demo_dir: pathlib.Path, code: str,
                                          allowed: set[str] | None) -> None:
    done = subprocess.run([sys.executable, "-c", _IMPORTED.format(code=code.format(
        folder=str(demo_dir)))], cwd=REPO, capture_output=True, text=True, timeout=60,
        check=True)
    loaded = set(done.stdout.split())
    if allowed is not None:
        assert loaded == allowed
    else:
        assert "recoverydesk.core.today_face" in loaded and "sqlite3" in loaded
        assert not {m for m in loaded if m.startswith("PySide6")}
