"""The content files shipped in ``resources/``, found and parsed one way (DESIGN.md §10).

Python's ``tomllib`` is pure Python: the seven files Today reads take about 8 ms to parse,
a noticeable part of start-up. So, as Python keeps ``.pyc`` files, each parsed file is kept
in ``resources/__pycache__/`` as marshal data and used while the TOML's size and modification
time still match. Where that folder cannot be written (a read-only install) the TOML is
parsed on every start, as before; the cache is never the only copy of anything.
"""

from __future__ import annotations

import importlib
import marshal
import os
import pathlib
import sys
from typing import Any

ROOT = pathlib.Path(str(importlib.import_module("recoverydesk.resources").__file__)).parent
"""The shipped content: the ``recoverydesk.resources`` package's folder (in a clone, the
repository's ``resources/``; in an install or a bundle, beside the package's code)."""

_CACHE = ROOT / "__pycache__"
_FORMAT = f"{sys.implementation.cache_tag}-1"
"""Which Python wrote the marshal data (its format may change between versions)."""


def path(name: str) -> pathlib.Path:
    """The shipped file ``name`` (e.g. ``"icons/nav/today.png"``)."""
    return ROOT / name


def read_toml(name: str) -> dict[str, Any]:
    """The shipped TOML file ``name``, parsed (from the kept copy when it is current).

    Raises:
        OSError: The file cannot be read.
        UnicodeDecodeError, tomllib.TOMLDecodeError: It is not UTF-8 TOML.
    """
    source = ROOT / name
    stat = source.stat()
    stamp = (_FORMAT, stat.st_size, stat.st_mtime_ns)
    kept = _CACHE / f"{name}.marshal"
    try:
        saved_stamp, data = marshal.loads(kept.read_bytes())
        if tuple(saved_stamp) == stamp and isinstance(data, dict):
            return data
    except (OSError, ValueError, EOFError, TypeError):
        pass  # no copy yet, or a stale or damaged one: parse the TOML
    import tomllib

    data = tomllib.loads(source.read_bytes().decode("utf-8"))
    _keep(kept, stamp, data)
    return data


def _keep(kept: pathlib.Path, stamp: tuple[str, int, int], data: dict[str, Any]) -> None:
    """Write the parsed copy atomically; quietly skip where it cannot be written."""
    try:
        blob = marshal.dumps((stamp, data))
    except ValueError:
        return  # a value marshal cannot hold (a TOML date): parse each time
    try:
        kept.parent.mkdir(parents=True, exist_ok=True)
        partial = kept.with_name(f"{kept.name}.{os.getpid()}.tmp")
        partial.write_bytes(blob)
        os.replace(partial, kept)
    except OSError:
        pass
