"""The live learning-rate slider (views.widgets.lr_scrubber), in Chromium and on the server.

* drag: a scripted drag of the Playground's lr thumb (mouse down, MOVES moves as fast as they go, mouse
  up), from 1e-4 across the grid to 1 and back; counted in the page: the animation frames Chromium drew
  during the drag, the frames in which the map showed a new path, and how long each Plotly.animate call took.
  Also: the websocket frames sent during the drag (0: no server round trip).
* sweep: one pointer move per animation frame, dispatched in the page (as fast as a hand can move the
  thumb, without Playwright's round trip per move): frames drawn per second, new paths drawn per second; on
  the default Playground and on a race of RACE (the worst case: each Plotly call costs in proportion to the
  figure's traces, not the changed ones).
* data: the scrub data of each optimizer's default Playground (every surface), its JSON size (budget
  300 KB per optimizer) and the time of the one batched engine call plus packing.
* commit: what one release of the thumb costs, at the protocol level (benchmarks/classroom_protocol.py: a tab
  speaking Streamlit's protocol, as the browser does): the bytes the server sends back and the time until its
  script_finished, median of COMMITS releases one grid step apart on the default Playground (the scrub data is
  sent once per configuration; a release changes only the lr).
"""

from __future__ import annotations

import asyncio
import json
import statistics
import sys
import time

from benchmarks.classroom_protocol import PLAYGROUND, Tab, connect, move_plan, move_problem, playground_parts
from benchmarks.harness import launch_chromium, streamlit_server

MOVES = 120
RACE = "optimizer=sgd,momentum,adam,rmsprop"  # four racers: the most traces the map and the loss chart have
COMMITS = 12
SLIDER = ".st-key-pg_lrs0 [role=slider]"
_COUNT = """() => { const g = document.querySelector('.st-key-pg_map .live-chart');
  const P = window.Plotly, animate = P.animate.bind(P);
  window.scrub = {frames: 0, changed: 0, restyle: [], last: null, on: true};
  P.animate = (...a) => { const t = performance.now(); const r = animate(...a);
    window.scrub.restyle.push(performance.now() - t); return r; };
  const tick = () => { if (!window.scrub.on) return; window.scrub.frames++;
    const x = g._fullData[1].x; if (x !== window.scrub.last) { window.scrub.changed++; window.scrub.last = x; }
    requestAnimationFrame(tick); };
  requestAnimationFrame(tick); }"""


def _drag(page, url: str) -> dict:
    sent: list = []
    page.on("websocket", lambda ws: ws.on("framesent", lambda payload: sent.append(payload)))
    page.goto(f"{url}/playground?lr=0.0001")
    page.wait_for_selector(".st-key-pg_map .main-svg")
    page.wait_for_timeout(1500)
    box = page.locator(SLIDER).bounding_box()
    y, before = box["y"] + box["height"] / 2, len(sent)
    at = [0.2 + 0.6 * (1 - abs(1 - 2 * k / MOVES)) for k in range(MOVES + 1)]  # 1e-4 -> 1 -> 1e-4
    page.mouse.move(box["x"] + at[0] * box["width"], y)
    page.mouse.down()
    page.evaluate(_COUNT)
    t0 = time.perf_counter()
    for share in at[1:]:
        page.mouse.move(box["x"] + share * box["width"], y)
    page.wait_for_timeout(50)
    seconds = time.perf_counter() - t0
    counts = page.evaluate("() => { window.scrub.on = false; return window.scrub; }")
    during = len(sent) - before
    page.mouse.up()
    restyle = sorted(counts["restyle"])
    return {"seconds": seconds, "fps": counts["frames"] / seconds, "paths_per_s": counts["changed"] / seconds,
            "paths": counts["changed"], "restyle_median": statistics.median(restyle),
            "restyle_p95": restyle[int(0.95 * (len(restyle) - 1))], "sent": during}


# One pointer move per animation frame, dispatched in the page for SWEEP_MS (the thumb sweeps 1e-4 -> 1 -> 1e-4,
# a new grid position nearly every frame): frames drawn per second and the share of them showing a new path.
SWEEP_MS = 1000  # 73 grid positions a second: more than one per frame
_SWEEP = """async ([sel, ms]) => {
  const track = document.querySelector(sel), box = track.getBoundingClientRect();
  const g = document.querySelector('.st-key-pg_map .live-chart'), y = box.top + box.height / 2;
  const at = (share) => ({clientX: box.left + share * box.width, clientY: y, pointerId: 1, bubbles: true});
  track.dispatchEvent(new PointerEvent('pointerdown', at(0.2)));
  let frames = 0, changed = 0, last = g._fullData[1].x; const t0 = performance.now();
  await new Promise((done) => { const tick = (now) => {
    const x = g._fullData[1].x; frames++; if (x !== last) { changed++; last = x; }
    const phase = (now - t0) / ms; if (phase >= 1) return done();
    track.dispatchEvent(new PointerEvent('pointermove', at(0.2 + 0.6 * (1 - Math.abs(1 - 2 * phase)))));
    requestAnimationFrame(tick); }; requestAnimationFrame(tick); });
  const seconds = (performance.now() - t0) / 1000;
  return {fps: frames / seconds, paths_per_s: changed / seconds}; }"""


def _sweep(page) -> dict:
    """``_SWEEP`` on the open Playground, once the drag's release has been answered and drawn (the pointer is
    let go afterwards: a pointercancel, which commits like a release)."""
    page.wait_for_timeout(3000)
    result = page.evaluate(_SWEEP, [SLIDER, SWEEP_MS])
    page.evaluate("(sel) => document.querySelector(sel).dispatchEvent(new PointerEvent('pointercancel'))", SLIDER)
    return result


RACE_SWEEPS = 3  # the race's sweep is repeated (one second each; other processes on the cores make it vary)


def _race_sweep(page, url: str) -> list[dict]:
    """``_sweep`` RACE_SWEEPS times on the Playground racing RACE from lr 1e-4 (each sweep ends where it began,
    and its release is answered before the next)."""
    page.goto(f"{url}/playground?{RACE}&lr=0.0001")
    page.wait_for_selector(".st-key-pg_map .main-svg")
    page.wait_for_selector(".st-key-pg_progress .main-svg")
    return [_sweep(page) for _ in range(RACE_SWEEPS)]


def _data_sizes() -> tuple[float, float, str, float]:
    """(default Playground's KB, largest KB over every surface x optimizer default, which, slowest ms)."""
    import engine
    from lab.config import LR_GRID, default_config
    from lab.runs import scrub_racer

    sizes, slowest = {}, 0.0
    for surface in engine.SURFACES:
        for name in engine.OPTIMIZERS:
            t0 = time.perf_counter()
            data = scrub_racer(default_config(surface, name), 0, LR_GRID)
            slowest = max(slowest, (time.perf_counter() - t0) * 1000)
            sizes[f"{surface}/{name}"] = len(json.dumps(data)) / 1024 if data else 0.0
    worst = max(sizes, key=sizes.get)
    return sizes[f"{default_config().surface}/{default_config().optimizers[0].name}"], sizes[worst], worst, slowest


class _Counted:
    """A websocket that counts the bytes it receives."""

    def __init__(self, ws):
        self.ws, self.received = ws, 0

    async def send(self, message) -> None:
        await self.ws.send(message)

    async def recv(self):
        message = await self.ws.recv()
        self.received += len(message)
        return message


async def _commits(url: str) -> dict:
    """Bytes received and ms until script_finished per release of the Playground's lr thumb (medians), after one
    release that computes the scrub data."""
    async with await connect(url, "bench-scrub") as ws:
        counted = _Counted(ws)
        tab = Tab(counted, "")
        slider, fragment = playground_parts(await tab.open(60, PLAYGROUND, "lr=0.0001"))
        sizes, times = [], []
        for n, option in enumerate(move_plan(slider, COMMITS + 1)):
            counted.received = 0
            answer = await tab.run(60, fragment_id=fragment, widgets=slider.release_at(option))
            problem = move_problem(answer, option)
            if problem:
                raise RuntimeError(f"release at {option}: {problem}")
            if n:
                sizes.append(counted.received)
                times.append(answer.finished_ms)
    return {"kb": statistics.median(sizes) / 1000, "ms": statistics.median(times), "kb_max": max(sizes) / 1000}


def commit_cost(url: str) -> str:
    """The ``_commits`` figures of the app at ``url`` as a line."""
    cost = asyncio.run(_commits(url))
    return (f"lr release ({COMMITS} on the default Playground): {cost['kb']:.0f} KB received per release (median; "
            f"max {cost['kb_max']:.0f} KB), script_finished after {cost['ms']:.0f} ms (median)")


def _each(results: list[dict], name: str) -> str:
    """Figure ``name`` of each of ``results``, as "31 / 35 / 33"."""
    return " / ".join(f"{result[name]:.0f}" for result in results)


def main() -> None:
    from playwright.sync_api import sync_playwright

    with streamlit_server("app.py") as app:
        commit = commit_cost(app)  # before Playwright's sync API, whose event loop asyncio.run cannot run inside
        with sync_playwright() as p:
            browser = launch_chromium(p)
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            page.set_default_timeout(30_000)
            drag = _drag(page, app)
            sweep = _sweep(page)
            race = _race_sweep(page, app)
            browser.close()
    print(f"lr drag, {MOVES} mouse moves in {drag['seconds']:.2f} s: {drag['fps']:.0f} frames/s drawn, "
          f"{drag['paths']} new paths shown ({drag['paths_per_s']:.0f}/s; budget >= 30 frames/s); "
          f"Plotly.animate call median {drag['restyle_median']:.1f} ms, p95 {drag['restyle_p95']:.1f} ms; "
          f"websocket frames sent during the drag: {drag['sent']}")
    print(f"lr sweep, one pointer move per frame for {SWEEP_MS / 1000:.1f} s: {sweep['fps']:.0f} frames/s drawn, "
          f"{sweep['paths_per_s']:.0f} new paths/s (budget >= 30); racing four ({RACE_SWEEPS} sweeps): "
          f"{_each(race, 'fps')} frames/s, {_each(race, 'paths_per_s')} new paths/s")
    print(commit)
    default_kb, worst_kb, worst, slowest = _data_sizes()
    print(f"scrub data: default Playground {default_kb:.0f} KB; largest default {worst_kb:.0f} KB ({worst}); "
          f"budget 300 KB per optimizer; batched engine call + packing at most {slowest:.0f} ms (uncached)")


if __name__ == "__main__":
    if sys.argv[1:2] == ["commit"]:  # python -m benchmarks.bench_scrub commit URL: one running app's figures only
        print(commit_cost(sys.argv[2]))
    else:
        main()
