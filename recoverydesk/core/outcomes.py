"""Words for the body map and the PSFS, and what the body map suggests (DESIGN.md §3, §3.1).

The names of the body-map regions and the sentences around the PSFS are content
(``resources/outcomes.toml``), checked once when first read: every region id of
:data:`~recoverydesk.core.model.BODY_SITES` must have a name and unknown keys are refused.
"""

from __future__ import annotations

import functools
import types
from collections.abc import Iterable, Mapping

from recoverydesk.core import shipped
from recoverydesk.core.model import BODY_SITES, below_knee
from recoverydesk.core.plan import ContentError

FILE = "outcomes.toml"
TEXT_KEYS: tuple[str, ...] = (
    "suggest_one_leg", "suggest_both_legs", "psfs_intro", "psfs_prompt", "psfs_prompt_hint",
    "psfs_rename_note", "psfs_credit",
)
ONE_LEG_FLAG = "radiating_pain"
"""The red flag pain below one knee points at ("pain shooting down one leg")."""
BOTH_LEGS_FLAG = "both_legs"
"""The emergency flag pain below both knees points at (engine v2)."""


def suggested_flag(sites: Iterable[str]) -> str | None:
    """The red flag the body map points at, never ticks: one leg below the knee →
    ``radiating_pain``; both → ``both_legs``; otherwise none."""
    legs = below_knee(sites)
    return BOTH_LEGS_FLAG if legs == 2 else ONE_LEG_FLAG if legs == 1 else None


@functools.cache
def site_names() -> Mapping[str, str]:
    """{region id: the name a person reads}, in BODY_SITES order."""
    return types.MappingProxyType(_load()[0])


@functools.cache
def texts() -> Mapping[str, str]:
    """The loose sentences of outcomes.toml by key (TEXT_KEYS)."""
    return types.MappingProxyType(_load()[1])


@functools.cache
def _load() -> tuple[dict[str, str], dict[str, str]]:
    raw = shipped.read_toml(FILE)
    return _parse(raw)


def _parse(raw: Mapping[str, object]) -> tuple[dict[str, str], dict[str, str]]:
    unknown = sorted(set(raw) - {"sites", "texts"})
    if unknown:
        raise ContentError(FILE, f"unknown table {unknown[0]!r}; allowed: sites, texts")
    sites = _strings(raw.get("sites"), "sites", BODY_SITES)
    words = _strings(raw.get("texts"), "texts", TEXT_KEYS)
    return {k: sites[k] for k in BODY_SITES}, {k: words[k] for k in TEXT_KEYS}


def _strings(table: object, where: str, keys: tuple[str, ...]) -> dict[str, str]:
    if not isinstance(table, dict):
        raise ContentError(FILE, f"[{where}] is missing")
    for key in table:
        if key not in keys:
            raise ContentError(FILE, f"[{where}] unknown key {key!r}; allowed: {', '.join(keys)}")
    for key in keys:
        value = table.get(key)
        if not isinstance(value, str) or not value.strip():
            raise ContentError(FILE, f"[{where}] {key} must be a non-empty text")
    return dict(table)
