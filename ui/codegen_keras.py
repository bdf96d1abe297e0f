"""One racer of a Playground setup as Keras 3 code (TensorFlow backend, for its GradientTape).

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
    momentum_note,
    race_notes,
)
from .config import RunConfig

__all__ = ["KERAS_OPTIMIZERS", "keras_snippet"]

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
        return call(f"{s}.CosineDecay", **kwargs), notes
    if warm or name in ("constant", "cyclic", "onecycle", "plateau"):
        return None, []
    if name == "step":
        return call(f"{s}.ExponentialDecay", initial_learning_rate=lr, decay_steps=p["step_size"],
                    decay_rate=p["gamma"], staircase=True), []
    if name == "exponential":
        return call(f"{s}.ExponentialDecay", initial_learning_rate=lr, decay_steps=1, decay_rate=p["gamma"]), []
    if name == "multistep":
        # torch decays at t >= m; Keras' PiecewiseConstantDecay moves on when step > boundary
        milestones = list(p["milestones"])
        return call(f"{s}.PiecewiseConstantDecay", boundaries=[m - 1 for m in milestones],
                    values=[lr * p["gamma"] ** k for k in range(len(milestones) + 1)]), []
    if name == "cosine_restarts":
        return call(f"{s}.CosineDecayRestarts", initial_learning_rate=lr, first_decay_steps=p["T_0"],
                    t_mul=float(p["T_mult"]), m_mul=1.0, alpha=p["eta_min"] / lr), []
    if name == "linear":
        return call(f"{s}.PolynomialDecay", initial_learning_rate=lr * p["start_factor"], decay_steps=p["total_iters"],
                    end_learning_rate=lr * p["end_factor"], power=1.0), []
    return call(f"{s}.PolynomialDecay", initial_learning_rate=lr, decay_steps=p["total_iters"],
                end_learning_rate=0.0, power=p["power"]), []


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


def keras_snippet(config: RunConfig, index: int = 0) -> Snippet:
    """The racer ``index`` in Keras 3 (TensorFlow backend): keras.optimizers + keras.optimizers.schedules."""
    opt = config.optimizers[index]
    hyper, lr = opt.kwargs(), opt.lr
    schedule, notes = _keras_schedule(config, lr)
    warm = dict(config.schedule_params)["warmup_steps"]
    per_step = schedule is None and config.schedule != "plateau" and (config.schedule != "constant" or bool(warm))
    rate = "schedule" if schedule else ("lr_at(0)" if per_step else literal(float(lr)))
    l2, noisy = l2_decay(config, index), config.noise > 0
    loss = "f(q[0], q[1])" + (f" + {literal(float(l2 / 2))} * ops.sum(q * q)" if l2 else "")
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
        *(lr_at_lines(config, lr) if per_step else []),
        *([f"schedule = {schedule}"] if schedule else []),
        "opt = " + _keras_optimizer(opt.name, hyper, rate),
        f'p = keras.Variable(np.array([{literal(float(config.x0))}, {literal(float(config.y0))}]), dtype="float64")',
        f"gradient = jax.grad(lambda q: {loss})" + ("  # + torch's L2 weight decay" if l2 else ""),
        *([f"rng = np.random.default_rng({config.seed})"] if noisy else []),
        "path = [p.numpy()]",
        f"for step in range({config.steps}):",
        *(["    opt.learning_rate = lr_at(step)"] if per_step else []),
        "    g = gradient(p.value)" + (f" + {literal(float(config.noise))} * rng.standard_normal(2)" if noisy else ""),
        "    opt.apply_gradients([(g, p)])",
        "    path.append(p.numpy())",
        "path = np.stack(path)  # (steps + 1, 2): the path drawn on the map",
    ]
    notes = [*notes, *framework_notes(opt.name, hyper, "Keras"), *momentum_note(config, index, "Keras")]
    if per_step:
        notes.append("Keras has no built-in for this schedule: lr_at(step) is torch's closed form, set each step.")
    if config.schedule == "plateau":
        skipped = " (and skips the warm-up)" if warm else ""
        notes.append("Keras' ReduceLROnPlateau is a callback for model.fit (monitor, factor, patience, min_delta, "
                     f"cooldown, min_lr); this custom loop keeps the lr constant{skipped}.")
    return Snippet("Keras", "\n".join(lines) + "\n", tuple([*notes, *race_notes(config)]))
