"""The shipped plan and red-flag content, and the loader's refusal of broken content."""

from __future__ import annotations

import importlib.resources
import pathlib
import re
import subprocess
import sys

import pytest

from recoverydesk.core.model import PHASES, RED_FLAGS, RISKS
from recoverydesk.core.plan import (
    TEXT_KEYS,
    Content,
    ContentError,
    Prescription,
    exercise_ids_named,
    load_content,
)
from recoverydesk.core.rules import Rules

KNOWN_EXERCISES = frozenset({
    "knee_to_chest", "pelvic_tilt", "pelvic_clock", "cat_cow", "standing_torso_rotation",
    "hamstring_stretch_standing", "hamstring_stretch_lying", "hip_flexor_stretch",
    "piriformis_stretch", "quadriceps_stretch", "butterfly_stretch", "calf_stretch",
    "glute_bridge", "single_leg_glute_bridge", "bird_dog", "dead_bug", "plank", "side_plank",
    "clamshell", "side_lying_leg_raise", "back_extension", "single_leg_balance",
    "single_leg_squat", "leg_swings", "walking_lunges", "cadence_drill", "swimming", "cycling",
    "elliptical", "yoga", "pilates", "brisk_walking",
})
FILES = ("plan.toml", "red_flags.toml", "texts.toml", "risk_screen.toml")
NAMES = {"rest": "Rest", "walk": "Walk", "low_impact": "Low-impact", "run": "Return to run",
         "full": "Full training"}


@pytest.fixture(scope="module")
def content() -> Content:
    return load_content()


# --- the shipped content --------------------------------------------------------------------

def test_shipped_content_loads_every_phase_in_order(content: Content) -> None:
    assert tuple(content.plan.phases) == PHASES
    assert [p.id for p in content.plan] == list(PHASES)
    for phase_id, name in NAMES.items():
        assert content.plan.name(phase_id) == name
        assert content.plan.phase(phase_id).id == phase_id


def test_shipped_content_is_cached() -> None:
    assert load_content() is load_content()


@pytest.mark.parametrize("phase_id", PHASES)
def test_every_phase_has_its_texts_and_a_short_checklist(content: Content, phase_id: str) -> None:
    phase = content.plan.phase(phase_id)
    assert len(phase.summary) > 100 and len(phase.advance_hint) > 40
    assert 3 <= len(phase.checklist) <= 6
    ids = [item.id for item in phase.checklist]
    assert len(set(ids)) == len(ids)
    assert all(re.fullmatch(r"[a-z][a-z0-9_]*", i) for i in ids)
    assert all(item.text for item in phase.checklist)
    assert phase.checklist_item(ids[0]) is phase.checklist[0]
    with pytest.raises(KeyError):
        phase.checklist_item("no_such_item")


@pytest.mark.parametrize("phase_id", PHASES)
def test_prescriptions_cover_every_day_without_gaps(content: Content, phase_id: str) -> None:
    phase = content.plan.phase(phase_id)
    min_days = Rules().min_days.get(phase_id, 0)
    # Day by day at least up to the minimum, then one repeating entry for the days after.
    explicit_until = max((p.last_day or 0) for p in phase.prescriptions)
    assert explicit_until >= min_days
    assert phase.prescriptions[-1].last_day is None
    previous_first = 0
    for day in range(1, min_days + 11):
        prescription = phase.prescription_for(day)
        assert prescription.covers(day)
        assert prescription.first_day >= previous_first
        previous_first = prescription.first_day
        assert 0 < len(prescription.label) <= 32
        assert prescription.exercises
    assert phase.prescription_for(10_000) is phase.prescriptions[-1]


def test_prescription_days_outside_a_phase_are_refused(content: Content) -> None:
    with pytest.raises(ValueError, match="from 1"):
        content.plan.phase("walk").prescription_for(0)


def test_walks_grow_from_about_10_to_30_minutes(content: Content) -> None:
    walk = content.plan.phase("walk")
    minutes = [int(re.search(r"(\d+) min", walk.prescription_for(d).label)[1])  # type: ignore[index]
               for d in range(1, 12)]
    assert minutes[0] == 10 and minutes[-1] == 30
    assert minutes == sorted(minutes)


def test_run_phase_alternates_runs_and_mentions_cadence(content: Content) -> None:
    run = content.plan.phase("run")
    labels = [run.prescription_for(d).label for d in range(1, 8)]
    assert [label.startswith("run") for label in labels] == [True, False] * 3 + [True]
    assert labels[0] == "run 1 min / walk 2 min × 6"
    words = " ".join([run.summary, *(i.text for i in run.checklist)])
    # DESIGN §5.3: a small rise from the runner's own cadence; 170–180 only as a typical range,
    # and the evidence named for what it measured (knee and hip, not the back).
    assert "5 % quicker than your usual cadence" in words
    assert "typical range, not a target" in words
    assert "Heiderscheit" in words and "knee and hip" in words
    assert any("20 min" in p.label for p in run.prescriptions)


def test_full_phase_builds_back_from_about_half_the_usual_week(content: Content) -> None:
    """DESIGN §5.4: back towards the usual week from about half of it; the 10 % is a guide,
    not a proven limit. The summary must not say the runner is already back to usual."""
    full = content.plan.phase("full")
    words = " ".join([full.summary, *(i.text for i in full.checklist)])
    assert "half" in words and "10 %" in full.summary and "not a proven limit" in full.summary
    assert "back to your usual training" not in words.casefold()


def test_heat_and_ice_always_come_with_their_safety_note(content: Content) -> None:
    """Wherever heat or ice is advised: a cloth between skin and pack, no heat on numb skin,
    no sleeping on a heat pad, and the 15–20 minute limit."""
    rest = content.plan.phase("rest")
    places = [rest.summary, rest.checklist_item("heat_or_ice").text,
              content.texts["heat_ice_hint"]]
    for text in places:
        flat = " ".join(text.split())
        assert "cloth between" in flat and "numb" in flat and "sleep" in flat, text
        assert "15–20" in flat, text


def test_every_named_exercise_is_in_the_library_list(content: Content) -> None:
    named = exercise_ids_named(content.plan)
    assert named <= KNOWN_EXERCISES, sorted(named - KNOWN_EXERCISES)
    assert {"knee_to_chest", "glute_bridge", "plank", "cadence_drill"} <= named


@pytest.mark.parametrize("flag_id", RED_FLAGS)
def test_every_red_flag_has_its_texts(content: Content, flag_id: str) -> None:
    flag = content.red_flags[flag_id]
    assert flag.id == flag_id
    assert flag.label and flag.explanation and flag.advice
    assert flag.urgency == TIERS[flag_id]
    if flag.urgency == "emergency":
        assert "now" in flag.advice
    elif flag.urgency == "urgent":
        assert "today" in flag.advice
    else:
        assert "within a week or so" in flag.advice


# DESIGN §4's table: the tier of each id.
TIERS = {**dict.fromkeys(("bladder_bowel", "saddle_numbness", "sexual_function", "both_legs",
                          "major_trauma", "chest_pain"), "emergency"),
         **dict.fromkeys(("weakness", "fever", "trauma", "lump"), "urgent"),
         **dict.fromkeys(("numbness", "radiating_pain", "constant_pain", "bone_stress"), "soon")}


def test_risk_screen_has_every_question_with_its_level(content: Content) -> None:
    assert tuple(content.risks) == RISKS
    levels = {r.id: r.level for r in content.risks.values()}
    assert {k for k, v in levels.items() if v == "check_first"} == {
        "cancer_history", "weight_loss", "immune"}
    assert all(r.question.endswith("?") and r.why for r in content.risks.values())
    assert content.screen_intro.startswith("This doesn't mean something is wrong")


def test_ladder_stages_are_the_design_table(content: Content) -> None:
    assert content.plan.ladder_minutes == (18, 20, 25, 25, 28, 27, 26, 15, 20)


def test_red_flags_keep_the_model_order(content: Content) -> None:
    assert tuple(content.red_flags) == RED_FLAGS


def test_loose_texts_are_all_there(content: Content) -> None:
    assert tuple(content.texts) == TEXT_KEYS
    assert all(content.texts[key] for key in TEXT_KEYS)
    disclaimer = content.texts["disclaimer"]
    assert "not medical advice" in disclaimer and "diagnose" in disclaimer
    assert "\n\n" in disclaimer  # paragraphs survive
    assert "emergency" in content.texts["banner_emergency"]


def test_shipped_folder_and_explicit_root_load_the_same(tmp_path: pathlib.Path) -> None:
    root = _copy(tmp_path)
    assert load_content(str(root)) == load_content(root)
    assert load_content(root).plan == load_content().plan


def test_plan_module_does_not_import_qt() -> None:
    code = ("import sys, recoverydesk.core.plan as p; p.load_content(); "
            "sys.exit('PySide6' in sys.modules)")
    assert subprocess.run([sys.executable, "-c", code], check=False).returncode == 0


def test_prescription_days_round_trip() -> None:
    assert Prescription(1, 1, "x").days == "1"
    assert Prescription(2, 3, "x").days == "2-3"
    assert Prescription(8, None, "x").days == "8+"


# --- broken content -------------------------------------------------------------------------

def _copy(tmp_path: pathlib.Path) -> pathlib.Path:
    source = importlib.resources.files("recoverydesk.resources")
    root = tmp_path / "resources"
    root.mkdir()
    for name in FILES:
        (root / name).write_bytes((source / name).read_bytes())
    return root


def _section(text: str, header: str) -> tuple[int, int]:
    """Start and end of a phase's or red flag's part of a file: from its header to the next."""
    start = text.index(f"\n[{header}]\n")
    following = re.search(r"\n\[(?!\[)(?!" + re.escape(header) + r"\])", text[start + 1:])
    return start, (start + 1 + following.start()) if following else len(text)


def _edit(root: pathlib.Path, file: str, old: str, new: str, *, within: str | None = None,
          count: int = 1) -> None:
    path = root / file
    text = path.read_text(encoding="utf-8")
    start, end = _section(text, within) if within else (0, len(text))
    part = text[start:end]
    assert part.count(old) >= count, f"{old!r} not in {file} {within or ''}"
    path.write_text(text[:start] + part.replace(old, new, count) + text[end:], encoding="utf-8")


BROKEN = [
    pytest.param("plan.toml", 'text = "Glute bridges"\n', "", "walk",
                 "plan.toml: phase 'walk' checklist item 2: 'text' is missing", "text",
                 id="missing-field"),
    pytest.param("plan.toml", 'summary = """', 'summery = """', "rest",
                 "phase 'rest': unknown key 'summery'", "summery", id="misspelt-field"),
    pytest.param("plan.toml", 'advance_hint = """', 'colour = "red"\nadvance_hint = """', "run",
                 "plan.toml: phase 'run': unknown key 'colour'", "colour", id="unknown-key"),
    pytest.param("plan.toml", 'id = "dead_bug"', 'id = "bird_dog"', "walk",
                 "phase 'walk' checklist item 4: 'id' 'bird_dog' is already used by item 3",
                 "id", id="duplicate-id"),
    pytest.param("plan.toml", 'id = "dead_bug"', 'id = "Dead bug"', "walk",
                 "checklist item 4: 'id' is 'Dead bug'; it must be snake_case", "id",
                 id="id-not-snake-case"),
    pytest.param("plan.toml", 'exercise = "plank"', 'exercise = 3', "low_impact",
                 "phase 'low_impact' checklist item 2: 'exercise' must be text", "exercise",
                 id="exercise-not-text"),
    pytest.param("plan.toml", 'exercise = "plank"', 'exercise = "plank"\nreps = 3', "low_impact",
                 "phase 'low_impact' checklist item 2: unknown key 'reps'", "reps",
                 id="unknown-key-in-item"),
    pytest.param("plan.toml", 'days = "3"', 'days = "4"', "walk",
                 "phase 'walk' prescription entry 3: 'days' is '4', leaving day 3 without",
                 "days", id="gap-in-prescriptions"),
    pytest.param("plan.toml", 'days = "3"', 'days = "2-3"', "walk",
                 "phase 'walk' prescription entry 3: 'days' is '2-3', overlapping", "days",
                 id="overlap-in-prescriptions"),
    pytest.param("plan.toml", 'days = "1"', 'days = "2"', "walk",
                 "phase 'walk' prescription entry 1: 'days' starts on day 2", "days",
                 id="not-from-day-1"),
    pytest.param("plan.toml", 'days = "5+"', 'days = "5-9"', "walk",
                 "phase 'walk' prescription entry 5: the last entry must be open-ended", "days",
                 id="no-open-end"),
    pytest.param("plan.toml", 'days = "4"', 'days = "4+"', "walk",
                 "phase 'walk' prescription entry 5: comes after an open-ended entry", "days",
                 id="open-end-too-early"),
    pytest.param("plan.toml", 'days = "3"', 'days = "three"', "walk",
                 "prescription entry 3: 'days' is 'three'; it must be text such as", "days",
                 id="days-not-a-range"),
    pytest.param("plan.toml", 'days = "1-7"', 'days = "7-1"', "full",
                 "phase 'full' prescription entry 1: 'days' is '7-1'", "days",
                 id="days-backwards"),
    pytest.param("plan.toml", 'label = "walk 20 min"', 'label = "walk 20 minutes, then ' +
                 'stretch for ten more"', "walk",
                 "prescription entry 3: 'label' 'walk 20 minutes, then stretch for ten more' is",
                 "label", id="label-too-long"),
    pytest.param("plan.toml", 'exercises = ["swimming", "plank", ', 'exercises = ["swimming", '
                 '"swimming", ', "low_impact",
                 "phase 'low_impact' prescription entry 5: 'exercises' names 'swimming' twice",
                 "exercises", id="exercise-twice"),
    pytest.param("plan.toml", 'exercises = ["leg_swings", "cadence_drill", "calf_stretch"]\n',
                 "", "run", "phase 'run' prescription entry 1: 'exercises' is missing",
                 "exercises", id="exercises-missing"),
    pytest.param("plan.toml", "[full]\n", "[sprint]\nname = 'Sprint'\n\n[full]\n", None,
                 "plan.toml: unknown phase 'sprint'", "sprint", id="unknown-phase"),
    pytest.param("plan.toml", 'name = "Walk"', 'name = ""', "walk",
                 "plan.toml: phase 'walk': 'name' is empty", "name", id="empty-name"),
    pytest.param("plan.toml", 'name = "Walk"', 'name = "Walk"\nname = "Stroll"', "walk",
                 "plan.toml: not valid TOML", None, id="malformed-toml"),
    pytest.param("plan.toml", "[[walk.checklist]]", "[[walk.checklist]", None,
                 "plan.toml: not valid TOML", None, id="malformed-header"),
    pytest.param("red_flags.toml", 'urgency = "urgent"', 'urgency = "later"', "fever",
                 "red_flags.toml: red flag 'fever': 'urgency' is 'later'; it must be one of "
                 "emergency, urgent, soon", "urgency", id="bad-urgency"),
    pytest.param("red_flags.toml", 'label = "Pain shooting down one leg below the knee"\n', "",
                 "radiating_pain",
                 "red_flags.toml: red flag 'radiating_pain': 'label' is missing", "label",
                 id="flag-field-missing"),
    pytest.param("red_flags.toml", "[trauma]", "[accident]", None,
                 "red_flags.toml: unknown key 'accident'", "accident", id="unknown-flag"),
    pytest.param("red_flags.toml", 'urgency = "urgent"',
                 'urgency = "urgent"\nseverity = 3', "trauma",
                 "red_flags.toml: red flag 'trauma': unknown key 'severity'", "severity",
                 id="unknown-key-in-flag"),
    pytest.param("red_flags.toml", 'banner_soon = """', 'banner_later = """', None,
                 "red_flags.toml: unknown key 'banner_later'", "banner_later",
                 id="unknown-top-level-text"),
    pytest.param("red_flags.toml", 'not_improving = """', 'not_improving = 5\nx = """', None,
                 "red_flags.toml: unknown key 'x'", "x", id="unknown-after-bad-text"),
    pytest.param("texts.toml", 'about = """', 'aboot = """', None,
                 "texts.toml: top level: unknown key 'aboot'", "aboot", id="texts-unknown-key"),
    pytest.param("texts.toml", 'about = """', 'about = "', None,
                 "texts.toml: not valid TOML", None, id="texts-malformed"),
]


@pytest.mark.parametrize(("file", "old", "new", "within", "message", "field"), BROKEN)
def test_broken_content_is_refused_naming_file_and_field(
        tmp_path: pathlib.Path, file: str, old: str, new: str, within: str | None,
        message: str, field: str | None) -> None:
    root = _copy(tmp_path)
    load_content(root)  # the unedited copy is fine
    _edit(root, file, old, new, within=within)
    with pytest.raises(ContentError) as raised:
        load_content(root)
    assert str(raised.value).startswith(f"{file}: ")
    assert message in str(raised.value)
    assert raised.value.file == file
    assert raised.value.field == field


def test_a_missing_phase_is_named(tmp_path: pathlib.Path) -> None:
    root = _copy(tmp_path)
    text = (root / "plan.toml").read_text(encoding="utf-8")
    start, end = _section(text, "low_impact")
    (root / "plan.toml").write_text(text[:start] + text[end:], encoding="utf-8")
    with pytest.raises(ContentError, match=r"^plan\.toml: phase 'low_impact' is missing$"):
        load_content(root)


def test_a_missing_red_flag_is_named(tmp_path: pathlib.Path) -> None:
    root = _copy(tmp_path)
    text = (root / "red_flags.toml").read_text(encoding="utf-8")
    start, end = _section(text, "fever")
    (root / "red_flags.toml").write_text(text[:start] + text[end:], encoding="utf-8")
    with pytest.raises(ContentError, match=r"^red_flags\.toml: red flag 'fever' is missing$"):
        load_content(root)


def test_a_missing_text_is_named(tmp_path: pathlib.Path) -> None:
    root = _copy(tmp_path)
    text = (root / "red_flags.toml").read_text(encoding="utf-8")
    start = text.index("banner_soon")
    end = text.index("not_improving")
    (root / "red_flags.toml").write_text(text[:start] + text[end:], encoding="utf-8")
    with pytest.raises(ContentError, match="red_flags.toml: top level: 'banner_soon' is missing"):
        load_content(root)


@pytest.mark.parametrize("file", FILES)
def test_a_missing_file_is_named(tmp_path: pathlib.Path, file: str) -> None:
    root = _copy(tmp_path)
    (root / file).unlink()
    with pytest.raises(ContentError, match=rf"^{re.escape(file)}: the file is missing$"):
        load_content(root)


def test_a_file_that_is_not_utf8_is_named(tmp_path: pathlib.Path) -> None:
    root = _copy(tmp_path)
    (root / "texts.toml").write_bytes(b'about = "caf\xe9"\ndisclaimer = "x"\n')
    with pytest.raises(ContentError, match=r"^texts\.toml: not UTF-8 text"):
        load_content(root)


def test_a_checklist_that_is_not_a_list_of_tables_is_named(tmp_path: pathlib.Path) -> None:
    root = _copy(tmp_path)
    text = (root / "plan.toml").read_text(encoding="utf-8")
    text = re.sub(r"\[\[rest\.checklist\]\]\n(?:.+\n)+\n", "", text)
    assert "[[rest.checklist]]" not in text
    text = text.replace('name = "Rest"\n', 'name = "Rest"\nchecklist = ["rest"]\n')
    (root / "plan.toml").write_text(text, encoding="utf-8")
    with pytest.raises(ContentError, match=r"phase 'rest': 'checklist' must be a list of tables"):
        load_content(root)
