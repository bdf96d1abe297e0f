"""The work budget (lab.tool_budget): a request within it runs as asked; one over it runs at a lower resolution
first, then with fewer steps, always within the budget and as much of the request as fits; the notice says what
was asked, the budget and what runs instead.  Every tool's default, and the Playground's and the LR finder's
largest requests, are within it."""

from __future__ import annotations

import math
from dataclasses import replace

from hypothesis import given
from hypothesis import strategies as st

import engine
from engine.expressions import MAX_LENGTH
from engine.race import lr_grid
from lab.config import MAX_OPTIMIZERS, STEPS_PARAM, default_config
from lab.tool_budget import EXPRESSION_CHARACTERS, WORK_BUDGET, expression_weight, fit
from lab.tool_grids import BASIN_GRID, GRID, SMALLEST_GRID, basin_fit, stability_fit
from lab.tool_links import BASINS, FINDER_PARAMS, RACE_PARAMS, STABILITY, parse_race, read_tool
from lab.tool_runs import race_fit

LONG = "sin(x)*cos(y)+exp(-x**2)*log(1+y**2)+tanh(x*y)+atan(x-y)+sqrt(1+x**2+y**2)+cosh(x/5)"


def _squares(side: int) -> int:
    return side * side


def _words(side: int, steps: int) -> str:
    return f"{side} × {side} runs of {steps} steps"


def test_a_request_within_the_budget_runs_as_asked_without_a_notice():
    held = fit(_squares, 100, 300, 20, _words)
    assert (held.resolution, held.steps) == (100, 300) and not held.reduced and held.notice() is None
    assert held.work == held.asked_work == 3_000_000 <= WORK_BUDGET


def test_over_the_budget_the_resolution_drops_first_and_the_steps_stay():
    held = fit(_squares, 100, 2000, 20, _words)
    # 5,000,000 point-steps / 2000 steps = 2500 runs = 50 × 50
    assert (held.resolution, held.steps) == (50, 2000) and held.work == 5_000_000
    notice = held.notice()
    for part in ("100 × 100 runs of 2000 steps", "20,000,000 point-steps", "5,000,000", "50 × 50 runs of 2000 steps"):
        assert part in notice, part


def test_at_the_smallest_resolution_the_steps_are_cut_to_what_fits():
    held = fit(_squares, 100, 2000, 20, _words, budget=40_000)  # 20 × 20 runs leave 40,000 / 400 = 100 steps
    assert (held.resolution, held.steps) == (20, 100) and held.work == 40_000
    assert "Showing 20 × 20 runs of 100 steps instead" in held.notice()


@given(st.integers(1, 150), st.integers(1, 5000), st.integers(1, 150), st.integers(1, 10**8))
def test_a_fit_is_within_the_budget_and_the_most_of_the_request_that_fits(resolution, steps, smallest, budget):
    smallest = min(smallest, resolution)
    held = fit(_squares, resolution, steps, smallest, _words, budget=budget)
    assert smallest <= held.resolution <= resolution and 1 <= held.steps <= steps
    if held.steps < steps:  # steps are cut only at the smallest resolution, and only as many as needed
        assert held.resolution == smallest and (held.steps + 1) * _squares(smallest) > budget
    assert held.work <= budget or (held.steps == 1 and _squares(smallest) > budget)
    if held.resolution < resolution and held.steps == steps:  # the resolution is the largest that fits
        assert _squares(held.resolution + 1) * steps > budget


def test_a_typed_expression_counts_by_its_length():
    assert expression_weight("") == 1 and expression_weight("x**2 + y**2") == 1
    assert expression_weight(LONG) == len(LONG) / EXPRESSION_CHARACTERS
    assert expression_weight(" ".join(LONG)) == expression_weight(LONG)  # spaces cost nothing
    held = fit(_squares, 100, 300, 20, _words, expression=LONG)
    assert held.work <= WORK_BUDGET < held.asked_work
    assert f"each counted {expression_weight(LONG):.3g} times" in held.notice()


def test_every_tool_opens_within_the_budget():
    for tool, fitting in ((STABILITY, stability_fit), (BASINS, basin_fit)):
        for surface in tool.surfaces or (None,):
            config, _, _ = read_tool(tool, {} if surface is None else {"surface": surface})
            assert not fitting(config).reduced, (tool.name, surface)
    race, _ = parse_race({})
    assert not race_fit(race)[1].reduced


def test_the_maps_at_the_most_steps_are_coarsened_not_shortened():
    config, _, _ = read_tool(STABILITY, {"steps": str(STEPS_PARAM.high)})
    held = stability_fit(config)
    assert held.asked_resolution == GRID and held.steps == STEPS_PARAM.high
    assert held.resolution == math.isqrt(WORK_BUDGET // STEPS_PARAM.high) >= SMALLEST_GRID
    config, _, _ = read_tool(BASINS, {"steps": str(STEPS_PARAM.high)})
    held = basin_fit(config)
    assert held.asked_resolution == BASIN_GRID and held.steps == STEPS_PARAM.high
    assert held.resolution == math.isqrt(WORK_BUDGET // (2 * STEPS_PARAM.high))


def test_the_race_sweeps_fewer_lrs_before_it_runs_fewer_steps():
    race, _ = parse_race({"surface": "custom", "f": LONG, "steps": str(STEPS_PARAM.high), "per_decade": "20",
                          "lr_min": f"{RACE_PARAMS[0].low:g}", "lr_max": f"{RACE_PARAMS[1].high:g}"})
    ran, held = race_fit(race)
    assert held.reduced and ran.run.steps == race.run.steps == STEPS_PARAM.high
    assert 1 <= ran.per_decade == held.resolution < race.per_decade
    assert held.work <= WORK_BUDGET < held.asked_work
    runs = len(engine.OPTIMIZERS) * (lr_grid(race.lr_min, race.lr_max, ran.per_decade + 1).size + 2)
    assert runs * STEPS_PARAM.high * expression_weight(LONG) > WORK_BUDGET  # one more lr per decade would not fit
    assert replace(ran, per_decade=race.per_decade, run=race.run) == race  # nothing else changed


def test_the_playground_and_the_finder_at_their_largest_stay_far_below_the_budget():
    """Neither needs fitting: four paths of the most steps on the longest typed f(x, y); the finder's longest
    range test plus its best-constant sweep (the race's default grid at the Playground's steps)."""
    heaviest = expression_weight("x" * MAX_LENGTH)
    assert MAX_OPTIMIZERS * STEPS_PARAM.high * heaviest < WORK_BUDGET / 10
    sweep = lr_grid(*(p.default for p in RACE_PARAMS)).size * default_config().steps
    assert (FINDER_PARAMS[2].high + sweep) * heaviest < WORK_BUDGET / 10
