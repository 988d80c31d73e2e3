"""Every view fits every screen (DESIGN §1.1): 1024×600, 1366×768 and 1920×1080.

The window is given what a maximised window gets on such a screen with a title bar (40 px
less height), shows each view on the demo recovery, and fails on anything a runner would see
cut: a control or label partly outside what the window shows, a horizontal scroll bar, or the
Log's Save out of sight.
"""

from __future__ import annotations

import pytest

from recoverydesk.gui.mainwindow import VIEW_NAMES, MainWindow
from tests.gui.fit import clipped, fully_visible, horizontal_scroll_bars

pytestmark = pytest.mark.gui

SCREENS = ((1024, 600), (1366, 768), (1920, 1080))
TITLE_BAR = 40


@pytest.mark.parametrize("screen", SCREENS, ids=[f"{w}x{h}" for w, h in SCREENS])
def test_every_view_fits(qtbot, demo_window: MainWindow, screen: tuple[int, int]) -> None:
    demo_window.resize(screen[0], screen[1] - TITLE_BAR)
    demo_window.show()
    qtbot.waitExposed(demo_window)
    problems: list[str] = []
    for name in VIEW_NAMES:
        demo_window.show_view(name)
        qtbot.wait(20)  # let each layout settle (views re-flow on resize)
        problems += [f"{name}: {p}" for p in clipped(demo_window)]
        problems += [f"{name}: {p}" for p in horizontal_scroll_bars(demo_window)]
        if name == "log":
            save = demo_window.views["log"].save_button
            revert = demo_window.views["log"].revert_button
            if not (fully_visible(save, demo_window) and fully_visible(revert, demo_window)):
                problems.append("log: Save/Revert out of sight")
    assert problems == []


def test_log_save_stays_in_sight_with_many_activities(qtbot, demo_window: MainWindow) -> None:
    demo_window.resize(1024, 600 - TITLE_BAR)
    demo_window.show()
    qtbot.waitExposed(demo_window)
    log = demo_window.show_view("log")
    for _ in range(8):
        log.add_activity_button.click()
    qtbot.wait(20)
    assert fully_visible(log.save_button, demo_window)
    assert horizontal_scroll_bars(demo_window) == []
