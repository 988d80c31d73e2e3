"""Hostile places and hostile input through the command line (issue #17): no crash, no
injection, no silent change. Each test names the class of the issue it covers."""

from __future__ import annotations

import csv
import datetime as dt
import json
import os
import pathlib
import shutil
import stat
import subprocess

import pytest

from recoverydesk.storage.store import DB_NAME

from .conftest import REPO, data_digest, run_program

pytestmark = pytest.mark.e2e

TODAY = dt.date.today()
START = (TODAY - dt.timedelta(days=10)).isoformat()
DAY = (TODAY - dt.timedelta(days=5)).isoformat()

FORMULAS = ["=1+2", "+SUM(A1)", "-2+3", "@SUM(1)", "\tx", "\rx", "'=already", "''@x",
            '=HYPERLINK("http://x","y")', "plain", "it's 'fine'", "a\rb", "a\nb", "a\r\nb",
            'say "hi", ok']


@pytest.fixture
def episode(cli):
    assert cli("start", "--date", START).code == 0
    return cli


def _mode(path: pathlib.Path) -> int:
    return stat.S_IMODE(path.lstat().st_mode)


# --- dates and encodings -----------------------------------------------------------------------

@pytest.mark.parametrize("text", ["2026-W43-7", "20260301", "2026-3-1", "2026-03-01T00:00",
                                  "２０２６-03-01", " 2026-03-1"])
def test_date_must_be_exactly_yyyy_mm_dd(cli, text: str) -> None:
    result = cli("start", "--date", text)
    assert result.code == 2 and "YYYY-MM-DD" in result.err


def test_a_note_that_is_not_utf8_is_refused_naming_the_field(episode, data_dir) -> None:
    before = data_digest(data_dir)
    note = b"caf\xe9".decode("utf-8", "surrogateescape")  # what argv gives for those bytes
    result = episode("log", "--date", DAY, "--pain", "2", "--note", note)
    assert result.code == 2 and "notes" in result.err and "UTF-8" in result.err
    assert data_digest(data_dir) == before


def test_a_file_whose_name_is_not_utf8_imports(episode, data_dir, tmp_path) -> None:
    text = ("date,kind,distance_m\n" f"{DAY},walk,1000\n").encode()
    name = os.path.join(os.fsencode(tmp_path), b"caf\xe9-walks.csv")
    with open(name, "wb") as handle:
        handle.write(text)
    result = episode("import", os.fsdecode(name))
    assert result.code == 0, result.out + result.err
    assert "imported 1 activity" in result.out


# --- report and export: never over a file unasked, errors are 2 or 4 ---

def test_report_into_a_missing_folder_exits_2_without_qt_noise(tmp_path, data_dir) -> None:
    assert run_program("start", "--date", START, "--data-dir", str(data_dir)).returncode == 0
    result = run_program("report", "--out", str(tmp_path / "missing" / "r.pdf"),
                         "--data-dir", str(data_dir))
    assert result.returncode == 2, result.stderr
    assert result.stderr.strip().startswith("error: out:")
    assert "Qt" not in result.stderr and "QPdf" not in result.stderr


def test_report_never_replaces_a_file_without_force_and_is_private(episode, tmp_path) -> None:
    target = tmp_path / "report.pdf"
    target.write_text("mine")
    result = episode("report", "--out", str(target))
    assert result.code == 2 and "--force" in result.err
    assert target.read_text() == "mine"
    assert episode("report", "--out", str(target), "--force").code == 0
    assert target.read_bytes().startswith(b"%PDF") and _mode(target) == 0o600


def test_report_ignores_a_symlink_planted_at_the_old_temporary_name(episode, tmp_path) -> None:
    victim = tmp_path / "victim.txt"
    victim.write_text("precious")
    (tmp_path / ".report.pdf.part").symlink_to(victim)
    assert episode("report", "--out", str(tmp_path / "report.pdf")).code == 0
    assert victim.read_text() == "precious"
    assert _mode(tmp_path / "report.pdf") == 0o600


def test_report_through_a_symlink_at_the_target_needs_force(episode, tmp_path) -> None:
    victim = tmp_path / "victim.txt"
    victim.write_text("precious")
    (tmp_path / "report.pdf").symlink_to(victim)
    assert episode("report", "--out", str(tmp_path / "report.pdf")).code == 2
    assert victim.read_text() == "precious"


def test_report_into_an_unwritable_folder_exits_2(episode, tmp_path) -> None:
    folder = tmp_path / "locked"
    folder.mkdir()
    folder.chmod(0o500)
    try:
        if os.access(folder, os.W_OK):
            pytest.skip("running as root: permissions do not stop writes")
        result = episode("report", "--out", str(folder / "r.pdf"))
        assert result.code == 2 and "out" in result.err
    finally:
        folder.chmod(0o700)


def test_csv_export_never_fills_a_non_empty_folder_unasked(episode, tmp_path) -> None:
    folder = tmp_path / "mine"
    folder.mkdir()
    (folder / "days.csv").write_text("my own spreadsheet")
    result = episode("export", "--format", "csv", "--out", str(folder))
    assert result.code == 2 and "--force" in result.err
    assert (folder / "days.csv").read_text() == "my own spreadsheet"
    assert episode("export", "--format", "csv", "--out", str(folder), "--force").code == 0
    assert (folder / "days.csv").read_text().startswith("date,pain")
    assert all(_mode(p) == 0o600 for p in folder.glob("*.csv"))


def test_csv_export_does_not_create_missing_parents(episode, tmp_path) -> None:
    result = episode("export", "--format", "csv", "--out", str(tmp_path / "a" / "b"))
    assert result.code == 2
    assert not (tmp_path / "a").exists()


def test_json_export_never_replaces_a_file_unasked(episode, tmp_path) -> None:
    target = tmp_path / "backup.json"
    target.write_text("old")
    assert episode("export", "--format", "json", "--out", str(target)).code == 2
    assert target.read_text() == "old"
    assert episode("export", "--format", "json", "--out", str(target), "--force").code == 0
    assert json.loads(target.read_text())["format"] == "recoverydesk-export"
    assert _mode(target) == 0o600


def test_screenshot_is_private_and_never_replaces_unasked(episode, tmp_path, data_dir) -> None:
    target = tmp_path / "shot.png"
    target.write_text("old")
    args = ("screenshot", "--out", str(target), "--size", "400x300", "--data-dir",
            str(data_dir))
    assert run_program(*args).returncode == 2
    assert target.read_text() == "old"
    result = run_program(*args, "--force")
    assert result.returncode == 0, result.stderr
    assert target.read_bytes().startswith(b"\x89PNG") and _mode(target) == 0o600


# --- CSV injection and the lossless round trip ---------------------------------------------------

def test_exported_csv_cells_never_start_a_formula_and_read_back_exactly(episode, tmp_path,
                                                                       data_dir) -> None:
    for i, note in enumerate(FORMULAS):
        day = (TODAY - dt.timedelta(days=9 - i % 9)).isoformat()
        assert episode("log", "--date", day, "--pain", "1", f"--note={note}").code == 0
        days_csv = tmp_path / f"export{i}"
        assert episode("export", "--format", "csv", "--out", str(days_csv)).code == 0
        with open(days_csv / "days.csv", newline="", encoding="utf-8") as handle:
            rows = list(csv.reader(handle))
        for row in rows:
            for cell in row:
                assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), cell
        # Read back into a fresh folder: the note is exactly what was logged.
        fresh = tmp_path / f"fresh{i}"
        assert episode("import", str(days_csv / "days.csv"), data=fresh).code == 0, note
        assert episode("export", "--format", "json", "--out", str(tmp_path / f"{i}.json"),
                       data=fresh).code == 0
        notes = {d["date"]: d["notes"] for d in
                 json.loads((tmp_path / f"{i}.json").read_text())["days"]}
        assert notes[day] == note


def test_a_hostile_file_name_is_neutralised_in_imported_files_csv(episode, tmp_path) -> None:
    path = tmp_path / "=1+2 @SUM(1).csv"
    path.write_text(f"date,kind\n{DAY},walk\n")
    assert episode("import", str(path)).code == 0
    out = tmp_path / "export"
    assert episode("export", "--format", "csv", "--out", str(out)).code == 0
    text = (out / "imported_files.csv").read_text()
    assert "'=1+2 @SUM(1).csv" in text and ",=1+2" not in text


# --- dedupe: our own activities.csv adds nothing ------------------------------------------------

def test_reimporting_our_own_activities_csv_adds_nothing(episode, tmp_path, data_dir) -> None:
    assert episode("log", "--date", DAY, "--pain", "2", "--activity", "run:5km:30min",
                   "--activity", "run:5km:30min", "--activity", "walk:2km").code == 0
    gpx = REPO.parent / "shared" / "samples" / "activities" / "garmin-fenix-5-run.fit"
    if gpx.is_file():
        episode("import", str(gpx))
    out = tmp_path / "export"
    assert episode("export", "--format", "csv", "--out", str(out)).code == 0
    before = (out / "activities.csv").read_text()
    result = episode("import", str(out / "activities.csv"))
    assert result.code == 0 and "imported 0 activities" in result.out
    again = tmp_path / "again"
    assert episode("export", "--format", "csv", "--out", str(again)).code == 0
    assert (again / "activities.csv").read_text() == before


# --- JSON import validates settings -------------------------------------------------------------

@pytest.mark.parametrize(("rules", "field"), [
    ({"gate_window_days": "x"}, "rules.gate_window_days"),
    ({"gate_window_days": -3}, "rules.gate_window_days"),
    ({"min_days": {"rest": 0, "walk": 4, "low_impact": 7, "run": 7}}, "rules.min_days.rest"),
    ({"min_days": 3}, "rules.min_days"),
    ({"advance_threshold": {"rest": None, "walk": 3, "low_impact": 2, "run": 2}},
     "rules.advance_threshold.rest"),
    ({"advance_threshold": {"rest": 11, "walk": 3, "low_impact": 2, "run": 2}},
     "rules.advance_threshold.rest"),
    ({"spike_lookback_days": 10**12}, "rules.spike_lookback_days"),
    ({"auto_advance": "yes"}, "rules.auto_advance"),
    ({"ladder_minutes": [18, 20]}, "rules.ladder_minutes"),
    ({"ladder_done_fraction": 1.5}, "rules.ladder_done_fraction"),
    ({"pause_risks": "cancer_history"}, "rules.pause_risks"),
])
def test_a_backup_with_bad_rules_is_refused_whole_naming_the_field(episode, tmp_path,
                                                                   rules, field) -> None:
    backup = tmp_path / "b.json"
    assert episode("export", "--format", "json", "--out", str(backup)).code == 0
    doc = json.loads(backup.read_text())
    doc["settings"]["rules"] = rules
    backup.write_text(json.dumps(doc))
    fresh = tmp_path / "fresh"
    result = episode("import", str(backup), data=fresh)
    assert result.code == 1 and field in result.out
    status = episode("status", data=fresh)
    assert status.code == 3  # nothing was written: no episode


def test_a_store_with_bad_settings_opens_with_defaults_and_says_so(episode, data_dir) -> None:
    import sqlite3

    with sqlite3.connect(data_dir / DB_NAME) as conn:
        conn.execute("INSERT OR REPLACE INTO settings (key, value) VALUES ('rules', ?)",
                     [json.dumps({"gate_window_days": -3, "min_days": 0})])
    result = episode("status", "--date", DAY, "--json")
    assert result.code == 0, result.err
    assert json.loads(result.out)["phase"] == "rest"
    assert "default settings" in result.err
    # The safety gate cannot be switched off: day 1 of rest never opens it.
    first = episode("status", "--date", START, "--json")
    assert json.loads(first.out)["can_advance"] is False


# --- permissions --------------------------------------------------------------------------------

@pytest.mark.parametrize("mode", [0o1777, 0o777, 0o1755])
def test_a_shared_folder_is_refused_and_left_as_it_is(cli, tmp_path, mode: int) -> None:
    shared = tmp_path / "shared"
    shared.mkdir()
    shared.chmod(mode)
    result = cli("status", data=shared)
    assert result.code == 4 and "shared" in result.err
    assert _mode(shared) == mode and not (shared / DB_NAME).exists()


def test_an_existing_folder_of_mine_outside_the_data_location_keeps_its_mode(cli,
                                                                             tmp_path) -> None:
    mine = tmp_path / "mine"
    mine.mkdir()
    mine.chmod(0o750)
    assert cli("start", "--date", START, data=mine).code == 0
    assert _mode(mine) == 0o750
    assert _mode(mine / DB_NAME) == 0o600  # the file we created


def test_a_folder_we_create_is_private(cli, tmp_path) -> None:
    assert cli("start", "--date", START, data=tmp_path / "new").code == 0
    assert _mode(tmp_path / "new") == 0o700 and _mode(tmp_path / "new" / DB_NAME) == 0o600


@pytest.mark.parametrize("what", ["file", "folder"])
def test_a_read_only_data_file_or_folder_is_read_not_written(episode, data_dir,
                                                             tmp_path, what: str) -> None:
    assert episode("log", "--date", DAY, "--pain", "3").code == 0
    target = data_dir / DB_NAME if what == "file" else data_dir
    target.chmod(0o400 if what == "file" else 0o500)
    try:
        mode = _mode(target)
        before = data_digest(data_dir)
        status = episode("status", "--date", DAY, "--json")
        assert status.code == 0, status.err
        out = tmp_path / "export.json"
        assert episode("export", "--format", "json", "--out", str(out)).code == 0
        assert [d["pain"] for d in json.loads(out.read_text())["days"]] == [3]
        log = episode("log", "--date", DAY, "--pain", "5")
        assert log.code == 4 and "read-only" in log.err
        assert _mode(target) == mode and data_digest(data_dir) == before
    finally:
        target.chmod(0o700 if what == "folder" else 0o600)


def test_a_symlinked_data_file_is_never_followed(cli, tmp_path) -> None:
    elsewhere = tmp_path / "elsewhere.sqlite"
    elsewhere.write_bytes(b"")
    elsewhere.chmod(0o644)
    folder = tmp_path / "data"
    folder.mkdir(mode=0o700)
    (folder / DB_NAME).symlink_to(elsewhere)
    result = cli("status", data=folder)
    assert result.code == 4 and "symbolic link" in result.err
    assert _mode(elsewhere) == 0o644 and elsewhere.read_bytes() == b""


# --- disk full ----------------------------------------------------------------------------------

@pytest.fixture
def small_disk(tmp_path):
    """A 2 MB tmpfs (root only), unmounted afterwards."""
    if os.geteuid() != 0 or shutil.which("mount") is None:
        pytest.skip("a small tmpfs needs root to mount")
    mount_point = tmp_path / "small"
    mount_point.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", str(mount_point)],
                          capture_output=True, check=False)
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.decode().strip()}")
    try:
        yield mount_point
    finally:
        subprocess.run(["umount", "-l", str(mount_point)], check=False)


def _fill(folder: pathlib.Path) -> None:
    """Fill the file system to its last block."""
    handle = open(folder / "filler", "wb", buffering=0)  # noqa: SIM115
    for chunk in (65536, 4096, 512, 1):
        try:
            while True:
                handle.write(b"\0" * chunk)
        except OSError:
            pass
    try:
        handle.close()
    except OSError:
        pass


def test_a_full_disk_says_so_and_reads_still_work(cli, small_disk, tmp_path) -> None:
    data = small_disk / "data"
    assert cli("start", "--date", START, data=data).code == 0
    assert cli("log", "--date", DAY, "--pain", "3", data=data).code == 0
    _fill(small_disk)
    log = cli("log", "--date", DAY, "--pain", "6", "--note", "x" * 5000, data=data)
    assert log.code == 4 and "the disk is full" in log.err, log.err
    status = cli("status", "--date", DAY, "--json", data=data)
    assert status.code == 0, status.err
    out = tmp_path / "export.json"
    assert cli("export", "--format", "json", "--out", str(out), data=data).code == 0
    assert [d["pain"] for d in json.loads(out.read_text())["days"]] == [3]


# --- scale: a diary above the documented cap is refused in one line ---

def test_an_activities_csv_above_the_row_cap_is_refused_whole(episode, tmp_path,
                                                              data_dir) -> None:
    from recoverydesk.interchange.diary import MAX_ROWS

    path = tmp_path / "activities.csv"
    path.write_text("date,kind,distance_m\n" + f"{DAY},walk,1000\n" * (MAX_ROWS + 1))
    before = data_digest(data_dir)
    result = episode("import", str(path))
    assert result.code == 1 and f"more than {MAX_ROWS:,} rows" in result.out
    assert len(result.out.strip().splitlines()) == 1
    assert data_digest(data_dir) == before


def test_report_period_is_checked_like_every_date(episode, tmp_path) -> None:
    """`report --since` names its field and range, and writes nothing, when it is off."""
    target = tmp_path / "period.pdf"
    before = episode("report", "--out", str(target), "--since", "1999-12-31")
    assert before.code == 2 and before.err.startswith("error: since:")
    assert "episode's start" in before.err
    assert episode("report", "--out", str(target), "--since", "2026-W10-1").code == 2
    assert not target.exists()
    assert episode("report", "--out", str(target), "--since", START).code == 0
    assert target.is_file()
