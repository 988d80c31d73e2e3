"""The command line: one entry point for the desktop and for scripting (DESIGN.md §9).

``recoverydesk`` with no subcommand opens the window; every subcommand of §9 works on the
data folder given by ``--data-dir`` (before or after the subcommand), else
``RECOVERYDESK_DATA_DIR``, else the per-user data folder.

Exit codes, so scripts can tell outcomes apart:

- 0 done;
- 1 ``import`` could not import some file (the others were imported), or the window could not
  open (no desktop);
- 2 bad input: a value outside its range, text where a number goes, a malformed date, a date
  after today or before the episode (``status``); nothing was written;
- 3 refused by the plan: ``advance`` with the gate closed, ``clear`` while not paused,
  ``start`` or ``demo`` while an episode exists, or no episode begun yet;
- 4 the data file cannot be used (damaged, newer, locked, read-only);
- 70 an internal error (a bug): one line, never a traceback.

Only the window, ``screenshot`` and ``report`` load Qt, inside their handlers, so scripting
stays fast and works on a machine without a display.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime
import json
import os
import re
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from recoverydesk.core import model, words
from recoverydesk.core.model import (
    KINDS,
    MAX_DISTANCE_M,
    MAX_DURATION_S,
    UNITS,
    Action,
    Activity,
    DayLog,
    EpisodeInfo,
    ValidationError,
    from_metres,
    parse_pain_sites,
    parse_red_flags,
    parse_risks,
    to_metres,
    validate_action,
)
from recoverydesk.storage.store import EpisodeExists, StoreError, resolve_data_dir

if TYPE_CHECKING:
    from recoverydesk.core.engine import DayStatus, Decision
    from recoverydesk.core.model import Episode
    from recoverydesk.core.rules import Rules
    from recoverydesk.storage.store import Store

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_BAD_INPUT = 2
EXIT_REFUSED = 3
EXIT_STORE = 4
EXIT_INTERNAL = 70


VIEWS = ("today", "log", "calendar", "exercises", "charts", "history", "guided", "function",
         "where", "ready")
DEFAULT_SIZE = (1280, 800)

_INT = re.compile(r"[+-]?[0-9]{1,9}")
_NUMBER = re.compile(r"[+-]?(?:[0-9]{1,9}(?:\.[0-9]*)?|\.[0-9]+)")
_AMOUNT = re.compile(r"(?P<value>[+-]?(?:[0-9]{1,9}(?:\.[0-9]*)?|\.[0-9]+))\s*"
                     r"(?P<unit>km|mi|min)", re.IGNORECASE)
_SIZE = re.compile(r"([0-9]{1,5})[x×]([0-9]{1,5})", re.IGNORECASE)


class Refused(Exception):
    """The plan says no (exit 3); the message is printed as the answer."""


def _today() -> datetime.date:
    """The local date; one place so that every command agrees on it."""
    return datetime.date.today()


# --- parsing values, with the model's words --------------------------------------------------

def parse_date(text: str, today: datetime.date, field: str = "date") -> datetime.date:
    """A local date YYYY-MM-DD from 1990 to today, else ValidationError naming ``field``."""
    return model.parse_date(field, text, today)


def parse_int(field: str, text: str | None, low: int, high: int) -> int | None:
    """A whole number in ``low..high`` (None when not given)."""
    if text is None:
        return None
    value = text.strip()
    if not _INT.fullmatch(value) or not low <= int(value) <= high:
        raise ValidationError(field, text, f"a whole number from {low} to {high}")
    return int(value)


def parse_number(field: str, text: str | None, low: float, high: float, unit: str) -> float | None:
    """A decimal number in ``low..high`` (None when not given)."""
    if text is None:
        return None
    value = text.strip()
    if not _NUMBER.fullmatch(value) or not low <= float(value) <= high:
        raise ValidationError(field, text, f"a number from {low:g} to {high:g}{unit}")
    return float(value)


def parse_text(field: str, text: str | None) -> str | None:
    """Text given on the command line, which must be UTF-8: Python keeps other bytes as
    lone surrogates that SQLite cannot store, so they are refused here, naming the field."""
    if text is None:
        return None
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        shown = text.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
        raise ValidationError(field, shown, "text in UTF-8 (it holds bytes that are not)"
                              ) from None
    return text


def out_path(text: str, force: bool, what: str) -> Path:
    """An output file the runner named: its folder must exist, and an existing file is
    replaced only with --force (exit 2 otherwise, naming ``out``)."""
    out = Path(text).expanduser()
    if out.is_dir():
        raise ValidationError("out", text, f"a file name for the {what}, not a folder")
    if not out.parent.is_dir():
        raise ValidationError("out", text, f"a file in an existing folder ({out.parent} "
                              "does not exist)")
    if os.path.lexists(out) and not force:
        raise ValidationError("out", text, "a file that does not exist yet, or --force to "
                              "replace it")
    return out


def written(error: OSError, text: str) -> ValidationError | StoreError:
    """An OSError while writing an output file: the disk (exit 4) or the place (exit 2)."""
    import errno

    if error.errno in (errno.ENOSPC, errno.EDQUOT, errno.EIO):
        reason = "the disk is full" if error.errno != errno.EIO else "the disk failed"
        return StoreError(f"{text} could not be written: {reason}. Nothing was written.")
    return ValidationError("out", text, f"a place that can be written "
                           f"({error.strerror or error})")


def parse_activity(spec: str, day: datetime.date) -> Activity:
    """Read ``KIND[:DISTANCE(km|mi)][:MINUTESmin]``: ``run``, ``run:5km``,
    ``walk:2.5mi:40min``, ``swim:30min``. Distances become metres, minutes seconds."""
    shape = "KIND[:DISTANCE(km|mi)][:MINUTESmin], e.g. run:5km or walk:2.5mi:40min"
    parts = spec.split(":")
    kind = parts[0].strip().lower()
    if kind not in KINDS:
        raise ValidationError("kind", parts[0], "one of " + ", ".join(KINDS))
    distance: float | None = None
    duration: float | None = None
    for part in parts[1:]:
        match = _AMOUNT.fullmatch(part.strip())
        if match is None:
            raise ValidationError("activity", spec, shape)
        value = float(match["value"])
        unit = match["unit"].lower()
        if unit == "min":
            if duration is not None or not 0 < value * 60 <= MAX_DURATION_S:
                raise ValidationError("duration", part, "more than 0 and at most 1440 min, "
                                      "given once")
            duration = value * 60
        else:
            metres = to_metres(value, unit)
            if distance is not None or not 0 <= metres <= MAX_DISTANCE_M:
                most = from_metres(MAX_DISTANCE_M, unit)
                raise ValidationError("distance", part, f"from 0 to {most:g} {unit}, given once")
            distance = round(metres, 3)
    return Activity(day=day, kind=kind, distance_m=distance, duration_s=duration)


def parse_size(text: str) -> tuple[int, int]:
    """``WxH`` in pixels, each from 200 to 10000."""
    match = _SIZE.fullmatch(text.strip())
    if match is None or not all(200 <= int(v) <= 10000 for v in match.groups()):
        raise ValidationError("size", text, "WIDTHxHEIGHT in pixels, each from 200 to 10000 "
                              "(e.g. 1280x800)")
    return int(match[1]), int(match[2])


# --- the argument parser ---------------------------------------------------------------------

def build_parser() -> argparse.ArgumentParser:
    """The parser for every subcommand; values are checked later, with the model's words."""
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--data-dir", metavar="DIR", default=argparse.SUPPRESS,
        help="the data folder (default: $RECOVERYDESK_DATA_DIR, else the per-user folder)")
    parser = argparse.ArgumentParser(
        prog="recoverydesk", parents=[common],
        description="RecoveryDesk: back from lower back pain to running, one logged day at a "
                    "time. With no command, opens the window.",
        epilog="Exit codes: 0 done, 1 some import failed or no window could open, 2 bad input, "
               "3 refused by the plan, 4 the data file cannot be used.")
    from recoverydesk import __version__

    parser.add_argument("--version", action="version", version=f"RecoveryDesk {__version__}")
    parser.add_argument("--check-in", action="store_true", default=argparse.SUPPRESS,
                        help="open the window on today's check-in")
    parser.add_argument("--hidden", action="store_true", default=argparse.SUPPRESS,
                        help="start in the system tray without showing the window (at login); "
                             "where there is no tray, remind as `remind` does")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    def add(name: str, text: str) -> argparse.ArgumentParser:
        return sub.add_parser(name, parents=[common], help=text, description=text)

    p = add("start", "begin an episode on a date")
    p.add_argument("--date", required=True, metavar="YYYY-MM-DD")
    p.add_argument("--units", default="km", metavar="km|mi", help="display units (default km)")
    p.add_argument("--new", action="store_true",
                   help="close the open episode (kept for history) and begin another")
    p.add_argument("--weekly-distance", metavar="N",
                   help="weekly running distance before the pain started, in --units")
    p.add_argument("--risk", action="append", default=None, metavar="ID",
                   help="a risk-screen question answered yes (repeatable; DESIGN §4.1); "
                        "given at all, the screen is recorded on the start date")

    p = add("log", "record (or update) a day's entry")
    p.add_argument("--date", metavar="YYYY-MM-DD", help="the day (default today)")
    p.add_argument("--pain", required=True, metavar="N", help="pain today, 0-10")
    p.add_argument("--pain-activity", metavar="N", help="worst pain during activity, 0-10")
    p.add_argument("--pain-morning", metavar="N", help="pain/stiffness on waking, 0-10")
    p.add_argument("--leg-pain", metavar="N", help="worst leg pain today, 0-10")
    p.add_argument("--stiffness", metavar="MINUTES",
                   help="minutes of stiffness after getting up, 0-240")
    p.add_argument("--site", action="append", default=[], metavar="ID",
                   help="where it hurt, a body-map id (repeatable): "
                        + ", ".join(model.BODY_SITES))
    p.add_argument("--red-flag", action="append", default=[], metavar="ID",
                   help="a red flag (repeatable)")
    p.add_argument("--activity", action="append", default=[],
                   metavar="KIND[:DISTANCE(km|mi)][:MINUTESmin]",
                   help="an activity to add (repeatable), e.g. run:5km:30min")
    p.add_argument("--note", metavar="TEXT", help="the day's notes (replaces them)")
    p.add_argument("--sleep", metavar="H", help="hours slept, 0-24")
    p.add_argument("--heat-ice", metavar="MIN", help="minutes of heat or ice, 0-240")

    p = add("psfs", "record the week's function scores (PSFS); a new activity name is added "
                    "to your list")
    p.add_argument("--date", required=True, metavar="YYYY-MM-DD")
    p.add_argument("--score", action="append", required=True, metavar='"ACTIVITY=N"',
                   help="an activity and its score, 0 (unable) to 10 (as before the pain); "
                        "repeatable")

    p = add("advance", "ask to move to the next phase on a date")
    p.add_argument("--date", required=True, metavar="YYYY-MM-DD")

    p = add("clear", "record a clinician's clearance of a pause or a hold (also on the "
                     "day of the red flag itself)")
    p.add_argument("--date", required=True, metavar="YYYY-MM-DD")
    p.add_argument("--note", required=True, metavar="TEXT",
                   help="who cleared you, e.g. 'seen by GP, cleared'")

    p = add("ready", "record a passed ready-to-run test (all six checks, answered the "
                     "morning after)")
    p.add_argument("--date", required=True, metavar="YYYY-MM-DD")

    p = add("screen", "record the risk screen's answers on a date (no --risk: all no)")
    p.add_argument("--date", required=True, metavar="YYYY-MM-DD")
    p.add_argument("--risk", action="append", default=[], metavar="ID",
                   help="a question answered yes (repeatable)")

    p = add("status", "the plan's answer for a day (default today)")
    p.add_argument("--date", metavar="YYYY-MM-DD")
    p.add_argument("--json", action="store_true", help="print the JSON record")

    p = add("timeline", "one record per day from the episode's start to today")
    p.add_argument("--json", action="store_true", help="print a JSON list of records")

    p = add("import", "import GPX/TCX/FIT files, Strava/Garmin export ZIPs, folders, .gz files, "
                      "days.csv/activities.csv, or a JSON export")
    p.add_argument("files", nargs="+", metavar="FILE")

    p = add("export", "export all data as CSV files or one JSON document")
    p.add_argument("--format", required=True, choices=("csv", "json"))
    p.add_argument("--out", required=True, metavar="PATH",
                   help="a folder for csv, a file for json")
    p.add_argument("--force", action="store_true",
                   help="replace an existing file, or fill a folder that is not empty")

    p = add("report", "write the clinician report as PDF")
    p.add_argument("--out", required=True, metavar="FILE.pdf")
    p.add_argument("--page-size", default="A4", choices=("A4", "Letter"))
    p.add_argument("--since", metavar="D", help="the first day the chart and the tables "
                   "cover (default: the episode's start)")
    p.add_argument("--force", action="store_true", help="replace an existing file")

    # The window's report, in a process of its own (gui/report_dialog.py); not for people,
    # so not listed in --help.
    p = sub.add_parser("report-worker", parents=[common])
    p.add_argument("--out", required=True)
    p.add_argument("--page-size", required=True, choices=("A4", "Letter"))
    p.add_argument("--today", required=True)
    p.add_argument("--since")
    p.add_argument("--include", default="", help="optional sections, comma-separated")
    p.add_argument("--preview", action="store_true", help="page 1 as a PNG image, not a PDF")

    add("demo", "fill the data folder with the demo recovery")

    p = add("open", "open the window and import FILEs into it (a running window is brought "
                    "to the front and imports them)")
    p.add_argument("files", nargs="*", metavar="FILE")

    add("remind", "no window: wait for the reminder time and send a desktop notification if "
                  "today is not logged")

    p = add("screenshot", "render the window offscreen to a PNG and exit")
    p.add_argument("--out", required=True, metavar="FILE.png")
    p.add_argument("--view", default="today", choices=VIEWS)
    p.add_argument("--size", default=f"{DEFAULT_SIZE[0]}x{DEFAULT_SIZE[1]}", metavar="WxH")
    p.add_argument("--force", action="store_true", help="replace an existing file")
    return parser


# --- the context every command runs in ---------------------------------------------------------

@dataclasses.dataclass
class Context:
    """The data folder, today, and the store once a command needs it."""

    data_dir: Path
    today: datetime.date
    _store: Store | None = None

    def store(self) -> Store:
        if self._store is None:
            from recoverydesk.storage.recovery import open_store

            self._store = open_store(self.data_dir)
        return self._store

    def close(self) -> None:
        """Close the store, taking the day's backup first if none was taken today (§8)."""
        if self._store is not None:
            from recoverydesk.storage.backup import close_after_daily_backup

            close_after_daily_backup(self._store)
            self._store = None

    def episode(self) -> Episode:
        """The open episode, or Refused telling how to begin one."""
        episode = self.store().load_episode()
        if episode is None:
            raise Refused("No episode yet: begin one with "
                          "`recoverydesk start --date YYYY-MM-DD`.")
        return episode

    def in_episode(self, day: datetime.date, episode: Episode) -> None:
        """Refuse dates before the episode's start (exit 2, naming ``date``)."""
        if day < episode.start:
            raise ValidationError(
                "date", day.isoformat(),
                f"a date from the episode's start ({episode.start.isoformat()}) to today "
                f"({self.today.isoformat()})")


def _phase_names() -> dict[str, str]:
    try:
        from recoverydesk.core.plan import load_content

        plan = load_content().plan
        return {p.id: p.name for p in plan}
    except Exception:  # content problems are reported by the window; names have a fallback
        from recoverydesk.core.model import PHASES

        return {p: p for p in PHASES}


def _out(text: str = "") -> None:
    print(text)


# --- commands --------------------------------------------------------------------------------

def cmd_start(args: argparse.Namespace, ctx: Context) -> int:
    from recoverydesk.core import engine  # only the commands that decide load it (start-up)

    day = parse_date(args.date, ctx.today)
    units = args.units.strip().lower()
    if units not in UNITS:
        raise ValidationError("units", args.units, "km or mi")
    weekly = parse_number("weekly distance", args.weekly_distance, 0,
                          from_metres(7 * MAX_DISTANCE_M, units), f" {units}")
    info = EpisodeInfo(start=day, units=units,
                       baseline_weekly_m=None if weekly is None else to_metres(weekly, units))
    risks = parse_risks(args.risk) if args.risk is not None else None
    store = ctx.store()
    previous = store.current_episode()
    try:
        store.start_episode(info, new=args.new, today=ctx.today)
    except EpisodeExists as exc:
        raise Refused(str(exc)) from None
    if previous is not None:
        _out(f"The episode that began on {previous.start.isoformat()} is closed and kept "
             "for history.")
    _out(f"Episode begun on {day.isoformat()} (distances in {units}).")
    if risks is not None:
        store.add_action(Action(day, "screen", risks=risks), today=ctx.today)
        _out(_screen_words(risks))
    episode = ctx.episode()
    _out(_headline(engine.status_on(episode, store.rules(), min(day, ctx.today)),
                   store.rules(), _phase_names()))
    return EXIT_OK


def cmd_log(args: argparse.Namespace, ctx: Context) -> int:
    from recoverydesk.core import engine  # only the commands that decide load it (start-up)

    today = ctx.today
    day = today if args.date is None else parse_date(args.date, today)
    pain = parse_int("pain", args.pain, 0, 10)
    assert pain is not None
    pain_activity = parse_int("pain_activity", args.pain_activity, 0, 10)
    pain_morning = parse_int("pain_morning", args.pain_morning, 0, 10)
    flags = parse_red_flags(args.red_flag)
    leg_pain = parse_int("leg_pain", args.leg_pain, 0, 10)
    stiffness = parse_int("stiffness_min", args.stiffness, 0, model.MAX_STIFFNESS_MIN)
    sites = parse_pain_sites(args.site)
    activities = [parse_activity(spec, day) for spec in args.activity]
    sleep = parse_number("sleep_hours", args.sleep, 0, 24, " hours")
    heat_ice = parse_int("heat_ice_min", args.heat_ice, 0, 240)
    note = parse_text("notes", args.note)
    store = ctx.store()
    existing = store.day_log(day)
    log = DayLog(
        day=day, pain=pain, pain_activity=pain_activity, pain_morning=pain_morning,
        red_flags=flags, leg_pain=leg_pain, stiffness_min=stiffness, pain_sites=sites,
        sleep_hours=sleep if sleep is not None else (existing.sleep_hours if existing else None),
        heat_ice_min=(heat_ice if heat_ice is not None
                      else (existing.heat_ice_min if existing else None)),
        notes=note if note is not None else (existing.notes if existing else ""),
    )
    store.save_day(log, activities, today=today)
    verb = "Updated" if existing else "Saved"
    added = f", {words.count_text(len(activities), 'activity')} added" if activities else ""
    _out(f"{verb} {day.isoformat()}: pain {pain}{added}.")
    episode = store.load_episode()
    if episode is not None and day >= episode.start:
        rules = store.rules()
        _out(_headline(engine.status_on(episode, rules, day), rules, _phase_names()))
    return EXIT_OK


def _refusal(what: str, day: datetime.date, decision: Decision) -> Refused:
    """A refused request with every failing rule (all of them when none is marked failing)."""
    failing = [r for r in decision.reasons if not r.ok] or list(decision.reasons)
    lines = [f"{what} refused on {day.isoformat()}:"]
    lines += [f"✗ {r.rule}: {r.detail}" for r in failing]
    return Refused("\n".join(lines))


def cmd_psfs(args: argparse.Namespace, ctx: Context) -> int:
    from recoverydesk.core.psfs import mean, parse_score

    day = parse_date(args.date, ctx.today)
    scores: dict[str, int] = {}
    for text in args.score:
        name, score = parse_score(text)
        if name.casefold() in {n.casefold() for n in scores}:
            raise ValidationError("score", name, "each activity given once")
        scores[name] = score
    store = ctx.store()
    before = {a.name.casefold() for a in store.psfs_activities(include_retired=False)}
    store.record_psfs(day, scores, today=ctx.today)
    added = [n for n in scores if n.casefold() not in before]
    if added:
        _out("Added to your activities: " + "; ".join(added) + ".")
    week = {s.activity_id: s.score for s in store.psfs_scores(since=day, until=day)}
    _out(f"Function scores saved for {day.isoformat()}: mean {mean(week):.1f} of 10 over "
         f"{words.count_text(len(week), 'activity')}.")
    return EXIT_OK


def cmd_advance(args: argparse.Namespace, ctx: Context) -> int:
    from recoverydesk.core import engine  # only the commands that decide load it (start-up)

    day = parse_date(args.date, ctx.today)
    store = ctx.store()
    episode = ctx.episode()
    ctx.in_episode(day, episode)
    rules = store.rules()
    decision = engine.check_advance(episode, rules, day, ctx.today)
    names = _phase_names()
    if not decision.accepted:
        raise _refusal("Advance", day, decision)
    store.add_action(Action(day, "advance"), today=ctx.today)
    status = engine.status_on(ctx.episode(), rules, day)
    begins = (day + datetime.timedelta(days=1)).isoformat()
    _out(f"Advance accepted on {day.isoformat()}: "
         f"{names.get(status.next_phase, status.next_phase)} begins on {begins}.")
    return EXIT_OK


def cmd_clear(args: argparse.Namespace, ctx: Context) -> int:
    from recoverydesk.core import engine  # only the commands that decide load it (start-up)

    day = parse_date(args.date, ctx.today)
    action = Action(day, "clearance", (parse_text("note", args.note) or "").strip())
    validate_action(action, ctx.today)
    store = ctx.store()
    episode = ctx.episode()
    ctx.in_episode(day, episode)
    rules = store.rules()
    decision = engine.check_clearance(episode, rules, day, ctx.today)
    if not decision.accepted:
        raise _refusal("Clearance", day, decision)
    store.add_action(action, today=ctx.today)
    if decision.reasons[0].why == "can_clear_hold":
        _out(f"Clearance recorded on {day.isoformat()}: the hold on running is lifted.")
    else:
        begins = (day + datetime.timedelta(days=1)).isoformat()
        _out(f"Clearance recorded on {day.isoformat()}: the plan goes on from {begins}. "
             "Stop and seek care again if a red flag returns.")
    return EXIT_OK


def cmd_ready(args: argparse.Namespace, ctx: Context) -> int:
    day = parse_date(args.date, ctx.today)
    store = ctx.store()
    episode = ctx.episode()
    ctx.in_episode(day, episode)
    store.add_action(Action(day, "ready"), today=ctx.today)
    _out(f"Ready-to-run test recorded as passed on {day.isoformat()}.")
    from recoverydesk.core import engine
    status = engine.status_on(ctx.episode(), store.rules(), day)
    _out(_headline(status, store.rules(), _phase_names()))
    return EXIT_OK


def _screen_words(risks: frozenset[str]) -> str:
    if not risks:
        return "Risk screen recorded: no to every question."
    return "Risk screen recorded: yes to " + ", ".join(sorted(risks)) + "."


def cmd_screen(args: argparse.Namespace, ctx: Context) -> int:
    day = parse_date(args.date, ctx.today)
    risks = parse_risks(args.risk)
    store = ctx.store()
    episode = ctx.episode()
    ctx.in_episode(day, episode)
    store.add_action(Action(day, "screen", risks=risks), today=ctx.today)
    _out(_screen_words(risks))
    from recoverydesk.core import engine
    status = engine.status_on(ctx.episode(), store.rules(), day)
    _out(_headline(status, store.rules(), _phase_names()))
    return EXIT_OK


def cmd_status(args: argparse.Namespace, ctx: Context) -> int:
    from recoverydesk.core import engine  # only the commands that decide load it (start-up)

    day = parse_date(args.date, ctx.today) if args.date is not None else ctx.today
    store = ctx.store()
    episode = ctx.episode()
    ctx.in_episode(day, episode)
    rules = store.rules()
    status = engine.status_on(episode, rules, day)
    if args.json:
        _out(json.dumps(status.to_json(), ensure_ascii=False))
        return EXIT_OK
    _out(_describe(status, rules, _phase_names()))
    return EXIT_OK


def cmd_timeline(args: argparse.Namespace, ctx: Context) -> int:
    from recoverydesk.core import engine  # only the commands that decide load it (start-up)

    store = ctx.store()
    episode = ctx.episode()
    statuses = engine.replay(episode, store.rules(), ctx.today)
    if args.json:
        rows = [json.dumps(s.to_json(), ensure_ascii=False) for s in statuses]
        _out("[\n" + ",\n".join(rows) + "\n]" if rows else "[]")
        return EXIT_OK
    names = _phase_names()
    _out(f"{'date':<10}  {'phase':<14} {'day':>4}  {'pain':>4}  plan")
    for s in statuses:
        log = episode.logs.get(s.day)
        pain = str(log.pain) if log is not None else "–"
        notes = []
        if s.paused:
            notes.append("paused")
        if s.event and s.event != "pause":
            notes.append(s.event)
        elif s.can_advance:
            notes.append("gate open")
        if s.ignored_advance:
            notes.append("stored advance ignored")
        _out(f"{s.day.isoformat():<10}  {names.get(s.phase, s.phase):<14} {s.phase_day:>4}  "
             f"{pain:>4}  {', '.join(notes)}".rstrip())
    return EXIT_OK


def cmd_import(args: argparse.Namespace, ctx: Context) -> int:
    from recoverydesk.interchange.activity_files import ImportRefused
    from recoverydesk.interchange.archives import is_archive
    from recoverydesk.interchange.importing import import_file, refusal_text

    store = ctx.store()
    failed = broken = 0
    for name in args.files:
        path = Path(name)
        if is_archive(path):
            archive_failed, archive_broken = _import_archive(store, path, ctx)
            failed += archive_failed
            broken += archive_broken
            continue
        try:
            _out(f"{path.name}: {import_file(store, path, ctx.today).text}")
            continue
        except StoreError:
            raise
        except (ImportRefused, ValidationError) as exc:
            reason = refusal_text(path, exc)
        except Exception as exc:  # a bug: say so on this file's line, import the others
            reason = refusal_text(path, exc)
            broken += 1
        failed += 1
        _out(f"{path.name}: not imported — {reason}")
    if broken:
        return EXIT_INTERNAL
    return EXIT_FAILED if failed else EXIT_OK


def _import_archive(store: Store, path: Path, ctx: Context) -> tuple[int, int]:
    """Import a ZIP, folder or .gz member by member: a line each, then a total (§7).

    Returns how many members failed, and how many of those were bugs.
    """
    from recoverydesk.interchange.activity_files import ImportRefused
    from recoverydesk.interchange.archives import ArchiveReader, Limits
    from recoverydesk.interchange.importing import prepare_member, refusal_text

    reader = ArchiveReader(path, ctx.today, Limits.from_settings(store.setting))
    counts = {"imported": 0, "already": 0, "failed": 0}
    activities = broken = 0
    try:
        for member in reader:
            try:
                outcome = prepare_member(path, member, ctx.today).commit(store, ctx.today)
                counts[outcome.status] += 1
                activities += outcome.activities
                _out(f"{member.name}: {outcome.text}")
                continue
            except StoreError:
                raise
            except (ImportRefused, ValidationError) as exc:
                reason = refusal_text(path, exc)
            except Exception as exc:  # a bug: say so on this member's line, go on
                reason = refusal_text(path, exc)
                broken += 1
            counts["failed"] += 1
            _out(f"{member.name}: not imported — {reason}")
    except ImportRefused as exc:  # the archive itself: damaged, or over a cap
        counts["failed"] += 1
        _out(f"{path.name}: not imported — {exc.reason}")
    parts = [f"{counts['imported']} imported"
             + (f" ({words.count_text(activities, 'activity')})" if activities
                else ""),
             f"{counts['already']} already imported", f"{counts['failed']} not imported"]
    if reader.skipped:
        parts.append(f"{words.count_text(reader.skipped, 'other entry', 'other entries')} "
                     "skipped (routes, media, other files)")
    _out(f"{path.name}: total {reader.done} — " + ", ".join(parts))
    return counts["failed"], broken


def cmd_export(args: argparse.Namespace, ctx: Context) -> int:
    from recoverydesk.interchange import export

    if args.format == "json":
        out = out_path(args.out, args.force, "JSON document")
    else:
        out = Path(args.out).expanduser()
        if out.exists() and not out.is_dir():
            raise ValidationError("out", args.out, "a folder for the CSV files, not a file")
        if not out.parent.is_dir():
            raise ValidationError("out", args.out, f"a folder inside an existing one "
                                  f"({out.parent} does not exist)")
        if out.is_dir() and any(out.iterdir()) and not args.force:
            raise ValidationError("out", args.out, "a new or empty folder, or --force to "
                                  "write into this one (its days.csv and the other export "
                                  "files would be replaced)")
    store = ctx.store()
    counts = store.counts()
    try:
        if args.format == "json":
            export.write_json(store, out, replace=args.force)
        else:
            export.export_csv(store, out, replace=args.force)
    except OSError as exc:
        raise written(exc, args.out) from None
    what = "days.csv, activities.csv and the other tables in" if args.format == "csv" else ""
    _out(f"Exported {words.count_text(counts['day_logs'], 'day')} and "
         f"{words.count_text(counts['activities'], 'activity')} to "
         f"{(what + ' ') if what else ''}{out}.")
    return EXIT_OK


def cmd_demo(args: argparse.Namespace, ctx: Context) -> int:
    from recoverydesk.demo import fill_demo

    store = ctx.store()
    current = store.current_episode()
    if current is not None:
        raise Refused(f"This data folder already holds an episode (begun on "
                      f"{current.start.isoformat()}); the demo needs an empty folder: use "
                      "--data-dir with a new folder.")
    fill_demo(store, ctx.today)
    counts = store.counts()
    _out(f"Demo recovery written to {ctx.data_dir}: "
         f"{words.count_text(counts['day_logs'], 'day')}, "
         f"{words.count_text(counts['activities'], 'activity')}.")
    return EXIT_OK


def cmd_report(args: argparse.Namespace, ctx: Context) -> int:
    from recoverydesk.render.report_pdf import write_report

    out = out_path(args.out, args.force, "PDF")
    since = parse_date(args.since, ctx.today, "since") if args.since else None
    store = ctx.store()
    episode = ctx.episode()
    if since is not None and since < episode.start:
        raise ValidationError("since", since.isoformat(),
                              f"a date from the episode's start ({episode.start.isoformat()}) "
                              f"to today ({ctx.today.isoformat()})")
    try:
        write_report(store, out, args.page_size, replace=args.force, since=since)
    except OSError as exc:
        raise written(exc, args.out) from None
    _out(f"Report written to {out}.")
    return EXIT_OK


def cmd_report_worker(args: argparse.Namespace, ctx: Context) -> int:
    """Write the window's report in this process, so the window never waits for it (§10).

    The window reads stdout, one line a step: ``page DONE TOTAL``, then ``written``,
    ``cancelled`` (it sent SIGTERM) or ``failed WORDS``. The file is replaced without asking
    (the window has asked) and written only once every page is made; with ``--preview`` it
    is page 1 as a PNG image, for the report form. The store is only read here (the window
    has checked it) and no daily backup is taken: the window owns both.
    """
    import signal

    from recoverydesk.interchange.report_data import gather
    from recoverydesk.render.report_pdf import Cancelled, gui_app, preview_first_page, write_pdf
    from recoverydesk.storage.store import Store

    stop = False

    def on_terminate(_signum: int, _frame: object) -> None:
        nonlocal stop
        stop = True

    signal.signal(signal.SIGTERM, on_terminate)

    def progress(done: int, total: int) -> bool:
        _out(f"page {done} {total}")
        sys.stdout.flush()
        return not stop

    today = datetime.date.fromisoformat(args.today)
    since = datetime.date.fromisoformat(args.since) if args.since else None
    include = [section for section in args.include.split(",") if section]
    try:
        store = Store.open(ctx.data_dir, check=False)
        try:
            data = gather(store, today, since=since)
        finally:
            store.close()
        if args.preview:
            with gui_app():
                image = preview_first_page(data, args.page_size, include=include)
                if not image.save(args.out):  # PNG, by the name the window gave
                    raise OSError(f"page 1 could not be saved to {args.out}")
        else:
            write_pdf(data, Path(args.out), args.page_size, replace=True, include=include,
                      progress=progress)
    except Cancelled:
        _out("cancelled")
        return EXIT_OK
    except (OSError, ValueError, StoreError) as error:
        _out("failed " + " ".join(str(error).split()))  # one line: the window reads lines
        return EXIT_STORE
    _out("written")
    return EXIT_OK


def cmd_screenshot(args: argparse.Namespace, ctx: Context) -> int:
    from recoverydesk.app import screenshot

    size = parse_size(args.size)
    out = out_path(args.out, args.force, "PNG image")
    return int(screenshot(ctx.data_dir, out, args.view, size, replace=args.force))


def cmd_window(args: argparse.Namespace, ctx: Context) -> int:
    from recoverydesk.app import run_window

    files = [Path(f).expanduser().resolve() for f in getattr(args, "files", [])]
    return int(run_window(ctx.data_dir, files=files,
                          check_in=bool(getattr(args, "check_in", False)),
                          hidden=bool(getattr(args, "hidden", False))))


def cmd_remind(args: argparse.Namespace, ctx: Context) -> int:
    from recoverydesk.remind import run

    return run(ctx.data_dir)


COMMANDS: dict[str | None, Callable[[argparse.Namespace, Context], int]] = {
    None: cmd_window, "start": cmd_start, "log": cmd_log, "psfs": cmd_psfs,
    "advance": cmd_advance, "clear": cmd_clear, "ready": cmd_ready, "screen": cmd_screen,
    "status": cmd_status, "timeline": cmd_timeline, "import": cmd_import,
    "export": cmd_export, "report": cmd_report, "report-worker": cmd_report_worker,
    "demo": cmd_demo,
    "screenshot": cmd_screenshot, "open": cmd_window, "remind": cmd_remind,
}


# --- words for the runner --------------------------------------------------------------------

def _headline(status: DayStatus, rules: Rules, names: dict[str, str]) -> str:
    """"Walk — day 3 of at least 4", with pause and gate in a few words."""
    name = names.get(status.phase, status.phase)
    least = rules.min_days.get(status.phase)
    day = f"day {status.phase_day}" + (f" of at least {least}" if least else "")
    text = f"{name} — {day}"
    if status.run_stage is not None:
        text += (" · walk–run ladder passed" if status.run_stage_done
                 else f" · ladder stage {status.run_stage}")
    if status.paused:
        return text + " · PAUSED"
    if status.hold:
        text += " · running on hold until a clinician has checked your back"
    if status.next_phase != status.phase or status.event == "regression":
        return text + f" · {names.get(status.next_phase, status.next_phase)} from tomorrow"
    if status.can_advance:
        return text + f" · ready to advance: recoverydesk advance --date {status.day.isoformat()}"
    return text


def _describe(status: DayStatus, rules: Rules, names: dict[str, str]) -> str:
    """The human form of ``status``: headline, gate rules with ✓/✗, warnings, notices."""
    lines = [f"{status.day.isoformat()}: {_headline(status, rules, names)}"]
    if status.paused:
        lines.append("The plan is paused: see a clinician. When you have been cleared, "
                     "record it with `recoverydesk clear --date D --note TEXT`.")
    elif status.hold:
        lines.append("A clinician should check your back before you start running; walking "
                     "and low-impact go on. Record it with `recoverydesk clear`.")
    if not status.logged:
        lines.append("Nothing logged on this day yet.")
    if status.event == "setback":
        lines.append(f"A setback on the walk–run ladder: stage {status.run_stage}; take 48 "
                     "hours off running.")
    elif status.event == "regression":
        lines.append(f"Stepping back: {names.get(status.next_phase, status.next_phase)} "
                     "starts afresh tomorrow.")
    elif status.event == "advance":
        lines.append(f"Advanced: {names.get(status.next_phase, status.next_phase)} "
                     "starts tomorrow.")
    elif status.phase != "full" and not status.paused:
        lines.append("Gate open: you may advance." if status.can_advance
                     else "Gate closed: not yet ready to advance.")
    if status.ignored_advance:
        lines.append("An advance stored on this day no longer holds (an entry was edited) "
                     "and is ignored.")
    for reason in status.reasons:
        lines.append(f"  {'✓' if reason.ok else '✗'} {reason.rule}: {reason.detail}")
    for guard in status.warnings:
        lines.append(f"  ! {guard.detail}")
    for notice in status.notices:
        lines.append(f"  • {notice}")
    return "\n".join(lines)


# --- the entry point ---------------------------------------------------------------------------

def _error(message: str) -> None:
    print(message, file=sys.stderr)


def _quiet_stdout() -> None:
    """Never die on a console that cannot show ✓ or on a closed pipe (``| head``)."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            try:
                reconfigure(errors="replace")
            except (ValueError, OSError):
                pass


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command and return its exit code (see the module docstring)."""
    _quiet_stdout()
    parser = build_parser()
    argv = _files_mean_open(list(argv) if argv is not None else sys.argv[1:])
    try:
        args = parser.parse_args(argv)
    except SystemExit as exit_:  # argparse: usage errors are 2, --help is 0
        code = exit_.code
        return code if isinstance(code, int) else EXIT_BAD_INPUT
    ctx: Context | None = None
    try:
        ctx = Context(data_dir=resolve_data_dir(getattr(args, "data_dir", None)),
                      today=_today())
        return COMMANDS[args.command](args, ctx)
    except (Exception, KeyboardInterrupt) as exc:
        return failure_code(exc)
    finally:
        if ctx is not None and ctx._store is not None and ctx._store.settings_warning:
            _error(f"warning: {ctx._store.settings_warning}")
        if ctx is not None:
            try:
                ctx.close()
            except Exception:  # closing cannot lose data; the answer is already out
                pass


def failure_code(exc: Exception | KeyboardInterrupt) -> int:
    """Say in one line what stopped a command, never with a traceback, and return its exit
    code (the module's docstring lists them); the window's plain start (launch.py) too."""
    if isinstance(exc, ValidationError):
        _error(f"error: {exc}")
        return EXIT_BAD_INPUT
    if isinstance(exc, Refused):
        _out(str(exc))
        return EXIT_REFUSED
    if isinstance(exc, StoreError):
        _error(f"error: {exc}")
        return EXIT_STORE
    if isinstance(exc, KeyboardInterrupt):
        _error("interrupted")
        return 130
    if isinstance(exc, BrokenPipeError):
        _silence_pipe()
        return EXIT_OK
    _error(f"internal error: {type(exc).__name__}: {exc}")  # a bug
    return EXIT_INTERNAL


def _files_mean_open(argv: list[str]) -> list[str]:
    """``recoverydesk FILE...`` (as a file manager runs it) means ``recoverydesk open FILE...``."""
    index = 0
    while index < len(argv):
        word = argv[index]
        if word == "--data-dir":
            index += 2
            continue
        if word.startswith("-"):
            index += 1
            continue
        if word in COMMANDS:
            return argv
        return [*argv[:index], "open", *argv[index:]]
    return argv


def _silence_pipe() -> None:
    """After a closed pipe, point stdout at nothing so the interpreter exits quietly."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass
