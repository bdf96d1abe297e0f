"""Playground latency in a real browser, as a ratio against a bare page measured in the same run.

* redraw: time from a keyboard move of the slider to the chart's SVG changing (median of MOVES moves,
  alternating right/left), on the Playground's "Learning rate" slider and on benchmarks/baseline_page.py
  (one slider, one small Plotly chart).  Measured twice: moves 150 ms after the last redraw (quick
  repeated moves: the rest of the page may still be drawing the previous one) and 600 ms after it (a
  move on a settled page);
* first load: goto -> the map and the outcome are on screen (warm server, fresh browser context);
* payload: the JSON size of the default page's figures (map, stability strip, loss + lr chart).
"""

from __future__ import annotations

import statistics
import time

import plotly.io as pio

from tests.e2e.harness import launch_chromium, streamlit_server

MOVES = 15
SETTLE_MS = (150, 600)  # pause after each redraw before the next move
_CHANGED = "([sel, old]) => { const e = document.querySelector(sel); return !!e && e.innerHTML !== old; }"


def _redraw_ms(page, slider: str, chart: str, settle_ms: int = 150) -> float:
    page.locator(slider).focus()
    times = []
    for k in range(MOVES + 1):
        before = page.inner_html(chart)
        t0 = time.perf_counter()
        page.keyboard.press("ArrowRight" if k % 2 == 0 else "ArrowLeft")
        page.wait_for_function(_CHANGED, arg=[chart, before], polling="raf")
        times.append((time.perf_counter() - t0) * 1000)
        page.wait_for_timeout(settle_ms)
    return statistics.median(times[1:])  # the first move warms the caches


def _payload_kb() -> float:
    import numpy as np

    import engine
    from ui.config import default_config
    from ui.figures_charts import progress_figure, stability_figure
    from ui.figures_map import map_figure
    from ui.raster import surface_picture

    c = default_config()
    s = engine.surface(c.surface, **dict(c.surface_params))
    o = c.optimizers[0]
    run = engine.simulate(s, engine.optimizer(o.name, **o.kwargs()), np.array([c.start]), c.steps, record=True)
    figs = [map_figure(s, [run], ["sgd"], surface_picture(s)), stability_figure(0.1, 0.2, [o.lr], ["sgd"]),
            progress_figure(s, [run], ["sgd"])]
    return sum(len(pio.to_json(f, validate=False)) for f in figs) / 1024


def main() -> None:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p, streamlit_server("app.py") as app, \
            streamlit_server("benchmarks/baseline_page.py") as bare:
        browser = launch_chromium(p)
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        page.set_default_timeout(30_000)
        page.goto(f"{bare}/")
        page.wait_for_selector(".st-key-chart .main-svg")
        bare_chart = (".st-key-a input", ".st-key-chart .scatterlayer")
        floors = {settle: _redraw_ms(page, *bare_chart, settle) for settle in SETTLE_MS}

        page.goto(f"{app}/playground")  # warms the server's caches
        page.wait_for_selector(".st-key-pg_map .main-svg")
        loads = []
        for _ in range(3):
            context = browser.new_context(viewport={"width": 1400, "height": 1000})
            fresh = context.new_page()
            t0 = time.perf_counter()
            fresh.goto(f"{app}/playground")
            fresh.wait_for_selector(".st-key-pg_map .main-svg", timeout=30_000)
            fresh.wait_for_selector(".st-key-outcome")
            loads.append(time.perf_counter() - t0)
            context.close()
        map_chart = (".st-key-pg_lr0 input", ".st-key-pg_map .scatterlayer")
        times = {settle: _redraw_ms(page, *map_chart, settle) for settle in SETTLE_MS}
        browser.close()
    for settle in SETTLE_MS:
        ms, floor = times[settle], floors[settle]
        print(f"slider -> redraw, moves {settle} ms apart, median of {MOVES}: playground {ms:.0f} ms, "
              f"bare page {floor:.0f} ms, ratio {ms / floor:.2f} (target <= 1.5, aim 1.2)")
    print(f"first load (warm server): median {statistics.median(loads):.2f} s (budget 3 s)")
    print(f"default figure payload: {_payload_kb():.0f} KB (budget 400 KB)")


if __name__ == "__main__":
    main()
