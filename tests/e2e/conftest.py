"""End-to-end fixtures: one Streamlit server (``streamlit run app.py`` on a free port) and one headless
Chromium per test session; a fresh page per test.  Screenshots go to ``test-artifacts/`` (gitignored)."""

from __future__ import annotations

import pytest
from playwright import sync_api

from benchmarks.harness import ARTIFACTS, launch_chromium, streamlit_server


@pytest.fixture(scope="session")
def server_url():
    with streamlit_server("app.py") as url:
        yield url


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
