"""The main rules of the learning-rate schedules: torch.optim.lr_scheduler's closed forms.

Each builder takes one schedule's own torch-named parameters (no warm-up: :mod:`engine.schedules` puts that
in front) and returns ``rule(t, base_lr)``, the lr after ``t`` scheduler steps, evaluated on whole int
arrays of steps at once.  Scaling rules multiply ``base_lr``; cyclic and onecycle ignore it and set the lr
themselves; plateau's rule is only its starting lr (the losses drive it, in :mod:`engine.schedules`).
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

__all__ = [
    "Rule", "constant", "cosine", "cosine_restarts", "cyclic", "exponential", "linear", "multistep", "onecycle",
    "plateau", "polynomial", "step",
]

Array = np.ndarray
Rule = Callable[[Array, Array], Array]  # (t: int array, base_lr) -> lr of the main schedule, no warm-up


def constant() -> Rule:
    """lr = base_lr."""
    return lambda t, base: base


def step(step_size: int, gamma: float) -> Rule:
    """StepLR: base_lr * gamma ** (t // step_size)."""
    return lambda t, base: base * gamma ** (t // step_size)


def multistep(milestones: tuple[int, ...], gamma: float) -> Rule:
    """MultiStepLR: base_lr * gamma ** (number of milestones <= t)."""
    edges = np.asarray(milestones, dtype=int)
    return lambda t, base: base * gamma ** np.searchsorted(edges, t, side="right")


def exponential(gamma: float) -> Rule:
    """ExponentialLR: base_lr * gamma ** t."""
    return lambda t, base: base * gamma**t


def _cosine_curve(base: Array, eta_min: float, t_cur: Array, period: Array) -> Array:
    return eta_min + (base - eta_min) * (1 + np.cos(np.pi * t_cur / period)) / 2


def cosine(T_max: int, eta_min: float) -> Rule:
    """CosineAnnealingLR: eta_min + (base_lr - eta_min) (1 + cos(pi t / T_max)) / 2.

    torch documents this closed form; its recursive rule gives the same values, also past T_max, where the
    cosine rises again (period 2 T_max).
    """
    return lambda t, base: _cosine_curve(base, eta_min, t, T_max)


def cosine_restarts(T_0: int, T_mult: int, eta_min: float) -> Rule:
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


def cyclic(base_lr: float, max_lr: float, step_size_up: int, step_size_down: int, mode: str, gamma: float) -> Rule:
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


def onecycle(max_lr: float, total_steps: int, pct_start: float, anneal_strategy: str, div_factor: float,
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


def linear(start_factor: float, end_factor: float, total_iters: int) -> Rule:
    """LinearLR: base_lr * (start + (end - start) * min(t, total_iters) / total_iters)."""
    return lambda t, base: base * (
        start_factor + (end_factor - start_factor) * np.minimum(t, total_iters) / total_iters)


def polynomial(total_iters: int, power: float) -> Rule:
    """PolynomialLR: base_lr * (1 - min(t, total_iters) / total_iters) ** power."""
    return lambda t, base: base * (1.0 - np.minimum(t, total_iters) / total_iters) ** power


def plateau(mode: str, factor: float, patience: int, threshold: float, threshold_mode: str, cooldown: int,
            min_lr: float, eps: float) -> Rule:
    """ReduceLROnPlateau: loss-driven (``Schedule.observe`` in :mod:`engine.schedules`); its rule is only the
    starting base_lr."""
    if factor >= 1.0:
        raise ValueError(f"factor must be < 1 (as torch), got {factor!r}")
    return constant()
