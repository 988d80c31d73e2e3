"""`recoverydesk remind`: notifications over a private D-Bus session bus to a stand-in server."""

from __future__ import annotations

import datetime as dt
import os
import pathlib
import subprocess
import sys
import time
import zoneinfo

import pytest

from recoverydesk import remind
from recoverydesk.core import reminder
from recoverydesk.core.model import DayLog, EpisodeInfo
from recoverydesk.notify import Notifier
from recoverydesk.storage.store import Store
from tests.desktop.conftest import NotificationServer

pytestmark = pytest.mark.e2e

ZONE = zoneinfo.ZoneInfo("Europe/Berlin")
TODAY = dt.date.today()


def data_folder(tmp_path: pathlib.Path, *, at: str | None, logged: bool) -> pathlib.Path:
    folder = tmp_path / "data"
    store = Store.open(folder)
    try:
        store.start_episode(EpisodeInfo(TODAY - dt.timedelta(days=3)), today=TODAY)
        if at is not None:
            store.set_setting(reminder.SETTING, at)
        if logged:
            store.save_day(DayLog(TODAY, pain=3))
    finally:
        store.close()
    return folder


def evening() -> dt.datetime:
    return dt.datetime.combine(TODAY, dt.time(20, 5), tzinfo=ZONE)


class Loop:
    """Lets ``remind.run`` look a few times, then stops it."""

    def __init__(self, looks: int) -> None:
        self.left = looks
        self.launched: list[pathlib.Path] = []

    def keep_going(self) -> bool:
        self.left -= 1
        return self.left >= 0 and not self.launched

    def launch(self, folder: pathlib.Path) -> None:
        self.launched.append(folder)


def test_an_unlogged_evening_sends_one_notification_whose_click_opens_the_check_in(
        tmp_path: pathlib.Path, session_bus: str,
        notification_server: NotificationServer) -> None:
    folder = data_folder(tmp_path, at="20:00", logged=False)
    loop = Loop(looks=20)
    code = remind.run(folder, bus=session_bus, clock=evening, launch=loop.launch,
                      keep_going=loop.keep_going, check_every=0.05)
    assert code == 0
    calls = notification_server.calls()
    assert len(calls) == 1
    call = calls[0]
    words = reminder.texts()
    assert call["signature"] == "susssasa{sv}i"
    assert (call["app"], call["summary"], call["body"]) == ("RecoveryDesk", words["title"],
                                                            words["body"])
    assert call["actions"] == ["default", words["action"]]
    assert call["hints"]["desktop-entry"] == "io.github.recoverydesk.RecoveryDesk"
    assert loop.launched == [folder]  # the stand-in clicked it


def test_no_notification_once_today_is_logged_or_before_the_time(
        tmp_path: pathlib.Path, session_bus: str,
        notification_server: NotificationServer) -> None:
    folder = data_folder(tmp_path, at="20:00", logged=True)
    loop = Loop(looks=3)
    remind.run(folder, bus=session_bus, clock=evening, launch=loop.launch,
               keep_going=loop.keep_going, check_every=0.05)
    afternoon = dt.datetime.combine(TODAY, dt.time(15, 0), tzinfo=ZONE)
    unlogged = data_folder(tmp_path / "other", at="20:00", logged=False)
    remind.run(unlogged, bus=session_bus, clock=lambda: afternoon, launch=loop.launch,
               keep_going=Loop(looks=3).keep_going, check_every=0.05)
    assert notification_server.calls() == []
    assert loop.launched == []


def test_no_reminder_chosen_means_no_notification(
        tmp_path: pathlib.Path, session_bus: str,
        notification_server: NotificationServer) -> None:
    folder = data_folder(tmp_path, at=None, logged=False)
    remind.run(folder, bus=session_bus, clock=evening, launch=Loop(3).launch,
               keep_going=Loop(looks=3).keep_going, check_every=0.05)
    assert notification_server.calls() == []


def test_a_bus_without_a_notification_service_is_said_and_remind_stops(
        tmp_path: pathlib.Path, session_bus: str, capsys: pytest.CaptureFixture[str]) -> None:
    folder = data_folder(tmp_path, at="20:00", logged=False)
    assert not Notifier(session_bus).available()
    code = remind.run(folder, bus=session_bus, clock=evening, launch=Loop(3).launch,
                      keep_going=Loop(looks=3).keep_going, check_every=0.05)
    assert code == 1
    assert "cannot send desktop notifications" in capsys.readouterr().err


def test_the_remind_command_notifies_from_its_own_process(
        tmp_path: pathlib.Path, session_bus: str) -> None:
    # A reminder at 00:00 is due all day long, whatever time the test runs.
    folder = data_folder(tmp_path, at="00:00", logged=False)
    server = NotificationServer(session_bus, tmp_path / "calls.jsonl", click=False)
    env = {**os.environ, "DBUS_SESSION_BUS_ADDRESS": session_bus}
    env.pop("DISPLAY", None)
    env.pop("WAYLAND_DISPLAY", None)
    process = subprocess.Popen([sys.executable, "-m", "recoverydesk", "remind",
                                "--data-dir", str(folder)], env=env,
                               stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 20
        while not server.calls() and time.monotonic() < deadline and process.poll() is None:
            time.sleep(0.1)
        assert process.poll() is None, process.stderr.read() if process.stderr else ""
        assert [c["summary"] for c in server.calls()] == [reminder.texts()["title"]]
    finally:
        process.terminate()
        process.wait(timeout=10)
        server.stop()
