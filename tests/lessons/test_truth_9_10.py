"""Lessons 9 and 10 say what the engine does, at the preset and at the other settings their controls offer
(issue 13, section 2), and the LR range test's smoothing is fastai's, checked by hand."""

import numpy as np
import pytest

import engine
from engine import sweeps, theory
from lab.figures_lessons import range_test_figure
from lab.runs import make_config, run_of
from lessons import LESSONS, lesson_09
from lessons import lesson_10 as l10
from lessons.common import default_lr, predicate, rounded
from tests.lessons.lesson_settings import setup_at, shown


def _at_default(config, name: str):
    """Optimizer ``name`` at torch's default lr on ``config``'s surface, from its start for its steps."""
    return run_of(make_config(config.surface, name, config.start, config.steps,
                              surface_params=dict(config.surface_params), lr=default_lr(name)))

# ---------------------------------------------------------------- lesson 9: finding a good lr


def test_range_test_smoothing_is_fastais_debiased_average_by_hand():
    # avg_t = 0.98·avg_{t−1} + 0.02·loss_t from 0, shown as avg_t/(1 − 0.98^t):
    # t=1: 0.08/0.02 = 4; t=2: 0.1184/0.0396 = 2.989899; t=3: 0.136032/0.058808 = 2.313155.
    np.testing.assert_allclose(sweeps._debiased_average(np.array([4.0, 2.0, 1.0]), 0.98), [4, 2.989899, 2.313155],
                               rtol=1e-6)


def test_range_test_smooths_its_own_losses_and_stops_at_four_times_the_best():
    bowl = engine.surface("rosenbrock")
    rt = sweeps.lr_range_test(bowl, "sgd", (-1.2, 1.0))
    avg, expected = 0.0, []
    for t, loss in enumerate(rt.losses, start=1):  # the recurrence again, written out independently
        avg = sweeps.SMOOTHING * avg + (1 - sweeps.SMOOTHING) * loss
        expected.append(avg / (1 - sweeps.SMOOTHING**t))
    np.testing.assert_allclose(rt.smoothed, expected)
    assert rt.stopped_early and rt.smoothed[-1] > 4 * rt.smoothed[:-1].min()  # fastai's stop_div rule
    assert not (rt.smoothed[:-1] > 4 * np.minimum.accumulate(rt.smoothed[:-1])).any()


@pytest.mark.parametrize("optimizer", ["sgd", "adam"])
@pytest.mark.parametrize("surface", ["quadratic", "himmelblau", "rosenbrock"])
def test_range_test_chart_keeps_the_raw_loss_in_view(surface, optimizer):
    setup = setup_at(9, surface=surface, optimizer=optimizer)
    rt = lesson_09._range_test(setup)
    low, high = range_test_figure(rt, setup.lr).layout.yaxis.range
    raw = rt.losses[np.isfinite(rt.losses) & (rt.losses > 0)]
    assert low <= np.log10(raw.min()) and np.log10(raw.max()) <= high


@pytest.mark.parametrize("lr", [1e-5, 0.001, 0.03, 0.19, 2.0])
@pytest.mark.parametrize("optimizer", ["sgd", "adam"])
@pytest.mark.parametrize("surface", ["quadratic", "himmelblau", "rosenbrock"])
def test_lesson9_words_follow_the_runs_on_every_surface(surface, optimizer, lr):
    setup = setup_at(9, surface=surface, optimizer=optimizer, lr=lr)
    words = shown(9, setup)  # no "2/L = inf" on Himmelblau's hill
    default = _at_default(setup.config, optimizer)
    title = engine.OPTIMIZERS[optimizer].title
    assert f"at its default α = {rounded(default_lr(optimizer))}, {title} {predicate(default)}" in words
    assert "too slow" not in words
    if lr != default_lr(optimizer):
        assert predicate(setup.run) in words
    rt = lesson_09._range_test(setup)
    assert (f"until the test stops at lr {rounded(rt.lrs[-1], 2)}" in words) == rt.stopped_early
    two = theory.curvature(setup.surface, np.array(setup.config.start)).two_over_L
    if optimizer == "sgd" and np.isfinite(two):
        assert f"2/L = {rounded(two)}" in words
        assert ("stops above it" in words) == (rt.stopped_early and rt.lrs[-1] > two)
    else:
        assert "2/L =" not in words


def test_lesson9_question_says_what_each_default_does_here():
    setup = setup_at(9)
    answers = {a.text.split(":")[0]: a.why for a in LESSONS[8].question(setup).answers}
    why = answers["Nothing"]
    assert "too slow to converge" not in why
    for name in ("sgd", "adam"):
        run = _at_default(setup.config, name)
        assert predicate(run) in why
    assert "lr 1.9" in answers["The lr at the lowest loss of the test"]  # where this sweep's raw loss is lowest


# ---------------------------------------------------------------- lesson 10: generalisation


@pytest.mark.parametrize("steps", [5, 300])
@pytest.mark.parametrize("lr", [0.005, 0.05, 0.1, 0.2, 0.4, 1.0])
@pytest.mark.parametrize("seed", [6, 1, 9, 3])
def test_lesson10_story_follows_the_run(seed, lr, steps):
    setup = setup_at(10, surface_param=seed, lr=lr, steps=steps)
    words = shown(10, setup)
    params = tuple(sorted(setup.surface.params.items()))
    run, train, val = l10._long_run(params, lr, setup.config.start)
    diverged = run.status[0] == "diverged"
    assert ("diverged" in words) == (diverged or setup.run.status[0] == "diverged")
    if diverged:
        assert "only falls" not in words
        return
    assert ("only falls" in words) == bool(np.all(np.diff(train) <= 1e-12 * train[0]))
    assert f"{rounded(val.min())}" in words
    assert ("once the path reaches the training optimum" in words) == (
        run.status[0] == "converged" and rounded(val.min()) != rounded(val[-1]) and int(np.argmin(val)) < len(val) - 1)


def test_lesson10_higher_lr_is_the_same_path_only_below_one_over_L():
    setup = setup_at(10)
    c = theory.curvature(setup.surface, np.array(setup.config.start))
    calm, zigzag = l10.faster_lrs(setup.surface, setup.config.start)
    assert setup.lr < calm < c.one_over_L < zigzag < c.two_over_L
    why = [a.why for a in LESSONS[9].question(setup).answers if a.text == "The learning rate is too high"][0]
    assert f"1/L = {rounded(c.one_over_L)}" in why and f"2/L = {rounded(c.two_over_L)}" in why and "zigzags" in why

    def path(lr):
        run = l10._long_run(tuple(sorted(setup.surface.params.items())), lr, setup.config.start)[0]
        return run.points[: run.last_step(0) + 1, 0]

    assert l10.path_gap(path(setup.lr), path(calm)) < 0.1 < 0.5 < l10.path_gap(path(setup.lr), path(zigzag))
    caption = LESSONS[9].scenes[2][0]
    assert caption.startswith(f"α = {rounded(calm)} < 1/L")  # the old scene's 0.3 was above 1/L = 0.224


def test_path_gap_by_hand():
    line = np.array([[0.0, 0.0], [1.0, 0.0], [2.0, 0.0]])
    assert l10.path_gap(line, line) == 0
    assert l10.path_gap(line, np.array([[1.0, 0.5], [2.0, -2.0]])) == 2.0
