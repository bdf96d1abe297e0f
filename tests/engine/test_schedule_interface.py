"""The schedules' interface: lr broadcasts steps against per-trajectory base lrs, lr tables, observe for
schedules not driven by the loss, parameters round-trip through the registry, and bad parameters or calls
raise naming the problem.  The values themselves: test_schedules.py."""


import numpy as np
import pytest

from engine.schedules import SCHEDULES, Schedule, lr_table, schedule
from tests.fixtures.schedule_lrs import STEPS


def test_lr_broadcasts_steps_against_base_lrs():
    base = np.array([0.1, 1.0, 3.0])
    for name in ("cosine", "onecycle"):
        s = schedule(name)
        table = s.lr(STEPS[:, None], base)
        assert table.shape == (60, 3)
        expected = s.lr(STEPS, 1.0)[:, None] * (base if not s.sets_lr else 1.0)
        np.testing.assert_allclose(table, np.broadcast_to(expected, (60, 3)), rtol=1e-12)
    assert schedule("step").lr(5, 0.1).shape == ()


def test_lr_table():
    s = schedule("exponential", gamma=0.5)
    np.testing.assert_allclose(lr_table(s, 3, [1.0, 2.0]), [[1, 2], [0.5, 1], [0.25, 0.5]])
    np.testing.assert_allclose(lr_table(None, 2, 0.3), [[0.3], [0.3]])
    assert lr_table(s, 0, [1.0, 2.0]).shape == (0, 2)


def test_observe_follows_lr_for_schedules_not_driven_by_the_loss():
    s = schedule("cosine_restarts", T_0=5, warmup_steps=3)
    state = s.init_state([0.1, 1.0])
    rows = [state["lr"]] + [s.observe(state, np.array([np.nan, 1.0])) for _ in range(19)]
    np.testing.assert_allclose(rows, lr_table(s, 20, [0.1, 1.0]), rtol=1e-12)


def test_params_round_trip_and_registry():
    assert set(SCHEDULES) == {"constant", "step", "multistep", "exponential", "cosine", "cosine_restarts", "cyclic",
                              "onecycle", "linear", "polynomial", "plateau"}
    for name in SCHEDULES:
        s = schedule(name)
        assert isinstance(s, Schedule) and s.name == name
        assert {"warmup_steps", "warmup_start_factor"} <= set(s.params)
        if not s.loss_driven:
            again = schedule(name, **s.params)
            np.testing.assert_array_equal(again.lr(STEPS, 0.1), s.lr(STEPS, 0.1))
    assert schedule("cyclic").sets_lr and schedule("onecycle").sets_lr and not schedule("step").sets_lr


@pytest.mark.parametrize("name, params, bad", [
    ("step", {"step_size": 0}, "step_size"),
    ("step", {"gamma": -0.1}, "gamma"),
    ("step", {"gamma": 0}, "gamma"),
    ("step", {"stepsize": 3}, "stepsize"),
    ("multistep", {"milestones": (5, 3)}, "milestones"),
    ("exponential", {"gamma": 20.0}, "gamma"),
    ("cosine", {"T_max": 0}, "T_max"),
    ("cosine", {"eta_min": -1.0}, "eta_min"),
    ("cosine_restarts", {"T_mult": 0}, "T_mult"),
    ("cosine_restarts", {"T_0": 2.5}, "T_0"),
    ("cyclic", {"mode": "sine"}, "mode"),
    ("cyclic", {"base_lr": 0.0}, "base_lr"),
    ("cyclic", {"step_size_down": 0}, "step_size_down"),
    ("onecycle", {"pct_start": 0.01, "total_steps": 50}, "pct_start"),  # first phase shorter than a step
    ("onecycle", {"pct_start": 1.0}, "pct_start"),
    ("onecycle", {"pct_start": 0.6, "three_phase": True}, "pct_start"),
    ("onecycle", {"anneal_strategy": "cosine"}, "anneal_strategy"),
    ("onecycle", {"total_steps": 1}, "total_steps"),
    ("onecycle", {"div_factor": 0.5}, "div_factor"),
    ("linear", {"start_factor": 0.0}, "start_factor"),
    ("linear", {"start_factor": 1.5}, "start_factor"),
    ("linear", {"end_factor": -0.1}, "end_factor"),
    ("linear", {"total_iters": 0}, "total_iters"),
    ("polynomial", {"power": -1.0}, "power"),
    ("plateau", {"factor": 1.0}, "factor"),
    ("plateau", {"mode": "avg"}, "mode"),
    ("plateau", {"threshold_mode": "pct"}, "threshold_mode"),
    ("plateau", {"patience": -1}, "patience"),
    ("constant", {"warmup_steps": -1}, "warmup_steps"),
    ("constant", {"warmup_start_factor": 0.0}, "warmup_start_factor"),
])
def test_bad_parameters_raise_naming_the_parameter(name, params, bad):
    with pytest.raises(ValueError, match=bad):
        schedule(name, **params)


def test_bad_calls_raise():
    with pytest.raises(ValueError, match="cosin"):
        schedule("cosin")
    with pytest.raises(ValueError, match="loss"):
        schedule("plateau").lr(STEPS, 0.1)
    with pytest.raises(ValueError, match="loss"):
        lr_table(schedule("plateau"), 10, 0.1)
    with pytest.raises(ValueError, match="t must"):
        schedule("step").lr(np.array([0.5]), 0.1)
    with pytest.raises(ValueError, match="t must"):
        schedule("step").lr(np.array([-1]), 0.1)
    with pytest.raises(ValueError, match="steps"):
        lr_table(None, -1, 0.1)
