"""The built-in loss surfaces' registry, with the two that take parameters: the round bowl and the tilted
quadratic.  The classic test functions live in :mod:`engine.valley_surfaces` (one minimum or none) and
:mod:`engine.multimodal_surfaces` (several), the regression losses (raw and standardised inputs) in
:mod:`engine.regression`;
``SURFACES`` lists them all, each entry with its surface's display name (``title``) and the first sentence of
its description.

Each surface is a small function that returns a :class:`~engine.surface_type.Surface` with the formula
``f(x, y)``, its analytic gradient ``df -> (fx, fy)`` and Hessian ``d2f -> (fxx, fxy, fyy)``, all plain
NumPy ufunc expressions that broadcast over coordinate arrays of any shape (a constant may come back as a
scalar; ``Surface`` broadcasts it).  The formulas and minima follow the standard test-function table
(REFERENCE.md, "Standard test functions").

    s = surface("quadratic", l1=10.0, l2=1.0, angle=30.0)

``surface`` raises ValueError for an unknown slug, an unknown parameter or a value out of its range.
The bowl and the quadratic sit in the simulator's hot loop, so their formulas are written to make few
temporary arrays.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from . import multimodal_surfaces as multi
from . import valley_surfaces as valley
from .params import Factory, Param, lookup
from .regression import REGRESSION, REGRESSION_STD
from .surface_type import Surface

__all__ = ["SURFACES", "surface"]


def _bowl(scale: float) -> Surface:
    """f = scale·(x² + y²); Hessian 2·scale·I."""
    two_s = 2.0 * scale
    return Surface(
        slug="bowl", name="Round bowl", formula=r"f(x, y) = s\,(x^2 + y^2)", params={"scale": scale},
        description=(
            "The round bowl: every direction has the same curvature 2s, so the gradient points straight at "
            "the minimum and gradient descent walks a straight line. Below a learning rate of 1/(2s) it creeps "
            "in, at 1/(2s) it lands in one step, between 1/(2s) and 1/s it flips sides while closing in, and "
            "above 1/s it blows up. The baseline every other surface is compared with."),
        f=lambda x, y: scale * (x * x + y * y),
        df=lambda x, y: (two_s * x, two_s * y),
        d2f=lambda x, y: (two_s, 0.0, two_s),
        minima=[[0.0, 0.0]], bounds=((-2, 2), (-2, 2)), start=(1.5, -1.0),
    )


def _quadratic(l1: float, l2: float, angle: float) -> Surface:
    """f = ½ pᵀAp with A = R diag(l1, l2) Rᵀ and R the rotation by ``angle`` degrees, so A's l1
    eigenvector is (cos angle, sin angle).  Entries: a = l1 c² + l2 s², b = (l1 − l2) c s,
    d = l1 s² + l2 c²; ∇f = (a x + b y, b x + d y), ∇²f = A."""
    c, s = np.cos(np.radians(angle)), np.sin(np.radians(angle))
    a, b, d = l1 * c * c + l2 * s * s, (l1 - l2) * c * s, l1 * s * s + l2 * c * c
    return Surface(
        slug="quadratic", name="Tilted quadratic", formula=r"f(p) = \tfrac12\,p^\top A\,p,\quad "
        r"A = R_\theta \operatorname{diag}(\lambda_1, \lambda_2) R_\theta^\top",
        params={"l1": l1, "l2": l2, "angle": angle},
        description=(
            "An elliptical bowl whose curvatures are λ1 and λ2 along axes turned by the angle θ. The "
            "condition number κ = λmax/λmin sets the pace: the learning rate must stay below 2/λmax for the "
            "steep direction, so the shallow one crawls and the path zigzags across the valley. Momentum "
            "is at its best here; turning the axes away from x and y takes away the advantage of "
            "per-coordinate methods (Adagrad, RMSprop, Adam), which can only rescale x and y."),
        f=lambda x, y: 0.5 * (a * x * x + 2.0 * b * x * y + d * y * y),
        df=lambda x, y: (a * x + b * y, b * x + d * y),
        d2f=lambda x, y: (a, b, d),
        minima=[[0.0, 0.0]], bounds=((-2, 2), (-2, 2)), start=(-1.5, 1.0),
    )


_CURVATURE = dict(low=1e-3, high=1000.0, log=True)


def _described(factory: Factory) -> Factory:
    """The entry with its title and one-line description taken from its surface built with the defaults: the
    surface's ``name`` and the first sentence of its ``description`` (each written once, in the builder)."""
    sample = factory()
    return replace(factory, title=sample.name, description=sample.description.split(". ")[0].rstrip(".") + ".")


SURFACES: dict[str, Factory] = {
    f.slug: _described(f) for f in (
        Factory("surface", "bowl", (Param("scale", 1.0, **_CURVATURE, help="f = scale·(x² + y²)"),), _bowl),
        Factory("surface", "quadratic", (
            Param("l1", 10.0, **_CURVATURE, help="curvature λ1 along the tilted axis"),
            Param("l2", 1.0, **_CURVATURE, help="curvature λ2 across it"),
            Param("angle", 30.0, low=-180.0, high=180.0, help="angle of the λ1 axis from x, in degrees"),
        ), _quadratic),
        *(Factory("surface", build.__name__, (), build) for build in (
            valley.rosenbrock, multi.himmelblau, valley.beale, valley.booth, valley.matyas, multi.three_hump_camel,
            multi.six_hump_camel, multi.goldstein_price, multi.rastrigin, multi.ackley, valley.saddle,
            valley.monkey_saddle)),
        REGRESSION,  # lesson 10: a line fitted to data, its training loss over (w, b)
        REGRESSION_STD,  # lesson 14: the same data with standardised inputs (a round bowl)
    )
}


def surface(slug: str, **params) -> Surface:
    """The built-in surface ``slug`` built with ``params`` (defaults filled in); ValueError when the slug
    or a parameter is unknown or a value is out of range."""
    return lookup(SURFACES, "surface", slug)(**params)
