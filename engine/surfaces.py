"""The built-in loss surfaces and their registry.

Each surface is a small function that returns a :class:`~engine.surface_type.Surface` with the formula
``f(x, y)``, its analytic gradient ``df -> (fx, fy)`` and Hessian ``d2f -> (fxx, fxy, fyy)``, all plain
NumPy ufunc expressions that broadcast over coordinate arrays of any shape (a constant may come back as a
scalar; ``Surface`` broadcasts it).  The formulas and minima follow the standard test-function table
(REFERENCE.md, "Standard test functions").

    s = surface("quadratic", l1=10.0, l2=1.0, angle=30.0)

``surface`` raises ValueError for an unknown slug, an unknown parameter or a value out of its range.
Rosenbrock, the bowl and the quadratic sit in the simulator's hot loop (the benchmark runs Adam on
Rosenbrock over 100,000 trajectories), so their formulas are written to make few temporary arrays.
"""

from __future__ import annotations

import numpy as np

from .params import Factory, Param, lookup
from .regression import REGRESSION
from .surface_type import Surface

__all__ = ["SURFACES", "surface"]

_PI = np.pi
_NO_MINIMA = np.empty((0, 2))


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


def _rosenbrock_f(x, y):
    t = x * x - y          # x² − y, already shaped like the broadcast of x and y
    t *= t
    t *= 100.0
    u = 1.0 - x
    u *= u
    t += u
    return t


def _rosenbrock_df(x, y):
    # fx = 2(x − 1) + 400 x (x² − y), fy = 200 (y − x²), in place to keep the hot loop lean
    t = x * x - y
    fy = t * -200.0
    t *= x
    t *= 200.0
    t += x - 1.0
    t *= 2.0
    return t, fy


def _rosenbrock() -> Surface:
    """f = (1 − x)² + 100 (y − x²)²; ∇²f = [[1200x² − 400y + 2, −400x], [−400x, 200]]."""
    return Surface(
        slug="rosenbrock", name="Rosenbrock valley", formula=r"f(x, y) = (1 - x)^2 + 100\,(y - x^2)^2",
        description=(
            "Rosenbrock's banana: the floor of a narrow, curved valley along y = x² is quick to reach but "
            "slow to follow to the minimum at (1, 1). There the Hessian's eigenvalues are about 1001.6 and "
            "0.4 (condition number ≈ 2500), so a step small enough to stay in the valley crawls along it. "
            "The classic benchmark for momentum and adaptive methods, from the classic start (−1.2, 1)."),
        f=_rosenbrock_f, df=_rosenbrock_df,
        d2f=lambda x, y: (1200.0 * x * x - 400.0 * y + 2.0, -400.0 * x, 200.0),
        minima=[[1.0, 1.0]], bounds=((-2, 2), (-1, 3)), start=(-1.2, 1.0),
    )


def _himmelblau() -> Surface:
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


def _beale() -> Surface:
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


def _booth() -> Surface:
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


def _matyas() -> Surface:
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


def _three_hump_camel() -> Surface:
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


def _six_hump_camel() -> Surface:
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


def _goldstein_price() -> Surface:
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
    c, s = np.cos(2.0 * _PI * v), np.sin(2.0 * _PI * v)
    return v * v - 10.0 * c + 10.0, 2.0 * v + 20.0 * _PI * s, 2.0 + 40.0 * _PI**2 * c


def _rastrigin() -> Surface:
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


_ACKLEY_RHO_MIN = 1e-8   # the cone tip: radii below this are treated as this (see _ackley)


def _ackley_parts(x, y):
    # ρ = √(½(x² + y²)) floored at _ACKLEY_RHO_MIN, e1 = exp(−0.2ρ), e2 = exp(½(cos 2πx + cos 2πy))
    rho = np.maximum(np.sqrt(0.5 * (x * x + y * y)), _ACKLEY_RHO_MIN)
    return rho, np.exp(-0.2 * rho), np.exp(0.5 * (np.cos(2.0 * _PI * x) + np.cos(2.0 * _PI * y)))


def _ackley_df(x, y):
    # ∂/∂x (−20 e1) = 2 e1 x / ρ;  ∂/∂x (−e2) = π e2 sin 2πx
    rho, e1, e2 = _ackley_parts(x, y)
    k = 2.0 * e1 / rho
    return k * x + _PI * e2 * np.sin(2.0 * _PI * x), k * y + _PI * e2 * np.sin(2.0 * _PI * y)


def _ackley_d2f(x, y):
    # cone term: 2 e1/ρ δᵢⱼ − vᵢvⱼ e1 (1 + 0.2ρ)/ρ³;  ripple term: π² e2 (2 cos 2πvᵢ δᵢⱼ − sin 2πvᵢ sin 2πvⱼ)
    rho, e1, e2 = _ackley_parts(x, y)
    k, m = 2.0 * e1 / rho, e1 * (1.0 + 0.2 * rho) / rho**3
    sx, sy, q = np.sin(2.0 * _PI * x), np.sin(2.0 * _PI * y), _PI**2 * e2
    return (k - m * x * x + q * (2.0 * np.cos(2.0 * _PI * x) - sx * sx), -m * x * y - q * sx * sy,
            k - m * y * y + q * (2.0 * np.cos(2.0 * _PI * y) - sy * sy))


def _ackley() -> Surface:
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
                        - np.exp(0.5 * (np.cos(2.0 * _PI * x) + np.cos(2.0 * _PI * y))) + np.e + 20.0),
        df=_ackley_df, d2f=_ackley_d2f,
        minima=[[0.0, 0.0]], bounds=((-4, 4), (-4, 4)), start=(2.6, -1.8),
    )


def _saddle() -> Surface:
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


def _monkey_saddle() -> Surface:
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


_CURVATURE = dict(low=1e-3, high=1000.0, log=True)

SURFACES: dict[str, Factory] = {
    f.slug: f for f in (
        Factory("surface", "bowl", (Param("scale", 1.0, **_CURVATURE, help="f = scale·(x² + y²)"),), _bowl),
        Factory("surface", "quadratic", (
            Param("l1", 10.0, **_CURVATURE, help="curvature λ1 along the tilted axis"),
            Param("l2", 1.0, **_CURVATURE, help="curvature λ2 across it"),
            Param("angle", 30.0, low=-180.0, high=180.0, help="angle of the λ1 axis from x, in degrees"),
        ), _quadratic),
        *(Factory("surface", build.__name__[1:], (), build) for build in (
            _rosenbrock, _himmelblau, _beale, _booth, _matyas, _three_hump_camel, _six_hump_camel,
            _goldstein_price, _rastrigin, _ackley, _saddle, _monkey_saddle)),
        REGRESSION,  # lesson 10: a line fitted to data, its training loss over (w, b)
    )
}


def surface(slug: str, **params) -> Surface:
    """The built-in surface ``slug`` built with ``params`` (defaults filled in); ValueError when the slug
    or a parameter is unknown or a value is out of range."""
    return lookup(SURFACES, "surface", slug)(**params)
