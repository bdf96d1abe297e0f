"""Classroom load: 30, 60 and 100 students on one server (then 60 through nginx and 3 replicas), each using the
app for DURATION_S seconds: the Playground at its own learning rate, MOVES_PER_VISIT moves of its lr slider, a
lesson, a tool, and again.

Most students are protocol-level clients (benchmarks/classroom_protocol.py: a websocket speaking Streamlit's
protocol as the browser does; a hundred browsers are too heavy for this machine, and each student's browser
draws on its own computer anyway); BROWSERS of them are real Chromium tabs (benchmarks/classroom_browser.py).
Each student opens the Playground at its own lr (spread over 1e-4 ... 1e-2), then moves the slider one option
up at a time, thinking 0.5-1.5 s before each action; then opens a lesson and a tool (their default setups,
cached after the first student: the class follows the teacher).  Two SETUPS of the Playground: "own", a fresh
noise seed at every visit (part of every cache key, so no run of it, nor its slider's data, was computed
before: the worst case), and "teacher's link", every student on the same link at its own lr (what one
student's run computed, the others reuse: the usual class).
Students join over the first RAMP_S seconds, as a class opening the teacher's link does.

An answer is timed from the request to, for a move, the map's delta (the ``pg_map`` live chart) and, for a page,
``script_finished``; a move is checked (its map's legend names the new lr), every answer is checked for
exception elements and a clean finish.  Unanswered within ANSWER_TIMEOUT_S is an error (that student stops).
Each size runs on a fresh server after one student alone opened every page once (cold) and moved the slider.
Server memory is the resident set (VmRSS) of the Streamlit process(es), sampled every 0.5 s: the peak.  Beside
the servers' CPU, "waiting for a core" is the seconds per second their threads were ready to run but the
machine's cores were busy (/proc schedstat), and the load average: on a shared machine these tell a slow
server from a starved one.

The Chromium tabs (students' own devices in a class) share at most BROWSER_CORES of this machine's cores (a
cgroup's CPU quota, where one can be made; at nice BROWSER_NICENESS besides): their own devices would draw
for them, so they neither take the servers' cores nor starve behind them.  Their times include their drawing.
The budget (DESIGN.md) is p95 <= 1 s with 0 errors.
`python -m benchmarks.bench_classroom --quick` is a short check of the whole road (one small class, 15 s).
"""

from __future__ import annotations

import argparse
import asyncio
import math
import os
import random
import time
from collections.abc import Sequence

import websockets

from benchmarks.classroom_browser import browser_student
from benchmarks.classroom_protocol import (
    PLAYGROUND,
    Answer,
    Tab,
    connect,
    move_plan,
    move_problem,
    ms_or_inf,
    page_problem,
    playground_parts,
    start_lrs,
    visit_query,
)
from benchmarks.classroom_report import (
    ANSWER_TIMEOUT_S,
    SETUPS,
    Action,
    Result,
    crossing,
    spread,
    table,
)
from benchmarks.harness import cpu_cap, launch_chromium
from benchmarks.server_stats import app_at, cpu_s, server_pids, waiting_s, watch_memory

SIZES, PROXY_SIZES, REPLICAS, BROWSERS, DURATION_S = (30, 60, 100), (60, 100), 3, 5, 60.0
QUICK = {"sizes": (10,), "proxy_sizes": (10,), "browsers": 2, "duration": 15.0}
MOVES_PER_VISIT, THINK_S, RAMP_S = 5, (0.5, 1.5), 5.0
LOAD_TIMEOUT_S, BROWSER_NICENESS = 90.0, 19  # the last: the Chromium tabs' nice -n
BROWSER_CORES = 1.0  # the Chromium tabs' CPU quota, all of them together
START_RANGE = (1e-4, 1e-2)


# ----------------------------------------------------------------------------------------------------------
# One protocol student


async def _ask(kind: str, request) -> tuple[Action, Answer | None]:
    """Await a request's answer: the action (timed to the map delta for a move, to script_finished for a page;
    checked as a page) and the answer (None when none came)."""
    try:
        answer = await request
    except TimeoutError:
        return Action(kind, math.inf, f"{kind}: no answer within {ANSWER_TIMEOUT_S:.0f} s"), None
    except websockets.ConnectionClosed as err:
        return Action(kind, math.inf, f"{kind}: connection closed ({err})"), None
    problem = page_problem(answer)
    return Action(kind, ms_or_inf(answer.map_ms if kind == "move" else answer.finished_ms),
                  problem and f"{kind}: {problem}"), answer


async def student(url: str, index: int, lr: str, lessons: Sequence[str], tools: Sequence[str],
                  deadline: float, own: bool = True) -> list[Action]:
    """One protocol student's session until ``deadline``: visits of the Playground (a fresh seed when ``own``,
    else the teacher's link), its slider, a lesson and a tool.  Stops at the first wrong or missing answer."""
    think, done, visit = random.Random(index), [], 0

    async def later(request, kind: str = "page") -> Answer | None:
        """After a think time, ``request``'s answer (None and nothing asked when the time is up or it failed)."""
        await asyncio.sleep(think.uniform(*THINK_S))
        if time.perf_counter() >= deadline:
            return None
        action, answer = await _ask(kind, request())
        done.append(action)
        return None if action.problem else answer

    try:
        ws = await connect(url, f"student-{index}")
    except RuntimeError as err:
        return [Action("page", math.inf, str(err))]
    async with ws:
        tab = Tab(ws, "")
        while time.perf_counter() < deadline:
            query = visit_query(lr, 1000 * visit + index + 2 if own else None)
            answer = await later(lambda q=query: tab.open(LOAD_TIMEOUT_S, PLAYGROUND, q))
            if answer is None:
                break
            slider, fragment_id = playground_parts(answer)
            for option in move_plan(slider, MOVES_PER_VISIT):
                released = slider.release_at(option)
                answer = await later(lambda r=released, f=fragment_id: tab.run(ANSWER_TIMEOUT_S, fragment_id=f,
                                                                               widgets=r), "move")
                if answer is None:
                    return done
                done[-1].problem = move_problem(answer, option) and f"move: {move_problem(answer, option)}"
                slider, fragment_id = answer.slider or slider, answer.fragment_id or fragment_id
            for path in (lessons[(index + visit) % len(lessons)], tools[(index + visit) % len(tools)]):
                page = next(page for page in tab.pages if page.url_path == path)
                if await later(lambda p=page: tab.open(ANSWER_TIMEOUT_S, p.url_path, "", p.script_hash)) is None:
                    return done
            visit += 1
    return done


async def open_every_page(url: str) -> tuple[list[str], list[str], list[str], list[Action]]:
    """One student alone opens the Playground (its slider's options and the app's pages), then every lesson and
    tool once (cold).  Returns the options, the lessons' and tools' URL paths, and the page opens."""
    async with await connect(url, "alone") as ws:
        tab = Tab(ws, "")
        first = await tab.open(LOAD_TIMEOUT_S, PLAYGROUND, f"lr={START_RANGE[0]:g}&seed=1")
        slider, _ = playground_parts(first)
        lessons = [page.url_path for page in tab.pages if page.section == "Lessons"]
        tools = [page.url_path for page in tab.pages if page.section == "Tools"]
        if not lessons or not tools:
            raise RuntimeError(f"no Lessons or Tools section in the navigation: {tab.pages}")
        done = [Action("page", first.finished_ms, page_problem(first))]
        for page in tab.pages:
            if page.url_path in (*lessons, *tools):
                answer = await tab.open(LOAD_TIMEOUT_S, page.url_path, "", page.script_hash)
                done.append(Action("page", ms_or_inf(answer.finished_ms), page_problem(answer)))
    return list(slider.options), lessons, tools, done


async def warm_up(servers: Sequence[str]) -> tuple[list[str], list[str], list[str], list[Action]]:
    """Every server (each replica, directly) opens every page once; then one student alone works for 8 s on the
    first.  Returns the slider's options, the lessons' and tools' URL paths and the lone student's actions."""
    for url in servers:
        options, lessons, tools, _ = await open_every_page(url)
    alone = await student(servers[0], 0, f"{START_RANGE[0]:g}", lessons, tools, time.perf_counter() + 8)
    return options, lessons, tools, alone


# ----------------------------------------------------------------------------------------------------------
# A class


async def classroom(url: str, servers: Sequence[str], size: int, browser, browsers: int, duration: float,
                    where: str, setup: str) -> Result:
    """One class of ``size`` students (``browsers`` of them Chromium tabs) for ``duration`` s on the app at ``url``
    (served by ``servers``, each warmed up first), on the Playground ``setup`` (a key of ``SETUPS``)."""
    options, lessons, tools, alone = await warm_up(servers)
    lrs = start_lrs(options, size, *START_RANGE)
    pids, peaks, result = server_pids(), {}, Result(size, where, SETUPS[setup], alone=alone)
    own = setup == "own"
    watcher = asyncio.create_task(watch_memory(pids, peaks))
    cpu0, waiting0, wall0, client0 = cpu_s(pids), waiting_s(pids), time.perf_counter(), time.process_time()
    deadline = wall0 + RAMP_S + duration

    async def join(index: int):
        await asyncio.sleep(RAMP_S * index / size)
        if index < browsers:
            return await browser_student(browser, url, index, lrs[index], lessons, tools, deadline, MOVES_PER_VISIT,
                                         THINK_S, ANSWER_TIMEOUT_S, own)
        return await student(url, index, lrs[index], lessons, tools, deadline, own)

    sessions = await asyncio.gather(*(join(index) for index in range(size)))
    result.wall_s, result.server_cpu = time.perf_counter() - wall0, cpu_s(pids) - cpu0
    result.load, result.server_waiting = os.getloadavg()[0], waiting_s(pids) - waiting0
    result.client_cpu = time.process_time() - client0
    watcher.cancel()
    result.peak_rss_mb = sum(peaks.values())
    for index, actions in enumerate(sessions):
        (result.browser_actions if index < browsers else result.actions).extend(actions)
    return result


async def bench(sizes: Sequence[int], proxy_sizes: Sequence[int], replicas: int, browsers: int,
                duration: float, setups: Sequence[str]) -> list[Result]:
    from playwright.async_api import async_playwright

    runs = [(setup, size, count) for setup in setups
            for size, count in [*((size, 0) for size in sizes), *((size, replicas) for size in proxy_sizes)]]
    results = []
    async with async_playwright() as playwright:
        group = cpu_cap(BROWSER_CORES)
        print(f"Chromium tabs: nice {BROWSER_NICENESS}, " + (f"at most {BROWSER_CORES} cores (cgroup {group})" if group
              else "no cgroup could be made here: no CPU quota"), flush=True)
        browser = await launch_chromium(playwright, niceness=BROWSER_NICENESS, group=group)
        for setup, size, replica_count in runs:
            where = f"nginx + {replica_count} replicas" if replica_count else "1 server"
            with app_at(replica_count) as (url, servers):
                results.append(await classroom(url, servers, size, browser, min(browsers, size), duration, where,
                                               setup))
            r = results[-1]
            print(f"  {size} students, {where}, {SETUPS[setup]}: answers {spread(r.times())}, "
                  f"moves {spread(r.times('move'))}, "
                  f"pages {spread(r.times('page'))}; Chromium {spread(r.times(browser=True))}; "
                  f"alone {spread([a.ms for a in r.alone if a.kind == 'move'])} per move; "
                  f"{len(r.errors())} errors {r.errors()[:3]}", flush=True)
        await browser.close()
    return results


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Classroom load on one server and behind nginx")
    parser.add_argument("--quick", action="store_true", help="a short check: 10 students, 2 tabs, 15 s")
    parser.add_argument("--sizes", type=int, nargs="*", default=SIZES, help="classes on one server")
    parser.add_argument("--proxy-sizes", type=int, nargs="*", default=PROXY_SIZES, help="classes behind nginx")
    parser.add_argument("--replicas", type=int, default=REPLICAS, help="replicas behind nginx")
    parser.add_argument("--browsers", type=int, default=BROWSERS, help="Chromium tabs among the students")
    parser.add_argument("--duration", type=float, default=DURATION_S, help="seconds each class works")
    parser.add_argument("--setups", nargs="*", choices=SETUPS, default=list(SETUPS), help="the Playground's setups")
    args = parser.parse_args(argv)
    if args.quick:
        vars(args).update(QUICK)
    results = asyncio.run(bench(args.sizes, args.proxy_sizes, args.replicas, args.browsers, args.duration,
                                args.setups))
    print(f"classroom: each student {args.duration:.0f} s of Playground visits ({MOVES_PER_VISIT} fresh lr moves), "
          f"a lesson and a tool, thinking {THINK_S[0]}-{THINK_S[1]} s; {os.cpu_count()} cores; answer = map delta "
          "(move) or script_finished (page); Chromium = a tab's move until the new figure is in the chart")
    print("\n".join(table(results)))
    print(f"  {crossing(results)}; budget p95 <= 1 s with 0 errors")


if __name__ == "__main__":
    main()
