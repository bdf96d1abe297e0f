"""Driving a live learning-rate slider (views.widgets.lr_scrubber) in Chromium, shared by the Playground's and
the lessons' e2e tests: what the map draws as a racer's path, the frames sent to the server, and a scripted
drag that records every path shown while the mouse button is held."""

from __future__ import annotations

# What the map draws as racer 1's path (Plotly's full data of trace 1, after the click grid), its legend entry,
# and which lr the slider last showed.
PATH = """(sel) => { const g = document.querySelector(sel + ' .live-chart');
  const t = g._fullData[1];
  return {x: Array.from(t.x), y: Array.from(t.y), name: g.querySelector('.legend .traces .legendtext').textContent,
          scrubbed: g.dataset.scrubbed || null}; }"""


def open_page(page, url: str, chart: str, slider: str) -> None:
    """Open ``url`` and wait until its map (selector ``chart``) and slider are drawn and the page has settled."""
    page.goto(url)
    page.wait_for_selector(f"{chart} .main-svg")
    page.wait_for_selector(slider)
    page.wait_for_timeout(500)  # the page has settled: the websocket is quiet


def watch_sent(page) -> list:
    """Every websocket frame the page sends from now on."""
    sent: list = []
    page.on("websocket", lambda ws: ws.on("framesent", lambda payload: sent.append(payload)))
    return sent


def drag(page, slider: str, chart: str, moves: int, start: float, end: float, shot: str | None = None) -> set:
    """Press the mouse on ``slider`` at ``start`` (a fraction of its width) and move it in ``moves`` steps to
    ``end``, leaving the button down; the distinct (length, last point) of the path drawn after each move
    (a screenshot to ``shot`` at two thirds of the way)."""
    box = page.locator(slider).bounding_box()
    y = box["y"] + box["height"] / 2
    states = set()
    page.mouse.move(box["x"] + start * box["width"], y)
    page.mouse.down()
    for k in range(moves):
        page.mouse.move(box["x"] + (start + (end - start) * k / (moves - 1)) * box["width"], y)
        page.wait_for_timeout(20)
        shown = page.evaluate(PATH, chart)
        states.add((len(shown["x"]), shown["x"][-1], shown["y"][-1]))
        if shot and k == 3 * moves // 4:
            page.screenshot(path=shot)
    return states
