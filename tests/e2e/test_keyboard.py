"""Keyboard only, in a real browser: on the Playground, the Presenter and every lesson, Tab reaches each of the
app's controls (every expander opened with Enter first) and each shows a focus indicator when it does (an
outline, a shadow or a border that it did not have unfocused, not faded out); and the controls do their work
from the keyboard: a lesson's prediction and check question are answered with the arrow keys, the
Playground's surface is chosen with the arrow keys and Enter, a number typed and confirmed with Enter, and a
lesson's start point typed in (the path then starts there, as after a click on the map)."""

import pytest

from tests.e2e.a11y import settle, watch_runs
from tests.e2e.keyboard import open_expanders, tab_through, type_number

pytestmark = pytest.mark.e2e

PAGES = ["playground", "present", *(f"lesson-{n}" for n in range(1, 15))]
OUTCOME = ".st-key-outcome"


def test_tab_reaches_every_control_with_a_visible_focus(page, server_url):
    watch_runs(page)
    problems = []
    for path in PAGES:
        page.goto(f"{server_url}/{path}")
        settle(page)
        open_expanders(page)
        settle(page)
        walk = tab_through(page)
        assert len(walk["names"]) >= 10, f"/{path}: only {len(walk['names'])} controls found"
        problems += [f"/{path}: Tab never reaches {walk['names'][k]!r}" for k in walk["missed"]]
        problems += [f"/{path}: no visible focus on {walk['names'][k]!r}" for k in walk["ringless"]]
    assert not problems, "\n".join(problems)


def _focus_radio_group(page, question: str):
    """Focus the first radio of the group asked ``question`` (the way Tab enters a group with none checked)."""
    group = page.get_by_role("radiogroup", name=question)
    group.get_by_role("radio").first.focus()
    return group


def test_a_lesson_is_answered_with_the_keyboard(page, server_url):
    watch_runs(page)
    page.goto(f"{server_url}/lesson-2")
    settle(page)
    assert "converged" not in page.inner_text(OUTCOME)  # the outcome waits for the prediction
    prediction = page.locator('[data-testid="stRadio"]').first
    prediction.locator("input[type=radio]").first.focus()
    page.keyboard.press("ArrowDown")  # the arrow keys pick an answer, as in any radio group
    page.wait_for_function("(sel) => (document.querySelector(sel)?.innerText || '').includes('lr 0.75')", arg=OUTCOME)
    settle(page)
    question = page.locator('[data-testid="stRadio"]').last
    question.locator("input[type=radio]").first.focus()
    page.keyboard.press("ArrowDown")
    page.locator('[data-testid="stAlert"]').last.wait_for()
    assert page.locator('[data-testid="stAlert"]').last.inner_text().startswith(("Right.", "Not quite."))


def test_the_playgrounds_controls_work_from_the_keyboard(page, server_url):
    watch_runs(page)
    page.goto(f"{server_url}/playground?surface=bowl&optimizer=sgd&lr=0.1")
    settle(page)
    surface = page.locator('[data-testid="stSidebar"] [role=combobox]').first
    surface.focus()
    page.keyboard.press("ArrowDown")  # opens the list
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    page.wait_for_function("() => !location.search.includes('surface=bowl')")
    settle(page)
    type_number(page, "Steps", "37")
    page.wait_for_function("() => location.search.includes('steps=37')")


# Where the lesson's map puts its start's star and where racer 1's path (trace 1, after the click grid) begins.
MAP_START = """(sel) => { const g = document.querySelector(sel + ' .live-chart');
  const star = g._fullData.find((t) => t.name === 'start'), path = g._fullData[1];
  return {star: [star.x[0], star.y[0]], path: [path.x[0], path.y[0]], points: path.x.length}; }"""


def test_a_lessons_start_is_typed_with_the_keyboard(page, server_url):
    watch_runs(page)
    page.goto(f"{server_url}/lesson-7")  # saddles-minima: the start decides which minimum the path ends in
    settle(page)
    preset = page.evaluate(MAP_START, ".st-key-saddles-minima-map")
    assert preset["star"] == preset["path"] == [-0.5, -0.5]
    type_number(page, "start x", "3.5")
    page.wait_for_function("() => location.search.includes('x0=3.5')")
    settle(page)
    type_number(page, "start y", "-1.5")
    page.wait_for_function("() => location.search.includes('y0=-1.5')")
    settle(page)
    moved = page.evaluate(MAP_START, ".st-key-saddles-minima-map")
    assert moved["star"] == moved["path"] == [3.5, -1.5] and moved["points"] > 1
    assert page.get_by_text("Start: (3.5, -1.5).").count() == 1  # the map's caption says it too
