"""engine.optimizers: two steps worked by hand for every rule and option, per-trajectory hyper-parameter arrays,
effective learning rates, torch's defaults (as tests/fixtures recorded them), state names, argument checks.
Parity with torch.optim over 50 steps: tests/engine/test_torch_parity.py.

The hand-worked steps use f(x, y) = ½(4x² + y²), so ∇f = (4x, y), from (1, -2) where g1 = (4, -2).
"""

import math

import numpy as np
import pytest

from engine.optimizers import OPTIMIZERS, optimizer
from tests.fixtures.torch_cases import STARTS, TORCH_OPTIMIZERS, quadratic_2d, reference

START = (1.0, -2.0)


def quadratic_grad(p):
    """∇ of ½(4x² + y²)."""
    return np.array([4.0 * p[0], p[1]])


def run(opt, steps=2, grad=quadratic_grad, start=START, lr=None):
    """Points after each step (steps, 2, n) and the final state; lr defaults to the optimizer's own."""
    p = np.array(start, dtype=float).reshape(2, -1).copy()
    state = opt.init(p)
    lr = np.asarray(opt.hyper["lr"] if lr is None else lr, dtype=float)
    points = []
    for t in range(1, steps + 1):
        opt.step(p, grad(p), state, lr, t)
        points.append(p.copy())
    return np.array(points), state


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


# ---------------------------------------------------------------- one value per trajectory

ARRAY_CASES = [
    ("sgd", {"lr": [0.05, 0.1], "momentum": [0.9, 0.0], "dampening": [0.5, 0.3], "weight_decay": [0.0, 0.2]}),
    ("nesterov", {"lr": [0.05, 0.02], "momentum": [0.9, 0.5]}),
    ("adagrad", {"lr": [0.1, 0.3], "lr_decay": [0.5, 0.0], "initial_accumulator_value": [0.1, 2.0],
                 "eps": [1e-10, 1e-3], "weight_decay": [0.1, 0.0]}),
    ("rmsprop", {"lr": [0.1, 0.01], "alpha": [0.9, 0.5], "eps": [1e-8, 1e-2], "momentum": [0.5, 0.0],
                 "weight_decay": [0.0, 0.3], "centered": True}),
    ("adam", {"lr": [0.1, 0.5], "betas": ([0.9, 0.5], [0.999, 0.6]), "eps": [1e-8, 0.1], "weight_decay": [0.2, 0.0],
              "amsgrad": True}),
    ("adamw", {"lr": [0.1, 0.5], "betas": (0.8, [0.9, 0.99]), "weight_decay": [0.3, 0.01]}),
]


def column(hyper, j):
    """The scalar hyper-parameters of trajectory j."""
    def pick(v):
        return v[j] if isinstance(v, list) else v
    return {k: tuple(map(pick, v)) if isinstance(v, tuple) else pick(v) for k, v in hyper.items()}


@pytest.mark.parametrize(("slug", "hyper"), ARRAY_CASES, ids=[s for s, _ in ARRAY_CASES])
def test_array_hyper_parameters_equal_scalar_runs(slug, hyper):
    batch = optimizer(slug, **hyper)
    assert isinstance(batch.hyper["lr"], np.ndarray)
    points, state = run(batch, steps=5, start=np.repeat(np.array(START)[:, None], 2, axis=1))
    for j in range(2):
        single, single_state = run(optimizer(slug, **column(hyper, j)), steps=5)
        np.testing.assert_allclose(points[:, :, j], single[:, :, 0], rtol=1e-13)
        for name in single_state:
            if not name.startswith("_"):
                np.testing.assert_allclose(state[name][:, j], single_state[name][:, 0], rtol=1e-13)


@pytest.mark.parametrize("slug", ["nesterov", "adagrad", "rmsprop", "adamw"])
def test_stepping_row_views_equals_stepping_the_whole_batch(slug):
    # the simulator may run one thread per coordinate: each row with its own view of the state
    extra = {"centered": True} if slug == "rmsprop" else {}
    opt = optimizer(slug, weight_decay=[0.1, 0.0, 0.2, 0.3], **extra)  # an array hyper-parameter (n,) serves every row
    whole, rows = STARTS.copy(), STARTS.copy()
    state, row_state = opt.init(whole), opt.init(rows)
    lr = np.array([0.01, 0.02, 0.03, 0.04])
    for t in range(1, 4):
        opt.step(whole, quadratic_2d(whole), state, lr, t)
        g = quadratic_2d(rows)
        for i in range(2):
            opt.step(rows[i:i + 1], g[i:i + 1], {k: v[i:i + 1] for k, v in row_state.items()}, lr, t)
    np.testing.assert_array_equal(rows, whole)


# ---------------------------------------------------------------- effective learning rate


def direction(slug, hyper, state, g, t):
    """The vector the effective lr multiplies (module docstring): g, the momentum buffer, or m̂."""
    if slug.startswith("adam"):
        return state["exp_avg"] / (1 - hyper["betas"][0] ** t)
    return state["momentum_buffer"] if "momentum_buffer" in state and slug != "rmsprop" else g


@pytest.mark.parametrize(("slug", "extra"), [
    ("sgd", {"weight_decay": 0.1}), ("momentum", {}), ("adagrad", {"lr_decay": 0.1}), ("rmsprop", {}),
    ("rmsprop", {"centered": True}), ("adam", {}), ("adam", {"amsgrad": True, "betas": (0.9, 0.5)}), ("adamw", {}),
])
def test_effective_lr_times_direction_is_the_update(slug, extra):
    opt = optimizer(slug, lr=0.05, **extra)
    p = STARTS.copy()
    state = opt.init(p)
    lr = np.array([0.05, 0.01, 0.02, 0.03])  # one lr per trajectory, as a schedule might give
    wd = opt.hyper["weight_decay"]
    for t in range(1, 6):
        g = quadratic_2d(p)
        if slug != "adamw":
            g += wd * p  # the L2 term joins the gradient
        before = p * (1 - lr * wd) if slug == "adamw" else p.copy()
        opt.step(p, quadratic_2d(p), state, lr, t)
        eff = opt.effective_lr(state, lr, t)
        assert eff.shape == p.shape
        np.testing.assert_allclose(before - p, eff * direction(slug, opt.hyper, state, g, t), rtol=1e-12)


def test_effective_lr_by_hand():
    # Adagrad after step 1 from g1 = (4, -2): 0.1 / (√(0.1 + g²) + 1e-10);  Adam: lr / (|g1| + 1e-8)
    opt = optimizer("adagrad", lr=0.1, initial_accumulator_value=0.1)
    _, state = run(opt, steps=1)
    np.testing.assert_allclose(opt.effective_lr(state, np.asarray(0.1), 1)[:, 0],
                               [0.1 / (math.sqrt(16.1) + 1e-10), 0.1 / (math.sqrt(4.1) + 1e-10)], rtol=1e-13)
    opt = optimizer("adam", lr=0.1)
    _, state = run(opt, steps=1)
    np.testing.assert_allclose(opt.effective_lr(state, np.asarray(0.1), 1)[:, 0], [0.1 / (4 + 1e-8), 0.1 / (2 + 1e-8)],
                               rtol=1e-13)


# ---------------------------------------------------------------- defaults, state, LaTeX

DEFAULTS = {  # torch.optim's signatures (REFERENCE.md's table)
    "sgd": {"lr": 1e-3, "momentum": 0, "dampening": 0, "weight_decay": 0, "nesterov": False},
    "momentum": {"lr": 1e-3, "momentum": 0.9, "dampening": 0, "weight_decay": 0, "nesterov": False},
    "nesterov": {"lr": 1e-3, "momentum": 0.9, "dampening": 0, "weight_decay": 0, "nesterov": True},
    "adagrad": {"lr": 1e-2, "lr_decay": 0, "weight_decay": 0, "initial_accumulator_value": 0, "eps": 1e-10},
    "rmsprop": {"lr": 1e-2, "alpha": 0.99, "eps": 1e-8, "weight_decay": 0, "momentum": 0, "centered": False},
    "adam": {"lr": 1e-3, "betas": (0.9, 0.999), "eps": 1e-8, "weight_decay": 0, "amsgrad": False},
    "adamw": {"lr": 1e-3, "betas": (0.9, 0.999), "eps": 1e-8, "weight_decay": 1e-2, "amsgrad": False},
}


def test_registry_and_defaults():
    assert set(OPTIMIZERS) == set(DEFAULTS)
    for slug, expected in DEFAULTS.items():
        opt = optimizer(slug)
        assert opt.name == slug and opt.hyper == expected
        assert [p.name for p in OPTIMIZERS[slug].params] == list(expected)


def test_defaults_match_torch_signatures():
    signatures = reference()[1]["signatures"]  # torch.optim's, recorded by tests/fixtures
    for slug in ("sgd", "adagrad", "rmsprop", "adam", "adamw"):
        signature = signatures[TORCH_OPTIMIZERS[slug][0]]
        defaults = {name: tuple(signature[name]) if name == "betas" else signature[name] for name in DEFAULTS[slug]}
        assert defaults == DEFAULTS[slug]


def test_state_names_follow_the_options():
    p = np.zeros((2, 3))
    cases = {
        ("sgd", ()): (),
        ("momentum", ()): ("momentum_buffer",),
        ("adagrad", ()): ("sum",),
        ("rmsprop", ()): ("square_avg",),
        ("rmsprop", ("momentum", "centered")): ("square_avg", "momentum_buffer", "grad_avg"),
        ("adam", ()): ("exp_avg", "exp_avg_sq"),
        ("adamw", ("amsgrad",)): ("exp_avg", "exp_avg_sq", "max_exp_avg_sq"),
    }
    for (slug, options), names in cases.items():
        opt = optimizer(slug, **{k: (0.5 if k == "momentum" else True) for k in options})
        assert opt.state_names == names
        state = opt.init(p)
        assert {k for k in state if not k.startswith("_")} == set(names)
        assert all(v.shape == (2, 3) for v in state.values())
    np.testing.assert_array_equal(optimizer("adagrad", initial_accumulator_value=[0.5, 1, 2]).init(p)["sum"],
                                  [[0.5, 1, 2], [0.5, 1, 2]])


def test_latex_shows_the_options_in_use():
    for slug in OPTIMIZERS:
        latex = optimizer(slug).latex
        assert latex.startswith(r"\begin{aligned}") and latex.endswith(r"\end{aligned}")
        assert latex.count("{") == latex.count("}") and r"\theta_t" in latex
    assert r"b_t" not in optimizer("sgd").latex and r"\mu b_{t-1}" in optimizer("momentum").latex
    assert r"g_t + \mu b_t" in optimizer("nesterov").latex and r"(1-\tau)" in optimizer("momentum", dampening=0.1).latex
    assert r"\lambda" not in optimizer("adam").latex and r"\lambda" in optimizer("adamw").latex
    assert r"\max" in optimizer("adam", amsgrad=True).latex and r"\bar g" in optimizer("rmsprop", centered=True).latex


# ---------------------------------------------------------------- argument checks


@pytest.mark.parametrize("slug", sorted(DEFAULTS))
def test_negative_lr_is_refused(slug):
    with pytest.raises(ValueError, match="lr must be >= 0"):
        optimizer(slug, lr=-0.1)
    with pytest.raises(ValueError, match="lr must be >= 0"):
        optimizer(slug, lr=[0.1, -0.1])


@pytest.mark.parametrize("betas", [(1.0, 0.999), (0.9, 1.0), (-0.1, 0.999), (0.9, 1.5), ([0.9, 1.0], 0.999)])
def test_betas_outside_unit_interval_are_refused(betas):
    with pytest.raises(ValueError, match=r"betas\[[01]\] must be"):
        optimizer("adam", betas=betas)


@pytest.mark.parametrize("betas", [(0.9,), 0.9, (0.9, 0.99, 0.999), "0.9"])
def test_betas_must_be_a_pair(betas):
    with pytest.raises(ValueError, match="betas must be a pair"):
        optimizer("adamw", betas=betas)


def test_betas_from_a_url_string():
    assert optimizer("adam", betas="0.8,0.99").hyper["betas"] == (0.8, 0.99)


@pytest.mark.parametrize(("slug", "hyper"), [
    ("sgd", {"nesterov": True}), ("sgd", {"nesterov": True, "momentum": [0.9, 0.0]}),
    ("nesterov", {"momentum": 0.0}), ("nesterov", {"dampening": 0.1}),
])
def test_nesterov_needs_momentum_and_no_dampening(slug, hyper):
    with pytest.raises(ValueError, match="nesterov=True needs momentum > 0 and dampening = 0"):
        optimizer(slug, **hyper)


@pytest.mark.parametrize(("slug", "hyper", "name"), [
    ("sgd", {"momentum": -0.5}, "momentum"), ("sgd", {"weight_decay": -1}, "weight_decay"),
    ("sgd", {"dampening": 1.5}, "dampening"), ("adagrad", {"lr_decay": -1}, "lr_decay"),
    ("adagrad", {"initial_accumulator_value": -1}, "initial_accumulator_value"), ("adam", {"eps": -1e-8}, "eps"),
    ("rmsprop", {"alpha": 1.5}, "alpha"), ("adam", {"amsgrad": "maybe"}, "amsgrad"), ("adam", {"beta1": 0.9}, "beta1"),
    ("adam", {"lr": [0.1, 0.2], "eps": [1e-8, 1e-8, 1e-8]}, "lr has 2"), ("rmsprop", {"lr": "fast"}, "lr"),
])
def test_bad_values_name_the_parameter(slug, hyper, name):
    with pytest.raises(ValueError, match=name):
        optimizer(slug, **hyper)


def test_unknown_optimizer_is_refused():
    with pytest.raises(ValueError, match="unknown optimizer 'adamx'; choose one of: sgd"):
        optimizer("adamx")


def test_init_checks_the_batch_shape():
    with pytest.raises(ValueError, match=r"shape \(2, 2\)"):
        optimizer("adam", lr=[0.1, 0.2]).init(np.zeros((2, 3)))
    with pytest.raises(ValueError, match=r"shape \(2, n\)"):
        optimizer("sgd").init(np.zeros((3, 2)))
