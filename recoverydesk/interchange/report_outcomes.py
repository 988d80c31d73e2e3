"""The clinician report's outcome sections, Qt-free (DESIGN.md §3, §3.1, §7).

- two summary rows: leg pain and morning stiffness, mean of the first against the last 7 days
  (days with a value only);
- **Function (PSFS)**: a chart (drawn by the renderer from :func:`psfs_series`) and a table
  of each activity's weekly scores with the weekly mean; a renamed activity is a new row and
  a retired one keeps its scores;
- **Where it hurt**: the body-map regions marked most often, and the first day pain was marked
  below a knee (which leg, and whether both).
"""

from __future__ import annotations

import datetime
import html
from collections.abc import Mapping, Sequence

from recoverydesk.core import psfs, words
from recoverydesk.core.model import BELOW_KNEE_SITES, DayLog
from recoverydesk.core.outcome_notices import logged_mean
from recoverydesk.core.outcomes import site_names, texts

PSFS_CHART_URL = "chart://psfs"


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


def _date(day: datetime.date) -> str:
    return words.date_text(day, long=True)


def summary_rows(logs: Mapping[datetime.date, DayLog], start: datetime.date,
                 last: datetime.date) -> list[tuple[str, str]]:
    """("Mean leg pain, first → last 7 days", "4.1 → 0.3 (0–10)") and the stiffness row."""
    first = [logs.get(start + datetime.timedelta(days=k)) for k in range(7)]
    recent = [logs.get(last - datetime.timedelta(days=k)) for k in range(7)]
    rows = []
    for label, field, unit in (("Mean leg pain, first → last 7 days", "leg_pain", " (0–10)"),
                               ("Morning stiffness, first → last 7 days", "stiffness_min",
                                " minutes")):
        a = logged_mean([getattr(log, field) for log in first if log is not None])
        b = logged_mean([getattr(log, field) for log in recent if log is not None])
        if a is not None and b is not None:
            rows.append((label, f"{a:.1f} → {b:.1f}{unit}"))
        elif a is not None or b is not None:
            rows.append((label, f"{a if a is not None else b:.1f}{unit} (one week only)"))
    return rows


def psfs_series(activities: Sequence[psfs.PsfsActivity], scores: Sequence[psfs.PsfsScore],
                ) -> tuple[list[datetime.date], list[float], dict[str, list[int | None]]]:
    """The scored days, each day's mean, and each activity's score per day (None: not
    scored), keyed by the activity's name as the report shows it."""
    days = psfs.by_day(scores)
    dates = list(days)
    means = [psfs.mean(w) or 0.0 for w in days.values()]
    lines: dict[str, list[int | None]] = {}
    for activity in activities:
        row = [days[d].get(activity.id) if activity.id is not None else None for d in dates]
        if any(v is not None for v in row):
            lines[activity.name + (" (retired)" if activity.retired else "")] = row
    return dates, means, lines


def psfs_html(activities: Sequence[psfs.PsfsActivity], scores: Sequence[psfs.PsfsScore],
              chart_size: tuple[float, float], *, new_page: bool = True) -> str:
    """The "Function (PSFS)" section: what it is, the chart, the table of weekly scores.
    With ``new_page`` (and scores to show) it starts a page, so its chart and table stay
    together."""
    style = " style='page-break-before: always'" if new_page and scores else ""
    head = f"<h2{style}>Function (PSFS)</h2>"
    dates, means, lines = psfs_series(activities, scores)
    if not dates:
        return head + "<p>No function scores have been recorded.</p>"
    first = psfs.compare(scores, dates[0], dates[-1]) if len(dates) > 1 else None
    parts = [head, "<p class='small muted'>The runner's own activities, each scored 0 (unable) "
             "to 10 (as before the pain), about once a week; the score is their mean. A change "
             f"of {psfs.MEAN_CHANGE:g} points in the mean, or {psfs.ITEM_CHANGE} in one "
             "activity, is beyond measurement noise. A renamed activity counts as a new one. "
             f"{_e(texts()['psfs_credit'])}</p>"]
    if first is not None:
        verdict = ("beyond measurement noise" if first.meaningful
                   else "within measurement noise")
        parts.append(f"<p>Mean {first.mean_before:.1f} on {_e(_date(dates[0]))} → "
                     f"{first.mean_after:.1f} on {_e(_date(dates[-1]))} over the activities "
                     f"scored both times: {first.delta:+.1f} points, {verdict}.</p>")
    width, height = chart_size
    parts.append(f"<p><img src='{PSFS_CHART_URL}' width='{width:.0f}' "
                 f"height='{height:.0f}'></p>")
    shown = dates[-8:]  # the last eight weeks fit a page's width
    offset = len(dates) - len(shown)
    cols = "".join(f"<th class='n'>{_e(f'{d.day} {d:%b}')}</th>" for d in shown)
    rows = []
    for name, values in lines.items():
        cells = "".join(f"<td class='n'>{'–' if v is None else v}</td>"
                        for v in values[offset:])
        rows.append(f"<tr><td>{_e(name)}</td>{cells}</tr>")
    mean_cells = "".join(f"<td class='n'><b>{m:.1f}</b></td>" for m in means[offset:])
    rows.append(f"<tr><td><b>Mean</b></td>{mean_cells}</tr>")
    note = (f"<p class='small muted'>The last {len(shown)} of {len(dates)} scored weeks.</p>"
            if offset else "")
    parts.append("<table width='100%' cellspacing='0' cellpadding='3' border='1'>"
                 f"<thead><tr><th>Activity</th>{cols}</tr></thead>"
                 f"<tbody>{''.join(rows)}</tbody></table>{note}")
    return "".join(parts)


def sites_html(logs: Mapping[datetime.date, DayLog]) -> str:
    """The "Where it hurt" section: regions marked most often, and when pain first reached
    below the knee."""
    head = "<h2>Where it hurt</h2>"
    marked = {d: log.pain_sites for d, log in logs.items() if log.pain_sites}
    if not marked:
        return head + "<p>No place has been marked on the body map.</p>"
    names = site_names()
    counts: dict[str, int] = {}
    for sites in marked.values():
        for site in sites:
            counts[site] = counts.get(site, 0) + 1
    ranked = sorted(counts.items(), key=lambda kv: (-kv[1], list(names).index(kv[0])))
    logged = len(logs)
    rows = "".join(f"<tr><td>{_e(names[s])}</td><td class='n'>{n}</td>"
                   f"<td class='n'>{100 * n / logged:.0f} %</td></tr>" for s, n in ranked)
    parts = [head, f"<p class='small muted'>Body-map regions marked, over {logged} logged "
             "days, most often first.</p>",
             "<table width='100%' cellspacing='0' cellpadding='3' border='1'><thead><tr>"
             "<th>Region</th><th class='n'>Days marked</th><th class='n'>Share of logged "
             f"days</th></tr></thead><tbody>{rows}</tbody></table>"]
    below = sorted(d for d, sites in marked.items() if sites & BELOW_KNEE_SITES)
    if below:
        first = below[0]
        legs = marked[first] & BELOW_KNEE_SITES
        which = ("both legs" if len(legs) == 2 else
                 "the left leg" if "below_knee_left" in legs else "the right leg")
        last = below[-1]
        both = sorted(d for d, sites in marked.items() if BELOW_KNEE_SITES <= sites)
        text = (f"Pain first reached below the knee on {_e(_date(first))} ({which}); marked "
                f"below a knee on {len(below)} days, last on {_e(_date(last))}.")
        if both:
            text += f" Below both knees on {len(both)} days, first on {_e(_date(both[0]))}."
        parts.append(f"<p><b>{text}</b></p>")
    else:
        parts.append("<p>Pain was never marked below the knee.</p>")
    return "".join(parts)
