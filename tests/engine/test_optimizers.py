"""engine.optimizers and engine.adaptive_optimizers: two steps worked by hand for every rule and option.
Per-trajectory hyper-parameters, effective learning rates, defaults, state names and argument checks:
test_optimizer_options.py.  Parity with torch.optim over 50 steps: tests/engine/test_torch_parity.py.

The hand-worked steps use f(x, y) = ½(4x² + y²), so ∇f = (4x, y), from (1, -2) where g1 = (4, -2).
"""

import math

import numpy as np

from engine.optimizers import optimizer
from tests.fixtures.optimizer_runs import run


def assert_two_steps(opt, expected):
    np.testing.assert_allclose(run(opt)[0][:, :, 0], expected, rtol=1e-12, atol=1e-15)


# ---------------------------------------------------------------- SGD family, by hand


def test_sgd_plain_by_hand():
    # p1 = (1, -2) - 0.1 (4, -2);  g2 = (4 x1, y1) = (2.4, -1.8);  p2 = p1 - 0.1 g2
    assert_two_steps(optimizer("sgd", lr=0.1), [(0.6, -1.8), (0.6 - 0.24, -1.8 + 0.18)])


def test_sgd_weight_decay_by_hand():
    # g1 + 0.5 p0 = (4.5, -3);  p1 = (0.55, -1.7);  g2 + 0.5 p1 = (2.2 + 0.275, -1.7 - 0.85)
    assert_two_steps(optimizer("sgd", lr=0.1, weight_decay=0.5),
                     [(0.55, -1.7), (0.55 - 0.1 * 2.475, -1.7 + 0.1 * 2.55)])


def test_momentum_by_hand():
    # b1 = g1 = (4, -2) (the buffer starts at the first gradient);  p1 = (0.8, -1.9);  g2 = (3.2, -1.9)
    # b2 = 0.9 b1 + g2 = (6.8, -3.7);  p2 = p1 - 0.05 b2
    assert_two_steps(optimizer("momentum", lr=0.05), [(0.8, -1.9), (0.8 - 0.05 * 6.8, -1.9 + 0.05 * 3.7)])


def test_momentum_dampening_by_hand():
    # b1 = g1 with no dampening on the first step;  b2 = 0.9 b1 + (1 - 0.5) g2 = (3.6 + 1.6, -1.8 - 0.95)
    assert_two_steps(optimizer("sgd", lr=0.05, momentum=0.9, dampening=0.5),
                     [(0.8, -1.9), (0.8 - 0.05 * 5.2, -1.9 + 0.05 * 2.75)])


def test_nesterov_by_hand():
    # b1 = g1;  step g1 + 0.9 b1 = (7.6, -3.8);  p1 = (0.62, -1.81);  g2 = (2.48, -1.81)
    # b2 = 0.9 b1 + g2 = (6.08, -3.61);  step g2 + 0.9 b2 = (2.48 + 5.472, -1.81 - 3.249)
    assert_two_steps(optimizer("nesterov", lr=0.05), [(0.62, -1.81), (0.62 - 0.05 * 7.952, -1.81 + 0.05 * 5.059)])


def test_momentum_weight_decay_by_hand():
    # g1' = (4.5, -3) = b1;  p1 = (0.775, -1.85);  g2' = (3.1 + 0.3875, -1.85 - 0.925) = (3.4875, -2.775)
    # b2 = 0.9 b1 + g2' = (7.5375, -5.475)
    assert_two_steps(optimizer("momentum", lr=0.05, weight_decay=0.5),
                     [(0.775, -1.85), (0.775 - 0.05 * 7.5375, -1.85 + 0.05 * 5.475)])


# ---------------------------------------------------------------- Adagrad and RMSprop, by hand


def test_adagrad_by_hand():
    # sum0 = 0.1;  sum1 = 0.1 + g1² = (16.1, 4.1);  clr1 = 0.1, clr2 = 0.1 / (1 + 1 * 0.5)
    x1, y1 = 1 - 0.1 * 4 / (math.sqrt(16.1) + 1e-10), -2 + 0.1 * 2 / (math.sqrt(4.1) + 1e-10)
    sx, sy = 16.1 + (4 * x1) ** 2, 4.1 + y1**2
    x2, y2 = x1 - 0.1 / 1.5 * 4 * x1 / (math.sqrt(sx) + 1e-10), y1 - 0.1 / 1.5 * y1 / (math.sqrt(sy) + 1e-10)
    assert_two_steps(optimizer("adagrad", lr=0.1, lr_decay=0.5, initial_accumulator_value=0.1), [(x1, y1), (x2, y2)])


def test_rmsprop_by_hand():
    # v1 = 0.1 g1² = (1.6, 0.4);  v2 = 0.9 v1 + 0.1 g2²;  eps after the square root
    x1, y1 = 1 - 0.1 * 4 / (math.sqrt(1.6) + 1e-8), -2 + 0.1 * 2 / (math.sqrt(0.4) + 1e-8)
    vx, vy = 0.9 * 1.6 + 0.1 * (4 * x1) ** 2, 0.9 * 0.4 + 0.1 * y1**2
    x2, y2 = x1 - 0.1 * 4 * x1 / (math.sqrt(vx) + 1e-8), y1 - 0.1 * y1 / (math.sqrt(vy) + 1e-8)
    assert_two_steps(optimizer("rmsprop", lr=0.1, alpha=0.9), [(x1, y1), (x2, y2)])


def test_rmsprop_momentum_by_hand():
    # b0 = 0:  b1 = g1 / (√v1 + ε);  b2 = 0.5 b1 + g2 / (√v2 + ε)
    bx1, by1 = 4 / (math.sqrt(1.6) + 1e-8), -2 / (math.sqrt(0.4) + 1e-8)
    x1, y1 = 1 - 0.1 * bx1, -2 - 0.1 * by1
    vx, vy = 0.9 * 1.6 + 0.1 * (4 * x1) ** 2, 0.9 * 0.4 + 0.1 * y1**2
    bx2, by2 = 0.5 * bx1 + 4 * x1 / (math.sqrt(vx) + 1e-8), 0.5 * by1 + y1 / (math.sqrt(vy) + 1e-8)
    expected = [(x1, y1), (x1 - 0.1 * bx2, y1 - 0.1 * by2)]
    assert_two_steps(optimizer("rmsprop", lr=0.1, alpha=0.9, momentum=0.5), expected)


def test_rmsprop_centered_by_hand():
    # ḡ1 = 0.1 g1, ṽ1 = v1 - ḡ1² = 0.1·16 - 0.16 = 1.44 (x), 0.4 - 0.04 = 0.36 (y): √ = 1.2, 0.6
    x1, y1 = 1 - 0.1 * 4 / (1.2 + 1e-8), -2 + 0.1 * 2 / (0.6 + 1e-8)
    gx2, gy2 = 4 * x1, y1
    vx, vy = 0.9 * 1.6 + 0.1 * gx2**2, 0.9 * 0.4 + 0.1 * gy2**2
    ax, ay = 0.9 * 0.4 + 0.1 * gx2, 0.9 * -0.2 + 0.1 * gy2
    x2, y2 = x1 - 0.1 * gx2 / (math.sqrt(vx - ax**2) + 1e-8), y1 - 0.1 * gy2 / (math.sqrt(vy - ay**2) + 1e-8)
    assert_two_steps(optimizer("rmsprop", lr=0.1, alpha=0.9, centered=True), [(x1, y1), (x2, y2)])


# ---------------------------------------------------------------- Adam family, by hand


def adam_second_step(x1, y1, gx1, gy1, lr, vx, vy):
    """p2 for betas (0.9, ·) given v̂2's numerator (vx, vy) already bias-corrected by the caller."""
    mx, my = 0.9 * 0.1 * gx1 + 0.1 * 4 * x1, 0.9 * 0.1 * gy1 + 0.1 * y1
    return x1 - lr * (mx / 0.19) / (math.sqrt(vx) + 1e-8), y1 - lr * (my / 0.19) / (math.sqrt(vy) + 1e-8)


def test_adam_by_hand():
    # step 1: m̂1 = g1, v̂1 = g1², so each coordinate moves by lr·g/(|g| + ε)
    x1, y1 = 1 - 0.1 * 4 / (4 + 1e-8), -2 + 0.1 * 2 / (2 + 1e-8)
    # v2 = 0.999·0.001 g1² + 0.001 g2²;  v̂2 = v2 / (1 - 0.999²) = v2 / 0.001999;  m̂2 = m2 / (1 - 0.9²)
    vx, vy = (0.999 * 0.016 + 0.001 * (4 * x1) ** 2) / 0.001999, (0.999 * 0.004 + 0.001 * y1**2) / 0.001999
    assert_two_steps(optimizer("adam", lr=0.1), [(x1, y1), adam_second_step(x1, y1, 4, -2, 0.1, vx, vy)])


def test_adam_weight_decay_by_hand():
    # g1 + 0.5 p0 = (4.5, -3)
    x1, y1 = 1 - 0.1 * 4.5 / (4.5 + 1e-8), -2 + 0.1 * 3 / (3 + 1e-8)
    gx2, gy2 = 4 * x1 + 0.5 * x1, y1 + 0.5 * y1
    vx, vy = (0.999 * 0.001 * 4.5**2 + 0.001 * gx2**2) / 0.001999, (0.999 * 0.001 * 9 + 0.001 * gy2**2) / 0.001999
    mx, my = 0.9 * 0.1 * 4.5 + 0.1 * gx2, 0.9 * 0.1 * -3 + 0.1 * gy2
    x2, y2 = x1 - 0.1 * mx / 0.19 / (math.sqrt(vx) + 1e-8), y1 - 0.1 * my / 0.19 / (math.sqrt(vy) + 1e-8)
    expected = [(x1, y1), (x2, y2)]
    assert_two_steps(optimizer("adam", lr=0.1, weight_decay=0.5), expected)


def test_amsgrad_by_hand():
    # betas (0.9, 0.5), lr 0.5:  v1 = 0.5 g1² = (8, 2), p1 ≈ (0.5, -1.5), g2 ≈ (2, -1.5)
    x1, y1 = 1 - 0.5 * 4 / (4 + 1e-8), -2 + 0.5 * 2 / (2 + 1e-8)
    v2x, v2y = 0.5 * 8 + 0.5 * (4 * x1) ** 2, 0.5 * 2 + 0.5 * y1**2
    assert v2x < 8 and v2y > 2  # x keeps the old maximum 8, y takes the new v2
    expected = [(x1, y1), adam_second_step(x1, y1, 4, -2, 0.5, 8 / 0.75, v2y / 0.75)]
    assert_two_steps(optimizer("adam", lr=0.5, betas=(0.9, 0.5), amsgrad=True), expected)


def test_adamw_by_hand():
    # decoupled: θ <- θ (1 - 0.1·0.5) first, with g taken at the old θ; the Adam step sees plain g
    x1, y1 = 0.95 * 1 - 0.1 * 4 / (4 + 1e-8), 0.95 * -2 + 0.1 * 2 / (2 + 1e-8)
    vx, vy = (0.999 * 0.016 + 0.001 * (4 * x1) ** 2) / 0.001999, (0.999 * 0.004 + 0.001 * y1**2) / 0.001999
    x2, y2 = adam_second_step(x1, y1, 4, -2, 0.1, vx, vy)
    x2, y2 = x2 - 0.05 * x1, y2 - 0.05 * y1
    assert_two_steps(optimizer("adamw", lr=0.1, weight_decay=0.5), [(x1, y1), (x2, y2)])


def test_step_uses_the_lr_it_is_given():
    # the lr hyper-parameter is only a schedule's base: the step takes the lr passed in
    np.testing.assert_array_equal(run(optimizer("adam", lr=123.0), lr=0.1)[0], run(optimizer("adam", lr=0.1))[0])
