"""Words for the engine's verdicts, from resources/engine.toml (DESIGN.md §5.1).

The engine returns rule ids, cases and figures; this module is the one place that turns them
into sentences, so the CLI, Today and the report print the same words and a change of wording
is a change of data. Phase names, red-flag labels and risk questions come from the loaded
content (resources/plan.toml, red_flags.toml, risk_screen.toml).
"""

from __future__ import annotations

import datetime
import functools
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from recoverydesk.core import shipped, words

if TYPE_CHECKING:
    from recoverydesk.core.engine import Caution, Notice, RuleResult


@functools.cache
def templates() -> Mapping[str, Mapping[str, str]]:
    """The shipped sentences, by rule id and case."""
    return shipped.read_toml("engine.toml")


def day_words(day: datetime.date) -> str:
    """A date as a runner says it: "12 May" (core/words.py formats every date)."""
    return words.date_text(day, year=False, long=True)


@functools.cache
def _content() -> Any:
    from recoverydesk.core.plan import load_content
    return load_content()


def phase_name(phase: str) -> str:
    """The readable name of a phase id, from the plan ("low_impact" → "Low-impact")."""
    try:
        return str(_content().plan.name(phase))
    except Exception:  # noqa: BLE001 - damaged content must not hide the engine's answer
        return phase


def _flag_label(flag: str) -> str:
    try:
        return str(_content().red_flags[flag].label).lower()
    except Exception:  # noqa: BLE001
        return flag


def _risk_label(risk: str) -> str:
    try:
        return str(_content().risks[risk].short)
    except Exception:  # noqa: BLE001
        return risk


def _and(items: list[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


class _Facts(dict[str, Any]):
    def __missing__(self, key: str) -> str:
        return ""


def _words(facts: Mapping[str, Any]) -> _Facts:
    """The figures of a verdict as the sentences print them."""
    units = str(facts.get("units", "km"))
    out = _Facts()
    for key, value in facts.items():
        if isinstance(value, datetime.date):
            out[key] = day_words(value)
        elif key in ("phase", "next"):
            out[key] = phase_name(str(value))
        elif key in ("scores", "over"):
            out[key] = _and([f"{s} on {day_words(d)}" for d, s in value])
        elif key == "missing":
            out[key] = _and([day_words(d) for d in value])
        elif key == "mornings":
            out[key] = " → ".join("–" if m is None else str(m) for m in value)
        elif key == "red_flags":
            out[key] = _and([_flag_label(f) for f in sorted(value)])
        elif key == "risks":
            out[key] = _and([_risk_label(r) for r in sorted(value)])
        elif key in ("metres", "longest", "prior", "guide"):
            out[key] = words.distance_text(float(value), units)
        elif key in ("mean", "first", "earlier") and isinstance(value, float):
            out[key] = f"{value:.1f}"
        elif key == "morning" and value is None:
            out[key] = "not given"
        else:
            out[key] = value
    for key in ("days", "needed", "left", "weeks", "stages"):
        value = facts.get(key)
        if isinstance(value, int):
            out[key + "_days"] = words.count_text(value, "day")
    if "factor" in facts:
        out["factor_pct"] = round((float(facts["factor"]) - 1) * 100)
    reason = []
    if facts.get("red_flags"):
        reason.append(f"a red flag ({out['red_flags']})")
    if facts.get("risks"):
        reason.append(f"the risk screen ({out['risks']})")
    out["reason"] = " and ".join(reason) or "a red flag"
    return out


def _hold_reason(facts: Mapping[str, Any]) -> str:
    cases = templates().get("ladder_hold", {})
    values = _words(facts)
    if facts.get("up_yesterday"):
        key = "stepped"
    elif facts.get("morning") is None:
        key = "no_morning"
    elif not facts.get("done", True):
        key = "short"
    elif facts.get("pain", 0) > 3:
        key = "pain"
    else:
        key = "morning"
    return cases.get(key, "").format_map(values)


def describe(result: RuleResult) -> str:
    """The sentence for one rule's verdict."""
    text = templates().get(result.rule, {}).get(result.why)
    if text is None:
        return f"{result.rule}: {result.why}"
    values = _words(result.facts)
    if result.rule == "ladder" and result.why == "hold":
        values["hold_reason"] = _hold_reason(result.facts)
    return text.format_map(values)


def describe_caution(caution: Caution) -> str:
    text = templates().get("caution", {}).get(caution.id, caution.id)
    values = _words(caution.facts)
    values["value_pct"] = round((caution.value - 1) * 100)
    return text.format_map(values)


def describe_notice(notice: Notice) -> str:
    text = templates().get("notice", {}).get(notice.id, notice.id)
    return text.format_map(_words(notice.facts))
