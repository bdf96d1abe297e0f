"""End-to-end fixtures: one Streamlit server (``streamlit run app.py`` on a free port) and one headless
Chromium per test session; a fresh page per test.  Screenshots go to ``test-artifacts/`` (gitignored).

The server's stderr is kept in a file (``server_log``); when the session ends, the server is stopped and the
session fails (an error at the teardown of its last test) if the log holds a traceback or a RuntimeWarning
(``tests/e2e/server_log.py``): whatever the browser visited, hostile links included, the server must have handled
it quietly."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright import sync_api

from benchmarks.harness import ARTIFACTS, launch_chromium, streamlit_server
from tests.e2e.server_log import faults


@pytest.fixture(scope="session")
def server_log(tmp_path_factory) -> Path:
    """The file the session's server writes its stderr to."""
    return tmp_path_factory.mktemp("server") / "stderr.log"


@pytest.fixture(scope="session")
def server_url(server_log):
    with streamlit_server("app.py", log=server_log) as url:
        yield url
    found = faults(server_log.read_text(errors="replace"))
    if found:
        pytest.fail(f"The server's log ({server_log}) has {len(found)} fault(s):\n\n" + "\n\n".join(found))


@pytest.fixture(scope="session")
def browser():
    with sync_api.sync_playwright() as p:
        b = launch_chromium(p)
        yield b
        b.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    pg = context.new_page()
    pg.set_default_timeout(20_000)
    yield pg
    context.close()


@pytest.fixture
def shot(page):
    """shot(name): save a full-page screenshot as test-artifacts/<name>.png."""
    ARTIFACTS.mkdir(exist_ok=True)

    def take(name: str) -> None:
        page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)

    return take
