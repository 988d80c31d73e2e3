"""Notice a watch plugged in as a USB drive and offer its new activities (DESIGN.md §7).

Garmin watches (and others that copy them) show up as a drive with their recordings in
``GARMIN/Activity/*.fit``. While the window is open, :class:`WatchPoller` looks at the mounted
volumes (``QStorageInfo``) every 5 seconds, never more often, and when one holds activity
files it has not asked about, offers them once: "7 new activities on your Forerunner 935".
Whatever the answer (import or not now), those files are remembered in the setting
``watch_files_answered`` and never offered again; the import itself goes through the
ordinary importer (so files imported before are "already imported").

A file is remembered by its name and size, not by the drive's mount point, so the same watch
mounted elsewhere next time is still recognised. The poller starts after the window's first
paint (``app.py``) and lists only the ``GARMIN/Activity`` folder of each volume.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from pathlib import Path

from PySide6.QtCore import QObject, QStorageInfo, QTimer, Signal, Slot
from PySide6.QtWidgets import QMessageBox, QWidget

from recoverydesk.core import words
from recoverydesk.gui.session import Session

POLL_MS = 5000
"""At most one look at the drives every 5 seconds (§7)."""
ANSWERED_SETTING = "watch_files_answered"
MAX_REMEMBERED = 20_000
"""Years of daily runs; the oldest answers are dropped beyond this."""

Volumes = Callable[[], Sequence[tuple[str, Path]]]
Ask = Callable[[str, int], bool | None]
"""(device name, number of files) → True to import, False not to, None while undecided."""


def mounted_volumes() -> list[tuple[str, Path]]:
    """(name, root) of every mounted, ready volume but the system's own root."""
    found = []
    for volume in QStorageInfo.mountedVolumes():
        if not volume.isValid() or not volume.isReady() or volume.isRoot():
            continue
        root = Path(volume.rootPath())
        found.append((volume.displayName() or root.name, root))
    return found


def _child(folder: Path, name: str) -> Path | None:
    """``folder``'s child called ``name`` in any letter case (FAT drives vary), or None."""
    try:
        for entry in folder.iterdir():
            if entry.name.lower() == name.lower() and entry.is_dir():
                return entry
    except OSError:
        return None
    return None


def watch_files(root: Path) -> list[Path]:
    """The activity files in a volume's ``GARMIN/Activity`` folder, by name."""
    garmin = _child(root, "GARMIN")
    activity = _child(garmin, "Activity") if garmin is not None else None
    if activity is None:
        return []
    try:
        return sorted(p for p in activity.iterdir()
                      if p.suffix.lower() == ".fit" and p.is_file())
    except OSError:
        return []


_DESCRIPTION = re.compile(rb"<Description>\s*([^<]{1,60}?)\s*</Description>")


def device_name(root: Path, fallback: str) -> str:
    """The watch's model from ``GARMIN/GarminDevice.xml`` (e.g. "Forerunner 935"), else the
    volume's name. Only its first 64 kB are looked at, and only for one element."""
    garmin = _child(root, "GARMIN")
    candidates = [garmin / "GarminDevice.xml"] if garmin is not None else []
    for path in candidates:
        try:
            with path.open("rb") as handle:
                match = _DESCRIPTION.search(handle.read(65536))
        except OSError:
            continue
        if match:
            return match.group(1).decode("utf-8", errors="replace")
    return fallback or "watch"


def file_key(path: Path) -> str | None:
    try:
        return f"{path.name}|{path.stat().st_size}"
    except OSError:
        return None


class WatchPoller(QObject):
    """Looks for watches every 5 s and offers their new files once.

    Signals:
        offered: New files were offered. args: the device name, the files.
    """

    offered = Signal(str, list)

    def __init__(self, window: QWidget | None, session: Session, *,
                 volumes: Volumes | None = None, ask: Ask | None = None,
                 start_import: Callable[[list[Path]], object] | None = None) -> None:
        super().__init__(window)
        self._window = window
        self._session = session
        self._volumes = volumes or mounted_volumes
        self._ask = ask
        self._start_import = start_import or self._import
        self._asking = False
        self.timer = QTimer(self)
        self.timer.setInterval(POLL_MS)
        self.timer.timeout.connect(self.poll)

    def start(self) -> WatchPoller:
        self.timer.start()
        return self

    def answered(self) -> set[str]:
        return set(self._session.setting(ANSWERED_SETTING, []) or [])

    @Slot()
    def poll(self) -> None:
        """Look once; offer the first volume with files not asked about yet."""
        if self._asking:
            return
        answered = self.answered()
        for name, root in self._volumes():
            files = [p for p in watch_files(root) if file_key(p) not in answered]
            if files:
                self._offer(device_name(root, name), files)
                return

    def _offer(self, device: str, files: list[Path]) -> None:
        self._asking = True
        self.offered.emit(device, files)
        if self._ask is not None:
            self._answer(files, self._ask(device, len(files)))
            return
        count = len(files)
        box = QMessageBox(QMessageBox.Icon.Question, "Import from your watch",
                          f"{words.count_text(count, 'new activity', 'new activities')} on your "
                          f"{device}. Import {'it' if count == 1 else 'them'}?",
                          parent=self._window)
        yes = box.addButton("Import", QMessageBox.ButtonRole.AcceptRole)
        box.addButton("Not now", QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(yes)
        box.setInformativeText("RecoveryDesk will not ask about these files again.")
        box.finished.connect(lambda _code: self._answer(files, box.clickedButton() is yes))
        box.open()  # window-modal and non-blocking: the poller never waits on the GUI

    def _answer(self, files: list[Path], import_them: bool | None) -> None:
        self._asking = False
        if import_them is None:
            return
        keys = [k for k in map(file_key, files) if k is not None]
        remembered = [k for k in self._session.setting(ANSWERED_SETTING, []) or []
                      if k not in keys] + keys
        self._session.set_setting(ANSWERED_SETTING, remembered[-MAX_REMEMBERED:])
        if import_them:
            self._start_import(files)

    def _import(self, files: list[Path]) -> object:
        from recoverydesk.gui.importer import import_files

        return import_files(self._window, self._session, files)


def start_watch_poller(window: QWidget, session: Session) -> WatchPoller:
    """Start looking for watches (call after the window's first paint)."""
    poller = WatchPoller(window, session).start()
    QTimer.singleShot(0, poller.poll)
    return poller
