"""Closed-form theory for gradient descent and heavy-ball momentum on quadratics.

Conventions (REFERENCE.md): the curvature of f along a direction is a Hessian eigenvalue λ; L = λmax and
μ = λmin; κ = L/μ.  Gradient descent with step α multiplies the error along eigenvector i by (1 − αλᵢ),
so it is stable iff 0 < αλᵢ < 2 for every i.  Heavy ball in PyTorch's form (v ← βv + g, w ← w − αv)
converges iff 0 < αλ < 2 + 2β (0 ≤ β < 1) for every eigenvalue.  Goh, "Why Momentum Really Works",
Distill 2017, gives the optimal fixed step and the optimal heavy-ball pair used here.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .surface_type import Surface

__all__ = [
    "Curvature", "GD_REGIMES", "curvature", "gd_factor", "gd_rate", "gd_regime", "heavy_ball_converges",
    "heavy_ball_optimum", "heavy_ball_rate", "hessian_eigenvalues", "optimal_step", "stability_limit",
    "symmetric_eigenvalues", "thresholds",
]


def hessian_eigenvalues(surface: Surface, p) -> np.ndarray:
    """Eigenvalues of ∇²f(p), ascending, shape (..., 2) for points (..., 2) (closed form for 2×2); NaN where f
    is not defined (log(x) at x < 0, whose formal Hessian -1/x² is finite; 1/x at 0) or its Hessian is not
    finite: there is no curvature to state."""
    h = surface.hessian(p)
    defined = np.isfinite(h).all(axis=(-2, -1)) & np.isfinite(surface.value(p))
    return symmetric_eigenvalues(np.where(defined[..., None, None], h, np.nan))


def symmetric_eigenvalues(h) -> np.ndarray:
    """Eigenvalues, ascending, of symmetric 2×2 matrices h (..., 2, 2) -> (..., 2): (a + c)/2 ∓ √(((a − c)/2)² + b²)."""
    h = np.asarray(h, dtype=float)
    a, b, c = h[..., 0, 0], h[..., 0, 1], h[..., 1, 1]
    mean, radius = (a + c) / 2, np.hypot((a - c) / 2, b)
    return np.stack([mean - radius, mean + radius], axis=-1)


@dataclass(frozen=True)
class Curvature:
    """Local curvature at a point: L = λmax, μ = λmin, κ = L/μ (inf unless μ > 0); the GD thresholds.

    one_over_L: the largest step that never overshoots (monotone convergence below it);
    two_over_L: the stability limit (divergence above it); both inf when L <= 0 (no positive curvature).
    """

    L: float
    mu: float

    @property
    def kappa(self) -> float:
        return self.L / self.mu if self.mu > 0 else float("inf")

    @property
    def one_over_L(self) -> float:
        return thresholds(self.L)[0]

    @property
    def two_over_L(self) -> float:
        return thresholds(self.L)[1]


def curvature(surface: Surface, p) -> Curvature:
    """The Hessian's extreme eigenvalues at one point p (2,)."""
    mu, L = hessian_eigenvalues(surface, np.asarray(p, dtype=float).reshape(2))
    return Curvature(L=float(L), mu=float(mu))


def thresholds(L: float) -> tuple[float, float]:
    """(1/L, 2/L) for curvature L > 0, else (inf, inf): no step size diverges on a direction without it;
    (nan, nan) for L = nan (f not defined at the point: no thresholds to state)."""
    if np.isnan(L):
        return (float("nan"), float("nan"))
    return (1.0 / L, 2.0 / L) if L > 0 else (float("inf"), float("inf"))


def stability_limit(name: str, hyper: dict, L: float) -> float | None:
    """The largest stable lr of optimizer ``name`` (torch hyper-parameters ``hyper``) on a quadratic of largest
    curvature L, or None for the adaptive methods (adagrad, rmsprop, adam, adamw: their step is divided by a
    running gradient size, so no fixed lr band exists).  SGD-family, with β = momentum, τ = dampening and the
    weight decay wd added to the curvature (λ = L + wd):
    plain GD α < 2/λ; heavy ball (v ← βv + (1 − τ)g, w ← w − αv) α(1 − τ)λ < 2(1 + β); Nesterov (w ← w −
    α(g + βv)) αλ < 2(1 + β)/(1 + 2β): its error obeys z² − (1 + β)(1 − αλ) z + β(1 − αλ) = 0, whose root
    reaches −1 there.  inf when λ <= 0."""
    if name not in ("sgd", "momentum", "nesterov"):
        return None
    lam = L + float(hyper.get("weight_decay", 0.0))
    if lam <= 0:
        return float("inf")
    beta, damp = float(hyper.get("momentum", 0.0)), float(hyper.get("dampening", 0.0))
    if hyper.get("nesterov", False):
        return 2 * (1 + beta) / ((1 + 2 * beta) * lam)
    return 2 * (1 + beta) / ((1 - damp if beta else 1.0) * lam)


def gd_factor(lr, lam) -> np.ndarray:
    """The per-step multiplier (1 − αλ) of the error along an eigenvector of eigenvalue λ."""
    return 1.0 - np.asarray(lr, dtype=float) * np.asarray(lam, dtype=float)


def gd_rate(lr, eigenvalues) -> float:
    """Worst contraction factor max_i |1 − αλᵢ| of gradient descent on a quadratic (< 1 means it converges)."""
    return float(np.max(np.abs(gd_factor(lr, eigenvalues))))


def optimal_step(L: float, mu: float) -> tuple[float, float]:
    """Best fixed step α* = 2/(L + μ) and its rate (κ − 1)/(κ + 1) for eigenvalues in [μ, L], 0 < μ <= L."""
    _check_spectrum(L, mu)
    kappa = L / mu
    return 2.0 / (L + mu), (kappa - 1.0) / (kappa + 1.0)


def heavy_ball_optimum(L: float, mu: float) -> tuple[float, float, float]:
    """Polyak's optimal heavy ball: α = (2/(√L + √μ))², β = ((√κ − 1)/(√κ + 1))², rate (√κ − 1)/(√κ + 1)."""
    _check_spectrum(L, mu)
    root_kappa = np.sqrt(L / mu)
    rate = (root_kappa - 1.0) / (root_kappa + 1.0)
    return float((2.0 / (np.sqrt(L) + np.sqrt(mu))) ** 2), float(rate**2), float(rate)


def heavy_ball_converges(lr: float, beta: float, lam) -> bool:
    """True iff 0 < αλ < 2 + 2β for every eigenvalue λ (0 <= β < 1): heavy ball converges on the quadratic."""
    x = lr * np.asarray(lam, dtype=float)
    return bool(0 <= beta < 1 and np.all((x > 0) & (x < 2 + 2 * beta)))


def heavy_ball_rate(lr: float, beta: float, eigenvalues) -> float:
    """Asymptotic rate of heavy ball: the largest |root| of z² − (1 + β − αλ) z + β = 0 over the eigenvalues.

    These are the eigenvalues of the iteration matrix [[1 + β − αλ, −β], [1, 0]] acting on (wₜ, wₜ₋₁).
    """
    radius = 0.0
    for lam in np.atleast_1d(np.asarray(eigenvalues, dtype=float)):
        roots = np.roots([1.0, -(1.0 + beta - lr * lam), beta])
        radius = max(radius, float(np.max(np.abs(roots))))
    return radius


GD_REGIMES = {
    "monotone": "converges without overshooting (α < 1/L)",
    "one step": "lands on the minimum in one step along the steepest direction (α = 1/L)",
    "zigzagging": "overshoots and flips sign every step, but converges (1/L < α < 2/L)",
    "bouncing": "bounces between two points forever (α = 2/L)",
    "diverging": "overshoots by more each step and blows up (α > 2/L)",
    "flat": "no positive curvature here: the quadratic model predicts no overshoot at any α",
}


def gd_regime(lr: float, L: float, rtol: float = 1e-9) -> str:
    """Which of ``GD_REGIMES`` gradient descent with step ``lr`` is in along curvature L (REFERENCE.md)."""
    if L <= 0:
        return "flat"
    x = lr * L
    if np.isclose(x, 1.0, rtol=rtol, atol=0):
        return "one step"
    if np.isclose(x, 2.0, rtol=rtol, atol=0):
        return "bouncing"
    if x < 1:
        return "monotone"
    return "zigzagging" if x < 2 else "diverging"


def _check_spectrum(L: float, mu: float) -> None:
    if not (0 < mu <= L and np.isfinite(L)):
        raise ValueError(f"needs 0 < mu <= L (a positive-definite Hessian), got L={L!r}, mu={mu!r}")
