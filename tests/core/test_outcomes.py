"""Leg pain, stiffness, the body map's sites and the PSFS at the core (DESIGN §3, §3.1)."""

from __future__ import annotations

import datetime as dt

import pytest

from recoverydesk.core import psfs
from recoverydesk.core.model import BODY_SITES, DayLog, ValidationError, validate_day
from recoverydesk.core.outcomes import site_names, suggested_flag, texts

TODAY = dt.date(2026, 3, 20)
DAY = dt.date(2026, 3, 2)


@pytest.mark.parametrize(("field", "value", "words"), [
    ("leg_pain", 11, "from 0 to 10 or empty"),
    ("leg_pain", -1, "from 0 to 10 or empty"),
    ("stiffness_min", 241, "from 0 to 240 or empty"),
    ("stiffness_min", 2.5, "from 0 to 240 or empty"),
])
def test_out_of_range_values_are_refused_naming_field_and_range(field, value, words) -> None:
    log = DayLog(DAY, 3, **{field: value})
    with pytest.raises(ValidationError, match=field) as caught:
        validate_day(log, TODAY)
    assert words in str(caught.value)


def test_unknown_site_is_refused_listing_the_known_ids() -> None:
    with pytest.raises(ValidationError) as caught:
        validate_day(DayLog(DAY, 3, pain_sites=frozenset({"left_calf"})), TODAY)
    message = str(caught.value)
    assert "pain_sites" in message and "left_calf" in message
    assert all(site in message for site in BODY_SITES)


def test_full_entry_with_the_new_fields_is_accepted() -> None:
    validate_day(DayLog(DAY, 3, leg_pain=0, stiffness_min=240,
                        pain_sites=frozenset(BODY_SITES)), TODAY)


@pytest.mark.parametrize(("sites", "flag"), [
    (set(), None),
    ({"low_back_left", "thigh_left"}, None),
    ({"below_knee_left"}, "radiating_pain"),
    ({"below_knee_right", "buttock_right"}, "radiating_pain"),
    ({"below_knee_left", "below_knee_right"}, "both_legs"),
])
def test_body_map_points_at_the_right_flag(sites, flag) -> None:
    assert suggested_flag(sites) == flag


def test_every_region_and_text_has_words() -> None:
    assert list(site_names()) == list(BODY_SITES)
    assert texts()["psfs_prompt"] == "How are these going?"
    assert "Stratford" in texts()["psfs_credit"]


def _scores(day: dt.date, **by_id: int) -> list[psfs.PsfsScore]:
    return [psfs.PsfsScore(day, int(k[1:]), v) for k, v in by_id.items()]


W1, W2 = dt.date(2026, 3, 1), dt.date(2026, 3, 8)


def test_change_is_over_the_activities_scored_both_weeks() -> None:
    # activity 3 was renamed into 4 in week 2: neither counts in the comparison
    scores = _scores(W1, a1=2, a2=4, a3=0) + _scores(W2, a1=3, a2=6, a4=9)
    change = psfs.compare(scores, W1, W2)
    assert change is not None
    assert change.mean_before == 3 and change.mean_after == 4.5
    assert dict(change.items) == {1: 1, 2: 2}
    assert not change.meaningful  # 1.5 in the mean, at most 2 in one activity


@pytest.mark.parametrize(("after", "meaningful"), [
    ({"a1": 4, "a2": 6}, True),     # mean up 2
    ({"a1": 5, "a2": 4}, True),     # one activity up 3
    ({"a1": 4, "a2": 5}, False),    # mean up 1.5, items 2 and 1
    ({"a1": 0, "a2": 4}, False),    # mean down 1
])
def test_change_thresholds(after, meaningful) -> None:
    scores = _scores(W1, a1=2, a2=4) + _scores(W2, **after)
    change = psfs.compare(scores, W1, W2)
    assert change is not None and change.meaningful is meaningful


def test_week_mean() -> None:
    assert psfs.mean({1: 3, 2: 4, 3: 8}) == 5
    assert psfs.mean({}) is None


def test_prompt_is_due_a_week_after_the_last_scores() -> None:
    acts = [psfs.PsfsActivity("run 5 km", W1, id=1), psfs.PsfsActivity("sit", W1, id=2)]
    scores = _scores(W1, a1=3, a2=4)
    assert not psfs.prompt_due(acts, scores, W1 + dt.timedelta(days=6))
    assert psfs.prompt_due(acts, scores, W1 + dt.timedelta(days=7))
    assert psfs.prompt_due(acts, [], W1)  # never scored: ask now
    assert not psfs.prompt_due([], [], W1)  # nothing named: nothing to ask
    retired = [dataclass_replace(a, retired=True) for a in acts]
    assert not psfs.prompt_due(retired, scores, W2)


def dataclass_replace(obj, **changes):
    import dataclasses
    return dataclasses.replace(obj, **changes)


@pytest.mark.parametrize(("text", "expected"), [
    ("run 5 km easy=4", ("run 5 km easy", 4)),
    ("  lift  my child = 10", ("lift my child", 10)),
    ("a=b=0", ("a=b", 0)),
])
def test_score_option_is_read(text, expected) -> None:
    assert psfs.parse_score(text) == expected


@pytest.mark.parametrize(("text", "field"), [
    ("run=11", "score"), ("run=x", "score"), ("=3", "score"), ("run", "score"),
])
def test_bad_score_option_is_refused(text, field) -> None:
    with pytest.raises(ValidationError, match=field):
        psfs.parse_score(text)


def test_score_range_and_name_length() -> None:
    with pytest.raises(ValidationError, match="from 0 to 10"):
        psfs.validate_score(psfs.PsfsScore(W1, 1, 11), TODAY)
    with pytest.raises(ValidationError, match="activity"):
        psfs.clean_name("x" * (psfs.MAX_NAME + 1))
    with pytest.raises(ValidationError, match="at most 5"):
        psfs.check_active_count(6)
