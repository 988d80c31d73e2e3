"""Write a file the runner asked for without ever harming another one (issue #17, DESIGN §8).

Every file RecoveryDesk writes for the user (exports, the report, PNGs, backups) goes
through :func:`write_private`:

- the bytes go first into a new temporary file in the target's own folder, created with
  ``O_CREAT | O_EXCL | O_NOFOLLOW`` and mode 0600 under a random name, so a file or symlink
  planted at a predictable name (the old ``.NAME.part``) is never opened, let alone followed;
- the temporary file is flushed to disk, then renamed over the target in one step
  (``os.replace``), so a crash leaves either the old file or the new one;
- without ``replace=True`` an existing target (or a symlink there, even a dangling one) is
  never overwritten: :class:`FileExistsError` is raised and nothing is changed. The window
  asks first and passes ``replace=True``; the command line needs ``--force``.
"""

from __future__ import annotations

import contextlib
import os
import secrets
from pathlib import Path

FILE_MODE = 0o600
FOLDER_MODE = 0o700


def _temp_beside(target: Path) -> tuple[int, Path]:
    """A new private file in ``target``'s folder: (descriptor, path)."""
    flags = os.O_CREAT | os.O_EXCL | os.O_WRONLY | getattr(os, "O_NOFOLLOW", 0)
    flags |= getattr(os, "O_CLOEXEC", 0)
    for _ in range(100):
        temp = target.with_name(f".{target.name}.{secrets.token_hex(6)}.tmp")
        try:
            return os.open(temp, flags, FILE_MODE), temp
        except FileExistsError:
            continue
    raise FileExistsError(f"no free temporary name beside {target}")


def write_private(target: str | os.PathLike[str], data: bytes, *,
                  replace: bool = False) -> Path:
    """Write ``data`` to ``target`` as a 0600 file, atomically (see the module docstring).

    Raises:
        FileExistsError: ``target`` exists (as anything) and ``replace`` is False.
        IsADirectoryError: ``target`` is a folder.
        OSError: The folder is missing or cannot be written, or the disk is full; nothing
            was changed.
    """
    target = Path(target)
    if target.is_dir():
        raise IsADirectoryError(21, "Is a folder", str(target))
    if not replace and os.path.lexists(target):
        raise FileExistsError(17, "File exists", str(target))
    fd, temp = _temp_beside(target)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        if replace:
            os.replace(temp, target)
        else:
            try:
                os.link(temp, target, follow_symlinks=False)  # fails if anything is there
            except FileExistsError:
                raise
            except OSError:  # a file system without hard links: check, then rename
                if os.path.lexists(target):
                    raise FileExistsError(17, "File exists", str(target)) from None
                os.replace(temp, target)
    finally:
        with contextlib.suppress(OSError):
            os.unlink(temp)
    return target


def make_folder(folder: str | os.PathLike[str]) -> bool:
    """Create ``folder`` (its parent must exist) with mode 0700; False when it existed.

    Raises:
        FileNotFoundError: The parent folder does not exist (nothing is created for it).
        NotADirectoryError / OSError: It cannot be created.
    """
    folder = Path(folder)
    try:
        folder.mkdir(mode=FOLDER_MODE)
    except FileExistsError:
        if not folder.is_dir():
            raise NotADirectoryError(20, "Not a folder", str(folder)) from None
        return False
    return True
