"""Book-keeping of the jobs that work on a thread beside the GUI's (the importer).

A full garbage collection walks every object of the app while holding Python's lock, on
whichever thread triggers it; a job allocates a lot, so a collection would come during it and
freeze the window. Objects alive when the first job starts are set aside from collections
until the last job of its kind ends, and Python hands its lock between the threads every
millisecond rather than every five. Each job also stops when the application quits.
"""

from __future__ import annotations

import gc
import sys
from collections.abc import Callable, MutableSet
from typing import Any

from PySide6.QtCore import QCoreApplication, QThread

_DEFAULT_SWITCH_S = sys.getswitchinterval()
_SWITCH_S = 0.001
"""While a job runs, Python offers its lock to the other thread every millisecond (not every
5 ms), so the window's events wait less behind the job's Python code."""


def start_job(job: Any, running: MutableSet[Any], thread: QThread,
              on_quit: Callable[[], None]) -> None:
    """Count ``job`` among ``running``, ask to hear of the app quitting, start ``thread``."""
    if not running:
        gc.freeze()
        sys.setswitchinterval(_SWITCH_S)
    running.add(job)
    app = QCoreApplication.instance()
    if app is not None:
        app.aboutToQuit.connect(on_quit)
    thread.start()


def end_job(job: Any, running: MutableSet[Any], on_quit: Callable[[], None]) -> None:
    """Undo :func:`start_job` once ``job``'s thread has finished."""
    running.discard(job)
    if not running:
        gc.unfreeze()
        sys.setswitchinterval(_DEFAULT_SWITCH_S)
    app = QCoreApplication.instance()
    if app is not None:
        try:
            app.aboutToQuit.disconnect(on_quit)
        except (RuntimeError, TypeError):  # already gone
            pass
