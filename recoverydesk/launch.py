"""The ``recoverydesk`` command's front door: a plain window start begins Today's first frame
before anything else loads (``first_frame.py``); everything else is the command line's
(``cli.py``).

A plain start is ``recoverydesk``, with ``--data-dir DIR`` and ``--check-in`` or not: how the
menu entry, the autostart's reminder and a runner at a terminal open the window. Importing
this module loads nothing but the standard library's smallest parts.
"""

from __future__ import annotations

import pathlib
import sys
from collections.abc import Sequence


def plain_window_start(argv: Sequence[str]) -> tuple[pathlib.Path, bool] | None:
    """The data folder and whether to open on the check-in, when ``argv`` only opens the
    window; None for anything else (a command, files to import, ``--hidden``, help)."""
    data_dir: str | None = None
    check_in = False
    words = list(argv)
    while words:
        word = words.pop(0)
        if word == "--check-in":
            check_in = True
        elif word == "--data-dir" and words:
            data_dir = words.pop(0)
        elif word.startswith("--data-dir="):
            data_dir = word.split("=", 1)[1]
        else:
            return None
    if data_dir == "":
        return None  # the command line says what is wrong with it
    from recoverydesk.storage.paths import resolve_data_dir

    return resolve_data_dir(data_dir), check_in


def main(argv: Sequence[str] | None = None) -> int:
    """Run ``recoverydesk`` with ``argv`` (default: the process's); the exit code."""
    words = list(argv) if argv is not None else sys.argv[1:]
    plain = plain_window_start(words)
    if plain is None:
        from recoverydesk.cli import main as command_line

        return command_line(words)
    data_dir, check_in = plain
    from recoverydesk import first_frame

    pending = first_frame.start(data_dir)
    try:
        from recoverydesk.app import run_window

        return run_window(data_dir, check_in=check_in, first=pending)
    except (Exception, KeyboardInterrupt) as exc:
        from recoverydesk.cli import failure_code  # only now: it loads the core

        return failure_code(exc)
