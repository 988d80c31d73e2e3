"""Start at login: the XDG autostart entry, written and removed in a temporary home."""

from __future__ import annotations

import pathlib
import shlex
import shutil
import subprocess
import sys

import pytest

from recoverydesk import autostart


@pytest.fixture
def home(tmp_path: pathlib.Path, monkeypatch: pytest.MonkeyPatch) -> pathlib.Path:
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.delenv("XDG_CONFIG_HOME", raising=False)
    return tmp_path / "home"


def test_the_entry_goes_under_config_autostart_and_respects_xdg_config_home(
        home: pathlib.Path, monkeypatch: pytest.MonkeyPatch, tmp_path: pathlib.Path) -> None:
    assert autostart.entry_path() == home / ".config" / "autostart" / "recoverydesk.desktop"
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))
    assert autostart.entry_path() == tmp_path / "xdg" / "autostart" / "recoverydesk.desktop"
    monkeypatch.setenv("XDG_CONFIG_HOME", "relative/path")  # the spec says: ignore it
    assert autostart.entry_path() == home / ".config" / "autostart" / "recoverydesk.desktop"


def test_enable_writes_an_entry_that_runs_the_tray_or_the_reminder_and_disable_removes_it(
        home: pathlib.Path, tmp_path: pathlib.Path) -> None:
    data = tmp_path / "my data"
    assert not autostart.is_enabled()
    path = autostart.enable(autostart.login_command(data, tray=True))
    assert path.is_file() and autostart.is_enabled()
    text = path.read_text()
    assert "[Desktop Entry]" in text and "Type=Application" in text
    argv = shlex.split(autostart.exec_command() or "")
    assert argv[-1] == "--hidden"
    assert argv[argv.index("--data-dir") + 1] == str(data.resolve())
    autostart.enable(autostart.login_command(data, tray=False))
    assert shlex.split(autostart.exec_command() or "")[-1] == "remind"
    autostart.disable()
    assert not path.exists() and not autostart.is_enabled()
    autostart.disable()  # twice is fine


def test_the_exec_line_runs_this_recoverydesk(home: pathlib.Path, tmp_path: pathlib.Path) -> None:
    data = tmp_path / "data"
    autostart.enable(autostart.login_command(data, tray=False)[:-1] + ["--version"])
    argv = shlex.split(autostart.exec_command() or "")
    assert argv[:3] == [sys.executable, "-m", "recoverydesk"]
    result = subprocess.run(argv, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0
    assert result.stdout.startswith("RecoveryDesk ")


def test_quoting_follows_the_desktop_entry_rules() -> None:
    assert autostart.quote_exec(["/usr/bin/recoverydesk", "remind"]) == \
        "/usr/bin/recoverydesk remind"
    assert autostart.quote_exec(["/home/a b/py", "--data-dir", "/x/50% $HOME"]) == \
        '"/home/a b/py" --data-dir "/x/50%% \\\\$HOME"'


def test_the_written_entry_is_a_valid_desktop_file(home: pathlib.Path,
                                                   tmp_path: pathlib.Path) -> None:
    validator = shutil.which("desktop-file-validate")
    if validator is None:
        pytest.skip("desktop-file-validate is not installed (make test installs "
                    "desktop-file-utils)")
    path = autostart.enable(autostart.login_command(tmp_path / "a b", tray=True))
    result = subprocess.run([validator, str(path)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
