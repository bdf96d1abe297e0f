"""Lessons 1–5 say only what the engine shows: each lesson is rendered (text, after, task, success, formulas,
captions, question, scenes) at its preset and at other settings of its controls (every option of a discrete
control, learning rates below 1/L, between 1/L and 2/L and above 2/L), and the outcome words and numbers in
the words are checked against the runs on screen."""

import itertools
import re

import numpy as np
import pytest

import engine
from engine import theory
from lab.runs import make_config, run_of
from lessons import LESSONS
from lessons.base import fill
from lessons.common import predicate, rounded, scene_runs, settle_steps, setup_of
from lessons.controls import apply, current_value, lr_grid, options_for

RACERS = {1: (0,), 2: (0,), 3: (0,), 4: (0, 1), 5: (0,)}  # the racers whose outcome each lesson's text states
NOT_A_NUMBER = re.compile(r"\bnan\b|\binf\b|\{\{\w+\}\}")
SHRINKS = re.compile(r"shrinks (?:it|the error) by (?:only )?(-?[0-9.]+(?:e[+-]?\d+)?)")


def _lr_picks(lesson, config, control) -> list[float]:
    """Learning rates on the control's slider: its ends and those nearest 0.5/L, 1.5/L and 2.5/L (L at the start)."""
    lo, hi, *_ = control.options
    grid = np.array(lr_grid(lo, hi))
    c = theory.curvature(setup_of(config).surface, np.array(config.start))
    wanted = [0.5 / c.L, 1.5 / c.L, 2.5 / c.L] if c.L > 0 else []
    near = [float(grid[np.argmin(np.abs(np.log(grid / w)))]) for w in wanted]
    return sorted({float(grid[0]), float(grid[-1]), *near, config.optimizers[control.index].lr})


def _settings(lesson):
    """Every combination of the discrete controls' options, each with several learning rates."""
    preset = lesson.preset_config()
    discrete = [c for c in lesson.controls if c.kind not in ("lr", "start")]
    lrs = [c for c in lesson.controls if c.kind == "lr"]
    choices = [options_for(c, current_value(preset, c)) for c in discrete]
    for combo in itertools.product(*choices):
        config = preset
        for control, value in zip(discrete, combo, strict=True):
            config = apply(config, control, value)
        for control in lrs:
            for lr in _lr_picks(lesson, config, control):
                yield apply(config, control, lr)


def _prose(lesson, setup, reveal=True) -> str:
    facts = lesson.facts(setup)
    parts = [lesson.text, lesson.after, lesson.task.prompt, lesson.task.success, *lesson.latex,
             *(e.caption for e in lesson.extras)]
    return "\n".join(fill(t, facts, reveal) for t in parts)


def _lesson(n):
    return LESSONS[n - 1]


@pytest.mark.parametrize("number", [1, 2, 3, 4, 5])
def test_every_setting_renders_and_states_the_runs_own_outcome(number):
    lesson = _lesson(number)
    settings = list(_settings(lesson))
    assert len(settings) >= 5
    for config in settings:
        setup = setup_of(config)
        shown, hidden = _prose(lesson, setup), _prose(lesson, setup, reveal=False)
        assert not NOT_A_NUMBER.search(shown), (config, shown)
        assert len(hidden) <= len(shown)
        for i in RACERS[number]:
            assert predicate(setup.runs[i]) in shown, (config, predicate(setup.runs[i]), shown)
        for factor in SHRINKS.findall(shown):
            assert float(factor) < 1, (config, shown)  # "shrinks by 3" is not shrinking
        if number != 2 or config == lesson.preset_config():  # lesson 2 asks its question at the preset only
            question = lesson.question(setup)
            assert len({a.text for a in question.answers}) == len(question.answers)


def test_lesson1_first_step_and_scenes_come_from_the_runs():
    lesson = _lesson(1)
    for config in _settings(lesson):
        setup = setup_of(config)
        facts, run = lesson.facts(setup), setup.run
        assert facts["x1"] == rounded(run.points[1, 0, 0])
        assert facts["x1"] == rounded(run.points[0, 0, 0] - setup.lr * run.records["grad"][0, 0, 0])
    (_, first), *longer, (valley_caption, valley) = lesson.scenes
    base = np.linalg.norm(np.diff(scene_runs(first)[0].points[:2, 0], axis=0))
    for caption, query in longer:
        ratio = np.linalg.norm(np.diff(scene_runs(query)[0].points[:2, 0], axis=0)) / base
        assert f"is {rounded(ratio)}× as long" in caption
    run = scene_runs(valley)[0]
    g, to_min = run.surface.grad(run.points[0, 0]), run.surface.minima[0] - run.points[0, 0]
    assert np.degrees(np.arccos(-g @ to_min / np.linalg.norm(g) / np.linalg.norm(to_min))) > 10, valley_caption


def test_lesson2_regime_sentence_matches_the_run_at_every_setting():
    lesson = _lesson(2)
    status_of = {"monotone": ("converged", "running"), "one step": ("converged",), "zigzagging": ("converged",),
                 "bouncing": ("oscillating",), "diverging": ("diverged",)}  # running: too slow for the steps
    for config in _settings(lesson):
        setup = setup_of(config)
        c = theory.curvature(setup.surface, np.array(config.start))
        regime = theory.gd_regime(setup.lr, c.L)
        assert setup.run.status[0] in status_of[regime], (config, regime, predicate(setup.run))
        if setup.run.status[0] == "running":
            assert (1 - setup.lr * c.L) ** config.steps > 1e-4  # creeping: still far from the tolerance
        assert theory.GD_REGIMES[regime] + ": the path " + predicate(setup.run) in fill(lesson.text,
                                                                                        lesson.facts(setup))


def test_lesson2_flat_bowl_shows_a_learning_rate_above_one_that_is_not_the_one_step_case():
    lesson = _lesson(2)
    facts = lesson.facts(setup_of(lesson.preset_config()))
    flat_lr, flat_two, flat_one = (float(facts[k]) for k in ("flat_lr", "flat_two", "flat_one"))
    assert 1 < flat_lr and flat_one < flat_lr < flat_two  # converges by zigzagging, not in one step
    scale = next(c for c in lesson.controls if c.kind == "surface_param")
    slider = next(c for c in lesson.controls if c.kind == "lr")
    on_screen = apply(apply(lesson.preset_config(), scale, float(facts["flat"])), slider, flat_lr)
    assert flat_lr in options_for(slider, 0.75)  # the student can set it
    assert predicate(setup_of(on_screen).run) == facts["flat_outcome"] != "converged in 1 step"
    assert f"α = {facts['flat_lr']} {facts['flat_outcome']}" in fill(lesson.after, facts)


def test_lesson3_rosenbrock_above_two_over_L_is_the_edge_of_stability_not_a_divergence():
    lesson = _lesson(3)
    facts = lesson.facts(setup_of(lesson.preset_config()))
    after = fill(lesson.after, facts)
    two = theory.curvature(engine.surface("rosenbrock"), np.ones(2)).two_over_L
    start = (-1.2, 1.0)  # the classic start, as the lesson's
    edge = run_of(make_config("rosenbrock", "sgd", start, int(facts["edge_steps"]), lr=float(facts["edge"]) * two))
    assert float(facts["edge"]) > 1 and edge.status[0] == "oscillating"  # REFERENCE.md: a bounded 2-cycle
    assert predicate(edge) in after and "diverges there" not in after
    blow = run_of(make_config("rosenbrock", "sgd", start, 100, lr=float(facts["blow"]) * two))
    assert blow.status[0] == "diverged" and predicate(blow) in after


def test_lesson3_best_step_count_is_the_scenes_run():
    lesson = _lesson(3)
    _, best = lesson.scenes[1]
    steps = settle_steps(scene_runs(best)[0])
    facts = lesson.facts(setup_of(lesson.preset_config()))
    assert facts["star_steps"] == str(steps) and f"in {steps} steps" in lesson.scenes[1][0]


def test_lesson4_optimal_pair_is_one_run_in_text_scene_and_link():
    lesson = _lesson(4)
    caption, best = lesson.scenes[3]
    steps = settle_steps(scene_runs(best)[1])
    text = fill(lesson.text, lesson.facts(setup_of(lesson.preset_config())))
    assert f"converges in {steps} steps" in text and f"converged in {steps} steps" in caption


def test_lesson4_racers_rate_agrees_with_its_run_for_heavy_ball_and_nesterov():
    lesson = _lesson(4)
    for config in _settings(lesson):
        setup = setup_of(config)
        rate = float(lesson.facts(setup)["my_rate"])
        status = setup.runs[1].status[0]
        if rate > 1.01:
            assert status in ("diverged", "oscillating"), (config, rate, predicate(setup.runs[1]))
        elif rate < 0.99:
            assert status != "diverged", (config, rate, predicate(setup.runs[1]))


def test_lesson5_effective_step_in_text_caption_and_figure_agree():
    lesson = _lesson(5)
    for config in _settings(lesson):
        setup = setup_of(config)
        facts = lesson.facts(setup)
        eff = setup.run.records["effective_lr"][: max(setup.run.last_step(0), 1), 0]
        fig = lesson.extras[0].build(setup)
        dashed = {t.name[-1]: t.y for t in fig.data if t.line.dash == "dash"}
        moves = {t.name[-2]: t.y for t in fig.data if t.name.startswith("move")}
        for k, axis in enumerate("xy"):
            assert facts[f"eff_{axis}0"] == rounded(eff[0, k]) == rounded(dashed[axis][0])
            assert facts[f"eff_{axis}"] == rounded(eff[-1, k]) == rounded(dashed[axis][-1])
            np.testing.assert_allclose(moves[axis], np.abs(setup.run.records["update"][: len(moves[axis]), 0, k]))
        caption = fill(lesson.extras[0].caption, facts)
        assert "level off" not in caption and f"from {facts['eff_x0']} to {facts['eff_x']}" in caption


def test_lesson5_first_step_size_is_explained_from_the_run():
    lesson = _lesson(5)
    for config in _settings(lesson):
        setup = setup_of(config)
        first = np.abs(setup.run.records["update"][0, 0]) / setup.lr
        facts = lesson.facts(setup)
        after = fill(lesson.after, facts)
        opt = config.optimizers[0]
        assert fill(lesson.latex[0], facts) == engine.optimizer(opt.name, **opt.kwargs()).latex  # its own rule
        assert f"Its first moves are {rounded(first.max())} × α" in after
        if config.optimizers[0].name == "rmsprop":  # no bias correction: v₁ = 0.01 g², step 10 α (REFERENCE.md)
            np.testing.assert_allclose(first, 10, rtol=1e-5)
            assert "= 10 α in every coordinate" in after
        else:  # Adam's bias correction, Adagrad's sum: α
            np.testing.assert_allclose(first, 1, rtol=1e-5)


def test_lesson5_answer_allows_for_a_spike_measured_with_the_engine():
    adam = engine.optimizer("adam", lr=1.0)
    state, p = adam.init(np.zeros((2, 1))), np.zeros((2, 1))
    for t in range(1, 2001):  # small steady gradients, then a jump
        before = p.copy()
        adam.step(p, np.full((2, 1), 1e-3 if t < 2000 else 1.0), state, np.array([1.0]), t, p)
    spike = float(np.abs(p - before).max())
    bound = 0.1 / np.sqrt(0.001)  # (1 − β₁)/√(1 − β₂), REFERENCE.md
    assert 2 < spike <= bound
    lesson = _lesson(5)
    right = next(a for a in lesson.question(setup_of(lesson.preset_config())).answers if a.correct)
    assert f"≈ {rounded(bound, 2)} α" in right.text and rounded(bound, 3) in right.why


def test_lesson5_rotated_valley_is_a_control_and_a_scene():
    lesson = _lesson(5)
    angle = next(c for c in lesson.controls if c.kind == "surface_param" and c.name == "angle")
    assert set(angle.options) == {0.0, 45.0}
    assert any(q.get("angle") == "45" and "," in q["optimizer"] for _, q in lesson.scenes)
    preset = lesson.preset_config()
    setup, turned = setup_of(preset), setup_of(apply(preset, angle, 45.0))
    facts = lesson.facts(setup)
    assert facts["turned_outcome"] == predicate(turned.run, brief=True)
    assert f"turned to 45° the same Adam setup {facts['turned_outcome']}" in fill(lesson.after, facts)


def test_every_discrete_option_of_lessons_1_to_5_gives_a_valid_run():
    for lesson in LESSONS[:5]:
        for config in _settings(lesson):
            assert all(r.points.shape[0] == config.steps + 1 for r in setup_of(config).runs)
