"""Learning-rate schedules with torch.optim.lr_scheduler's names, parameters and values.

Convention (torch's): ``lr(t)`` is the learning rate in force for the step taken after ``t`` calls of the
scheduler's ``step()``, so ``lr(0)`` is the lr of the very first optimizer step.  Every schedule except
plateau is a closed form evaluated on whole arrays of steps at once (no loop over steps); those main rules
are in :mod:`engine.schedule_rules`, and this module adds the warm-up, plateau's loss-driven rule and the
registry.

Two kinds, as in torch:
  * scaling schedules (step, multistep, exponential, cosine, cosine_restarts, linear, polynomial, constant,
    plateau) follow the optimizer's lr ``base_lr``: ``lr = base_lr * factor(t)``, except that the cosines'
    ``eta_min`` is an absolute floor, ``eta_min + (base_lr - eta_min) * g(t)``, as in torch;
  * cyclic and onecycle set the lr themselves (``sets_lr``): the optimizer's lr is ignored, as in torch.
    We model ``cycle_momentum=False``: the engine schedules only the lr, never the momentum.

Warm-up (``warmup_steps`` w, ``warmup_start_factor`` s, for any schedule) puts torch's
``LinearLR(s, 1.0, total_iters=w)`` in front of the main schedule, as ``SequentialLR([warmup, main],
milestones=[w])`` does (it restarts the main schedule at the milestone with ``step(0)``)::

    lr(t) = lr_0 * (s + (1 - s) * t / w)    for t < w
    lr(t) = lr_main(t - w)                   for t >= w

where lr_0 is the lr the optimizer starts with (torch's ``initial_lr``): ``base_lr``, or for cyclic and
onecycle, which set the lr themselves, their own first lr ``lr_main(0)`` (torch gives that when the main
scheduler is built before the LinearLR; OneCycleLR always).  As in torch, the ramp ends at ``base_lr``
even where the main schedule starts elsewhere (linear's start_factor, a milestone at 0): the lr then
jumps to ``lr_main(0)`` at step w.

plateau (ReduceLROnPlateau) is driven by the loss: ``init_state``/``observe`` run torch's rule on n
trajectories at once.  ``observe`` is called once per step with the loss at the new point and returns
the lr of the next step.  With warm-up, the first w losses are not fed to the rule (the usual torch idiom:
step the warm-up scheduler for w steps, then ``plateau.step(loss)``); the rule starts at ``base_lr``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np

from . import schedule_rules as rules
from .params import Factory, Param, lookup
from .schedule_rules import Rule

__all__ = ["SCHEDULES", "Schedule", "lr_table", "schedule"]

Array = np.ndarray


@dataclass(frozen=True, eq=False)
class Schedule:
    """A learning-rate schedule (see the module docstring for the conventions).

    name: registry slug; params: all resolved parameters (torch names, plus warmup_steps and
    warmup_start_factor), so ``schedule(s.name, **s.params)`` rebuilds it; sets_lr: True for cyclic and
    onecycle (the optimizer's lr is ignored); loss_driven: True only for plateau; rule: the main
    schedule's closed form, applied after the warm-up.
    """

    name: str
    params: dict[str, Any]
    sets_lr: bool
    loss_driven: bool
    rule: Rule = field(repr=False)

    def lr(self, t: Any, base_lr: Any) -> Array:
        """The lr after ``t`` scheduler steps; t: int array (any shape), base_lr broadcasting against it.

        plateau raises ValueError: its lr depends on the losses (use ``init_state`` and ``observe``).
        """
        if self.loss_driven:
            raise ValueError(f"schedule {self.name!r} is driven by the loss: use init_state() and observe()")
        t = np.asarray(t)
        if not np.issubdtype(t.dtype, np.integer) or (t.size and t.min() < 0):
            raise ValueError(f"t must be non-negative whole step counts, got dtype {t.dtype}")
        return self._scheduled(t, np.asarray(base_lr, dtype=float))

    def _scheduled(self, t: Array, base: Array) -> Array:
        """The warm-up ramp to lr_0 for t < w, then the main rule at t - w (module docstring)."""
        w, s = self.params["warmup_steps"], self.params["warmup_start_factor"]
        out = self.rule(np.maximum(t - w, 0), base)
        if w:
            lr_0 = self.rule(np.zeros((), dtype=int), base) if self.sets_lr else base
            out = np.where(t < w, lr_0 * (s + (1 - s) * t / w), out)
        return np.array(np.broadcast_to(out, np.broadcast_shapes(t.shape, base.shape)), dtype=float)

    def init_state(self, base_lr: Any) -> dict:
        """State for n trajectories; base_lr (n,) (a scalar means n = 1).  ``state["lr"]`` is the lr of step 0."""
        base = np.array(base_lr, dtype=float, ndmin=1)
        if base.ndim != 1:
            raise ValueError(f"base_lr must be a number or a 1-D array, got shape {base.shape}")
        state = {"t": 0, "base_lr": base, "lr": self._scheduled(np.zeros(base.shape, dtype=int), base)}
        if self.loss_driven:
            worse = np.inf if self.params["mode"] == "min" else -np.inf
            state.update(best=np.full(base.shape, worse), num_bad_epochs=np.zeros(base.shape, dtype=int),
                         cooldown_counter=np.zeros(base.shape, dtype=int))
        return state

    def observe(self, state: dict, loss: Any) -> Array:
        """Feed the loss (n,) after a step; updates ``state`` and returns the lr (n,) of the next step.

        For plateau this is torch's ``ReduceLROnPlateau.step(loss)``, vectorised; for every other schedule
        the loss is ignored and the result is ``lr(t)`` (so a simulator can treat all schedules alike).
        """
        state["t"] += 1
        if self.loss_driven and state["t"] > self.params["warmup_steps"]:
            _plateau_step(self.params, state, np.asarray(loss, dtype=float))
        else:
            state["lr"] = self._scheduled(np.asarray(state["t"]), state["base_lr"])
        return state["lr"]


def _plateau_step(p: dict[str, Any], state: dict, loss: Array) -> None:
    """torch's ReduceLROnPlateau.step on arrays, one entry per trajectory.

    better: loss < best * (1 - threshold) (min, rel), loss < best - threshold (min, abs), and the mirror
    images for max; best starts at +inf (min) or -inf (max).  A NaN loss compares false: a bad epoch.
    A bad epoch counts unless in cooldown; more than ``patience`` of them in a row reduce the lr to
    max(lr * factor, min_lr), applied only if the decrease exceeds eps; then cooldown starts.
    """
    best, margin = state["best"], p["threshold"]
    with np.errstate(invalid="ignore"):  # inf * 0 when threshold = 1 (rel): NaN, compares false, as in torch
        if p["mode"] == "min":
            better = loss < (best * (1.0 - margin) if p["threshold_mode"] == "rel" else best - margin)
        else:
            better = loss > (best * (margin + 1.0) if p["threshold_mode"] == "rel" else best + margin)
    state["best"] = np.where(better, loss, best)
    cooling = state["cooldown_counter"] > 0
    bad = np.where(better | cooling, 0, state["num_bad_epochs"] + 1)
    reduce = bad > p["patience"]
    old = state["lr"]
    new = np.maximum(old * p["factor"], p["min_lr"])
    state["lr"] = np.where(reduce & (old - new > p["eps"]), new, old)
    state["cooldown_counter"] = np.where(reduce, p["cooldown"], state["cooldown_counter"] - cooling)
    state["num_bad_epochs"] = np.where(reduce, 0, bad)


# --- registry ---

_GAMMA = Param("gamma", 0.1, low=0.0, high=1.0, open_low=True,
               help="multiplicative decay; torch also allows > 1 (growth), left out here")
_ETA_MIN = Param("eta_min", 0.0, low=0.0, help="the lowest lr (absolute, not a factor)")
_WARMUP = (
    Param("warmup_steps", 0, low=0, kind="int", help="steps of linear warm-up in front (0: none)"),
    Param("warmup_start_factor", 0.01, low=0.0, high=1.0, open_low=True, log=True,
          help="the warm-up starts at this fraction of the schedule's first lr"),
)
# A None default that means "same as another parameter" (torch's convention); params store the value.
_SAME_AS = {"step_size_down": "step_size_up"}

SCHEDULES: dict[str, Factory] = {}


def _register(slug: str, title: str, description: str, spec: tuple[Param, ...], build_rule: Callable[..., Rule], *,
              sets_lr: bool = False, loss_driven: bool = False) -> None:
    def build(**params: Any) -> Schedule:
        params = {k: params[_SAME_AS[k]] if v is None and k in _SAME_AS else v for k, v in params.items()}
        own = {k: v for k, v in params.items() if not k.startswith("warmup_")}
        return Schedule(slug, params, sets_lr, loss_driven, build_rule(**own))
    SCHEDULES[slug] = Factory("schedule", slug, (*spec, *_WARMUP), build, title, description)


_register("constant", "Constant", "The same lr at every step.", (), rules.constant)
_register("step", "Step decay", "Multiplies the lr by gamma every step_size steps (StepLR).",
          (Param("step_size", 100, low=1, kind="int", help="steps between decays"), _GAMMA), rules.step)
_register("multistep", "Multi-step decay", "Multiplies the lr by gamma at each milestone (MultiStepLR).",
          (Param("milestones", (100, 200), kind="ints", help="steps at which the lr decays"), _GAMMA),
          rules.multistep)
_register("exponential", "Exponential", "Multiplies the lr by gamma at every step (ExponentialLR).",
          (replace(_GAMMA, default=0.99, high=10.0,
                   help="multiplied into the lr every step; > 1 grows it, as in LR range tests"),),
          rules.exponential)
_register("cosine", "Cosine annealing",
          "Lowers the lr along half a cosine to eta_min over T_max steps (CosineAnnealingLR).",
          (Param("T_max", 100, low=1, kind="int", help="steps from base_lr down to eta_min"), _ETA_MIN),
          rules.cosine)
_register("cosine_restarts", "Cosine with warm restarts",
          "Cosine annealing that jumps back to the base lr at the end of each cycle (CosineAnnealingWarmRestarts).",
          (Param("T_0", 50, low=1, kind="int", help="length of the first cycle"),
           Param("T_mult", 1, low=1, kind="int", help="each cycle is T_mult times longer"),
           _ETA_MIN), rules.cosine_restarts)
# torch's step_size_up default (2000) would never leave the first ramp in our 100-1000 steps: 50 here.
_register("cyclic", "Cyclical (CLR)", "Sweeps the lr up and down between base_lr and max_lr (CyclicLR).",
          (Param("base_lr", 1e-3, low=0.0, open_low=True, log=True, help="lowest lr of the cycle"),
           Param("max_lr", 0.1, low=0.0, open_low=True, log=True, help="highest lr of the cycle"),
           Param("step_size_up", 50, low=1, kind="int", help="steps from base_lr up to max_lr"),
           Param("step_size_down", None, low=1, kind="int", help="steps back down (default: = up)"),
           Param("mode", "triangular", kind="choice", choices=("triangular", "triangular2", "exp_range")),
           replace(_GAMMA, default=1.0, help="exp_range: amplitude * gamma ** t")),
          rules.cyclic, sets_lr=True)
_register("onecycle", "1cycle", "One rise to max_lr, then a long fall far below the first lr (OneCycleLR).",
          (Param("max_lr", 0.1, low=0.0, open_low=True, log=True, help="peak lr"),
           Param("total_steps", 500, low=2, kind="int", help="length of the cycle"),
           Param("pct_start", 0.3, low=0.0, high=1.0, open_low=True, help="share of steps going up"),
           Param("anneal_strategy", "cos", kind="choice", choices=("cos", "linear")),
           Param("div_factor", 25.0, low=1.0, log=True, help="initial lr = max_lr / div_factor"),
           Param("final_div_factor", 1e4, low=1.0, log=True, help="final lr = initial / this"),
           Param("three_phase", False, kind="bool", help="come back to the initial lr before the end")),
          rules.onecycle, sets_lr=True)
_register("linear", "Linear", "Moves the lr's factor in a straight line from start_factor to end_factor (LinearLR).",
          (Param("start_factor", 1 / 3, low=0.0, high=1.0, open_low=True, help="first factor"),
           Param("end_factor", 1.0, low=0.0, high=1.0, help="factor from total_iters on"),
           Param("total_iters", 5, low=1, kind="int", help="steps of the linear change")), rules.linear)
_register("polynomial", "Polynomial", "Lowers the lr to 0 along (1 - t/total_iters)^power (PolynomialLR).",
          (Param("total_iters", 5, low=1, kind="int", help="steps until the lr reaches 0"),
           Param("power", 1.0, low=0.0, help="1: linear decay")), rules.polynomial)
_register("plateau", "Reduce on plateau", "Cuts the lr by factor when the loss stops improving (ReduceLROnPlateau).",
          (Param("mode", "min", kind="choice", choices=("min", "max")),
           Param("factor", 0.1, low=0.0, high=1.0, help="lr multiplier on a plateau (< 1)"),
           Param("patience", 10, low=0, kind="int", help="bad steps tolerated before reducing"),
           Param("threshold", 1e-4, low=0.0, high=1.0, help="improvement that counts"),
           Param("threshold_mode", "rel", kind="choice", choices=("rel", "abs")),
           Param("cooldown", 0, low=0, kind="int", help="steps ignored after a reduction"),
           Param("min_lr", 0.0, low=0.0, help="the lr never goes below this"),
           Param("eps", 1e-8, low=0.0, help="smaller reductions are skipped")),
          rules.plateau, loss_driven=True)


def schedule(name: str, **params: Any) -> Schedule:
    """Build the schedule registered as ``name``; unknown names or bad parameters raise ValueError."""
    return lookup(SCHEDULES, "schedule", name)(**params)


def lr_table(sched: Schedule | None, steps: int, base_lr: Any) -> Array:
    """The lr of every step, shape (steps, n): row t is ``sched.lr(t)``; base_lr a number or (n,).

    None means a constant lr.  plateau raises ValueError (its lrs depend on the losses).
    """
    if isinstance(steps, (bool, np.bool_)) or not isinstance(steps, (int, np.integer)) or steps < 0:
        raise ValueError(f"steps must be a non-negative whole number, got {steps!r}")
    base = np.array(base_lr, dtype=float, ndmin=1)
    if base.ndim != 1:
        raise ValueError(f"base_lr must be a number or a 1-D array, got shape {base.shape}")
    if sched is None:
        return np.array(np.broadcast_to(base, (steps, base.size)))
    return sched.lr(np.arange(steps)[:, None], base)
