"""Garmin FIT activities to summaries (DESIGN.md §7), with fitdecode.

The device writes a ``session`` message per sport it recorded, with its own totals; those are
what the watch and Garmin Connect show, so each session becomes one activity (a multisport
race becomes several, transitions included, so that the file's totals are kept):

- distance = ``total_distance``; moving time = ``total_timer_time`` (the clock that stops on
  auto-pause), else ``total_moving_time``; elapsed = ``total_elapsed_time``;
- start = ``start_time``; sport = ``sport`` (``sub_sport`` is a second opinion when the sport
  itself says nothing we know, e.g. ``generic``);
- cadence = the mean over the session's ``record`` messages of ``2 × (cadence +
  fractional_cadence)``: for running FIT counts strides a minute per leg, so one stride is two
  steps. Records with cadence 0 (standing) and records while the timer is stopped (between
  ``timer`` stop and start events) are left out, so a pause does not pull the figure down.

Strictness: CRCs are checked and a mismatch refuses the file, as does truncation or any
decoding error anywhere, including in a later part of a chained file. A damaged file may hold
a readable session before the damage, but the device never finished writing it, so its totals
cannot be trusted (the sample files' manifest expects such files to be refused).
Files that are not recordings (monitoring, settings, courses…) have no sessions and are
refused as "nothing to import".
"""

from __future__ import annotations

import dataclasses
import datetime
import io
import math
import time
from typing import Any

from recoverydesk.interchange.activity_files import ImportRefused, Summary, describe_error
from recoverydesk.interchange.fitcrc import CrcMismatch, check_file

_LONGEST = 366 * 86400.0
"""Elapsed times beyond a year are nonsense; they are not used to compute dates."""

MAX_MESSAGES = 1_000_000
"""A day of one-second records with heart rate, power and laps is about 200,000 messages."""

TIME_BUDGET_S = 4.0
"""Decoding stops and the file is refused after this much processor time (issue #17: every
file decided in about 5 s). Processor time, not the clock: a busy machine must not refuse a
file that a quiet one reads."""

NEEDED = frozenset({"file_id", "session", "record", "event"})
"""The only messages whose fields are decoded (records and timer events for the cadence);
all others (laps, device and HRV messages…) are read and checksummed only."""

_VAGUE_SPORTS = frozenset({"generic", "fitness_equipment", "training", "all"})

_FILE_TYPES = {
    "monitoring_a": "a monitoring file",
    "monitoring_b": "a monitoring file",
    "monitoring_daily": "a daily monitoring file",
    "settings": "a settings file",
    "device": "a device description file",
    "sport": "a sport settings file",
    "workout": "a workout plan",
    "course": "a course",
    "schedules": "a training schedule",
    "weight": "a weight log",
    "totals": "a totals file",
    "goals": "a goals file",
    "blood_pressure": "a blood pressure log",
    "segment": "a segment",
    "segment_list": "a segment list",
    "activity_summary": "an activity summary without sessions",
}


def parse(data: bytes) -> list[Summary]:
    """Return one summary per session in a FIT file, or raise ImportRefused."""
    import fitdecode

    file_types: list[str] = []
    sessions: list[Summary] = []
    steps: list[tuple[datetime.datetime, float]] = []
    paused = False
    deadline = time.process_time() + TIME_BUDGET_S
    try:
        check_file(data)
    except CrcMismatch as exc:
        if str(exc) == "header":
            raise ImportRefused("damaged FIT file: bad header (its checksum does not "
                                "match)") from exc
        raise ImportRefused(
            "damaged FIT file: its checksum (CRC) does not match its content") from exc
    try:
        with _summary_reader(fitdecode)(
            io.BytesIO(data),
            check_crc=fitdecode.CrcCheck.DISABLED,  # checked above, several times faster
            error_handling=fitdecode.ErrorHandling.IGNORE,
        ) as reader:
            for count, frame in enumerate(reader):
                if count % 4096 == 0 and count:
                    _within_budget(count, deadline)
                if not isinstance(frame, fitdecode.FitDataMessage):
                    continue
                if frame.name == "file_id":
                    file_types.append(str(frame.get_value("type", fallback="")))
                elif frame.name == "session":
                    sessions.append(_session(frame))
                elif frame.name == "record":
                    if not paused:
                        _step_rate(frame, steps)
                elif frame.name == "event":
                    paused = _timer_paused(frame, paused)
    except fitdecode.FitEOFError as exc:
        raise ImportRefused("damaged FIT file: it ends too early (truncated)") from exc
    except fitdecode.FitCRCError as exc:
        raise ImportRefused(
            "damaged FIT file: its checksum (CRC) does not match its content"
        ) from exc
    except fitdecode.FitHeaderError as exc:
        raise ImportRefused(f"damaged FIT file: bad header ({exc})") from exc
    except fitdecode.FitError as exc:
        raise ImportRefused(f"damaged FIT file: {exc}") from exc
    except ImportRefused:
        raise
    except Exception as exc:
        # fitdecode trusts field definitions; garbled ones (with a valid CRC) make it fail
        # with TypeError, ValueError, struct.error… deep inside. The file is damaged.
        raise ImportRefused(
            f"damaged FIT file: its messages could not be decoded ({describe_error(exc)})"
        ) from exc

    if sessions:
        return [_with_cadence(session, steps) for session in sessions]
    others = [t for t in file_types if t and t != "activity"]
    if others:
        what = _FILE_TYPES.get(others[0], f"a {others[0].replace('_', ' ')} file")
        raise ImportRefused(f"nothing to import: this FIT file is {what}, not an activity")
    if file_types:
        raise ImportRefused("nothing to import: this FIT activity file has no session summary")
    raise ImportRefused("nothing to import: this FIT file holds no activity")


def _within_budget(count: int, deadline: float) -> None:
    """Refuse a file with more messages, or needing more time, than any recording needs."""
    if count > MAX_MESSAGES:
        raise ImportRefused(f"refused FIT file: more than {MAX_MESSAGES:,} messages, far more "
                            "than any activity recording holds")
    if time.process_time() > deadline:
        raise ImportRefused(f"refused FIT file: it could not be decoded within "
                            f"{TIME_BUDGET_S:g} seconds")


_READER: Any = None


def _summary_reader(fitdecode: Any) -> Any:
    """A FitReader that decodes only the ``NEEDED`` messages.

    Decoding a message's fields costs far more than reading its bytes, and an activity's
    records (one a second, hundreds of thousands in a long file) are never used here. The
    other messages are read whole, so the checksum still covers every byte, and handed on
    with no fields. This overrides a private method of fitdecode 0.10–0.11 (pinned in
    pyproject.toml); the fuzz and sample tests would catch a change in it.
    """
    global _READER
    if _READER is not None:
        return _READER
    from fitdecode import profile, records

    needed = {num for num, mesg in profile.MESSAGE_TYPES.items() if mesg.name in NEEDED}
    needed |= {profile.MESG_NUM_DEVELOPER_DATA_ID, profile.MESG_NUM_FIELD_DESCRIPTION}

    class SummaryReader(fitdecode.FitReader):
        def _read_data_message(self, header_chunk: bytes, record_header: Any) -> Any:
            def_mesg = self._local_mesg_defs.get(record_header.local_mesg_num)
            if def_mesg is None or def_mesg.global_mesg_num in needed:
                return super()._read_data_message(header_chunk, record_header)
            size = sum(field.size for field in def_mesg.all_field_defs)
            if size > 0:
                self._read_bytes(size)
            return records.FitDataMessage(record_header.is_developer_data,
                                          record_header.local_mesg_num,
                                          record_header.time_offset, def_mesg, [], None)

    _READER = SummaryReader
    return _READER


def _session(frame: Any) -> Summary:
    """Summarise one session message; refuse one that has totals but no start time."""
    start = frame.get_value("start_time", fallback=None)
    distance = _number(frame.get_value("total_distance", fallback=None))
    elapsed = _number(frame.get_value("total_elapsed_time", fallback=None))
    timer = _number(frame.get_value("total_timer_time", fallback=None))
    if timer is None:
        timer = _number(frame.get_value("total_moving_time", fallback=None))
    if not isinstance(start, datetime.datetime):
        # Some writers leave start_time out; the session's own timestamp marks its end.
        end = frame.get_value("timestamp", fallback=None)
        if isinstance(end, datetime.datetime) and elapsed is not None and elapsed < _LONGEST:
            start = end - datetime.timedelta(seconds=elapsed)
        else:
            raise ImportRefused("damaged FIT file: a session has no start time")
    # An absurd elapsed time is left for validation to refuse by name, not turned into a date.
    last = None
    if elapsed is not None and 0 <= elapsed < _LONGEST:
        last = start + datetime.timedelta(seconds=elapsed)
    sport = _text(frame.get_value("sport", fallback=None))
    # The sub-sport only speaks for sports that say nothing themselves ("generic" with
    # "indoor_cycling"); for a transition it names the legs around it, not the session.
    vague = sport is None or sport in _VAGUE_SPORTS
    return Summary(
        sport=sport,
        start=start,
        distance_m=distance,
        moving_s=timer,
        elapsed_s=elapsed,
        last_time=last,
        fallback_sport=_text(frame.get_value("sub_sport", fallback=None)) if vague else None,
    )


_TIMER_STOPS = frozenset({"stop", "stop_all", "stop_disable", "stop_disable_all"})


def _timer_paused(frame: Any, paused: bool) -> bool:
    """Whether the timer is stopped after this event (only ``timer`` events change it)."""
    if frame.get_value("event", fallback=None) != "timer":
        return paused
    kind = frame.get_value("event_type", fallback=None)
    if kind in _TIMER_STOPS:
        return True
    return False if kind == "start" else paused


def _step_rate(frame: Any, steps: list[tuple[datetime.datetime, float]]) -> None:
    """Keep a record's cadence as steps a minute, when it has a time and is not standing."""
    cadence = _number(frame.get_value("cadence", fallback=None))
    moment = frame.get_value("timestamp", fallback=None)
    if not cadence or cadence <= 0 or not isinstance(moment, datetime.datetime):
        return
    fraction = _number(frame.get_value("fractional_cadence", fallback=None)) or 0.0
    steps.append((moment, 2.0 * (cadence + fraction)))


def _with_cadence(session: Summary,
                  steps: list[tuple[datetime.datetime, float]]) -> Summary:
    """The session with the mean step rate of the records inside its time span."""
    if not steps:
        return session
    # Records carry whole seconds while the elapsed time has decimals: the last record can
    # fall in the second after start + elapsed.
    end = (session.last_time or session.start) + datetime.timedelta(seconds=1)
    inside = [rate for moment, rate in steps if session.start <= moment <= end]
    if not inside:
        return session
    return dataclasses.replace(session, cadence_spm=sum(inside) / len(inside))


def _number(value: object) -> float | None:
    """A field as a finite number, or None when absent or invalid."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    value = float(value)
    return value if math.isfinite(value) else None


def _text(value: object) -> str | None:
    """A sport enum as text; unknown enum values arrive as numbers and mean nothing to us."""
    return value if isinstance(value, str) and value else None
