"""The Playground's live learning-rate slider in a real browser: dragging the thumb redraws the path and the
outcome words many times with nothing sent to the server; on release the address has the new lr and the
server's map draws exactly what the drag showed.  The keyboard moves it the same way."""

from pathlib import Path

import pytest

from tests.e2e.live_slider import PATH, drag, open_page, watch_sent

pytestmark = pytest.mark.e2e

MAP, OUTCOME, SLIDER = ".st-key-pg_map", ".st-key-outcome", ".st-key-pg_lrs0 [role=slider]"
SHOTS = Path("/work/wt/shots")


def _server_figure_drawn(page) -> None:
    """Wait until the map has a figure from a newer run than the one marked before (live_chart's latest)."""
    page.wait_for_function(f"() => !document.querySelector('{MAP} .live-chart').latest.marked")


def _mark_figure(page) -> None:
    page.evaluate(f"() => {{ document.querySelector('{MAP} .live-chart').latest.marked = true; }}")


def test_dragging_redraws_the_path_without_the_server_and_release_commits(page, server_url):
    sent = watch_sent(page)
    open_page(page, f"{server_url}/playground?surface=quadratic&optimizer=sgd&lr=0.0001", MAP, SLIDER)
    before = len(sent)
    # from 1e-4 to about 2: through creeping, converging, zigzagging and diverging
    states = drag(page, SLIDER, MAP, 40, 0.2, 0.2 + 0.0175 * 39, str(SHOTS / "scrub-mid-drag.png"))
    assert len(states) > 10  # the path followed the thumb
    assert len(sent) == before  # and nothing went to the server while the thumb moved
    mid_drag = page.evaluate(PATH, MAP)
    words = page.inner_text(OUTCOME)
    lr = page.locator(SLIDER).get_attribute("aria-valuenow")
    assert mid_drag["scrubbed"] == lr and f"lr {float(lr):.3g}" in words
    _mark_figure(page)
    page.mouse.up()
    page.wait_for_function("(lr) => new URLSearchParams(location.search).get('lr') === lr", arg=lr)
    assert len(sent) > before  # the release sent the value
    _server_figure_drawn(page)
    page.wait_for_timeout(300)
    after = page.evaluate(PATH, MAP)
    assert (after["x"], after["y"], after["name"]) == (mid_drag["x"], mid_drag["y"], mid_drag["name"])
    assert page.inner_text(OUTCOME) == words  # the server's words are the ones the drag showed


def test_the_keyboard_moves_the_live_slider(page, server_url):
    open_page(page, f"{server_url}/playground?surface=bowl&optimizer=sgd&lr=0.1&x0=1.5&y0=-1", MAP, SLIDER)
    slider = page.locator(SLIDER)
    assert "Learning rate" in slider.get_attribute("aria-label")
    assert slider.get_attribute("aria-valuenow") == "0.1" and "0.1" in slider.get_attribute("aria-valuetext")
    before = page.evaluate(PATH, MAP)
    slider.focus()
    _mark_figure(page)
    page.keyboard.press("ArrowRight")
    assert slider.get_attribute("aria-valuenow") == "0.12"
    page.wait_for_function("(sel) => document.querySelector(sel + ' .live-chart').dataset.scrubbed === '0.12'",
                           arg=MAP)
    assert page.evaluate(PATH, MAP)["x"] != before["x"]
    page.wait_for_function("() => new URLSearchParams(location.search).get('lr') === '0.12'")
    _server_figure_drawn(page)
    page.keyboard.press("PageUp")  # a decade up
    assert slider.get_attribute("aria-valuenow") == "1.2"
    page.keyboard.press("Home")
    assert float(slider.get_attribute("aria-valuenow")) == 1e-5
    page.keyboard.press("End")
    assert slider.get_attribute("aria-valuenow") == "10"
    page.wait_for_function("() => new URLSearchParams(location.search).get('lr') === '10'")


def test_dragging_a_lessons_slider_moves_its_path_before_release(page, server_url):
    """Lesson 1's learning rate is the same live slider: its map's path and outcome words follow the thumb with
    nothing sent, and the release writes the lesson's address."""
    chart, slider = ".st-key-what-is-lr-map", ".st-key-what-is-lr-lrs-0 [role=slider]"
    sent = watch_sent(page)
    open_page(page, f"{server_url}/lesson-1", chart, slider)
    before, drawn = len(sent), page.evaluate(PATH, chart)
    states = drag(page, slider, chart, 12, 0.1, 0.9)
    assert len(states) > 5 and (drawn["x"][-1], drawn["y"][-1]) not in {s[1:] for s in states}
    assert len(sent) == before  # the path moved before the release, without the server
    lr = page.locator(slider).get_attribute("aria-valuenow")
    assert page.evaluate(PATH, chart)["scrubbed"] == lr and f"lr {float(lr):.3g}" in page.inner_text(OUTCOME)
    page.mouse.up()
    page.wait_for_function("(lr) => new URLSearchParams(location.search).get('lr') === lr", arg=lr)
