"""engine.step_table: constants computed for a block of steps equal the same expression evaluated one step at a
time, exactly (the optimizers' results must not change by a bit); and Adam past the first block of steps."""

import numpy as np
import pytest

from engine.optimizers import optimizer
from engine.step_table import STEP_BLOCK, StepTable, powers

STEPS = np.arange(1, 2 * STEP_BLOCK + 3)  # past two block boundaries


@pytest.mark.parametrize("beta", [0.9, 0.999, 0.5, 0.0], ids=str)
def test_powers_equal_the_power_of_each_step(beta):
    b = np.asarray(beta)
    expected = np.array([b**int(s) for s in STEPS])
    np.testing.assert_array_equal(powers(b, STEPS), expected)


def test_powers_take_numpys_shortcuts_for_one_and_two():
    # np.power over an array of exponents and β·β (what ``β ** 2`` computes) can differ in the last bit (for about
    # one β in 16 with NumPy 2.4 on AVX-512): the table must follow the per-step expression, per-trajectory too
    betas = np.random.default_rng(0).uniform(0.0, 1.0, 2000)
    t = np.arange(1, 6)[:, None]
    expected = np.stack([betas**int(s) for s in t[:, 0]])
    np.testing.assert_array_equal(powers(betas, t), expected)


def test_rows_are_the_expression_of_each_step_alone_across_blocks():
    beta, per_trajectory = np.asarray(0.99), np.array([0.5, 0.8, 0.95])
    table = StepTable(lambda t: (1 - powers(beta, t), np.sqrt(1 - powers(per_trajectory, t))))
    for t in (1, 2, STEP_BLOCK - 1, STEP_BLOCK, STEP_BLOCK + 1, 2 * STEP_BLOCK + 1):
        shared, each = table.at(t)
        assert shared.shape == () and each.shape == (3,)
        assert shared == 1 - beta**t
        np.testing.assert_array_equal(each, np.sqrt(1 - per_trajectory**t))


@pytest.mark.parametrize("hyper", [{}, {"amsgrad": True, "weight_decay": 0.1}, {"betas": ([0.8, 0.9], 0.99)}])
def test_adam_past_the_first_block_is_the_folded_rule_step_by_step(hyper):
    # the step as written before its constants were tabulated: c = √(1-β2^t), ε c, γ (-c / (1-β1^t)), per step
    opt = optimizer("adam", lr=0.01, **hyper)
    beta1, beta2 = (np.asarray(b) for b in opt.hyper["betas"])
    eps, wd = np.asarray(opt.hyper["eps"]), np.asarray(opt.hyper["weight_decay"])
    root2 = np.asarray(np.sqrt(1 - beta2))
    ratio = np.asarray((1 - beta1) / root2)
    p = np.array([[1.5, -0.5], [0.5, 2.0]])
    q, state = p.copy(), opt.init(p)
    m, v, vmax = np.zeros_like(q), np.zeros_like(q), np.zeros_like(q)
    lr = np.asarray(0.01)
    for t in range(1, STEP_BLOCK + 40):
        opt.step(p, 2.0 * p, state, lr, t)
        g = 2.0 * q + wd * q
        g = g * root2
        m = m * beta1 + g * ratio
        v = v * beta2 + g * g
        vmax = np.maximum(vmax, v)
        c = np.sqrt(1 - beta2**t)
        q = q + (m / (np.sqrt(vmax if opt.hyper["amsgrad"] else v) + eps * c)) * (lr * (-c / (1 - beta1**t)))
        np.testing.assert_array_equal(p, q, err_msg=f"step {t}")
