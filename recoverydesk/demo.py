"""A realistic eight-week demo recovery, so a newcomer sees every view filled (DESIGN.md §1).

The demo is written the way a runner would have written it: one entry a day, and an advance
asked for (and stored) only when the engine accepts it that day. Nothing about the phases is
scripted here; only the runner's pain, activities and one red flag are. The story:

- a painful start in Rest that settles over a week;
- Walk, with daily walks growing from 10 to 30 minutes (some recorded by a watch as GPX);
- Low-impact, where an over-long bike ride flares the back (activity pain 6): the engine steps
  the plan back to Walk;
- a day of pain shooting down the leg (a red flag) pauses the plan; the GP sees the runner two
  days later and clears them;
- back through Walk and Low-impact, where a ready-to-run test is passed (recorded the morning
  after, as the window asks it);
- finally Return to run: the walk–run ladder's sessions on alternate days, recorded by a watch
  as FIT files, with one stiff morning after a run that steps the ladder down a stage;
- a week away for work without running (walks only): a full week without a run steps the
  ladder down a stage (a layoff), and the runner climbs again from there.

The first-run risk screen is answered "no" to every question.

Along the way the outcomes a clinician reads (§3, §3.1): leg pain that fades (with a flare on
the red-flag day, when the body map shows the pain below the left knee), morning stiffness
from 45 down to 5 minutes, and weekly function scores whose mean climbs from 3 to 8. They use
no random numbers, so the story above stays exactly as it was.

It is Qt-free and deterministic: the same ``today`` always gives the same data.
"""

from __future__ import annotations

import datetime
import hashlib
import random

from recoverydesk.core import engine
from recoverydesk.core.model import Action, Activity, DayLog, EpisodeInfo
from recoverydesk.core.plan import load_content
from recoverydesk.storage.store import Store

DEMO_DAYS = 56
"""Eight weeks, today included: six reach the ladder, two more hold a layoff."""
SEED = 2026
DEMO_SETTING = "demo"
"""A setting marking a data file as demo data, so the window can say so in its title."""

_FLARE_LOW_IMPACT_DAY = 3
"""The day of the first Low-impact spell on which the long ride flares the back."""
_RED_FLAG_AFTER_FLARE = 3
"""Days after the flare on which the leg pain (a red flag) is logged."""
_CLEARED_AFTER = 5
"""Days after the red flag on which the GP's clearance is recorded."""
_AWAY_RUN_DAYS = range(10, 17)
"""Days of `run` away for work: walks, no running (a layoff on the next run day)."""
_LONG_DRIVE_DAY = 6
"""A day of the second Low-impact spell with a long drive: pain 3, no flare, a slower gate."""

_NOTES = {
    "first": "Bent down to tie my shoe after a long run and the lower back locked. Hard to get "
             "out of bed this morning.",
    "flare": "Rode 75 minutes instead of 30 because the weather was lovely. Back tight at the "
             "end of it.",
    "flag": "Pain shooting down the back of my left leg this evening. Booked the GP.",
    "cleared": "",
    "drive": "Four hours in the car to my sister's. Stiff and sore by the evening; "
             "gentle pilates and a stretch instead of the swim.",
    "first_run": "First run in weeks! 1 min run / 2 min walk, felt strange but fine.",
    "stiff": "Stiff this morning after yesterday's run. Easy day; the ladder steps back one.",
    "away": "Away for work all week: no running, walked in the evenings instead.",
    "back": "Back home and running again; the ladder stepped down a stage after the week off.",
}
PSFS_ACTIVITIES = ("run 5 km easy", "sit through a work meeting", "put my socks on standing")
PSFS_WEEKS = ((0, 4, 5), (1, 5, 6), (2, 6, 7), (3, 7, 8), (5, 8, 9), (6, 9, 9))
"""The weekly scores of each PSFS activity, one row a week: means 3, 4, 5, 6, 7.3, 8."""

_EASY_NOTES = (
    "Felt a bit stiff getting up, eased after a walk.",
    "Good day. Back quiet.",
    "Sat at the desk too long; a short walk helped.",
    "Slept well.",
    "Bit tight after the drive home.",
    "",
    "",
    "",
)


def fill_demo(store: Store, today: datetime.date) -> None:
    """Write the demo recovery into an empty ``store``, ending on ``today``.

    Everything is one transaction: a demo is either there in full or not at all.

    Raises:
        StoreError: The store already holds an episode (the demo never mixes with real data).
    """
    from recoverydesk.storage.store import EpisodeExists

    if store.current_episode() is not None:
        raise EpisodeExists("This data folder already holds an episode; the demo needs an "
                            "empty one.")
    with store.transaction():
        _Writer(store, today).write()


class _Writer:
    """Walk through the eight weeks, asking the engine about each day as the app would."""

    def __init__(self, store: Store, today: datetime.date) -> None:
        self.store = store
        self.today = today
        self.start = today - datetime.timedelta(days=DEMO_DAYS - 1)
        self.rng = random.Random(SEED)
        self.plan = load_content().plan
        self.rules = store.rules()
        self.level = 6.5          # how sore the back is, before the day's own noise
        self.flare_day: datetime.date | None = None
        self.flag_day: datetime.date | None = None
        self.low_impact_spells = 0
        self.last_phase = "rest"
        self.sha_count = 0
        self.last_morning = 7

    def write(self) -> None:
        self.store.start_episode(
            EpisodeInfo(self.start, "km", baseline_weekly_m=32_000.0,
                        notes="Lower back pain after a long run; no injury."),
            today=self.today)
        self.store.set_setting(DEMO_SETTING, True)
        self.store.add_action(Action(self.start, "screen"), today=self.today)  # all "no"
        self.runs = 0
        self.ran_yesterday = False
        for offset in range(DEMO_DAYS):
            self._write_day(self.start + datetime.timedelta(days=offset))

    # --- one day ---------------------------------------------------------------------------

    def _write_day(self, day: datetime.date) -> None:
        episode = self.store.load_episode()
        assert episode is not None
        status = engine.status_on(episode, self.rules, day)  # the phase in effect on `day`
        phase, phase_day = status.phase, status.phase_day
        if phase != self.last_phase:
            if phase == "low_impact":
                self.low_impact_spells += 1
            self.last_phase = phase
        rng = self.rng
        note = rng.choice(_EASY_NOTES)
        flags: frozenset[str] = frozenset()
        pain_activity: int | None = None

        # The back settles over the weeks; each phase is a little kinder than the one before.
        target = {"rest": 2.0, "walk": 1.8, "low_impact": 1.2, "run": 1.0, "full": 0.8}[phase]
        self.level = max(target, self.level - 0.45)
        pain = max(0, min(10, round(self.level + rng.choice((-0.4, 0.0, 0.0, 0.3)))))
        morning = min(10, pain + (1 if phase == "rest" and phase_day <= 2 else 0))

        activities: list[Activity] = []
        imported: list[Activity] = []
        if day == self.start:
            note = _NOTES["first"]
        elif (phase == "low_impact" and self.low_impact_spells == 1
              and phase_day == _FLARE_LOW_IMPACT_DAY and self.flare_day is None):
            self.flare_day = day
            pain_activity, pain, note = 6, 4, _NOTES["flare"]
            morning = self.last_morning  # fine that morning: the ride came later
            self.level = 4.0
            activities.append(Activity(day, "cycle", 28_000.0, 75 * 60.0, 6))
        elif (self.flare_day is not None and self.flag_day is None
              and day == self.flare_day + datetime.timedelta(days=_RED_FLAG_AFTER_FLARE)):
            self.flag_day = day
            flags = frozenset({"radiating_pain"})
            pain, morning, note = 3, 3, _NOTES["flag"]
        else:
            activities, imported = self._activities(day, phase, phase_day, status.paused, pain)
            if phase == "run" and phase_day == 1:
                note = _NOTES["first_run"]
            if phase == "run" and phase_day == _AWAY_RUN_DAYS[0]:
                note = _NOTES["away"]
            if phase == "run" and phase_day == _AWAY_RUN_DAYS[-1] + 1:
                note = _NOTES["back"]
            if (phase == "low_impact" and self.low_impact_spells == 2
                    and phase_day == _LONG_DRIVE_DAY):
                pain, morning, note = 3, 2, _NOTES["drive"]
            if phase == "run" and self.ran_yesterday and self.runs == 2:
                morning, note = self.last_morning + 2, _NOTES["stiff"]  # 24-hour rule: down
        self.ran_yesterday = any(a.kind == "run" for a in activities + imported)
        self.runs += self.ran_yesterday
        if imported or activities:
            given = [a.pain for a in activities + imported if a.pain is not None]
            if given:
                pain_activity = max(given)
        leg_pain, stiffness, sites = self._outcomes(day, pain)
        log = DayLog(day, pain, pain_activity, morning, flags,
                     sleep_hours=rng.choice((6.5, 7.0, 7.5, 7.5, 8.0, 8.5)),
                     heat_ice_min=20 if phase == "rest" else None, notes=note,
                     leg_pain=leg_pain, stiffness_min=stiffness, pain_sites=sites)
        self.store.save_day(log, activities, today=self.today)
        self.last_morning = morning
        for number, activity in enumerate(imported):
            self._import(activity, number)
        self._ticks(day, phase, phase_day)
        self._psfs(day)

        if (self.flag_day is not None
                and day == self.flag_day + datetime.timedelta(days=_CLEARED_AFTER)):
            self._ask(Action(day, "clearance", "Seen by GP: nerve irritation settling, no "
                                               "sign of anything serious. Cleared to carry on."))
        if phase == "low_impact" and self.low_impact_spells == 2 and phase_day == 8:
            self.store.add_action(Action(day, "ready"), today=self.today)
        self._ask(Action(day, "advance"))

    def _outcomes(self, day: datetime.date, pain: int) -> tuple[int, int, frozenset[str]]:
        """Leg pain, minutes of stiffness and body-map sites of ``day`` (no randomness)."""
        i = (day - self.start).days
        leg = max(0, round(4.5 - 0.12 * i))
        if self.flag_day is not None and day >= self.flag_day:
            leg = max(leg, 6 - (day - self.flag_day).days)
        stiffness = 5 * round((45 - 40 * i / (DEMO_DAYS - 1)) / 5)
        sites = set()
        if pain >= 1:
            sites.add("low_back_centre")
        if pain >= 3:
            sites.add("low_back_left")
        if leg >= 2:
            sites |= {"buttock_left", "thigh_left"}
        if leg >= 4:
            sites.add("below_knee_left")
        return leg, stiffness, frozenset(sites)

    def _psfs(self, day: datetime.date) -> None:
        """Name the PSFS activities on the first day and score them once a week."""
        i = (day - self.start).days
        if i == 0:
            self.store.add_psfs_activities(PSFS_ACTIVITIES, day, today=self.today)
        week, rest = divmod(i, 7)
        if rest == 0 and week < len(PSFS_WEEKS):
            ids = [a.id for a in self.store.psfs_activities() if a.id is not None]
            self.store.save_psfs(day, dict(zip(ids, PSFS_WEEKS[week], strict=True)),
                                 today=self.today)

    def _ask(self, action: Action) -> None:
        """Ask the engine as the window would; store the action only when it is accepted."""
        episode = self.store.load_episode()
        assert episode is not None
        check = engine.check_advance if action.kind == "advance" else engine.check_clearance
        if check(episode, self.rules, action.day, self.today).accepted:
            self.store.add_action(action, today=self.today)

    # --- what the runner did ---------------------------------------------------------------

    def _activities(self, day: datetime.date, phase: str, phase_day: int, paused: bool,
                    pain: int) -> tuple[list[Activity], list[Activity]]:
        """(manual, imported) activities for a day of ``phase``."""
        rng = self.rng
        # Activity pain: mostly the day's own pain, now and then a point more, but a runner
        # who is doing well stays within what the phase allows.
        limit = self.rules.advance_threshold.get(phase, 2)
        easy = max(0, min(pain + rng.choice((0, 0, 0, 1)), max(pain, limit)))
        if paused:
            return [Activity(day, "walk", None, 15 * 60.0, easy)], []
        if phase == "rest":
            if phase_day >= 3:
                return [Activity(day, "walk", None, 10 * 60.0, easy)], []
            return [], []
        if phase == "walk":
            minutes = min(30, 10 + 5 * (phase_day - 1))
            walk = self._timed(day, "walk", minutes, 5.0, easy, hour=8)
            return ([], [walk]) if phase_day % 2 == 0 else ([_manual(walk)], [])
        if phase == "low_impact":
            kind = ("swim", "cycle", "yoga", "elliptical", "cycle", "pilates", "swim")[
                (phase_day - 1) % 7]
            minutes = 20 + min(4, phase_day) * 4
            if kind == "cycle":
                return [], [self._timed(day, "cycle", minutes, 18.0, easy, hour=17)]
            if kind == "swim":
                return [Activity(day, "swim", minutes * 40.0, minutes * 60.0, easy)], []
            return [Activity(day, kind, None, minutes * 60.0, easy)], []
        # run and full: walk–run on odd days (the watch records the walking breaks too),
        # strength and an easy walk between them; a week away means walks only.
        if phase == "run" and phase_day in _AWAY_RUN_DAYS:
            return [Activity(day, "walk", 4_000.0, 45 * 60.0, easy)], []
        if phase_day % 2 == 1:
            episode = self.store.load_episode()
            assert episode is not None
            stage = engine.status_on(episode, self.rules, day).run_stage or 1
            session_min = self.rules.ladder_minutes[stage - 1]
            return [], [self._timed(day, "run", session_min, 7.0, min(easy, 2), hour=7)]
        return [Activity(day, "strength", None, 20 * 60.0, easy),
                Activity(day, "walk", 3_000.0, 35 * 60.0, easy)], []

    def _timed(self, day: datetime.date, kind: str, minutes: int, kmh: float, pain: int,
               hour: int) -> Activity:
        """An activity as a watch records it: a start time, distance, moving and elapsed time."""
        rng = self.rng
        moving = minutes * 60.0 + rng.randint(-40, 40)
        distance = round(moving / 3600.0 * kmh * 1000.0 * rng.uniform(0.95, 1.05), 1)
        tz = datetime.timezone(datetime.timedelta(hours=1))
        start = datetime.datetime.combine(day, datetime.time(hour, rng.randint(0, 50)), tz)
        return Activity(day, kind, distance, moving, pain, start_time=start,
                        elapsed_s=moving + rng.randint(30, 240))

    def _import(self, activity: Activity, number: int) -> None:
        """Store an activity as if its watch file had been imported (fake content hash)."""
        fmt = "fit" if activity.kind in ("run", "cycle") else "gpx"
        self.sha_count += 1
        sha = hashlib.sha256(f"recoverydesk demo {SEED} {self.sha_count}".encode()).hexdigest()
        stamp = activity.start_time or datetime.datetime.combine(activity.day, datetime.time())
        name = f"{stamp:%Y-%m-%d-%H%M}-{activity.kind}{'-' + str(number) if number else ''}.{fmt}"
        stored = Activity(activity.day, activity.kind, activity.distance_m, activity.duration_s,
                          activity.pain, activity.start_time, activity.elapsed_s, fmt, sha)
        self.store.add_file(sha, name, fmt, [stored], today=self.today)

    def _ticks(self, day: datetime.date, phase: str, phase_day: int) -> None:
        """Most of the checklist on most days, and the prescription's exercises."""
        plan = self.plan.phase(phase)
        for item in plan.checklist:
            if self.rng.random() < 0.8:
                self.store.set_tick(day, item.id, True)
        for exercise in plan.prescription_for(phase_day).exercises:
            if self.rng.random() < 0.75:
                self.store.set_exercise_done(day, exercise, True)


def _manual(activity: Activity) -> Activity:
    """The same activity typed in by hand: no start time or elapsed time."""
    return Activity(activity.day, activity.kind, round(activity.distance_m or 0.0, -2) or None,
                    round((activity.duration_s or 60.0) / 60.0) * 60.0, activity.pain)
