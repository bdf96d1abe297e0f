"""A student in a real Chromium tab, for benchmarks/bench_classroom.py: the same session as the protocol
students (the Playground at its own lr, slider moves, a lesson, a tool, again until the time is up), driven
with Playwright's async API so a few tabs share the benchmark's event loop with the protocol clients.

A move is the keyboard's: ArrowRight on the focused lr slider (its key's release commits the lr), timed until
the map component holds the server's new figure (``live_chart.js`` keeps the last figure it got as
``.latest``; the mark set on the old one is gone).  A page open is ``page.goto``, timed until Streamlit's
script state is "notRunning" with something in the main area (on the Playground: with the map drawn).  A
Streamlit exception element on the page, or a wait past its timeout, is an error.
"""

from __future__ import annotations

import asyncio
import random
import time
from collections.abc import Sequence
from dataclasses import dataclass

from benchmarks.classroom_protocol import MAP_KEY, SLIDER_KEY, STICKY_COOKIE, visit_query

SLIDER, MAP = f".st-key-{SLIDER_KEY} [role=slider]", f".st-key-{MAP_KEY} .live-chart"
SETTLED = """() => { const app = document.querySelector('[data-testid=stApp]');
  return app && app.dataset.testScriptState === 'notRunning'
      && document.querySelectorAll('[data-testid=stMain] [data-testid=stElementContainer]').length > 0; }"""
MAP_DRAWN = f"() => ({SETTLED})() && !!document.querySelector('{MAP} .main-svg')"
MARK = f"() => {{ const g = document.querySelector('{MAP}'); g.latest.marked = true; }}"
NEW_FIGURE = f"() => {{ const g = document.querySelector('{MAP}'); return g && g.latest && !g.latest.marked; }}"
EXCEPTIONS = "() => document.querySelectorAll('[data-testid=stException]').length"


@dataclass
class Timed:
    """One action of a browser student: "move" or "page", its ms (inf if it failed) and what went wrong."""

    kind: str
    ms: float
    problem: str | None = None


async def _timed(kind: str, page, action, wait: str, timeout_ms: float) -> Timed:
    t0 = time.perf_counter()
    try:
        await action()
        await page.wait_for_function(wait, timeout=timeout_ms)
    except Exception as err:  # Playwright's TimeoutError or a navigation error: the student saw no answer
        return Timed(kind, float("inf"), f"{kind}: {type(err).__name__}: {str(err).splitlines()[0]}")
    ms = (time.perf_counter() - t0) * 1000
    shown = await page.evaluate(EXCEPTIONS)
    return Timed(kind, ms, f"{kind}: {shown} exception element(s) on the page" if shown else None)


async def browser_student(browser, url: str, index: int, lr: str, lessons: Sequence[str], tools: Sequence[str],
                          deadline: float, moves: int, think_s: tuple[float, float], timeout_s: float,
                          own: bool = True) -> list[Timed]:
    """One Chromium tab's session until ``deadline`` (perf_counter): per visit, the Playground at ``lr`` (with a
    fresh seed when ``own``, else the teacher's link: ``visit_query``), ``moves`` slider moves, then a lesson
    and a tool (URL paths, taken in turn)."""
    host = url.split("//", 1)[1].split("/", 1)[0].split(":")[0]
    context = await browser.new_context(viewport={"width": 1280, "height": 800})
    await context.add_cookies([{"name": STICKY_COOKIE, "value": f"browser-{index}", "domain": host, "path": "/"}])
    page = await context.new_page()
    think, done, visit, timeout_ms = random.Random(index), [], 0, timeout_s * 1000
    try:
        while time.perf_counter() < deadline:
            address = f"{url}/playground?" + visit_query(lr, 100_000 + 1000 * visit + index if own else None)
            opened = await _timed("page", page, lambda a=address: page.goto(a), MAP_DRAWN, timeout_ms)
            done.append(opened)
            if opened.problem:
                break
            for _ in range(moves):
                await asyncio.sleep(think.uniform(*think_s))
                if time.perf_counter() >= deadline:
                    return done
                await page.evaluate(MARK)
                await page.focus(SLIDER)
                done.append(await _timed("move", page, lambda: page.keyboard.press("ArrowRight"), NEW_FIGURE,
                                         timeout_ms))
            for path in (lessons[(index + visit) % len(lessons)], tools[(index + visit) % len(tools)]):
                await asyncio.sleep(think.uniform(*think_s))
                if time.perf_counter() >= deadline:
                    return done
                done.append(await _timed("page", page, lambda p=path: page.goto(f"{url}/{p}"), SETTLED, timeout_ms))
            visit += 1
    finally:
        await context.close()
    return done
