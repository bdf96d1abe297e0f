"""The Playground's live learning-rate slider in a real browser: dragging the thumb redraws the path and the
outcome words many times with nothing sent to the server; on release the address has the new lr and the
server's map draws exactly what the drag showed.  The keyboard moves it the same way."""

import pytest

from benchmarks.harness import ARTIFACTS

pytestmark = pytest.mark.e2e

MAP, OUTCOME, SLIDER = ".st-key-pg_map", ".st-key-outcome", ".st-key-pg_lrs0 [role=slider]"
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
            page.screenshot(path=str(ARTIFACTS / "scrub-mid-drag.png"))
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


# Everything the three charts of the run draw: each trace's points, words and name, each axis's type and range,
# and every text on the charts (marks, annotations, legend).
CHARTS = ["pg_map", "pg_progress", "pg_strip"]
DRAWN = """(keys) => keys.map((key) => { const g = document.querySelector(`.st-key-${key} .live-chart`);
  const values = (v) => v == null ? null : Array.from(v, (x) => Number.isFinite(x) ? Math.fround(x) : String(x));
  return {data: g._fullData.map((t) => ({x: values(t.x), y: values(t.y), text: t.text ?? null, name: t.name})),
          axes: Object.entries(g._fullLayout).filter(([k]) => /^[xy]axis\\d*$/.test(k))
            .map(([k, a]) => [k, a.type, (a.range || []).map((v) => Number(v).toPrecision(10))]),
          texts: [...g.querySelectorAll('.textpoint text, .annotation-text, .legendtext')]
            .map((t) => t.textContent)}; })"""

# The clip paths over each × with words on the map (its exit mark, the strip's diverged mark): none, so an × on
# the plot's edge shows whole (Plotly clips a subplot as a whole until its first full draw sees a trace with
# cliponaxis off, and the drag's partial updates would keep that clip).
UNCLIPPED = """(sel) => { const g = document.querySelector(sel + ' .live-chart');
  return [...g.querySelectorAll('.scatterlayer .trace')].filter((t) => t.querySelector('.textpoint text'))
    .map((t) => { const clips = []; for (let n = t.querySelector('.point'); n && n !== g; n = n.parentNode)
      if (n.getAttribute('clip-path')) clips.push(n.getAttribute('clip-path'));
      return clips; }); }"""


def test_every_chart_of_the_run_follows_the_drag_and_the_release_keeps_it(page, server_url):
    """Mid-drag the map (path, exit mark, distance strip, heads), the loss and lr chart and the stability marker
    show the lr under the thumb; after release the server's figures are exactly what the drag showed."""
    _open(page, f"{server_url}/playground?surface=quadratic&optimizer=sgd&lr=0.001")
    page.wait_for_selector(".st-key-pg_progress .main-svg")
    page.wait_for_selector(".st-key-pg_strip .main-svg")
    page.get_by_role("button", name="Play").click()  # the heads move away from the start
    page.wait_for_timeout(600)
    before = page.evaluate(DRAWN, CHARTS)
    page.locator(SLIDER).scroll_into_view_if_needed()
    box = page.locator(SLIDER).bounding_box()
    y = box["y"] + box["height"] / 2
    page.mouse.move(box["x"] + 0.3 * box["width"], y)
    page.mouse.down()
    for k in range(12):  # up to about 0.5: past 2/L = 0.2, the path diverges
        page.mouse.move(box["x"] + (0.3 + 0.04 * k) * box["width"], y)
        page.wait_for_timeout(30)
    page.wait_for_timeout(200)
    mid_drag = page.evaluate(DRAWN, CHARTS)
    page.screenshot(path=str(ARTIFACTS / "scrub-every-chart.png"))
    assert page.locator(".live-chart-controls output").first.inner_text() == "step 0"
    for chart, was, now in zip(CHARTS, before, mid_drag, strict=True):
        assert was != now, chart  # each chart follows the thumb
    assert any("diverged at step" in text for text in mid_drag[0]["texts"])  # the exit mark's and strip's words
    assert page.evaluate(UNCLIPPED, MAP) == [[], []]  # the map's exit × (on the edge) and the strip's ×: whole
    assert any("diverged at step" in text for text in mid_drag[1]["texts"])  # the loss chart's
    lr = page.locator(SLIDER).get_attribute("aria-valuenow")
    for key in CHARTS:
        page.evaluate(f"() => {{ document.querySelector('.st-key-{key} .live-chart').latest.marked = true; }}")
    page.mouse.up()
    page.wait_for_function("(lr) => new URLSearchParams(location.search).get('lr') === lr", arg=lr)
    for key in CHARTS:
        page.wait_for_function(f"() => !document.querySelector('.st-key-{key} .live-chart').latest.marked")
    page.wait_for_timeout(500)
    after = page.evaluate(DRAWN, CHARTS)
    for chart, shown, drawn in zip(CHARTS, mid_drag, after, strict=True):
        for part in ("data", "axes", "texts"):
            assert drawn[part] == shown[part], (chart, part)


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


def test_quick_arrow_keys_commit_once_with_the_last_value(page, server_url):
    """Five quick presses move the thumb and the path five times but reach the server once, after the keys have
    been still a moment: the address then has the last lr, and the outcome box never showed the runs between."""
    sent = _watch_sent(page)
    _open(page, f"{server_url}/playground?surface=bowl&optimizer=sgd&lr=0.1&x0=1.5&y0=-1")
    slider = page.locator(SLIDER)
    slider.focus()
    before = len(sent)
    for _ in range(5):
        page.keyboard.press("ArrowRight")
    assert slider.get_attribute("aria-valuenow") == "0.3"
    page.wait_for_function("(sel) => document.querySelector(sel + ' .live-chart').dataset.scrubbed === '0.3'",
                           arg=MAP)
    page.wait_for_function("() => new URLSearchParams(location.search).get('lr') === '0.3'")
    page.wait_for_timeout(1000)  # any further commit would have been sent by now
    commits = [frame for frame in sent[before:] if b"commit" in (frame if isinstance(frame, bytes) else frame.encode())]
    assert len(commits) == 1
    slider.press("ArrowLeft")
    slider.evaluate("(track) => track.blur()")  # the focus leaves: it commits at once
    page.wait_for_function("() => new URLSearchParams(location.search).get('lr') === '0.25'", timeout=1500)
