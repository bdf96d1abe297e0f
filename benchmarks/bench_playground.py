"""Playground latency in a real browser, against a bare page measured in the same run.

* redraw: time from a keyboard move of the "Learning rate" slider to the map's SVG changing, median of
  MOVES moves.  Every move goes on in one direction, so each one asks for a learning rate not seen before:
  the server simulates and builds the figure anew, and the browser receives it in full (Streamlit's message
  cache never has it).  Measured twice: moves 150 ms after the last redraw (quick repeated moves, the rest
  of the page may still be drawing) and 600 ms after it (a move on a settled page).  Also timed: until the
  last figure of the page (the loss + lr chart) has changed too.
* the floor: benchmarks/baseline_page.py (one slider, one small Plotly chart) moved the same way, served
  with Streamlit's default settings (the issue's "bare Streamlit page") and with this app's
  .streamlit/config.toml (which turns off Streamlit's forced full garbage collection after each run);
* first load: goto -> the map and the outcome are on screen (warm server, fresh browser context), against
  the bare page's first load (its chart on screen), the two interleaved;
* payload: the JSON size of the default page's figures (map, stability strip, loss + lr chart);
* animation: Play on a race of 4 optimizers x 500 steps, the time between the frames Plotly drew.
"""

from __future__ import annotations

import shutil
import statistics
import tempfile
import time
from pathlib import Path

import plotly.io as pio

from benchmarks.harness import ROOT, launch_chromium, streamlit_server
from lab.figures_map import MAX_FRAMES

MOVES = 15
LOADS = 5
SETTLE_MS = (150, 600)  # pause after each redraw before the next move
# Two runs of fresh moves on the Playground: down from its default lr, and up from 1e-4 (values the first
# run never reached), so no move repeats a learning rate.
PLAYGROUND_RUNS = {150: ("", "ArrowLeft"), 600: ("?lr=0.0001", "ArrowRight")}
BARE_RUNS = {150: "ArrowRight", 600: "ArrowLeft"}
_CHANGED = "([sel, old]) => { const e = document.querySelector(sel); return !!e && e.innerHTML !== old; }"


def _redraw_ms(page, slider: str, charts: list[str], key: str, settle_ms: int) -> list[float]:
    """Median ms from a key press to each of ``charts`` changing (in order), over MOVES presses of ``key``."""
    page.locator(slider).focus()
    times: list[list[float]] = []
    for _ in range(MOVES + 1):
        before = [page.inner_html(chart) for chart in charts]
        t0 = time.perf_counter()
        page.keyboard.press(key)
        row = []
        for chart, old in zip(charts, before, strict=True):
            page.wait_for_function(_CHANGED, arg=[chart, old], polling="raf")
            row.append((time.perf_counter() - t0) * 1000)
        times.append(row)
        page.wait_for_timeout(settle_ms)
    return [statistics.median(col) for col in zip(*times[1:], strict=True)]  # the first move warms up


def _bare_floor(page, url: str) -> dict[int, float]:
    floors = {}
    for settle, key in BARE_RUNS.items():
        page.goto(f"{url}/")
        page.wait_for_selector(".st-key-chart .main-svg")
        floors[settle] = _redraw_ms(page, ".st-key-a input", [".st-key-chart .scatterlayer"], key, settle)[0]
    return floors


def _first_load(browser, url: str, selectors: list[str]) -> float:
    """Seconds from opening ``url`` in a fresh browser context (nothing cached) until ``selectors`` show."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    t0 = time.perf_counter()
    page.goto(url)
    for selector in selectors:
        page.wait_for_selector(selector, timeout=30_000)
    seconds = time.perf_counter() - t0
    context.close()
    return seconds


RACE = "?surface=rosenbrock&optimizer=sgd,momentum,rmsprop,adam&lr=0.001&lr_2=0.001&lr_3=0.01&lr_4=0.05&steps=500"


def _animation_gaps_ms(page, url: str) -> tuple[float, float, int]:
    """Play the map of 4 optimizers x 500 steps; (median, p95) ms between the frames Plotly drew, and their
    count (Plotly's "plotly_animatingframe" event, from Play until "plotly_animated")."""
    page.goto(url + RACE)
    page.wait_for_selector(".st-key-pg_map .main-svg")
    page.wait_for_timeout(1000)
    page.evaluate("""() => { const gd = document.querySelector('.st-key-pg_map .js-plotly-plot');
        window.frameTimes = []; window.played = false;
        gd.on('plotly_animatingframe', () => window.frameTimes.push(performance.now()));
        gd.on('plotly_animated', () => { window.played = true; }); }""")
    page.locator(".st-key-pg_map").get_by_role("button", name="Play").click()
    page.wait_for_function("() => window.played", timeout=30_000)
    times = page.evaluate("() => window.frameTimes")
    gaps = sorted(b - a for a, b in zip(times, times[1:], strict=False))
    return statistics.median(gaps), gaps[int(0.95 * (len(gaps) - 1))], len(times)


def _payload_kb() -> float:
    from lab.config import default_config
    from lab.figures_charts import progress_figure, stability_figure
    from lab.figures_map import map_figure
    from lab.raster import surface_picture
    from lab.runs import get_surface, run_of

    c = default_config()
    s, o, run = get_surface(c.surface_key), c.optimizers[0], run_of(c)
    figs = [map_figure(s, [run], ["sgd"], surface_picture(s)), stability_figure(0.1, 0.2, [o.lr], ["sgd"]),
            progress_figure(s, [run], ["sgd"])]
    return sum(len(pio.to_json(f, validate=False)) for f in figs) / 1024


def main() -> None:
    from playwright.sync_api import sync_playwright

    bare_page = ROOT / "benchmarks" / "baseline_page.py"
    with tempfile.TemporaryDirectory() as defaults_dir:  # no .streamlit/config.toml there: Streamlit's defaults
        script = shutil.copy(bare_page, Path(defaults_dir) / bare_page.name)
        with sync_playwright() as p, streamlit_server("app.py") as app, \
                streamlit_server(script, cwd=Path(defaults_dir)) as bare, \
                streamlit_server(str(bare_page)) as bare_app_config:
            browser = launch_chromium(p)
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            page.set_default_timeout(30_000)
            floors = {"Streamlit's defaults": _bare_floor(page, bare),
                      "this app's config": _bare_floor(page, bare_app_config)}

            page.goto(f"{app}/playground")  # warms the server's caches
            page.wait_for_selector(".st-key-pg_map .main-svg")
            loads: dict[str, list[float]] = {"playground": [], "bare": []}
            for _ in range(LOADS):  # interleaved, so a busy moment slows both alike
                loads["playground"].append(_first_load(browser, f"{app}/playground",
                                                       [".st-key-pg_map .main-svg", ".st-key-outcome"]))
                loads["bare"].append(_first_load(browser, f"{bare}/", [".st-key-chart .main-svg"]))
            charts = [".st-key-pg_map .scatterlayer", ".st-key-pg_progress .scatterlayer"]
            times = {}
            for settle, (query, key) in PLAYGROUND_RUNS.items():
                page.goto(f"{app}/playground{query}")
                page.wait_for_selector(".st-key-pg_map .main-svg")
                page.wait_for_timeout(1000)
                times[settle] = _redraw_ms(page, ".st-key-pg_lrs0 [role=slider]", charts, key, settle)
            gaps = _animation_gaps_ms(page, f"{app}/playground")
            browser.close()
    for settle in SETTLE_MS:
        (ms, all_ms) = times[settle]
        ratios = ", ".join(f"{ms / floor[settle]:.2f} vs the bare page with {name} ({floor[settle]:.0f} ms)"
                           for name, floor in floors.items())
        print(f"slider -> map redrawn, moves {settle} ms apart, median of {MOVES} fresh values: {ms:.0f} ms "
              f"(budget 150 ms); every figure redrawn: {all_ms:.0f} ms")
        print(f"  ratio {ratios} (target <= 1.5, aim 1.2)")
    ours, floor = (statistics.median(loads[name]) for name in ("playground", "bare"))
    print(f"first load (warm server, median of {LOADS}): {ours:.2f} s (budget 3 s); {ours / floor:.2f}x the bare "
          f"page's {floor:.2f} s")
    print(f"default figure payload: {_payload_kb():.0f} KB (budget 400 KB)")
    frame_ms = max(15, 3000 // (MAX_FRAMES + 1))
    print(f"animation, 4 optimizers x 500 steps: {gaps[2]} frames, median {gaps[0]:.0f} ms apart, p95 {gaps[1]:.0f} ms "
          f"(set to {frame_ms} ms: {1000 / gaps[0]:.0f} frames/s)")


if __name__ == "__main__":
    main()
