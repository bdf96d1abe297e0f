"""The app's entry: Home is the default page, links to every section, and shows the student's progress."""

import json
from pathlib import Path

from streamlit.testing.v1 import AppTest

from lessons import LESSONS
from lessons.progress import Progress
from views.widgets.progress_store import LOADED, PROGRESS

APP = str(Path(__file__).resolve().parents[2] / "app.py")


def test_home_is_the_default_page_and_links_to_the_sections():
    at = AppTest.from_file(APP, default_timeout=30)
    at.run()
    assert not at.exception
    assert at.title[0].value == "Descent Lab"
    page_links = [el.proto.label for el in at.get("page_link")]
    assert page_links == ["Playground", f"Lessons 1–{len(LESSONS)}", "Claims lab", "Presenter"]


def _stored(at: AppTest) -> str | None:
    """The progress the page hands the browser to keep (None: it has not read the browser's yet)."""
    (store,) = [e.proto for e in at.get("bidi_component") if e.proto.component_name == "descent_lab.browser_store"]
    return json.loads(store.json)["value"]


def test_home_shows_the_progress_and_reset_forgets_it_here_and_in_the_browser():
    at = AppTest.from_file(APP, default_timeout=30)
    at.session_state[PROGRESS] = Progress(frozenset({1, 2}), {1: "an answer"})
    at.session_state[LOADED] = True  # the browser's progress has been read
    at.run()
    assert not at.exception
    lines = _progress_lines(at)
    assert lines[0].endswith(f"1. {LESSONS[0].title} — done") and "check_circle" in lines[0]
    assert lines[1].endswith("— task done, question not answered yet")
    assert all(line.endswith("— not started") for line in lines[2:]) and len(lines) == len(LESSONS)
    assert any(c.value.startswith(f"1 of {len(LESSONS)} lessons done") for c in at.caption)
    assert Progress.from_json(_stored(at), len(LESSONS)) == Progress(frozenset({1, 2}), {1: "an answer"})
    at.button(key="home.reset").click().run()
    assert all(line.endswith("— not started") for line in _progress_lines(at))
    assert _stored(at) == Progress().to_json() and at.button(key="home.reset").disabled


def test_a_fresh_session_asks_the_browser_before_writing_to_it():
    at = AppTest.from_file(APP, default_timeout=30).run()
    assert _stored(at) is None and at.button(key="home.reset").disabled


def _progress_lines(at: AppTest) -> list[str]:
    """Home's progress lines, one a lesson, in course order (two columns, top to bottom)."""
    return [line.replace("\\", "").strip() for m in at.markdown for line in m.value.splitlines()
            if line.startswith((":green[", ":gray[", ":orange["))]  # the lines' coloured marks
