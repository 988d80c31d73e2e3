"""Every table of user data as plain records, and back: the one list of what a backup holds.

``interchange/export.py`` serialises what :func:`dump` returns (JSON, CSV) and hands a checked
document to :func:`load_dump`; it never touches a table. A new table or column of user data
is added to :data:`SECTIONS` (and to a migration), and the export carries it from then on.
"""

from __future__ import annotations

import dataclasses
import json
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from recoverydesk.storage.store import Store


@dataclasses.dataclass(frozen=True, slots=True)
class Section:
    """One table as a list of records.

    Attributes:
        name: The section's name in the export (and the CSV file's stem).
        table: The SQLite table.
        fields: (record field, SQLite column) pairs, in the record's order.
        order_by: The columns that give the canonical row order.
    """

    name: str
    table: str
    fields: tuple[tuple[str, str], ...]
    order_by: str

    @property
    def names(self) -> tuple[str, ...]:
        """The record's field names, in order."""
        return tuple(field for field, _ in self.fields)


def _same(*names: str) -> tuple[tuple[str, str], ...]:
    return tuple((name, "day" if name == "date" else name) for name in names)


SECTIONS: tuple[Section, ...] = (
    Section("episodes", "episodes",
            _same("id", "start", "units", "baseline_weekly_m", "notes", "closed_on"), "id"),
    Section("days", "day_logs",
            _same("date", "pain", "pain_activity", "pain_morning", "red_flags", "sleep_hours",
                  "heat_ice_min", "notes", "leg_pain", "stiffness_min", "pain_sites"), "day"),
    Section("activities", "activities",
            _same("date", "start_time", "kind", "distance_m", "duration_s", "elapsed_s", "pain",
                  "source", "file_sha256", "cadence_spm"), "day, start_time, id"),
    Section("actions", "actions", _same("episode_id", "date", "kind", "note", "risks"),
            "episode_id, day, kind"),
    Section("ticks", "ticks", _same("date", "item"), "day, item"),
    Section("exercises_done", "exercises_done", _same("date", "exercise_id", "count"),
            "day, exercise_id"),
    Section("imported_files", "imported_files", _same("sha256", "name", "format", "activities"),
            "sha256"),
    Section("psfs_activities", "psfs_activities", _same("id", "name", "created", "retired"),
            "id"),
    Section("psfs_scores", "psfs_scores", _same("date", "activity_id", "score"),
            "day, activity_id"),
)
"""The tables dumped as lists of records, in the export's order. Settings follow as one
object of named values (``SETTINGS``)."""

SETTINGS = Section("settings", "settings", _same("key", "value"), "key")
"""The settings table: its values are JSON text, dumped as ``{key: value}``."""

SECTION_NAMES: tuple[str, ...] = (*(s.name for s in SECTIONS), SETTINGS.name)
DATA_TABLES: tuple[str, ...] = (*(s.table for s in SECTIONS), SETTINGS.table)
"""Every table holding user data; a store is empty when all of them are."""


def encode_flags(flags: frozenset[str] | list[str]) -> str:
    """Red flags as stored: their ids sorted and joined by ``;`` (empty for none)."""
    return ";".join(sorted(flags))


def decode_flags(text: str | None) -> list[str]:
    """The stored red-flag text as a sorted list of ids."""
    return sorted(text.split(";")) if text else []


_ID_LISTS = ("red_flags", "pain_sites")
"""Columns holding a set of ids as ``;``-joined text, dumped as sorted lists."""


def _from_column(column: str, value: Any) -> Any:
    if column in _ID_LISTS:
        return decode_flags(value)
    if column == "retired":
        return bool(value)
    if column in ("notes", "note"):
        return value or ""
    return value


def _to_column(column: str, value: Any) -> Any:
    if column in _ID_LISTS:
        return encode_flags(value)
    return int(value) if column == "retired" else value


def dump(store: Store) -> dict[str, Any]:
    """Every table of user data as records in canonical order, plus ``settings`` as an object.

    Red flags come out as lists of ids and absent notes as empty text, so two stores holding
    the same entries give equal dumps.
    """
    out: dict[str, Any] = {}
    for section in SECTIONS:
        columns = ", ".join(column for _, column in section.fields)
        rows = store.db.execute(f"SELECT {columns} FROM {section.table} "
                                f"ORDER BY {section.order_by}").fetchall()
        out[section.name] = [
            {field: _from_column(column, value)
             for (field, column), value in zip(section.fields, row, strict=True)}
            for row in rows]
    out[SETTINGS.name] = {key: json.loads(value) for key, value in
                          store.db.execute("SELECT key, value FROM settings ORDER BY key")}
    return out


def load_dump(store: Store, doc: dict[str, Any]) -> None:
    """Write a checked dump into the store in one transaction (all of it or nothing).

    The document must already be checked (``interchange.export.parse_backup``) and the store
    empty; the tables' own keys are the last guard.
    """
    with store.transaction() as db:
        for section in SECTIONS:
            columns = [column for _, column in section.fields]
            sql = (f"INSERT INTO {section.table} ({', '.join(columns)}) "
                   f"VALUES ({', '.join('?' * len(columns))})")
            for record in doc[section.name]:
                db.execute(sql, [_to_column(column, record[field])
                                 for field, column in section.fields])
        for key, value in doc[SETTINGS.name].items():
            db.execute("INSERT INTO settings (key, value) VALUES (?, ?)",
                       [key, json.dumps(value, allow_nan=False)])
