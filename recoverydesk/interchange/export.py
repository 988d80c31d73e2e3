"""Export everything the store holds, as CSV and as one JSON document, and read JSON back
(DESIGN.md §7).

Two audiences:

- **CSV** is for spreadsheets and other tools. ``days.csv`` and ``activities.csv`` keep the
  columns and meanings §7 documents (UTF-8, header row, ISO dates, metres and seconds, empty
  cells for absent values); the rest of the store follows in ``episodes.csv``, ``actions.csv``,
  ``ticks.csv``, ``exercises_done.csv``, ``imported_files.csv``, ``psfs.csv`` (§7: ``date,
  activity, score``, the weekly function scores by activity name), ``psfs_activities.csv``
  (their ids, created dates and retired flags) and ``settings.csv`` so that
  nothing a runner recorded is left behind.
- **JSON** is the backup a fresh install reads back losslessly: one document with a
  ``format`` name and a ``version``, every table as a list of records in a fixed order, and
  settings as an object. The output is canonical (fixed key order, fixed row order, no
  timestamps), so import into an empty folder followed by a new export gives the same bytes.

:func:`import_json` trusts nothing: the whole document is checked with the model's own
validators before a row is written, the target store must be empty (a backup restores, it
does not merge), and the write is one transaction. Refusals are :class:`BackupRefused` with a
one-line reason naming the record and the field, e.g. ``days[3]: pain: 12 is not allowed; it
must be a whole number from 0 to 10``.

The tables and columns come from ``storage/dump.py`` (``Store.dump()`` and
``Store.load_dump()``); this module only checks and serialises, and never touches a table.
"""

from __future__ import annotations

import contextlib
import datetime
import json
import math
import re
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from recoverydesk.core.model import (
    RED_FLAGS,
    Action,
    Activity,
    DayLog,
    EpisodeInfo,
    ValidationError,
    check_date,
    parse_risks,
    validate_action,
    validate_activity,
    validate_day,
    validate_info,
)
from recoverydesk.core.psfs import MAX_ACTIVITIES, PsfsActivity, PsfsScore, validate_score
from recoverydesk.core.psfs import validate_activity as validate_psfs_activity
from recoverydesk.core.rules import Rules
from recoverydesk.interchange.activity_files import ImportRefused
from recoverydesk.storage import dump as tables

if TYPE_CHECKING:
    from recoverydesk.storage.store import Store

FORMAT_NAME = "recoverydesk-export"
FORMAT_VERSION = 1
MAX_JSON_BYTES = 50 * 1024 * 1024
MAX_TEXT = 1000
"""Longest checklist item, exercise id, settings key or file name accepted from a backup."""

SECTIONS: tuple[str, ...] = tables.SECTION_NAMES
"""The JSON document's sections after ``format`` and ``version``, in this order."""

_FIELDS = {section.name: section.names for section in tables.SECTIONS}
EPISODE_COLUMNS = _FIELDS["episodes"]
ACTION_COLUMNS = _FIELDS["actions"]
TICK_COLUMNS = _FIELDS["ticks"]
EXERCISE_COLUMNS = _FIELDS["exercises_done"]
FILE_COLUMNS = _FIELDS["imported_files"]
PSFS_ACTIVITY_COLUMNS = _FIELDS["psfs_activities"]
PSFS_SCORE_COLUMNS = _FIELDS["psfs_scores"]
PSFS_CSV_COLUMNS = ("date", "activity", "score")
SETTING_COLUMNS = tables.SETTINGS.names


def _documented_first(documented: tuple[str, ...], fields: tuple[str, ...]) -> tuple[str, ...]:
    """The §7 CSV columns in their documented order, then any newer field of the table."""
    return documented + tuple(f for f in fields if f not in documented)


DAY_COLUMNS = _documented_first(
    ("date", "pain", "pain_activity", "pain_morning", "red_flags", "sleep_hours", "notes",
     "heat_ice_min"), _FIELDS["days"])
ACTIVITY_COLUMNS = _documented_first(
    ("date", "start_time", "kind", "distance_m", "duration_s", "elapsed_s", "pain", "source",
     "file_sha256"), _FIELDS["activities"])

_SHA256 = re.compile(r"[0-9a-f]{64}")
_FILE_FORMATS = ("gpx", "tcx", "fit", "csv")


class BackupRefused(ImportRefused):
    """A JSON document that cannot be restored; nothing was written.

    Attributes:
        reason: One line naming the record and the field.
        field: The field at fault, or None when the document as a whole is refused.
    """

    def __init__(self, reason: str, field: str | None = None) -> None:
        super().__init__(reason)
        self.field = field


class StoreNotEmpty(BackupRefused):
    """A backup restores only into an empty data folder; this one already holds data."""


# --- the store as records ---------------------------------------------------------------------

def _day_record(log: DayLog) -> dict[str, Any]:
    return {"date": log.day.isoformat(), "pain": log.pain, "pain_activity": log.pain_activity,
            "pain_morning": log.pain_morning, "red_flags": sorted(log.red_flags),
            "sleep_hours": log.sleep_hours, "heat_ice_min": log.heat_ice_min,
            "notes": log.notes, "leg_pain": log.leg_pain, "stiffness_min": log.stiffness_min,
            "pain_sites": sorted(log.pain_sites)}


def _activity_record(a: Activity) -> dict[str, Any]:
    return {"date": a.day.isoformat(),
            "start_time": a.start_time.isoformat() if a.start_time else None,
            "kind": a.kind, "distance_m": a.distance_m, "duration_s": a.duration_s,
            "elapsed_s": a.elapsed_s, "pain": a.pain, "source": a.source,
            "file_sha256": a.file_sha256, "cadence_spm": a.cadence_spm}


def collect(store: Store) -> dict[str, Any]:
    """Everything the store holds as plain records, in the canonical order of the export."""
    return {"format": FORMAT_NAME, "version": FORMAT_VERSION, **store.dump()}


# --- JSON --------------------------------------------------------------------------------------

def export_json(store: Store) -> str:
    """The whole store as one canonical JSON document (UTF-8 text, one record per line)."""
    doc = collect(store)
    lines = ["{"]
    keys = list(doc)
    for i, key in enumerate(keys):
        value = doc[key]
        comma = "," if i < len(keys) - 1 else ""
        head = f"  {json.dumps(key)}: "
        if isinstance(value, list) and value:
            rows = [f"    {_dumps(row)}" for row in value]
            lines.append(head + "[\n" + ",\n".join(rows) + "\n  ]" + comma)
        else:
            lines.append(head + _dumps(value) + comma)
    lines.append("}")
    return "\n".join(lines) + "\n"


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, allow_nan=False, separators=(", ", ": "))


def write_json(store: Store, path: Path, *, replace: bool = False) -> Path:
    """Write :func:`export_json` to ``path`` atomically as a private file (safefile);
    an existing file is replaced only with ``replace`` (FileExistsError otherwise)."""
    from recoverydesk.storage.safefile import write_private

    return write_private(Path(path), export_json(store).encode("utf-8"), replace=replace)


def import_json(store: Store, text: str | bytes, today: datetime.date | None = None,
                ) -> dict[str, int]:
    """Restore a JSON export into an empty store, in one transaction.

    Returns how many records of each section were written.

    Raises:
        StoreNotEmpty: The store already holds data; nothing was written.
        BackupRefused: The document is not a RecoveryDesk export or breaks a rule of §3;
            the reason names the record and the field. Nothing was written.
        StoreError: The data file could not be written; nothing was written.
    """
    today = today or datetime.date.today()
    doc = parse_backup(text, today)
    if not store.is_empty():
        counts = store.counts()
        raise StoreNotEmpty(
            f"the data folder already holds data ({counts['day_logs']} days, "
            f"{counts['activities']} activities, {counts['episodes']} episodes); a JSON "
            "backup restores only into an empty data folder (choose one with --data-dir)")
    store.load_dump(doc)
    return {name: len(doc[name]) for name in SECTIONS}


def looks_like_backup(head: bytes) -> bool:
    """A cheap guess for dispatch: does the file start like a JSON object?"""
    return head.removeprefix(b"\xef\xbb\xbf").lstrip()[:1] == b"{"


# --- checking a backup -------------------------------------------------------------------------

def _refuse_constant(name: str) -> Any:
    raise BackupRefused(f"the document holds {name}, which is not a number a backup can hold")


def parse_backup(text: str | bytes, today: datetime.date) -> dict[str, Any]:
    """Check a whole JSON export and return it normalised (floats as floats), writing nothing.

    Raises:
        BackupRefused: Nothing else.
    """
    try:
        return _parse_backup(text, today)
    except BackupRefused:
        raise
    except ValidationError as error:
        raise BackupRefused(str(error), field=error.field) from None
    except RecursionError:
        raise BackupRefused("the document is nested too deeply to be a backup") from None
    except Exception as exc:  # the promise: a hostile document never crashes the caller
        raise BackupRefused(f"could not read this document ({type(exc).__name__}: {exc})"
                            ) from exc


def _parse_backup(text: str | bytes, today: datetime.date) -> dict[str, Any]:
    if isinstance(text, bytes):
        if len(text) > MAX_JSON_BYTES:
            raise BackupRefused("file is larger than 50 MB")
        if b"\0" in text:
            raise BackupRefused("this is not a text file (it holds binary data)")
        try:
            text = text.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise BackupRefused(f"the text is not UTF-8 (byte {exc.start + 1} cannot be read)"
                                ) from None
    if len(text) > MAX_JSON_BYTES:
        raise BackupRefused("file is larger than 50 MB")
    try:
        doc = json.loads(text.removeprefix("\ufeff"), parse_constant=_refuse_constant)
    except json.JSONDecodeError as exc:
        raise BackupRefused(f"not a JSON document: {exc.msg} at line {exc.lineno} "
                            f"column {exc.colno}") from None
    if not isinstance(doc, dict) or doc.get("format") != FORMAT_NAME:
        raise BackupRefused(f"not a RecoveryDesk export (its \"format\" must be "
                            f"\"{FORMAT_NAME}\")", field="format")
    version = doc.get("version")
    if isinstance(version, bool) or not isinstance(version, int) or version < 1:
        raise BackupRefused("version: it must be a whole number from 1", field="version")
    if version > FORMAT_VERSION:
        raise BackupRefused(f"this export was written by a newer RecoveryDesk (format version "
                            f"{version}; this one reads up to {FORMAT_VERSION})",
                            field="version")
    unknown = sorted(set(doc) - {"format", "version", *SECTIONS})
    if unknown:
        raise BackupRefused(f"unknown section {unknown[0]!r}; a version-{FORMAT_VERSION} export "
                            "holds " + ", ".join(SECTIONS), field=unknown[0])
    out: dict[str, Any] = {"format": FORMAT_NAME, "version": version}
    for section, check in CHECKERS.items():
        rows = doc.get(section, [])
        if not isinstance(rows, list):
            raise BackupRefused(f"{section}: it must be a list of records", field=section)
        out[section] = [check(_Record(section, i, row), today) for i, row in enumerate(rows)]
    out["settings"] = _settings(doc.get("settings", {}))
    _check_relations(out)
    return out


class _Record:
    """One record of a section, read field by field with messages naming ``section[i]``."""

    def __init__(self, section: str, index: int, data: Any) -> None:
        self.where = f"{section}[{index}]"
        if not isinstance(data, dict):
            raise BackupRefused(f"{self.where}: it must be a record (a JSON object)")
        self.data: Mapping[str, Any] = data

    def refuse(self, field: str, value: Any, allowed: str) -> BackupRefused:
        return BackupRefused(f"{self.where}: {ValidationError(field, value, allowed)}",
                             field=field)

    def keys(self, allowed: Sequence[str]) -> None:
        unknown = sorted(set(self.data) - set(allowed))
        if unknown:
            raise BackupRefused(f"{self.where}: unknown field {unknown[0]!r}", field=unknown[0])

    def text(self, field: str, *, limit: int = MAX_TEXT, optional: bool = False,
             default: str | None = None) -> Any:
        value = self.data.get(field, default)
        if value is None and optional:
            return None
        if not isinstance(value, str) or len(value) > limit:
            raise self.refuse(field, value, f"text of at most {limit:,} characters")
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            raise self.refuse(field, value, "text without lone surrogate characters") from None
        return value

    def name(self, field: str) -> str:
        value = self.text(field)
        if not value.strip():
            raise self.refuse(field, value, f"text of 1 to {MAX_TEXT:,} characters")
        return str(value)

    def date(self, field: str, today: datetime.date, *, optional: bool = False,
             ) -> datetime.date | None:
        value = self.data.get(field)
        if value is None and optional:
            return None
        day = None
        if isinstance(value, str) and len(value) == 10:
            with contextlib.suppress(ValueError):
                day = datetime.date.fromisoformat(value)
        if day is None:
            raise self.refuse(field, value, "a date as YYYY-MM-DD")
        self.validated(check_date, field, day, today)
        return day

    def integer(self, field: str, *, optional: bool = True) -> int | None:
        value = self.data.get(field)
        if value is None and optional:
            return None
        if isinstance(value, bool) or not isinstance(value, int):
            raise self.refuse(field, value, "a whole number" + (" or null" if optional else ""))
        return value

    def row_id(self) -> int:
        """The row's ``id``, which other rows name: a whole number from 1 (SQLite's range)."""
        ident = self.integer("id", optional=False)
        if ident is None or not 1 <= ident <= 2**62:
            raise self.refuse("id", ident, "a whole number from 1")
        return ident

    def number(self, field: str) -> float | None:
        value = self.data.get(field)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(
                value):
            raise self.refuse(field, value, "a number or null")
        return float(value)

    def validated(self, check: Callable[..., Any], *args: Any) -> Any:
        try:
            return check(*args)
        except ValidationError as error:
            raise BackupRefused(f"{self.where}: {error}", field=error.field) from None


def _episode(r: _Record, today: datetime.date) -> dict[str, Any]:
    r.keys(EPISODE_COLUMNS)
    ident = r.row_id()
    start = r.date("start", today)
    closed = r.date("closed_on", today, optional=True)
    assert start is not None
    info = EpisodeInfo(start=start, units=r.text("units", default="km"),
                       baseline_weekly_m=r.number("baseline_weekly_m"),
                       notes=r.text("notes", limit=10_000, default=""), id=ident)
    r.validated(validate_info, info, today)
    return {"id": ident, "start": start.isoformat(), "units": info.units,
            "baseline_weekly_m": info.baseline_weekly_m, "notes": info.notes,
            "closed_on": closed.isoformat() if closed else None}


def _day(r: _Record, today: datetime.date) -> dict[str, Any]:
    r.keys(DAY_COLUMNS)
    day = r.date("date", today)
    flags = r.data.get("red_flags", [])
    if not isinstance(flags, list) or not all(isinstance(f, str) for f in flags):
        raise r.refuse("red_flags", flags, "a list of red-flag ids")
    if len(set(flags)) != len(flags):
        raise r.refuse("red_flags", flags, "a list of different red-flag ids")
    unknown = sorted(set(flags) - set(RED_FLAGS))
    if unknown:
        raise r.refuse("red_flag", unknown[0], "one of " + ", ".join(RED_FLAGS))
    sites = r.data.get("pain_sites", [])
    if not isinstance(sites, list) or not all(isinstance(x, str) for x in sites):
        raise r.refuse("pain_sites", sites, "a list of body-map region ids")
    if len(set(sites)) != len(sites):
        raise r.refuse("pain_sites", sites, "a list of different body-map region ids")
    pain = r.integer("pain", optional=False)
    assert day is not None and pain is not None
    log = DayLog(day=day, pain=pain, pain_activity=r.integer("pain_activity"),
                 pain_morning=r.integer("pain_morning"), red_flags=frozenset(flags),
                 sleep_hours=r.number("sleep_hours"), heat_ice_min=r.integer("heat_ice_min"),
                 notes=r.text("notes", limit=10**7, default=""),
                 leg_pain=r.integer("leg_pain"), stiffness_min=r.integer("stiffness_min"),
                 pain_sites=frozenset(sites))
    r.validated(validate_day, log, today)
    return _day_record(log)


def _activity(r: _Record, today: datetime.date) -> dict[str, Any]:
    r.keys(ACTIVITY_COLUMNS)
    day = r.date("date", today)
    start_text = r.text("start_time", limit=40, optional=True)
    start = None
    if start_text is not None:
        with contextlib.suppress(ValueError):
            start = datetime.datetime.fromisoformat(start_text)
        if start is None:
            raise r.refuse("start_time", start_text, "a time in ISO 8601 with its UTC offset")
    sha = r.text("file_sha256", limit=64, optional=True)
    if sha is not None and not _SHA256.fullmatch(sha):
        raise r.refuse("file_sha256", sha, "64 lowercase hexadecimal digits or null")
    assert day is not None
    activity = Activity(day=day, kind=r.text("kind", limit=40),
                        distance_m=r.number("distance_m"), duration_s=r.number("duration_s"),
                        pain=r.integer("pain"), start_time=start,
                        elapsed_s=r.number("elapsed_s"),
                        source=r.text("source", limit=40, default="manual"), file_sha256=sha,
                        cadence_spm=r.number("cadence_spm"))
    r.validated(validate_activity, activity, today)
    return _activity_record(activity)


def _action(r: _Record, today: datetime.date) -> dict[str, Any]:
    r.keys(ACTION_COLUMNS)
    episode = r.integer("episode_id", optional=False)
    day = r.date("date", today)
    assert day is not None
    risks = r.text("risks", limit=1000, default="")  # absent in exports from before engine v2
    action = Action(day=day, kind=r.text("kind", limit=40),
                    note=r.text("note", limit=10_000, default=""),
                    risks=r.validated(parse_risks, risks))
    r.validated(validate_action, action, today)
    return {"episode_id": episode, "date": day.isoformat(), "kind": action.kind,
            "note": action.note, "risks": ";".join(sorted(action.risks))}


def _tick(r: _Record, today: datetime.date) -> dict[str, Any]:
    r.keys(TICK_COLUMNS)
    day = r.date("date", today)
    assert day is not None
    return {"date": day.isoformat(), "item": r.name("item")}


def _exercise(r: _Record, today: datetime.date) -> dict[str, Any]:
    r.keys(EXERCISE_COLUMNS)
    day = r.date("date", today)
    exercise = r.name("exercise_id")
    count = r.integer("count", optional=False)
    if count is None or not 1 <= count <= 1_000_000:
        raise r.refuse("count", count, "a whole number from 1 to 1000000")
    assert day is not None
    return {"date": day.isoformat(), "exercise_id": exercise, "count": count}


def _file(r: _Record, today: datetime.date) -> dict[str, Any]:
    r.keys(FILE_COLUMNS)
    sha = r.text("sha256", limit=64)
    if not _SHA256.fullmatch(sha):
        raise r.refuse("sha256", sha, "64 lowercase hexadecimal digits")
    fmt = r.text("format", limit=10)
    if fmt not in _FILE_FORMATS:
        raise r.refuse("format", fmt, "one of " + ", ".join(_FILE_FORMATS))
    count = r.integer("activities", optional=False)
    if count is None or not 0 <= count <= 1_000_000:
        raise r.refuse("activities", count, "a whole number from 0")
    return {"sha256": sha, "name": r.name("name"), "format": fmt, "activities": count}


def _psfs_activity(r: _Record, today: datetime.date) -> dict[str, Any]:
    r.keys(PSFS_ACTIVITY_COLUMNS)
    ident = r.row_id()
    created = r.date("created", today)
    retired = r.data.get("retired", False)
    if not isinstance(retired, bool):
        raise r.refuse("retired", retired, "true or false")
    assert created is not None
    activity = PsfsActivity(r.text("name", limit=MAX_TEXT), created, retired, ident)
    r.validated(validate_psfs_activity, activity, today)
    return {"id": ident, "name": activity.name, "created": created.isoformat(),
            "retired": retired}


def _psfs_score(r: _Record, today: datetime.date) -> dict[str, Any]:
    r.keys(PSFS_SCORE_COLUMNS)
    day = r.date("date", today)
    activity = r.integer("activity_id", optional=False)
    score = r.integer("score", optional=False)
    assert day is not None and activity is not None and score is not None
    r.validated(validate_score, PsfsScore(day, activity, score), today)
    return {"date": day.isoformat(), "activity_id": activity, "score": score}


CHECKERS: dict[str, Callable[[_Record, datetime.date], dict[str, Any]]] = {
    "episodes": _episode, "days": _day, "activities": _activity, "actions": _action,
    "ticks": _tick, "exercises_done": _exercise, "imported_files": _file,
    "psfs_activities": _psfs_activity, "psfs_scores": _psfs_score,
}
"""How each list section of a backup is checked; a new section of ``storage/dump.py`` needs
its checker here (a test says so)."""


def _settings(value: Any) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise BackupRefused("settings: it must be an object of named settings",
                            field="settings")
    for key, item in value.items():
        if not key.strip() or len(key) > MAX_TEXT:
            raise BackupRefused(f"settings: {key!r} is not a setting name", field="settings")
        try:
            (key + json.dumps(item, ensure_ascii=False, allow_nan=False)).encode("utf-8")
        except (UnicodeEncodeError, ValueError):
            raise BackupRefused(f"settings[{key!r}]: it holds text or numbers a backup cannot "
                                "hold", field=key) from None
    if "rules" in value:
        rules = value["rules"]
        if not isinstance(rules, dict):
            raise BackupRefused("settings['rules']: it must be an object of engine thresholds",
                                field="rules")
        try:
            Rules.from_dict(rules)
        except ValidationError as error:
            raise BackupRefused(f"settings['rules']: {error}", field=error.field) from None
        except TypeError as error:
            raise BackupRefused(f"settings['rules']: {error}", field="rules") from None
    return dict(sorted(value.items()))


def _check_relations(doc: Mapping[str, Any]) -> None:
    """Refuse what the tables' keys would refuse, before writing, with the record named."""
    def unique(section: str, key: Callable[[dict[str, Any]], Any], what: str) -> None:
        seen: dict[Any, int] = {}
        for i, row in enumerate(doc[section]):
            k = key(row)
            if k in seen:
                raise BackupRefused(f"{section}[{i}]: {what} repeats {section}[{seen[k]}]",
                                    field=what.split()[0])
            seen[k] = i

    unique("episodes", lambda e: e["id"], "id")
    unique("days", lambda d: d["date"], "date")
    unique("actions", lambda a: (a["episode_id"], a["date"], a["kind"]),
           "episode_id, date and kind")
    unique("ticks", lambda t: (t["date"], t["item"]), "date and item")
    unique("exercises_done", lambda x: (x["date"], x["exercise_id"]), "date and exercise_id")
    unique("imported_files", lambda f: f["sha256"], "sha256")
    unique("psfs_activities", lambda a: a["id"], "id")
    unique("psfs_scores", lambda x: (x["date"], x["activity_id"]), "date and activity_id")
    psfs_ids = {a["id"] for a in doc["psfs_activities"]}
    for i, score in enumerate(doc["psfs_scores"]):
        if score["activity_id"] not in psfs_ids:
            raise BackupRefused(f"psfs_scores[{i}]: activity_id {score['activity_id']} names no "
                                "activity of psfs_activities", field="activity_id")
    active = sum(1 for a in doc["psfs_activities"] if not a["retired"])
    if active > MAX_ACTIVITIES:
        raise BackupRefused(f"psfs_activities: {active} activities are in use; at most "
                            f"{MAX_ACTIVITIES} may be", field="retired")
    ids = {e["id"] for e in doc["episodes"]}
    for i, action in enumerate(doc["actions"]):
        if action["episode_id"] not in ids:
            raise BackupRefused(f"actions[{i}]: episode_id {action['episode_id']} names no "
                                "episode of this document", field="episode_id")
    open_episodes = [e["id"] for e in doc["episodes"] if e["closed_on"] is None]
    if len(open_episodes) > 1:
        raise BackupRefused("episodes: more than one episode is open (closed_on null)",
                            field="closed_on")


# --- CSV ---------------------------------------------------------------------------------------

def _cell(value: Any) -> str:
    """One CSV cell: empty for absent, whole floats without ``.0`` (5000 m, not 5000.0)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        return repr(value)
    return str(value)


def csv_text(columns: Sequence[str], rows: Sequence[Mapping[str, Any]]) -> str:
    """A CSV document: header row, then one line per row ("\\n" line ends); formula-like
    cells are neutralised and line breaks quoted (csvsafe)."""
    from recoverydesk.interchange.csvsafe import row_text

    lines = [row_text(columns)]
    lines.extend(row_text([_cell(row.get(c)) for c in columns]) for row in rows)
    return "".join(lines)


def _days_csv(days: Sequence[Mapping[str, Any]]) -> str:
    """``days.csv``: red flags and body-map sites as their ids joined by ``;`` (one cell)."""
    return csv_text(DAY_COLUMNS, [{**d, "red_flags": tables.encode_flags(d["red_flags"]),
                                   "pain_sites": tables.encode_flags(d["pain_sites"])}
                                  for d in days])


def _psfs_csv(activities: Sequence[Mapping[str, Any]],
              scores: Sequence[Mapping[str, Any]]) -> str:
    """``psfs.csv`` (§7: ``date, activity, score``): the activity by its name."""
    names = {a["id"]: a["name"] for a in activities}
    return csv_text(PSFS_CSV_COLUMNS, [{"date": s["date"], "activity": names[s["activity_id"]],
                                        "score": s["score"]} for s in scores])


def days_csv(store: Store) -> str:
    return _days_csv(store.dump()["days"])


def activities_csv(store: Store) -> str:
    return csv_text(ACTIVITY_COLUMNS, store.dump()["activities"])


def export_csv(store: Store, folder: Path, *, replace: bool = False) -> list[Path]:
    """Write the store as CSV files into ``folder``; returns the files.

    ``folder`` is created (0700) when missing, but not its parents. A folder that exists and
    holds anything is filled, and our files in it replaced, only with ``replace``
    (FileExistsError otherwise): the runner's own ``days.csv`` is never overwritten unasked.

    ``days.csv`` and ``activities.csv`` are the documented files of §7; the others carry the
    rest of the store, one file a section of ``storage/dump.py`` (``episodes.csv``,
    ``actions.csv``, ``ticks.csv``, ``exercises_done.csv``, ``imported_files.csv``…) and
    ``settings.csv`` (value as JSON).
    """
    from recoverydesk.storage.safefile import make_folder, write_private

    folder = Path(folder)
    created = make_folder(folder)  # never its missing parents
    if not created and not replace and any(folder.iterdir()):
        raise FileExistsError(17, "The folder is not empty", str(folder))
    doc = collect(store)
    settings = [{"key": k, "value": json.dumps(v, ensure_ascii=False, sort_keys=True)}
                for k, v in doc["settings"].items()]
    files = {f"{section.name}.csv": csv_text(section.names, doc[section.name])
             for section in tables.SECTIONS}
    files["days.csv"] = _days_csv(doc["days"])
    # The scores by activity name, as §7 documents them, instead of the ids' table.
    del files["psfs_scores.csv"]
    files["psfs.csv"] = _psfs_csv(doc["psfs_activities"], doc["psfs_scores"])
    files["activities.csv"] = csv_text(ACTIVITY_COLUMNS, doc["activities"])
    files["settings.csv"] = csv_text(SETTING_COLUMNS, settings)
    written = []
    for name, text in files.items():
        written.append(write_private(folder / name, text.encode("utf-8"), replace=replace))
    return written
