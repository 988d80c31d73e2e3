"""Writing the runner's files (issue #17): private, atomic, never through a planted link."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from recoverydesk.storage.safefile import make_folder, write_private


def test_a_new_file_is_private_and_leaves_no_temporary_file(tmp_path: Path) -> None:
    target = write_private(tmp_path / "out.bin", b"data")
    assert target.read_bytes() == b"data"
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.bin"]


def test_an_existing_file_or_link_is_kept_unless_replace(tmp_path: Path) -> None:
    victim = tmp_path / "victim"
    victim.write_bytes(b"precious")
    link = tmp_path / "out.bin"
    link.symlink_to(victim)
    with pytest.raises(FileExistsError):
        write_private(link, b"new")
    dangling = tmp_path / "dangling.bin"
    dangling.symlink_to(tmp_path / "nowhere")
    with pytest.raises(FileExistsError):
        write_private(dangling, b"new")
    assert not (tmp_path / "nowhere").exists()
    write_private(link, b"new", replace=True)  # replaces the link itself, not its target
    assert victim.read_bytes() == b"precious" and not link.is_symlink()
    assert link.read_bytes() == b"new"


def test_links_planted_at_any_temporary_name_are_not_followed(tmp_path: Path) -> None:
    victim = tmp_path / "victim"
    victim.write_bytes(b"precious")
    for name in (".out.bin.part", ".out.bin.tmp", ".out.bin"):
        (tmp_path / name).symlink_to(victim)
    write_private(tmp_path / "out.bin", b"x")
    assert victim.read_bytes() == b"precious"


def test_a_missing_folder_is_not_created(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        write_private(tmp_path / "missing" / "out.bin", b"x")
    with pytest.raises(FileNotFoundError):
        make_folder(tmp_path / "a" / "b")
    assert not (tmp_path / "missing").exists() and not (tmp_path / "a").exists()


def test_make_folder_says_whether_it_created(tmp_path: Path) -> None:
    assert make_folder(tmp_path / "new") is True
    assert stat.S_IMODE(os.stat(tmp_path / "new").st_mode) == 0o700
    assert make_folder(tmp_path / "new") is False
