"""One window per data folder (DESIGN §8): a second launch hands over and exits 0."""

from __future__ import annotations

import datetime as dt
import os
import pathlib
import subprocess
import sys
import time

import pytest
from PySide6.QtNetwork import QLocalSocket

from recoverydesk.core.model import EpisodeInfo
from recoverydesk.storage.store import Store

TODAY = dt.date.today()


def episode_folder(tmp_path: pathlib.Path) -> pathlib.Path:
    folder = tmp_path / "data"
    store = Store.open(folder)
    store.start_episode(EpisodeInfo(TODAY - dt.timedelta(days=5)), today=TODAY)
    store.close()
    return folder


def logged_days(folder: pathlib.Path) -> list[dt.date]:
    store = Store.open(folder, check=False)
    try:
        return [log.day for log in store.day_logs()]
    finally:
        store.close()


@pytest.mark.e2e
def test_a_second_launch_hands_its_files_to_the_running_window_and_exits_0(
        tmp_path: pathlib.Path) -> None:
    folder = episode_folder(tmp_path)
    days = tmp_path / "days.csv"
    yesterday, before = TODAY - dt.timedelta(days=1), TODAY - dt.timedelta(days=2)
    days.write_text(f"date,pain\n{before},3\n{yesterday},2\n", encoding="utf-8")
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "HOME": str(tmp_path / "home")}
    command = [sys.executable, "-m", "recoverydesk", "--data-dir", str(folder)]
    first = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL,
                             stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 30
        while not (folder / ".lock").exists() and time.monotonic() < deadline:
            time.sleep(0.1)
        assert first.poll() is None, first.stderr.read() if first.stderr else ""

        second = subprocess.run([*command, str(days)], env=env, capture_output=True,
                                text=True, timeout=60)
        assert second.returncode == 0, second.stderr
        assert "already open" not in second.stdout + second.stderr

        while logged_days(folder) != [before, yesterday] and time.monotonic() < deadline + 30:
            time.sleep(0.2)
        assert logged_days(folder) == [before, yesterday]  # imported by the first window

        third = subprocess.run([*command, "--check-in"], env=env, capture_output=True,
                               text=True, timeout=60)
        assert third.returncode == 0, third.stderr
        assert first.poll() is None  # the first window is still the one running
    finally:
        first.terminate()
        first.wait(timeout=20)


@pytest.mark.gui
@pytest.mark.qt_log_ignore("does not support raise")  # offscreen has no window stacking
def test_the_running_window_comes_to_the_front_on_the_check_in(qtbot, tmp_path: pathlib.Path,
                                                               monkeypatch) -> None:
    from recoverydesk.app import _become_desktop_citizen, build_main_window
    from recoverydesk.gui.single_instance import server_name

    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    folder = episode_folder(tmp_path)
    store = Store.open(folder)
    try:
        window = build_main_window(store, remember=False)
        qtbot.addWidget(window)
        window.show_view("history")
        _become_desktop_citizen(window, folder, [], False)
        assert not window.isVisible()  # as when started hidden in the tray

        client = QLocalSocket()
        client.connectToServer(server_name(folder))
        assert client.waitForConnected(2000)
        client.write(b'{"show": true, "check_in": true, "files": []}\n')
        client.flush()
        qtbot.waitUntil(lambda: client.bytesAvailable() > 0 or window.isVisible(), timeout=5000)
        qtbot.waitUntil(window.isVisible, timeout=5000)
        assert window.current_view() == "today"
        client.disconnectFromServer()

        junk = QLocalSocket()
        junk.connectToServer(server_name(folder))
        assert junk.waitForConnected(2000)
        junk.write(b"not json\n")
        junk.flush()
        qtbot.waitUntil(lambda: junk.state() == QLocalSocket.LocalSocketState.UnconnectedState,
                        timeout=5000)
        window.quit_app()
    finally:
        store.close()
