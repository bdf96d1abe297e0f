"""The bridge to real code: one racer of a Playground setup as PyTorch, Keras and Optax snippets.

Each snippet is complete: it defines the surface's f(x, y) (``codegen_math``), builds the optimizer with
every hyper-parameter written out (never a framework default: Keras' and Optax's defaults differ from
torch's, REFERENCE.md), the schedule, and a loop of ``config.steps`` steps from the config's start.

* PyTorch is an **exact equivalent** of the engine's run: the engine implements torch.optim's update rules
  and torch.optim.lr_scheduler's schedules, so the snippet's path is the engine's to rounding (a test runs
  it against ``engine.simulate``).  Warm-up is ``SequentialLR([LinearLR, main], milestones=[w])``;
  CyclicLR/OneCycleLR get ``cycle_momentum=False`` (the engine does not schedule momentum); plateau is
  ``ReduceLROnPlateau`` stepped with the loss at the new point; gradient noise is drawn as the engine draws it.
* Keras 3 (TensorFlow backend, for its GradientTape) and Optax are as close as those libraries allow; every
  place they differ from torch is listed in the snippet's ``notes``.  Where a framework has no exact
  built-in schedule, the snippet carries the schedule's closed form as ``lr_at(step)``.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass
from typing import Any

from .codegen_math import Formula, _number, formula, lr_source, to_framework
from .config import RunConfig

__all__ = ["EXACT", "Snippet", "keras_snippet", "optax_snippet", "pytorch_snippet", "snippets"]

EXACT = ("This PyTorch code is an exact equivalent of the run above: Descent Lab's engine implements "
         "torch.optim's update rules and torch.optim.lr_scheduler's schedules, so it traces the same path "
         "(to rounding).")

TORCH_OPTIMIZERS = {"sgd": "SGD", "momentum": "SGD", "nesterov": "SGD", "adagrad": "Adagrad", "rmsprop": "RMSprop",
                    "adam": "Adam", "adamw": "AdamW"}
TORCH_SCHEDULES = {"step": "StepLR", "multistep": "MultiStepLR", "exponential": "ExponentialLR",
                   "cosine": "CosineAnnealingLR", "cosine_restarts": "CosineAnnealingWarmRestarts",
                   "cyclic": "CyclicLR", "onecycle": "OneCycleLR", "linear": "LinearLR", "polynomial": "PolynomialLR",
                   "plateau": "ReduceLROnPlateau"}


@dataclass(frozen=True)
class Snippet:
    """A framework's code for one racer and the notes on where its conventions differ from torch's."""

    framework: str
    code: str
    notes: tuple[str, ...]


def literal(value: Any) -> str:
    """Python source of a hyper-parameter value."""
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return repr(value)
    if isinstance(value, (tuple, list)):
        inner = ", ".join(literal(v) for v in value)
        return f"({inner})" if isinstance(value, tuple) else f"[{inner}]"
    if isinstance(value, float):
        return repr(value)
    return _number(value)


class _Code(str):
    """A keyword value that is already source code (written as is by ``_call``)."""


def _literal_or_code(value: Any) -> str:
    return str(value) if isinstance(value, _Code) else literal(value)


def _call(func: str, *args: str, **kwargs: Any) -> str:
    """``func(args..., name=value, ...)``: args are code, values are written by ``literal`` unless _Code."""
    return f"{func}({', '.join([*args, *(f'{k}={_literal_or_code(v)}' for k, v in kwargs.items())])})"


def _f_source(form: Formula, framework: str, convert: str) -> list[str]:
    """The prelude (data as the framework's tensors) and ``def f(x, y)``."""
    lines = list(form.prelude)
    if form.data:
        names = ", ".join(form.data)
        lines.append(f"{names} = {', '.join(f'{convert}({d})' for d in form.data)}")
    if lines:
        lines.append("")
    comment = f"  # {form.comment}" if form.comment else ""
    return [*lines, "", f"def f(x, y):{comment}", f"    return {to_framework(form.expr, framework)}", "", ""]


def _notes_common(config: RunConfig) -> list[str]:
    return [f"Other racers: pick one with index=… ({len(config.optimizers)} in this race)."] \
        if len(config.optimizers) > 1 else []


# ----------------------------------------------------------------------------------------------------------
# PyTorch


def _torch_scheduler(config: RunConfig) -> tuple[list[str], list[str]]:
    """(lines that build the scheduler, lines in the loop after opt.step())."""
    p = {k: list(v) if k == "milestones" else v for k, v in config.schedule_params}
    warm, factor = int(p.pop("warmup_steps")), p.pop("warmup_start_factor")
    name = config.schedule
    sched = "torch.optim.lr_scheduler"
    warmup = _call(f"{sched}.LinearLR", "opt", start_factor=factor, end_factor=1.0, total_iters=warm)
    if name == "constant":
        return ([f"scheduler = {warmup}"], ["    scheduler.step()"]) if warm else ([], [])
    if name in ("cyclic", "onecycle"):
        p["cycle_momentum"] = False
    main = _call(f"{sched}.{TORCH_SCHEDULES[name]}", "opt", **p)
    if name == "plateau":
        step = ["    with torch.no_grad():",
                "        scheduler.step(f(p[0], p[1]).item())  # the loss at the new point"]
        if not warm:
            return [f"scheduler = {main}"], step
        return ([f"warmup = {warmup}", f"scheduler = {main}"],
                [f"    if step < {warm}:", "        warmup.step()", "    else:", *("    " + s for s in step)])
    if not warm:
        build = [f"scheduler = {main}"]
    else:  # main first: CyclicLR/OneCycleLR set the lr the warm-up then starts from (the engine's lr_0)
        build = [f"main = {main}", f"warmup = {warmup}",
                 f"scheduler = {sched}.SequentialLR(opt, [warmup, main], milestones=[{warm}])"]
    if name == "onecycle" and config.steps > warm + p["total_steps"]:
        stop = warm + p["total_steps"] - 1
        return build, [f"    if step < {stop}:  # OneCycleLR ends at total_steps; the lr stays at its last value",
                       "        scheduler.step()"]
    return build, ["    scheduler.step()"]


def pytorch_snippet(config: RunConfig, index: int = 0) -> Snippet:
    """The racer ``index`` of ``config`` in PyTorch: torch.optim + torch.optim.lr_scheduler, float64."""
    opt = config.optimizers[index]
    form = formula(config)
    build, step = _torch_scheduler(config)
    noisy = config.noise > 0
    lines = [
        *textwrap.wrap(EXACT, 100, initial_indent="# ", subsequent_indent="# "),
        "import math",
        "",
        *(["import numpy as np"] if noisy or form.prelude else []),
        "import torch",
        "",
        *_f_source(form, "torch", "torch.from_numpy"),
        f"p = torch.tensor([{literal(float(config.x0))}, {literal(float(config.y0))}], dtype=torch.float64,"
        " requires_grad=True)",
        "opt = " + _call(f"torch.optim.{TORCH_OPTIMIZERS[opt.name]}", "[p]", **opt.kwargs()),
        *build,
        *([f"rng = np.random.default_rng({config.seed})  # gradient noise, drawn as the engine draws it"]
          if noisy else []),
        "path = [p.detach().clone()]",
        f"for step in range({config.steps}):",
        "    opt.zero_grad()",
        "    f(p[0], p[1]).backward()",
        *([f"    p.grad += {literal(float(config.noise))} * torch.from_numpy(rng.standard_normal(2))"]
          if noisy else []),
        "    opt.step()",
        *step,
        "    path.append(p.detach().clone())",
        "path = torch.stack(path)  # (steps + 1, 2): the path drawn on the map",
    ]
    notes = [EXACT, *_notes_common(config)]
    if config.schedule == "onecycle" and config.steps > int(dict(config.schedule_params)["warmup_steps"]) + \
            dict(config.schedule_params)["total_steps"]:
        notes.append("OneCycleLR raises after total_steps; like the engine, the loop holds its final lr after that.")
    return Snippet("PyTorch", "\n".join(lines) + "\n", tuple(notes))


# ----------------------------------------------------------------------------------------------------------
# Shared by Keras and Optax: weight decay written as torch's L2 term, schedules with no exact built-in


def _l2(config: RunConfig, index: int) -> float:
    """torch's coupled weight decay (an L2 term on the gradient) for every optimizer but AdamW."""
    opt = config.optimizers[index]
    return 0.0 if opt.name == "adamw" else float(opt.kwargs().get("weight_decay", 0.0))


def _momentum_note(config: RunConfig, index: int, framework: str) -> list[str]:
    opt = config.optimizers[index]
    mu = float(opt.kwargs().get("momentum", 0.0))
    if mu == 0 or config.schedule == "constant" and not dict(config.schedule_params)["warmup_steps"]:
        return []
    form = "v ← μ·v − lr·g, θ ← θ + v" if framework == "Keras" else "the lr is applied before the momentum trace"
    return [f"{framework}'s momentum puts the learning rate inside the velocity ({form}); torch's is "
            "b ← μ·b + g, θ ← θ − lr·b. The paths agree at a constant learning rate but differ under a "
            "schedule, as here."]


def _lr_at_lines(config: RunConfig, lr: float) -> list[str]:
    source = lr_source(config, lr)
    return [*source.splitlines(), "", ""] if source else []


# ----------------------------------------------------------------------------------------------------------
# Keras 3

KERAS_OPTIMIZERS = {"sgd": "SGD", "momentum": "SGD", "nesterov": "SGD", "adagrad": "Adagrad", "rmsprop": "RMSprop",
                    "adam": "Adam", "adamw": "AdamW"}


def _keras_schedule(config: RunConfig, lr: float) -> tuple[str | None, list[str]]:
    """(a keras.optimizers.schedules call or None, notes).  None: use lr_at(step) each step (or a constant)."""
    p = dict(config.schedule_params)
    warm, factor = int(p["warmup_steps"]), p["warmup_start_factor"]
    s = "keras.optimizers.schedules"
    name = config.schedule
    if name == "cosine":
        kwargs = dict(initial_learning_rate=lr, decay_steps=p["T_max"], alpha=p["eta_min"] / lr)
        if warm:
            kwargs.update(initial_learning_rate=lr * factor, warmup_target=lr, warmup_steps=warm)
        notes = ([f"Keras' CosineDecay stays at eta_min after decay_steps; torch's cosine rises again after "
                  f"T_max = {p['T_max']} steps (this run has {config.steps})."] if config.steps > warm + p["T_max"]
                 else [])
        return _call(f"{s}.CosineDecay", **kwargs), notes
    if warm or name in ("constant", "cyclic", "onecycle", "plateau"):
        return None, []
    if name == "step":
        return _call(f"{s}.ExponentialDecay", initial_learning_rate=lr, decay_steps=p["step_size"],
                     decay_rate=p["gamma"], staircase=True), []
    if name == "exponential":
        return _call(f"{s}.ExponentialDecay", initial_learning_rate=lr, decay_steps=1, decay_rate=p["gamma"]), []
    if name == "multistep":
        # torch decays at t >= m; Keras' PiecewiseConstantDecay moves on when step > boundary
        milestones = list(p["milestones"])
        return _call(f"{s}.PiecewiseConstantDecay", boundaries=[m - 1 for m in milestones],
                     values=[lr * p["gamma"] ** k for k in range(len(milestones) + 1)]), []
    if name == "cosine_restarts":
        return _call(f"{s}.CosineDecayRestarts", initial_learning_rate=lr, first_decay_steps=p["T_0"],
                     t_mul=float(p["T_mult"]), m_mul=1.0, alpha=p["eta_min"] / lr), []
    if name == "linear":
        return _call(f"{s}.PolynomialDecay", initial_learning_rate=lr * p["start_factor"], decay_steps=p["total_iters"],
                     end_learning_rate=lr * p["end_factor"], power=1.0), []
    return _call(f"{s}.PolynomialDecay", initial_learning_rate=lr, decay_steps=p["total_iters"],
                 end_learning_rate=0.0, power=p["power"]), []


def _keras_optimizer(name: str, hyper: dict[str, Any], rate: str) -> str:
    o = f"keras.optimizers.{KERAS_OPTIMIZERS[name]}"
    lr = _Code(rate)
    if name in ("sgd", "momentum", "nesterov"):
        return _call(o, learning_rate=lr, momentum=hyper["momentum"], nesterov=hyper["nesterov"])
    if name == "adagrad":
        return _call(o, learning_rate=lr, initial_accumulator_value=hyper["initial_accumulator_value"],
                     epsilon=hyper["eps"])
    if name == "rmsprop":
        return _call(o, learning_rate=lr, rho=hyper["alpha"], momentum=hyper["momentum"], epsilon=hyper["eps"],
                     centered=hyper["centered"])
    beta_1, beta_2 = hyper["betas"]
    extra = {"weight_decay": hyper["weight_decay"]} if name == "adamw" else {}
    return _call(o, learning_rate=lr, **extra, beta_1=beta_1, beta_2=beta_2, epsilon=hyper["eps"],
                 amsgrad=hyper["amsgrad"])


def _framework_notes(name: str, hyper: dict[str, Any], framework: str) -> list[str]:
    """Where this optimizer's rule in Keras or Optax differs from torch's."""
    notes = []
    if name == "adagrad":
        notes.append(f"{framework}'s Adagrad adds eps inside the square root (g / √(s + eps)); torch after it "
                     "(g / (√s + eps)). Its defaults differ too (initial accumulator 0.1, eps 1e-7): set here to "
                     "torch's.")
        if hyper["lr_decay"]:
            notes.append(f"torch's Adagrad lr_decay has no {framework} equivalent: it is left out here.")
    if name == "rmsprop" and framework == "Keras":
        notes.append("Keras' RMSprop adds epsilon inside the square root (g / √(v + ε)); torch after it "
                     "(g / (√v + ε)). Keras' defaults are rho 0.9, epsilon 1e-7: set here to torch's.")
    if name in ("adam", "adamw") and framework == "Keras":
        notes.append("Keras' Adam adds epsilon to √v before the bias correction (the paper's ε̂); torch adds it "
                     "after. The difference is of the size of epsilon. Keras' epsilon default is 1e-7: set here to "
                     "torch's.")
    if name == "adamw" and framework == "Keras":
        notes.append("Keras' AdamW weight_decay default is 0.004, torch's 0.01: set here explicitly.")
    if name == "adamw" and framework == "Optax":
        notes.append("optax.adamw's weight_decay default is 1e-4, torch's 0.01: set here explicitly.")
    if name in ("adam", "adamw") and hyper["amsgrad"] and framework == "Optax":
        notes.append("Optax's AMSGrad keeps the maximum of the bias-corrected v; torch the maximum of the raw v "
                     "(then corrects it). Paths differ slightly in the first steps.")
    if float(hyper.get("dampening", 0.0)):
        notes.append(f"{framework} has no SGD dampening: it is left out here (torch: b ← μ·b + (1 − τ)·g).")
    if name != "adamw" and float(hyper.get("weight_decay", 0.0)):
        notes.append("torch's weight_decay is an L2 term added to the gradient (g + λθ); "
                     + ("Keras' weight_decay is decoupled, so the snippet adds λ/2·‖θ‖² to the loss instead."
                        if framework == "Keras" else "optax.add_decayed_weights before the optimizer does the same."))
    return notes


def keras_snippet(config: RunConfig, index: int = 0) -> Snippet:
    """The racer ``index`` in Keras 3 (TensorFlow backend): keras.optimizers + keras.optimizers.schedules."""
    opt = config.optimizers[index]
    hyper, lr = opt.kwargs(), opt.lr
    schedule, notes = _keras_schedule(config, lr)
    warm = dict(config.schedule_params)["warmup_steps"]
    per_step = schedule is None and config.schedule != "plateau" and (config.schedule != "constant" or bool(warm))
    rate = "schedule" if schedule else ("lr_at(0)" if per_step else literal(float(lr)))
    l2, noisy = _l2(config, index), config.noise > 0
    loss = "f(p[0], p[1])" + (f" + {literal(float(l2 / 2))} * ops.sum(p * p)  # torch's L2 weight decay" if l2 else "")
    lines = [
        "import math",
        "import os",
        "",
        'os.environ["KERAS_BACKEND"] = "tensorflow"  # the loop takes gradients with tf.GradientTape',
        "import keras  # noqa: E402",
        "import numpy as np  # noqa: E402",
        "import tensorflow as tf  # noqa: E402",
        "from keras import ops  # noqa: E402",
        "",
        *_f_source(formula(config), "keras", "ops.convert_to_tensor"),
        *(_lr_at_lines(config, lr) if per_step else []),
        *([f"schedule = {schedule}"] if schedule else []),
        "opt = " + _keras_optimizer(opt.name, hyper, rate),
        f'p = keras.Variable(np.array([{literal(float(config.x0))}, {literal(float(config.y0))}]), dtype="float64")',
        *([f"rng = np.random.default_rng({config.seed})"] if noisy else []),
        "path = [p.numpy().copy()]",
        f"for step in range({config.steps}):",
        *(["    opt.learning_rate = lr_at(step)"] if per_step else []),
        "    with tf.GradientTape() as tape:",
        f"        loss = {loss}",
        "    grads = tape.gradient(loss, [p])",
        *([f"    grads = [grads[0] + {literal(float(config.noise))} * rng.standard_normal(2)]"] if noisy else []),
        "    opt.apply_gradients(zip(grads, [p]))",
        "    path.append(p.numpy().copy())",
    ]
    notes = [*notes, *_framework_notes(opt.name, hyper, "Keras"), *_momentum_note(config, index, "Keras")]
    if per_step:
        notes.append("Keras has no built-in for this schedule: lr_at(step) is torch's closed form, set each step.")
    if config.schedule == "plateau":
        skipped = " (and skips the warm-up)" if warm else ""
        notes.append("Keras' ReduceLROnPlateau is a callback for model.fit (monitor, factor, patience, min_delta, "
                     f"cooldown, min_lr); this custom loop keeps the lr constant{skipped}.")
    return Snippet("Keras", "\n".join(lines) + "\n", tuple([*notes, *_notes_common(config)]))


# ----------------------------------------------------------------------------------------------------------
# Optax


def _optax_schedule(config: RunConfig, lr: float) -> tuple[str | None, bool]:
    """(an optax schedule expression or None for a constant lr, whether it needs lr_at)."""
    p = dict(config.schedule_params)
    warm, factor, name = int(p["warmup_steps"]), p["warmup_start_factor"], config.schedule
    exact = {
        "step": lambda: _call("optax.exponential_decay", init_value=lr, transition_steps=p["step_size"],
                              decay_rate=p["gamma"], staircase=True),
        "exponential": lambda: _call("optax.exponential_decay", init_value=lr, transition_steps=1,
                                     decay_rate=p["gamma"]),
        "multistep": lambda: _call("optax.piecewise_constant_schedule", init_value=lr,
                                   boundaries_and_scales=_Code(str({m: p["gamma"] for m in p["milestones"]}))),
        "cosine": lambda: _call("optax.cosine_decay_schedule", init_value=lr, decay_steps=p["T_max"],
                                alpha=p["eta_min"] / lr),
        "linear": lambda: _call("optax.linear_schedule", init_value=lr * p["start_factor"],
                                end_value=lr * p["end_factor"], transition_steps=p["total_iters"]),
        "polynomial": lambda: _call("optax.polynomial_schedule", init_value=lr, end_value=0.0, power=p["power"],
                                    transition_steps=p["total_iters"]),
    }
    if name in ("constant", "plateau") and not warm:
        return None, False
    if name not in exact and name not in ("constant", "plateau"):
        return "lambda count: lr_at(int(count))", True
    main = exact[name]() if name in exact else literal(float(lr))
    if not warm:
        return main, False
    if name in ("constant", "plateau"):
        main = f"optax.constant_schedule({literal(float(lr))})"
    ramp = _call("optax.linear_schedule", init_value=lr * factor, end_value=lr, transition_steps=warm)
    return f"optax.join_schedules([{ramp}, {main}], boundaries=[{warm}])", False


def _optax_optimizer(name: str, hyper: dict[str, Any], rate: str) -> str:
    lr = _Code(rate)
    if name in ("sgd", "momentum", "nesterov"):
        return _call("optax.sgd", learning_rate=lr, momentum=hyper["momentum"], nesterov=hyper["nesterov"])
    if name == "adagrad":
        return _call("optax.adagrad", learning_rate=lr, initial_accumulator_value=hyper["initial_accumulator_value"],
                     eps=hyper["eps"])
    if name == "rmsprop":
        return _call("optax.rmsprop", learning_rate=lr, decay=hyper["alpha"], eps=hyper["eps"], eps_in_sqrt=False,
                     centered=hyper["centered"], momentum=hyper["momentum"])
    b1, b2 = hyper["betas"]
    if name == "adamw" and hyper["amsgrad"]:
        return ("optax.chain(" + _call("optax.scale_by_amsgrad", b1=b1, b2=b2, eps=hyper["eps"]) + ", "
                + _call("optax.add_decayed_weights", weight_decay=hyper["weight_decay"]) + ", "
                + _call("optax.scale_by_learning_rate", rate) + ")")
    if name == "adamw":
        return _call("optax.adamw", learning_rate=lr, b1=b1, b2=b2, eps=hyper["eps"],
                     weight_decay=hyper["weight_decay"])
    return _call("optax.amsgrad" if hyper["amsgrad"] else "optax.adam", learning_rate=lr, b1=b1, b2=b2,
                 eps=hyper["eps"])


def optax_snippet(config: RunConfig, index: int = 0) -> Snippet:
    """The racer ``index`` in JAX + Optax (float64), updated with ``opt.update`` / ``optax.apply_updates``."""
    opt = config.optimizers[index]
    hyper, lr = opt.kwargs(), opt.lr
    schedule, needs_lr_at = _optax_schedule(config, lr)
    core = _optax_optimizer(opt.name, hyper, "schedule" if schedule else literal(float(lr)))
    l2, noisy, plateau = _l2(config, index), config.noise > 0, config.schedule == "plateau"
    parts = ([_call("optax.add_decayed_weights", weight_decay=l2)] if l2 else []) + [core]
    if plateau:
        p = dict(config.schedule_params)
        rel = p["threshold_mode"] == "rel"
        parts.append(_call("optax.contrib.reduce_on_plateau", factor=p["factor"], patience=p["patience"],
                           rtol=p["threshold"] if rel else 0.0, atol=0.0 if rel else p["threshold"],
                           cooldown=p["cooldown"], min_scale=p["min_lr"] / lr))
    chain = parts[0] if len(parts) == 1 else "optax.chain(" + ", ".join(parts) + ")"
    lines = [
        "import math",
        "",
        "import jax",
        "",
        'jax.config.update("jax_enable_x64", True)  # float64, as the engine',
        "import jax.numpy as jnp  # noqa: E402",
        "import numpy as np  # noqa: E402",
        "import optax  # noqa: E402",
        "",
        *_f_source(formula(config), "optax", "jnp.asarray"),
        *(_lr_at_lines(config, lr) if needs_lr_at else []),
        *([f"schedule = {schedule}"] if schedule else []),
        f"opt = {chain}",
        f"p = jnp.array([{literal(float(config.x0))}, {literal(float(config.y0))}])",
        "state = opt.init(p)",
        "loss_and_grad = jax.value_and_grad(lambda q: f(q[0], q[1]))",
        *([f"rng = np.random.default_rng({config.seed})"] if noisy else []),
        "path = [p]",
        f"for step in range({config.steps}):",
        "    loss, g = loss_and_grad(p)",
        *([f"    g = g + {literal(float(config.noise))} * rng.standard_normal(2)"] if noisy else []),
        "    updates, state = opt.update(g, state, p" + (", value=loss)" if plateau else ")"),
        "    p = optax.apply_updates(p, updates)",
        "    path.append(p)",
    ]
    notes = [*_framework_notes(opt.name, hyper, "Optax"), *_momentum_note(config, index, "Optax")]
    if opt.name == "rmsprop":
        notes.append("optax.rmsprop adds eps inside the square root by default; eps_in_sqrt=False (optax >= 0.2.3) "
                     "puts it after, as torch. Its decay default is 0.9 (torch's alpha 0.99): set here.")
    if needs_lr_at:
        notes.append("Optax has no exact built-in for this schedule: lr_at(step) is torch's closed form "
                     "(plain Python: keep the loop un-jitted, or rewrite it with jnp).")
    if config.schedule == "cosine" and config.steps > dict(config.schedule_params)["T_max"]:
        notes.append("optax.cosine_decay_schedule stays at the floor after decay_steps; torch's cosine rises again "
                     "after T_max.")
    if plateau:
        notes.append("optax.contrib.reduce_on_plateau scales the updates, sees the loss before the step (torch: "
                     "after it), and counts patience from its own first call: close to, not exactly, torch's "
                     "ReduceLROnPlateau.")
    return Snippet("Optax", "\n".join(lines) + "\n", tuple([*notes, *_notes_common(config)]))


def snippets(config: RunConfig, index: int = 0) -> tuple[Snippet, Snippet, Snippet]:
    """PyTorch, Keras and Optax code for racer ``index`` of ``config``."""
    if not 0 <= index < len(config.optimizers):
        raise ValueError(f"index must be between 0 and {len(config.optimizers) - 1}, got {index!r}")
    return pytorch_snippet(config, index), keras_snippet(config, index), optax_snippet(config, index)
