"""The ``Surface`` type every loss landscape shares: built-in test functions, user-typed expressions
and regression losses alike.

Conventions: a point is an array whose last axis holds (x, y); ``value``, ``grad`` and ``hessian`` map
(..., 2) to (...), (..., 2) and (..., 2, 2) and broadcast like scipy's ``rosen``, so one function serves a
contour grid and a batch of trajectories.  The formulas themselves take the coordinate arrays ``x, y``
separately (``f(x, y)``, ``df(x, y) -> (fx, fy)``, ``d2f(x, y) -> (fxx, fxy, fyy)``); the simulator calls
``grad_into`` on its (2, n) state directly, which avoids stacking in the hot loop.  A surface may also give
``df_into(x, y, out)``: the same gradient written into a preallocated (2, ...) array instead of new ones
(Rosenbrock does: it is the surface of the engine's benchmark).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from .minibatch import Examples

__all__ = ["Surface"]

Array = np.ndarray
ValueFn = Callable[[Array, Array], Array]
GradFn = Callable[[Array, Array], tuple[Array, Array]]
HessFn = Callable[[Array, Array], tuple[Array, Array, Array]]
GradIntoFn = Callable[[Array, Array, Array], None]


@dataclass(frozen=True, eq=False)
class Surface:
    """A differentiable f(x, y) with its analytic gradient and Hessian, a default view and start.

    slug: registry key ("rosenbrock"); name: display name; description: what the surface teaches.
    minima: (k, 2) known minimisers (k may be 0); bounds: ((xmin, xmax), (ymin, ymax)); start: (2,).
    params: the parameters it was built with (for URLs and links); formula: LaTeX of f.
    defined_everywhere: f is finite at every finite point inside the divergence box (true of the built-in
    surfaces); typed expressions (log, sqrt, division) set it False so the simulator checks the loss too.
    df_into: optional, ``df`` writing (fx, fy) into a given (2, ...) array instead of making new ones.
    examples: for a loss that is a mean over examples (``engine.regression``), the examples and their
    mini-batch gradient (``engine.minibatch``); None for the test functions.
    """

    slug: str
    name: str
    description: str
    f: ValueFn = field(repr=False)
    df: GradFn = field(repr=False)
    d2f: HessFn = field(repr=False)
    minima: Array
    bounds: tuple[tuple[float, float], tuple[float, float]]
    start: Array
    params: dict[str, Any] = field(default_factory=dict)
    formula: str = ""
    defined_everywhere: bool = True
    df_into: GradIntoFn | None = field(default=None, repr=False)
    examples: Examples | None = field(default=None, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "minima", np.asarray(self.minima, dtype=float).reshape(-1, 2))
        object.__setattr__(self, "start", np.asarray(self.start, dtype=float).reshape(2))
        (x0, x1), (y0, y1) = self.bounds
        object.__setattr__(self, "bounds", ((float(x0), float(x1)), (float(y0), float(y1))))

    def value(self, p: Array) -> Array:
        """f at points p (..., 2) -> (...)."""
        p = np.asarray(p, dtype=float)
        return np.asarray(self.f(p[..., 0], p[..., 1]), dtype=float) + np.zeros(p.shape[:-1])

    def grad(self, p: Array) -> Array:
        """∇f at points p (..., 2) -> (..., 2)."""
        p = np.asarray(p, dtype=float)
        gx, gy = self.grad_xy(p[..., 0], p[..., 1])
        return np.stack([gx, gy], axis=-1)

    def grad_xy(self, x: Array, y: Array) -> tuple[Array, Array]:
        """∇f as two arrays shaped like x (broadcast), for the simulator's (2, n) state."""
        gx, gy = self.df(x, y)
        shape = np.broadcast(x, y).shape
        return np.broadcast_to(gx, shape), np.broadcast_to(gy, shape)

    def grad_into(self, x: Array, y: Array, out: Array) -> None:
        """∇f into out (2, ...) shaped like the broadcast of x and y: out[0] = fx, out[1] = fy."""
        if self.df_into is not None:
            self.df_into(x, y, out)
        else:
            out[0], out[1] = self.df(x, y)

    def hessian(self, p: Array) -> Array:
        """∇²f at points p (..., 2) -> (..., 2, 2), symmetric."""
        p = np.asarray(p, dtype=float)
        fxx, fxy, fyy = (np.asarray(h, dtype=float) + np.zeros(p.shape[:-1]) for h in self.d2f(p[..., 0], p[..., 1]))
        return np.stack([np.stack([fxx, fxy], axis=-1), np.stack([fxy, fyy], axis=-1)], axis=-2)

    @property
    def view_diagonal(self) -> float:
        """Length of the default view's diagonal: the length scale for tolerances."""
        (x0, x1), (y0, y1) = self.bounds
        return float(np.hypot(x1 - x0, y1 - y0))
