"""The shipped content files and their parsed copies (core/shipped.py).

An edited TOML file must always win over the copy kept to speed up start-up, and a missing,
damaged or unwritable copy must never stop the content from loading.
"""

from __future__ import annotations

import os
import pathlib
import tomllib

import pytest

from recoverydesk.core import shipped


@pytest.fixture
def content(tmp_path: pathlib.Path, monkeypatch: pytest.MonkeyPatch) -> pathlib.Path:
    """A resources folder of its own, with one TOML file."""
    monkeypatch.setattr(shipped, "ROOT", tmp_path)
    monkeypatch.setattr(shipped, "_CACHE", tmp_path / "__pycache__")
    (tmp_path / "texts.toml").write_text('hello = "first"\n', encoding="utf-8")
    return tmp_path


def test_every_shipped_toml_reads_the_same_as_tomllib() -> None:
    for file in sorted(shipped.ROOT.glob("*.toml")):
        expected = tomllib.loads(file.read_text(encoding="utf-8"))
        assert shipped.read_toml(file.name) == expected  # parsed, or from the kept copy
        assert shipped.read_toml(file.name) == expected  # and again, from the kept copy


def test_an_edited_file_is_read_afresh(content: pathlib.Path) -> None:
    assert shipped.read_toml("texts.toml") == {"hello": "first"}
    assert (content / "__pycache__" / "texts.toml.marshal").is_file()
    (content / "texts.toml").write_text('hello = "second, longer"\n', encoding="utf-8")
    assert shipped.read_toml("texts.toml") == {"hello": "second, longer"}


def test_an_edit_of_the_same_size_is_read_afresh(content: pathlib.Path) -> None:
    shipped.read_toml("texts.toml")
    file = content / "texts.toml"
    before = file.stat().st_mtime_ns
    file.write_text('hello = "fixed"\n', encoding="utf-8")
    os.utime(file, ns=(before + 1_000_000_000, before + 1_000_000_000))
    assert shipped.read_toml("texts.toml") == {"hello": "fixed"}


def test_a_damaged_copy_is_ignored(content: pathlib.Path) -> None:
    shipped.read_toml("texts.toml")
    (content / "__pycache__" / "texts.toml.marshal").write_bytes(b"\x00garbage")
    assert shipped.read_toml("texts.toml") == {"hello": "first"}


def test_content_loads_where_no_copy_can_be_kept(content: pathlib.Path) -> None:
    (content / "__pycache__").write_text("a file where the folder would go")
    assert shipped.read_toml("texts.toml") == {"hello": "first"}


def test_a_broken_file_is_an_error_not_an_old_copy(content: pathlib.Path) -> None:
    shipped.read_toml("texts.toml")
    (content / "texts.toml").write_text('hello = "unterminated\n', encoding="utf-8")
    with pytest.raises(tomllib.TOMLDecodeError):
        shipped.read_toml("texts.toml")
