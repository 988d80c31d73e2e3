"""The command line as a runner or a script uses it (DESIGN.md §5.2, §7, §9)."""

from __future__ import annotations

import datetime as dt
import json
import os
import pathlib

import pytest

from recoverydesk.storage.recovery import open_store
from recoverydesk.storage.store import DB_NAME

from .conftest import REPO, data_digest, run_program

pytestmark = pytest.mark.e2e

TODAY = dt.date.today()
TOMORROW = (TODAY + dt.timedelta(days=1)).isoformat()

STATUS_FIELDS = {"date", "phase", "phase_day", "paused", "can_advance", "next_phase",
                 "run_stage", "run_stage_done", "reasons", "warnings"}
"""The fields §9 promises in every status record."""

# The worked example of §5.2: (date, pain, pain_activity, pain_morning, activities,
# expected phase, phase day, can_advance, next phase).
WORKED = [
    ("2026-03-01", 6, None, 6, [], "rest", 1, False, "rest"),
    ("2026-03-02", 4, None, 4, [], "rest", 2, False, "rest"),
    ("2026-03-03", 3, None, 3, [], "rest", 3, False, "rest"),
    ("2026-03-04", 3, None, 2, [], "rest", 4, True, "rest"),
    ("2026-03-05", 2, None, 2, [], "rest", 5, True, "walk"),
    ("2026-03-06", 2, 3, 2, ["walk:2km:30min"], "walk", 1, False, "walk"),
    ("2026-03-07", 2, 6, 2, ["walk:2.5km:35min"], "walk", 2, False, "rest"),
    ("2026-03-08", 2, None, 2, [], "rest", 1, False, "rest"),
]


def log_args(date: str, pain: int, activity: int | None, morning: int | None,
             activities: list[str]) -> list[str]:
    args = ["log", "--date", date, "--pain", str(pain)]
    if activity is not None:
        args += ["--pain-activity", str(activity)]
    if morning is not None:
        args += ["--pain-morning", str(morning)]
    for spec in activities:
        args += ["--activity", spec]
    return args


def status(cli, date: str) -> dict:
    result = cli("status", "--date", date, "--json")
    assert result.code == 0, result.err
    return json.loads(result.out)


@pytest.fixture
def example(cli):
    """The §5.2 episode up to 03-05, logged through the CLI, before the advance."""
    assert cli("start", "--date", "2026-03-01").code == 0
    for row in WORKED[:5]:
        assert cli(*log_args(*row[:5])).code == 0
    return cli


def test_worked_example_day_by_day(cli) -> None:
    assert cli("start", "--date", "2026-03-01").code == 0
    for date, pain, activity, morning, acts, phase, day, can, nxt in WORKED:
        result = cli(*log_args(date, pain, activity, morning, acts))
        assert result.code == 0, result.err
        if date == "2026-03-05":
            advanced = cli("advance", "--date", date)
            assert advanced.code == 0, advanced.out + advanced.err
            assert "accepted" in advanced.out
        record = status(cli, date)
        assert (record["phase"], record["phase_day"], record["can_advance"],
                record["next_phase"]) == (phase, day, can, nxt), date
        assert record["paused"] is False

    regression = status(cli, "2026-03-07")
    r1 = next(r for r in regression["reasons"] if r["rule"] == "R1")
    assert r1["ok"] is False and "6" in r1["detail"]


def test_status_and_timeline_carry_the_promised_fields(example) -> None:
    record = status(example, "2026-03-05")
    assert STATUS_FIELDS <= set(record)
    assert record["date"] == "2026-03-05"
    for reason in record["reasons"]:
        assert set(reason) == {"rule", "ok", "why", "detail", "facts"}
        assert isinstance(reason["ok"], bool) and reason["detail"]

    result = example("timeline", "--json")
    assert result.code == 0
    timeline = json.loads(result.out)
    assert timeline[0]["date"] == "2026-03-01"
    assert timeline[-1]["date"] == TODAY.isoformat()
    assert len(timeline) == (TODAY - dt.date(2026, 3, 1)).days + 1
    assert all(STATUS_FIELDS <= set(r) for r in timeline)
    assert all(r["run_stage"] is None and r["run_stage_done"] is False for r in timeline)
    assert timeline[4] == record
    assert "ratio" not in result.out.lower() and "workload" not in result.out.lower()


def test_status_in_words_names_phase_day_and_gate(example) -> None:
    result = example("status", "--date", "2026-03-03")
    assert result.code == 0
    assert "Rest — day 3 of at least 3" in result.out
    assert "✗ G3" in result.out and "✓ G1" in result.out
    opened = example("status", "--date", "2026-03-05")
    assert "Gate open" in opened.out


def test_advance_refused_prints_every_failing_rule(example) -> None:
    result = example("advance", "--date", "2026-03-03")
    assert result.code == 3
    lines = result.out.strip().splitlines()
    assert lines[0].startswith("Advance refused")
    assert any(line.startswith("✗ G3") for line in lines[1:])
    assert all(line.startswith("✗ ") for line in lines[1:])
    # A refused advance is not stored: the day still stays in rest tomorrow.
    assert status(example, "2026-03-03")["next_phase"] == "rest"


def test_clear_refused_when_not_paused_and_accepted_after_a_red_flag(example) -> None:
    refused = example("clear", "--date", "2026-03-05", "--note", "seen by GP, cleared")
    assert refused.code == 3
    assert "Clearance refused" in refused.out

    assert example("log", "--date", "2026-03-06", "--pain", "3",
                   "--red-flag", "numbness").code == 0
    paused = status(example, "2026-03-06")
    assert paused["paused"] is True and paused["can_advance"] is False
    same_day = example("clear", "--date", "2026-03-06", "--note", "seen by GP, cleared")
    assert same_day.code == 0, same_day.out  # §5.1 rule 2: the clinician saw them that day
    assert status(example, "2026-03-06")["paused"] is False
    again = example("clear", "--date", "2026-03-07", "--note", "seen by GP, cleared")
    assert again.code == 3


def test_clear_needs_a_note(example) -> None:
    result = example("clear", "--date", "2026-03-05", "--note", "  ")
    assert result.code == 2
    assert "note" in result.err


def test_status_outside_the_episode_exits_2(example) -> None:
    before = example("status", "--date", "2026-02-28")
    assert before.code == 2 and "date" in before.err and "2026-03-01" in before.err
    after = example("status", "--date", TOMORROW)
    assert after.code == 2 and "date" in after.err


def test_commands_before_any_episode_say_how_to_begin(cli) -> None:
    result = cli("status")
    assert result.code == 3
    assert "recoverydesk start" in result.out


def test_start_refuses_a_second_episode_unless_new(example, data_dir) -> None:
    again = example("start", "--date", "2026-03-10")
    assert again.code == 3
    assert "--new" in again.out
    fresh = example("start", "--date", "2026-03-10", "--new", "--units", "mi",
                    "--weekly-distance", "20")
    assert fresh.code == 0, fresh.err
    store = open_store(data_dir)
    try:
        episodes = store.episodes()
        assert [e.start.isoformat() for e in episodes] == ["2026-03-01", "2026-03-10"]
        current = store.current_episode()
        assert current is not None and current.units == "mi"
        assert current.baseline_weekly_m == pytest.approx(20 * 1609.344)
    finally:
        store.close()


def test_log_replaces_pain_fields_keeps_note_and_adds_activities(example, data_dir) -> None:
    first = example("log", "--date", "2026-03-09", "--pain", "4", "--pain-activity", "5",
                    "--pain-morning", "3", "--red-flag", "fever", "--note", "stiff",
                    "--sleep", "7.5", "--activity", "walk:2.5mi:40min")
    assert first.code == 0, first.err
    second = example("log", "--date", "2026-03-09", "--pain", "2",
                     "--activity", "run:5km", "--activity", "swim:30min")
    assert second.code == 0, second.err

    store = open_store(data_dir)
    try:
        log = store.day_log(dt.date(2026, 3, 9))
        assert log is not None
        assert (log.pain, log.pain_activity, log.pain_morning) == (2, None, None)
        assert log.red_flags == frozenset()
        assert log.notes == "stiff"
        assert log.sleep_hours == 7.5
        acts = store.activities(dt.date(2026, 3, 9), dt.date(2026, 3, 9))
        assert sorted((a.kind, a.distance_m, a.duration_s) for a in acts) == [
            ("run", 5000.0, None), ("swim", None, 1800.0), ("walk", 4023.36, 2400.0)]
        assert {a.source for a in acts} == {"manual"}
    finally:
        store.close()

    assert example("log", "--date", "2026-03-09", "--pain", "2", "--note", "better").code == 0
    store = open_store(data_dir)
    try:
        log = store.day_log(dt.date(2026, 3, 9))
        assert log is not None and log.notes == "better"
        assert len(store.activities(dt.date(2026, 3, 9), dt.date(2026, 3, 9))) == 3
    finally:
        store.close()


def test_data_dir_option_beats_the_environment(cli, tmp_path, monkeypatch) -> None:
    from_env = tmp_path / "from-env"
    chosen = tmp_path / "chosen"
    monkeypatch.setenv("RECOVERYDESK_DATA_DIR", str(from_env))
    assert cli("--data-dir", str(chosen), "start", "--date", "2026-03-01", data=None).code == 0
    assert (chosen / DB_NAME).exists()
    assert not from_env.exists()
    # Without the option, the environment variable is used.
    assert cli("start", "--date", "2026-03-02", data=None).code == 0
    assert (from_env / DB_NAME).exists()
    assert cli("status", "--date", "2026-03-02", "--json", data=None).code == 0


@pytest.mark.parametrize(
    ("args", "field"),
    [
        (["log", "--date", "2026-03-06", "--pain", "11"], "pain"),
        (["log", "--date", "2026-03-06", "--pain", "-1"], "pain"),
        (["log", "--date", "2026-03-06", "--pain", "high"], "pain"),
        (["log", "--date", "2026-03-06", "--pain", "3.5"], "pain"),
        (["log", "--date", "2026-03-06", "--pain", "3", "--pain-activity", "12"],
         "pain_activity"),
        (["log", "--date", "2026-03-06", "--pain", "3", "--pain-morning", "x"], "pain_morning"),
        (["log", "--date", TOMORROW, "--pain", "3"], "date"),
        (["log", "--date", "1989-12-31", "--pain", "3"], "date"),
        (["log", "--date", "2026-02-30", "--pain", "3"], "date"),
        (["log", "--date", "05/03/2026", "--pain", "3"], "date"),
        (["log", "--date", "2026-03-06", "--pain", "3", "--activity", "run:-1km"], "distance"),
        (["log", "--date", "2026-03-06", "--pain", "3", "--activity", "run:301km"], "distance"),
        (["log", "--date", "2026-03-06", "--pain", "3", "--activity", "run:5"], "activity"),
        (["log", "--date", "2026-03-06", "--pain", "3", "--activity", "run:0min"], "duration"),
        (["log", "--date", "2026-03-06", "--pain", "3", "--activity", "skate:5km"], "kind"),
        (["log", "--date", "2026-03-06", "--pain", "3", "--red-flag", "headache"], "red_flag"),
        (["log", "--date", "2026-03-06", "--pain", "3", "--sleep", "lots"], "sleep_hours"),
        (["log", "--date", "2026-03-06", "--pain", "3", "--sleep", "25"], "sleep_hours"),
        (["log", "--date", "2026-03-06", "--pain", "3", "--heat-ice", "500"], "heat_ice_min"),
        (["log", "--date", "2026-03-06", "--pain", "3", "--note", "x" * 10_001], "notes"),
        (["start", "--date", TOMORROW, "--new"], "date"),
        (["start", "--date", "2026-03-01", "--new", "--units", "yards"], "units"),
        (["start", "--date", "2026-03-01", "--new", "--weekly-distance", "-5"],
         "weekly distance"),
        (["advance", "--date", TOMORROW], "date"),
        (["advance", "--date", "yesterday"], "date"),
        (["advance", "--date", "2026-02-01"], "date"),
        (["clear", "--date", TOMORROW, "--note", "cleared"], "date"),
        (["status", "--date", "2026-13-01"], "date"),
        (["screenshot", "--out", "x.png", "--size", "huge"], "size"),
        (["export", "--format", "xml", "--out", "x"], "format"),
        (["log", "--date", "2026-03-06"], "pain"),
    ],
    ids=lambda v: " ".join(v) if isinstance(v, list) else v,
)
def test_bad_values_exit_2_name_the_field_and_write_nothing(example, data_dir, args,
                                                            field) -> None:
    before = data_digest(data_dir)
    result = example(*args)
    assert result.code == 2, (result.out, result.err)
    assert field in result.err
    assert "Traceback" not in result.err
    assert data_digest(data_dir) == before


def test_value_errors_say_the_allowed_range(example) -> None:
    result = example("log", "--date", "2026-03-06", "--pain", "11")
    assert result.err.strip() == ("error: pain: '11' is not allowed; it must be a whole "
                                  "number from 0 to 10")


# --- import and export --------------------------------------------------------------------

GPX = """<?xml version="1.0" encoding="UTF-8"?>
<gpx version="1.1" creator="test" xmlns="http://www.topografix.com/GPX/1/1">
 <trk><type>running</type><trkseg>
  <trkpt lat="46.0000" lon="14.0000"><time>2026-03-06T07:00:00Z</time></trkpt>
  <trkpt lat="46.0100" lon="14.0000"><time>2026-03-06T07:06:00Z</time></trkpt>
  <trkpt lat="46.0200" lon="14.0000"><time>2026-03-06T07:12:00Z</time></trkpt>
 </trkseg></trk>
</gpx>
"""


def test_import_reports_each_file_and_exit_1_when_one_fails(example, tmp_path,
                                                             data_dir) -> None:
    run = tmp_path / "morning.gpx"
    run.write_text(GPX, encoding="utf-8")
    days = tmp_path / "days.csv"
    days.write_text("date,pain,pain_morning\n2026-03-06,2,2\n2026-03-07,1,\n", encoding="utf-8")
    junk = tmp_path / "junk.fit"
    junk.write_bytes(b"\x00\x01not a fit file at all" * 10)

    result = example("import", str(run), str(junk), str(days))
    assert result.code == 1
    lines = result.out.strip().splitlines()
    assert lines[0] == "morning.gpx: imported 1 activity (Fri 6 Mar 2026)"
    assert lines[1].startswith("junk.fit: not imported — ")
    assert lines[2] == "days.csv: imported 2 days"

    again = example("import", str(run))
    assert again.code == 0
    assert again.out.strip() == "morning.gpx: already imported"
    assert status(example, "2026-03-07")["logged"] is True
    store = open_store(data_dir)
    try:
        (run_activity,) = store.activities(dt.date(2026, 3, 6), dt.date(2026, 3, 6))
        assert (run_activity.kind, run_activity.source) == ("run", "gpx")
        assert run_activity.distance_m == pytest.approx(2224, rel=0.01)
    finally:
        store.close()


def test_import_flags_activities_from_before_the_episode(example, tmp_path, data_dir) -> None:
    old = tmp_path / "last-year.gpx"
    old.write_text(GPX.replace("2026-03-06", "2025-06-14"), encoding="utf-8")
    result = example("import", str(old))
    assert result.code == 0
    assert result.out.strip() == ("last-year.gpx: imported 1 activity (Sat 14 Jun 2025; before "
                                  "your episode began: kept in History, not in the plan)")
    store = open_store(data_dir)
    try:
        assert len(store.activities(dt.date(2025, 6, 14), dt.date(2025, 6, 14))) == 1
    finally:
        store.close()


def test_import_a_bad_diary_names_row_and_field_and_imports_nothing(example, tmp_path,
                                                                   data_dir) -> None:
    days = tmp_path / "days.csv"
    days.write_text("date,pain\n2026-03-06,2\n2026-03-07,12\n", encoding="utf-8")
    before = data_digest(data_dir)
    result = example("import", str(days))
    assert result.code == 1
    assert result.out.strip() == ("days.csv: not imported — days.csv row 3: pain: '12' is not "
                                  "allowed; it must be a whole number from 0 to 10")
    assert data_digest(data_dir) == before


def test_export_json_restores_into_an_empty_folder_byte_for_byte(example, cli, tmp_path) -> None:
    assert example("advance", "--date", "2026-03-05").code == 0
    assert example("log", "--date", "2026-03-06", "--pain", "2", "--note", "Léger — ok",
                   "--activity", "walk:2km:25min").code == 0
    first = tmp_path / "backup.json"
    assert example("export", "--format", "json", "--out", str(first)).code == 0
    doc = json.loads(first.read_text(encoding="utf-8"))
    assert doc["format"] == "recoverydesk-export" and doc["version"] == 1

    fresh = tmp_path / "fresh"
    restored = cli("import", str(first), data=fresh)
    assert restored.code == 0, restored.out
    assert restored.out.startswith("backup.json: imported a backup")
    second = tmp_path / "again.json"
    assert cli("export", "--format", "json", "--out", str(second), data=fresh).code == 0
    assert second.read_bytes() == first.read_bytes()
    assert status(lambda *a: cli(*a, data=fresh), "2026-03-06")["phase"] == "walk"

    # A backup never merges into a folder that already holds data.
    refused = example("import", str(first))
    assert refused.code == 1
    assert "not imported" in refused.out and "empty" in refused.out


def test_export_csv_writes_the_documented_files(example, tmp_path) -> None:
    out = tmp_path / "csv"
    result = example("export", "--format", "csv", "--out", str(out))
    assert result.code == 0, result.err
    names = sorted(p.name for p in out.iterdir())
    assert names == sorted(["days.csv", "activities.csv", "episodes.csv", "actions.csv",
                            "ticks.csv", "exercises_done.csv", "imported_files.csv",
                            "settings.csv", "psfs.csv", "psfs_activities.csv"])
    days = (out / "days.csv").read_text(encoding="utf-8").splitlines()
    assert days[0] == ("date,pain,pain_activity,pain_morning,red_flags,sleep_hours,notes,"
                       "heat_ice_min,leg_pain,stiffness_min,pain_sites")
    assert days[1] == "2026-03-01,6,,6,,,,,,,"
    assert (out / "psfs.csv").read_text(encoding="utf-8") == "date,activity,score\n"


def test_export_to_a_file_where_a_folder_is_needed_exits_2(example, tmp_path) -> None:
    target = tmp_path / "a-file"
    target.write_text("x")
    result = example("export", "--format", "csv", "--out", str(target))
    assert result.code == 2 and "out" in result.err


# --- demo and the commands that need the window --------------------------------------------

def test_demo_fills_an_empty_folder_once(cli) -> None:
    result = cli("demo")
    assert result.code == 0, result.err
    assert cli("status", "--json").code == 0
    again = cli("demo")
    assert again.code == 3
    assert "already holds an episode" in again.out


def test_report_command_writes_a_pdf(example, tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("QT_QPA_PLATFORM", "offscreen")
    pdf = tmp_path / "report.pdf"
    result = example("report", "--out", str(pdf))
    assert result.code == 0, result.err
    assert pdf.read_bytes().startswith(b"%PDF")


def test_the_windows_report_worker_says_each_page_and_writes_without_a_backup(
        example, tmp_path, monkeypatch, data_dir) -> None:
    """``report-worker`` is the window's report in a process of its own (gui/report_dialog):
    it is not offered in --help, says each page on a line, and only reads the data folder."""
    monkeypatch.setenv("QT_QPA_PLATFORM", "offscreen")
    assert "report-worker" not in example("--help").out
    pdf = tmp_path / "for-the-physio.pdf"
    pdf.write_bytes(b"an older report the form asked to replace")
    before = sorted(p.name for p in data_dir.iterdir())
    result = example("report-worker", "--out", str(pdf), "--page-size", "Letter",
                     "--today", "2026-03-05", "--include", "history")
    assert result.code == 0, result.err
    lines = result.out.splitlines()
    pages = [line.split() for line in lines[:-1]]
    assert lines[-1] == "written" and pages[0] == ["page", "0", pages[0][2]]
    done = [int(page[1]) for page in pages]
    assert done == sorted(done) and done[-1] == int(pages[-1][2]) > 0  # up to the last page
    assert pdf.read_bytes().startswith(b"%PDF")
    assert sorted(p.name for p in data_dir.iterdir()) == before  # no backup taken

    png = tmp_path / "page-1.png"
    preview = example("report-worker", "--preview", "--out", str(png), "--page-size", "A4",
                      "--today", "2026-03-05")
    assert preview.out.splitlines() == ["written"] and png.read_bytes()[:4] == b"\x89PNG"

    nowhere = example("report-worker", "--out", str(tmp_path / "gone" / "r.pdf"),
                      "--page-size", "A4", "--today", "2026-03-05")
    assert nowhere.code == 4
    (word,) = nowhere.out.splitlines()[-1:]
    assert word.startswith("failed ") and "gone" in word


def test_the_report_worker_stops_between_pages_when_told(tmp_path) -> None:
    """SIGTERM (the progress dialog's Cancel) stops it before the file is written."""
    import signal
    import subprocess
    import sys

    from recoverydesk.core.model import Activity, DayLog, EpisodeInfo
    from recoverydesk.storage.store import Store

    data = tmp_path / "data"
    store = Store.open(data)
    start = TODAY - dt.timedelta(days=729)
    with store.db.atomic():  # two years: a report of many pages
        store.start_episode(EpisodeInfo(start), today=TODAY)
        for k in range(730):
            day = start + dt.timedelta(days=k)
            store.save_day(DayLog(day, k % 3), [Activity(day, "walk", 3000.0, 1800.0)],
                           today=TODAY)
    store.close()
    pdf = tmp_path / "report.pdf"
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    worker = subprocess.Popen(
        [sys.executable, "-m", "recoverydesk", "--data-dir", str(data), "report-worker",
         "--out", str(pdf), "--page-size", "A4", "--today", TODAY.isoformat()],
        stdout=subprocess.PIPE, text=True, env=env, cwd=REPO)
    assert worker.stdout is not None
    first = worker.stdout.readline()
    assert first.startswith("page ")
    worker.send_signal(signal.SIGTERM)
    rest = worker.stdout.read().splitlines()
    assert worker.wait(timeout=60) == 0
    assert rest[-1] == "cancelled" and not pdf.exists()


# --- as a real program -----------------------------------------------------------------------

def test_program_exit_codes_without_tracebacks(tmp_path) -> None:
    env = {"RECOVERYDESK_DATA_DIR": str(tmp_path / "data")}
    started = run_program("start", "--date", "2026-03-01", env=env)
    assert started.returncode == 0, started.stderr

    bad = run_program("log", "--date", "2026-03-02", "--pain", "high", env=env)
    assert bad.returncode == 2
    assert bad.stderr.startswith("error: pain: 'high'")

    refused = run_program("advance", "--date", "2026-03-02", env=env)
    assert refused.returncode == 3
    assert "✗ G1" in refused.stdout

    shown = run_program("status", "--date", "2026-03-01", "--json", env=env)
    assert shown.returncode == 0
    assert json.loads(shown.stdout)["phase"] == "rest"

    usage = run_program("log", "--pain", env=env)
    assert usage.returncode == 2

    for result in (started, bad, refused, shown, usage):
        assert "Traceback" not in result.stdout + result.stderr


def test_program_on_a_damaged_data_file_exits_4(tmp_path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    (data / DB_NAME).write_bytes(b"this is not a database, just some text " * 200)
    result = run_program("status", "--data-dir", str(data))
    assert result.returncode == 4
    assert result.stderr.startswith("error: ")
    assert "Traceback" not in result.stdout + result.stderr


def test_program_import_of_hostile_files_exits_1_quietly(tmp_path) -> None:
    noise = tmp_path / "noise.bin"
    noise.write_bytes(bytes(range(256)) * 64)
    evil = tmp_path / "evil.csv"
    evil.write_bytes(b"date,pain\n2026-03-01,\xff\xfe\n")
    result = run_program("import", str(noise), str(evil), str(tmp_path / "missing.gpx"),
                         "--data-dir", str(tmp_path / "data"))
    assert result.returncode == 1
    lines = result.stdout.strip().splitlines()
    assert [line.split(":")[0] for line in lines] == ["noise.bin", "evil.csv", "missing.gpx"]
    assert all("not imported — " in line for line in lines)
    assert "Traceback" not in result.stdout + result.stderr


def test_help_exits_0() -> None:
    result = run_program("--help")
    assert result.returncode == 0
    assert "import" in result.stdout and "export" in result.stdout


def test_scripting_commands_do_not_load_qt(tmp_path: pathlib.Path) -> None:
    code = ("import sys\nfrom recoverydesk.cli import main\n"
            f"main(['start', '--date', '2026-03-01', '--data-dir', {str(tmp_path)!r}])\n"
            f"main(['status', '--json', '--data-dir', {str(tmp_path)!r}])\n"
            "assert 'PySide6' not in sys.modules, 'Qt was loaded'\n")
    import subprocess
    import sys

    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=False, timeout=60)
    assert result.returncode == 0, result.stderr


@pytest.mark.skipif(not (REPO.parent / "shared" / "samples" / "activities").is_dir(),
                    reason="sample activity files not found")
def test_import_a_strava_export_prints_a_line_per_member_and_adds_nothing_twice(
        tmp_path: pathlib.Path) -> None:
    import gzip
    import zipfile

    samples = REPO.parent / "shared" / "samples" / "activities"
    export = tmp_path / "export_12345.zip"
    with zipfile.ZipFile(export, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("activities.csv",
                   "Activity ID,Activity Date,Activity Name,Activity Type,Elapsed Time,Distance,"
                   "Filename,Elapsed Time,Moving Time,Distance\n"
                   '7,"Jan 5, 2021, 7:12:33 AM",Run,Run,1800,5.0,,1800.0,1700.0,5000.0\n'
                   '8,"Jan 6, 2021, 7:12:33 AM",Run,Run,1800,5.0,activities/8.fit.gz,1800.0,'
                   '1700.0,5000.0\n')
        z.writestr("activities/8.fit.gz",
                   gzip.compress((samples / "garmin-fenix-5-run.fit").read_bytes()))
        z.writestr("activities/9.gpx.gz", gzip.compress(b"<gpx><trk>cut sh"))
        z.writestr("routes/1.gpx", (samples / "route.gpx").read_bytes())
    data = tmp_path / "data"
    first = run_program("--data-dir", str(data), "import", str(export))
    lines = first.stdout.splitlines()
    assert first.returncode == 1, first.stderr  # one member is damaged
    assert lines[0] == ("export_12345.zip › activities/8.fit.gz: imported 1 activity "
                        "(Sun 11 Jun 2017)")
    assert lines[1].startswith("export_12345.zip › activities/9.gpx.gz: not imported — ")
    assert lines[2] == ("export_12345.zip › activities.csv row 2 (activity 7): "
                        "imported 1 activity (Tue 5 Jan 2021)")
    assert lines[3].startswith("export_12345.zip: total 3 — 2 imported (2 activities), "
                               "0 already imported, 1 not imported, 1 other entry skipped")
    digest = data_digest(data)
    again = run_program("--data-dir", str(data), "import", str(export))
    assert "2 already imported" in again.stdout.splitlines()[-1]
    assert data_digest(data) == digest


def test_worked_example_5_3_through_the_cli(cli) -> None:
    """§5.3: stage 3 reached on 8 May; runs on 10 and 11 May; pain 1 unless said."""
    start = dt.date(2026, 4, 21)
    day = lambda i: (start + dt.timedelta(days=i)).isoformat()  # noqa: E731
    assert cli("start", "--date", day(0)).code == 0
    assert cli("screen", "--date", day(0)).code == 0  # all "no"
    runs = {14: 18, 16: 20, 19: 25, 20: 25}
    kinds = {3: "walk", 4: "walk", 7: "swim", 8: "cycle", 9: "yoga"}
    for i in range(0, 36):
        morning = 3 if i == 21 else 1
        args = log_args(day(i), 1, None, morning, [])
        if i in kinds:
            args += ["--activity", kinds[i]]
        if i in runs:
            args += ["--activity", f"run:{runs[i]}min"]
        assert cli(*args).code == 0
        if i == 12:
            assert cli("ready", "--date", day(i)).code == 0
        if i in (2, 6, 13):
            advanced = cli("advance", "--date", day(i))
            assert advanced.code == 0, advanced.out
    stage = {n: status(cli, f"2026-05-{n:02d}")["run_stage"] for n in (8, 10, 11, 12, 19, 26)}
    assert stage == {8: 3, 10: 3, 11: 4, 12: 3, 19: 2, 26: 1}
    assert status(cli, "2026-05-12")["run_stage_done"] is False


def test_ready_and_screen_refuse_bad_dates_and_unknown_risks(example) -> None:
    assert example("ready", "--date", TOMORROW).code == 2
    assert example("ready", "--date", "2026-02-28").code == 2
    unknown = example("screen", "--date", "2026-03-05", "--risk", "bogus")
    assert unknown.code == 2 and "cancer_history" in unknown.err
    hold = example("screen", "--date", "2026-03-05", "--risk", "osteoporosis")
    assert hold.code == 0
    assert status(example, "2026-03-05")["hold"] is True
    assert example("clear", "--date", "2026-03-05", "--note", "seen by physio").code == 0
    assert status(example, "2026-03-05")["hold"] is False


def test_log_without_a_date_logs_today(cli, data_dir) -> None:
    today = dt.date.today()
    assert cli("start", "--date", (today - dt.timedelta(days=3)).isoformat()).code == 0
    result = cli("log", "--pain", "3")
    assert result.code == 0, result.err
    store = open_store(data_dir)
    try:
        log = store.day_log(today)
        assert log is not None and log.pain == 3
    finally:
        store.close()
