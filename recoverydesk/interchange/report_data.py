"""The clinician report's contents, Qt-free: gathered from the store, written as HTML (§7).

What a clinician gets, in reading order: the episode summary, the current phase and what it
asks, the phase history with the engine's own reasons, the chart, red flags and clearances,
exercise adherence, and every daily entry. Choices where the design is silent:

- **Daily entries newest first.** A clinician's first question is "how are things now?"; the
  chart and the phase history already tell the story from the start in date order.
- The report says plainly that it is a self-management log, not a diagnosis (the sentence is
  ``report_disclaimer`` in resources/texts.toml).

``render/report_pdf.py`` lays this HTML out on pages and draws the chart it refers to.
"""

from __future__ import annotations

import dataclasses
import datetime
import html
from collections.abc import Collection, Mapping, Sequence
from typing import TYPE_CHECKING

from recoverydesk.core import engine, words
from recoverydesk.core.exercises import load_library
from recoverydesk.core.load import DailyFigures, daily_figures
from recoverydesk.core.model import Activity, DayLog, Episode, describe_activity
from recoverydesk.core.plan import Content, load_content
from recoverydesk.core.psfs import PsfsActivity, PsfsScore
from recoverydesk.core.rules import Rules
from recoverydesk.interchange import report_outcomes

if TYPE_CHECKING:
    from recoverydesk.storage.store import Store

PSFS_CHART_RATIO = 0.36
"""The Function chart's height against its width."""
_EVENT_WORDS = {"advance": "Advanced", "regression": "Stepped back",
                "pause": "Paused by a red flag", "clearance": "Cleared by a clinician"}


# --- gathering ---------------------------------------------------------------------------------

@dataclasses.dataclass(frozen=True, slots=True)
class HistoryRow:
    """One line of the phase history: what moved on a day, and the engine's sentences."""

    day: datetime.date
    event: str
    phase: str
    next_phase: str
    sentences: tuple[str, ...]


@dataclasses.dataclass(frozen=True, slots=True)
class ReportData:
    """Everything the report shows, gathered once from the store and the engine."""

    today: datetime.date
    episode: Episode
    content: Content
    timeline: tuple[engine.DayStatus, ...]
    figures: DailyFigures
    history: tuple[HistoryRow, ...]
    exercises_done: Mapping[datetime.date, Mapping[str, int]]
    exercise_names: Mapping[str, str]
    min_days: Mapping[str, int]
    psfs_activities: tuple[PsfsActivity, ...] = ()
    psfs_scores: tuple[PsfsScore, ...] = ()
    since: datetime.date | None = None
    """The first day the chart and the tables cover (None: the episode's start)."""
    chart_figures: DailyFigures | None = None

    @property
    def period_start(self) -> datetime.date:
        """The first day of the period the chart and the tables cover."""
        start = self.episode.start
        return start if self.since is None else min(max(self.since, start), self.today)

    @property
    def chart_timeline(self) -> tuple[engine.DayStatus, ...]:
        """The engine's records from the period's first day on (the chart's phase bands)."""
        return self.timeline[(self.period_start - self.episode.start).days:]

    @property
    def units(self) -> str:
        return self.episode.info.units

    def phase_name(self, phase: str) -> str:
        try:
            return self.content.plan.name(phase)
        except KeyError:
            from recoverydesk.core.explain import phase_name
            return phase_name(phase)

    @property
    def disclaimer(self) -> str:
        """The one-sentence disclaimer at the top of the report (resources/texts.toml)."""
        return self.content.texts["report_disclaimer"]

    def distance(self, metres: float | None, digits: int = 1) -> str:
        return words.distance_text(metres, self.units, digits)


def gather(store: Store, today: datetime.date, content: Content | None = None, *,
           since: datetime.date | None = None) -> ReportData:
    """Read the open episode and replay it; ValueError when there is no episode yet."""
    episode = store.load_episode()
    if episode is None:
        raise ValueError("There is no episode yet, so there is nothing to report.")
    last = max(today, episode.start)
    return gather_from(episode, store.rules(), store.exercises_done(episode.start, last), today,
                       content, psfs_activities=tuple(store.psfs_activities()),
                       psfs_scores=tuple(store.psfs_scores(until=last)), since=since)


def gather_from(episode: Episode, rules: Rules,
                exercises_done: Mapping[datetime.date, Mapping[str, int]],
                today: datetime.date, content: Content | None = None, *,
                psfs_activities: tuple[PsfsActivity, ...] = (),
                psfs_scores: tuple[PsfsScore, ...] = (),
                since: datetime.date | None = None) -> ReportData:
    """The report's data from what was read from the store (any thread: no store access).

    The window reads on its own thread (the store's connection lives there) and replays
    here, on the report's worker thread. ``since`` narrows the chart and the tables to the
    days from it on; the engine still replays the whole episode (its answers need it).
    """
    content = content or load_content()
    last = max(today, episode.start)
    timeline = tuple(engine.replay(episode, rules, last))
    figures = daily_figures(episode.logs, episode.activities, episode.start, last)
    try:
        names = {e.id: e.name for e in load_library()}
    except Exception:  # content problems are the window's to report; ids still read
        names = {}
    data = ReportData(
        today=today, episode=episode, content=content, timeline=timeline, figures=figures,
        history=tuple(_history(timeline)), exercises_done=exercises_done,
        exercise_names=names, min_days=dict(rules.min_days),
        psfs_activities=psfs_activities, psfs_scores=psfs_scores, since=since)
    if data.period_start == episode.start:
        return dataclasses.replace(data, chart_figures=figures)
    return dataclasses.replace(data, chart_figures=daily_figures(
        episode.logs, episode.activities, data.period_start, last))


def _history(timeline: Sequence[engine.DayStatus]) -> list[HistoryRow]:
    """Every advance, regression, pause, clearance and ignored advance, with its reasons."""
    rows: list[HistoryRow] = []
    for status in timeline:
        event = status.event
        if event == "advance":
            said = [r.detail for r in status.reasons if r.rule == "advance"]
            said += [r.detail for r in status.reasons if r.rule in ("G3", "G4", "G5") and r.ok]
        elif event == "regression":
            said = [r.detail for r in status.reasons if r.rule in ("R1", "R2", "R3") and not r.ok]
        elif event == "pause":
            said = [r.detail for r in status.reasons if r.rule == "pause"]
        elif event == "clearance":
            said = [r.detail for r in status.reasons if r.rule == "clearance"]
        elif status.ignored_advance:
            event = "ignored"
            said = ["An advance stored on this day no longer holds (an earlier entry was "
                    "edited), so it is ignored."]
        else:
            continue
        rows.append(HistoryRow(status.day, event, status.phase, status.next_phase,
                               tuple(said or [r.detail for r in status.reasons])))
    return rows


# --- the document ------------------------------------------------------------------------------

def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


_date = words.date_text


def _pain(value: int | None) -> str:
    return words.NOTHING if value is None else str(value)


_CSS = """
body { color: #000000; }
h1 { font-size: 16pt; margin-bottom: 2px; }
h2 { font-size: 11.5pt; margin-top: 14px; margin-bottom: 4px; }
h3 { font-size: 10pt; margin-top: 8px; margin-bottom: 3px; }
p { margin-top: 2px; margin-bottom: 4px; }
table { border-collapse: collapse; }
th { background-color: #e4e4e4; font-weight: bold; text-align: left; }
td, th { border: 0.5px solid #8c8c8c; padding: 2px 4px; vertical-align: top; }
td.n, th.n { text-align: right; }
.muted { color: #404040; }
.small { font-size: 8pt; }
.note { font-style: italic; }
"""


@dataclasses.dataclass(frozen=True, slots=True)
class Figure:
    """Where the pain-vs-mileage chart goes, and its size in CSS pixels."""

    url: str
    width: float
    height: float


OPTIONAL_SECTIONS: dict[str, str] = {
    "history": "Phase history with its reasons",
    "adherence": "Exercises and checklist done",
    "days": "A table of every day logged",
}
"""Sections the runner may leave out (by id, with their words). The summary, the chart, where
things stand and the red flags are always in: a clinician must never miss a red flag."""


def report_parts(data: ReportData, chart_url: str, chart_size: tuple[float, float],
                 include: Collection[str] = tuple(OPTIONAL_SECTIONS),
                 ) -> list[str | Figure | LongTable]:
    """The report in reading order: HTML, the chart, HTML, the phase history (a long table),
    the other sections (HTML) and the daily entries (a long table).

    The two tables grow with the years; the PDF lays them out page by page itself, as
    QTextDocument takes seconds over tables that long, and draws the chart itself.
    """
    today_status = data.timeline[-1] if data.timeline else None
    head = ("<h1>RecoveryDesk — clinician report</h1>"
            f"<p class='muted'>Made on {_e(_date(data.today))}. {_e(data.disclaimer)}</p>"
            + _summary_html(data, today_status) + "<h2>Pain and running distance</h2>")
    overview = ["<p class='small muted'>Each dot is the day's overall pain (0 none, 10 worst "
                "imaginable); the dashed line its mean over the last 7 days; the dotted line, "
                "when there is one, the day's leg pain on the same scale. Bars are the "
                "distance run each day. Shaded bands show the phase in effect, named above "
                "the chart.</p>"]
    if today_status is not None:
        overview.append(_current_html(data, today_status))
    parts: list[str | Figure | LongTable] = [head, Figure(chart_url, *chart_size),
                                             "".join(overview)]
    if "history" in include:
        parts.append(history_table(data))
    psfs_size = (chart_size[0], round(chart_size[0] * PSFS_CHART_RATIO))
    parts.append(_flags_html(data))
    parts.append(_screen_and_ladder_html(data))
    parts.append(report_outcomes.psfs_html(data.psfs_activities, data.psfs_scores, psfs_size)
                 + report_outcomes.sites_html(data.episode.logs)
                 + (_adherence_html(data) if "adherence" in include else ""))
    if "days" in include:
        days = daily_table(data)
        parts.append(days if days.rows
                     else "<h2>Daily entries</h2><p>Nothing has been logged yet.</p>")
    return parts


def html_document(body: str) -> str:
    """``body`` with the report's style sheet, as QTextDocument reads it."""
    return f"<html><head><style>{_CSS}</style></head><body>{body}</body></html>"


def report_html(data: ReportData, chart_url: str, chart_size: tuple[float, float], *,
                break_after_overview: bool = True,
                include: Collection[str] = tuple(OPTIONAL_SECTIONS)) -> str:
    """The whole report as one HTML page (the subset QTextDocument reads).

    With ``break_after_overview`` the phase history starts a new page, so page 1 is the
    overview (summary, chart, where things stand) and no heading is stranded at its foot.
    ``include`` names the optional sections to put in (``OPTIONAL_SECTIONS``).
    """
    body = []
    for part in report_parts(data, chart_url, chart_size, include):
        if isinstance(part, LongTable):
            body.append(long_table_html(part, new_page=break_after_overview and part.new_page))
        elif isinstance(part, Figure):
            body.append(f"<p><img src='{_e(part.url)}' width='{part.width:.0f}' "
                        f"height='{part.height:.0f}'></p>")
        else:
            body.append(part)
    return html_document("".join(body))


def long_table_html(table: LongTable, *, new_page: bool = False) -> str:
    """A long table as HTML: one table per group, each under its group's heading."""
    classes = tuple("n" if i in table.right_aligned else "" for i in range(len(table.head)))
    groups: dict[str, list[str]] = {}
    for group, cells in table.rows:
        groups.setdefault(group, []).append(
            _row(*("<br>".join(_e(line) for line in cell.split("\n")) for cell in cells),
                 classes=classes))
    tables = "".join((f"<h3>{_e(group)}</h3>" if group else "")
                     + _table(table.head, rows, table.widths) for group, rows in groups.items())
    style = " style='page-break-before: always'" if new_page else ""
    return (f"<h2{style}>{_e(table.title)}</h2><p class='small muted'>{_e(table.note)}</p>"
            + tables)


def _row(*cells: str, header: bool = False, classes: Sequence[str] = ()) -> str:
    tag = "th" if header else "td"
    out = []
    for i, cell in enumerate(cells):
        cls = f" class='{classes[i]}'" if i < len(classes) and classes[i] else ""
        out.append(f"<{tag}{cls}>{cell}</{tag}>")
    return "<tr>" + "".join(out) + "</tr>"


def _table(head: Sequence[str], rows: Sequence[str], widths: Sequence[int] = ()) -> str:
    """A full-width table whose header row repeats on every page it spans."""
    cols = "".join(f"<th width='{widths[i]}%'>{_e(h)}</th>" if i < len(widths)
                   else f"<th>{_e(h)}</th>" for i, h in enumerate(head))
    return ("<table width='100%' cellspacing='0' cellpadding='3' border='1'>"
            f"<thead><tr>{cols}</tr></thead><tbody>{''.join(rows)}</tbody></table>")


def _phase_line(data: ReportData, status: engine.DayStatus) -> str:
    least = data.min_days.get(status.phase)
    text = f"{data.phase_name(status.phase)} — day {status.phase_day}"
    if least and status.phase != "full":
        text += f" of at least {least}"
    return text


def _summary_html(data: ReportData, status: engine.DayStatus | None) -> str:
    info = data.episode.info
    days = (data.today - info.start).days + 1 if data.today >= info.start else 0
    logged = sum(1 for d in data.episode.logs if d <= data.today)
    pains = [p for p in data.figures.pain if p is not None]
    first_week = [p for p in data.figures.pain[:7] if p is not None]
    last_week = [p for p in data.figures.pain[-7:] if p is not None]
    rows = [
        ("Episode began", _date(info.start)),
        ("Chart and tables cover", f"{_date(data.period_start)} to {_date(data.today)}"),
        ("Days so far", f"{days} (entries on {logged} of them)"),
        ("Current phase", (_phase_line(data, status) + (" — paused by a red flag"
                                                          if status.paused else ""))
         if status else "not begun yet"),
        ("Distances shown in", "kilometres (km)" if info.units == "km" else "miles (mi)"),
        ("Weekly running before the pain",
         data.distance(info.baseline_weekly_m) if info.baseline_weekly_m is not None
         else "not given"),
    ]
    if first_week and last_week:
        rows.append(("Mean pain, first → last 7 days",
                     f"{sum(first_week) / len(first_week):.1f} → "
                     f"{sum(last_week) / len(last_week):.1f} (0–10)"))
    if pains:
        rows.append(("Highest pain logged", f"{max(pains)} of 10"))
    rows += report_outcomes.summary_rows(data.episode.logs, info.start,
                                         max(data.today, info.start))
    rows.append(("Notes", info.notes or "none"))
    body = "".join(f"<tr><th width='34%'>{_e(k)}</th><td>{_e(v)}</td></tr>" for k, v in rows)
    return ("<h2>Episode</h2><table width='100%' cellspacing='0' cellpadding='3' border='1'>"
            f"{body}</table>")


def _current_html(data: ReportData, status: engine.DayStatus) -> str:
    try:
        phase_plan = data.content.plan.phase(status.phase)
        summary = phase_plan.summary
        prescription = phase_plan.prescription_for(max(1, status.phase_day)).label
    except (KeyError, ValueError):
        summary, prescription = "", ""
    parts = [f"<h2>Current phase: {_e(_phase_line(data, status))}</h2>"]
    if status.paused:
        parts.append("<p><b>The plan is paused by a red flag</b> until a clinician clears the "
                     "runner.</p>")
    if summary:
        parts.append(f"<p>{_e(summary)}</p>")
    if prescription:
        parts.append(f"<p><b>Today's prescription:</b> {_e(prescription)}.</p>")
    if status.phase != "full" and not status.paused:
        gate = [r for r in status.reasons if r.rule.startswith("G")]
        missing = [r for r in gate if not r.ok]
        if gate and not missing:
            parts.append("<p><b>Ready to advance:</b> every condition of the phase is met.</p>")
        elif missing:
            items = "".join(f"<li>{_e(r.detail)}</li>" for r in missing)
            parts.append(f"<p><b>Still needed before the next phase:</b></p><ul>{items}</ul>")
    warnings = [g.detail for g in status.warnings]
    notices = list(status.notices)
    if warnings or notices:
        items = "".join(f"<li>{_e(w)}</li>" for w in warnings + notices)
        parts.append(f"<p><b>Warnings on {_e(_date(status.day))}:</b></p><ul>{items}</ul>")
    return "".join(parts)


def history_table(data: ReportData) -> LongTable:
    """The phase history: the start, then every move with the engine's own reasons."""
    since = data.period_start
    rows = [("", (_date(data.episode.info.start), "Began", data.phase_name("rest"),
                  "The episode starts in Rest."))] if since == data.episode.start else []
    for h in data.history:
        if h.day < since:
            continue
        if h.event in ("advance", "regression"):
            move = f"{data.phase_name(h.phase)} → {data.phase_name(h.next_phase)}"
        else:
            move = data.phase_name(h.phase)
        what = _EVENT_WORDS.get(h.event, "Advance ignored")
        rows.append(("", (_date(h.day), what, move, "\n".join(h.sentences))))
    return LongTable(
        title="Phase history",
        note="A phase change takes effect the day after the date shown; a pause on the day "
             "itself. The reasons are the plan's own words.",
        head=("Date", "What happened", "Phase", "Why"), widths=(13, 15, 20, 52),
        right_aligned=frozenset(), rows=tuple(rows), new_page=True)


def _flags_html(data: ReportData) -> str:
    flags = data.content.red_flags
    clearances = {a.day: a.note for a in data.episode.actions if a.kind == "clearance"}
    statuses = {s.day: s for s in data.timeline}
    rows: list[str] = []
    days = sorted({d for d, log in data.episode.logs.items() if log.red_flags}
                  | set(clearances))
    for day in days:
        log = data.episode.logs.get(day)
        if log is not None and log.red_flags:
            words = []
            for flag in sorted(log.red_flags):
                info = flags.get(flag)
                label = info.label if info else flag
                urgency = _TIER_WORDS.get(info.tier if info else "", "see a clinician soon")
                words.append(f"{_e(label)} <span class='muted'>({urgency})</span>")
            status = statuses.get(day)
            outcome = "plan paused" if status is not None and status.paused else ""
            rows.append(_row(_e(_date(day)), "Red flag", "<br>".join(words), _e(outcome)))
        if day in clearances:
            status = statuses.get(day)
            held = status is not None and status.event == "clearance"
            rows.append(_row(_e(_date(day)), "Clearance",
                             f"<span class='note'>“{_e(clearances[day])}”</span> "
                             "<span class='muted'>(self-reported by the runner)</span>",
                             "pause lifted" if held
                             else "hold lifted" if status is not None
                             and status.event == "hold_cleared"
                             else "not applied (no pause or hold to lift)"))
    if not rows:
        return "<h2>Red flags and clearances</h2><p>No red flag has been logged.</p>"
    return ("<h2>Red flags and clearances</h2>"
            + _table(("Date", "Entry", "Details", "Effect"), rows, (13, 12, 55, 20)))


_TIER_WORDS = {"emergency": "emergency: seek care now", "urgent": "urgent: see a doctor today",
               "soon": "see a clinician soon"}
"""The three red-flag tiers of DESIGN §4 as the report names them."""

_LADDER_WORDS = {"up": "Stage up", "down": "Stage down", "passed": "Ladder passed",
                 "layoff": "Layoff (a week without a run)", "setback": "Setback"}


def _screen_and_ladder_html(data: ReportData) -> str:
    """The risk screen's answers, ready-to-run tests, the ladder's history (§4.1, §5.3)."""
    statuses = {s.day: s for s in data.timeline}
    risks = data.content.risks
    parts = ["<h2>Risk screen</h2>"]
    rows = []
    for action in data.episode.actions:
        if action.kind != "screen":
            continue
        yes = [risks[r].question if r in risks else r for r in sorted(action.risks)]
        answers = ("Yes to: " + "<br>".join(_e(q) for q in yes)) if yes else \
            "No to every question"
        status = statuses.get(action.day)
        effect = ("plan paused" if status is not None and status.event == "pause" and action.risks
                  else "running on hold until a clinician's check"
                  if status is not None and status.event == "hold" else "none")
        rows.append(_row(_e(_date(action.day)), answers, _e(effect)))
    parts.append(_table(("Date", "Answers", "Effect"), rows, (13, 62, 25)) if rows
                 else "<p>The risk screen has not been answered.</p>")
    parts.append("<h2>Ready-to-run tests</h2>")
    tests = [a.day for a in data.episode.actions if a.kind == "ready"]
    if tests:
        items = "".join(f"<li>{_e(_date(d))}: passed (self-reported: all six checks without "
                        "pain above 2, and the next morning no more than 1 point worse)</li>"
                        for d in tests)
        parts.append(f"<ul>{items}</ul>")
    else:
        parts.append("<p>No ready-to-run test has been recorded.</p>")
    parts.append("<h2>Walk–run ladder</h2>")
    parts.append("<p class='small muted'>Clearances and ready-to-run tests are self-reported "
                 "by the runner. The thresholds (pain scores, days, stages) are the app's rules, "
                 "drawn from expert opinion and published studies; they are not validated "
                 "cut-offs.</p>")
    rows = []
    for status in data.timeline:
        move = status.ladder if status.ladder != "hold" else None
        if status.event == "setback":
            move = "setback"
        if move is None:
            continue
        said = [r.detail for r in status.reasons if r.rule in ("ladder", "setback", "layoff")]
        stage = "passed" if status.run_stage_done else str(status.run_stage or "–")
        rows.append(_row(_e(_date(status.day)), _e(_LADDER_WORDS.get(move, move)), _e(stage),
                         "<br>".join(_e(s) for s in said)))
    parts.append(_table(("Date", "What happened", "Stage", "Why"), rows, (13, 17, 8, 62))
                 if rows else "<p>The walk–run ladder has not begun.</p>")
    return "".join(parts)


def _adherence_html(data: ReportData) -> str:
    last = max(data.today, data.episode.info.start)
    week = last - datetime.timedelta(days=6)
    month = last - datetime.timedelta(days=27)
    seven: dict[str, int] = {}
    twenty_eight: dict[str, int] = {}
    for day, counts in data.exercises_done.items():
        for exercise_id, count in counts.items():
            if count <= 0:
                continue
            if month <= day <= last:
                twenty_eight[exercise_id] = twenty_eight.get(exercise_id, 0) + 1
            if week <= day <= last:
                seven[exercise_id] = seven.get(exercise_id, 0) + 1
    if not twenty_eight:
        return ("<h2>Exercises</h2><p>No exercise has been marked done in the last 28 days."
                "</p>")
    order = sorted(twenty_eight, key=lambda i: (-twenty_eight[i], -seven.get(i, 0),
                                                data.exercise_names.get(i, i).casefold()))
    rows = [_row(_e(data.exercise_names.get(i, i.replace("_", " "))),
                 f"{seven.get(i, 0)} of 7", f"{twenty_eight[i]} of 28",
                 classes=("", "n", "n")) for i in order]
    head = ("Exercise", "Days done, last 7", "Days done, last 28")
    return ("<h2>Exercises</h2><p class='small muted'>Days on which each exercise was marked "
            f"done, up to {_e(_date(last))}.</p>" + _table(head, rows, (56, 22, 22)))


def _activity_words(data: ReportData, activity: Activity) -> str:
    text = describe_activity(activity, data.units)
    if activity.pain is not None:
        text += f" (pain {activity.pain})"
    return text


@dataclasses.dataclass(frozen=True, slots=True)
class LongTable:
    """A table too long for QTextDocument: the PDF lays it out page by page itself.

    Cells are plain text ("\\n" breaks a line). Rows come in groups (a month): a group's
    label is a band above its first row, repeated with "(continued)" atop a page.
    """

    title: str
    note: str
    head: tuple[str, ...]
    widths: tuple[int, ...]
    """Column widths in percent of the page's width."""
    right_aligned: frozenset[int]
    rows: tuple[tuple[str, tuple[str, ...]], ...]
    """(group label, cells) in reading order."""
    new_page: bool = False
    """Begin on a page of its own when what comes before fills exactly one page."""


def daily_table(data: ReportData) -> LongTable:
    """Every daily entry (and every day with only activities), newest first, by month."""
    by_day: dict[datetime.date, list[Activity]] = {}
    for activity in data.episode.activities:
        by_day.setdefault(activity.day, []).append(activity)
    statuses = {s.day: s for s in data.timeline}
    flag_labels = data.content.red_flags
    rows: list[tuple[str, tuple[str, ...]]] = []
    since = data.period_start
    for day in sorted(set(data.episode.logs) | set(by_day), reverse=True):
        if day < since:
            break
        log: DayLog | None = data.episode.logs.get(day)
        status = statuses.get(day)
        phase = (f"{data.phase_name(status.phase)} {status.phase_day}"
                 + (" (paused)" if status.paused else "")) if status else words.NOTHING
        acts = "\n".join(_activity_words(data, a) for a in by_day.get(day, []))
        flags = ", ".join(flag_labels[f].label if f in flag_labels else f
                          for f in sorted(log.red_flags)) if log else ""
        pain_activity = None
        if log is not None:  # as Episode.pain_activity, without its scan of every activity
            pain_activity = log.pain_activity
            if pain_activity is None:
                pains = [a.pain for a in by_day.get(day, []) if a.pain is not None]
                pain_activity = max(pains) if pains else None
        rows.append((words.month_text(day), (
            words.date_text(day, weekday=True, year=day.year != data.today.year),
            phase, _pain(log.pain if log else None), _pain(pain_activity),
            _pain(log.pain_morning if log else None), _pain(log.leg_pain if log else None),
            _pain(log.stiffness_min if log else None), acts or words.NOTHING,
            flags or words.NOTHING, log.notes if log and log.notes else "")))
    return LongTable(
        title="Daily entries, newest first",
        note="Pain 0 (none) to 10 (worst imaginable): overall that day (Pain), the worst "
             "during activity (Activ.) and on waking (Wake); leg pain on its own 0–10 scale "
             "(Leg); minutes of stiffness after getting up (Stiff); “–” means not given.",
        head=("Date", "Phase, day", "Pain", "Activ.", "Wake", "Leg", "Stiff", "Activities",
              "Red flags", "Notes"),
        widths=(11, 10, 6, 7, 7, 5, 6, 18, 10, 20), right_aligned=frozenset({2, 3, 4, 5, 6}),
        rows=tuple(rows))
