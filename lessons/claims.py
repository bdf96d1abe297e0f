"""The Claims lab: each claim from CURRICULUM.md, the experiment that tests it (one or more Playground presets)
and its verdict, with a reason written from the engine's results of that very experiment.  No streamlit.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

import numpy as np

from engine.regression import make_dataset

from .base import Setup
from .common import curvature_at_start, did, num

__all__ = ["CLAIMS", "VERDICTS", "Claim"]

VERDICTS = ("true", "false", "it depends")


@dataclass(frozen=True)
class Claim:
    """A claim, its experiment (captioned Playground presets, run side by side) and its verdict.

    ``reason(setups)`` explains the verdict from the runs of the experiment (one Setup per preset)."""

    slug: str
    text: str
    verdict: str
    setup_text: str
    presets: tuple[tuple[str, Mapping[str, str]], ...]
    reason: Callable[[tuple[Setup, ...]], str]

    def __post_init__(self) -> None:
        if self.verdict not in VERDICTS:
            raise ValueError(f"verdict must be one of {VERDICTS}, got {self.verdict!r}")


def _races(setups: tuple[Setup, ...]) -> str:
    """"α = 0.1 converged in 144 steps; α = 0.5 ..." over every racer of every setup."""
    parts = [f"α = {num(o.lr)} {did(s.runs[i])}" for s in setups for i, o in enumerate(s.config.optimizers)]
    return "; ".join(parts)


def _final_loss(setup: Setup, i: int = 0) -> float:
    run = setup.runs[i]
    return float(run.losses[run.last_step(0), 0])


def _faster(setups):
    s = setups[0]
    c = curvature_at_start(s)
    return (f"On this bowl 1/L = {num(c.one_over_L)} and 2/L = {num(c.two_over_L)}. {_races(setups)}. Raising α "
            "speeds things up only until 1/L; past it the path overshoots and zigzags, past 2/L it diverges.")


def _zero_one(setups):
    flat, steep = setups
    cf, cs = curvature_at_start(flat), curvature_at_start(steep)
    return (f"The bound is 2/L, not 1. On the flat bowl 2/L = {num(cf.two_over_L)}, and α = {num(flat.lr)} "
            f"{did(flat.run)}. On the steep bowl 2/L = {num(cs.two_over_L)}, and α = {num(steep.lr)} "
            f"{did(steep.run)}: well below 1 and still too large.")


def _data(setups):
    return (f"Same surface, so same data: only the learning rate differs. {_races(setups)}. A low learning rate "
            "needs more *steps*; the amount of data does not enter.")


def _smaller(setups):
    s = setups[0]
    ends = [r.points[r.last_step(0), 0] for r in s.runs]
    finals = [float(s.surface.value(e)) for e in ends]
    small, large = (0, 1) if s.config.optimizers[0].lr < s.config.optimizers[1].lr else (1, 0)
    return (f"From the same start, α = {num(s.config.optimizers[small].lr)} settles in the nearest basin at "
            f"f = {num(finals[small])}, while α = {num(s.config.optimizers[large].lr)} jumps over the ridge and "
            f"reaches f = {num(finals[large])}. On a surface with several minima, a small step just commits to the "
            "closest one.")


def _warmup(setups):
    plain, warm = setups
    end_p, end_w = plain.run.points[plain.run.last_step(0), 0], warm.run.points[warm.run.last_step(0), 0]
    return (f"Without warm-up the path {did(plain.run)} at ({num(end_p[0])}, {num(end_p[1])}); with "
            f"{dict(warm.config.schedule_params)['warmup_steps']} warm-up steps it {did(warm.run)} at "
            f"({num(end_w[0])}, {num(end_w[1])}): the same local minimum. Warm-up only makes the first steps "
            "smaller; its purpose is stability early on (large first updates, adaptive methods' unreliable "
            "early statistics), not escaping minima.")


def _overfit(setups):
    rows = []
    for s in setups:
        data = make_dataset(**s.surface.params)
        val = data.loss("val", s.run.points[: s.run.last_step(0) + 1, 0])
        best = int(np.argmin(val))
        rows.append((s.lr, best, float(val[best]), float(val[-1])))
    (lr_a, step_a, best_a, end_a), (lr_b, step_b, best_b, end_b) = rows
    compare = "lower" if best_b < best_a else "higher"
    return (f"α = {num(lr_a)}: lowest validation loss {num(best_a)} at step {step_a}, final {num(end_a)}. "
            f"α = {num(lr_b)}: lowest {num(best_b)} at step {step_b}, final {num(end_b)}. The larger lr gets to "
            f"its best point sooner, and here that point is {compare} (near 2/L the path zigzags across the "
            "valley and passes through other lines). But both runs end at the same training optimum, with the "
            "same validation loss: a larger lr does not cure overfitting by itself; stopping at the right step, "
            "more data or regularisation does. (With noisy mini-batches a large lr can act as a regulariser, "
            "which is why the honest answer is: it depends.)")


def _adam(setups):
    s = setups[0]
    parts = []
    for i, o in enumerate(s.config.optimizers):
        run = s.runs[i]
        reach = float(np.max(np.linalg.norm(run.points[: run.last_step(0) + 1, 0] - s.surface.minima[0], axis=1)))
        parts.append(f"α = {num(o.lr)} {did(run)} (final loss {num(_final_loss(s, i))}, farthest from the "
                     f"minimum {num(reach)})")
    return ("; ".join(parts) + ". Adam normalises the gradient's scale, not the step: α is still roughly the "
            "distance each parameter moves per step, so a small α stalls and a large one first flies far out.")


def _decay(setups):
    tails = []
    for s in setups:
        tail = s.run.points[-100:, 0] - s.surface.minima[0]
        tails.append(float(np.sqrt(np.mean(np.sum(tail**2, axis=1)))))
    return (f"With noisy gradients a constant lr leaves a noise ball: over the last 100 steps the constant-lr path "
            f"stays {num(tails[0])} from the minimum (root mean square), the decayed one {num(tails[1])}. "
            "Decay shrinks the ball; without noise, a constant lr below 2/L converges exactly anyway.")


def _typical(setups):
    lines = [f"{caption}: {did(s.run)}" for (caption, _), s in zip(CLAIMS[-1].presets, setups, strict=True)]
    return ("; ".join(lines) + ". Typical values are a scale to start from; the curvature of *your* loss "
            "decides what works.")


_BOWL = {"surface": "bowl", "steps": "300", "x0": "1.5", "y0": "-1"}

CLAIMS: tuple[Claim, ...] = (
    Claim("faster", "A higher learning rate means faster learning.", "it depends",
          "Four learning rates race on the same bowl, f = x² + y².",
          (("Four learning rates", {**_BOWL, "optimizer": "sgd,sgd,sgd,sgd", "lr": "0.1", "lr_2": "0.5",
                                    "lr_3": "0.9", "lr_4": "1.05"}),),
          _faster),
    Claim("zero-one", "The learning rate should be between 0 and 1.", "false",
          "α = 5 on a flat bowl, α = 0.02 on a steep one.",
          (("Flat bowl, α = 5", {**_BOWL, "scale": "0.1", "optimizer": "sgd", "lr": "5"}),
           ("Steep bowl, α = 0.02", {**_BOWL, "scale": "100", "optimizer": "sgd", "lr": "0.02"})),
          _zero_one),
    Claim("more-data", "A low learning rate needs more training data to converge.", "false",
          "Three learning rates on the same surface — the same data for all three.",
          (("Three learning rates", {**_BOWL, "optimizer": "sgd,sgd,sgd", "lr": "0.01", "lr_2": "0.05",
                                     "lr_3": "0.2"}),),
          _data),
    Claim("smaller-better", "A smaller learning rate always finds a better solution.", "false",
          "Two learning rates from the same start on the three-hump camel (one global, two local minima).",
          (("Two learning rates", {"surface": "three_hump_camel", "optimizer": "sgd,sgd", "lr": "0.05",
                                   "lr_2": "0.1", "steps": "300", "x0": "2.2", "y0": "-1.5"}),),
          _smaller),
    Claim("warmup", "Warm-up helps escape local minima.", "false",
          "The same run stuck in a local minimum, without and with a 20-step linear warm-up.",
          (("No warm-up", {"surface": "three_hump_camel", "optimizer": "sgd", "lr": "0.05", "steps": "300",
                           "x0": "2.2", "y0": "-1.5"}),
           ("20 warm-up steps", {"surface": "three_hump_camel", "optimizer": "sgd", "lr": "0.05", "steps": "300",
                                 "x0": "2.2", "y0": "-1.5", "warmup_steps": "20", "schedule": "constant"})),
          _warmup),
    Claim("overfitting", "If the model is overfitting, increase the learning rate.", "it depends",
          "Lesson 10's regression (a few noisy training points) trained with a small and a large learning rate.",
          (("α = 0.1", {"surface": "regression", "optimizer": "sgd", "lr": "0.1", "steps": "1000", "x0": "0",
                        "y0": "0"}),
           ("α = 0.4", {"surface": "regression", "optimizer": "sgd", "lr": "0.4", "steps": "1000", "x0": "0",
                        "y0": "0"})),
          _overfit),
    Claim("adam", "Adaptive methods (Adam) make the learning rate irrelevant.", "false",
          "Adam with four learning rates on the tilted quadratic.",
          (("Adam, four learning rates", {"surface": "quadratic", "optimizer": "adam,adam,adam,adam", "lr": "0.0001",
                                          "lr_2": "0.01", "lr_3": "0.1", "lr_4": "5", "steps": "300", "x0": "-1.5",
                                          "y0": "1"}),),
          _adam),
    Claim("decay", "Decaying the learning rate lets you converge more precisely.", "true",
          "Noisy gradients (σ = 1) on the bowl: a constant lr against an exponentially decaying one.",
          (("Constant α = 0.2", {**_BOWL, "optimizer": "sgd", "lr": "0.2", "noise": "1"}),
           ("Decaying from 0.2 (γ = 0.99)", {**_BOWL, "optimizer": "sgd", "lr": "0.2", "noise": "1",
                                            "schedule": "exponential", "gamma": "0.99"})),
          _decay),
    Claim("typical", "Typical values: 0.1 or 0.01 for SGD, 0.001 for Adam.", "it depends",
          "Each typical value on a surface where it fails.",
          (("SGD 0.1 on a steep valley (L = 100)", {"surface": "quadratic", "l1": "100", "optimizer": "sgd",
                                                   "lr": "0.1", "steps": "300", "x0": "-1.5", "y0": "1"}),
           ("SGD 0.01 on a very flat bowl", {**_BOWL, "scale": "0.01", "optimizer": "sgd", "lr": "0.01"}),
           ("Adam 0.001 on the tilted quadratic", {"surface": "quadratic", "optimizer": "adam", "lr": "0.001",
                                                   "steps": "300", "x0": "-1.5", "y0": "1"})),
          _typical),
)
