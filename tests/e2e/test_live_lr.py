"""The Playground's live learning-rate slider in a real browser: dragging the thumb redraws the path and the
outcome words many times with nothing sent to the server; on release the address has the new lr and the
server's map draws exactly what the drag showed.  The keyboard moves it the same way."""

from pathlib import Path

import pytest

pytestmark = pytest.mark.e2e

MAP, OUTCOME, SLIDER = ".st-key-pg_map", ".st-key-outcome", ".st-key-pg_lrs0 [role=slider]"
SHOTS = Path("/work/wt/shots")
# What the map draws as racer 1's path (Plotly's full data of trace 1, after the click grid), its legend entry,
# and which lr the slider last showed.
PATH = """(sel) => { const g = document.querySelector(sel + ' .live-chart');
  const t = g._fullData[1];
  return {x: Array.from(t.x), y: Array.from(t.y), name: g.querySelector('.legend .traces .legendtext').textContent,
          scrubbed: g.dataset.scrubbed || null}; }"""


def _open(page, url: str) -> None:
    page.goto(url)
    page.wait_for_selector(f"{MAP} .main-svg")
    page.wait_for_selector(SLIDER)
    page.wait_for_timeout(500)  # the page has settled: the websocket is quiet


def _watch_sent(page) -> list:
    sent: list = []
    page.on("websocket", lambda ws: ws.on("framesent", lambda payload: sent.append(payload)))
    return sent


def _server_figure_drawn(page) -> None:
    """Wait until the map has a figure from a newer run than the one marked before (live_chart's latest)."""
    page.wait_for_function(f"() => !document.querySelector('{MAP} .live-chart').latest.marked")


def _mark_figure(page) -> None:
    page.evaluate(f"() => {{ document.querySelector('{MAP} .live-chart').latest.marked = true; }}")


def test_dragging_redraws_the_path_without_the_server_and_release_commits(page, server_url):
    sent = _watch_sent(page)
    _open(page, f"{server_url}/playground?surface=quadratic&optimizer=sgd&lr=0.0001")
    box = page.locator(SLIDER).bounding_box()
    y = box["y"] + box["height"] / 2
    before, states = len(sent), set()
    page.mouse.move(box["x"] + 0.2 * box["width"], y)
    page.mouse.down()
    for k in range(40):  # from 1e-4 to about 2: through creeping, converging, zigzagging and diverging
        page.mouse.move(box["x"] + (0.2 + 0.0175 * k) * box["width"], y)
        page.wait_for_timeout(20)
        shown = page.evaluate(PATH, MAP)
        states.add((len(shown["x"]), shown["x"][-1], shown["y"][-1]))
        if k == 30:
            page.screenshot(path=str(SHOTS / "scrub-mid-drag.png"))
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
    _open(page, f"{server_url}/playground?surface=bowl&optimizer=sgd&lr=0.1&x0=1.5&y0=-1")
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
