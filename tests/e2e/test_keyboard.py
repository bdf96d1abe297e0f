"""Keyboard only, in a real browser: on the Playground, the Presenter and every lesson, Tab reaches each of the
app's controls (every expander opened with Enter first) and each shows a focus indicator when it does (an
outline, a shadow or a border that it did not have unfocused, not faded out); and the controls do their work
from the keyboard: a lesson's prediction and check question are answered with the arrow keys, the
Playground's surface is chosen with the arrow keys and Enter, a number typed and confirmed with Enter."""

import pytest

from tests.e2e.a11y import settle, watch_runs
from tests.e2e.keyboard import open_expanders, tab_through

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
    steps = page.get_by_role("spinbutton", name="Steps")
    steps.focus()
    page.keyboard.press("Control+A")
    page.keyboard.type("37")
    page.keyboard.press("Enter")
    page.wait_for_function("() => location.search.includes('steps=37')")
