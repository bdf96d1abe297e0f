"""One request's share of the engine: the work budget the Tools' heavy calls are held to, checked here, before the
engine is called, so one student's link cannot stall the class sharing a server.

Work is counted in **point-steps**: one trajectory advanced one step (a 100 × 100 map of 300 steps is
10,000 × 300 = 3,000,000).  A typed f(x, y) costs more per point-step than a registered surface (its gradient is
a compiled sympy expression, evaluated term by term): each of its point-steps counts ``expression_weight`` of them,
one per ``EXPRESSION_CHARACTERS`` characters of the text (measured here: a 93-character expression's point-step
costs about 5× Rosenbrock's in the fair race's sweeps and 9× the quadratic's in a stability map; ``x**2+y**2``
about what Rosenbrock's does).

A request over ``WORK_BUDGET`` is fitted, never refused (``fit``): its resolution (a map's starts per side, the
race's lrs per factor of ten) is lowered first, down to a smallest one, and only then its steps, as few as
needed.  The steps are kept as long as possible because they decide the outcome words (converged within N steps
or still moving); the resolution only makes the picture coarser.  The same link always fits the same way, so it
still reproduces its run.  ``Fit.notice`` says what was asked, what the budget is and what ran instead.

The Playground and the LR finder stay far below the budget at their largest settings (four paths of 2,000 steps;
one range test of 1,000 steps plus one 51-lr sweep of 200 steps): the tests check that, so they need no fitting.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

__all__ = ["EXPRESSION_CHARACTERS", "WORK_BUDGET", "Fit", "expression_weight", "fit"]

WORK_BUDGET = 5_000_000  # point-steps one request may ask of the engine: about half a second on one core here
EXPRESSION_CHARACTERS = 15  # characters of a typed f(x, y) per registered surface's point-step of work


def expression_weight(expression: str) -> float:
    """What one point-step on the typed ``expression`` counts (1 for a registered surface: ``expression`` is "")."""
    return max(1.0, len("".join(expression.split())) / EXPRESSION_CHARACTERS)


@dataclass(frozen=True)
class Fit:
    """A request held to the budget: the resolution and steps it asked for, those that run, the work of each
    (point-steps, each counting ``weight``), the budget, and ``describe`` (resolution, steps) -> the words for
    that much work."""

    asked_resolution: int
    asked_steps: int
    resolution: int
    steps: int
    asked_work: float
    work: float
    budget: int
    describe: Callable[[int, int], str]
    weight: float = 1.0

    @property
    def reduced(self) -> bool:
        """Whether less runs than was asked for."""
        return (self.resolution, self.steps) != (self.asked_resolution, self.asked_steps)

    def notice(self) -> str | None:
        """None when the request runs as asked; otherwise what was asked, the budget and what runs instead."""
        if not self.reduced:
            return None
        counted = "" if self.weight == 1 else f", each counted {self.weight:.3g} times for the typed f(x, y)"
        return (f"This link asks for {self.describe(self.asked_resolution, self.asked_steps)}: "
                f"{self.asked_work:,.0f} point-steps (one run advanced one step{counted}), more than the "
                f"{self.budget:,} one request may use on a server the class shares. Showing "
                f"{self.describe(self.resolution, self.steps)} instead ({self.work:,.0f} point-steps).")


def fit(runs: Callable[[int], int], resolution: int, steps: int, smallest: int, describe: Callable[[int, int], str],
        expression: str = "", budget: int = WORK_BUDGET) -> Fit:
    """The most of (``resolution``, ``steps``) that ``budget`` allows.

    ``runs(resolution)``: the trajectories the request runs at that resolution (growing with it), each for
    ``steps`` steps, on the typed ``expression`` ("" for a registered surface: see ``expression_weight``).
    The resolution drops one at a time until the work fits or it reaches ``smallest``; then the steps are cut to
    the most that fit at that resolution (at least 1).  A request within the budget runs as asked."""
    weight = expression_weight(expression)

    def work(kept: int, kept_steps: int) -> float:
        return runs(kept) * kept_steps * weight

    kept = resolution
    while kept > smallest and work(kept, steps) > budget:
        kept -= 1
    kept_steps = steps
    if work(kept, steps) > budget:
        kept_steps = max(1, min(steps, math.floor(budget / work(kept, 1))))
    return Fit(resolution, steps, kept, kept_steps, work(resolution, steps), work(kept, kept_steps), budget, describe,
               weight)
