"""Shared fixtures. Qt must run offscreen before any QApplication exists (ENVIRONMENT.md)."""

from __future__ import annotations

import os
import tempfile

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

# Tests never touch the developer's own autostart entry (recoverydesk/autostart.py).
os.environ["XDG_CONFIG_HOME"] = tempfile.mkdtemp(prefix="recoverydesk-test-config-")

from tests import budget  # noqa: E402,F401 - loads the Hypothesis profile before any test
