"""The maps' budget (DESIGN.md): a 100 × 100 stability map × 300 steps in one batched engine call in <= 100 ms
of engine time.  Baseline, measured in the same run: the same 10,000 runs as 100 separate ``simulate`` calls
(one per momentum row of 100 lrs).  Wall and CPU (process) time, the median of ROUNDS rounds; each round times
both one after the other, so that a busy machine slows them alike.  Also the basin map page's work: Himmelblau,
81 × 81 starts × 300 steps, one call; and the fair race's sweep at its default settings (the page's address
without a query: every optimizer at each lr of its grid, one batched ``lr_sweep`` call per optimizer), against
the same runs as one ``simulate`` call per lr, in the same rounds.
"""

from __future__ import annotations

import statistics
import time

import numpy as np

import engine
from engine import sweeps
from engine.race import lr_grid, lr_sweep
from lab.config import make_surface
from lab.tool_links import parse_race

ROUNDS, STEPS, GRID = 5, 300, 100


def _timed(fn) -> tuple[float, float]:
    """(wall ms, CPU ms) of one call."""
    wall, cpu = time.perf_counter(), time.process_time()
    fn()
    return 1e3 * (time.perf_counter() - wall), 1e3 * (time.process_time() - cpu)


def main() -> None:
    q = engine.surface("quadratic")
    lrs, momenta = np.geomspace(2e-3, 1.6, GRID), np.linspace(0.0, 0.99, GRID)

    def batched() -> None:
        sweeps.stability_map(q, "sgd", lrs, momenta, q.start, steps=STEPS)

    def separate() -> None:
        starts = np.repeat(q.start[None, :], GRID, axis=0)
        for beta in momenta:
            engine.simulate(q, engine.optimizer("sgd", lr=lrs, momentum=beta), starts, steps=STEPS)

    him = engine.surface("himmelblau")
    race, _ = parse_race({})  # the fair race page's defaults
    race_surface, start, steps = make_surface(*race.run.surface_key), race.run.start, race.run.steps
    grid = lr_grid(race.lr_min, race.lr_max, race.per_decade)

    def race_sweep() -> None:
        for name in engine.OPTIMIZERS:
            lr_sweep(race_surface, name, start, grid, steps=steps)

    def race_separate() -> None:
        for name in engine.OPTIMIZERS:
            for lr in grid:
                engine.simulate(race_surface, engine.optimizer(name, lr=lr), np.array([start]), steps=steps)

    results: dict[str, list[tuple[float, float]]] = {name: [] for name in ("batched", "separate", "basins", "race",
                                                                         "race_separate")}
    for _ in range(ROUNDS):
        results["batched"].append(_timed(batched))
        results["separate"].append(_timed(separate))
        results["basins"].append(_timed(lambda: sweeps.basin_map(him, "sgd", resolution=81, steps=STEPS, lr=0.01)))
        results["race"].append(_timed(race_sweep))
        results["race_separate"].append(_timed(race_separate))

    def median(name: str, k: int) -> float:
        return statistics.median(r[k] for r in results[name])

    def ratio_of(slow: str, fast: str) -> float:
        return statistics.median(s[0] / b[0] for s, b in zip(results[slow], results[fast], strict=True))

    ratio = ratio_of("separate", "batched")
    print(f"stability map {GRID} x {GRID} x {STEPS}, one call: {median('batched', 0):6.1f} ms wall, "
          f"{median('batched', 1):6.1f} ms CPU (median of {ROUNDS}; budget <= 100 ms)")
    print(f"same runs as {GRID} simulate calls:     {median('separate', 0):6.1f} ms wall, "
          f"{median('separate', 1):6.1f} ms CPU -> one call is {ratio:.1f}x faster (median of rounds)")
    print(f"basin map Himmelblau 81 x 81 x {STEPS}:   {median('basins', 0):6.1f} ms wall, "
          f"{median('basins', 1):6.1f} ms CPU")
    runs = len(engine.OPTIMIZERS) * len(grid)
    print(f"fair race sweep, defaults ({race.run.surface}, {len(engine.OPTIMIZERS)} optimizers x {len(grid)} lrs x "
          f"{steps} steps, one call each): {median('race', 0):6.1f} ms wall, {median('race', 1):6.1f} ms CPU; "
          f"the same {runs} runs as {runs} simulate calls: {median('race_separate', 0):6.1f} ms wall -> "
          f"{ratio_of('race_separate', 'race'):.1f}x faster (median of rounds)")


if __name__ == "__main__":
    main()
