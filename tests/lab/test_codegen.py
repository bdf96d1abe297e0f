"""The code bridge: formulas against the engine's surfaces, lr_at against the engine's schedules, every
hyper-parameter found in the generated calls, the notes.  The snippets' runs: test_codegen_run.py."""

from __future__ import annotations

import ast
import math
from dataclasses import replace

import numpy as np
import pytest

import engine
from lab.codegen import pytorch_snippet, snippets
from lab.codegen_math import formula, lr_source, to_framework
from lab.config import OptimizerConfig, default_config
from tests.lab.codegen_cases import OPTIMIZER_CASES, SCHEDULE_CASES, config

NUMPY = {"sin": np.sin, "cos": np.cos, "tan": np.tan, "atan": np.arctan, "sinh": np.sinh, "cosh": np.cosh,
         "tanh": np.tanh, "exp": np.exp, "log": np.log, "sqrt": np.sqrt, "abs": np.abs, "mean": np.mean,
         "pi": math.pi, "e": math.e, "np": np}
def neutral_value(form, x, y):
    names = dict(NUMPY)
    for line in form.prelude:
        exec(line, names)  # noqa: S102 -- our own generated NumPy lines (the regression data)
    return eval(form.expr, {**names, "x": x, "y": y})  # noqa: S307 -- generated from the engine's tree


@pytest.mark.parametrize("query", [
    *({"surface": slug} for slug in engine.SURFACES),
    {"surface": "quadratic", "l1": "40", "l2": "0.5", "angle": "-70"},
    {"surface": "bowl", "scale": "3.5"},
])
def test_formula_matches_the_engine_surface(query):
    cfg = config(**query)
    surface = engine.surface(cfg.surface, **dict(cfg.surface_params))
    form = formula(cfg)
    rng = np.random.default_rng(1)
    (x0, x1), (y0, y1) = surface.bounds
    for x, y in zip(rng.uniform(x0, x1, 25), rng.uniform(y0, y1, 25), strict=True):
        assert neutral_value(form, x, y) == pytest.approx(float(surface.value(np.array([x, y]))), rel=1e-12, abs=1e-12)


@pytest.mark.parametrize("text", ["x^2 + 3*sin(y)", "sqrt(2)*x**2 + e**(x*y/10) + atan(y) + abs(x)/3 + ln(2 + y**2)",
                                  "(x - 1)**4 + 0.1*y**(1/3) + pi*cosh(y/5)"])
def test_custom_formula_is_printed_from_the_parsed_expression(text):
    cfg = config(surface="custom", f=text, x0="1.5", y0="2.5")
    form = formula(cfg)
    surface = engine.surface_from_expression(text)
    assert "^" not in form.expr and "ln" not in form.expr
    for x, y in [(0.3, 1.7), (-1.2, 0.4), (2.0, 2.9)]:
        assert neutral_value(form, x, y) == pytest.approx(float(surface.value(np.array([x, y]))), rel=1e-12)


def test_to_framework_qualifies_functions_and_refuses_other_names():
    assert to_framework("cos(2 * pi * x) + atan(y)", "torch") == "torch.cos(2 * math.pi * x) + torch.atan(y)"
    assert to_framework("atan(y) + abs(x)", "optax") == "jnp.arctan(y) + jnp.abs(x)"
    assert to_framework("exp(e * x)", "keras") == "ops.exp(math.e * x)"
    with pytest.raises(ValueError, match="__import__"):
        to_framework("__import__('os')", "torch")


@pytest.mark.parametrize("warmup", [0, 6])
@pytest.mark.parametrize("name", [n for n in SCHEDULE_CASES if n != "plateau"])
def test_lr_at_is_the_engine_schedule(name, warmup):
    cfg = config(schedule=name, warmup_steps=warmup, warmup_start_factor=0.1, **SCHEDULE_CASES[name])
    namespace = {"math": math}
    exec(lr_source(cfg, 0.03), namespace)  # noqa: S102 -- our own generated closed form
    expected = engine.schedule(name, **dict(cfg.schedule_params)).lr(np.arange(120), 0.03)
    got = [namespace["lr_at"](t) for t in range(120)]
    np.testing.assert_allclose(got, expected, rtol=1e-12, atol=1e-15)


def test_plateau_has_no_closed_form():
    assert lr_source(config(schedule="plateau"), 0.1) is None


# ----------------------------------------------------------------------------------------------------------
# The generated calls carry every hyper-parameter


def calls(code: str) -> dict[str, dict]:
    """Dotted function name -> its keyword values (literals evaluated), for every call in ``code``."""
    found = {}
    for node in ast.walk(ast.parse(code)):
        if isinstance(node, ast.Call):
            found[ast.unparse(node.func)] = {k.arg: _value(k.value) for k in node.keywords}
    return found


def _value(node):
    try:
        return ast.literal_eval(node)
    except ValueError:
        return ast.unparse(node)


TORCH_CLASSES = {"sgd": "SGD", "momentum": "SGD", "nesterov": "SGD", "adagrad": "Adagrad", "rmsprop": "RMSprop",
                 "adam": "Adam", "adamw": "AdamW"}
KERAS_NAMES = {"lr": "learning_rate", "alpha": "rho", "eps": "epsilon", "initial_accumulator_value":
               "initial_accumulator_value", "momentum": "momentum", "nesterov": "nesterov", "centered": "centered",
               "amsgrad": "amsgrad"}
OPTAX_NAMES = {"lr": "learning_rate", "alpha": "decay", "eps": "eps", "initial_accumulator_value":
               "initial_accumulator_value", "momentum": "momentum", "nesterov": "nesterov", "centered": "centered"}


@pytest.mark.parametrize("name", list(OPTIMIZER_CASES))
def test_optimizer_calls_carry_every_hyper_parameter(name):
    cfg = config(surface="booth", optimizer=name, lr="0.004", **OPTIMIZER_CASES[name])
    hyper = cfg.optimizers[0].kwargs()
    torch_code, keras_code, optax_code = (s.code for s in snippets(cfg))
    torch_call = calls(torch_code)["torch.optim." + TORCH_CLASSES[name]]
    assert torch_call == {k: (tuple(v) if isinstance(v, tuple) else v) for k, v in hyper.items()}

    keras_call = next(v for k, v in calls(keras_code).items() if k.startswith("keras.optimizers."))
    optax_all = calls(optax_code)
    for torch_name, value in hyper.items():
        if torch_name == "betas":
            assert (keras_call["beta_1"], keras_call["beta_2"]) == value
            b = next(v for k, v in optax_all.items() if "b1" in v)
            assert (b["b1"], b["b2"]) == value
        elif torch_name == "lr":
            assert keras_call["learning_rate"] == 0.004
            assert any(v.get("learning_rate") == 0.004 or v.get("scale_by_learning_rate") for v in optax_all.values())
        elif torch_name in KERAS_NAMES:
            assert keras_call[KERAS_NAMES[torch_name]] == value, torch_name
            if torch_name in OPTAX_NAMES:
                assert any(v.get(OPTAX_NAMES[torch_name]) == value for v in optax_all.values()), torch_name
    if name == "adamw":
        assert keras_call["weight_decay"] == hyper["weight_decay"]
        assert optax_all["optax.adamw"]["weight_decay"] == hyper["weight_decay"]
    elif hyper.get("weight_decay"):  # torch's L2: a loss term in Keras, add_decayed_weights in Optax
        assert f"{hyper['weight_decay'] / 2!r} * ops.sum(p * p)" in keras_code
        assert "optax.add_decayed_weights" in optax_code and str(hyper["weight_decay"]) in optax_code


@pytest.mark.parametrize("name", list(SCHEDULE_CASES))
def test_torch_scheduler_call_carries_every_parameter(name):
    cfg = config(schedule=name, **SCHEDULE_CASES[name])
    code = pytorch_snippet(cfg).code
    params = {k: v for k, v in cfg.schedule_params if not k.startswith("warmup_")}
    found = {k: v for k, v in calls(code).items() if k.startswith("torch.optim.lr_scheduler.")}
    if name == "constant":
        assert found == {}
        return
    (kwargs,) = found.values()
    expected = {k: (list(v) if k == "milestones" else v) for k, v in params.items()}
    if name in ("cyclic", "onecycle"):
        expected["cycle_momentum"] = False
    assert kwargs == expected


def test_keras_and_optax_schedules_use_the_config_values():
    cfg = config(optimizer="sgd", lr="0.02", schedule="multistep", milestones="10,30", gamma="0.5")
    _, keras_code, optax_code = snippets(cfg)
    k = calls(keras_code.code)["keras.optimizers.schedules.PiecewiseConstantDecay"]
    assert k == {"boundaries": [9, 29], "values": [0.02, 0.01, 0.005]}
    o = calls(optax_code.code)["optax.piecewise_constant_schedule"]
    assert o == {"init_value": 0.02, "boundaries_and_scales": {10: 0.5, 30: 0.5}}
    cfg = config(optimizer="adam", lr="0.02", steps="55", schedule="cosine", T_max="50", eta_min="0.001",
                 warmup_steps="5", warmup_start_factor="0.1")
    _, keras_code, optax_code = snippets(cfg)
    k = calls(keras_code.code)["keras.optimizers.schedules.CosineDecay"]
    assert k == pytest.approx({"initial_learning_rate": 0.002, "decay_steps": 50, "alpha": 0.05,
                               "warmup_target": 0.02, "warmup_steps": 5})
    assert "optax.join_schedules" in optax_code.code and "boundaries=[5]" in optax_code.code


def test_notes_name_the_convention_differences():
    cfg = config(optimizer="momentum", lr="0.02", schedule="step", step_size="20")
    torch_s, keras_s, optax_s = snippets(cfg)
    assert "exact equivalent" in torch_s.notes[0]
    assert any("momentum puts the learning rate inside" in n for n in keras_s.notes)
    assert any("epsilon inside the square root" in n for n in snippets(config(optimizer="rmsprop"))[1].notes)
    assert any("eps_in_sqrt=False" in n for n in snippets(config(optimizer="rmsprop"))[2].notes)
    assert any("0.004" in n for n in snippets(config(optimizer="adamw"))[1].notes)
    assert any("1e-4" in n for n in snippets(config(optimizer="adamw"))[2].notes)


def test_snippets_refuse_a_missing_racer():
    with pytest.raises(ValueError, match="index"):
        snippets(config(), index=1)


# ----------------------------------------------------------------------------------------------------------
# Lesson 10's data surface: the snippets draw the engine's data (their runs: test_codegen_run.py)


def test_regression_formula_draws_the_engine_data():
    params = (("n_train", 12), ("noise", 0.4), ("seed", 3))
    surface = engine.regression.regression(**dict(params))
    cfg = replace(default_config(), surface="regression", surface_params=params, x0=0.0, y0=0.0, steps=120,
                  optimizers=(OptimizerConfig.default("adamw", lr=0.05),))
    for w, b in [(0.0, 0.0), (1.3, -0.2), (2.5, 1.1)]:
        assert neutral_value(formula(cfg), w, b) == pytest.approx(float(surface.value(np.array([w, b]))), rel=1e-12)


def test_optax_notes_say_only_what_is_true_of_momentum():
    """optax.sgd is trace-then-lr, torch's order: no momentum note; optax.rmsprop's lr-then-trace is rebuilt."""
    cfg = config(optimizer="momentum", lr="0.02", schedule="step", step_size="20")
    assert not any("momentum" in n for n in snippets(cfg)[2].notes)
    rms = snippets(config(optimizer="rmsprop", momentum="0.5", schedule="step", step_size="20"))[2]
    assert "torch_rmsprop(" in rms.code and any("torch's order" in n for n in rms.notes)


def test_a_mini_batch_run_is_not_called_exact_and_says_its_code_uses_the_full_batch():
    from lab.codegen import EXACT, snippets
    from lab.config import parse_query
    config, notices = parse_query({"surface": "regression", "optimizer": "sgd", "lr": "0.1", "batch": "4"})
    assert notices == [] and config.batch == 4
    for snippet in snippets(config):
        assert EXACT not in snippet.notes and EXACT.split(":")[0] not in snippet.code
        assert any("mini-batches of 4" in note and "full-batch gradient" in note for note in snippet.notes)
