"""How a run ended, measured from the run, and the one place its words come from.

Statuses: "converged" and "diverged" are decided as the run goes (``engine.trajectory_labels``); a trajectory
that did neither is labelled here from the end of the run: "oscillating", "stalled" or "running".

Facts measured over the *tail window*: the last w = min(WINDOW, e) updates u_t = p_t - p_{t-1},
t = e-w+1 .. e, before the trajectory's last real point p_e (where it stopped, or the last step):

* zigzag: at least ``ZIGZAG_SHARE`` (90 %) of the window's w-1 consecutive pairs reverse, u_{t-1}·u_t < 0.
* contraction ρ = (‖u_e‖ / ‖u_{e-w+1}‖)^(1/(w-1)): by how much the error shrinks per step.  On a quadratic
  1/2 e^T A e the updates follow the same linear map as the error (GD: u_{t+1} = (I - αA) u_t), so once one
  eigendirection dominates, ρ = |1 - αλ| of that direction.  NaN with fewer than two updates or a first
  update of zero.  WINDOW = 33 makes w - 1 = 32 a multiple of every period up to 32, so both ends of the
  window sit in the same phase of a periodic orbit.
* amplitude: ‖u_e‖ / 2, half the last jump: for a 2-cycle x <-> x' the distance of each point from the
  middle of the two (GD at α = 2/L on (L/2) x² bounces between ±x0: amplitude |x0|).
* earlier contraction ρ': ρ over the window before, the w updates ending at u_{e-w+1} (NaN when the run is
  too short).  Growth is *sustained* when both windows grow and the growth is not slowing down,
  ρ - 1 >= ``SUSTAINED`` (1/2) × (ρ' - 1): a linear instability keeps ρ = ρ' (it would leave the far box
  given more steps), while an orbit settling onto a bounded cycle grows ever more slowly.

The rules for a trajectory that neither converged nor diverged, in order:

* **oscillating**: zigzag and ρ >= 1 - ``OSC_TOL``: it keeps flipping and the flips do not shrink.  Its words
  say "growing × ρ per step" only for sustained growth (above); growth that is not sustained is "still
  changing", so a cycle that is settling is never read as one heading for divergence.  OSC_TOL = 1e-6 is a
  rounding allowance (a settled 2-cycle on Rosenbrock measures 1 ± 1e-8); a zigzag that shrinks faster is
  *converging*, with its measured ρ.
* **stalled**: the lr of the last step is at most ``STALL_LR`` (1e-3) times the largest lr of the run (the
  schedule decayed it), the last step is no longer than a resting step (``STEP_TOL`` × the view's
  diagonal) and the gradient there (with the L2 weight-decay term, as for convergence) is above ``GRAD_TOL``:
  not at rest, just no lr left to move with.
* **running**: none of these when the steps ran out.

View events (``view_events``): the step a path first left the default view and the step it came back for
good (it stayed inside from there to its end).  They never change the status.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .surface_type import Surface
from .trajectory_labels import GRAD_TOL, STEP_TOL, Scan, column_counts

__all__ = ["OSC_TOL", "STALL_LR", "SUSTAINED", "WINDOW", "ZIGZAG_SHARE", "Outcome", "end_labels", "tail", "view_events"]

WINDOW = 33
ZIGZAG_SHARE = 0.9
OSC_TOL = 1e-6
SUSTAINED = 0.5
STALL_LR = 1e-3


def tail(hist: np.ndarray, end: np.ndarray, cols: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(zigzag, contraction, amplitude) of the trajectories ``cols`` over their tail windows (module doc).

    hist (steps+1, 2, n), unchanged up to each trajectory's last real point end (n,)."""
    e = end[cols]
    w = np.minimum(WINDOW, e)
    back = np.arange(WINDOW)[:, None]  # row j: update u_{e-j}
    t = np.maximum(e[None] - back, 1)
    with np.errstate(all="ignore"):  # a diverged trajectory's updates overflow: that is its result, not a warning
        u = hist[t, :, cols] - hist[t - 1, :, cols]  # (WINDOW, k, 2)
        squares = u * u
        norm = np.sqrt(squares[..., 0] + squares[..., 1])
        pairs = u[1:] * u[:-1]  # (u_{t-1}, u_t) as the scan multiplies them
    turns = ((pairs[..., 0] + pairs[..., 1] < 0) & (back[1:] < w)).sum(axis=0)
    n_pairs = np.maximum(w - 1, 0)
    zigzag = (n_pairs >= 1) & (turns >= ZIGZAG_SHARE * n_pairs)
    first = norm[np.maximum(w - 1, 0), np.arange(e.size)]
    with np.errstate(all="ignore"):
        rate = (norm[0] / first) ** (1.0 / np.maximum(n_pairs, 1))
    contraction = np.where((n_pairs >= 1) & (first > 0), rate, np.nan)
    return zigzag, contraction, np.where(w >= 1, norm[0] / 2, 0.0)


def end_labels(surface: Surface, hist: np.ndarray, scan: Scan, lrs: np.ndarray,
               rest: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(oscillating, stalled) masks (n,) for the trajectories ``rest`` that ran all the steps (module doc).

    From the finished ``scan``: reverses (steps-1, n) picks the few candidates for zigzag (the same products
    as ``tail``), so that only they are read back from the history; decay (n,): λ of L2 weight decay;
    per_point: the surface's gradient takes a subset of the trajectories (a family with one parameter per
    trajectory does not).  lrs (steps, n)."""
    reverses, per_point, decay = scan.reverses, scan.per_point, scan.decay
    steps, n = hist.shape[0] - 1, hist.shape[2]
    oscillating, stalled = np.zeros(n, dtype=bool), np.zeros(n, dtype=bool)
    pairs = min(WINDOW, steps) - 1
    if pairs >= 1:
        flips = rest & (column_counts(reverses[steps - 1 - pairs:]) >= ZIGZAG_SHARE * pairs)
        cols = np.flatnonzero(flips)
        if cols.size:
            zigzag, contraction, _ = tail(hist, np.full(n, steps), cols)
            oscillating[cols] = zigzag & (contraction >= 1 - OSC_TOL)
    last = hist[-1] - hist[-2]
    tiny = rest & ~oscillating & ((last * last).sum(axis=0) <= (STEP_TOL * surface.view_diagonal) ** 2)
    cols = np.flatnonzero(tiny)
    if cols.size:
        decayed = lrs[-1, cols] <= STALL_LR * lrs[:, cols].max(axis=0)
        at = cols if per_point else slice(None)
        g = np.empty((2, cols.size if per_point else n))
        surface.grad_into(hist[-1, 0, at], hist[-1, 1, at], g)
        g = (g if per_point else g[:, cols]) + decay[cols] * hist[-1, :, cols].T
        stalled[cols] = decayed & ((g * g).sum(axis=0) > GRAD_TOL**2)
    return oscillating, stalled


def view_events(surface: Surface, points: np.ndarray, last: np.ndarray,
                diverged: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(left, back) (n,): the first step at which each path is outside the default view (-1: never) and the
    step from which it stayed inside to its end after leaving (-1: it never left, or ended outside).  points
    (steps+1, n, 2), frozen after each stop (last: index of the last real point); a diverged path left at its
    divergence step at the latest and is never back."""
    (x0, x1), (y0, y1) = surface.bounds
    x, y = points[..., 0], points[..., 1]
    outside = ~((x >= x0) & (x <= x1) & (y >= y0) & (y <= y1))  # (steps+1, n); NaN is outside
    steps = points.shape[0] - 1
    outside[np.arange(steps + 1)[:, None] > last[None]] = False  # frozen points repeat the last real one
    ever = outside.any(axis=0)
    left = np.where(ever, outside.argmax(axis=0), -1)
    left = np.where(diverged & (left < 0), last + 1, left)
    last_out = steps - outside[::-1].argmax(axis=0)
    back = np.where(ever & ~diverged & (last_out < last), last_out + 1, -1)
    return left, back


def _number(value: float) -> str:
    return f"{value:.3g}"


def _factor(rho: float) -> str:
    """ρ with enough digits to tell it from 1: 0.5, 0.991, 0.99995."""
    for digits in range(3, 10):
        text = f"{rho:.{digits}g}"
        if float(text) != 1.0:
            return text
    return f"{rho:.10g}"


@dataclass(frozen=True)
class Outcome:
    """One trajectory's status and measured facts (see the module doc); ``words`` renders them.

    stopped_at: the step it converged or diverged at, else -1; steps: the run's steps; contraction, zigzag,
    amplitude: over the tail window; left, back: view events (-1 for none); lr: the lr of its last step;
    gradient: ‖∇f‖ at its last point; distance: to the nearest known minimum (NaN when none is known);
    minima: how many minima the surface knows; earlier: the contraction over the window before the tail window
    (NaN when the run is too short)."""

    status: str
    stopped_at: int
    steps: int
    contraction: float
    zigzag: bool
    amplitude: float
    left: int
    back: int
    lr: float
    gradient: float
    distance: float
    minima: int
    earlier: float = float("nan")

    def words(self, brief: bool = False) -> str:
        """"left the view at step 10, back at step 19, converged in 61 steps" and the like; ``brief``: the status
        and its main number only (for one-line captions)."""
        return ", ".join([*([] if brief else self.events()), self.status_words(brief)])

    def events(self) -> list[str]:
        """The view events in words (none for a diverged path: it left the view for good)."""
        if self.left < 0 or self.status == "diverged":
            return []
        first = "started outside the view" if self.left == 0 else f"left the view at step {self.left}"
        if self.back < 0:
            return [first]
        return [first, f"{'in the view from' if self.left == 0 else 'back at'} step {self.back}"]

    def status_words(self, brief: bool = False) -> str:
        """The status with its facts: "converged in 61 steps", "oscillating (amplitude 0.0278)", ...; ``brief``
        leaves out a zigzag (converged or converging), a stall's lr and the steps run."""
        s, rho = self.status, self.contraction
        if s == "converged":
            plural = "s" if self.stopped_at != 1 else ""
            zig = f", zigzagging (error × {_factor(rho)} per step)" if self.zigzag and rho < 1 and not brief else ""
            return f"converged in {self.stopped_at} step{plural}{zig}"
        if s == "diverged":
            return f"diverged at step {self.stopped_at}"
        if s == "oscillating":
            return f"oscillating (amplitude {_number(self.amplitude)}{self._growth(brief)})"
        if s == "stalled":
            where = (f"{_number(self.distance)} from the {'minimum' if self.minima == 1 else 'nearest minimum'}"
                     if self.minima else f"where the gradient is {_number(self.gradient)}")
            return f"stalled {where}" + ("" if brief else f" (the lr decayed to {_number(self.lr)})")
        if self.zigzag and rho < 1:
            return "converging" + ("" if brief else f", zigzagging (error × {_factor(rho)} per step)")
        return "still moving" + ("" if brief else f" after {self.steps} steps")

    def _growth(self, brief: bool = False) -> str:
        """", growing × 1.01 per step" for sustained growth (module doc), ", still changing: × 1.0001 per step
        lately" for growth that is slowing or new (left out when ``brief``), "" for a settled cycle."""
        rho, before = self.contraction, self.earlier
        if not rho > 1 + OSC_TOL:
            return ""
        if before > 1 + OSC_TOL and rho - 1 >= SUSTAINED * (before - 1):
            return f", growing × {_factor(rho)} per step"
        return "" if brief else f", still changing: × {_factor(rho)} per step lately"
