"""Mini-batch gradients of a loss that is a mean over examples, f(p) = (1/n) Σᵢ fᵢ(p).

A surface built from data (``engine.regression``) carries ``Examples``: the number n of examples and
``batch_grad``, the gradient of the mean of fᵢ over a chosen set of examples.  With a batch size B < n, each
step of ``engine.simulate`` uses the gradient over B examples drawn at random:

    g_t = (1/B) Σ_{i ∈ S_t} ∇fᵢ(p_t),   S_t = B distinct examples, uniformly at random,

independently at every step and for every trajectory (sampling without replacement inside a batch; not
epochs of one shuffled pass, whose batches are not independent of each other).  Averaged over S_t, g_t is
the full gradient ∇f(p_t).  Its covariance is C(p)/B · (n − B)/(n − 1), C(p) the covariance of the
per-example gradients ∇fᵢ(p) over the n examples (the finite-population correction makes it 0 at B = n):
for B ≪ n the gradient noise variance falls as 1/B.  B ≥ n is the full batch: the exact gradient.

The draws come from their own seeded stream (``numpy.random.default_rng((seed, BATCH_STREAM))``), apart
from the Gaussian gradient noise's (``default_rng(seed)``): the same seed gives the same batches.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

import numpy as np

__all__ = ["BATCH_STREAM", "Examples", "draw_batches"]

BATCH_STREAM = 1  # second word of the batches' seed, so they never reuse the gradient noise's numbers
DRAW_ELEMENTS = 1 << 16  # random keys drawn at a time (the stream gives the same numbers in the same order)

# (x (k,), y (k,), idx (k, B) example indices, or (1, B): the same for every row (simulate's common_noise),
# out (2, k)): writes the mean gradient over each row's examples
BatchGradFn = Callable[[np.ndarray, np.ndarray, np.ndarray, np.ndarray], None]


@dataclass(frozen=True, eq=False)
class Examples:
    """The n examples a loss averages over: ``count`` = n, and ``batch_grad`` (see ``BatchGradFn``)."""

    count: int
    batch_grad: BatchGradFn

    def check_batch(self, batch: int) -> None:
        """ValueError unless 1 <= batch (a batch larger than ``count`` is the full batch)."""
        if int(batch) != batch or batch < 1:
            raise ValueError(f"batch must be a whole number >= 1, got {batch!r}")


def draw_batches(count: int, batch: int, seed: int, trajectories: int, steps: int) -> Iterator[np.ndarray]:
    """For each step, the (trajectories, batch) example indices of every trajectory's batch: ``batch``
    distinct indices out of ``count``, uniformly at random (the ``batch`` smallest of ``count`` uniform keys),
    independently per step and trajectory, drawn many steps at a time from one seeded stream."""
    rng = np.random.default_rng((int(seed), BATCH_STREAM))
    rows = max(1, DRAW_ELEMENTS // (trajectories * count))
    for t in range(0, steps, rows):
        keys = rng.random((min(rows, steps - t), trajectories, count))
        yield from np.argpartition(keys, batch - 1, axis=-1)[..., :batch]
