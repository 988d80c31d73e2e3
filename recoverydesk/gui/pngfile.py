"""Save a QImage as a private PNG file (0600, atomic, never over a file unasked: safefile)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice
from PySide6.QtGui import QImage, QImageWriter

from recoverydesk.storage.safefile import write_private


def write_png(image: QImage, target: Path, *, replace: bool = False) -> Path:
    """Encode ``image`` in memory, then write it through ``write_private``.

    Raises:
        OSError: The image is empty or the file cannot be written (FileExistsError when it
            exists and ``replace`` is False).
    """
    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    if image.isNull() or not QImageWriter(buffer, QByteArray(b"PNG")).write(image):
        raise OSError(f"Could not draw the image for {target}")
    return write_private(target, bytes(buffer.data().data()), replace=replace)
