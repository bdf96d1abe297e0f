"""The Claims lab: what popular explainers claim about the learning rate (/work/shared/CLAIMS.md, in our own
words and with their hedges), and the experiment that tests each claim (one or more Playground presets).  Its
verdict is decided from the runs of that very experiment by the claim's judge (``lessons.claim_judges``).
No streamlit.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

import engine

from . import claim_judges as judges
from .base import Setup
from .claim_judges import VERDICTS, Finding, train_val

__all__ = ["CLAIMS", "UNTESTED", "VERDICTS", "Claim", "Finding", "train_val"]


@dataclass(frozen=True)
class Claim:
    """A claim as its sources make it (``number``: its row in CLAIMS.md, ``sources``: how many of the four
    explainers make it), its experiment (captioned Playground presets, run side by side) and ``judge``, which
    decides the verdict from the runs; ``verdict`` is the one the lab expects (the tests check they agree)."""

    number: int
    slug: str
    text: str
    sources: int
    verdict: str
    setup_text: str
    presets: tuple[tuple[str, Mapping[str, str]], ...]
    judge: Callable[[tuple[Setup, ...]], Finding]
    regression: bool = False  # draw the training and validation loss of every run

    def __post_init__(self) -> None:
        if self.verdict not in VERDICTS:
            raise ValueError(f"verdict must be one of {VERDICTS}, got {self.verdict!r}")


_BOWL = {"surface": "bowl", "steps": "300", "x0": "1.5", "y0": "-1"}
_CAMEL = {"surface": "three_hump_camel", "steps": "300", "x0": "2.2", "y0": "-1.5"}
_SHARP = {**_CAMEL, "x0": "2.5"}  # the x⁶ term: sharper than at the minima
_WARM = {"warmup_steps": "20", "schedule": "constant"}
_REG = {"surface": "regression", "optimizer": "sgd", "steps": "2000", "x0": "0", "y0": "0"}
_TILTED = {"surface": "quadratic", "steps": "300", "x0": "-1.5", "y0": "1"}

CLAIMS: tuple[Claim, ...] = (
    Claim(1, "faster", "A higher learning rate learns faster, but may fail to settle on the best solution.", 3,
          "it depends", "Four learning rates race on a tilted quadratic with curvatures 3 and 1.",
          (("Four learning rates", {**_TILTED, "l1": "3", "l2": "1", "optimizer": "sgd,sgd,sgd,sgd", "lr": "0.3",
                                    "lr_2": "0.5", "lr_3": "0.6", "lr_4": "0.7"}),),
          judges.faster),
    Claim(2, "more-data", "A low learning rate learns slowly and needs more training data to converge.", 1, "false",
          "Lesson 10's regression: the same training points, a low and a higher learning rate.",
          (("α = 0.05", {**_REG, "lr": "0.05"}), ("α = 0.3", {**_REG, "lr": "0.3"})),
          judges.more_data, regression=True),
    Claim(3, "overfitting", "A high learning rate can cause overfitting, and a very low one can cause underfitting; "
          "a low one is less prone to overfit.", 3, "it depends",
          "Lesson 10's regression (a few noisy training points, a held-out validation set) trained with a low "
          "and a high learning rate, both below 2/L.",
          (("α = 0.05", {**_REG, "lr": "0.05"}), ("α = 0.3", {**_REG, "lr": "0.3"})),
          judges.overfitting, regression=True),
    Claim(4, "val-rising", "If the validation loss rises while the training loss falls, the learning rate may be "
          "too high; lowering it can help.", 1, "false",
          "Lesson 10's regression at two learning rates: watch when the validation loss turns up.",
          (("α = 0.1", {**_REG, "lr": "0.1", "steps": "1000"}), ("α = 0.3", {**_REG, "lr": "0.3", "steps": "1000"})),
          judges.val_rising, regression=True),
    Claim(5, "smaller-generalises", "A smaller learning rate often generalises better and helps with noisy data.", 2,
          "it depends",
          "Two learning rates with noisy gradients (σ = 1) on the bowl, and two on the three-hump camel (one "
          "global, two local minima).",
          (("Noisy bowl", {**_BOWL, "optimizer": "sgd,sgd", "lr": "0.05", "lr_2": "0.3", "noise": "1"}),
           (engine.SURFACES[_CAMEL["surface"]].title,
            {**_CAMEL, "optimizer": "sgd,sgd", "lr": "0.05", "lr_2": "0.1"})),
          judges.smaller),
    Claim(6, "warmup", "Warm-up (starting with a tiny learning rate, then growing it) helps avoid getting stuck in "
          "local minima and speeds training up.", 1, "it depends",
          "Without and with a 20-step linear warm-up: a run that stops in a local minimum, and a larger lr from a "
          "sharper start.",
          (("No warm-up", {**_CAMEL, "optimizer": "sgd", "lr": "0.05"}),
           ("20 warm-up steps", {**_CAMEL, "optimizer": "sgd", "lr": "0.05", **_WARM}),
           ("Sharp start, no warm-up", {**_SHARP, "optimizer": "sgd", "lr": "0.15"}),
           ("Sharp start, 20 warm-up steps", {**_SHARP, "optimizer": "sgd", "lr": "0.15", **_WARM})),
          judges.warmup),
    Claim(7, "decay", "Decaying the learning rate lets training start with big steps, which can help escape local "
          "minima, and finish with fine ones.", 2, "true",
          "Noisy gradients (σ = 1) on the bowl with a constant and a decaying lr; on the camel, a small constant lr "
          "and a big one that decays.",
          (("Constant α = 0.2, noisy", {**_BOWL, "optimizer": "sgd", "lr": "0.2", "noise": "1"}),
           ("Decaying from 0.2 (γ = 0.99), noisy", {**_BOWL, "optimizer": "sgd", "lr": "0.2", "noise": "1",
                                                   "schedule": "exponential", "gamma": "0.99"}),
           ("Camel, constant α = 0.05", {**_CAMEL, "optimizer": "sgd", "lr": "0.05"}),
           ("Camel, decaying from 0.1 (γ = 0.99)", {**_CAMEL, "optimizer": "sgd", "lr": "0.1",
                                                   "schedule": "exponential", "gamma": "0.99"})),
          judges.decay),
    Claim(8, "defaults", "Keras' default of 0.001 is a good starting point; 0.1 and 0.01 are the traditional "
          "defaults, and sensible values lie between 0.000001 and 10.", 2, "it depends",
          "The usual defaults on surfaces of different curvature.",
          (("SGD 0.1 on the bowl", {**_BOWL, "optimizer": "sgd", "lr": "0.1"}),
           ("SGD 0.1 on a steep valley (curvature 100)", {**_TILTED, "l1": "100", "optimizer": "sgd", "lr": "0.1"}),
           ("Adam 0.001 on the tilted quadratic", {**_TILTED, "optimizer": "adam", "lr": "0.001"})),
          judges.defaults),
    Claim(9, "ranges", "Each optimizer has its typical range (about 0.001 to 0.1 for gradient descent, 0.0001 to "
          "0.01 for Adam, 0.001 to 0.05 for RMSprop); Adam works with smaller learning rates than SGD.", 2,
          "it depends", "SGD and Adam with the same α = 0.05 on a steep bowl and on a flat one.",
          (("Steep bowl (scale 100)", {**_BOWL, "scale": "100", "optimizer": "sgd,adam", "lr": "0.05",
                                       "lr_2": "0.05"}),
           ("Flat bowl (scale 0.01)", {**_BOWL, "scale": "0.01", "optimizer": "sgd,adam", "lr": "0.05",
                                       "lr_2": "0.05"})),
          judges.ranges),
    Claim(10, "regression-lr", "On linear regression a learning rate of 0.1 may overshoot; 0.01 is safer but "
          "slower.", 1, "it depends", "Lesson 10's regression with α = 0.01, 0.1 and 0.5.",
          (("Three learning rates", {**_REG, "optimizer": "sgd,sgd,sgd", "lr": "0.01", "lr_2": "0.1",
                                     "lr_3": "0.5"}),),
          judges.regression_lr),
    Claim(12, "above-one", "Can the learning rate be greater than 1? (The sources ask without answering.)", 1,
          "it depends", "α = 5 on a flat bowl and on the bowl, α = 0.02 on a steep bowl.",
          (("Flat bowl (scale 0.1), α = 5", {**_BOWL, "scale": "0.1", "optimizer": "sgd", "lr": "5"}),
           ("Bowl, α = 5", {**_BOWL, "optimizer": "sgd", "lr": "5"}),
           ("Steep bowl (scale 100), α = 0.02", {**_BOWL, "scale": "100", "optimizer": "sgd", "lr": "0.02"})),
          judges.above_one),
)

UNTESTED: tuple[tuple[int, str, str], ...] = (
    (11, "Larger datasets or deeper models typically need lower learning rates.",
     "Depth and dataset size do not exist in a two-parameter picture, so this lab does not pretend to test it."),
)
"""Claims from CLAIMS.md with no two-dimensional experiment: (number, claim, why it is left out)."""
