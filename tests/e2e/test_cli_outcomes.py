"""`log --leg-pain --stiffness --site` and `psfs --score` (DESIGN §9, §3, §3.1)."""

from __future__ import annotations

import datetime as dt

import pytest

from recoverydesk.storage.recovery import open_store

from .conftest import data_digest

pytestmark = pytest.mark.e2e


@pytest.fixture
def started(cli):
    assert cli("start", "--date", "2026-03-01").code == 0
    return cli


def test_log_records_leg_pain_stiffness_and_sites(started, data_dir) -> None:
    result = started("log", "--date", "2026-03-02", "--pain", "4", "--leg-pain", "6",
                     "--stiffness", "45", "--site", "low_back_centre",
                     "--site", "below_knee_left")
    assert result.code == 0, result.err
    # a second log of the day replaces them: an omitted one becomes empty
    assert started("log", "--date", "2026-03-03", "--pain", "3", "--leg-pain", "2").code == 0
    store = open_store(data_dir)
    try:
        first = store.day_log(dt.date(2026, 3, 2))
        assert first is not None
        assert (first.leg_pain, first.stiffness_min) == (6, 45)
        assert first.pain_sites == {"low_back_centre", "below_knee_left"}
        second = store.day_log(dt.date(2026, 3, 3))
        assert second is not None
        assert (second.leg_pain, second.stiffness_min, second.pain_sites) == (2, None, set())
    finally:
        store.close()


@pytest.mark.parametrize(("args", "words"), [
    (["--leg-pain", "11"], "leg_pain: '11' is not allowed; it must be a whole number from 0 to 10"),
    (["--stiffness", "300"], "stiffness_min: '300' is not allowed; it must be a whole number "
                             "from 0 to 240"),
    (["--site", "left_calf"], "pain_sites: 'left_calf' is not allowed; it must be one of "
                              "low_back_left, low_back_centre"),
])
def test_bad_outcome_values_exit_2_and_write_nothing(started, data_dir, args, words) -> None:
    before = data_digest(data_dir)
    result = started("log", "--date", "2026-03-02", "--pain", "4", *args)
    assert result.code == 2
    assert words in result.err
    assert data_digest(data_dir) == before


def test_psfs_adds_new_names_and_records_scores(started, data_dir) -> None:
    first = started("psfs", "--date", "2026-03-02", "--score", "run 5 km easy=2",
                    "--score", "sit through a meeting=5", "--score", "lift my child=3")
    assert first.code == 0, first.err
    assert "Added to your activities: run 5 km easy; sit through a meeting; lift my child." \
        in first.out
    assert "mean 3.3 of 10 over 3 activities" in first.out
    second = started("psfs", "--date", "2026-03-09", "--score", "Run 5 km easy=4",
                     "--score", "sit through a meeting=6")
    assert second.code == 0, second.err
    assert "Added" not in second.out
    store = open_store(data_dir)
    try:
        names = {a.id: a.name for a in store.psfs_activities()}
        assert len(names) == 3
        assert [(s.day.isoformat(), names[s.activity_id], s.score)
                for s in store.psfs_scores() if s.day == dt.date(2026, 3, 9)] == [
            ("2026-03-09", "run 5 km easy", 4), ("2026-03-09", "sit through a meeting", 6)]
    finally:
        store.close()


@pytest.mark.parametrize(("scores", "field"), [
    (["run=11"], "score"), (["run"], "score"), (["run=3", "run=4"], "score"),
    (["a=1", "b=1", "c=1", "d=1", "e=1", "f=1"], "activities"),
])
def test_bad_psfs_exits_2_and_writes_nothing(started, data_dir, scores, field) -> None:
    before = data_digest(data_dir)
    args = [a for s in scores for a in ("--score", s)]
    result = started("psfs", "--date", "2026-03-02", *args)
    assert result.code == 2, (result.out, result.err)
    assert field in result.err
    assert data_digest(data_dir) == before


def test_psfs_csv_exports_and_imports_through_the_command_line(started, cli, tmp_path) -> None:
    assert started("psfs", "--date", "2026-03-02", "--score", "run 5 km easy=2",
                   "--score", "lift my child=3").code == 0
    out = tmp_path / "csv"
    assert started("export", "--format", "csv", "--out", str(out)).code == 0
    assert (out / "psfs.csv").read_text(encoding="utf-8") == (
        "date,activity,score\n2026-03-02,run 5 km easy,2\n2026-03-02,lift my child,3\n")
    other = tmp_path / "other"
    result = cli("import", str(out / "psfs.csv"), data=other)
    assert result.code == 0, result.err
    assert "psfs.csv: imported 2 function scores" in result.out
    store = open_store(other)
    try:
        assert sorted(a.name for a in store.psfs_activities()) == [
            "lift my child", "run 5 km easy"]
    finally:
        store.close()
