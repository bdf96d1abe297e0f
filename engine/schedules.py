"""Learning-rate schedules with torch.optim.lr_scheduler's names, parameters and values.

Convention (torch's): ``lr(t)`` is the learning rate in force for the step taken after ``t`` calls of the
scheduler's ``step()``, so ``lr(0)`` is the lr of the very first optimizer step.  Every schedule except
plateau is a closed form evaluated on whole arrays of steps at once (no loop over steps).

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

from .params import Factory, Param, lookup

__all__ = ["SCHEDULES", "Schedule", "lr_table", "schedule"]

Array = np.ndarray
Rule = Callable[[Array, Array], Array]  # (t: int array, base_lr) -> lr of the main schedule, no warm-up


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


# --- main rules: each builder takes the schedule's own parameters and returns rule(t, base_lr) ---

def _constant() -> Rule:
    """lr = base_lr."""
    return lambda t, base: base


def _step(step_size: int, gamma: float) -> Rule:
    """StepLR: base_lr * gamma ** (t // step_size)."""
    return lambda t, base: base * gamma ** (t // step_size)


def _multistep(milestones: tuple[int, ...], gamma: float) -> Rule:
    """MultiStepLR: base_lr * gamma ** (number of milestones <= t)."""
    edges = np.asarray(milestones, dtype=int)
    return lambda t, base: base * gamma ** np.searchsorted(edges, t, side="right")


def _exponential(gamma: float) -> Rule:
    """ExponentialLR: base_lr * gamma ** t."""
    return lambda t, base: base * gamma**t


def _cosine_curve(base: Array, eta_min: float, t_cur: Array, period: Array) -> Array:
    return eta_min + (base - eta_min) * (1 + np.cos(np.pi * t_cur / period)) / 2


def _cosine(T_max: int, eta_min: float) -> Rule:
    """CosineAnnealingLR: eta_min + (base_lr - eta_min) (1 + cos(pi t / T_max)) / 2.

    torch documents this closed form; its recursive rule gives the same values, also past T_max, where the
    cosine rises again (period 2 T_max).
    """
    return lambda t, base: _cosine_curve(base, eta_min, t, T_max)


def _cosine_restarts(T_0: int, T_mult: int, eta_min: float) -> Rule:
    """CosineAnnealingWarmRestarts: the cosine over T_cur / T_i, restarting when T_cur reaches T_i.

    Cycle k lasts T_i = T_0 T_mult^k and starts at S_k = T_0 (T_mult^k - 1) / (T_mult - 1) (k T_0 if
    T_mult = 1); k comes from a logarithm, corrected in integers so restarts land exactly on S_k.
    """
    def rule(t: Array, base: Array) -> Array:
        if T_mult == 1:
            return _cosine_curve(base, eta_min, t % T_0, T_0)
        k = np.floor(np.log(t / T_0 * (T_mult - 1) + 1) / np.log(T_mult)).astype(np.int64)
        k += (t >= start(k + 1)).astype(np.int64) - (t < start(k))
        return _cosine_curve(base, eta_min, t - start(k), T_0 * T_mult**k)

    def start(k: Array) -> Array:
        return T_0 * (T_mult**k - 1) // (T_mult - 1)
    return rule


def _cyclic(base_lr: float, max_lr: float, step_size_up: int, step_size_down: int, mode: str, gamma: float) -> Rule:
    """CyclicLR (cycle_momentum=False): a triangle between base_lr and max_lr, up for step_size_up steps,
    down for step_size_down.  With N = up + down, cycle c = floor(1 + t / N), x = 1 + t / N - c,
    scale = x / r if x <= r else (x - 1) / (r - 1) (r = up / N), and

        lr = base_lr + (max_lr - base_lr) * scale * a,   a = 1 (triangular), 1 / 2^(c-1) (triangular2),
                                                         gamma^t (exp_range).
    """
    total = float(step_size_up + step_size_down)
    ratio = step_size_up / total
    amplitude = {
        "triangular": lambda t, cycle: 1.0,
        "triangular2": lambda t, cycle: 1 / 2.0 ** (cycle - 1),
        "exp_range": lambda t, cycle: gamma**t,
    }[mode]

    def rule(t: Array, base: Array) -> Array:
        cycle = np.floor(1 + t / total)
        x = 1.0 + t / total - cycle
        scale = np.where(x <= ratio, x / ratio, (x - 1) / (ratio - 1))
        return base_lr + (max_lr - base_lr) * scale * amplitude(t, cycle)
    return rule


def _onecycle(max_lr: float, total_steps: int, pct_start: float, anneal_strategy: str, div_factor: float,
              final_div_factor: float, three_phase: bool) -> Rule:
    """OneCycleLR (cycle_momentum=False): from initial = max_lr / div_factor up to max_lr over the first
    pct_start of total_steps, then down to initial / final_div_factor (three_phase: back to initial first,
    then down).  Each phase anneals start -> end with pct in [0, 1]:
    cos: end + (start - end) / 2 (1 + cos(pi pct)); linear: start + (end - start) pct.
    Phases end at steps pct_start T - 1, (2 pct_start T - 2,) T - 1, as in torch.  torch raises after
    total_steps; we hold the final lr from t = total_steps - 1 on.
    """
    initial = max_lr / div_factor
    final = initial / final_div_factor
    if three_phase:
        ends = [float(pct_start * total_steps) - 1, float(2 * pct_start * total_steps) - 2, total_steps - 1]
        lrs = [(initial, max_lr), (max_lr, initial), (initial, final)]
    else:
        ends, lrs = [float(pct_start * total_steps) - 1, total_steps - 1], [(initial, max_lr), (max_lr, final)]
    if np.any(np.diff([0.0, *ends]) <= 0):
        raise ValueError(f"pct_start={pct_start} with total_steps={total_steps} leaves a phase without steps")
    ends_a = np.asarray(ends, dtype=float)
    starts_a = np.asarray([0.0, *ends[:-1]])
    start_lr, end_lr = (np.asarray(v) for v in zip(*lrs, strict=True))

    def rule(t: Array, base: Array) -> Array:
        t = np.minimum(t, total_steps - 1)
        i = np.minimum(np.searchsorted(ends_a, t, side="left"), len(ends) - 1)
        pct = (t - starts_a[i]) / (ends_a[i] - starts_a[i])
        a, b = start_lr[i], end_lr[i]
        if anneal_strategy == "cos":
            return b + (a - b) / 2.0 * (np.cos(np.pi * pct) + 1)
        return (b - a) * pct + a
    return rule


def _linear(start_factor: float, end_factor: float, total_iters: int) -> Rule:
    """LinearLR: base_lr * (start + (end - start) * min(t, total_iters) / total_iters)."""
    return lambda t, base: base * (
        start_factor + (end_factor - start_factor) * np.minimum(t, total_iters) / total_iters)


def _polynomial(total_iters: int, power: float) -> Rule:
    """PolynomialLR: base_lr * (1 - min(t, total_iters) / total_iters) ** power."""
    return lambda t, base: base * (1.0 - np.minimum(t, total_iters) / total_iters) ** power


def _plateau(mode: str, factor: float, patience: int, threshold: float, threshold_mode: str, cooldown: int,
             min_lr: float, eps: float) -> Rule:
    """ReduceLROnPlateau: loss-driven (see ``_plateau_step``); its rule is only the starting base_lr."""
    if factor >= 1.0:
        raise ValueError(f"factor must be < 1 (as torch), got {factor!r}")
    return _constant()


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


def _register(slug: str, spec: tuple[Param, ...], build_rule: Callable[..., Rule], *, sets_lr: bool = False,
              loss_driven: bool = False) -> None:
    def build(**params: Any) -> Schedule:
        params = {k: params[_SAME_AS[k]] if v is None and k in _SAME_AS else v for k, v in params.items()}
        own = {k: v for k, v in params.items() if not k.startswith("warmup_")}
        return Schedule(slug, params, sets_lr, loss_driven, build_rule(**own))
    SCHEDULES[slug] = Factory("schedule", slug, (*spec, *_WARMUP), build)


_register("constant", (), _constant)
_register("step", (Param("step_size", 100, low=1, kind="int", help="steps between decays"), _GAMMA), _step)
_register("multistep", (Param("milestones", (100, 200), kind="ints", help="steps at which the lr decays"),
                        _GAMMA), _multistep)
_register("exponential", (replace(_GAMMA, default=0.99, high=10.0,
                                 help="multiplied into the lr every step; > 1 grows it, as in LR range tests"),),
          _exponential)
_register("cosine", (Param("T_max", 100, low=1, kind="int", help="steps from base_lr down to eta_min"),
                     _ETA_MIN), _cosine)
_register("cosine_restarts", (Param("T_0", 50, low=1, kind="int", help="length of the first cycle"),
                              Param("T_mult", 1, low=1, kind="int", help="each cycle is T_mult times longer"),
                              _ETA_MIN), _cosine_restarts)
# torch's step_size_up default (2000) would never leave the first ramp in our 100-1000 steps: 50 here.
_register("cyclic", (Param("base_lr", 1e-3, low=0.0, open_low=True, log=True, help="lowest lr of the cycle"),
                     Param("max_lr", 0.1, low=0.0, open_low=True, log=True, help="highest lr of the cycle"),
                     Param("step_size_up", 50, low=1, kind="int", help="steps from base_lr up to max_lr"),
                     Param("step_size_down", None, low=1, kind="int", help="steps back down (default: = up)"),
                     Param("mode", "triangular", kind="choice", choices=("triangular", "triangular2", "exp_range")),
                     replace(_GAMMA, default=1.0, help="exp_range: amplitude * gamma ** t")),
          _cyclic, sets_lr=True)
_register("onecycle", (Param("max_lr", 0.1, low=0.0, open_low=True, log=True, help="peak lr"),
                       Param("total_steps", 500, low=2, kind="int", help="length of the cycle"),
                       Param("pct_start", 0.3, low=0.0, high=1.0, open_low=True, help="share of steps going up"),
                       Param("anneal_strategy", "cos", kind="choice", choices=("cos", "linear")),
                       Param("div_factor", 25.0, low=1.0, log=True, help="initial lr = max_lr / div_factor"),
                       Param("final_div_factor", 1e4, low=1.0, log=True, help="final lr = initial / this"),
                       Param("three_phase", False, kind="bool", help="come back to the initial lr before the end")),
          _onecycle, sets_lr=True)
_register("linear", (Param("start_factor", 1 / 3, low=0.0, high=1.0, open_low=True, help="first factor"),
                     Param("end_factor", 1.0, low=0.0, high=1.0, help="factor from total_iters on"),
                     Param("total_iters", 5, low=1, kind="int", help="steps of the linear change")), _linear)
_register("polynomial", (Param("total_iters", 5, low=1, kind="int", help="steps until the lr reaches 0"),
                         Param("power", 1.0, low=0.0, help="1: linear decay")), _polynomial)
_register("plateau", (Param("mode", "min", kind="choice", choices=("min", "max")),
                      Param("factor", 0.1, low=0.0, high=1.0, help="lr multiplier on a plateau (< 1)"),
                      Param("patience", 10, low=0, kind="int", help="bad steps tolerated before reducing"),
                      Param("threshold", 1e-4, low=0.0, high=1.0, help="improvement that counts"),
                      Param("threshold_mode", "rel", kind="choice", choices=("rel", "abs")),
                      Param("cooldown", 0, low=0, kind="int", help="steps ignored after a reduction"),
                      Param("min_lr", 0.0, low=0.0, help="the lr never goes below this"),
                      Param("eps", 1e-8, low=0.0, help="smaller reductions are skipped")),
          _plateau, loss_driven=True)


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
