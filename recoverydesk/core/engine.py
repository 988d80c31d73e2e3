"""The phase engine: a pure replay of an episode, day by day (DESIGN.md §5.1).

API CONTRACT (implementation pending; the helper filling this in keeps these names):

- ``replay(episode, rules, until) -> list[DayStatus]``: one status per day from
  ``episode.start`` to ``until`` inclusive (empty if until < start).
- ``status_on(episode, rules, day) -> DayStatus``: the status of one day (replays up to it).
- ``check_advance(episode, rules, day, today) -> Decision``: would an advance asked on ``day``
  be accepted? ``Decision.accepted`` and ``Decision.reasons`` (every failing rule when refused).
- ``check_clearance(episode, rules, day, today) -> Decision``: refused when not paused on ``day``.
- ``DayStatus.to_json()`` gives the §9 ``status --json`` record.
"""

from __future__ import annotations

import dataclasses
import datetime
from typing import Any

from recoverydesk.core.load import Guard


@dataclasses.dataclass(frozen=True, slots=True)
class RuleResult:
    """One rule's verdict on one day, with words for the runner.

    Attributes:
        rule: The rule id: ``pause``, ``clearance``, ``R1``–``R3``, ``G1``–``G5``, ``advance``.
        ok: Whether the rule held (for gate rules: passed; for R-rules: True means no regression).
        detail: A sentence with the numbers in it, e.g. "Pain was 4 on 12 May; it must be 3 or
            less on three days in a row".
    """

    rule: str
    ok: bool
    detail: str

    def to_json(self) -> dict[str, Any]:
        return {"rule": self.rule, "ok": self.ok, "detail": self.detail}


@dataclasses.dataclass(frozen=True, slots=True)
class DayStatus:
    """What the engine says about one day (§9 ``status --json``).

    Attributes:
        event: What moved on this day, if anything: ``pause``, ``clearance``, ``regression``,
            ``advance`` (accepted advance), or None.
        ignored_advance: A stored advance on this day whose gate no longer holds.
        guards: Mileage guard figures (only on ``run``/``full`` days); warnings are those with
            ``warn``.
        notices: "See a clinician" notices (§5.1), as sentences.
    """

    day: datetime.date
    phase: str
    phase_day: int
    paused: bool
    can_advance: bool
    next_phase: str
    reasons: tuple[RuleResult, ...]
    logged: bool = False
    event: str | None = None
    ignored_advance: bool = False
    guards: tuple[Guard, ...] = ()
    notices: tuple[str, ...] = ()

    @property
    def warnings(self) -> tuple[Guard, ...]:
        return tuple(g for g in self.guards if g.warn)

    def to_json(self) -> dict[str, Any]:
        return {
            "date": self.day.isoformat(),
            "phase": self.phase,
            "phase_day": self.phase_day,
            "paused": self.paused,
            "can_advance": self.can_advance,
            "next_phase": self.next_phase,
            "reasons": [r.to_json() for r in self.reasons],
            "warnings": [g.to_json() for g in self.warnings],
            "guards": [g.to_json() for g in self.guards],
            "event": self.event,
            "ignored_advance": self.ignored_advance,
            "notices": list(self.notices),
            "logged": self.logged,
        }


@dataclasses.dataclass(frozen=True, slots=True)
class Decision:
    """The answer to a request (advance, clearance): accepted or not, and why."""

    accepted: bool
    reasons: tuple[RuleResult, ...]
