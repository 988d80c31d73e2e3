"""Shared fixtures. Qt must run offscreen before any QApplication exists (ENVIRONMENT.md)."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from tests import budget  # noqa: E402,F401 - loads the Hypothesis profile before any test
