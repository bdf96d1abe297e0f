"""The student's progress (``lessons.progress``) in this session, kept in their browser
(``views.widgets.browser_store``) so that a reload, or coming back another day on the same browser, finds it again.

The session's progress is read once from the browser (the first page that calls ``keep_in_browser``) and
merged with anything done meanwhile; from then on the session's progress is written back on every page
that calls it.  ``reset`` forgets it here and in the browser.
"""

from __future__ import annotations

import streamlit as st

from lessons import LESSONS
from lessons.progress import Progress
from views.widgets.browser_store import browser_store

__all__ = ["answer_key", "keep_in_browser", "progress", "record", "reset"]

PROGRESS = "progress"  # session_state: this session's Progress
LOADED = "progress.loaded"  # session_state: True once the browser's stored progress has been read
STORAGE_NAME = "descent-lab.progress"  # the browser's localStorage key


def answer_key(slug: str) -> str:
    """The widget key of lesson ``slug``'s check question."""
    return f"{slug}.question"


def progress() -> Progress:
    return st.session_state.get(PROGRESS) or Progress()


def record(new: Progress) -> None:
    st.session_state[PROGRESS] = new


def _loaded(text: str) -> None:
    record(progress().merged(Progress.from_json(text, max(lesson.number for lesson in LESSONS))))
    st.session_state[LOADED] = True


def keep_in_browser() -> None:
    """Read the browser's progress (once a session) and write this session's back; call it last on a page,
    after the page has recorded what the student did."""
    browser_store(STORAGE_NAME, progress().to_json() if st.session_state.get(LOADED) else None,
                  _loaded)


def reset() -> None:
    """Forget every task and answer, here and (on this run's ``keep_in_browser``) in the browser."""
    record(Progress())
    for lesson in LESSONS:
        st.session_state.pop(answer_key(lesson.slug), None)
