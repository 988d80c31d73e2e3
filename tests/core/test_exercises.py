"""The exercise library: the shipped content, the queries the Exercises view makes, and the
refusal of broken content with a message that names the file and the field."""

from __future__ import annotations

import re
import shutil
import tomllib
from importlib.resources import files
from pathlib import Path

import pytest

from recoverydesk.core import exercises
from recoverydesk.core.exercises import (
    CATEGORIES,
    TARGETS,
    Dose,
    Exercise,
    ExerciseContentError,
    load_library,
)
from recoverydesk.core.model import PHASES
from recoverydesk.core.plan import ContentError, exercise_ids_named, load_content

IDS = {
    "knee_to_chest", "pelvic_tilt", "pelvic_clock", "cat_cow", "standing_torso_rotation",
    "hamstring_stretch_standing", "hamstring_stretch_lying", "hip_flexor_stretch",
    "piriformis_stretch", "quadriceps_stretch", "butterfly_stretch", "calf_stretch",
    "glute_bridge", "single_leg_glute_bridge", "bird_dog", "dead_bug", "plank", "side_plank",
    "clamshell", "side_lying_leg_raise", "back_extension", "single_leg_balance",
    "single_leg_squat", "leg_swings", "walking_lunges", "cadence_drill", "swimming", "cycling",
    "elliptical", "yoga", "pilates", "brisk_walking",
}
SHIPPED = Path(str(files("recoverydesk.resources")))

GOOD = """\
id = "wall_sit"
name = "Wall sit"
phases = ["low_impact", "run"]
category = "strength"
targets = ["quadriceps", "glutes"]
muscles = ["quadriceps"]
equipment = ["wall"]
illustration = "wall_sit.svg"
steps = ["Stand with your back to a wall.", "Slide down a little.", "Hold, then stand up."]
cues = ["Keep the knees over the ankles."]
cautions = ["Stop if the knees hurt."]

[dose.low_impact]
hold_s = 20
reps = 3

[dose.run]
sets = 2
reps = 10
rest_s = 30
"""
SVG = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 240 160"><path d="M0 0H1"/></svg>'


@pytest.fixture(scope="module")
def library() -> exercises.Library:
    return load_library()


def make_root(tmp_path: Path, text: str = GOOD, name: str = "wall_sit.toml",
              svg: str | None = SVG) -> Path:
    (tmp_path / "exercises").mkdir()
    (tmp_path / "illustrations").mkdir()
    (tmp_path / "exercises" / name).write_text(text, encoding="utf-8")
    if svg is not None:
        (tmp_path / "illustrations" / "wall_sit.svg").write_text(svg, encoding="utf-8")
    return tmp_path


def refused(tmp_path: Path, text: str, field: str | None, *, name: str = "wall_sit.toml",
            svg: str | None = SVG) -> ExerciseContentError:
    root = make_root(tmp_path, text, name, svg)
    with pytest.raises(ExerciseContentError) as caught:
        load_library(root)
    error = caught.value
    assert str(error).startswith(f"exercises/{name}"), str(error)
    assert error.file == f"exercises/{name}"
    assert error.field == field
    if field is not None:
        assert f"'{field}'" in str(error)
    return error


# --- the shipped library --------------------------------------------------------------------

def test_shipped_library_has_exactly_the_planned_ids(library: exercises.Library) -> None:
    assert {e.id for e in library.all()} == IDS
    assert library.ids() == IDS
    assert len(library) == 32


def test_default_library_is_loaded_once(library: exercises.Library) -> None:
    assert load_library() is library


@pytest.mark.parametrize("phase", PHASES)
def test_each_phase_has_at_least_three_exercises(library: exercises.Library, phase: str) -> None:
    assert len(library.filter(phase=phase)) >= 3


def test_design_examples_sit_in_their_phases(library: exercises.Library) -> None:
    """DESIGN §2 names these exercises for these phases."""
    expected = {
        "rest": {"knee_to_chest", "pelvic_tilt", "cat_cow"},
        "walk": {"glute_bridge", "bird_dog", "dead_bug", "hamstring_stretch_standing",
                 "hip_flexor_stretch", "brisk_walking"},
        "low_impact": {"swimming", "cycling", "elliptical", "yoga", "pilates", "plank",
                       "side_plank", "clamshell", "side_lying_leg_raise"},
        "run": {"cadence_drill", "leg_swings", "glute_bridge"},
    }
    for phase, ids in expected.items():
        assert ids <= {e.id for e in library.filter(phase=phase)}, phase


def test_every_shipped_exercise_is_consistent(library: exercises.Library) -> None:
    for e in library.all():
        assert e.category in CATEGORIES
        assert set(e.targets) <= set(TARGETS)
        assert tuple(e.doses) == e.phases
        assert 3 <= len(e.steps) <= 6 and 1 <= len(e.cues) <= 4 and 1 <= len(e.cautions) <= 4
        assert e.illustration == f"{e.id}.svg"
        assert library.illustration_path(e).is_file()


def test_shipped_illustrations_are_small_text_free_svgs(library: exercises.Library) -> None:
    for e in library.all():
        text = library.illustration_path(e).read_text(encoding="utf-8")
        assert len(text.encode()) < 4096, e.id
        assert 'viewBox="0 0 240 160"' in text, e.id
        assert "<text" not in text, e.id


def test_library_order_follows_the_plan(library: exercises.Library) -> None:
    first_phases = [PHASES.index(e.phases[0]) for e in library.all()]
    assert first_phases == sorted(first_phases)
    assert library.all()[0].phases[0] == "rest"


# --- queries --------------------------------------------------------------------------------

def test_filter_by_phase_and_target_narrows(library: exercises.Library) -> None:
    rest = library.filter(phase="rest")
    rest_back = library.filter(phase="rest", target="lower_back")
    assert set(rest_back) <= set(rest) < set(library.all())
    assert all("rest" in e.phases and "lower_back" in e.targets for e in rest_back)
    calves = library.filter(target="calves")
    assert {"calf_stretch", "cadence_drill"} <= {e.id for e in calves}
    assert all("calves" in e.targets for e in calves)
    assert library.filter() == library.all()


def test_search_by_name_ignores_case_and_spacing(library: exercises.Library) -> None:
    assert {e.id for e in library.filter(text="BRIDGE")} == {
        "glute_bridge", "single_leg_glute_bridge"}
    assert {e.id for e in library.filter(text="  hamstring  ")} == {
        "hamstring_stretch_standing", "hamstring_stretch_lying"}
    assert {e.id for e in library.filter(phase="low_impact", text="bridge")} == {
        "glute_bridge", "single_leg_glute_bridge"}
    assert library.filter(phase="rest", text="bridge") == ()
    assert library.filter(text="no such exercise") == ()


def test_filter_refuses_unknown_phase_or_target(library: exercises.Library) -> None:
    with pytest.raises(ValueError, match="phase"):
        library.filter(phase="sprint")
    with pytest.raises(ValueError, match="target"):
        library.filter(target="shoulders")


def test_get_and_contains(library: exercises.Library) -> None:
    plank = library.get("plank")
    assert plank.name == "Plank"
    assert "plank" in library and "wall_sit" not in library
    with pytest.raises(KeyError, match="wall_sit"):
        library.get("wall_sit")


def test_dose_for_describes_the_phase_dose(library: exercises.Library) -> None:
    bridge = library.get("glute_bridge")
    assert bridge.dose_for("walk") == Dose(sets=2, reps=10, rest_s=30)
    assert bridge.dose_for("walk").describe() == "2 × 10"  # type: ignore[union-attr]
    assert bridge.dose_for("rest") is None
    plank = library.get("plank").dose_for("low_impact")
    assert plank is not None and plank.describe() == "hold 20 s × 3" and plank.kind == "hold"
    swim = library.get("swimming").dose_for("low_impact")
    assert swim is not None and swim.describe() == "20 min" and swim.kind == "minutes"


@pytest.mark.parametrize(("dose", "words", "kind"), [
    (Dose(sets=3, reps=10), "3 × 10", "reps"),
    (Dose(hold_s=20, reps=3, rest_s=30), "hold 20 s × 3", "hold"),
    (Dose(hold_s=45, reps=1), "hold 45 s", "hold"),
    (Dose(minutes=20), "20 min", "minutes"),
])
def test_dose_describe(dose: Dose, words: str, kind: str) -> None:
    assert dose.describe() == words
    assert dose.kind == kind


def test_exercises_are_frozen_and_hashable(library: exercises.Library) -> None:
    plank = library.get("plank")
    assert hash(plank) == hash(library.get("plank"))
    with pytest.raises(AttributeError):
        plank.name = "Other"  # type: ignore[misc]
    with pytest.raises(TypeError):
        plank.doses["walk"] = Dose(minutes=1)  # type: ignore[index]


def test_a_copy_of_the_shipped_content_loads_from_a_folder(tmp_path: Path) -> None:
    shutil.copytree(SHIPPED / "exercises", tmp_path / "exercises")
    shutil.copytree(SHIPPED / "illustrations", tmp_path / "illustrations")
    copy = load_library(tmp_path)
    assert copy.ids() == IDS
    assert copy.illustration_path(copy.get("plank")) == tmp_path / "illustrations" / "plank.svg"
    assert load_library(str(tmp_path)).ids() == IDS


# --- broken content -------------------------------------------------------------------------

def test_good_sample_loads(tmp_path: Path) -> None:
    library = load_library(make_root(tmp_path))
    wall_sit = library.get("wall_sit")
    assert isinstance(wall_sit, Exercise)
    assert wall_sit.phases == ("low_impact", "run")
    assert wall_sit.dose_for("run") == Dose(sets=2, reps=10, rest_s=30)


def without(field: str) -> str:
    return "\n".join(line for line in GOOD.splitlines() if not line.startswith(f"{field} ="))


def replaced(old: str, new: str) -> str:
    assert old in GOOD
    return GOOD.replace(old, new)


@pytest.mark.parametrize("field", ["name", "phases", "category", "targets", "muscles",
                                   "equipment", "steps", "cues", "cautions", "illustration"])
def test_missing_field_is_refused(tmp_path: Path, field: str) -> None:
    error = refused(tmp_path, without(field), field)
    assert "missing" in str(error)


def test_missing_dose_table_is_refused(tmp_path: Path) -> None:
    text = GOOD.split("[dose.low_impact]")[0]
    refused(tmp_path, text, "dose")


def test_unknown_key_is_refused(tmp_path: Path) -> None:
    error = refused(tmp_path, 'difficulty = "easy"\n' + GOOD, "difficulty")
    assert "not a known field" in str(error)


def test_id_must_equal_file_name(tmp_path: Path) -> None:
    error = refused(tmp_path, GOOD, "id", name="wall_squat.toml")
    assert "wall_squat" in str(error)


def test_too_many_steps_is_refused(tmp_path: Path) -> None:
    steps = ", ".join(f'"Step {i}."' for i in range(7))
    text = re.sub(r"^steps = .*$", f"steps = [{steps}]", GOOD, flags=re.M)
    error = refused(tmp_path, text, "steps")
    assert str(error) == "exercises/wall_sit.toml: 'steps' must have 3 to 6 items (has 7)"


@pytest.mark.parametrize(("old", "new", "field"), [
    ('steps = ["Stand with your back to a wall.", ', 'steps = [', "steps"),
    ('cues = ["Keep the knees over the ankles."]', "cues = []", "cues"),
    ('cautions = ["Stop if the knees hurt."]', 'cautions = ["", "Stop."]', "cautions"),
    ('phases = ["low_impact", "run"]', 'phases = ["low_impact", "sprint"]', "phases"),
    ('phases = ["low_impact", "run"]', "phases = []", "phases"),
    ('category = "strength"', 'category = "cardio_strength"', "category"),
    ('targets = ["quadriceps", "glutes"]', 'targets = ["shoulders"]', "targets"),
    ('targets = ["quadriceps", "glutes"]', 'targets = ["glutes", "glutes"]', "targets"),
    ('muscles = ["quadriceps"]', 'muscles = "quadriceps"', "muscles"),
    ('name = "Wall sit"', "name = 3", "name"),
])
def test_bad_field_values_are_refused(tmp_path: Path, old: str, new: str, field: str) -> None:
    refused(tmp_path, replaced(old, new), field)


@pytest.mark.parametrize(("old", "new", "field"), [
    ("hold_s = 20\nreps = 3", "hold_s = 20\nminutes = 3", "dose.low_impact"),
    ("hold_s = 20\nreps = 3", "sets = 2\nreps = 3\nhold_s = 20", "dose.low_impact"),
    ("hold_s = 20\nreps = 3", "reps = 3", "dose.low_impact"),
    ("hold_s = 20\nreps = 3", "minutes = 10\nrest_s = 30", "dose.low_impact"),
    ("hold_s = 20", "hold_s = 2000", "dose.low_impact.hold_s"),
    ("hold_s = 20", "hold_s = 2", "dose.low_impact.hold_s"),
    ("hold_s = 20", "hold_s = 20.5", "dose.low_impact.hold_s"),
    ("sets = 2", "sets = 0", "dose.run.sets"),
    ("sets = 2", "sets = 11", "dose.run.sets"),
    ("reps = 10", "reps = 51", "dose.run.reps"),
    ("reps = 10", "reps = true", "dose.run.reps"),
    ("rest_s = 30", "rest_s = -5", "dose.run.rest_s"),
    ("[dose.run]\nsets = 2\nreps = 10\nrest_s = 30\n", "", "dose.run"),
    ("[dose.run]", "[dose.full]\nminutes = 10\n\n[dose.run]", "dose.full"),
])
def test_bad_dose_is_refused(tmp_path: Path, old: str, new: str, field: str) -> None:
    refused(tmp_path, replaced(old, new), field)


def test_minutes_range_is_checked(tmp_path: Path) -> None:
    text = replaced("hold_s = 20\nreps = 3", "minutes = 121")
    refused(tmp_path, text, "dose.low_impact.minutes")


def test_missing_illustration_is_refused(tmp_path: Path) -> None:
    error = refused(tmp_path, GOOD, "illustration", svg=None)
    assert "illustrations/wall_sit.svg" in str(error)


@pytest.mark.parametrize("svg", ["<svg><path></svg>", "<html/>", "not xml at all"])
def test_broken_illustration_is_refused(tmp_path: Path, svg: str) -> None:
    refused(tmp_path, GOOD, "illustration", svg=svg)


def test_illustration_must_be_a_plain_name(tmp_path: Path) -> None:
    text = replaced('illustration = "wall_sit.svg"', 'illustration = "../exercises/x.svg"')
    refused(tmp_path, text, "illustration")


def test_malformed_toml_is_refused(tmp_path: Path) -> None:
    error = refused(tmp_path, GOOD.replace('name = "Wall sit"', 'name = "Wall sit'), None)
    assert "TOML" in str(error)


def test_an_empty_folder_is_refused(tmp_path: Path) -> None:
    (tmp_path / "exercises").mkdir()
    with pytest.raises(ExerciseContentError, match="no .toml"):
        load_library(tmp_path)
    with pytest.raises(ExerciseContentError, match="missing"):
        load_library(tmp_path / "nowhere")


def test_error_is_the_plan_content_error() -> None:
    """One ``except ContentError`` at start-up covers the plan and the exercises."""
    assert issubclass(ExerciseContentError, ContentError)


def test_plan_names_only_exercises_dosed_for_that_phase(library: exercises.Library) -> None:
    """Every exercise the shipped plan points to exists and has a dose in that phase, so the
    Today view never shows an exercise without saying how much of it to do."""
    content = load_content()
    assert exercise_ids_named(content.plan) <= library.ids()
    library.require(exercise_ids_named(content.plan), "plan.toml")
    for phase in content.plan:
        named = {item.exercise for item in phase.checklist if item.exercise}
        named |= {e for rx in phase.prescriptions for e in rx.exercises}
        for exercise_id in named:
            assert library.get(exercise_id).dose_for(phase.id) is not None, (phase.id, exercise_id)


def test_require_names_the_referring_file(library: exercises.Library) -> None:
    with pytest.raises(ContentError, match=r"^plan.toml: 'exercises' names unknown exercise"):
        library.require(["plank", "wall_sit"], "plan.toml")


def test_every_shipped_file_has_only_known_keys() -> None:
    """A second, independent read: the TOML on disk matches the documented schema."""
    for path in sorted((SHIPPED / "exercises").glob("*.toml")):
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        assert set(data) == set(exercises.FIELDS), path.name
        assert set(data["dose"]) == set(data["phases"]), path.name


# --- doses that build up day by day ---------------------------------------------------------

STEPPED = GOOD.replace("[dose.low_impact]\nhold_s = 20\nreps = 3", """\
[[dose.low_impact]]
days = "1"
minutes = 10

[[dose.low_impact]]
days = "2-3"
minutes = 15

[[dose.low_impact]]
days = "4+"
minutes = 20""")


def test_stepped_dose_gives_each_day_its_own(tmp_path: Path) -> None:
    wall_sit = load_library(make_root(tmp_path, STEPPED)).get("wall_sit")
    minutes = [wall_sit.dose_for("low_impact", day).minutes for day in range(1, 7)]  # type: ignore[union-attr]
    assert minutes == [10, 15, 15, 20, 20, 20]
    assert wall_sit.dose_for("low_impact") == Dose(minutes=10)  # the phase starts with it
    assert wall_sit.dose_for("run", 3) == Dose(sets=2, reps=10, rest_s=30)  # one dose: any day


@pytest.mark.parametrize(("old", "new", "field"), [
    ('days = "2-3"', 'days = "3"', "dose.low_impact[2].days"),           # day 2 has no dose
    ('days = "2-3"', 'days = "1-3"', "dose.low_impact[2].days"),         # overlaps day 1
    ('days = "1"', 'days = "2"', "dose.low_impact[1].days"),             # does not start on 1
    ('days = "4+"', 'days = "4-9"', "dose.low_impact[3].days"),          # not open-ended
    ('days = "2-3"', 'days = "two"', "dose.low_impact[2].days"),
    ("minutes = 15", "minutes = 500", "dose.low_impact[2].minutes"),
])
def test_bad_stepped_dose_is_refused(tmp_path: Path, old: str, new: str, field: str) -> None:
    assert old in STEPPED
    refused(tmp_path, STEPPED.replace(old, new, 1), field)
