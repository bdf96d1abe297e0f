"""The engine's outcome words as patterns, to find them in lesson text, and a record of the runs lesson code
stated something about.

``PHRASE`` matches every phrase ``engine.outcomes.Outcome.words`` can produce (a status with its numbers, or
a view event): "converged in 12 steps", "diverged at step 3", "oscillating (amplitude 0.5)", "stalled 0.01
from the minimum (the lr decayed to 1e-05)", "converging", "still moving after 300 steps", "left the view
at step 10", "back at step 19", ...  A page that waits for a prediction hides the facts that contain one
(``hide_outcomes``); the truth test (tests/lessons/test_truth.py) checks each one it finds against the runs.

``stating()`` records, while it is open, every run whose outcome or numbers ``lessons.common``'s helpers
(``predicate``, ``settle_steps``, ``outcome_of``, ``scene_runs``) handed to lesson code: the runs a text's words
can honestly come from.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar

import engine

__all__ = ["HIDDEN", "PHRASE", "hide_outcomes", "note", "stating"]

_NUMBER = r"[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:e[-+]?\d+)?|inf|nan"
_ZIGZAG = rf"zigzagging \(error × (?:{_NUMBER}) per step\)"
PHRASE = re.compile("|".join([
    rf"converged in \d+ steps?(?:, {_ZIGZAG})?",
    r"diverged at step \d+",
    r"oscillating \(amplitude [^)]*\)",
    rf"stalled (?:(?:{_NUMBER}) from the (?:nearest )?minimum|where the gradient is (?:{_NUMBER}))"
    rf"(?: \(the lr decayed to (?:{_NUMBER})\))?",
    rf"converging(?:, {_ZIGZAG})?",
    r"still moving(?: after \d+ steps)?",
    r"left the view at step \d+", r"back at step \d+", r"started outside the view", r"in the view from step \d+",
]))

HIDDEN = "*(you will see once you have predicted)*"

_STATED: ContextVar[list[engine.Run] | None] = ContextVar("stated_runs", default=None)


@contextmanager
def stating() -> Iterator[list[engine.Run]]:
    """Record the runs lesson code states something about (``note``) until the block ends; yields the list."""
    runs: list[engine.Run] = []
    token = _STATED.set(runs)
    try:
        yield runs
    finally:
        _STATED.reset(token)


def note(run: engine.Run) -> engine.Run:
    """``run``, recorded when a ``stating()`` block is open."""
    stated = _STATED.get()
    if stated is not None and not any(r is run for r in stated):
        stated.append(run)
    return run


def hide_outcomes(facts: Mapping[str, str]) -> dict[str, str]:
    """``facts`` with every value that states an outcome (``PHRASE``) replaced by ``HIDDEN``: what a page
    shows before the student has made a prediction."""
    return {name: HIDDEN if PHRASE.search(str(value)) else value for name, value in facts.items()}
