"""Start at login: the XDG autostart entry the app writes and removes itself (DESIGN.md §1.1).

The entry is ``$XDG_CONFIG_HOME/autostart/recoverydesk.desktop`` (``~/.config`` when the
variable is unset). Where the desktop has a system tray it starts the app hidden in the tray
(``--hidden``); where it has none, the windowless ``recoverydesk remind``. Its existence is the
setting: there is nothing else to keep in step. Qt-free, so the command line can use it too.
"""

from __future__ import annotations

import os
import pathlib
import sys
from collections.abc import Mapping, Sequence

from recoverydesk.storage.store import default_data_dir

FILE_NAME = "recoverydesk.desktop"
APP_ID = "io.github.recoverydesk.RecoveryDesk"


def config_home(env: Mapping[str, str] | None = None) -> pathlib.Path:
    """``$XDG_CONFIG_HOME`` when set to an absolute path (the spec says to ignore others),
    else ``~/.config``."""
    env = os.environ if env is None else env
    value = env.get("XDG_CONFIG_HOME", "")
    if value and os.path.isabs(value):
        return pathlib.Path(value)
    return pathlib.Path(env.get("HOME") or pathlib.Path.home()) / ".config"


def entry_path(env: Mapping[str, str] | None = None) -> pathlib.Path:
    return config_home(env) / "autostart" / FILE_NAME


def self_command() -> list[str]:
    """How to start this RecoveryDesk again: the bundle's own binary, or this Python with
    ``-m recoverydesk`` (an absolute path that survives a PATH without ~/.local/bin)."""
    if getattr(sys, "frozen", False):
        return [sys.executable]
    return [sys.executable, "-m", "recoverydesk"]


def login_command(data_dir: pathlib.Path, *, tray: bool) -> list[str]:
    """The command run at login: hidden in the tray, or the windowless reminder."""
    command = self_command()
    if pathlib.Path(data_dir).expanduser().resolve() != default_data_dir().resolve():
        command += ["--data-dir", str(pathlib.Path(data_dir).expanduser().resolve())]
    return command + (["--hidden"] if tray else ["remind"])


def quote_exec(argv: Sequence[str]) -> str:
    """An ``Exec=`` value for ``argv`` following the Desktop Entry spec's quoting rules."""
    def one(arg: str) -> str:
        if arg and not any(c in arg for c in ' \t\n"\'\\><~|&;$*?#()`%='):
            return arg
        escaped = (arg.replace("\\", "\\\\").replace('"', '\\"').replace("`", "\\`")
                   .replace("$", "\\$"))
        return f'"{escaped}"'.replace("%", "%%")
    # In a desktop file the value is also a string: its own backslashes are doubled.
    return " ".join(one(a) for a in argv).replace("\\", "\\\\")


def is_enabled(env: Mapping[str, str] | None = None) -> bool:
    """Whether our autostart entry is there (and not switched off by the desktop)."""
    path = entry_path(env)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError:
        return False
    return "\nHidden=true" not in text and "\nX-GNOME-Autostart-enabled=false" not in text


def enable(command: Sequence[str], env: Mapping[str, str] | None = None) -> pathlib.Path:
    """Write the autostart entry running ``command``; its path."""
    path = entry_path(env)
    path.parent.mkdir(parents=True, exist_ok=True)
    text = "\n".join([
        "[Desktop Entry]",
        "Type=Application",
        "Name=RecoveryDesk",
        "Comment=Daily reminder to log your back pain",
        f"Exec={quote_exec(command)}",
        f"Icon={APP_ID}",
        "Terminal=false",
        "NoDisplay=true",
        "X-GNOME-Autostart-enabled=true",
        "",
    ])
    temporary = path.with_suffix(".tmp")
    temporary.write_text(text, encoding="utf-8")
    os.replace(temporary, path)
    return path


def disable(env: Mapping[str, str] | None = None) -> None:
    """Remove the autostart entry (nothing happens when there is none)."""
    entry_path(env).unlink(missing_ok=True)


def exec_command(env: Mapping[str, str] | None = None) -> str | None:
    """The ``Exec=`` line of the entry, as written (None when there is no entry)."""
    try:
        for line in entry_path(env).read_text(encoding="utf-8").splitlines():
            if line.startswith("Exec="):
                return line[len("Exec="):]
    except OSError:
        return None
    return None
