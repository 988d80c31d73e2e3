"""The closing table of ``make bench``: every DESIGN §10 figure, its target and the ratio.

Run by the Makefile after the ``bench_*.py`` scripts, which append their figures to the
file named by ``RECOVERYDESK_BENCH_RESULTS`` (``results.record``). Prints one Markdown table
(paste it into the README) with the date, the machine's CPUs and its load average.
"""

from __future__ import annotations

import datetime
import json
import os
import sys

ORDER = ("start-up", "first opening of the Charts", "replay", "save a day", "redraw",
         "calendar", "import 100 FIT", "memory", "report", "import a Strava archive")
"""DESIGN §10's order of the figures (by the start of each measure's name)."""


def _place(row: dict) -> int:
    return next((i for i, start in enumerate(ORDER) if row["measure"].startswith(start)),
                len(ORDER))


def main(path: str) -> int:
    with open(path, encoding="utf-8") as results:
        rows = [json.loads(line) for line in results if line.strip()]
    rows.sort(key=_place)
    load = os.getloadavg()
    print(f"\n## DESIGN §10 figures, {datetime.date.today().isoformat()}, {os.cpu_count()} CPUs, "
          f"load average {load[0]:.1f} / {load[1]:.1f} / {load[2]:.1f} (1 / 5 / 15 min)\n")
    print("| measure | figure | target | × bare window | verdict | note |")
    print("|---|---|---|---|---|---|")
    for row in rows:
        value = row["value"]
        figure = f"{value:.2f} {row['unit']}" if value < 10 else f"{value:.0f} {row['unit']}"
        ratio = "" if row["ratio"] is None else f"{row['ratio']:.2f}"
        verdict = {True: "ok", False: "MISSED", None: ""}[row["ok"]]
        print(f"| {row['measure']} | {figure} | {row['target']} | {ratio} | {verdict} "
              f"| {row['note']} |")
    missed = sum(1 for row in rows if row["ok"] is False)
    print(f"\n{len(rows)} figures, {missed} missed.")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1]))
