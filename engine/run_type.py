"""``Run``, what ``engine.simulate`` returns: the histories, each trajectory's status and the facts measured
from it, and the words they make (``engine.outcomes``).  Facts that only pages ask for are measured on first use.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

import numpy as np

from . import outcomes
from .surface_type import Surface

__all__ = ["Run"]


@dataclass(frozen=True, eq=False)
class Run:
    """The result of ``simulate``: histories, labels, measured facts and (when recorded) per-step diagnostics.

    points (steps+1, n, 2); losses (steps+1, n), computed from the points on first use; lrs (steps, n): the lr
    of each step; status (n,): "converged" | "diverged" | "oscillating" | "stalled" | "running" (the rules:
    ``engine.trajectory_labels`` and ``engine.outcomes``); stopped_at (n,): the step it converged or diverged
    at, else -1; oscillation (n,) in [0, 1]: the share of reversing update pairs before the stop.  Measured on
    first use: contraction, zigzag, amplitude (over the tail window) and left_view, back_in_view (the view
    events, -1 for none).  records: with ``record=True`` a dict of (steps, n, 2) arrays where row k describes
    step k+1 (from points[k] to points[k+1]): "grad" (the gradient used, noise included), "update"
    (points[k+1] - points[k]), "effective_lr" (the per-parameter step of adaptive methods, the lr for plain
    SGD) and each optimizer state by its torch name ("momentum_buffer", "exp_avg", ...).
    """

    surface: Surface = field(repr=False)
    points: np.ndarray
    lrs: np.ndarray
    status: np.ndarray
    stopped_at: np.ndarray
    oscillation: np.ndarray
    records: dict[str, np.ndarray] | None = None

    @cached_property
    def losses(self) -> np.ndarray:
        with np.errstate(all="ignore"):
            return self.surface.value(self.points)

    @property
    def steps(self) -> int:
        return self.lrs.shape[0]

    @cached_property
    def ends(self) -> np.ndarray:
        """(n,) index into ``points`` of each trajectory's last real point (where it stopped, or the end); 0, the
        start, when f is undefined at the start (diverged at step 0)."""
        stop, status = self.stopped_at, self.status
        return np.where(status == "diverged", np.maximum(stop - 1, 0),
                        np.where(status == "converged", stop, self.steps))

    def last_step(self, i: int = 0) -> int:
        """Index into ``points`` of trajectory i's last real point (where it stopped, or the end)."""
        return int(self.ends[i])

    @cached_property
    def _tail(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        return outcomes.tail(self.points.transpose(0, 2, 1), self.ends, np.arange(self.status.size))

    @cached_property
    def earlier_contraction(self) -> np.ndarray:
        """(n,) the contraction over the window before the tail window (NaN when the run is too short)."""
        earlier = self.ends - (outcomes.WINDOW - 1)
        rho = outcomes.tail(self.points.transpose(0, 2, 1), np.maximum(earlier, 0), np.arange(self.status.size))[1]
        return np.where(earlier >= outcomes.WINDOW, rho, np.nan)

    @property
    def zigzag(self) -> np.ndarray:
        """(n,) bool: the path flips at nearly every step of its tail window."""
        return self._tail[0]

    @property
    def contraction(self) -> np.ndarray:
        """(n,) the error's factor per step over the tail window (NaN with fewer than two updates)."""
        return self._tail[1]

    @property
    def amplitude(self) -> np.ndarray:
        """(n,) half the last jump: a 2-cycle's distance from its middle."""
        return self._tail[2]

    @cached_property
    def _view(self) -> tuple[np.ndarray, np.ndarray]:
        return outcomes.view_events(self.surface, self.points, self.ends, self.status == "diverged")

    @property
    def left_view(self) -> np.ndarray:
        """(n,) the first step outside the default view, -1 for none."""
        return self._view[0]

    @property
    def back_in_view(self) -> np.ndarray:
        """(n,) the step a path that left came back for good (inside from there on), -1 for none."""
        return self._view[1]

    def facts(self, i: int = 0) -> outcomes.Outcome:
        """Trajectory i's status and measured facts (``engine.outcomes.Outcome``)."""
        end, minima = self.last_step(i), self.surface.minima
        point = self.points[end, i]
        with np.errstate(all="ignore"):
            gradient = float(np.linalg.norm(self.surface.grad(point)))
        distance = float(np.linalg.norm(minima - point, axis=1).min()) if len(minima) else float("nan")
        return outcomes.Outcome(
            str(self.status[i]), int(self.stopped_at[i]), self.steps, float(self.contraction[i]),
            bool(self.zigzag[i]), float(self.amplitude[i]), int(self.left_view[i]), int(self.back_in_view[i]),
            float(self.lrs[max(end, 1) - 1, i]), gradient, distance, len(minima), float(self.earlier_contraction[i]))

    def outcome(self, i: int = 0, brief: bool = False) -> str:
        """Trajectory i's result in the words every page uses (``engine.outcomes.Outcome.words``)."""
        return self.facts(i).words(brief)
