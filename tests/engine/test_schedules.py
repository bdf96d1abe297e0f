"""Schedules against hand-worked numbers, the formulas written out here, a step-by-step re-implementation of
torch's recursive rules, and torch.optim.lr_scheduler itself (its lrs as tests/fixtures recorded them).
The interface (broadcasting, tables, registry, argument checks): test_schedule_interface.py."""

import math

import numpy as np
import pytest

from engine.schedules import SCHEDULES, schedule
from tests.fixtures import torch_cases as cases
from tests.fixtures.schedule_lrs import lrs

# --- closed forms against hand-worked numbers ---

@pytest.mark.parametrize("name, params, base, expected", [
    ("constant", {}, 0.3, [0.3, 0.3, 0.3]),
    ("step", {"step_size": 3, "gamma": 0.5}, 2.0, [2, 2, 2, 1, 1, 1, 0.5, 0.5, 0.5, 0.25]),
    ("multistep", {"milestones": (2, 5), "gamma": 0.1}, 1.0, [1, 1, 0.1, 0.1, 0.1, 0.01, 0.01]),
    ("multistep", {"milestones": (0, 1), "gamma": 0.5}, 1.0, [0.5, 0.25, 0.25]),  # torch: milestone 0 applies at t=0
    ("exponential", {"gamma": 0.9}, 1.0, [1, 0.9, 0.81, 0.729]),
    ("cosine", {"T_max": 4, "eta_min": 0.1}, 1.0,
     [1, 0.8681980515339464, 0.55, 0.23180194846605362, 0.1, 0.23180194846605362, 0.55, 0.8681980515339464, 1]),
    ("cosine_restarts", {"T_0": 3}, 1.0, [1, 0.75, 0.25, 1, 0.75, 0.25, 1]),
    ("cosine_restarts", {"T_0": 2, "T_mult": 2}, 1.0,
     [1, 0.5, 1, 0.8535533905932737, 0.5, 0.14644660940672624, 1, 0.9619397662556434]),
    ("cosine_restarts", {"T_0": 2, "T_mult": 2, "eta_min": 0.2}, 1.2, [1.2, 0.7, 1.2]),
    ("linear", {"start_factor": 0.2, "end_factor": 0.9, "total_iters": 7}, 1.0,
     [0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.9, 0.9]),
    ("polynomial", {"total_iters": 4, "power": 2.0}, 2.0, [2, 1.125, 0.5, 0.125, 0, 0]),
])
def test_closed_forms_match_hand_numbers(name, params, base, expected):
    np.testing.assert_allclose(lrs(name, base, len(expected), **params), expected, rtol=1e-12, atol=1e-15)


def test_restarts_land_exactly_on_the_cycle_starts_for_large_t():
    # Cycle k of T_0 = 1, T_mult = 2 starts at 2^k - 1 (T_mult = 3: (3^k - 1) / 2); a logarithm alone can
    # land one off at these points.
    for t_mult, starts in ((2, [2**k - 1 for k in range(1, 45)]), (3, [(3**k - 1) // 2 for k in range(1, 30)])):
        s = schedule("cosine_restarts", T_0=1, T_mult=t_mult)
        starts = np.array(starts)
        np.testing.assert_array_equal(s.lr(starts, 1.0), 1.0)
        cycle_len = t_mult ** np.arange(1, len(starts))  # the cycles ending just before starts[1:]
        np.testing.assert_allclose(s.lr(starts[1:] - 1, 1.0), (1 + np.cos(np.pi * (cycle_len - 1) / cycle_len)) / 2)


@pytest.mark.parametrize("mode, gamma, expected", [
    # base 0.1, max 1, up 2, down 3: x = t/5 mod 1, scale x/0.4 going up, (1-x)/0.6 going down
    ("triangular", 1.0, {0: 0.1, 1: 0.55, 2: 1.0, 3: 0.7, 4: 0.4, 5: 0.1, 7: 1.0, 12: 1.0}),
    ("triangular2", 1.0, {2: 1.0, 3: 0.7, 7: 0.55, 12: 0.325}),
    ("exp_range", 0.9, {0: 0.1, 2: 0.1 + 0.9 * 0.81, 7: 0.1 + 0.9 * 0.9**7, 8: 0.1 + 0.9 * (2 / 3) * 0.9**8}),
])
def test_cyclic_hand_numbers(mode, gamma, expected):
    s = schedule("cyclic", base_lr=0.1, max_lr=1.0, step_size_up=2, step_size_down=3, mode=mode, gamma=gamma)
    t = np.array(list(expected))
    np.testing.assert_allclose(s.lr(t, 123.0), list(expected.values()), rtol=1e-12)  # optimizer's lr ignored
    assert s.sets_lr and s.params["step_size_down"] == 3


def test_cyclic_step_size_down_defaults_to_up():
    s = schedule("cyclic", step_size_up=4)
    assert s.params["step_size_down"] == 4
    np.testing.assert_allclose(s.lr(np.array([0, 4, 8]), 1.0), [1e-3, 0.1, 1e-3])
    # None, torch's own default, may be passed explicitly (a UI passes every parameter of the schema)
    assert schedule("cyclic", step_size_up=4, step_size_down=None).params == s.params
    with pytest.raises(ValueError, match="step_size_up must be a number"):
        schedule("cyclic", step_size_up=None)  # only a parameter whose default is None takes None


def onecycle_cos(start, end, pct):
    return end + (start - end) / 2 * (math.cos(math.pi * pct) + 1)


@pytest.mark.parametrize("params, expected", [
    # max 1, T = 10, pct_start 0.3: initial 0.04, final 4e-6, phase ends at steps 2 and 9
    ({"anneal_strategy": "cos"}, {0: 0.04, 1: 0.52, 2: 1.0, 3: onecycle_cos(1, 4e-6, 1 / 7), 9: 4e-6, 10: 4e-6,
                                  99: 4e-6}),
    ({"anneal_strategy": "linear"}, {0: 0.04, 1: 0.52, 2: 1.0, 3: 1 - 0.999996 / 7, 9: 4e-6, 50: 4e-6}),  # torch
    # rounds (end - start) * 1 + start to 4e-6 * (1 + 1e-12)
    # three phases end at steps 2, 4 and 9
    ({"three_phase": True}, {1: 0.52, 2: 1.0, 3: 0.52, 4: 0.04, 5: onecycle_cos(0.04, 4e-6, 0.2), 9: 4e-6}),
])
def test_onecycle_hand_numbers(params, expected):
    s = schedule("onecycle", max_lr=1.0, total_steps=10, **params)
    np.testing.assert_allclose(s.lr(np.array(list(expected)), 5.0), list(expected.values()), rtol=1e-11)


# --- closed forms against a step-by-step re-implementation of torch's recursive rules ---

def recursive(rule, steps, lr0):
    """lr after t steps (lr0 at t = 0) when each step maps (t, lr) -> new lr, as torch's get_lr does."""
    out, lr = [lr0], lr0
    for t in range(1, steps):
        lr = rule(t, lr)
        out.append(lr)
    return np.array(out)


def cosine_recursive(t_max, eta_min, base):
    def rule(t, lr):
        if (t - 1 - t_max) % (2 * t_max) == 0:
            return lr + (base - eta_min) * (1 - math.cos(math.pi / t_max)) / 2
        ratio = (1 + math.cos(math.pi * t / t_max)) / (1 + math.cos(math.pi * (t - 1) / t_max))
        return ratio * (lr - eta_min) + eta_min
    return rule


def restarts_recursive(t_0, t_mult, eta_min, steps):
    out, t_cur, t_i = [], 0, t_0
    for _ in range(steps):
        out.append(eta_min + (1 - eta_min) * (1 + math.cos(math.pi * t_cur / t_i)) / 2)
        t_cur += 1
        if t_cur >= t_i:
            t_cur, t_i = t_cur - t_i, t_i * t_mult
    return np.array(out)


@pytest.mark.parametrize("name, params, lr0, rule", [
    ("step", {"step_size": 7, "gamma": 0.5}, 1.0, lambda t, lr: lr * 0.5 if t % 7 == 0 else lr),
    ("multistep", {"milestones": (3, 10, 11)}, 1.0, lambda t, lr: lr * 0.1 if t in (3, 10, 11) else lr),
    ("exponential", {"gamma": 0.95}, 1.0, lambda t, lr: lr * 0.95),
    ("cosine", {"T_max": 10, "eta_min": 0.05}, 1.0, cosine_recursive(10, 0.05, 1.0)),  # three and a half periods
    ("linear", {"start_factor": 0.25, "end_factor": 0.75, "total_iters": 9}, 0.25,
     lambda t, lr: lr * (1 + 0.5 / (9 * 0.25 + (t - 1) * 0.5)) if t <= 9 else lr),
    ("polynomial", {"total_iters": 20, "power": 1.5}, 1.0,
     lambda t, lr: lr * ((1 - t / 20) / (1 - (t - 1) / 20)) ** 1.5 if t <= 20 else lr),
])
def test_closed_forms_match_recursive_rules(name, params, lr0, rule):
    np.testing.assert_allclose(lrs(name, 1.0, 70, **params), recursive(rule, 70, lr0), rtol=1e-12, atol=1e-15)


@pytest.mark.parametrize("t_0", [1, 2, 3, 5])
@pytest.mark.parametrize("t_mult", [1, 2, 3, 4])
def test_restarts_match_recursive_rule(t_0, t_mult):
    got = lrs("cosine_restarts", 1.0, 400, T_0=t_0, T_mult=t_mult, eta_min=0.01)
    np.testing.assert_allclose(got, restarts_recursive(t_0, t_mult, 0.01, 400), rtol=1e-12)


# --- warm-up: SequentialLR([LinearLR(s, 1, w), main], milestones=[w]) ---

@pytest.mark.parametrize("name, params, base, expected", [
    ("step", {"step_size": 2, "gamma": 0.5, "warmup_steps": 4, "warmup_start_factor": 0.2}, 1.0,
     [0.2, 0.4, 0.6, 0.8, 1, 1, 0.5, 0.5, 0.25]),
    ("cosine", {"T_max": 2, "warmup_steps": 2, "warmup_start_factor": 0.5}, 2.0, [1, 1.5, 2, 1, 0, 1, 2]),
    # sets_lr: the ramp leads up to the cyclic schedule's own first lr (0.1), not the optimizer's
    ("cyclic", {"base_lr": 0.1, "max_lr": 1.0, "step_size_up": 2, "step_size_down": 3, "warmup_steps": 2,
                "warmup_start_factor": 0.5}, 9.0, [0.05, 0.075, 0.1, 0.55, 1.0, 0.7]),
    ("constant", {"warmup_steps": 3}, 3.0, [0.03, 1.02, 2.01, 3, 3]),
    # as torch: the ramp leads to the optimizer's lr, then the main schedule starts (here at start_factor 0.5)
    ("linear", {"start_factor": 0.5, "total_iters": 2, "warmup_steps": 2, "warmup_start_factor": 0.5}, 1.0,
     [0.5, 0.75, 0.5, 0.75, 1, 1]),
    ("multistep", {"milestones": (0, 2), "gamma": 0.5, "warmup_steps": 2, "warmup_start_factor": 0.5}, 1.0,
     [0.5, 0.75, 0.5, 0.5, 0.25]),
])
def test_warmup_hand_numbers(name, params, base, expected):
    np.testing.assert_allclose(lrs(name, base, len(expected), **params), expected, rtol=1e-12)


def test_warmup_is_a_shift_of_the_main_schedule():
    for name in SCHEDULES:
        if name == "plateau":
            continue
        main, warm = schedule(name), schedule(name, warmup_steps=7, warmup_start_factor=0.1)
        first = main.lr(np.array(0), 0.5) if main.sets_lr else 0.5
        np.testing.assert_allclose(warm.lr(np.arange(7), 0.5), first * (0.1 + 0.9 * np.arange(7) / 7), rtol=1e-12)
        np.testing.assert_array_equal(warm.lr(np.arange(7, 300), 0.5), main.lr(np.arange(293), 0.5))


# --- plateau: ReduceLROnPlateau by hand ---

def plateau_run(sched, base, losses):
    """lr after each observe, shape (len(losses), n)."""
    state = sched.init_state(base)
    return np.array([sched.observe(state, loss).copy() for loss in np.asarray(losses, dtype=float)])


# patience 2, cooldown 1, factor 0.5, min_lr 0.2, rel threshold 0.1 (better means < 0.9 * best)
PLATEAU = {"patience": 2, "cooldown": 1, "factor": 0.5, "min_lr": 0.2, "threshold": 0.1}
SLOWING = [10, 9.5, 9.2, 9.1, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8]
# the last cut is skipped: 0.2 -> 0.2
SLOWING_LR = [1, 1, 1, 0.5, 0.5, 0.5, 0.5, 0.25, 0.25, 0.25, 0.25, 0.2, 0.2, 0.2, 0.2, 0.2]
IMPROVING = 10 * 0.8 ** np.arange(16)  # improves 20% each step: never cut
NAN_LOSSES = [np.nan] * 16  # NaN counts as bad, like torch
NAN_LR = [0.5, 0.5, 0.25, 0.25, 0.25, 0.25, 0.2, 0.2, 0.2, 0.2, 0.2, 0.2, 0.2, 0.2, 0.2, 0.2]


@pytest.mark.parametrize("params, base, losses, expected", [
    (PLATEAU, 1.0, SLOWING, SLOWING_LR),
    (PLATEAU, 2.0, IMPROVING, [2.0] * 16),
    (PLATEAU, 0.5, NAN_LOSSES, NAN_LR),
    # abs: better means < best - 0.5; 3.75 vs best 4.25 is not (strict): second bad step > patience 1, cut
    ({"threshold_mode": "abs", "threshold": 0.5, "patience": 1}, 1.0, [5, 4.75, 4.25, 4.0, 3.75, 3.5],
     [1, 1, 1, 1, 0.1, 0.1]),
    # same losses, rel 0.1: 3.75 < 0.9 * 4.25 counts as better, so no cut
    ({"threshold": 0.1, "patience": 1}, 1.0, [5, 4.75, 4.25, 4.0, 3.75, 3.5], [1] * 6),
    # eps: a cut from 1.5e-8 to 7.5e-9 is below eps = 1e-8 and is skipped
    ({"patience": 0, "factor": 0.5}, 3e-8, [1, 1, 1, 1], [3e-8, 1.5e-8, 1.5e-8, 1.5e-8]),
    ({"mode": "max", "threshold_mode": "abs", "threshold": 0.0, "patience": 0}, 1.0, [1, 2, 2, 3, 3],
     [1, 1, 0.1, 0.1, 0.01]),
    # patience 3 with cooldown 2: the two steps after a cut do not count
    ({"patience": 3, "cooldown": 2, "factor": 0.5}, 1.0, [1] * 12,
     [1, 1, 1, 1, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.25, 0.25]),
    ({"patience": 1}, 1.0, [1, np.inf, -np.inf, np.nan, 0], [1, 1, 1, 1, 0.1]),  # -inf is the best ever
    # warm-up: the first 2 losses are not fed; the rule starts at base_lr from step 2
    ({"patience": 0, "factor": 0.5, "warmup_steps": 2, "warmup_start_factor": 0.5}, 1.0, [5, 5, 5, 5],
     [0.75, 1, 1, 0.5]),
])
def test_plateau_hand_numbers(params, base, losses, expected):
    np.testing.assert_allclose(plateau_run(schedule("plateau", **params), base, losses)[:, 0], expected, rtol=1e-12)


def test_plateau_is_vectorised_over_trajectories():
    sched = schedule("plateau", **PLATEAU)
    got = plateau_run(sched, np.array([1.0, 2.0, 0.5]), np.stack([SLOWING, IMPROVING, NAN_LOSSES], axis=1))
    np.testing.assert_allclose(got, np.stack([SLOWING_LR, [2.0] * 16, NAN_LR], axis=1), rtol=1e-12)
    assert sched.loss_driven and not sched.sets_lr


def test_plateau_first_lr_and_warmup_start():
    np.testing.assert_allclose(schedule("plateau").init_state([0.1, 0.2])["lr"], [0.1, 0.2])
    np.testing.assert_allclose(schedule("plateau", warmup_steps=4).init_state(0.1)["lr"], [0.001])


# --- against torch itself, through the reference tests/fixtures committed (no torch needed) ---

SCHEDULE_IDS = [cases.schedule_id(index) for index in range(len(cases.SCHEDULE_CASES))]


@pytest.mark.parametrize("case", SCHEDULE_IDS)
def test_matches_torch(case):
    name, params = cases.SCHEDULE_CASES[SCHEDULE_IDS.index(case)]
    expected = cases.reference()[0][f"schedule/{case}"]
    assert len(expected) == cases.schedule_steps(name, params)
    got = lrs(name, cases.SCHEDULE_BASE_LR, len(expected), **params)
    np.testing.assert_allclose(got, expected, rtol=1e-12, atol=1e-15)


@pytest.mark.parametrize("case", SCHEDULE_IDS)
def test_warmup_matches_torch_sequential_lr(case):
    # torch: SequentialLR([LinearLR(start_factor, 1.0, warmup_steps), the schedule], milestones=[warmup_steps])
    name, params = cases.SCHEDULE_CASES[SCHEDULE_IDS.index(case)]
    expected = cases.reference()[0][f"warmup/{case}"]
    assert len(expected) == cases.schedule_steps(name, params) + cases.WARMUP["warmup_steps"]
    got = lrs(name, cases.SCHEDULE_BASE_LR, len(expected), **cases.WARMUP, **params)
    np.testing.assert_allclose(got, expected, rtol=1e-12, atol=1e-15)


@pytest.mark.parametrize("index", range(len(cases.PLATEAU_CASES)))
def test_plateau_matches_torch(index):
    arrays = cases.reference()[0]
    got = plateau_run(schedule("plateau", **cases.PLATEAU_CASES[index]), cases.PLATEAU_BASES, arrays["plateau/losses"])
    np.testing.assert_allclose(got, arrays[f"plateau/{index}"], rtol=1e-12)
    assert (np.diff(got, axis=0) < 0).any()  # the test does exercise reductions
