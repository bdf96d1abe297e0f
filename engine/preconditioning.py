"""Preconditioned gradient descent: p ← p − α P(p)⁻¹ ∇f(p), with P the diagonal of the Hessian (Jacobi) or the
whole Hessian (Newton's method).  Not a torch.optim optimizer: a small reference loop for one path, for the
lesson on conditioning you can fix (REFERENCE.md, "Conditioning you can fix").

On a quadratic ½ pᵀHp − cᵀp, the step with a fixed P moves the error e = p − p* by e ← (I − αP⁻¹H) e, so it
behaves like gradient descent on a surface whose Hessian is P^{-1/2} H P^{-1/2} (same eigenvalues as P⁻¹H):
``preconditioned_curvature`` gives its L, μ and κ.  With P = H every eigenvalue is 1, and α = 1 reaches the
minimum in one step (Newton).  With P = diag H the diagonal of P^{-1/2} H P^{-1/2} is all ones: it removes a
stretch along the axes (κ → 1 for a diagonal H) but not a tilt: for H = [[a, b], [b, d]] the eigenvalues are
1 ± |b|/√(ad), so κ = (1 + r)/(1 − r) with r = |b|/√(ad), the correlation of the two coordinates.
"""

from __future__ import annotations

import numpy as np

from .surface_type import Surface
from .theory import Curvature, symmetric_eigenvalues
from .trajectory_labels import GRAD_TOL

__all__ = ["PRECONDITIONERS", "newton_step", "preconditioned_curvature", "preconditioned_path"]

PRECONDITIONERS = ("diagonal", "newton")


def _matrix(kind: str, h: np.ndarray) -> np.ndarray:
    """P for Hessian h (2, 2): its diagonal or itself; ValueError when P is not positive definite."""
    if kind not in PRECONDITIONERS:
        raise ValueError(f"unknown preconditioner {kind!r}; choose one of {', '.join(PRECONDITIONERS)}")
    p = np.diag(np.diag(h)) if kind == "diagonal" else h
    if not (np.isfinite(p).all() and np.all(np.linalg.eigvalsh(p) > 0)):
        raise ValueError(f"the {kind} preconditioner needs a positive-definite Hessian here, got {h.tolist()}")
    return p


def newton_step(surface: Surface, p, lr: float = 1.0) -> np.ndarray:
    """p − α ∇²f(p)⁻¹ ∇f(p) for one point p (2,): on a quadratic with α = 1, its minimum."""
    p = np.asarray(p, dtype=float).reshape(2)
    return p - lr * np.linalg.solve(_matrix("newton", surface.hessian(p)), surface.grad(p))


def preconditioned_path(surface: Surface, start, lr: float, steps: int, kind: str) -> np.ndarray:
    """The points (k + 1, 2) of p ← p − α P(p)⁻¹ ∇f(p) from ``start`` (P from ``kind``, re-evaluated at every
    point), stopping after ``steps`` steps, at the first point whose gradient norm is at most GRAD_TOL (the
    simulator's convergence tolerance), or at the first non-finite point (kept, so a blow-up shows)."""
    points = [np.asarray(start, dtype=float).reshape(2)]
    with np.errstate(all="ignore"):
        for _ in range(int(steps)):
            p = points[-1]
            g = surface.grad(p)
            if np.linalg.norm(g) <= GRAD_TOL:
                break
            points.append(p - lr * np.linalg.solve(_matrix(kind, surface.hessian(p)), g))
            if not np.isfinite(points[-1]).all():
                break
    return np.array(points)


def preconditioned_curvature(surface: Surface, p, kind: str) -> Curvature:
    """L and μ of P^{-1/2} H P^{-1/2} at p (the curvatures gradient descent meets after preconditioning)."""
    h = surface.hessian(np.asarray(p, dtype=float).reshape(2))
    root = np.linalg.cholesky(np.linalg.inv(_matrix(kind, h)))  # R Rᵀ = P⁻¹; Rᵀ H R has P⁻¹H's eigenvalues
    mu, L = symmetric_eigenvalues(root.T @ h @ root)
    return Curvature(L=float(L), mu=float(mu))
