"""Constants of an update rule that depend on the step t alone, such as Adam's bias corrections 1 - β^t,
computed for a block of steps at once: a few array operations per block instead of a few scalar operations,
each costing a NumPy call, at every step.  Every value equals what the rule's expression gives for that one step.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

__all__ = ["STEP_BLOCK", "StepTable", "powers"]

Array = np.ndarray

STEP_BLOCK = 256  # steps whose constants a StepTable computes together


def powers(beta: Array, t: Array) -> Array:
    """beta ** t over an int array of steps t, each element equal to ``beta ** s`` for that one step s given as a
    Python int (as the update rules write it).  NumPy's ``**`` with an int computes s = 1 and s = 2 as β and β·β
    (np.positive, np.square), where np.power over an array of exponents can differ by an ulp, so those two are
    taken the same way."""
    out = np.power(beta, t)
    for s in (1, 2):
        out = np.where(t == s, beta**s, out)
    return out


class StepTable:
    """An update rule's constants for each step t, computed STEP_BLOCK steps at a time.

    ``fn(t)`` takes the steps as an int array (k, 1), so that per-trajectory hyper-parameters (n,) broadcast along
    the second axis, and returns arrays (k, 1) or (k, n), each row equal to what the same expression gives for
    that step alone.  ``at(t)`` gives one step's rows: 0-d arrays when every trajectory shares the value (cheaper
    for ufuncs than floats), else (n,).  Threads may share a table: a block computed twice is the same block.
    """

    def __init__(self, fn: Callable[[Array], tuple[Array, ...]]) -> None:
        self.fn, self.blocks = fn, {}

    def at(self, t: int) -> tuple[Array, ...]:
        block, i = divmod(t - 1, STEP_BLOCK)
        rows = self.blocks.get(block)
        if rows is None:
            first = block * STEP_BLOCK + 1
            values = self.fn(np.arange(first, first + STEP_BLOCK)[:, None])
            rows = self.blocks[block] = [tuple(v[j, 0, ...] if v.shape[1] == 1 else v[j] for v in values)
                                         for j in range(STEP_BLOCK)]
        return rows[i]
