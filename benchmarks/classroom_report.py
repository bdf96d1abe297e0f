"""The classroom benchmark's figures (benchmarks/bench_classroom.py): each answer a student waited for, each
class's result, the percentiles, the report's table and its verdict: the smallest class on one server whose
p95 passed the budget, per setup of the Playground."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field

ANSWER_TIMEOUT_S = 30.0  # unanswered within it is an error
BUDGET_MS = 1000.0  # DESIGN.md: p95 <= 1 s with 0 errors
SETUPS = {"own": "own setups", "teacher": "teacher's link"}  # bench_classroom --setups: their names in the table


@dataclass
class Action:
    """One answer a student waited for: "move" or "page", its ms (inf if none came) and what went wrong."""

    kind: str
    ms: float
    problem: str | None = None


def nearest_rank(values: Sequence[float], q: float) -> float:
    """The ``q``-th percentile by nearest rank (a failure counted as ``math.inf`` stays infinite); nan if empty."""
    ordered = sorted(values)
    return ordered[max(math.ceil(q / 100 * len(ordered)) - 1, 0)] if ordered else math.nan


def ms(value: float) -> str:
    """A millisecond figure as shown in the table ('> 30 s' for a failure, '-' for none)."""
    if math.isnan(value):
        return "-"
    return f"> {ANSWER_TIMEOUT_S:.0f} s" if math.isinf(value) else f"{value:.0f} ms"


def spread(values: Sequence[float]) -> str:
    """'p50 X ms, p95 Y ms' of millisecond figures (a failure shows as '> ANSWER_TIMEOUT_S')."""
    return f"p50 {ms(nearest_rank(values, 50))}, p95 {ms(nearest_rank(values, 95))}"


@dataclass
class Result:
    """One class's figures: its size, where it ran and on which setup, every protocol and browser action, memory
    and CPU."""

    size: int
    where: str
    setup: str = SETUPS["own"]
    actions: list[Action] = field(default_factory=list)
    browser_actions: list = field(default_factory=list)
    alone: list[Action] = field(default_factory=list)
    peak_rss_mb: float = 0.0
    load: float = 0.0
    server_waiting: float = 0.0
    client_cpu: float = 0.0
    server_cpu: float = 0.0
    wall_s: float = 0.0

    def errors(self) -> list[str]:
        return [a.problem for a in (*self.actions, *self.browser_actions) if a.problem]

    def times(self, kind: str | None = None, browser: bool = False) -> list[float]:
        return [a.ms for a in (self.browser_actions if browser else self.actions) if kind in (None, a.kind)]


def crossing(results: Sequence[Result]) -> str:
    """Per setup run: the smallest single-server class whose p95 answer passed BUDGET_MS, or that none did."""
    found = []
    for setup in SETUPS.values():
        mine = [r for r in results if r.where == "1 server" and r.setup == setup]
        over = [r.size for r in mine if nearest_rank(r.times(), 95) > BUDGET_MS]
        if mine:
            found.append(f"{setup}: p95 crosses 1 s at {min(over)} students" if over
                         else f"{setup}: p95 within 1 s at every size run")
    return "; ".join(found)


def table(results: Sequence[Result]) -> list[str]:
    """The report's rows: per class, its answers (protocol students; Chromium tabs beside), errors, memory, CPU."""
    rows = ["| students | where | setup | answers | p50 | p95 | p95 move | p95 page | Chromium p50/p95 | errors "
            "| server RSS peak | server CPU | server waiting for a core | protocol clients' CPU | machine load |",
            "|" + "---|" * 15]
    for r in results:
        chromium = f"{ms(nearest_rank(r.times(browser=True), 50))} / {ms(nearest_rank(r.times(browser=True), 95))}"
        rows.append(f"| {r.size} | {r.where} | {r.setup} | {len(r.actions) + len(r.browser_actions)} "
                    f"| {ms(nearest_rank(r.times(), 50))} | {ms(nearest_rank(r.times(), 95))} "
                    f"| {ms(nearest_rank(r.times('move'), 95))} | {ms(nearest_rank(r.times('page'), 95))} "
                    f"| {chromium} | {len(r.errors())} | {r.peak_rss_mb:.0f} MB "
                    f"| {r.server_cpu / r.wall_s:.0%} of a core | {r.server_waiting / r.wall_s:.2f} s per s "
                    f"| {r.client_cpu / r.wall_s:.0%} of a core | {r.load:.1f} |")
    return rows
