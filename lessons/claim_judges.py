"""The Claims lab's judges: each decides a claim's verdict from the runs of its experiment and says where the
claim holds and where it fails (``Finding``).  The templates type no number about a run: every number is a
fact computed from the runs, filled into a ``{{name}}`` slot by ``lessons.base.fill``.  No streamlit.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from engine import theory
from engine.regression import make_dataset

from .base import Setup, fill
from .common import curvature_at_start, predicate, rounded, settle_steps

__all__ = ["VERDICTS", "Finding", "above_one", "decay", "defaults", "faster", "more_data", "overfitting", "ranges",
           "regression_lr", "smaller", "train_val", "val_rising", "warmup"]

VERDICTS = ("true", "false", "it depends")
TAIL = 100  # steps at the end of a noisy run over which the noise ball is measured
FIRST = 50  # Adam's first steps compared across two bowls


@dataclass(frozen=True)
class Finding:
    """The verdict the runs support, and ``holds`` / ``fails`` templates filled from ``facts``."""

    verdict: str
    holds: str
    fails: str
    facts: Mapping[str, str]

    def __post_init__(self) -> None:
        if self.verdict not in VERDICTS:
            raise ValueError(f"verdict must be one of {VERDICTS}, got {self.verdict!r}")

    @property
    def where_it_holds(self) -> str:
        return fill(self.holds, self.facts)

    @property
    def where_it_fails(self) -> str:
        return fill(self.fails, self.facts)


def train_val(setup: Setup, i: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Training and validation loss (mean squared error) at every step of racer ``i`` on the regression surface,
    computed from the engine's path exactly as lesson 10 does."""
    data = make_dataset(**setup.surface.params)
    path = setup.runs[i].points[: setup.runs[i].last_step(0) + 1, 0]
    return data.loss("train", path), data.loss("val", path)


def _races(setups: tuple[Setup, ...]) -> str:
    """"α = 0.1 converged in 144 steps; α = 0.5 ..." over every racer of every setup."""
    return "; ".join(f"α = {rounded(o.lr)} {predicate(s.runs[i])}" for s in setups for i,
                     o in enumerate(s.config.optimizers))


def _end(setup: Setup, i: int = 0) -> np.ndarray:
    run = setup.runs[i]
    return run.points[run.last_step(0), 0]


def _noise_ball(setup: Setup, i: int = 0) -> float:
    """Root-mean-square distance from the minimum over the last TAIL steps (the size of the noise ball)."""
    d = setup.runs[i].points[-TAIL:, 0] - setup.surface.minima[0]
    return float(np.sqrt(np.mean(np.sum(d**2, axis=1))))


def faster(setups):
    (s,) = setups
    c = curvature_at_start(s)
    star = theory.optimal_step(c.L, c.mu)[0]
    lrs = [o.lr for o in s.config.optimizers]
    steps = [settle_steps(r) for r in s.runs]
    done = [(lr, n) for lr, n in zip(lrs, steps, strict=True) if n is not None]
    fastest = min(done, key=lambda d: d[1])[0]
    below = [n for lr, n in done if lr <= star]
    above = [n for lr, n in done if lr > star]
    rising = below == sorted(below, reverse=True) and above == sorted(above)
    unsettled = [lr for lr, n in zip(lrs, steps, strict=True) if n is None]
    facts = {"L": rounded(c.L), "mu": rounded(c.mu), "one": rounded(c.one_over_L), "two": rounded(c.two_over_L),
             "star": rounded(star),
             "races": _races(setups), "fastest": rounded(fastest), "slower": rounded(min(lr for lr,
                                                                                         _ in done if lr > star)),
             "unsettled": ", ".join(rounded(lr) for lr in unsettled)}
    verdict = "it depends" if rising and np.isclose(fastest, star) and unsettled else "true"
    return Finding(verdict,
                   "On this surface L = {{L}} and μ = {{mu}}, so 1/L = {{one}}, 2/L = {{two}}, and the fastest "
                   "constant step is 2/(L + μ) = {{star}}. {{races}}. Up to 2/(L + μ) a larger α converges "
                   "sooner: α = {{fastest}} was the fastest, even though it is above 1/L and overshoots.",
                   "Past 2/(L + μ) the steep direction overshoots more each step and the run slows down again "
                   "(α = {{slower}}); past 2/L it does not settle at all (α = {{unsettled}}).", facts)


def _regression_pair(setups):
    """Facts of a low-lr and a high-lr run on the same regression data."""
    (low, high) = sorted(setups, key=lambda s: s.lr)
    (tl, vl), (th, vh) = train_val(low), train_val(high)
    k = settle_steps(high.run)
    return low, high, {
        "lo": rounded(low.lr), "hi": rounded(high.lr), "two": rounded(curvature_at_start(low).two_over_L),
        "outcome_lo": predicate(low.run), "outcome_hi": predicate(high.run), "k": str(k),
        "tr_lo": rounded(tl[-1]), "tr_hi": rounded(th[-1]), "va_lo": rounded(vl[-1]), "va_hi": rounded(vh[-1]),
        "best_lo": str(int(np.argmin(vl))), "best_hi": str(int(np.argmin(vh))),
        "bv_lo": rounded(vl.min()), "bv_hi": rounded(vh.min()), "tr_lo_k": rounded(tl[k]), "va_lo_k": rounded(vl[k]),
        "tr_hi_k": rounded(th[k]), "va_hi_k": rounded(vh[k]),
    }, (tl, vl, th, vh)


def more_data(setups):
    low, high, facts, _ = _regression_pair(setups)
    same_data = low.surface.params == high.surface.params  # the same seed, points and noise: the same data
    facts["n"] = str(make_dataset(**low.surface.params).x_train.size)
    slow = settle_steps(low.run) is not None and settle_steps(low.run) > settle_steps(high.run)
    same_line = bool(np.linalg.norm(_end(low) - _end(high)) < 1e-3)
    verdict = "false" if same_data and slow and same_line else "true"
    return Finding(verdict,
                   "A low learning rate does learn slowly: on the same {{n}} training points α = {{lo}} "
                   "{{outcome_lo}}, α = {{hi}} {{outcome_hi}}.",
                   "It did not need more data: both runs used the same {{n}} points and reached the same line. "
                   "What a low learning rate needs is more steps (more epochs over the same data).", facts)


def overfitting(setups):
    _, _, facts, (tl, vl, th, vh) = _regression_pair(setups)
    same_end = np.isclose(tl[-1], th[-1], rtol=1e-3) and np.isclose(vl[-1], vh[-1], rtol=1e-3)
    k = int(facts["k"])
    budget_matters = tl[k] > th[k] * 1.01 and vh[k] > vl[k]  # on the same budget: low underfits, high overfits
    verdict = "it depends" if same_end and budget_matters else ("false" if same_end else "true")
    return Finding(verdict,
                   "Stopped at a fixed step, the lr matters: after {{k}} steps (when α = {{hi}} had converged) "
                   "the α = {{hi}} model has training loss {{tr_hi_k}} and validation loss {{va_hi_k}}, while the "
                   "α = {{lo}} model still has training loss {{tr_lo_k}} (validation {{va_lo_k}}). On the same "
                   "budget the high lr looks more overfit and the low one underfit, because one has gone further "
                   "along the path than the other. And the validation loss is lowest at step "
                   "{{best_hi}} for α = {{hi}} but at step {{best_lo}} for α = {{lo}}: the higher lr reaches "
                   "the point to stop sooner.",
                   "Run to the end, both learning rates reach the same line on this convex model: final training "
                   "loss {{tr_lo}} (α = {{lo}}) and {{tr_hi}} (α = {{hi}}), final validation loss {{va_lo}} and "
                   "{{va_hi}}. The lr changed the path and its speed, not where training ends: how much the "
                   "model overfits is decided by when you stop (early stopping) and, in real training, by the "
                   "noise of mini-batches, which these full-batch runs do not have.", facts)


def val_rising(setups):
    _, _, facts, (tl, vl, th, vh) = _regression_pair(setups)

    def rises(train, val) -> bool:  # validation rises after its minimum while training keeps falling
        return bool(val[-1] > val.min() * 1.01 and np.all(np.diff(train) <= 1e-12))

    same_best = np.isclose(vl.min(), vh.min(), rtol=0.01)
    verdict = "false" if rises(tl, vl) and rises(th, vh) and same_best else "true"
    return Finding(verdict,
                   "Lowering the lr does postpone the rise (lowest validation loss at step {{best_hi}} with "
                   "α = {{hi}}, at step {{best_lo}} with α = {{lo}}), so with a fixed number of steps it can look "
                   "like it helped: that is stopping earlier along the same path.",
                   "The pattern appears at both learning rates, and the lower one reaches the same lowest "
                   "validation loss ({{bv_lo}} against {{bv_hi}}) and the same final one ({{va_lo}} against "
                   "{{va_hi}}): the sign points to overfitting, not to the lr. Early stopping, more data or "
                   "regularisation address it.", facts)


def smaller(setups):
    noisy, camel = setups
    (small, large), (c_small, c_large) = sorted(range(2), key=lambda i: noisy.config.optimizers[i].lr), \
        sorted(range(2), key=lambda i: camel.config.optimizers[i].lr)
    ball = [_noise_ball(noisy, i) for i in (small, large)]
    f = [float(camel.surface.value(_end(camel, i))) for i in (c_small, c_large)]
    facts = {"n_lo": rounded(noisy.config.optimizers[small].lr), "n_hi": rounded(noisy.config.optimizers[large].lr),
             "ball_lo": rounded(ball[0]), "ball_hi": rounded(ball[1]), "noise": rounded(noisy.config.noise),
             "c_lo": rounded(camel.config.optimizers[c_small].lr), "c_hi": rounded(camel.config.optimizers[c_large].lr),
             "f_lo": rounded(f[0]), "f_hi": rounded(f[1]), "tail": str(TAIL)}
    holds, fails = ball[0] < ball[1], f[0] > f[1]
    verdict = "it depends" if holds and fails else ("true" if holds else "false")
    return Finding(verdict,
                   "With noisy gradients (σ = {{noise}}) a smaller lr settles closer: over the last {{tail}} steps "
                   "α = {{n_lo}} stays {{ball_lo}} from the minimum (root mean square), α = {{n_hi}} stays "
                   "{{ball_hi}}.",
                   "On a surface with several minima a small lr commits to the nearest basin: on the camel "
                   "α = {{c_lo}} ends at f = {{f_lo}}, while α = {{c_hi}} crosses the ridge and ends at f = "
                   "{{f_hi}}.", facts)


def warmup(setups):
    plain, warm, sharp, sharp_warm = setups
    same = bool(np.linalg.norm(_end(plain) - _end(warm)) < 1e-3)
    sp, sw, ss = settle_steps(plain.run), settle_steps(warm.run), settle_steps(sharp_warm.run)
    two_end = theory.curvature(sharp.surface, _end(sharp_warm)).two_over_L
    facts = {"plain": predicate(plain.run), "warm": predicate(warm.run), "lr": rounded(plain.lr),
             "big": rounded(sharp.lr),
             "w": str(dict(warm.config.schedule_params)["warmup_steps"]),
             "end": f"({rounded(_end(plain)[0])}, {rounded(_end(plain)[1])})",
             "two_start": rounded(curvature_at_start(sharp).two_over_L), "two_end": rounded(two_end),
             "sharp": predicate(sharp.run), "sharp_warm": predicate(sharp_warm.run)}
    no_escape = same and sp is not None and sw is not None and sw >= sp
    rescued = sharp.run.status[0] == "diverged" and ss is not None and ss < sp and sharp.lr < two_end
    verdict = "it depends" if no_escape and rescued else ("false" if no_escape else "true")
    return Finding(verdict,
                   "Warm-up keeps the first steps stable when the start is sharper than the minimum, and so lets a "
                   "larger lr work: from the sharp start 2/L = {{two_start}}, below α = {{big}}, and without warm-up "
                   "the path {{sharp}}; with {{w}} warm-up steps it {{sharp_warm}}, in a minimum where 2/L = "
                   "{{two_end}}. That is faster than α = {{lr}} without warm-up, which {{plain}}.",
                   "Escaping local minima is not what it does: with α = {{lr}} the path without warm-up {{plain}}; "
                   "with {{w}} warm-up steps it {{warm}}. It ends in the same local minimum, at {{end}}, and is no "
                   "faster: smaller first steps do not carry a path over a ridge.", facts)


def decay(setups):
    const, decayed, camel_small, camel_decay = setups
    balls = _noise_ball(const), _noise_ball(decayed)
    f_small, f_decay = (float(s.surface.value(_end(s))) for s in (camel_small, camel_decay))
    facts = {"b_c": rounded(balls[0]), "b_d": rounded(balls[1]), "f_small": rounded(f_small),
             "f_decay": rounded(f_decay),
             "lo": rounded(camel_small.lr), "hi": rounded(camel_decay.lr), "tail": str(TAIL)}
    verdict = "true" if balls[1] < balls[0] and f_decay < f_small else "it depends"
    return Finding(verdict,
                   "With noisy gradients the decayed lr finishes finer: over the last {{tail}} steps the "
                   "constant-lr path stays {{b_c}} from the minimum (root mean square), the decayed one {{b_d}}. "
                   "On the camel, starting big (α = {{hi}}, decaying) reaches f = {{f_decay}}, where a small "
                   "constant α = {{lo}} stopped in a local minimum at f = {{f_small}}.",
                   "Without noise a constant lr below 2/L converges exactly anyway, and whether big first steps land "
                   "in a better basin depends on the start and the surface: the claim's hedge (can help) is "
                   "the right strength.", facts)


def defaults(setups):
    facts, worked, failed = {}, 0, 0
    for k, s in enumerate(setups):
        facts[f"r{k}"], facts[f"two{k}"] = predicate(s.run), rounded(curvature_at_start(s).two_over_L)
        facts[f"lr{k}"] = rounded(s.lr)
        worked += s.run.status[0] == "converged"
        failed += s.run.status[0] != "converged"
    verdict = "it depends" if worked and failed else ("true" if worked else "false")
    return Finding(verdict,
                   "Where the curvature suits it, a default works: SGD with α = {{lr0}} on the bowl (2/L = {{two0}}) "
                   "{{r0}}.",
                   "The same {{lr1}} on a steep valley (2/L = {{two1}}) {{r1}}, and Adam's {{lr2}} on the tilted "
                   "quadratic {{r2}}. A default is a scale to start from; the curvature of your loss decides.",
                   facts)


def ranges(setups):
    steep, flat = setups
    adam = [s.runs[1].points[: FIRST + 1, 0] for s in setups]
    gap = float(np.max(np.linalg.norm(adam[0] - adam[1], axis=1)))
    facts = {"two_s": rounded(curvature_at_start(steep).two_over_L),
             "two_f": rounded(curvature_at_start(flat).two_over_L),
             "sgd_s": predicate(steep.runs[0]), "sgd_f": predicate(flat.runs[0]), "adam_s": predicate(steep.runs[1]),
             "adam_f": predicate(flat.runs[1]), "gap": rounded(gap), "lr": rounded(steep.lr),
             "first": str(FIRST), "adam_end": rounded(np.linalg.norm(_end(steep, 1) - steep.surface.minima[0]))}
    sgd_fails_steep = steep.runs[0].status[0] == "diverged" and steep.runs[1].status[0] != "diverged"
    verdict = "it depends" if sgd_fails_steep and flat.runs[0].status[0] != "diverged" and gap < 1e-3 else "true"
    return Finding(verdict,
                   "Adam's step is about α per parameter whatever the gradient's size, so its useful range is a "
                   "distance per step: its first {{first}} steps are the same on both bowls (they differ by at most "
                   "{{gap}}); on the steep bowl Adam {{adam_s}}, on the flat one it {{adam_f}}.",
                   "Gradient descent's range is set by the curvature, not by its name: with the same α = {{lr}} it "
                   "{{sgd_s}} on the steep bowl (2/L = {{two_s}}) and {{sgd_f}} on the flat one "
                   "(2/L = {{two_f}}). So whether Adam needs a smaller α than SGD depends on the curvature: on the "
                   "steep bowl SGD needs α below {{two_s}} while Adam at α = {{lr}} ends {{adam_end}} from the "
                   "minimum; on the flat bowl SGD could take any α up to {{two_f}}.", facts)


def regression_lr(setups):
    (s,) = setups
    c = curvature_at_start(s)
    lrs = [o.lr for o in s.config.optimizers]
    facts = {"one": rounded(c.one_over_L), "two": rounded(c.two_over_L), "races": _races(setups),
             **{f"a{k}": rounded(lr) for k, lr in enumerate(lrs)}}
    safe = lrs[1] < c.one_over_L and s.runs[1].status[0] == "converged"
    slower = s.runs[0].status[0] != "converged" or settle_steps(s.runs[0]) > settle_steps(s.runs[1])
    verdict = "it depends" if safe and slower and s.runs[2].status[0] == "diverged" else "true"
    return Finding(verdict,
                   "{{races}}. α = {{a0}} is safe, and slower. Overshooting is real once α passes 1/L, and past "
                   "2/L the fit blows up (α = {{a2}}).",
                   "On this data 1/L = {{one}} and 2/L = {{two}}, so α = {{a1}} does not overshoot at all. L grows "
                   "with the square of the inputs' scale: on data with larger x, the same α = {{a1}} would cross "
                   "1/L and 2/L. Whether it overshoots depends on the data, not on the model being linear.", facts)


def above_one(setups):
    flat, bowl, steep = setups
    facts = {f"{k}_{name}": v for name, s in (("flat", flat), ("bowl", bowl), ("steep", steep))
             for k, v in (("two", rounded(curvature_at_start(s).two_over_L)), ("lr", rounded(s.lr)), ("outcome",
                                                                                                      predicate(s.run)))}
    verdict = ("it depends" if flat.lr > 1 and flat.run.status[0] == "converged" and bowl.run.status[0] == "diverged"
               else "true")
    return Finding(verdict,
                   "Yes, when the surface is flat enough: on the flat bowl 2/L = {{two_flat}}, and α = {{lr_flat}} "
                   "{{outcome_flat}}.",
                   "The bound is 2/L, not 1: on the bowl 2/L = {{two_bowl}}, and the same α = {{lr_bowl}} "
                   "{{outcome_bowl}}; on the steep bowl 2/L = {{two_steep}}, and α = {{lr_steep}}, well below 1, "
                   "{{outcome_steep}}.", facts)

