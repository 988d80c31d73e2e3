"""Today's first frame, worked out in a child process while the window's process loads Qt.

DESIGN §10 counts from the start to the first painted window with Today filled in. The
window's process spends about 110 ms loading Qt; working Today out (the core, the data file,
the replay, the texts) takes 60–120 ms more, and Python does one thing at a time. So a plain
window start (``launch.py``) forks first thing, before Qt or any thread exists: the child reads
the data file read-only (``Store.peek``), works out Today's face (``core/today_face.py``) and
sends it down a pipe, while the parent loads Qt on the other core. The parent paints that
face, then opens the data file itself and shows Today again from its own reading: the same
face, unless the data changed in between. Nothing is saved, so the face is never stale.

There is no first frame, and the window starts the plain way, without ``os.fork``
(Windows); when the data file is missing, to be migrated or cannot simply be read; before an
episode has begun (the first-run questions come first); when the window last closed on another
view (``app.first_frame_window``); or when the child fails or takes longer than ``WAIT_S``.
"""

from __future__ import annotations

import datetime
import marshal
import os
import pathlib
import select
import signal
import time
from typing import TYPE_CHECKING, TypedDict

if TYPE_CHECKING:
    from recoverydesk.core.today_face import Face

WAIT_S = 2.0
"""How long the window waits for the child before starting the plain way."""


class FirstFrame(TypedDict):
    """What the window needs before its data file is open: Today's face and the title's
    demo mark."""

    face: Face
    demo: bool


def work_out(data_dir: pathlib.Path, today: datetime.date | None = None) -> FirstFrame | None:
    """The first frame for the data in ``data_dir``, read without writing; None when there is
    none to show (see the module's docstring)."""
    from recoverydesk.core import today_face
    from recoverydesk.storage.errors import StoreError
    from recoverydesk.storage.reader import Reader, clock
    from recoverydesk.storage.store import Store

    try:
        store = Store.peek(data_dir)
    except StoreError:
        return None
    try:
        reader = Reader(store, today=clock(today))
        if reader.episode is None:
            return None
        return FirstFrame(face=today_face.face(reader),
                          demo=bool(store.setting("demo", False)))
    finally:
        store.close()


class Pending:
    """A first frame being worked out by a child process (``start``)."""

    def __init__(self, pid: int, fd: int) -> None:
        self._pid = pid
        self._fd = fd
        self._done = False
        self._frame: FirstFrame | None = None

    def result(self, wait: float = WAIT_S) -> FirstFrame | None:
        """The child's first frame, waiting at most ``wait`` seconds for it; None when it has
        none, failed or is late (it is stopped then)."""
        if self._done:
            return self._frame
        chunks: list[bytes] = []
        deadline = time.monotonic() + wait
        complete = False
        try:
            while True:
                left = deadline - time.monotonic()
                if left <= 0 or not select.select([self._fd], [], [], left)[0]:
                    break
                chunk = os.read(self._fd, 1 << 16)
                if not chunk:
                    complete = True
                    break
                chunks.append(chunk)
        except OSError:
            complete = False
        code = self._finish(stop=not complete)
        if complete and code == 0 and chunks:
            try:
                frame = marshal.loads(b"".join(chunks))
            except (ValueError, EOFError, TypeError):
                frame = None
            if isinstance(frame, dict) and isinstance(frame.get("face"), dict):
                self._frame = frame  # type: ignore[assignment]  # our child's own FirstFrame
        return self._frame

    def cancel(self) -> None:
        """Not needed after all (another window has the data): stop the child."""
        if not self._done:
            self._finish(stop=True)

    def _finish(self, *, stop: bool) -> int:
        """Close the pipe and reap the child (killed first when ``stop``); its exit code."""
        self._done = True
        os.close(self._fd)
        if stop:
            try:
                os.kill(self._pid, signal.SIGKILL)
            except OSError:
                pass
        try:
            _pid, status = os.waitpid(self._pid, 0)
        except ChildProcessError:
            return -1
        return os.waitstatus_to_exitcode(status)


def start(data_dir: pathlib.Path, today: datetime.date | None = None) -> Pending | None:
    """Fork a child that works out the first frame for ``data_dir``; None where there is no
    ``fork``. Call before Qt is loaded or any thread started."""
    if not hasattr(os, "fork"):
        return None
    try:
        read_end, write_end = os.pipe()
    except OSError:
        return None
    try:
        pid = os.fork()
    except OSError:
        os.close(read_end)
        os.close(write_end)
        return None
    if pid == 0:  # the child: work it out, send it, and leave without running the parent's exit
        code = 1
        try:
            os.close(read_end)
            frame = work_out(pathlib.Path(data_dir), today)
            if frame is not None:
                data = memoryview(marshal.dumps(dict(frame)))
                while data:
                    data = data[os.write(write_end, data):]
                code = 0
        except BaseException:  # noqa: BLE001 - any failure means: no first frame
            code = 1
        finally:
            os._exit(code)
    os.close(write_end)
    return Pending(pid, read_end)
