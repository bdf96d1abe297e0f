"""A self-learner's progress in a real browser: a lesson's task and answer survive a reload (they live in
the browser's localStorage), Home shows the lesson as done, Reset forgets it, and another browser profile
(a new context) starts with nothing."""

import json

import pytest

from lessons import LESSONS
from tests.e2e.test_lessons import OUTCOME, _settle
from views.widgets.progress_store import STORAGE_NAME

pytestmark = pytest.mark.e2e

LESSON = LESSONS[1]  # lesson 2: its task is met at lr 0.91 (tests/lessons/test_pages.py's SOLUTIONS)
STORED = f"() => localStorage.getItem('{STORAGE_NAME}')"


LINES = ("() => [...document.querySelectorAll('.st-key-home-progress [data-testid=\"stMarkdownContainer\"]')]"
         ".flatMap((e) => e.innerText.split('\\n')).map((line) => line.trim()).filter(Boolean)")


def _line(page, number: int) -> str:
    """Home's progress line of lesson ``number``."""
    page.wait_for_selector(".st-key-home-progress")
    return page.evaluate(LINES)[number - 1]


def _wait_for_line(page, number: int, ending: str) -> None:
    page.wait_for_function(f"([n, ending]) => (({LINES})()[n - 1] || '').endsWith(ending)", arg=[number, ending])


def test_progress_survives_a_reload_shows_on_home_and_resets(page, browser, server_url, shot):
    page.goto(f"{server_url}/{LESSON.url_path}?lr=0.91")
    _settle(page)
    # lesson 2 asks for a prediction first: the task counts once the question is answered
    page.get_by_text("It overshoots, flips to the other side").click()
    page.wait_for_function(f"() => (({STORED})() || '').includes('\"tasks\":[2]')", timeout=60_000)
    page.wait_for_function("(sel) => (document.querySelector(sel)?.innerText || '').includes('converged')",
                           arg=OUTCOME)
    page.wait_for_selector('[data-testid="stAlertContentSuccess"]')  # the task is met
    page.wait_for_function(f"() => (({STORED})() || '').includes('\"2\":')")
    stored = json.loads(page.evaluate(STORED))
    assert stored["tasks"] == [2] and stored["answers"]["2"].startswith("It overshoots, flips to the other side")

    page.reload()  # a new server session: the answer comes back from the browser
    _settle(page)
    page.wait_for_function("(sel) => (document.querySelector(sel)?.innerText || '').includes('converged')",
                           arg=OUTCOME)
    page.goto(server_url)  # Home, in yet another session
    _settle(page)
    _wait_for_line(page, 2, "— done")
    assert _line(page, 1).endswith("— not started")
    page.set_viewport_size({"width": 1400, "height": 1500})  # the whole of Home, down to the Reset button
    shot("home-progress")

    page.get_by_role("button", name="Reset my progress").click()
    _wait_for_line(page, 2, "— not started")
    page.wait_for_function(f"() => JSON.parse(({STORED})() || '{{}}').tasks?.length === 0")
    page.reload()
    _settle(page)
    page.wait_for_timeout(1000)  # time for the browser's progress to arrive, were any left
    _wait_for_line(page, 2, "— not started")

    other = browser.new_context()  # another browser profile: nothing of this one's progress
    try:
        fresh = other.new_page()
        fresh.goto(server_url)
        _settle(fresh)
        fresh.wait_for_timeout(1000)
        assert all(_line(fresh, n).endswith("— not started") for n in range(1, len(LESSONS) + 1))
        assert fresh.evaluate(STORED) == json.dumps({"tasks": [], "answers": {}}, separators=(",", ":"))
    finally:
        other.close()
