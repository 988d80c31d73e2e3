"""Forward migrations of the RecoveryDesk database, in order (DESIGN.md §8).

Append only: a released migration is never edited, because somebody's file was made by it.
Each one also sets ``PRAGMA user_version`` so that start-up can tell, without loading
sqlite-utils, whether anything is pending or the file comes from a newer RecoveryDesk.
"""

from __future__ import annotations

from sqlite_utils import Database, Migrations

migrations = Migrations("recoverydesk")


@migrations()
def m001_diary(db: Database) -> None:
    """The first schema: episodes, the daily diary, activities, plan actions and settings."""
    db.table("episodes").create(
        {"id": int, "start": str, "units": str, "baseline_weekly_m": float, "notes": str,
         "closed_on": str},
        pk="id", not_null={"start", "units"}, defaults={"units": "km", "notes": ""},
    )
    db.table("day_logs").create(
        {"day": str, "pain": int, "pain_activity": int, "pain_morning": int,
         "red_flags": str, "sleep_hours": float, "heat_ice_min": int, "notes": str},
        pk="day", not_null={"pain", "red_flags", "notes"},
        defaults={"red_flags": "", "notes": ""},
    )
    db.table("activities").create(
        {"id": int, "day": str, "kind": str, "distance_m": float, "duration_s": float,
         "elapsed_s": float, "pain": int, "start_time": str, "source": str,
         "file_sha256": str},
        pk="id", not_null={"day", "kind", "source"}, defaults={"source": "manual"},
    )
    db.table("activities").create_index(["day"])
    db.table("actions").create(
        {"id": int, "episode_id": int, "day": str, "kind": str, "note": str},
        pk="id", not_null={"episode_id", "day", "kind", "note"}, defaults={"note": ""},
        foreign_keys=[("episode_id", "episodes", "id")],
    )
    db.table("actions").create_index(["episode_id", "day", "kind"], unique=True)
    db.table("settings").create({"key": str, "value": str}, pk="key", not_null={"value"})
    db.execute("PRAGMA user_version = 1")


@migrations()
def m002_ticks_exercises_files(db: Database) -> None:
    """Checklist ticks, exercises done, and the imported-file ledger that deduplicates."""
    db.table("ticks").create({"day": str, "item": str}, pk=("day", "item"))
    db.table("exercises_done").create(
        {"day": str, "exercise_id": str, "count": int}, pk=("day", "exercise_id"),
        not_null={"count"}, defaults={"count": 1},
    )
    db.table("imported_files").create(
        {"sha256": str, "name": str, "format": str, "activities": int},
        pk="sha256", not_null={"name", "format", "activities"},
    )
    db.table("activities").create_index(["file_sha256"])
    db.execute("PRAGMA user_version = 2")


@migrations()
def m003_engine_v2(db: Database) -> None:
    """Engine v2's actions (DESIGN.md §5.1): passed ready-to-run tests (kind ``ready``) and
    risk screens (kind ``screen``) join advances and clearances in ``actions``; a screen's
    yes answers are its ``risks`` (ids joined by ``;``, empty for a screen with no yes), so a
    screen is the whole set of answers on its date. Clearances on the flag's own day need no
    schema change: the engine now honours them."""
    db.table("actions").add_column("risks", str, not_null_default="")
    db.execute("PRAGMA user_version = 3")


@migrations()
def m004_cadence(db: Database) -> None:
    """Each activity's average running cadence (steps a minute), empty where not recorded.

    Named 4, not 3: engine v2's ``m003_engine_v2`` comes first, and migrations apply in the
    order they are defined, so either order of merging leaves the same schema.
    """
    db.execute("ALTER TABLE activities ADD COLUMN cadence_spm REAL")
    db.execute("PRAGMA user_version = 4")


@migrations()
def m005_outcomes(db: Database) -> None:
    """Outcomes a clinician reads (DESIGN §3, §3.1): leg pain, morning stiffness and the body
    map's sites on each day, and the Patient-Specific Functional Scale's activities and
    weekly scores. Existing days get empty values: nothing is invented. Named 5: engine v2's
    ``m003_engine_v2`` and the archives' ``m004_cadence`` come first."""
    days = db.table("day_logs")
    days.add_column("leg_pain", int)
    days.add_column("stiffness_min", int)
    days.add_column("pain_sites", str, not_null_default="")
    db.table("psfs_activities").create(
        {"id": int, "name": str, "created": str, "retired": int},
        pk="id", not_null={"name", "created", "retired"}, defaults={"retired": 0},
    )
    db.table("psfs_scores").create(
        {"day": str, "activity_id": int, "score": int},
        pk=("day", "activity_id"), not_null={"score"},
        foreign_keys=[("activity_id", "psfs_activities", "id")],
    )
    db.table("psfs_scores").create_index(["activity_id"])
    db.execute("PRAGMA user_version = 5")
