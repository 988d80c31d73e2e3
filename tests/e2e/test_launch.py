"""The ``recoverydesk`` command's front door (launch.py): which starts get a first frame, and
what the window has loaded when it paints one."""

from __future__ import annotations

import os
import pathlib
import subprocess
import sys

import pytest

from recoverydesk.launch import plain_window_start
from recoverydesk.storage.paths import ENV_DATA_DIR
from tests.conftest import DEMO_TODAY

pytestmark = pytest.mark.e2e

REPO = pathlib.Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(("argv", "expected"), [
    (["--data-dir", "/x/y"], (pathlib.Path("/x/y"), False)),
    (["--data-dir=/x/y", "--check-in"], (pathlib.Path("/x/y"), True)),
    (["--check-in", "--data-dir", "/x/y"], (pathlib.Path("/x/y"), True)),
])
def test_a_plain_window_start_is_recognised(argv: list[str], expected: object) -> None:
    assert plain_window_start(argv) == expected


def test_a_plain_start_without_a_folder_uses_the_usual_one(monkeypatch, tmp_path) -> None:
    monkeypatch.setenv(ENV_DATA_DIR, str(tmp_path / "mine"))
    assert plain_window_start([]) == (tmp_path / "mine", False)


@pytest.mark.parametrize("argv", [
    ["status"], ["--data-dir", "/x", "status"], ["run.gpx"], ["--hidden"], ["--help"],
    ["--version"], ["--data-dir"], ["--data-dir="], ["open", "a.fit"],
])
def test_anything_else_goes_to_the_command_line(argv: list[str]) -> None:
    assert plain_window_start(argv) is None


_FIRST_PAINT = """
import pathlib, sys, datetime
data_dir = pathlib.Path(sys.argv[1]); today = datetime.date.fromisoformat(sys.argv[2])
from recoverydesk import first_frame
pending = first_frame.start(data_dir, today)
from recoverydesk.app import after_first_paint, application, first_frame_window, open_with_messages
app = application()
window = first_frame_window(pending, data_dir, remember=False, today=today)
def check():
    loaded = [m for m in ("recoverydesk.core.engine", "recoverydesk.core.model",
                          "recoverydesk.storage.store", "sqlite3", "pyqtgraph") if m in sys.modules]
    today_view = window.views["today"]
    print(window.session.is_open, " ".join(loaded) or "-")
    print(today_view.heading.text())
    painted = today_view.face
    window.session.open(open_with_messages(data_dir))
    print(today_view.face == painted)
    window.session.close()
    app.quit()
after_first_paint(window, check)
window.show()
app.exec()
"""


@pytest.mark.skipif(not hasattr(os, "fork"), reason="the first frame needs os.fork")
def test_the_first_frame_paints_before_the_core_or_the_data_file_loads(
        demo_dir: pathlib.Path) -> None:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    done = subprocess.run([sys.executable, "-c", _FIRST_PAINT, str(demo_dir),
                           DEMO_TODAY.isoformat()], cwd=REPO, env=env, capture_output=True,
                          text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    opened_and_loaded, heading, same = done.stdout.splitlines()[:3]
    assert opened_and_loaded == "False -"
    assert " — day " in heading
    assert same == "True"
