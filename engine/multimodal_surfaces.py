"""Classic test functions with several minima, where the start and the step decide where a run ends:
Himmelblau's four, the three- and six-hump camels, Goldstein–Price's local minima across six orders of
magnitude, Rastrigin's egg crate and Ackley's funnel in a rippled plateau.

Each function takes no parameters and returns a :class:`~engine.surface_type.Surface` with ``f``, its
analytic gradient and Hessian, as described in :mod:`engine.surfaces` (which registers them); the formulas
and minima follow the standard test-function table (REFERENCE.md, "Standard test functions").
"""

from __future__ import annotations

import numpy as np

from .surface_type import Surface

__all__ = ["ackley", "goldstein_price", "himmelblau", "rastrigin", "six_hump_camel", "three_hump_camel"]



def himmelblau() -> Surface:
    """f = a² + b² with a = x² + y − 11, b = x + y² − 7; ∇f = (4xa + 2b, 2a + 4yb)."""
    def df(x, y):
        a, b = x * x + y - 11.0, x + y * y - 7.0
        return 4.0 * x * a + 2.0 * b, 2.0 * a + 4.0 * y * b

    return Surface(
        slug="himmelblau", name="Himmelblau (four minima)", formula=r"f(x, y) = (x^2 + y - 11)^2 + (x + y^2 - 7)^2",
        description=(
            "Four minima of equal depth (f = 0), a local maximum near (−0.27, −0.92) and four saddles "
            "between them. Which minimum gradient descent finds depends on where it starts, and sometimes on "
            "the learning rate: a clear picture of basins of attraction."),
        f=lambda x, y: (x * x + y - 11.0) ** 2 + (x + y * y - 7.0) ** 2, df=df,
        d2f=lambda x, y: (12.0 * x * x + 4.0 * y - 42.0, 4.0 * (x + y), 4.0 * x + 12.0 * y * y - 26.0),
        minima=[[3.0, 2.0], [-2.805118, 3.131312], [-3.779310, -3.283186], [3.584428, -1.848126]],
        bounds=((-5, 5), (-5, 5)), start=(-0.5, -0.5),
    )


def three_hump_camel() -> Surface:
    """f = 2x² − 1.05x⁴ + x⁶/6 + xy + y²; ∇f = (4x − 4.2x³ + x⁵ + y, x + 2y)."""
    return Surface(
        slug="three_hump_camel", name="Three-hump camel",
        formula=r"f(x, y) = 2x^2 - 1.05\,x^4 + \tfrac{x^6}{6} + xy + y^2",
        description=(
            "Three valleys: the global minimum at (0, 0) between two shallower local minima near "
            "(±1.75, ∓0.87), separated by saddles. From a start on an outer hump plain gradient descent "
            "settles in the local minimum; momentum or a larger step can carry it over the saddle."),
        f=lambda x, y: 2.0 * x**2 - 1.05 * x**4 + x**6 / 6.0 + x * y + y * y,
        df=lambda x, y: (4.0 * x - 4.2 * x**3 + x**5 + y, x + 2.0 * y),
        d2f=lambda x, y: (4.0 - 12.6 * x**2 + 5.0 * x**4, 1.0, 2.0),
        minima=[[0.0, 0.0]], bounds=((-2.5, 2.5), (-2, 2)), start=(2.2, -1.5),
    )


def six_hump_camel() -> Surface:
    """f = (4 − 2.1x² + x⁴/3) x² + xy + (−4 + 4y²) y²; ∇f = (8x − 8.4x³ + 2x⁵ + y, x − 8y + 16y³)."""
    return Surface(
        slug="six_hump_camel", name="Six-hump camel",
        formula=r"f(x, y) = \left(4 - 2.1\,x^2 + \tfrac{x^4}{3}\right) x^2 + xy + (-4 + 4y^2)\,y^2",
        description=(
            "Six valleys: two global minima f ≈ −1.0316 at (0.0898, −0.7126) and (−0.0898, 0.7126), four "
            "shallower local minima around them, and saddles in between. The start point and the step size "
            "decide which valley an optimizer ends in."),
        f=lambda x, y: (4.0 - 2.1 * x**2 + x**4 / 3.0) * x**2 + x * y + (4.0 * y**2 - 4.0) * y**2,
        df=lambda x, y: (8.0 * x - 8.4 * x**3 + 2.0 * x**5 + y, x - 8.0 * y + 16.0 * y**3),
        d2f=lambda x, y: (8.0 - 25.2 * x**2 + 10.0 * x**4, 1.0, 48.0 * y**2 - 8.0),
        minima=[[0.0898, -0.7126], [-0.0898, 0.7126]], bounds=((-2, 2), (-1.2, 1.2)), start=(-1.6, -0.9),
    )


def _gp_factor(v, shift: float, p0: float, p1: float, const: float):
    """g(v) = const + w² P with w = v + shift, P = p0 + p1 v + 3v²; returns g, g′, g″."""
    w, p, dp = v + shift, p0 + p1 * v + 3.0 * v * v, p1 + 6.0 * v
    return const + w * w * p, 2.0 * w * p + w * w * dp, 2.0 * p + 4.0 * w * dp + 6.0 * w * w


def _goldstein_price_parts(x, y):
    # The two standard factors depend on x, y only through u = x + y and t = 2x − 3y:
    # A(u) = 1 + (u + 1)² (19 − 14u + 3u²),  B(t) = 30 + t² (18 − 16t + 3t²),  f = A·B.
    return _gp_factor(x + y, 1.0, 19.0, -14.0, 1.0), _gp_factor(2.0 * x - 3.0 * y, 0.0, 18.0, -16.0, 30.0)


def _goldstein_price_f(x, y):
    (a, _, _), (b, _, _) = _goldstein_price_parts(x, y)
    return a * b


def _goldstein_price_df(x, y):
    (a, da, _), (b, db, _) = _goldstein_price_parts(x, y)   # ∂u = (1, 1), ∂t = (2, −3)
    return da * b + 2.0 * a * db, da * b - 3.0 * a * db


def _goldstein_price_d2f(x, y):
    (a, da, d2a), (b, db, d2b) = _goldstein_price_parts(x, y)
    return (d2a * b + 4.0 * da * db + 4.0 * a * d2b, d2a * b - da * db - 6.0 * a * d2b,
            d2a * b - 6.0 * da * db + 9.0 * a * d2b)


def goldstein_price() -> Surface:
    """f = [1 + (x + y + 1)²(19 − 14x + 3x² − 14y + 6xy + 3y²)]
         · [30 + (2x − 3y)²(18 − 32x + 12x² + 48y − 36xy + 27y²)]."""
    return Surface(
        slug="goldstein_price", name="Goldstein–Price",
        formula=r"f(x, y) = \left[1 + (x + y + 1)^2 (19 - 14x + 3x^2 - 14y + 6xy + 3y^2)\right]"
        r"\left[30 + (2x - 3y)^2 (18 - 32x + 12x^2 + 48y - 36xy + 27y^2)\right]",
        description=(
            "A polynomial whose values span six orders of magnitude across the view, with a narrow global "
            "minimum f(0, −1) = 3 and local minima (f ≈ 30 near (−0.6, −0.4), 84 near (1.8, 0.2), 840 near "
            "(1.2, 0.8)). A learning rate that is safe on the steep walls barely moves near the bottom, and "
            "one that moves near the bottom explodes on the walls; best seen with a log colour scale."),
        f=_goldstein_price_f, df=_goldstein_price_df, d2f=_goldstein_price_d2f,
        minima=[[0.0, -1.0]], bounds=((-2, 2), (-3, 1)), start=(-0.6, 0.4),
    )


def _ripple(v):
    """One coordinate of Rastrigin, v² − 10 cos 2πv + 10, with its first and second derivatives."""
    c, s = np.cos(2.0 * np.pi * v), np.sin(2.0 * np.pi * v)
    return v * v - 10.0 * c + 10.0, 2.0 * v + 20.0 * np.pi * s, 2.0 + 40.0 * np.pi**2 * c


def rastrigin() -> Surface:
    """f = 20 + Σ (vᵢ² − 10 cos 2πvᵢ) over v = (x, y): a sum of one ripple per coordinate, so fxy = 0."""
    return Surface(
        slug="rastrigin", name="Rastrigin (egg crate)",
        formula=r"f(x, y) = 20 + x^2 - 10\cos 2\pi x + y^2 - 10\cos 2\pi y",
        description=(
            "A bowl x² + y² covered in cosine ripples: a local minimum near every point of the integer grid "
            "and the global one at (0, 0). Gradient descent stops in the nearest dip; the landscape for "
            "showing how noise, large steps or restarts can escape local minima, and how rarely they find "
            "the global one."),
        f=lambda x, y: _ripple(x)[0] + _ripple(y)[0],
        df=lambda x, y: (_ripple(x)[1], _ripple(y)[1]),
        d2f=lambda x, y: (_ripple(x)[2], 0.0, _ripple(y)[2]),
        minima=[[0.0, 0.0]], bounds=((-5.12, 5.12), (-5.12, 5.12)), start=(3.3, -2.2),
    )


_ACKLEY_RHO_MIN = 1e-8   # the cone tip: radii below this are treated as this (see ackley)


def _ackley_parts(x, y):
    # ρ = √(½(x² + y²)) floored at _ACKLEY_RHO_MIN, e1 = exp(−0.2ρ), e2 = exp(½(cos 2πx + cos 2πy))
    rho = np.maximum(np.sqrt(0.5 * (x * x + y * y)), _ACKLEY_RHO_MIN)
    return rho, np.exp(-0.2 * rho), np.exp(0.5 * (np.cos(2.0 * np.pi * x) + np.cos(2.0 * np.pi * y)))


def _ackley_df(x, y):
    # ∂/∂x (−20 e1) = 2 e1 x / ρ;  ∂/∂x (−e2) = π e2 sin 2πx
    rho, e1, e2 = _ackley_parts(x, y)
    k = 2.0 * e1 / rho
    return k * x + np.pi * e2 * np.sin(2.0 * np.pi * x), k * y + np.pi * e2 * np.sin(2.0 * np.pi * y)


def _ackley_d2f(x, y):
    # cone term: 2 e1/ρ δᵢⱼ − vᵢvⱼ e1 (1 + 0.2ρ)/ρ³;  ripple term: π² e2 (2 cos 2πvᵢ δᵢⱼ − sin 2πvᵢ sin 2πvⱼ)
    rho, e1, e2 = _ackley_parts(x, y)
    k, m = 2.0 * e1 / rho, e1 * (1.0 + 0.2 * rho) / rho**3
    sx, sy, q = np.sin(2.0 * np.pi * x), np.sin(2.0 * np.pi * y), np.pi**2 * e2
    return (k - m * x * x + q * (2.0 * np.cos(2.0 * np.pi * x) - sx * sx), -m * x * y - q * sx * sy,
            k - m * y * y + q * (2.0 * np.cos(2.0 * np.pi * y) - sy * sy))


def ackley() -> Surface:
    """f = −20 exp(−0.2 ρ) − exp(½(cos 2πx + cos 2πy)) + e + 20, ρ = √(½(x² + y²)).

    At the minimum the first term is a cone: f is not differentiable at (0, 0), the gradient keeps a norm
    near 2√2 · e1 arbitrarily close to it, and the Hessian's cone part grows like 2/ρ.  Radii ρ below 1e-8
    are treated as 1e-8: the gradient is exactly 0 at the origin (the symmetric choice of subgradient) and
    continuous, and the Hessian there is the finite, very large value 2/1e-8 + 2π²e ≈ 2·10⁸ on the
    diagonal — never NaN or infinite, and never a warning.
    """
    return Surface(
        slug="ackley", name="Ackley (funnel in a plateau)",
        formula=r"f(x, y) = -20\,e^{-0.2\sqrt{(x^2 + y^2)/2}} - e^{(\cos 2\pi x + \cos 2\pi y)/2} + e + 20",
        description=(
            "A nearly flat outer region riddled with small local minima that falls into a deep funnel at "
            "(0, 0), where the function has a cone-shaped tip and is not differentiable. Shows local minima "
            "on a plateau, and why gradient descent with a fixed step keeps bouncing around a kink instead "
            "of settling: the gradient does not shrink as the path nears the minimum."),
        f=lambda x, y: (-20.0 * np.exp(-0.2 * np.sqrt(0.5 * (x * x + y * y)))
                        - np.exp(0.5 * (np.cos(2.0 * np.pi * x) + np.cos(2.0 * np.pi * y))) + np.e + 20.0),
        df=_ackley_df, d2f=_ackley_d2f,
        minima=[[0.0, 0.0]], bounds=((-4, 4), (-4, 4)), start=(2.6, -1.8),
    )
