"""render/ draws with QtGui only, so the command line can print without widgets.

import-linter sees PySide6 as one package and cannot tell QtWidgets from QtGui; this reads
every import of the package, those inside functions included.
"""

from __future__ import annotations

import ast
import pathlib

import recoverydesk.render

RENDER = pathlib.Path(recoverydesk.render.__file__).parent


def _imported(path: pathlib.Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def test_no_module_of_render_imports_qtwidgets() -> None:
    modules = sorted(RENDER.glob("*.py"))
    assert len(modules) >= 2, "the package and its report renderer"
    for path in modules:
        bad = sorted(n for n in _imported(path) if "QtWidgets" in n)
        assert not bad, f"{path.name} imports {bad}"
