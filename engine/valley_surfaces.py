"""Classic test functions with one minimum at the end of a hard road, or none: Rosenbrock's curved valley,
Beale's plateau and ridges, the tilted bowls of Booth and Matyas, and the two saddles (x² − y² and the
monkey saddle).

Each function takes no parameters and returns a :class:`~engine.surface_type.Surface` with ``f``, its
analytic gradient and Hessian, as described in :mod:`engine.surfaces` (which registers them); the formulas
and minima follow the standard test-function table (REFERENCE.md, "Standard test functions").  Rosenbrock
sits in the simulator's hot loop (the benchmark runs Adam on it over 100,000 trajectories), so its formulas
are written to make few temporary arrays.
"""

from __future__ import annotations

import numpy as np

from .surface_type import Surface

__all__ = ["beale", "booth", "matyas", "monkey_saddle", "rosenbrock", "saddle"]

_NO_MINIMA = np.empty((0, 2))


def _rosenbrock_f(x, y):
    t = x * x - y          # x² − y, already shaped like the broadcast of x and y
    t *= t
    t *= 100.0
    u = 1.0 - x
    u *= u
    t += u
    return t


_200, _1 = np.asarray(200.0), np.asarray(1.0)  # 0-d: cheaper for ufuncs than floats
_2_M200 = np.array([2.0, -200.0])  # the last factors of (fx, fy): one ufunc over both rows


def _rosenbrock_df_into(x, y, out):
    """fx = 2((x − 1) + 200 x (x² − y)), fy = −200 (x² − y) into out (2, ...): seven ufuncs, one temporary."""
    fx, fy = out[0, ...], out[1, ...]  # views, also when x and y are scalars
    np.multiply(x, x, out=fy)
    np.subtract(fy, y, out=fy)  # x² − y
    np.multiply(fy, x, out=fx)
    np.multiply(fx, _200, out=fx)
    np.add(fx, np.subtract(x, _1), out=fx)
    both = out.T  # (..., 2): the factors broadcast along the last axis
    np.multiply(both, _2_M200, out=both)


def _rosenbrock_df(x, y):
    out = np.empty((2, *np.broadcast(x, y).shape))
    _rosenbrock_df_into(x, y, out)
    return out[0], out[1]


def rosenbrock() -> Surface:
    """f = (1 − x)² + 100 (y − x²)²; ∇²f = [[1200x² − 400y + 2, −400x], [−400x, 200]]."""
    return Surface(
        slug="rosenbrock", name="Rosenbrock valley", formula=r"f(x, y) = (1 - x)^2 + 100\,(y - x^2)^2",
        description=(
            "Rosenbrock's banana: the floor of a narrow, curved valley along y = x² is quick to reach but "
            "slow to follow to the minimum at (1, 1). There the Hessian's eigenvalues are about 1001.6 and "
            "0.4 (condition number ≈ 2500), so a step small enough to stay in the valley crawls along it. "
            "The classic benchmark for momentum and adaptive methods, from the classic start (−1.2, 1)."),
        f=_rosenbrock_f, df=_rosenbrock_df, df_into=_rosenbrock_df_into,
        d2f=lambda x, y: (1200.0 * x * x - 400.0 * y + 2.0, -400.0 * x, 200.0),
        minima=[[1.0, 1.0]], bounds=((-2, 2), (-1, 3)), start=(-1.2, 1.0),
    )


_BEALE = ((1, 1.5), (2, 2.25), (3, 2.625))   # (i, c_i): f = Σ u_i², u_i = c_i − x + x yⁱ


def _beale_df(x, y):
    # ∂u_i/∂x = yⁱ − 1, ∂u_i/∂y = i x yⁱ⁻¹
    u = [c - x + x * y**i for i, c in _BEALE]
    fx = sum(2.0 * ui * (y**i - 1.0) for ui, (i, _) in zip(u, _BEALE, strict=True))
    fy = sum(2.0 * ui * i * x * y ** (i - 1) for ui, (i, _) in zip(u, _BEALE, strict=True))
    return fx, fy


def _beale_d2f(x, y):
    # second derivatives of u_i: xx 0, xy i yⁱ⁻¹, yy i(i − 1) x yⁱ⁻²;  f'' = 2 Σ (u_i' u_i'ᵀ + u_i u_i'')
    u = [c - x + x * y**i for i, c in _BEALE]
    fxx = sum(2.0 * (y**i - 1.0) ** 2 for i, _ in _BEALE)
    fxy = sum(2.0 * i * y ** (i - 1) * (x * (y**i - 1.0) + ui) for ui, (i, _) in zip(u, _BEALE, strict=True))
    fyy = sum(2.0 * ((i * x * y ** (i - 1)) ** 2 + ui * i * (i - 1) * x * y ** max(i - 2, 0))
              for ui, (i, _) in zip(u, _BEALE, strict=True))
    return fxx, fxy, fyy


def beale() -> Surface:
    """f = (1.5 − x + xy)² + (2.25 − x + xy²)² + (2.625 − x + xy³)²."""
    return Surface(
        slug="beale", name="Beale (plateau and ridges)",
        formula=r"f(x, y) = (1.5 - x + xy)^2 + (2.25 - x + xy^2)^2 + (2.625 - x + xy^3)^2",
        description=(
            "A flat plateau crossed by narrow valleys whose walls rise steeply towards the corners (the xy³ "
            "term). Gradients span several orders of magnitude across the view, so a single learning rate "
            "is either timid on the plateau or explosive near the edges: the case adaptive methods such as "
            "RMSprop and Adam were made for. Global minimum f(3, 0.5) = 0."),
        f=lambda x, y: sum((c - x + x * y**i) ** 2 for i, c in _BEALE), df=_beale_df, d2f=_beale_d2f,
        minima=[[3.0, 0.5]], bounds=((-4.5, 4.5), (-4.5, 4.5)), start=(1.0, 1.5),
    )


def booth() -> Surface:
    """f = (x + 2y − 7)² + (2x + y − 5)²; ∇f = (10x + 8y − 34, 8x + 10y − 38); ∇²f = [[10, 8], [8, 10]]."""
    return Surface(
        slug="booth", name="Booth (tilted bowl)", formula=r"f(x, y) = (x + 2y - 7)^2 + (2x + y - 5)^2",
        description=(
            "A quadratic bowl with Hessian eigenvalues 18 and 2 (condition number 9) along the diagonals: a "
            "gentle first example of a tilted, elongated valley. Minimum f(1, 3) = 0; gradient descent is "
            "stable for learning rates below 2/18 ≈ 0.111."),
        f=lambda x, y: (x + 2.0 * y - 7.0) ** 2 + (2.0 * x + y - 5.0) ** 2,
        df=lambda x, y: (10.0 * x + 8.0 * y - 34.0, 8.0 * x + 10.0 * y - 38.0),
        d2f=lambda x, y: (10.0, 8.0, 10.0),
        minima=[[1.0, 3.0]], bounds=((-4, 6), (-2, 8)), start=(-3.0, 6.0),
    )


def matyas() -> Surface:
    """f = 0.26 (x² + y²) − 0.48 xy; ∇²f = [[0.52, −0.48], [−0.48, 0.52]], eigenvalues 1 and 0.04."""
    return Surface(
        slug="matyas", name="Matyas (flat trough)", formula=r"f(x, y) = 0.26\,(x^2 + y^2) - 0.48\,xy",
        description=(
            "A nearly flat quadratic trough along the line y = x: Hessian eigenvalues 1 across it and 0.04 "
            "along it (condition number 25). Gradient descent drops to the floor of the trough quickly and "
            "then creeps along it towards the minimum at (0, 0), where momentum shines."),
        f=lambda x, y: 0.26 * (x * x + y * y) - 0.48 * x * y,
        df=lambda x, y: (0.52 * x - 0.48 * y, 0.52 * y - 0.48 * x),
        d2f=lambda x, y: (0.52, -0.48, 0.52),
        minima=[[0.0, 0.0]], bounds=((-10, 10), (-10, 10)), start=(-9.0, -5.0),
    )


def saddle() -> Surface:
    """f = x² − y²; ∇f = (2x, −2y); ∇²f = diag(2, −2)."""
    return Surface(
        slug="saddle", name="Saddle", formula=r"f(x, y) = x^2 - y^2",
        description=(
            "The simplest saddle: a minimum along x and a maximum along y (Hessian diag(2, −2)). The origin "
            "is a critical point but not a minimum; gradient descent reaches it only from a start exactly on "
            "y = 0. From a hair away it lingers near the saddle, then slides off down the y direction, and "
            "since the function is unbounded below the run ends diverging. Noise and momentum escape sooner."),
        f=lambda x, y: x * x - y * y,
        df=lambda x, y: (2.0 * x, -2.0 * y),
        d2f=lambda x, y: (2.0, 0.0, -2.0),
        minima=_NO_MINIMA, bounds=((-2, 2), (-2, 2)), start=(-1.5, 0.01),
    )


def monkey_saddle() -> Surface:
    """f = x³ − 3xy²; ∇f = (3x² − 3y², −6xy); ∇²f = [[6x, −6y], [−6y, −6x]]."""
    return Surface(
        slug="monkey_saddle", name="Monkey saddle", formula=r"f(x, y) = x^3 - 3xy^2",
        description=(
            "A degenerate saddle at the origin where the gradient and the Hessian both vanish, with three "
            "valleys going down (room for a monkey's two legs and its tail). Near the origin the gradient "
            "shrinks quadratically, so gradient descent slows to a crawl before it finds a way down, and the "
            "second-derivative test cannot tell the point from a minimum. Unbounded below."),
        f=lambda x, y: x * (x * x - 3.0 * y * y),
        df=lambda x, y: (3.0 * (x * x - y * y), -6.0 * x * y),
        d2f=lambda x, y: (6.0 * x, -6.0 * y, -6.0 * x),
        minima=_NO_MINIMA, bounds=((-1.5, 1.5), (-1.5, 1.5)), start=(1.0, 0.1),
    )
