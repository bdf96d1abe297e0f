"""Lessons 13 (Inside Adam) and 14 (Conditioning you can fix): every fact the texts state is checked against the
engine's runs at the preset and at other settings of the lesson's controls, computed here independently
(records, closed forms from REFERENCE.md), and the tasks are recognised exactly when their condition holds."""

import numpy as np
import pytest

import engine
from engine.regression import make_dataset
from engine.trajectory_labels import GRAD_TOL
from lab.runs import make_config, run_of
from lessons.base import preset_config
from lessons.common import predicate, rounded, settle_steps, setup_of
from lessons.controls import lr_grid
from views.widgets.lesson_page import lesson_of

ADAM, CONDITIONING = lesson_of(13), lesson_of(14)


def _setup(lesson, **changes):
    return setup_of(preset_config({**lesson.preset, **{k: str(v) for k, v in changes.items()}}))


def _steps(run) -> str:
    """Steps to converge, or the engine's brief outcome words (the lessons' ``steps_words`` adds a verb)."""
    steps = settle_steps(run)
    return f"{steps} step{'s' if steps != 1 else ''}" if steps is not None else run.outcome(0, brief=True)


SETTINGS_13 = [dict(angle=a, optimizer=f"{o},sgd", lr=lr) for a in (0, 45) for o in ("adam", "rmsprop")
               for lr in (0.03, 0.1, 0.32)]


@pytest.mark.parametrize("changes", SETTINGS_13, ids=lambda c: f"{c['optimizer']}-{c['angle']}-{c['lr']}")
def test_lesson13_facts_are_the_runs_at_both_angles(changes):
    setup = _setup(ADAM, **changes)
    facts = ADAM.facts(setup)
    other = _setup(ADAM, **{**changes, "angle": 45 - changes["angle"]})
    assert facts["here"].endswith(_steps(setup.run)) or _steps(setup.run).endswith(facts["here"])
    assert facts["there"] in (_steps(other.run), "keeps " + _steps(other.run), "is " + _steps(other.run))
    # gradient descent's path turns with the valley (the start has the same components at both angles)
    assert facts["gd_here"] == facts["gd_there"] == _steps(setup.runs[1]) == _steps(other.runs[1])
    # Adam's first step is α·sign(g) per coordinate; RMSprop's α·g/√(0.01 g²) = 10α (from runs at this lr)
    lr, angle = setup.lr, float(changes["angle"])
    for name, size, key in (("adam", 1.0, "adam_x"), ("rmsprop", 10.0, "rms_x")):
        run = run_of(make_config("quadratic", name, setup.config.start, 1, surface_params={"l1": 50.0, "angle": angle},
                                 lr=lr))
        np.testing.assert_allclose(np.abs(run.records["update"][0, 0]) / lr, size, rtol=1e-6)
        assert facts[key] == rounded(size)
    # √v̂ + ε at its smallest along the run, from the recorded second moment (torch's formulas)
    name, run = setup.config.optimizers[0].name, setup.run
    t = np.arange(1, max(run.last_step(0), 1) + 1)[:, None]
    v = run.records["exp_avg_sq" if name == "adam" else "square_avg"][: len(t), 0]
    root = np.sqrt(v / (1 - 0.999**t)) if name == "adam" else np.sqrt(v)
    assert facts["root"] == rounded(np.min(root + 1e-8))


def test_lesson13_rotation_changes_adams_steps_not_gds():
    flat, turned = _setup(ADAM), _setup(ADAM, angle=45)
    assert settle_steps(turned.run) > 2 * settle_steps(flat.run)
    assert settle_steps(flat.runs[1]) == settle_steps(turned.runs[1])
    np.testing.assert_allclose(flat.config.start, (-1.5, -1.5 * (np.sqrt(2) - 1)), atol=1e-4)


def test_rmsprop_steady_gradient_step_falls_as_one_over_root_of_one_minus_point99_to_the_t():
    # REFERENCE.md: with a steady gradient, v_t = (1 − 0.99ᵗ) g², so the step is lr/√(1 − 0.99ᵗ): 10× at t = 1.
    run = run_of(make_config("custom", "rmsprop", (0.0, 0.0), 100, expression="3*x - 0.01*y", lr=0.01))  # a plane
    t = np.arange(1, 101)
    expected = 1 / np.sqrt(1 - 0.99**t)
    np.testing.assert_allclose(np.abs(run.records["update"][:, 0, 0]) / 0.01, expected, rtol=1e-6)
    assert expected[0] == pytest.approx(10) and expected[-1] == pytest.approx(1.26, abs=0.005)


def test_lesson13_weight_decay_ends_adam_at_the_l2_minimum_and_adamw_elsewhere():
    facts = ADAM.facts(_setup(ADAM))
    s = engine.surface("regression")
    h, c = s.hessian(np.zeros(2)), -s.grad(np.zeros(2))
    l2 = np.linalg.solve(h + 0.5 * np.eye(2), c)  # minimum of f + 0.25|p|²: ∇f + 0.5 p = 0
    ends, status = {}, {}
    for name, lr in (("adam", 0.03), ("adamw", 0.03), ("adamw", 0.1)):
        run = run_of(make_config("regression", name, (0.0, 0.0), 2000, lr=lr, weight_decay=0.5))
        ends[name, lr], status[name, lr] = run.points[-1, 0], run.status[0]
    # Adam converged at the L2 minimum: it stops where ‖∇f + 0.5 p‖ <= GRAD_TOL, so within GRAD_TOL / μ of it
    # (μ the smallest eigenvalue of the regularised Hessian)
    assert status["adam", 0.03] == "converged"
    mu = np.linalg.eigvalsh(h + 0.5 * np.eye(2))[0]
    assert np.linalg.norm(ends["adam", 0.03] - l2) <= GRAD_TOL / mu
    assert np.linalg.norm(ends["adamw", 0.03] - l2) > 0.1
    assert np.linalg.norm(ends["adamw", 0.1] - ends["adamw", 0.03]) > 0.1  # AdamW's end moves with α
    assert facts["l2_min"] == facts["adam_end"] == f"({rounded(l2[0])}, {rounded(l2[1])})"
    assert facts["adamw_end"] == f"({rounded(ends['adamw', 0.03][0])}, {rounded(ends['adamw', 0.03][1])})"
    assert facts["adamw_end2"] == f"({rounded(ends['adamw', 0.1][0])}, {rounded(ends['adamw', 0.1][1])})"


@pytest.mark.parametrize("changes, done", [
    (dict(angle=45, lr=0.32), True),  # Adam at 45°: 300 steps, GD 456
    (dict(angle=0, lr=0.32), False),  # faster than GD, but the task asks for the turned valley
    (dict(angle=45, lr=0.1), False),  # 644 steps: slower than GD
    (dict(angle=45, lr=0.1, optimizer="rmsprop,sgd"), False),  # keeps oscillating
])
def test_lesson13_task_is_recognised_from_the_runs(changes, done):
    setup = _setup(ADAM, **changes)
    mine, gd = (settle_steps(r) for r in setup.runs)
    assert ADAM.task.done(setup) is done
    assert done == (changes["angle"] == 45 and mine is not None and mine < gd)


def _hessian_from_data(params: dict) -> np.ndarray:
    x = make_dataset(**params).x_train
    return 2 * np.array([[np.mean(x * x), np.mean(x)], [np.mean(x), 1.0]])


@pytest.mark.parametrize("surface", ["regression", "regression_std"])
@pytest.mark.parametrize("lr", [0.1, 0.3, 0.5, 0.6])
def test_lesson14_facts_are_the_runs_and_the_closed_forms(surface, lr):
    setup = _setup(CONDITIONING, surface=surface, lr=lr)
    facts = CONDITIONING.facts(setup)
    h = _hessian_from_data(setup.surface.params)
    mu, L = np.linalg.eigvalsh(h)
    assert facts["raw_kappa"] == rounded(L / mu) and facts["std_kappa"] == "1"
    here = np.linalg.eigvalsh(setup.surface.hessian(np.zeros(2)))
    assert facts["kappa"] == rounded(here[1] / here[0]) and facts["two"] == rounded(2 / here[1])
    assert facts["outcome"] == predicate(setup.run) and setup.run.outcome(0) in facts["outcome"]
    r = h[0, 1] / np.sqrt(h[0, 0] * h[1, 1])  # diag H preconditioning leaves the correlation: κ = (1 + r)/(1 − r)
    assert facts["diag_kappa"] == rounded((1 + r) / (1 - r)) and facts["newton_steps"] == "1 step"
    for slug, key in (("regression", "raw_steps"), ("regression_std", "std_steps")):
        lo, hi = np.linalg.eigvalsh(engine.surface(slug).hessian(np.zeros(2)))
        run = run_of(make_config(slug, "sgd", (0.0, 0.0), 300, lr=2 / (lo + hi)))
        assert facts[key] == _steps(run)
    assert facts["std_steps"] == "1 step"  # α* = 2/(2 + 2) = 1/L on the round bowl


def test_lesson14_newton_and_diagonal_paths_on_the_map():
    setup = _setup(CONDITIONING)
    diagonal, newton = CONDITIONING.marks(setup)
    np.testing.assert_allclose([newton.x[-1], newton.y[-1]], setup.surface.minima[0], atol=1e-12)
    assert len(newton.x) == 2 and len(diagonal.x) > 100  # one step against a long zigzag


def test_lesson14_task_needs_the_standardised_bowl():
    assert not any(CONDITIONING.task.done(_setup(CONDITIONING, lr=lr)) for lr in lr_grid(0.01, 1.0))
    assert CONDITIONING.task.done(_setup(CONDITIONING, surface="regression_std", lr=0.5))
    assert CONDITIONING.task.done(_setup(CONDITIONING, surface="regression_std", lr=0.45))  # error × 0.1 per step
    assert not CONDITIONING.task.done(_setup(CONDITIONING, surface="regression_std", lr=0.1))  # 69 steps
