"""The demo recovery: replays to Return to run through every kind of event (DESIGN.md §1)."""

from __future__ import annotations

import datetime as dt
import pathlib

import pytest

from recoverydesk.core import engine
from recoverydesk.core.model import PHASES, validate_activity, validate_day, validate_info
from recoverydesk.demo import DEMO_DAYS, DEMO_SETTING, fill_demo
from recoverydesk.storage.store import EpisodeExists, Store

TODAY = dt.date(2026, 3, 20)


@pytest.fixture
def demo_store(tmp_path: pathlib.Path):
    store = Store.open(tmp_path / "demo")
    fill_demo(store, TODAY)
    yield store
    store.close()


def test_demo_covers_eight_weeks_ending_today(demo_store: Store) -> None:
    episode = demo_store.load_episode()
    assert episode is not None
    assert episode.start == TODAY - dt.timedelta(days=DEMO_DAYS - 1)
    assert set(episode.logs) == {episode.start + dt.timedelta(days=i) for i in range(DEMO_DAYS)}
    assert demo_store.setting(DEMO_SETTING) is True


def test_demo_replays_to_run_through_advances_a_flare_and_a_pause(demo_store: Store) -> None:
    episode = demo_store.load_episode()
    assert episode is not None
    timeline = engine.replay(episode, demo_store.rules(), TODAY)
    assert timeline[-1].phase == "run"
    events = [(s.phase, s.event) for s in timeline if s.event]
    reached = {s.phase for s in timeline}
    for phase in PHASES[:PHASES.index("run")]:
        assert (phase, "advance") in events, f"no advance out of {phase}"
    assert reached == {"rest", "walk", "low_impact", "run"}
    assert any(event == "regression" for _, event in events)
    assert any(event == "pause" for _, event in events)
    assert any(event == "clearance" for _, event in events)
    assert not any(s.ignored_advance for s in timeline)
    assert not timeline[-1].paused
    # Engine v2: the ladder moves (one step down after a stiff morning), a ready-to-run test was
    # passed before running, and the risk screen was answered "no" to everything.
    ladder = [s.ladder for s in timeline if s.ladder]
    assert "up" in ladder and "down" in ladder and "layoff" in ladder
    # The layoff comes after a full week without a run, and the ladder climbs again after it.
    layoff = next(s for s in timeline if s.ladder == "layoff")
    before = timeline[(layoff.day - timeline[0].day).days - 1]
    assert layoff.run_stage == before.run_stage - 1
    week = [layoff.day - dt.timedelta(days=k) for k in range(1, 8)]
    assert not any(a.kind == "run" for d in week for a in episode.activities_on(d))
    assert "up" in [s.ladder for s in timeline if s.day > layoff.day]
    kinds = {a.kind: a for a in episode.actions}
    assert "ready" in kinds and kinds["screen"].risks == frozenset()


def test_demo_entries_all_validate(demo_store: Store) -> None:
    episode = demo_store.load_episode()
    assert episode is not None
    validate_info(episode.info, TODAY)
    for log in episode.logs.values():
        validate_day(log, TODAY)
    for activity in episode.activities:
        validate_activity(activity, TODAY)
    sources = {a.source for a in episode.activities}
    assert {"manual", "gpx", "fit"} <= sources
    imported = [a for a in episode.activities if a.source != "manual"]
    assert all(a.start_time is not None and a.file_sha256 for a in imported)
    assert len(demo_store.imported_files()) == len(imported)
    kinds = {a.kind for a in episode.activities}
    assert {"walk", "swim", "cycle", "run"} <= kinds
    assert sum(bool(demo_store.ticks(day)) for day in episode.logs) >= DEMO_DAYS * 0.8
    assert len(demo_store.exercises_done(episode.start, TODAY)) >= DEMO_DAYS * 0.6


def test_demo_is_deterministic(tmp_path: pathlib.Path, demo_store: Store) -> None:
    other = Store.open(tmp_path / "again")
    fill_demo(other, TODAY)
    try:
        assert other.load_episode() == demo_store.load_episode()
    finally:
        other.close()


def test_demo_refuses_a_folder_with_an_episode(demo_store: Store) -> None:
    with pytest.raises(EpisodeExists):
        fill_demo(demo_store, TODAY)


def test_demo_shows_the_outcomes_improving(demo_store: Store) -> None:
    from recoverydesk.core import psfs

    logs = demo_store.day_logs()
    first_week, last_week = logs[:7], logs[-7:]
    leg = [log.leg_pain for log in logs]
    assert all(v is not None for v in leg)
    assert max(leg[:7]) >= 4 and max(leg[-7:]) == 0  # type: ignore[type-var]
    assert logs[0].stiffness_min == 45 and logs[-1].stiffness_min == 5
    assert any("below_knee_left" in log.pain_sites for log in first_week)
    assert not any("below_knee_left" in log.pain_sites for log in last_week)
    flagged = [log for log in logs if log.red_flags]
    assert flagged and all("below_knee_left" in log.pain_sites for log in flagged)
    weeks = psfs.by_day(demo_store.psfs_scores())
    means = [psfs.mean(w) for w in weeks.values()]
    assert len(demo_store.psfs_activities()) == 3
    assert means[0] == 3 and means[-1] == 8
    assert means == sorted(means)  # type: ignore[type-var]
