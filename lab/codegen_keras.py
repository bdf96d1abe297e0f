"""One racer of a Playground setup as Keras 3 code (JAX backend: jax.grad for the gradient, float64).

As close as Keras allows to the engine's torch.optim run; every place it differs from torch is listed in the
snippet's ``notes``.  Where Keras has no exact built-in schedule, the snippet carries the schedule's closed
form as ``lr_at(step)`` and sets the lr each step.  See ``codegen`` for the PyTorch snippet and the overview.
"""

from __future__ import annotations

from typing import Any

from .codegen_math import formula
from .codegen_snippet import (
    Code,
    Snippet,
    call,
    f_source,
    framework_notes,
    l2_decay,
    literal,
    lr_at_lines,
    measured,
    momentum_note,
    race_notes,
)
from .config import RunConfig

__all__ = ["KERAS_OPTIMIZERS", "keras_snippet"]

# Class names in keras.optimizers (code to write, not display names: a page shows engine.OPTIMIZERS[slug].title).
KERAS_OPTIMIZERS = {"sgd": "SGD", "momentum": "SGD", "nesterov": "SGD", "adagrad": "Adagrad", "rmsprop": "RMSprop",
                    "adam": "Adam", "adamw": "AdamW"}


def _keras_schedule(config: RunConfig, lr: float) -> str | None:
    """A keras.optimizers.schedules call, or None: use lr_at(step) each step (or a constant)."""
    p = dict(config.schedule_params)
    warm, factor = int(p["warmup_steps"]), p["warmup_start_factor"]
    s = "keras.optimizers.schedules"
    name = config.schedule
    if name == "cosine" and config.steps <= warm + p["T_max"]:  # past T_max torch's cosine rises again, Keras' not
        kwargs = dict(initial_learning_rate=lr, decay_steps=p["T_max"], alpha=p["eta_min"] / lr)
        if warm:
            kwargs.update(initial_learning_rate=lr * factor, warmup_target=lr, warmup_steps=warm)
        return call(f"{s}.CosineDecay", **kwargs)
    if warm or name in ("constant", "cosine", "cyclic", "onecycle", "plateau"):
        return None
    if name == "step":
        return call(f"{s}.ExponentialDecay", initial_learning_rate=lr, decay_steps=p["step_size"],
                    decay_rate=p["gamma"], staircase=True)
    if name == "exponential":
        return call(f"{s}.ExponentialDecay", initial_learning_rate=lr, decay_steps=1, decay_rate=p["gamma"])
    if name == "multistep":
        # torch decays at t >= m; Keras' PiecewiseConstantDecay moves on when step > boundary
        milestones = list(p["milestones"])
        return call(f"{s}.PiecewiseConstantDecay", boundaries=[m - 1 for m in milestones],
                    values=[lr * p["gamma"] ** k for k in range(len(milestones) + 1)])
    if name == "cosine_restarts":
        return call(f"{s}.CosineDecayRestarts", initial_learning_rate=lr, first_decay_steps=p["T_0"],
                    t_mul=float(p["T_mult"]), m_mul=1.0, alpha=p["eta_min"] / lr)
    if name == "linear":
        return call(f"{s}.PolynomialDecay", initial_learning_rate=lr * p["start_factor"], decay_steps=p["total_iters"],
                    end_learning_rate=lr * p["end_factor"], power=1.0)
    return call(f"{s}.PolynomialDecay", initial_learning_rate=lr, decay_steps=p["total_iters"],
                end_learning_rate=0.0, power=p["power"])


def _keras_optimizer(name: str, hyper: dict[str, Any], rate: str) -> str:
    o = f"keras.optimizers.{KERAS_OPTIMIZERS[name]}"
    lr = Code(rate)
    if name in ("sgd", "momentum", "nesterov"):
        return call(o, learning_rate=lr, momentum=hyper["momentum"], nesterov=hyper["nesterov"])
    if name == "adagrad":
        return call(o, learning_rate=lr, initial_accumulator_value=hyper["initial_accumulator_value"],
                    epsilon=hyper["eps"])
    if name == "rmsprop":
        return call(o, learning_rate=lr, rho=hyper["alpha"], momentum=hyper["momentum"], epsilon=hyper["eps"],
                    centered=hyper["centered"])
    beta_1, beta_2 = hyper["betas"]
    extra = {"weight_decay": hyper["weight_decay"]} if name == "adamw" else {}
    return call(o, learning_rate=lr, **extra, beta_1=beta_1, beta_2=beta_2, epsilon=hyper["eps"],
                amsgrad=hyper["amsgrad"])


def _loop_settings(config: RunConfig, index: int, lr_of: str | None) -> tuple[list[str], list[str]]:
    """(lines at the top of each step that set Keras' lr and momentum, lines that scale g) so Keras takes
    torch's steps.  Keras' SGD and RMSprop keep the lr inside the velocity (v ← μ·v + lr·g); torch keeps
    b ← μ·b + g and steps lr·b.  With v = lr_t·b, momentum μ·lr_t/lr_{t−1} at step t gives torch's path
    under any lr.  torch's dampening (1 − τ) is a factor on g from the second step on; Adagrad's lr_decay a
    factor 1/(1 + (t−1)·η) on the lr.  ``lr_of``: "schedule" (a Keras schedule), "lr_at" or None (constant)."""
    opt = config.optimizers[index]
    hyper, lr = opt.kwargs(), opt.lr
    mu = float(hyper.get("momentum", 0.0))
    rate = "lr_at(step)" if lr_of == "lr_at" else literal(float(lr))
    decay = float(hyper.get("lr_decay", 0.0))
    top = []
    if lr_of == "lr_at" or decay:
        top.append(f"    opt.learning_rate = {rate}" + (f" / (1 + step * {literal(decay)})  # torch's lr_decay"
                                                           if decay else ""))
    if lr_of and mu and not hyper.get("nesterov"):
        top += ["    # Keras' velocity holds the lr (lr·b where torch keeps b): rescaled, its steps are torch's",
                f"    opt.momentum = {literal(mu)} * {lr_of}(step) / {lr_of}(step - 1) if step and {lr_of}(step - 1) "
                f"else {literal(mu)}"]
    tau = float(hyper.get("dampening", 0.0)) if mu else 0.0
    scale = [f"    g = g if step == 0 else {literal(1 - tau)} * g  # torch's dampening 1 - τ, from the second step"]
    return top, scale if tau else []


def keras_snippet(config: RunConfig, index: int = 0) -> Snippet:
    """The racer ``index`` in Keras 3 (JAX backend, float64): jax.grad, keras.optimizers, their schedules."""
    opt = config.optimizers[index]
    hyper, lr = opt.kwargs(), opt.lr
    schedule = None if hyper.get("lr_decay") else _keras_schedule(config, lr)  # lr_decay: the lr is set each step
    warm = dict(config.schedule_params)["warmup_steps"]
    has_lr_at = schedule is None and config.schedule != "plateau" and (config.schedule != "constant" or bool(warm))
    rate = "schedule" if schedule else ("lr_at(0)" if has_lr_at else literal(float(lr)))
    top, scale = _loop_settings(config, index, "schedule" if schedule else "lr_at" if has_lr_at else None)
    l2, noisy = l2_decay(config, index), config.noise > 0
    loss = "f(p[0], p[1])" + (f" + {literal(float(l2 / 2))} * ops.sum(p * p)" if l2 else "")
    lines = [
        "import math",
        "import os",
        "",
        'os.environ["KERAS_BACKEND"] = "jax"  # gradients by jax.grad, the update by Keras\' optimizer',
        "import jax  # noqa: E402",
        "",
        'jax.config.update("jax_enable_x64", True)  # float64, as the engine',
        "import keras  # noqa: E402",
        "import numpy as np  # noqa: E402",
        "from keras import ops  # noqa: E402",
        "",
        *f_source(formula(config), "keras", "ops.convert_to_tensor"),
        *(lr_at_lines(config, lr) if has_lr_at else []),
        *([f"schedule = {schedule}"] if schedule else []),
        "opt = " + _keras_optimizer(opt.name, hyper, rate),
        f'p = keras.Variable(np.array([{literal(float(config.x0))}, {literal(float(config.y0))}]), dtype="float64")',
        f"gradient = jax.jit(jax.grad(lambda p: {loss}))" + ("  # + torch's L2 weight decay" if l2 else ""),
        *([f"rng = np.random.default_rng({config.seed})"] if noisy else []),
        "path = [p.numpy()]",
        f"for step in range({config.steps}):",
        *top,
        "    g = gradient(p.value)" + (f" + {literal(float(config.noise))} * rng.standard_normal(2)" if noisy else ""),
        *scale,
        "    opt.apply_gradients([(g, p)])",
        "    path.append(p.numpy())",
        "path = np.stack(path)  # (steps + 1, 2): the path drawn on the map",
    ]
    notes = [*framework_notes(opt.name, hyper, "Keras"), *momentum_note(config, index)]
    if has_lr_at and _keras_schedule(config, lr) is None:
        notes.append("Keras has no built-in for this schedule: lr_at(step) is torch's closed form, set each step.")
    elif has_lr_at:
        notes.append("lr_at(step) is torch's closed form of the schedule, set each step with Adagrad's lr_decay.")
    if config.schedule == "plateau":
        skipped = " (and skips the warm-up)" if warm else ""
        notes.append("Keras' ReduceLROnPlateau is a callback for model.fit (monitor, factor, patience, min_delta, "
                     f"cooldown, min_lr); this custom loop keeps the lr constant{skipped}. "
                     + measured("keras_plateau"))
    return Snippet("Keras", "\n".join(lines) + "\n", tuple([*notes, *race_notes(config)]))
