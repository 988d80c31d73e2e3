"""Time a full engine replay over a 10-year history (DESIGN.md §10: ≤ 10 ms).

Run: ``.venv/bin/python benchmarks/bench_engine.py [--runs N]``. Builds a synthetic episode in
memory (no store, fixed random seed): 3,650 daily entries, about 2,500 activities, a few red
flags with clearances, flares that step the plan back (and ladder setbacks), the ready-to-run
tests passed in Low-impact, a risk screen, and the advances a runner would have asked for.
Prints the median replay time against the target.
"""

from __future__ import annotations

import argparse
import datetime
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from results import record  # noqa: E402

from recoverydesk.core.engine import DayStatus, replay  # noqa: E402
from recoverydesk.core.model import (  # noqa: E402
    PHASES,
    Action,
    Activity,
    DayLog,
    Episode,
    EpisodeInfo,
)
from recoverydesk.core.rules import Rules  # noqa: E402

TARGET_MS = 10.0
YEARS_DAYS = 3650


def synthetic_episode(seed: int = 2026, *, stress: bool = False) -> Episode:
    """A 10-year episode, the same on every run (fixed seed).

    The realistic one recovers in a few weeks and then trains for years with the odd flare
    (a step back to Return to run) and a couple of red flags with clearances. ``stress=True``
    keeps pain flaring so the plan keeps falling back into the gated phases, where every day
    evaluates all of G1–G5 with dated sentences: the engine's worst case.
    """
    rng = random.Random(seed)
    start = datetime.date(2016, 3, 1)
    logs: dict[datetime.date, DayLog] = {}
    activities: list[Activity] = []
    actions: list[Action] = []
    pain_level = 6.0
    flare_chance = 0.02 if stress else 0.002
    morning_noise = (2, 6, 1) if stress else (1, 60, 1)
    session_pain = (60, 30, 9, 1) if stress else (70, 28, 2, 0.1)
    clear_on = -1
    for i in range(YEARS_DAYS):
        day = start + datetime.timedelta(days=i)
        pain_level = max(0.5, pain_level * 0.93) if rng.random() > flare_chance else 6.0
        pain = min(10, max(0, round(pain_level + rng.gauss(0, 0.6 if stress else 0.3))))
        morning = min(10, max(0, pain + rng.choices((-1, 0, 1), morning_noise)[0]))
        flags: frozenset[str] = frozenset()
        if rng.random() < (0.004 if stress else 0.0008):
            flags = frozenset({rng.choice(("numbness", "radiating_pain", "fever"))})
            clear_on = i + rng.randint(2, 6)
        if i == clear_on:
            actions.append(Action(day, "clearance", "seen by GP, cleared"))
        kind = None
        if stress:
            if rng.random() < 0.70:
                kind = rng.choices(("run", "walk", "cycle", "swim", "yoga"), (6, 2, 1, 1, 1))[0]
        elif day.weekday() in (1, 3, 5, 6):  # a runner's week: four runs, a long one on Sunday
            kind = "run"
        elif rng.random() < 0.25:
            kind = rng.choice(("walk", "cycle", "swim", "yoga"))
        if kind is not None:
            if kind != "run":
                distance = rng.uniform(1000, 20000)
            elif stress:
                distance = max(1000.0, rng.gauss(8000, 1500))
            else:
                distance = rng.gauss(14000 if day.weekday() == 6 else 8000, 700)
            act_pain = min(10, max(0, pain + rng.choices((0, 1, 2, 4), session_pain)[0]))
            activities.append(Activity(day, kind, round(distance, 1), round(distance / 3.0),
                                       act_pain))
        logs[day] = DayLog(day, pain, None, morning, flags)
    actions.append(Action(start, "screen"))  # the first-run risk screen, all "no"
    # A ready-to-run test passed on every third day spent in Low-impact, and an advance on the
    # first day the gate opens each time: found by replaying until nothing changes.
    auto = Rules(auto_advance=True)
    last = start + datetime.timedelta(days=YEARS_DAYS - 1)
    ready: set[datetime.date] = set()
    for _ in range(6):
        episode = Episode(EpisodeInfo(start), logs, tuple(activities),
                          tuple(actions) + tuple(Action(d, "ready") for d in sorted(ready)))
        more = {s.day for s in replay(episode, auto, last)
                if s.phase == "low_impact" and s.phase_day % 3 == 0}
        if more <= ready:
            break
        ready |= more
    advances = [Action(s.day, "advance") for s in replay(episode, auto, last)
                if s.event == "advance"]
    return Episode(episode.info, logs, tuple(activities),
                   episode.actions + tuple(advances))


def measure(episode: Episode, runs: int) -> tuple[float, float, float, list[DayStatus]]:
    """Median and best wall time and median CPU time in ms over ``runs`` replays.

    CPU time (this process only) is printed too because a busy machine (tests running next
    to the benchmark) inflates wall time without the replay doing any more work.
    """
    rules = Rules()
    last = episode.start + datetime.timedelta(days=YEARS_DAYS - 1)
    days = replay(episode, rules, last)
    wall, cpu = [], []
    for _ in range(runs):
        c0, t0 = time.process_time(), time.perf_counter()
        replay(episode, rules, last)
        wall.append((time.perf_counter() - t0) * 1000)
        cpu.append((time.process_time() - c0) * 1000)
    return statistics.median(wall), min(wall), statistics.median(cpu), days


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=21)
    args = parser.parse_args()
    print(f"{'measure':<36}{'median':>10}{'best':>10}{'cpu':>10}{'target':>10}  verdict")
    for label, stress in (("replay 10 years, realistic", False),
                          ("replay 10 years, stress (info)", True)):
        episode = synthetic_episode(stress=stress)
        median, best, cpu, days = measure(episode, args.runs)
        target = "" if stress else f"{TARGET_MS:>8.1f}ms"
        verdict = "" if stress else ("ok" if median <= TARGET_MS else "OVER")
        print(f"{label:<36}{median:>8.2f}ms{best:>8.2f}ms{cpu:>8.2f}ms{target:>10}  {verdict}")
        if not stress:
            record("replay the engine over 10 years", median, "ms", f"≤ {TARGET_MS:g} ms",
                   median <= TARGET_MS, note=f"CPU {cpu:.1f} ms, best {best:.1f} ms")
        phases = {p: sum(1 for d in days if d.phase == p) for p in PHASES}
        events = {e: sum(1 for d in days if d.event == e)
                  for e in ("advance", "regression", "setback", "pause", "clearance")}
        print(f"    {len(episode.logs)} entries, {len(episode.activities)} activities; days per "
              "phase " + ", ".join(f"{k} {v}" for k, v in phases.items()) + "; "
              + ", ".join(f"{k} {v}" for k, v in events.items()))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
