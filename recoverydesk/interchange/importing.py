"""Import one file of any kind the app reads, by what its content says it is (DESIGN.md §7).

The command line and the window share this dispatch, so a file gets the same answer and the
same words in both. The work is split in two because the window runs it on two threads:

- :func:`prepare` reads and checks the file without touching the store. It is the slow part
  (decoding a 1 MB FIT file takes seconds), so the window runs it on a worker thread.
- :meth:`Prepared.commit` writes what was read in one store transaction. It is quick, and the
  window runs it on the GUI thread, so the store keeps one connection used from one thread
  and a cancel can never leave half a file behind.

:func:`import_file` does both, one after the other, for the command line.

Formats, tried in this order: an activity file (GPX, TCX, FIT, recognised by content or by
extension), a RecoveryDesk JSON export (restored only into an empty data folder), a
``days.csv`` / ``activities.csv`` diary (recognised by its header). Anything else is refused
with one line.
"""

from __future__ import annotations

import dataclasses
import datetime
import hashlib
import stat
from collections.abc import Collection
from pathlib import Path
from typing import TYPE_CHECKING

from recoverydesk.core import words
from recoverydesk.interchange.activity_files import ImportRefused, file_label, read_limited

if TYPE_CHECKING:
    from recoverydesk.interchange.activity_files import ParsedFile
    from recoverydesk.interchange.archives import Member
    from recoverydesk.interchange.diary import DiaryFile
    from recoverydesk.storage.store import Store

FILE_PATTERNS: tuple[str, ...] = ("*.gpx", "*.tcx", "*.fit", "*.csv", "*.json", "*.zip", "*.gz")
"""Names a file chooser offers; content decides in the end, the extension only helps."""

HEAD_BYTES = 65536


@dataclasses.dataclass(frozen=True, slots=True)
class Prepared:
    """One file read and checked, ready to be written.

    Exactly one of ``activity_file``, ``diary`` and ``backup`` is set, except for kind
    ``already``: a file whose SHA-256 the store already lists, which was not read at all.

    Attributes:
        path: The file as given.
        kind: ``activities`` (GPX/TCX/FIT), ``diary``, ``backup`` (JSON export) or
            ``already``.
        activity_file: The parsed activity file.
        diary: The checked diary.
        backup: The JSON document's bytes (checked once already; ``import_json`` checks it
            again inside its transaction, which is what makes the restore safe).
        name: For an archive member, its name as shown (``path`` is then the archive).
    """

    path: Path
    kind: str
    activity_file: ParsedFile | None = None
    diary: DiaryFile | None = None
    backup: bytes | None = None
    name: str | None = None

    @property
    def activity_count(self) -> int:
        if self.activity_file is not None:
            return len(self.activity_file.activities)
        if self.diary is not None:
            return len(self.diary.activities)
        return 0

    def commit(self, store: Store, today: datetime.date) -> Outcome:
        """Write the file in one transaction and say what happened.

        Raises:
            ImportRefused: The store refused the content (e.g. a backup into a folder that
                holds data); nothing was written.
            ValidationError: A value broke a rule of §3; nothing was written.
            StoreError: The data file could not be written; nothing was written.
        """
        if self.kind == "already":
            return Outcome("already", "already imported")
        if self.activity_file is not None:
            parsed = self.activity_file
            label = self.name or file_label(self.path)
            added = store.add_file(parsed.sha256, label, parsed.format, parsed.activities,
                                   today=today)
            if not added:
                return Outcome("already", "already imported")
            count = len(parsed.activities)
            info = store.current_episode()
            text = (f"imported {words.count_text(count, 'activity')}"
                    + when_words([a.day for a in parsed.activities],
                                 info.start if info else None))
            return Outcome("imported", text, count)
        if self.diary is not None:
            from recoverydesk.interchange import diary

            done = diary.write_diary(store, self.diary, today)
            if done.already:
                return Outcome("already", done.describe())
            return Outcome("imported", done.describe(),
                           done.count if done.shape == "activities" else 0)
        assert self.backup is not None
        from recoverydesk.interchange import export

        counts = export.import_json(store, self.backup, today)
        return Outcome("imported",
                       f"imported a backup: {counts['episodes']} episodes, {counts['days']} days, "
                       f"{counts['activities']} activities", counts["activities"])


BEFORE_EPISODE = "before your episode began: kept in History, not in the plan"
"""Said of imported activities dated before the episode's start (DESIGN §1.1)."""


def when_words(days: Collection[datetime.date], start: datetime.date | None) -> str:
    """" (Fri 6 Mar 2026)", with a word for the days before the episode began."""
    if not days:
        return ""
    ordered = sorted(set(days))

    when = words.date_text(ordered[0], weekday=True)
    if len(ordered) > 1:
        when += f" to {words.date_text(ordered[-1], weekday=True)}"
    before = [d for d in days if start is not None and d < start]
    if before and len(before) == len(days):
        when += f"; {BEFORE_EPISODE}"
    elif before:
        when += f"; {len(before)} of them {BEFORE_EPISODE}"
    return f" ({when})"


@dataclasses.dataclass(frozen=True, slots=True)
class Outcome:
    """What importing one file did.

    Attributes:
        status: ``imported``, ``already`` (the same file was imported before: nothing
            changed) or ``failed`` (set by callers that catch a refusal).
        text: The summary line's words, e.g. "imported 3 activities".
        activities: How many activities were added.
    """

    status: str
    text: str
    activities: int = 0


def prepare(path: Path, today: datetime.date,
            known_sha256: Collection[str] = ()) -> Prepared:
    """Read and check ``path`` without writing anything; safe on any thread.

    ``known_sha256`` (the store's imported files, read beforehand by the caller) lets a file
    imported before be answered "already imported" from its hash alone, so re-importing a
    folder of large FIT files takes milliseconds, not minutes. The store still has the last
    word when the file is committed.

    Raises:
        ImportRefused: Why the file cannot be imported, in one line (DiaryRefused and
            BackupRefused are kinds of it).
    """
    from recoverydesk.interchange import activity_files, diary, export

    path = Path(path)
    if known_sha256 and file_sha256(path) in known_sha256:
        return Prepared(path, "already")
    head = b""
    if path.is_file():
        try:
            with path.open("rb") as handle:
                head = handle.read(HEAD_BYTES)
        except OSError as exc:
            raise ImportRefused(f"cannot open the file: {exc.strerror or exc}") from None
    suffix = path.suffix.lower()
    is_activity_file = head[8:12] == b".FIT" or suffix in (".gpx", ".tcx", ".fit") or (
        activity_files.detect_format(head, path) is not None)
    if not is_activity_file and head and (suffix == ".json" or export.looks_like_backup(head)):
        data = read_limited(path, export.MAX_JSON_BYTES, export.BackupRefused)
        export.parse_backup(data, today)  # refuse a bad document here, off the GUI thread
        return Prepared(path, "backup", backup=data)
    if not is_activity_file and head and (suffix == ".csv" or diary.sniff_shape(head)):
        return Prepared(path, "diary", diary=diary.read_diary(path, today))
    if head and not is_activity_file:
        raise ImportRefused(
            "unknown format: not a GPX, TCX or FIT file, a days.csv or activities.csv diary, "
            "or a RecoveryDesk JSON export")
    return Prepared(path, "activities",
                    activity_file=activity_files.read_activity_file(path, today))


def prepare_member(archive: Path, member: Member, today: datetime.date,
                   known_sha256: Collection[str] = ()) -> Prepared:
    """Read and check one archive member like a loose file; safe on any thread.

    The member's bytes go through the same reader as a file's, and "already imported" is
    the same test, on the SHA-256 of the decompressed file (for a Strava row without a file,
    of its Strava id).

    Raises:
        ImportRefused: Why the member cannot be imported, in one line.
    """
    from recoverydesk.interchange import activity_files

    if member.refused is not None:
        raise ImportRefused(member.refused)
    if member.activity is not None:
        assert member.key is not None
        if member.key in known_sha256:
            return Prepared(Path(archive), "already", name=member.name)
        parsed = activity_files.ParsedFile(Path(archive), "csv", member.key, (member.activity,))
        return Prepared(Path(archive), "activities", activity_file=parsed, name=member.name)
    assert member.data is not None
    if known_sha256 and hashlib.sha256(member.data).hexdigest() in known_sha256:
        return Prepared(Path(archive), "already", name=member.name)
    parsed = activity_files.read_activity_bytes(member.data, member.file_name, today)
    return Prepared(Path(archive), "activities", activity_file=parsed, name=member.name)


def file_sha256(path: Path) -> str | None:
    """The SHA-256 of a regular, non-empty file of at most 50 MB, else None (unread)."""
    from recoverydesk.interchange.activity_files import MAX_FILE_BYTES

    try:
        info = Path(path).stat()
        if not stat.S_ISREG(info.st_mode) or not 0 < info.st_size <= MAX_FILE_BYTES:
            return None
        digest = hashlib.sha256()
        with Path(path).open("rb") as handle:
            while chunk := handle.read(1 << 20):
                digest.update(chunk)
    except OSError:
        return None
    return digest.hexdigest()


def import_file(store: Store, path: Path, today: datetime.date) -> Outcome:
    """Read, check and write one file (the command line's way: all on one thread)."""
    return prepare(path, today).commit(store, today)


def refusal_text(path: Path, exc: BaseException) -> str:
    """The reason a file was not imported, without the file name some refusals start with."""
    from recoverydesk.core.model import ValidationError

    if isinstance(exc, ImportRefused):
        return exc.reason.removeprefix(f"{file_label(Path(path))}: ")
    if isinstance(exc, ValidationError):
        return str(exc)
    return f"internal error: {type(exc).__name__}: {exc}"
