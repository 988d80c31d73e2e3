"""The core, the store and the interchange code stay Qt-free (STYLE.md §1)."""

from __future__ import annotations

import pathlib
import subprocess
import sys

import recoverydesk

PACKAGE = pathlib.Path(recoverydesk.__file__).parent
QT_FREE = ("core", "storage", "interchange")


def _modules(folder: str) -> list[str]:
    return sorted(f"recoverydesk.{folder}.{p.stem}" for p in (PACKAGE / folder).glob("*.py")
                  if p.stem != "__init__")


def test_core_storage_and_interchange_never_import_qt() -> None:
    modules = [m for folder in QT_FREE for m in _modules(folder)] + ["recoverydesk.cli"]
    script = (
        "import importlib, sys\n"
        f"for name in {modules!r}:\n"
        "    importlib.import_module(name)\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('PySide6', 'pyqtgraph')"
        " or m.startswith('recoverydesk.gui'))\n"
        "print(' '.join(bad))\n"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                            check=True)
    assert result.stdout.strip() == "", f"Qt-free layers imported: {result.stdout}"
    assert len(modules) > 5
