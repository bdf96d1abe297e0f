"""The picture agrees with the words, in a real browser: a diverging racer stays in sight in the distance
strip under the map while it plays, and the step-decay run that leaves the view and comes back is labelled
with the outcome box's steps.  Screenshots: test-artifacts/picture-*.png."""

import pytest

from benchmarks.harness import ARTIFACTS

pytestmark = pytest.mark.e2e

OUTCOME = ".st-key-outcome"
MAP = ".st-key-pg_map"


def _open(page, url: str, word: str) -> str:
    page.goto(url)
    page.wait_for_selector(f"{MAP} .main-svg")
    page.wait_for_function(
        "([sel, word]) => (document.querySelector(sel)?.innerText || '').includes(word)", arg=[OUTCOME, word])
    return page.inner_text(OUTCOME)


def _map_text(page) -> str:
    return page.inner_text(f"{MAP} .js-plotly-plot")


def _snap(page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.locator(MAP).screenshot(path=str(ARTIFACTS / f"picture-{name}.png"))
    page.screenshot(path=str(ARTIFACTS / f"picture-{name}-page.png"), full_page=True)


def test_a_diverging_racer_is_seen_diverging_in_the_strip(page, server_url):
    outcome = _open(page, f"{server_url}/playground?surface=quadratic&optimizer=sgd,sgd&lr=0.3&lr_2=0.08"
                          "&x0=-1.5&y0=1&steps=200", "diverged at step")
    text = _map_text(page)
    assert "diverged at step 5" in outcome and "left the view at step 2, diverged at step 5" in text
    assert "diverged at step 5" in text.replace("left the view at step 2, diverged at step 5", "")  # the strip
    assert "distance to the minimum" in text
    page.locator(MAP).get_by_role("button", name="Play", exact=True).click()
    page.wait_for_function(f"() => document.querySelector('{MAP} output').textContent === 'step 4'")
    _snap(page, "diverging")


def test_the_step_decay_run_leaves_and_comes_back_with_the_boxs_steps(page, server_url):
    outcome = _open(page, f"{server_url}/playground?surface=quadratic&optimizer=sgd&lr=0.24&schedule=step"
                          "&step_size=10&gamma=0.5&x0=-1.5&y0=1&steps=300", "stalled")
    assert "left the view at step 4, back at step 12" in outcome
    assert "left the view at step 4, back at step 12" in _map_text(page)
    _snap(page, "step-decay")
