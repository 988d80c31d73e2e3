"""Preferences: a change of units converts the weekly distance instead of relabelling it."""

from __future__ import annotations

import dataclasses

import pytest
from PySide6.QtWidgets import QDialogButtonBox

from recoverydesk.gui.dialogs import PreferencesDialog
from recoverydesk.gui.session import Session
from recoverydesk.storage.store import Store

pytestmark = pytest.mark.gui


@pytest.fixture
def thirty_km(session: Session) -> Session:
    info = session.info
    assert info is not None
    session.update_episode(dataclasses.replace(info, baseline_weekly_m=30_000.0))
    return session


def test_switching_to_miles_keeps_the_distance(qtbot, thirty_km: Session, store: Store) -> None:
    """Issue #13: km → mi kept "30.0", so 30 km became 30 mi (48.3 km) in the report."""
    dialog = PreferencesDialog(thirty_km)
    qtbot.addWidget(dialog)
    assert dialog.baseline.value() == pytest.approx(30.0)
    dialog.units.setCurrentIndex(dialog.units.findData("mi"))
    assert dialog.baseline.value() == pytest.approx(18.6, abs=0.05)
    assert dialog.baseline.suffix() == " mi"
    dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
    info = store.current_episode()
    assert info is not None
    assert info.units == "mi"
    assert info.baseline_weekly_m == pytest.approx(30_000.0)


def test_a_figure_typed_after_switching_is_read_in_the_new_units(
        qtbot, thirty_km: Session, store: Store) -> None:
    dialog = PreferencesDialog(thirty_km)
    qtbot.addWidget(dialog)
    dialog.units.setCurrentIndex(dialog.units.findData("mi"))
    dialog.baseline.setValue(20.0)
    dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
    info = store.current_episode()
    assert info is not None
    assert info.baseline_weekly_m == pytest.approx(20 * 1609.344, abs=1)
