"""The figures every benchmark hands to ``make bench``'s closing table (``summary.py``).

Each ``bench_*.py`` still prints its own detail; :func:`record` also appends one line of JSON
per figure to the file named by ``RECOVERYDESK_BENCH_RESULTS`` (the Makefile sets it), and
does nothing when the variable is unset (a benchmark run on its own).
"""

from __future__ import annotations

import json
import os


def record(measure: str, value: float, unit: str, target: str, ok: bool | None,
           ratio: float | None = None, note: str = "") -> None:
    """One row of the table: ``ok`` None for a figure without a target (reported only)."""
    path = os.environ.get("RECOVERYDESK_BENCH_RESULTS")
    if not path:
        return
    row = {"measure": measure, "value": value, "unit": unit, "target": target, "ok": ok,
           "ratio": ratio, "note": note}
    with open(path, "a", encoding="utf-8") as out:
        out.write(json.dumps(row) + "\n")
