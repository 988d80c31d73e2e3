"""Fixtures for driving the command line in-process and as a real program."""

from __future__ import annotations

import dataclasses
import hashlib
import os
import pathlib
import subprocess
import sys
from collections.abc import Callable

import pytest

from recoverydesk.cli import main
from recoverydesk.storage.store import DB_NAME

REPO = pathlib.Path(__file__).resolve().parents[2]


@dataclasses.dataclass(frozen=True)
class Result:
    """What a run of the command line left behind: exit code and both streams."""

    code: int
    out: str
    err: str


@pytest.fixture
def data_dir(tmp_path: pathlib.Path) -> pathlib.Path:
    return tmp_path / "data"


@pytest.fixture
def cli(data_dir: pathlib.Path, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> Callable[..., Result]:
    """Run ``recoverydesk ARGS --data-dir <tmp>`` in this process, as a user would type it."""
    monkeypatch.delenv("RECOVERYDESK_DATA_DIR", raising=False)

    def run(*args: str, data: pathlib.Path | None = data_dir) -> Result:
        capsys.readouterr()
        argv = list(args) + (["--data-dir", str(data)] if data is not None else [])
        code = main(argv)
        captured = capsys.readouterr()
        return Result(code, captured.out, captured.err)

    return run


def run_program(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """Run ``python -m recoverydesk ARGS`` as a separate program."""
    full_env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", **(env or {})}
    return subprocess.run([sys.executable, "-m", "recoverydesk", *args], capture_output=True,
                          text=True, env=full_env, cwd=REPO, timeout=120, check=False)


def data_digest(data_dir: pathlib.Path) -> str:
    """The database on disk, WAL included: a write lands in one or the other."""
    digest = hashlib.sha256()
    for name in (DB_NAME, DB_NAME + "-wal"):
        path = data_dir / name
        if path.exists():
            digest.update(path.read_bytes())
    return digest.hexdigest()
