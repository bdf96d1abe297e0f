"""The LR finder and the fair race in a real browser: a click on a suggestion of the LR finder opens the
Playground at that lr; each tool at a projector's 1920 x 1080 (screenshots in test-artifacts/)."""

from urllib.parse import parse_qs, urlsplit

import pytest

import engine
from benchmarks.harness import ARTIFACTS

pytestmark = pytest.mark.e2e

OUTCOME = ".st-key-outcome"


def _settle(page) -> None:
    page.wait_for_selector('[data-testid="stMain"] h1')
    page.wait_for_function("() => !document.querySelector('[data-testid=\"stStatusWidget\"]')")
    page.wait_for_timeout(300)


def test_a_click_on_a_suggestion_opens_the_playground_at_that_lr(page, server_url, shot):
    page.goto(f"{server_url}/lr-finder")
    _settle(page)
    surface = engine.surface("quadratic")
    valley = engine.sweeps.lr_range_test(surface, "sgd", surface.start).suggestions["valley"]
    button = page.locator("a", has_text="valley: lr")
    button.wait_for()
    with page.context.expect_page() as opened:
        button.click()
    playground = opened.value
    playground.wait_for_selector(OUTCOME, timeout=30_000)
    query = parse_qs(urlsplit(playground.url).query)
    assert urlsplit(playground.url).path.endswith("/playground")
    assert float(query["lr"][0]) == valley
    playground.wait_for_function("(sel) => (document.querySelector(sel)?.innerText || '').includes('lr')",
                                 arg=OUTCOME)
    assert f"lr {valley:.3g}" in playground.inner_text(OUTCOME)
    assert playground.locator('[data-testid="stException"]').count() == 0


@pytest.mark.parametrize("path, name", [("lr-finder", "tool-finder"), ("race", "tool-race")])
def test_each_tool_on_a_projector(page, server_url, shot, path, name):
    page.set_viewport_size({"width": 1920, "height": 1080})
    page.goto(f"{server_url}/{path}")
    _settle(page)
    page.wait_for_function("() => document.querySelectorAll('.js-plotly-plot .main-svg').length >= 1")
    page.wait_for_timeout(1500)
    assert page.locator('[data-testid="stException"]').count() == 0
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"))  # the viewport: what a projector shows
    shot(f"{name}-full")
