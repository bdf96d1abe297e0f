"""First loads of the app's pages and the opening of the Playground's Share dialog, in a real browser, as
ratios against bare Streamlit pages measured in the same run.

* first load: goto -> every chart of the page drawn and the page's last element on screen, in a fresh browser
  context (nothing cached), the server warm (each page opened once before).  Pages: the Playground and the
  lessons in LESSON_NUMBERS (lesson 1 has the most charts, four, and a formula; lesson 2 is the first
  link a class gets; lesson 10 trains a real model).  The floor: benchmarks/baseline_page.py (one slider,
  one small Plotly chart) with Streamlit's default settings, its chart drawn.  Every round opens each page
  once, in a rotating order, so that a busy moment of this shared machine slows them alike; printed are the
  median and the spread (min-max) of the seconds, and the median of the per-round ratios.
* server run: before any browser, one websocket client opens each page on the fresh server (its caches
  cold: the first visitor) and then ROUNDS times more (warm): the time from asking for the page to its
  script_finished, i.e. the Python side of a first load.
* Share dialog: on a Playground opened in a fresh context and left alone for READ_S (a user looks at the
  run before sharing it), the time from clicking "Share and export" to the dialog's link and QR code being
  visible; then closed and opened again (second open).  The floor: benchmarks/baseline_dialog.py, a button
  opening a dialog with one line of text, loaded and clicked the same way, interleaved.
"""

from __future__ import annotations

import asyncio
import shutil
import statistics
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

import websockets

from benchmarks.bench_classroom import Tab
from benchmarks.harness import ROOT, launch_chromium, streamlit_server
from lessons import LESSONS

ROUNDS = 7
LESSON_NUMBERS = (1, 2, 10)
READ_S = 3.0
TIMEOUT_MS = 60_000
PLAYGROUND_CHARTS = 3  # map, stability strip, loss + lr
DIALOG = '[role="dialog"]'
# Every live chart (views/widgets/live_chart.py draws into a div.live-chart) of the page drawn, at least ``n`` of them,
# and the page's last element there.
_DRAWN = """([n, last]) => { const charts = [...document.querySelectorAll('.live-chart')];
    return charts.length >= n && charts.every((c) => c.querySelector('.main-svg'))
        && [...document.querySelectorAll('a, button')].some((e) => e.innerText.includes(last)); }"""


def lesson_charts(number: int) -> int:
    """How many charts lesson ``number`` draws: its map, its Playground charts and its extra figures."""
    lesson = LESSONS[number - 1]
    return 1 + len(lesson.charts) + len(lesson.extras)


def _pages() -> dict[str, tuple[str, int, str]]:
    """name -> (path, charts, text of the page's last link or button)."""
    pages = {"playground": ("playground", PLAYGROUND_CHARTS, "Share and export")}
    for number in LESSON_NUMBERS:
        last = "Next: " if number < len(LESSONS) else "Next: the Claims lab"
        pages[f"lesson {number}"] = (LESSONS[number - 1].url_path, lesson_charts(number), last)
    return pages


def _fresh_page(browser):
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    return context, page


def first_load(browser, url: str, charts: int, last: str | None) -> float:
    """Seconds from opening ``url`` in a fresh context until its charts are drawn (the bare page: its one
    Plotly chart, ``last`` None)."""
    context, page = _fresh_page(browser)
    t0 = time.perf_counter()
    page.goto(url)
    if last is None:
        page.wait_for_selector(".st-key-chart .main-svg")
    else:
        page.wait_for_function(_DRAWN, arg=[charts, last], polling="raf", timeout=TIMEOUT_MS)
    seconds = time.perf_counter() - t0
    context.close()
    return seconds


def _open_dialog(page, button: str, shown: Sequence[str]) -> float:
    t0 = time.perf_counter()
    page.get_by_role("button", name=button).click()
    for selector in shown:
        page.wait_for_selector(f"{DIALOG} {selector}", state="visible")
    seconds = time.perf_counter() - t0
    page.keyboard.press("Escape")
    page.wait_for_selector(DIALOG, state="detached")
    return seconds


def dialog_opens(browser, url: str, ready: str, button: str, shown: Sequence[str]) -> tuple[float, float]:
    """(first, second) open of a dialog: seconds from clicking ``button`` until ``shown`` are visible in
    it, on a page opened in a fresh context (``ready`` drawn) and left alone for READ_S."""
    context, page = _fresh_page(browser)
    page.goto(url)
    page.wait_for_selector(ready)
    page.wait_for_timeout(READ_S * 1000)
    first = _open_dialog(page, button, shown)
    page.wait_for_timeout(500)
    second = _open_dialog(page, button, shown)
    context.close()
    return first, second


async def _script_ms(url: str, page_name: str) -> float:
    stream = url.replace("http://", "ws://", 1) + "/_stcore/stream"
    async with websockets.connect(stream, subprotocols=["streamlit"], max_size=2**24, open_timeout=30) as ws:
        answer = await Tab(ws, "").run(TIMEOUT_MS / 1000, page_name=page_name)
    if answer.exceptions:
        raise RuntimeError(f"{page_name}: {answer.exceptions}")
    return answer.finished_ms


def server_runs(url: str, paths: Sequence[str]) -> dict[str, tuple[float, list[float]]]:
    """Per page: ms of its script run on a server that never ran it (cold caches), then ROUNDS warm ones."""
    return {path: (asyncio.run(_script_ms(url, path)), [asyncio.run(_script_ms(url, path)) for _ in range(ROUNDS)])
            for path in paths}


def spread(values: Sequence[float]) -> str:
    """'median M s (min-max)'."""
    return f"{statistics.median(values):.2f} s ({min(values):.2f}-{max(values):.2f})"


def ratio(values: Sequence[float], floors: Sequence[float]) -> float:
    """The median of the per-round ratios (each round's value over the floor of the same round)."""
    return statistics.median(v / f for v, f in zip(values, floors, strict=True))


def measure(app: str, bare: str, bare_dialog: str, browser) -> dict[str, list]:
    """Interleaved rounds of first loads and dialog opens; seconds per round for each name."""
    pages = _pages()
    for path, charts, last in pages.values():  # warm the server's caches: the figures are of warm loads
        first_load(browser, f"{app}/{path}", charts, last)
    first_load(browser, f"{bare}/", 1, None)
    times: dict[str, list] = {name: [] for name in ["bare", *pages, "share", "bare dialog"]}
    loads = [("bare", lambda: first_load(browser, f"{bare}/", 1, None))]
    loads += [(name, lambda p=p: first_load(browser, f"{app}/{p[0]}", p[1], p[2])) for name, p in pages.items()]
    for r in range(ROUNDS):
        for name, load in loads[r % len(loads):] + loads[:r % len(loads)]:
            times[name].append(load())
        share = dialog_opens(browser, f"{app}/playground", ".st-key-pg_map .main-svg", "Share and export",
                             ["[data-testid=stCode]", "svg path"])
        floor = dialog_opens(browser, f"{bare_dialog}/", ".st-key-share", "Share", ["p"])
        times["share"].append(share)
        times["bare dialog"].append(floor)
    return times


def report(times: dict[str, list], server: dict[str, tuple[float, list[float]]]) -> None:
    bare = times["bare"]
    print(f"first load, warm server, fresh browser (median of {ROUNDS} interleaved rounds, min-max); "
          f"budget <= 1.2x the bare page:")
    print(f"  bare page: {spread(bare)}")
    for name, (path, _, _) in _pages().items():
        cold, warm = server[path]
        print(f"  {name}: {spread(times[name])}, {ratio(times[name], bare):.2f}x the bare page "
              f"(server script: {cold:.0f} ms cold, {statistics.median(warm):.0f} ms warm)")
    for which, label in ((0, "first open"), (1, "second open")):
        share, floor = [s[which] for s in times["share"]], [f[which] for f in times["bare dialog"]]
        print(f"Share dialog, {label} -> link and QR visible: {spread(share)}, {ratio(share, floor):.2f}x a bare "
              f"dialog's {statistics.median(floor):.2f} s (target well under 1 s)")


def main() -> None:
    from playwright.sync_api import sync_playwright

    bare_page, bare_dialog = ROOT / "benchmarks" / "baseline_page.py", ROOT / "benchmarks" / "baseline_dialog.py"
    with tempfile.TemporaryDirectory() as defaults_dir:  # no .streamlit/config.toml there: Streamlit's defaults
        scripts = [shutil.copy(page, Path(defaults_dir) / page.name) for page in (bare_page, bare_dialog)]
        with streamlit_server("app.py") as app, streamlit_server(scripts[0], cwd=Path(defaults_dir)) as bare, \
                streamlit_server(scripts[1], cwd=Path(defaults_dir)) as dialog:
            server = server_runs(app, [path for path, _, _ in _pages().values()])  # before Playwright's event loop
            with sync_playwright() as p:
                browser = launch_chromium(p)
                times = measure(app, bare, dialog, browser)
                browser.close()
    report(times, server)


if __name__ == "__main__":
    main()
