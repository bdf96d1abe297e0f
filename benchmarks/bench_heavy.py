"""One heavy request beside a student (issue 12): a student's Playground slider answer time alone, then while
another session keeps loading the largest stability map a link may ask for, on one server.

The student is a protocol-level client (benchmarks/classroom_protocol.py: a websocket speaking Streamlit's
protocol as the browser does): it opens the Playground with a fresh noise seed (part of every cache key), moves
the lr slider MOVES_PER_VISIT options up, one at a time (runs not computed before), THINK_S after each answer,
and opens the Playground again with another seed; a move is timed from the request to the map's delta and
checked (its legend names the new lr).  The heavy session opens /stability-map?steps=<the most steps> again and
again, each time from a slightly different start (so no load is in the cache): 100 × 100 cells of 2,000 steps,
which the work budget (lab.tool_budget) fits to the largest map one request may run; its answer is timed to
``script_finished``.  It does so on the map's default surface (the quadratic) and on the surface whose map costs
the most engine time per point-step (the six-hump camel: about 1.6 s for the budget's 5,000,000 here, against
0.1-0.6 s for the others).

Figures: p50 and p95 of the student's move answers alone and beside each heavy session, and their ratios; the
heavy page's load times.  The phases run on the same warm server, one after the other, MOVES moves each.
`python -m benchmarks.bench_heavy --moves 20` is a shorter run.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import time
from collections.abc import Sequence

import engine
from benchmarks.classroom_protocol import (
    PLAYGROUND,
    Tab,
    connect,
    current_option,
    move_plan,
    move_problem,
    ms_or_inf,
    page_problem,
    playground_parts,
)
from benchmarks.classroom_report import nearest_rank
from benchmarks.harness import streamlit_server
from lab.config import STEPS_PARAM
from lab.tool_grids import stability_fit
from lab.tool_links import STABILITY, read_tool

MOVES, MOVES_PER_VISIT, THINK_S, START_LR = 40, 5, 0.3, "0.0001"
HEAVY_PATH, HEAVY_SURFACES = "stability-map", ("quadratic", "six_hump_camel")
ANSWER_TIMEOUT_S, LOAD_TIMEOUT_S = 60.0, 120.0


def heavy_query(surface: str, index: int) -> str:
    """The largest stability map a link may ask for on ``surface``, from a start of its own (``index``: no load
    is in the cache)."""
    x0, y0 = engine.surface(surface).start
    return f"surface={surface}&steps={STEPS_PARAM.high}&x0={x0:g}&y0={y0 + index / 1000:g}"


async def student_moves(url: str, moves: int, first_seed: int) -> list[float]:
    """``moves`` slider moves (ms to the map's delta): MOVES_PER_VISIT per visit, each visit a new tab opening the
    Playground at START_LR with a seed of its own; RuntimeError on a wrong answer or a Playground not at the
    link's lr.  (A new tab each time: a tab that opens the Playground again keeps the lr its slider was moved to,
    whatever the link's lr.)"""
    times: list[float] = []
    seed = first_seed
    while len(times) < moves:
        async with await connect(url, f"student-{seed}") as ws:
            tab = Tab(ws, "")
            slider, fragment_id = playground_parts(await tab.open(LOAD_TIMEOUT_S, PLAYGROUND,
                                                                  f"lr={START_LR}&seed={seed}"))
            if float(current_option(slider)) != float(START_LR):
                raise RuntimeError(f"the Playground opened at lr {current_option(slider)}, not the link's {START_LR}")
            for option in move_plan(slider, min(MOVES_PER_VISIT, moves - len(times))):
                await asyncio.sleep(THINK_S)
                answer = await tab.run(ANSWER_TIMEOUT_S, fragment_id=fragment_id, widgets=slider.release_at(option))
                if problem := move_problem(answer, option):
                    raise RuntimeError(f"move to lr {option}: {problem}")
                times.append(ms_or_inf(answer.map_ms))
                slider, fragment_id = answer.slider or slider, answer.fragment_id or fragment_id
        seed += 1
    return times


async def heavy_loads(url: str, surface: str, stop: asyncio.Event, loads: list[float], first_index: int) -> None:
    """Open the largest stability map again and again, each from a new start, until ``stop`` is set (once at
    least, when it is set already)."""
    async with await connect(url, "heavy") as ws:
        tab = Tab(ws, "")
        opened = await tab.open(LOAD_TIMEOUT_S, PLAYGROUND, "")
        page = next(page for page in tab.pages if page.url_path == HEAVY_PATH)
        index = first_index
        while not (stop.is_set() and loads):
            query = heavy_query(surface, index)
            answer = await tab.open(LOAD_TIMEOUT_S, page.url_path, query, page.script_hash)
            if problem := page_problem(answer) or page_problem(opened):
                raise RuntimeError(f"/{HEAVY_PATH}?{query}: {problem}")
            loads.append(ms_or_inf(answer.finished_ms))
            index += 1


async def bench(url: str, moves: int) -> tuple[list[float], dict[str, tuple[list[float], list[float]]]]:
    """Warm the server (one heavy load of each surface, the student's Playground), then the student's moves alone
    and beside each heavy session.  Returns the move times alone and, by surface, (the moves beside, the heavy
    loads)."""
    warm = asyncio.Event()
    warm.set()  # one load only
    for surface in HEAVY_SURFACES:
        await heavy_loads(url, surface, warm, [], first_index=0)
    beside: dict[str, tuple[list[float], list[float]]] = {}
    await student_moves(url, MOVES_PER_VISIT, first_seed=1)
    alone = await student_moves(url, moves, first_seed=100)
    for number, surface in enumerate(HEAVY_SURFACES, start=1):
        stop, loads = asyncio.Event(), []
        heavy = asyncio.create_task(heavy_loads(url, surface, stop, loads, first_index=1))
        while not loads and not heavy.done():  # the heavy session is at work before the student moves
            await asyncio.sleep(0.1)
        try:
            moved = await student_moves(url, moves, first_seed=1000 * number)
        finally:
            stop.set()
            await asyncio.wait_for(heavy, LOAD_TIMEOUT_S)
        beside[surface] = moved, loads
    return alone, beside


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="A student's slider beside the largest stability map")
    parser.add_argument("--moves", type=int, default=MOVES, help="slider moves in each phase")
    args = parser.parse_args(argv)
    config, _, _ = read_tool(STABILITY, dict(part.split("=") for part in heavy_query(HEAVY_SURFACES[0], 0).split("&")))
    held = stability_fit(config)
    with streamlit_server("app.py") as url:
        start = time.perf_counter()
        alone, beside = asyncio.run(bench(url, args.moves))
    print(f"heavy: a student's lr slider ({args.moves} fresh moves per phase, {THINK_S} s apart) alone, then beside "
          f"another session loading /{HEAVY_PATH}?steps={STEPS_PARAM.high} without pause: asked "
          f"{held.asked_resolution} × {held.asked_resolution} × {held.asked_steps} steps, run "
          f"{held.resolution} × {held.resolution} × {held.steps} ({held.work:,.0f} point-steps, the budget); "
          f"{os.cpu_count()} cores, {time.perf_counter() - start:.0f} s")
    p50, p95 = nearest_rank(alone, 50), nearest_rank(alone, 95)
    print(f"  slider answer alone: p50 {p50:.0f} ms, p95 {p95:.0f} ms")
    for surface, (moved, loads) in beside.items():
        print(f"  beside the {surface} map: p50 {nearest_rank(moved, 50):.0f} ms, p95 {nearest_rank(moved, 95):.0f} "
              f"ms, max {max(moved):.0f} ms; ratio p50 {nearest_rank(moved, 50) / p50:.2f}, p95 "
              f"{nearest_rank(moved, 95) / p95:.2f} ({len(loads)} map loads: p50 {nearest_rank(loads, 50):.0f} ms, "
              f"max {max(loads):.0f} ms)")


if __name__ == "__main__":
    main()
