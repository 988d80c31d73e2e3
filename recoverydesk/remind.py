"""``recoverydesk remind``: the windowless daily reminder (DESIGN.md §1.1, §9).

Started at login where the desktop has no system tray. It waits for the reminder time, and if
today has no entry yet it sends a desktop notification; clicking it (its action) opens the
window on the check-in. It holds no data open while it waits: each look opens the data file
read-only in effect (no check, no backup), reads the setting and today's entry, and closes it,
so the window and the command line are never in its way. Qt-free and small.
"""

from __future__ import annotations

import datetime
import pathlib
import subprocess
import sys
from collections.abc import Callable

from recoverydesk.core import reminder
from recoverydesk.notify import Notifier, NotifyError

APP_NAME = "RecoveryDesk"
ICON = "io.github.recoverydesk.RecoveryDesk"


def today_state(data_dir: pathlib.Path,
                day: datetime.date) -> tuple[datetime.time | None, bool]:
    """The reminder time (None: off, or nothing to remind about) and whether ``day`` is
    logged. A data folder without data, or one that cannot be read now, reminds nothing."""
    from recoverydesk.storage.store import DB_NAME, Store, StoreError

    if not (data_dir / DB_NAME).is_file():
        return None, False
    try:
        store = Store.open(data_dir, check=False)
    except StoreError:
        return None, False
    try:
        if store.current_episode() is None:
            return None, False
        return reminder.from_setting(store.setting(reminder.SETTING)), \
            store.day_log(day) is not None
    finally:
        store.close()


def open_check_in(data_dir: pathlib.Path) -> None:
    """Open the window on today's check-in (a running window is brought to the front)."""
    from recoverydesk.autostart import self_command

    subprocess.Popen([*self_command(), "--data-dir", str(data_dir), "--check-in"],
                     stdin=subprocess.DEVNULL, start_new_session=True)


def run(data_dir: pathlib.Path, *, bus: str | None = None,
        clock: Callable[[], datetime.datetime] = reminder.local_now,
        launch: Callable[[pathlib.Path], None] = open_check_in,
        keep_going: Callable[[], bool] = lambda: True,
        check_every: float = reminder.CHECK_EVERY_S) -> int:
    """Remind until stopped; the exit code (1 when no notification service can be reached).

    Args:
        data_dir: The data folder to watch.
        bus: A D-Bus address (tests pass their private bus); None for the session bus.
        clock: The aware local time now.
        launch: Opens the check-in when the runner clicks the notification.
        keep_going: Asked before each look; the loop ends when it says no.
        check_every: The longest wait between two looks at the clock and the data.
    """
    try:
        notifier = Notifier(bus)
    except NotifyError as error:
        return _no_service(str(error))
    if not notifier.available():
        notifier.close()
        return _no_service("no notification service on the session bus")
    words = reminder.texts()
    notified_on: datetime.date | None = None
    shown: list[int] = []
    try:
        while keep_going():
            now = clock()
            at, logged = today_state(data_dir, now.date())
            wait = check_every
            if at is not None:
                if reminder.is_due(now, at, logged_today=logged, notified_on=notified_on):
                    try:
                        shown.append(notifier.notify(words["title"], words["body"],
                                                     app_name=APP_NAME, icon=ICON,
                                                     action_label=words["action"]))
                        notified_on = now.date()
                    except NotifyError as error:
                        print(f"remind: {error}", file=sys.stderr)
                due = reminder.next_due(now, at, logged_today=logged, notified_on=notified_on)
                wait = min(check_every, reminder.seconds_to_wait(now, due) or check_every)
            event = notifier.wait(shown, wait)
            if event is not None:
                shown.remove(event.notification_id)
                if event.action is not None:
                    launch(data_dir)
    except KeyboardInterrupt:
        pass
    finally:
        notifier.close()
    return 0


def _no_service(reason: str) -> int:
    print(f"remind: cannot send desktop notifications ({reason}). "
          + reminder.texts()["no_notifications"], file=sys.stderr)
    return 1
