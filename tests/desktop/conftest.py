"""A private D-Bus session bus for the notification tests (never the developer's own)."""

from __future__ import annotations

import os
import pathlib
import shutil
import signal
import subprocess
import sys
from collections.abc import Iterator

import pytest

HERE = pathlib.Path(__file__).parent


@pytest.fixture
def session_bus() -> Iterator[str]:
    """The address of a fresh session bus, stopped after the test."""
    if shutil.which("dbus-daemon") is None:
        pytest.skip("dbus-daemon is not installed (make test installs the dbus package)")
    daemon = subprocess.Popen(["dbus-daemon", "--session", "--nofork", "--print-address=1"],
                              stdout=subprocess.PIPE, text=True)
    assert daemon.stdout is not None
    address = daemon.stdout.readline().strip()
    try:
        yield address
    finally:
        daemon.send_signal(signal.SIGTERM)
        daemon.wait(timeout=10)


class NotificationServer:
    """The stand-in notification service, running on a bus; ``calls()`` is what it got."""

    def __init__(self, address: str, record: pathlib.Path, click: bool) -> None:
        self.record = record
        env = {**os.environ, "DBUS_SESSION_BUS_ADDRESS": address}
        self.process = subprocess.Popen(
            [sys.executable, str(HERE / "notification_server.py"), str(record)]
            + (["click"] if click else []), env=env, stdout=subprocess.PIPE, text=True)
        assert self.process.stdout is not None
        assert self.process.stdout.readline().strip() == "ready"

    def calls(self) -> list[dict[str, object]]:
        import json

        if not self.record.exists():
            return []
        return [json.loads(line) for line in self.record.read_text().splitlines()]

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=10)


@pytest.fixture
def notification_server(session_bus: str, tmp_path: pathlib.Path) -> Iterator[NotificationServer]:
    server = NotificationServer(session_bus, tmp_path / "notifications.jsonl", click=True)
    yield server
    server.stop()
