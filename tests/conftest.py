"""Shared fixtures. Qt must run offscreen before any QApplication exists (ENVIRONMENT.md)."""

from __future__ import annotations

import os
import tempfile

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

# Tests never touch the developer's own autostart entry (recoverydesk/autostart.py).
os.environ["XDG_CONFIG_HOME"] = tempfile.mkdtemp(prefix="recoverydesk-test-config-")

import datetime  # noqa: E402
import pathlib  # noqa: E402
from collections.abc import Iterator  # noqa: E402

import pytest  # noqa: E402

from recoverydesk.demo import fill_demo  # noqa: E402
from recoverydesk.storage.store import Store  # noqa: E402
from tests import budget  # noqa: E402,F401 - loads the Hypothesis profile before any test

DEMO_TODAY = datetime.date(2026, 3, 20)
"""The last day of the ``demo_store`` fixture's recovery."""


@pytest.fixture
def demo_store(tmp_path: pathlib.Path) -> Iterator[Store]:
    """The demo recovery (``recoverydesk demo``) ending on ``DEMO_TODAY``, in a folder of its
    own."""
    store = Store.open(tmp_path / "demo")
    fill_demo(store, DEMO_TODAY)
    yield store
    store.close()


@pytest.fixture(scope="module")
def demo_dir(tmp_path_factory: pytest.TempPathFactory) -> pathlib.Path:
    """A data folder holding the demo recovery ending on ``DEMO_TODAY``, filled once for a
    whole test module (each test opens its own store on it)."""
    folder = tmp_path_factory.mktemp("demo") / "demo"
    store = Store.open(folder)
    fill_demo(store, DEMO_TODAY)
    store.close()
    return folder
