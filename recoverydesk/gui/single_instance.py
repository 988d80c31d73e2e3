"""One running window per data folder (DESIGN.md §8): the second launch hands over and exits.

The data folder's ``QLockFile`` decides who runs. The running window listens on a local
socket named after its data folder (and the user); a second launch that finds the lock taken
connects, sends one JSON line — show the window, open the check-in, import these files — waits
for "ok", and exits 0. Nothing else is accepted on the socket.
"""

from __future__ import annotations

import getpass
import hashlib
import json
import pathlib
import time
from collections.abc import Sequence

from PySide6.QtCore import QObject, Signal, Slot
from PySide6.QtNetwork import QLocalServer, QLocalSocket

CONNECT_FOR_S = 4.0
"""How long a second launch keeps trying: the first may still be painting its window."""
MAX_MESSAGE = 1 << 20


def server_name(data_dir: pathlib.Path) -> str:
    """A socket name unique to this user and data folder."""
    key = f"{getpass.getuser()}\0{pathlib.Path(data_dir).expanduser().resolve()}"
    return "recoverydesk-" + hashlib.sha256(key.encode()).hexdigest()[:24]


def forward(data_dir: pathlib.Path, *, files: Sequence[pathlib.Path] = (),
            check_in: bool = False, show: bool = True) -> bool:
    """Hand this launch over to the window already running on ``data_dir``; whether it took it.
    """
    message = json.dumps({"show": show, "check_in": check_in,
                          "files": [str(pathlib.Path(f)) for f in files]}).encode() + b"\n"
    deadline = time.monotonic() + CONNECT_FOR_S
    while True:
        socket = QLocalSocket()
        socket.connectToServer(server_name(data_dir))
        if socket.waitForConnected(500):
            socket.write(message)
            socket.flush()
            answer = b""
            while b"\n" not in answer and socket.waitForReadyRead(3000):
                answer += bytes(socket.readAll().data())
            socket.disconnectFromServer()
            return answer.strip() == b"ok"
        if time.monotonic() >= deadline:
            return False
        time.sleep(0.1)


class InstanceServer(QObject):
    """Listens for later launches on the same data folder.

    Signals:
        request_received: A later launch asked for something. args: show (bool), check_in
            (bool), files (list of pathlib.Path).
    """

    request_received = Signal(bool, bool, list)

    def __init__(self, data_dir: pathlib.Path, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._server = QLocalServer(self)
        self._server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        name = server_name(data_dir)
        # We hold the data folder's lock, so a socket left under this name is a dead one's.
        QLocalServer.removeServer(name)
        self.listening = self._server.listen(name)
        self._server.newConnection.connect(self._on_new_connection)
        self._buffers: dict[QLocalSocket, bytes] = {}

    @Slot()
    def _on_new_connection(self) -> None:
        while self._server.hasPendingConnections():
            socket = self._server.nextPendingConnection()
            self._buffers[socket] = b""
            socket.readyRead.connect(lambda s=socket: self._on_ready_read(s))
            socket.disconnected.connect(lambda s=socket: self._forget(s))

    def _on_ready_read(self, socket: QLocalSocket) -> None:
        data = self._buffers.get(socket, b"") + bytes(socket.readAll().data())
        if len(data) > MAX_MESSAGE:
            socket.abort()
            return
        self._buffers[socket] = data
        if b"\n" not in data:
            return
        line = data.split(b"\n", 1)[0]
        try:
            request = json.loads(line)
            show, check_in = bool(request.get("show", True)), bool(request.get("check_in"))
            files = [pathlib.Path(str(f)) for f in request.get("files", [])]
        except (ValueError, AttributeError, TypeError):
            socket.abort()
            return
        socket.write(b"ok\n")
        socket.flush()
        self.request_received.emit(show, check_in, files)

    def _forget(self, socket: QLocalSocket) -> None:
        self._buffers.pop(socket, None)
        socket.deleteLater()

    def close(self) -> None:
        self._server.close()
