"""A lesson's start point from the keyboard (views.widgets.start_inputs) under AppTest: its two number inputs
show the start in use, typing into them changes the run, its address and the map's caption as a click on the
map does, and they follow a click, a link and "Back to the preset"."""

from dataclasses import replace

from lab.outcome import outcome_lines
from lab.runs import labels_of
from lessons.common import setup_of
from tests.lessons.test_pages import _open
from views.widgets.lesson_page import lesson_of

LESSON = lesson_of(7)  # saddles-minima: its task is met by a start that ends in another minimum
SLUG = LESSON.slug
X0, Y0 = f"{SLUG}.start0.x0", f"{SLUG}.start0.y0"
TASK_START = (3.5, -1.5)  # descends to a minimum other than the preset's (tests/lessons/test_pages.py)


def _shown(at) -> tuple[float, float]:
    return at.number_input(key=X0).value, at.number_input(key=Y0).value


def _shows_outcome(at, config) -> bool:
    """Whether the page shows the outcome lines of ``config``'s run (bold, as lesson_page draws them)."""
    shown = {m.value for m in at.markdown}
    return all(f"**{line}**" in shown for line in outcome_lines(labels_of(config), setup_of(config).runs))


def test_typing_a_start_changes_the_run_as_a_click_does():
    preset = LESSON.preset_config()
    at = _open(LESSON.page)
    assert not at.exception
    assert _shown(at) == preset.start
    assert [at.number_input(key=k).label for k in (X0, Y0)] == ["start x", "start y"]
    assert _shows_outcome(at, preset)
    at.number_input(key=X0).set_value(TASK_START[0]).run()
    at.number_input(key=Y0).set_value(TASK_START[1]).run()
    assert not at.exception
    moved = replace(preset, x0=TASK_START[0], y0=TASK_START[1])
    assert dict(at.query_params) == {"x0": "3.5", "y0": "-1.5"}  # the address a click there writes
    assert at.session_state[f"{SLUG}.start.0."] == (preset.surface, *TASK_START)  # the click's own state
    assert any(f"Start: ({TASK_START[0]:.3g}, {TASK_START[1]:.3g})" in c.value for c in at.caption)
    assert _shows_outcome(at, moved) and not _shows_outcome(at, preset)
    assert at.success  # the lesson's task (another minimum) is recognised from the typed start
    assert _shown(at) == TASK_START


def test_the_inputs_follow_a_click_a_link_and_the_preset():
    preset = LESSON.preset_config()
    at = _open(LESSON.page)
    at.session_state[f"{SLUG}.start.0."] = (preset.surface, 2.25, 1.5)  # what the map's on_click stores
    at.run()
    assert _shown(at) == (2.25, 1.5) and dict(at.query_params) == {"x0": "2.25", "y0": "1.5"}
    at.number_input(key=X0).set_value(-3.0).run()  # typed after a click: the typed value wins
    assert _shown(at) == (-3.0, 1.5) and dict(at.query_params) == {"x0": "-3", "y0": "1.5"}
    at.query_params.clear()
    at.query_params.update({"x0": "1", "y0": "-2"})  # a link opened on the page
    at.run()
    assert not at.warning and _shown(at) == (1.0, -2.0)
    at.button[0].click().run()  # "Back to the preset"
    assert not at.exception and at.button[0].label == "Back to the preset"
    assert _shown(at) == preset.start and dict(at.query_params) == {}
