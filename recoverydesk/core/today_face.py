"""What the Today view says, worked out from the runner's data alone (no Qt).

Working Today out needs the engine and the data; showing it needs only Qt. Kept apart, the
texts are tested without a window, and a face worked out in one place can be shown in another:
a face is made of plain dicts, lists, strings and numbers, so it goes through ``json`` as it is
(docs/performance.md: a first frame that needs neither the core nor the data).
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from typing import Any, Literal, Protocol, TypedDict

from recoverydesk.core import engine, explain, psfs
from recoverydesk.core.cadence import cadence_history
from recoverydesk.core.markers import MARKERS
from recoverydesk.core.model import PHASES, RED_FLAGS, Activity, Episode, describe_activity
from recoverydesk.core.outcomes import texts as outcome_texts
from recoverydesk.core.plan import Content
from recoverydesk.core.rules import Rules
from recoverydesk.core.today_words import (
    BANNER_TITLES,
    GATE_RULES,
    NO_EPISODE_PRESCRIPTION,
    NO_EPISODE_SUMMARY,
    dismissed_key,
)
from recoverydesk.core.words import date_text, distance_text


class Source(Protocol):
    """Where the face's data comes from: the window's Session has all of it."""

    @property
    def content(self) -> Content: ...
    @property
    def rules(self) -> Rules: ...
    @property
    def episode(self) -> Episode | None: ...
    @property
    def units(self) -> str: ...
    def today(self) -> datetime.date: ...
    def status(self, day: datetime.date | None = None) -> engine.DayStatus | None: ...
    def timeline(self) -> list[engine.DayStatus]: ...
    def ticks(self, day: datetime.date) -> frozenset[str]: ...
    def setting(self, key: str, default: Any = None) -> Any: ...
    def activities(self) -> list[Activity]: ...
    def psfs_activities(self, *, include_retired: bool = True) -> list[psfs.PsfsActivity]: ...
    def psfs_scores(self) -> list[psfs.PsfsScore]: ...


class Banner(TypedDict):
    tier: str
    title: str
    text: str


class CheckIn(TypedDict):
    """Today's saved scores (None: not logged) and the line under them."""

    pain: int | None
    morning: int | None
    leg: int | None
    status: str


class Notice(TypedDict):
    id: str
    text: str


class Item(TypedDict):
    """A checklist item; ``exercise`` is the id its "How to…" opens, or ""."""

    id: str
    text: str
    exercise: str
    ticked: bool


class GateRow(TypedDict):
    rule: str
    ok: bool
    detail: str


class Card(TypedDict):
    title: str
    lines: list[str]


class PsfsRow(TypedDict):
    id: int
    name: str
    last: int


class PsfsFace(TypedDict):
    """The Function card: ``setup`` (name 3–5 activities), ``prompt`` (score them) or
    ``summary`` (the last mean), with the activities in use and their last scores."""

    face: Literal["setup", "prompt", "summary"]
    title: str
    hint: str
    rows: list[PsfsRow]
    needed: int
    most: int
    name_length: int


class Face(TypedDict):
    """Everything the Today view shows, in the order it shows it (``episode`` False: the
    welcome page of an empty data folder, where only heading, summary and prescription
    count)."""

    day: str
    episode: bool
    heading: str
    summary: str
    banner: Banner | None
    check_in: CheckIn
    pairing: str
    warnings: list[str]
    notices: list[Notice]
    prescription: str
    phase: str | None
    checklist: list[Item]
    gate: list[GateRow]
    gate_summary: str
    can_advance: bool
    advanced: bool
    ready: bool
    recovered: bool
    recovered_text: str
    ladder: Card | None
    guide: Card | None
    psfs: PsfsFace


def card_text(key: str, **values: object) -> str:
    """A sentence of resources/engine.toml ``[card]`` with its figures filled in."""
    return explain.templates().get("card", {}).get(key, key).format(**values)


def face(source: Source, *, force_psfs_prompt: bool = False) -> Face:
    """What Today shows for ``source``'s today (``force_psfs_prompt``: the runner asked to
    score function now)."""
    today = source.today()
    status = source.status()
    episode = source.episode
    if episode is None or status is None:
        return _no_episode_face(source, today)
    content = source.content
    plan = content.plan.phase(status.phase)
    log = episode.logs.get(today)
    label = plan.prescription_for(status.phase_day).label
    if status.phase == "run" and status.run_stage is not None:
        ladder = content.plan.ladder
        label = ladder[min(status.run_stage, len(ladder)) - 1].label + " on a run day"
    ticks = source.ticks(today)
    reasons = {r.rule: r for r in status.reasons}
    shown = [] if status.phase == PHASES[-1] else [rule for rule in GATE_RULES if rule in reasons]
    return Face(
        day=today.isoformat(),
        episode=True,
        heading=heading_text(source, status),
        summary=plan.summary,
        banner=banner(source, status),
        check_in=CheckIn(pain=log.pain if log else None,
                         morning=log.pain_morning if log else None,
                         leg=log.leg_pain if log else None,
                         status=check_in_text(source)),
        pairing=pairing_text(source),
        warnings=[g.detail for g in status.warnings] + ignored_actions(source),
        notices=[Notice(id=n.id, text=n.detail) for n in status.notices
                 if not source.setting(dismissed_key(n.id), False)],
        prescription=f"Day {status.phase_day} of {plan.name}: <b>{label}</b>",
        phase=status.phase,
        checklist=[Item(id=item.id, text=item.text, exercise=item.exercise or "",
                        ticked=item.id in ticks) for item in plan.checklist],
        gate=[GateRow(rule=rule, ok=reasons[rule].ok, detail=reasons[rule].detail)
              for rule in shown],
        gate_summary=gate_summary(source, status),
        can_advance=status.can_advance and status.event != "advance" and not status.paused,
        advanced=status.event == "advance",
        ready=status.phase == "low_impact" and not status.paused,
        recovered=status.offer_recovered,
        recovered_text=card_text("recovered"),
        ladder=ladder_card(source, status),
        guide=guide_card(source, status),
        psfs=psfs_face(source, force_prompt=force_psfs_prompt),
    )


def _no_episode_face(source: Source, today: datetime.date) -> Face:
    return Face(
        day=today.isoformat(), episode=False, heading="Welcome to RecoveryDesk",
        summary=NO_EPISODE_SUMMARY, banner=None,
        check_in=CheckIn(pain=None, morning=None, leg=None, status=""), pairing="",
        warnings=[], notices=[], prescription=NO_EPISODE_PRESCRIPTION, phase=None,
        checklist=[], gate=[], gate_summary="", can_advance=False, advanced=False,
        ready=False, recovered=False, recovered_text="", ladder=None, guide=None,
        psfs=psfs_face(source))


def heading_text(source: Source, status: engine.DayStatus) -> str:
    """"Walk — day 3 of at least 4"; "Full training — day 12"; a pause is said too."""
    name = source.content.plan.name(status.phase)
    minimum = source.rules.min_days.get(status.phase)
    if status.phase == PHASES[-1] or not minimum:
        text = f"{name} — day {status.phase_day}"
    elif status.phase_day <= minimum:
        text = f"{name} — day {status.phase_day} of at least {minimum}"
    else:
        text = f"{name} — day {status.phase_day} (the minimum of {minimum} is done)"
    if status.paused:
        text += " · paused"
    return text


def check_in_text(source: Source) -> str:
    """What is saved for today, with the pain for the day the plan goes by (§3)."""
    episode = source.episode
    log = episode.logs.get(source.today()) if episode is not None else None
    if episode is None or log is None:
        return "Not logged yet today: choose your pain now, then Save check-in."
    parts = [f"pain now {log.pain}"]
    if log.pain_morning is not None:
        parts.append(f"morning {log.pain_morning}")
    if log.leg_pain is not None:
        parts.append(f"leg {log.leg_pain}")
    text = "Logged today: " + ", ".join(parts) + "."
    worst = episode.worst(log.day)
    if worst is not None:
        text += (f" Pain for the day: {worst}" +
                 (" (the highest you logged; the plan goes by it)." if worst != log.pain
                  else "."))
    return text


def banner(source: Source, status: engine.DayStatus) -> Banner | None:
    """A pause or a hold, by tier (§4); None when the plan runs freely."""
    if not status.paused and not status.hold:
        return None
    content = source.content
    red_flags, texts = content.red_flags, content.texts
    if status.paused:
        reason = status.pause_reason or {}
        named = set(reason.get("red_flags") or ())
        logged = pause_flags(source)
        flags = [f for f in RED_FLAGS if f in named or f in logged]
        risks = sorted(reason.get("risks") or ())
        tiers = {red_flags[f].tier for f in flags if f in red_flags}
        tier = next((t for t in ("emergency", "urgent", "soon") if t in tiers),
                    "soon" if flags else "screen")
        parts = [texts[f"banner_{tier}"]]
        parts += [f"• {red_flags[f].label}: {red_flags[f].advice}"
                  for f in flags if f in red_flags]
    else:
        tier = "hold"
        risks = sorted((status.hold_reason or {}).get("risks") or ())
        parts = [texts["banner_hold"]]
    if risks:
        parts.append("From your answers to the health questions: " + "; ".join(
            content.risks[r].short if r in content.risks else r for r in risks) + ".")
    title = BANNER_TITLES[tier]
    if tier != "hold":
        title = f"{MARKERS['flag'].symbol} {title}"  # the red flag's mark in every view
    return Banner(tier=tier, title=title, text="\n\n".join(parts))


def pause_flags(source: Source) -> list[str]:
    """The red flags logged since the current pause began, in the order of §4."""
    episode = source.episode
    if episode is None:
        return []
    timeline = source.timeline()
    flagged: set[str] = set()
    for status in reversed(timeline):
        log = episode.logs.get(status.day)
        if log is not None:
            flagged |= log.red_flags
        if status.event == "pause" and not _was_paused_before(timeline, status):
            break
    return [f for f in RED_FLAGS if f in flagged]


def ignored_actions(source: Source) -> list[str]:
    """§5.1: stored advances and clearances that no longer hold, said as such."""
    out = []
    for day_status in source.timeline():
        if day_status.ignored_advance:
            out.append(card_text("ignored_advance", day=explain.day_words(day_status.day)))
        if day_status.ignored_clearance:
            out.append(card_text("ignored_clearance", day=explain.day_words(day_status.day)))
    return out


def pairing_text(source: Source) -> str:
    """The 24-hour rule in one line: yesterday's activity against this morning's pain."""
    episode = source.episode
    if episode is None:
        return ""
    today = source.today()
    yesterday = today - datetime.timedelta(days=1)
    if yesterday < episode.start:
        return "Yesterday was before this episode began; tomorrow this line will pair " \
               "today's activity with tomorrow morning's pain."
    acts = episode.activities_on(yesterday)
    if acts:
        did = "Yesterday: " + "; ".join(_activity_words(a, source.units) for a in acts)
        if all(a.pain is None for a in acts):
            pain = episode.pain_activity(yesterday)
            if pain is not None:
                did += f", pain {pain}"
    elif yesterday in episode.logs:
        did = "Yesterday: no activity logged"
    else:
        did = "Yesterday: nothing logged"
    log = episode.logs.get(today)
    if log is not None and log.pain_morning is not None:
        return f"{did} → this morning {log.pain_morning}"
    return (f"{did} → this morning's pain is not logged yet (add it in the Log view, "
            "under morning pain).")


def _activity_words(activity: Activity, units: str) -> str:
    """"walk 25 min, pain 2" or "run 3.2 km 24 min": short words for one activity."""
    text = describe_activity(activity, units)
    if activity.pain is not None:
        text += f", pain {activity.pain}"
    return text


def gate_summary(source: Source, status: engine.DayStatus) -> str:
    """The gate in one sentence: open, shut and why, or nothing to move on to."""
    plan = source.content.plan
    if status.phase == PHASES[-1]:
        return f"{plan.name(status.phase)} is the last phase: there is nothing to advance to."
    if status.event == "advance":
        return f"You have moved on: {plan.name(status.next_phase)} starts tomorrow."
    if status.paused:
        return "Moving on waits until a clinician has cleared you."
    if status.hold and status.phase == "low_impact" and not status.can_advance:
        return card_text("hold")
    if status.can_advance:
        return f"The gate is open: you can move on to {plan.name(next_phase(status.phase))}."
    return "Still needed: " + "; ".join(missing(status)) + "."


def missing(status: engine.DayStatus) -> list[str]:
    """What the gate still needs, in short words, from the engine's figures."""
    out: list[str] = []
    for r in status.reasons:
        if r.ok or not r.rule.startswith("G"):
            continue
        left = r.facts.get("left")
        if r.rule == "G1":
            out.append(f"{left} more {'day' if left == 1 else 'days'} in this phase")
        elif r.rule == "G2":
            out.append(f"{left} more logged {'day' if left == 1 else 'days'} in a row")
        elif r.rule == "G3":
            out.append(f"pain {r.facts['threshold']} or less on {r.facts['window']} days "
                       "in a row")
        elif r.rule == "G4" and r.why == "rising":
            out.append("pain not rising over three days")
        elif r.rule == "G5" and r.why == "ladder":
            out.append(f"{left} more ladder {'stage' if left == 1 else 'stages'}")
        elif r.rule == "G5":
            out.append(f"activity on {left} more {'day' if left == 1 else 'days'}")
        elif r.rule == "G6":
            out.append("a passed ready-to-run test")
        elif r.rule == "G7":
            out.append("a clinician's check before running")
    if not out:
        out.append("see the rules below")
    return out


def ladder_card(source: Source, status: engine.DayStatus) -> Card | None:
    """The `run` card: stage, its session, what moves it, yesterday's run judged, cadence."""
    if status.phase != "run" or status.run_stage is None:
        return None
    rules = source.rules
    ladder = source.content.plan.ladder
    stage = ladder[min(status.run_stage, len(ladder)) - 1]
    if status.run_stage_done:
        title = card_text("ladder_passed_title")
        lines = [card_text("ladder_passed_session", label=stage.label)]
    else:
        title = card_text("ladder_title", stage=stage.stage, stages=len(ladder))
        lines = [card_text("ladder_session", label=stage.label, minutes=stage.minutes)]
    said = [r.detail for rule in ("setback", "layoff", "ladder")
            if (r := status.reason(rule)) is not None and not (rule == "layoff" and r.ok)]
    lines.append(" ".join(said) if said
                 else card_text("ladder_no_judgement", stage=stage.stage))
    lines.append(card_text(
        "ladder_moves", good_pain=rules.ladder_good_pain,
        good_rise=rules.ladder_good_morning_rise, good_morning=rules.ladder_good_morning,
        bad_pain=rules.ladder_bad_pain, bad_rise=rules.ladder_bad_morning_rise))
    lines.append(card_text("ladder_log"))
    episode = source.episode
    if episode is not None:
        history = cadence_history(source.activities(), episode.start)
        if history.usual is not None and history.quicker is not None:
            lines.append(card_text("cadence", usual=round(history.usual),
                                   quicker=round(history.quicker)))
    return Card(title=title, lines=lines)


def guide_card(source: Source, status: engine.DayStatus) -> Card | None:
    """The `full` card: this 7-day block's guide and the distance run in it so far (§5.4)."""
    guide = status.guide
    if guide is None:
        return None
    units = source.units
    lines = [card_text("guide_body", guide=distance_text(guide.guide_m, units),
                       first=date_text(guide.first_day, year=False, long=True),
                       run=distance_text(guide.run_m, units))]
    if guide.at_baseline:
        lines.append(card_text("guide_baseline"))
    lines.append(card_text("guide_note"))
    return Card(title=card_text("guide_title", week=guide.block + 1), lines=lines)


def psfs_face(source: Source, *, force_prompt: bool = False) -> PsfsFace:
    """The Function card (§3.1): which face, its words, and the activities in use."""
    activities = source.psfs_activities()
    scores = source.psfs_scores()
    in_use = [a for a in activities if not a.retired]
    last = {score.activity_id: score.score for score in scores}  # oldest first: latest wins
    rows = [PsfsRow(id=a.id, name=a.name, last=last.get(a.id, 0))
            for a in in_use if a.id is not None]
    said = outcome_texts()
    if not activities:
        return _psfs("setup", "Function: what does your back make hard?",
                     said["psfs_intro"], [])
    if in_use and (force_prompt or psfs.prompt_due(in_use, scores, source.today())):
        return _psfs("prompt", said["psfs_prompt"], said["psfs_prompt_hint"], rows)
    days = psfs.by_day(scores)
    if days:
        last_day = max(days)
        mean = psfs.mean(days[last_day])
        due = last_day + datetime.timedelta(days=psfs.PROMPT_EVERY_DAYS)
        hint = (f"Last scores on {last_day:%d %B}: mean {mean:.1f} of 10. "
                f"Next on {due:%A %d %B}.")
    else:
        hint = "No activity is in use: add one to score your function weekly."
    return _psfs("summary", "", hint, rows)


def _psfs(face: Literal["setup", "prompt", "summary"], title: str, hint: str,
          rows: list[PsfsRow]) -> PsfsFace:
    """A face of the Function card, with the limits its setup form keeps to."""
    return PsfsFace(face=face, title=title, hint=hint, rows=rows, needed=psfs.MIN_ACTIVITIES,
                    most=psfs.MAX_ACTIVITIES, name_length=psfs.MAX_NAME)


def next_phase(phase: str) -> str:
    index = PHASES.index(phase)
    return PHASES[min(index + 1, len(PHASES) - 1)]


def _was_paused_before(timeline: Sequence[engine.DayStatus], status: engine.DayStatus) -> bool:
    index = (status.day - timeline[0].day).days
    return index > 0 and timeline[index - 1].paused
