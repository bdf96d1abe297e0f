"""The Claims lab tells the truth: each claim as CLAIMS.md states it (hedges kept, no "always"/"never"), each
verdict decided by its runs, and every number and outcome word of its reasons computed from those runs."""

import re

import numpy as np
import pytest

from engine import theory
from engine.regression import make_dataset
from lab.runs import make_config, run_of
from lessons.base import preset_config
from lessons.claims import CLAIMS, UNTESTED
from lessons.common import predicate, rounded, setup_of

BY_SLUG = {c.slug: c for c in CLAIMS}
# CLAIMS.md's hedge for each claim number: the lab's statement must keep it.
HEDGES = {1: "may", 3: "can", 4: "may", 5: "often", 7: "can", 10: "may", 12: "can"}
# Formulas a template may name (their digits are not numbers about a run).
FORMULAS = ("2/(L + μ)", "1/L", "2/L")
OUTCOME = re.compile(r"converged in \d+ steps?(?:, zigzagging \(error × [\d.e-]+ per step\))?|diverged at step \d+"
                     r"|is still moving after \d+ steps|oscillating \(amplitude [\d.e-]+[^)]*\)|stalled [^;,.]+")


def _params():
    return [pytest.param(c, id=c.slug) for c in CLAIMS]


def _setups(claim):
    return tuple(setup_of(preset_config(q)) for _, q in claim.presets)


def test_the_lab_covers_every_claim_of_claims_md_once():
    assert sorted([c.number for c in CLAIMS] + [n for n, _, _ in UNTESTED]) == list(range(1, 13))
    assert len({c.slug for c in CLAIMS}) == len(CLAIMS)


@pytest.mark.parametrize("claim", CLAIMS, ids=lambda c: c.slug)
def test_claims_keep_their_sources_hedges_and_say_no_always_or_never(claim):
    words = set(re.findall(r"[a-z]+", claim.text.lower()))
    assert not words & {"always", "never"}
    if claim.number in HEDGES:
        assert HEDGES[claim.number] in words, f"claim {claim.number} lost its hedge {HEDGES[claim.number]!r}"


def test_claims_no_source_makes_are_gone():
    texts = " ".join(c.text.lower() for c in CLAIMS)
    assert "irrelevant" not in texts and "always" not in texts


@pytest.mark.parametrize("claim", CLAIMS, ids=lambda c: c.slug)
def test_experiment_texts_state_only_the_presets_settings(claim):
    """A number in the experiment's description or a caption is a setting of its presets, not a result."""
    settings = {float(v) for _, q in claim.presets for v in q.values() for v in v.split(",")
                if re.fullmatch(r"[-\d.e]+", v)}
    for text in (claim.setup_text, *(caption for caption, _ in claim.presets)):
        for name in (*FORMULAS, "Lesson 10"):
            text = text.replace(name, "")
        for number in re.findall(r"\d+(?:\.\d+)?", text):
            assert float(number) in settings, f"{number} in {text!r} is not a setting of the presets"


@pytest.mark.parametrize("claim", _params())
def test_verdict_follows_from_the_runs_and_no_number_is_typed(claim):
    setups = _setups(claim)
    finding = claim.judge(setups)
    assert finding.verdict == claim.verdict
    for template in (finding.holds, finding.fails):
        bare = re.sub(r"\{\{\w+\}\}", "", template)
        for formula in (*FORMULAS, "not 1", "below 1"):  # the threshold claim 12 asks about
            bare = bare.replace(formula, "")
        assert not re.search(r"\d", bare), f"a number typed into {template!r}"
    outcomes = {predicate(s.runs[i]) for s in setups for i in range(len(s.runs))}
    outcomes |= {part for o in outcomes for part in o.split(", ")}
    for text in (finding.where_it_holds, finding.where_it_fails):
        for phrase in OUTCOME.findall(text):
            assert phrase in outcomes or any(phrase in o for o in outcomes), f"{phrase!r} is no run's outcome"


def test_the_fastest_constant_step_is_2_over_L_plus_mu_not_1_over_L():
    """REFERENCE.md: the best fixed step on a quadratic is 2/(L + μ); the racer there wins, above 1/L."""
    (setup,) = _setups(BY_SLUG["faster"])
    lam = theory.hessian_eigenvalues(setup.surface, np.array(setup.config.start))
    star = 2 / (lam.max() + lam.min())
    steps = {o.lr: int(r.stopped_at[0]) for o, r in zip(setup.config.optimizers, setup.runs, strict=True)
             if r.status[0] == "converged"}
    fastest = min(steps, key=steps.get)
    assert fastest == pytest.approx(star) and fastest > 1 / lam.max()
    finding = BY_SLUG["faster"].judge((setup,))
    text = finding.where_it_holds + finding.where_it_fails
    assert f"2/(L + μ) = {rounded(star)}" in text and f"α = {rounded(fastest)} was the fastest" in text
    assert "only until 1/L" not in text
    assert len(OUTCOME.findall(text)) == len(setup.runs)  # the outcome-word check below is not vacuous


def _train_val(query):
    """Training and validation loss along a preset's path, computed here from the engine and the data."""
    config = preset_config(query)
    params = dict(config.surface_params)
    run = run_of(make_config("regression", "sgd", config.start, config.steps, surface_params=params,
                             lr=config.optimizers[0].lr))
    data = make_dataset(**params)
    path = run.points[: run.last_step(0) + 1, 0]
    return run, data.loss("train", path), data.loss("val", path)


def test_overfitting_numbers_are_the_engines():
    claim = BY_SLUG["overfitting"]
    (_, low), (_, high) = claim.presets
    (run_lo, tr_lo, va_lo), (run_hi, tr_hi, va_hi) = _train_val(low), _train_val(high)
    finding = claim.judge(_setups(claim))
    holds, fails = finding.where_it_holds, finding.where_it_fails
    lo, hi = rounded(float(low["lr"])), rounded(float(high["lr"]))
    k = int(run_hi.stopped_at[0])
    assert f"after {k} steps (when α = {hi} had converged)" in holds
    assert f"training loss {rounded(tr_lo[k])} (validation {rounded(va_lo[k])})" in holds
    assert f"has training loss {rounded(tr_hi[k])} and validation loss {rounded(va_hi[k])}" in holds
    assert f"at step {int(np.argmin(va_hi))} for α = {hi} but at step {int(np.argmin(va_lo))} for α = {lo}" in holds
    assert f"final training loss {rounded(tr_lo[-1])} (α = {lo}) and {rounded(tr_hi[-1])} (α = {hi})" in fails
    assert f"final validation loss {rounded(va_lo[-1])} and {rounded(va_hi[-1])}" in fails
    # what the verdict rests on: the same end, a different path
    assert run_lo.status[0] == run_hi.status[0] == "converged"
    assert tr_lo[-1] == pytest.approx(tr_hi[-1], rel=1e-3) and va_lo[-1] == pytest.approx(va_hi[-1], rel=1e-3)
    assert np.argmin(va_hi) < np.argmin(va_lo) and tr_lo[k] > tr_hi[k] * 1.01 and va_hi[k] > va_lo[k]


def test_validation_rises_at_both_learning_rates():
    claim = BY_SLUG["val-rising"]
    for _, query in claim.presets:
        _, train, val = _train_val(query)
        assert np.all(np.diff(train) <= 1e-12) and val[-1] > val.min() * 1.01
    finding = claim.judge(_setups(claim))
    (_, low), (_, high) = claim.presets
    _, _, va_lo = _train_val(low)
    _, _, va_hi = _train_val(high)
    assert f"({rounded(va_lo.min())} against {rounded(va_hi.min())})" in finding.where_it_fails
