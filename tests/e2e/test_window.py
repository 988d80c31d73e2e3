"""The whole window on demo data: every view renders, and Today paints without heavy imports."""

from __future__ import annotations

import datetime as dt
import os
import pathlib
import subprocess
import sys

import pytest
from PySide6.QtCore import Qt

from recoverydesk.demo import fill_demo
from recoverydesk.gui.mainwindow import VIEW_NAMES
from recoverydesk.storage.store import Store

pytestmark = pytest.mark.e2e

REPO = pathlib.Path(__file__).resolve().parents[2]
TODAY = dt.date(2026, 3, 20)


@pytest.fixture
def demo_dir(tmp_path: pathlib.Path) -> pathlib.Path:
    folder = tmp_path / "demo"
    store = Store.open(folder)
    fill_demo(store, TODAY)
    store.close()
    return folder


def test_every_view_renders_on_demo_data(qtbot, demo_dir: pathlib.Path,
                                         tmp_path: pathlib.Path) -> None:
    from recoverydesk.app import build_main_window

    store = Store.open(demo_dir)
    try:
        window = build_main_window(store, TODAY, remember=False)
        qtbot.addWidget(window)
        window.setWindowState(Qt.WindowState.WindowNoState)  # offscreen's small screen maximises
        window.resize(780, 600)
        window.show()
        qtbot.waitExposed(window)
        assert window.windowTitle() == "Demo data — RecoveryDesk"
        for name in VIEW_NAMES:
            window.show_view(name)
            qtbot.wait(10)
            image = window.grab().toImage()
            path = tmp_path / f"{name}.png"
            assert not image.isNull()
            assert (image.width(), image.height()) == (780, 600)
            assert image.save(str(path))
            assert path.stat().st_size > 1000
        window.close()
    finally:
        store.close()


@pytest.mark.parametrize("view", ["today", "guided"])
def test_screenshot_function_writes_the_png(demo_dir: pathlib.Path, tmp_path: pathlib.Path,
                                            view: str) -> None:
    """screenshot() runs its own event loop, so it gets its own process."""
    out = tmp_path / f"{view}.png"
    code = ("import pathlib, sys; from recoverydesk.app import screenshot; "
            "sys.exit(screenshot(pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2]), "
            "sys.argv[3], (640, 480)))")
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    done = subprocess.run([sys.executable, "-c", code, str(demo_dir), str(out), view],
                          cwd=REPO, env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    from PySide6.QtGui import QImage

    image = QImage(str(out))
    assert (image.width(), image.height()) == (640, 480)
    assert not (demo_dir / "window.ini").exists()


_FIRST_PAINT = """
import pathlib, sys
from recoverydesk.app import after_first_paint, application, build_main_window
from recoverydesk.storage.store import Store
app = application()
store = Store.open(pathlib.Path(sys.argv[1]))
window = build_main_window(store, remember=False)
def check():
    print(window.current_view(), window.views['today'].heading.text())
    print(' '.join(m for m in ('pyqtgraph', 'numpy', 'sqlite_utils') if m in sys.modules))
    app.quit()
after_first_paint(window, check)
window.show()
app.exec()
store.close()
"""


def test_today_paints_without_pyqtgraph_numpy_or_sqlite_utils(demo_dir: pathlib.Path) -> None:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    done = subprocess.run([sys.executable, "-c", _FIRST_PAINT, str(demo_dir)], cwd=REPO,
                          env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    first, heavy = (done.stdout.splitlines() + ["", ""])[:2]
    assert first.startswith("today ")
    assert " — day " in first
    assert heavy.strip() == "", f"imported before the first paint: {heavy}"


def test_window_without_a_desktop_explains_instead_of_aborting(tmp_path) -> None:
    import os
    import subprocess
    import sys

    env = {k: v for k, v in os.environ.items()
           if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    result = subprocess.run([sys.executable, "-m", "recoverydesk", "--data-dir",
                             str(tmp_path / "data")], env=env, capture_output=True, text=True,
                            timeout=60)
    assert result.returncode == 1
    assert "graphical desktop" in result.stderr
    assert "Traceback" not in result.stderr
