"""engine.optimizers beyond the update rules: one hyper-parameter value per trajectory, stepping views of the
batch, effective learning rates, torch's defaults (as tests/fixtures recorded them), state names, LaTeX, and
argument checks.  The rules themselves, worked by hand: test_optimizers.py.

The runs use f(x, y) = ½(4x² + y²), so ∇f = (4x, y), from (1, -2) (tests/fixtures/optimizer_runs.py).
"""

import math

import numpy as np
import pytest

from engine.optimizers import OPTIMIZERS, optimizer
from tests.fixtures.optimizer_runs import START, run
from tests.fixtures.torch_cases import STARTS, TORCH_OPTIMIZERS, quadratic_2d, reference

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
