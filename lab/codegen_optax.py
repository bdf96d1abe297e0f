"""One racer of a Playground setup as JAX + Optax code (float64).

As close as Optax allows to the engine's torch.optim run; every place it differs from torch is listed in the
snippet's ``notes``.  Where Optax has no exact built-in schedule, the snippet carries the schedule's closed
form as ``lr_at(step)``; plateau is ``optax.contrib.reduce_on_plateau``.  See ``codegen`` for the PyTorch
snippet and the overview.
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
    race_notes,
)
from .config import RunConfig

__all__ = ["optax_snippet"]


def _optax_schedule(config: RunConfig, lr: float) -> tuple[str | None, bool]:
    """(an optax schedule expression or None for a constant lr, whether it needs lr_at)."""
    p = dict(config.schedule_params)
    warm, factor, name = int(p["warmup_steps"]), p["warmup_start_factor"], config.schedule
    exact = {
        "step": lambda: call("optax.exponential_decay", init_value=lr, transition_steps=p["step_size"],
                             decay_rate=p["gamma"], staircase=True),
        "exponential": lambda: call("optax.exponential_decay", init_value=lr, transition_steps=1,
                                    decay_rate=p["gamma"]),
        "multistep": lambda: call("optax.piecewise_constant_schedule", init_value=lr,
                                  boundaries_and_scales=Code(str({m: p["gamma"] for m in p["milestones"]}))),
        "linear": lambda: call("optax.linear_schedule", init_value=lr * p["start_factor"],
                               end_value=lr * p["end_factor"], transition_steps=p["total_iters"]),
        "polynomial": lambda: call("optax.polynomial_schedule", init_value=lr, end_value=0.0, power=p["power"],
                                   transition_steps=p["total_iters"]),
    }
    if name == "cosine" and config.steps <= warm + p["T_max"]:  # past T_max torch's cosine rises again, optax's not
        exact["cosine"] = lambda: call("optax.cosine_decay_schedule", init_value=lr, decay_steps=p["T_max"],
                                       alpha=p["eta_min"] / lr)
    if name in ("constant", "plateau") and not warm:
        return None, False
    if name not in exact and name not in ("constant", "plateau"):
        return "lambda count: lr_at(int(count))", True
    main = exact[name]() if name in exact else literal(float(lr))
    if not warm:
        return main, False
    if name in ("constant", "plateau"):
        main = f"optax.constant_schedule({literal(float(lr))})"
    ramp = call("optax.linear_schedule", init_value=lr * factor, end_value=lr, transition_steps=warm)
    return f"optax.join_schedules([{ramp}, {main}], boundaries=[{warm}])", False


# torch's rules composed from optax transforms, where optax's own optimizer differs: written into the snippet
TORCH_RULES = {
    "sgd": '''def torch_sgd(learning_rate, momentum, dampening, nesterov):
    """torch.optim.SGD: b <- momentum * b + (1 - dampening) * g, with b = g at the first step; then the lr."""
    damp = optax.scale_by_schedule(lambda count: jnp.where(count == 0, 1.0, 1 - dampening))
    return optax.chain(damp, optax.trace(decay=momentum, nesterov=nesterov),
                       optax.scale_by_learning_rate(learning_rate))
''',
    "adagrad": '''def torch_adagrad(learning_rate, lr_decay, initial_accumulator_value, eps):
    """torch.optim.Adagrad: optax's scale_by_rss, and torch's lr / (1 + (t - 1) * lr_decay) at step t."""
    return optax.chain(optax.scale_by_rss(initial_accumulator_value=initial_accumulator_value, eps=eps),
                       optax.scale_by_schedule(lambda count: 1 / (1 + count * lr_decay)),
                       optax.scale_by_learning_rate(learning_rate))
''',
    "rmsprop": '''def torch_rmsprop(learning_rate, decay, eps, centered, momentum):
    """torch.optim.RMSprop: g / (sqrt(v) + eps), the momentum trace, then the lr (optax.rmsprop: lr, then trace)."""
    rms = optax.scale_by_stddev if centered else optax.scale_by_rms
    return optax.chain(rms(decay=decay, eps=eps, eps_in_sqrt=False), optax.trace(decay=momentum),
                       optax.scale_by_learning_rate(learning_rate))
''',
}


def _optax_optimizer(name: str, hyper: dict[str, Any], rate: str) -> tuple[str, str]:
    """(the source of a torch_* rule the call needs or "", the optimizer call)."""
    lr = Code(rate)
    if name in ("sgd", "momentum", "nesterov"):
        if hyper["momentum"] and hyper["dampening"]:
            return TORCH_RULES["sgd"], call("torch_sgd", learning_rate=lr, momentum=hyper["momentum"],
                                            dampening=hyper["dampening"], nesterov=hyper["nesterov"])
        return "", call("optax.sgd", learning_rate=lr, momentum=hyper["momentum"], nesterov=hyper["nesterov"])
    if name == "adagrad":
        args = dict(initial_accumulator_value=hyper["initial_accumulator_value"], eps=hyper["eps"])
        if hyper["lr_decay"]:
            return TORCH_RULES["adagrad"], call("torch_adagrad", learning_rate=lr, lr_decay=hyper["lr_decay"], **args)
        return "", call("optax.adagrad", learning_rate=lr, **args)
    if name == "rmsprop":
        args = dict(learning_rate=lr, decay=hyper["alpha"], eps=hyper["eps"], centered=hyper["centered"],
                    momentum=hyper["momentum"])
        if hyper["momentum"]:
            return TORCH_RULES["rmsprop"], call("torch_rmsprop", **args)
        return "", call("optax.rmsprop", eps_in_sqrt=False, **args)
    b1, b2 = hyper["betas"]
    if name == "adamw" and hyper["amsgrad"]:
        return "", ("optax.chain(" + call("optax.scale_by_amsgrad", b1=b1, b2=b2, eps=hyper["eps"]) + ", "
                    + call("optax.add_decayed_weights", weight_decay=hyper["weight_decay"]) + ", "
                    + call("optax.scale_by_learning_rate", learning_rate=lr) + ")")
    if name == "adamw":
        return "", call("optax.adamw", learning_rate=lr, b1=b1, b2=b2, eps=hyper["eps"],
                        weight_decay=hyper["weight_decay"])
    return "", call("optax.amsgrad" if hyper["amsgrad"] else "optax.adam", learning_rate=lr, b1=b1, b2=b2,
                    eps=hyper["eps"])


def _plateau(config: RunConfig, lr: float) -> str:
    """optax.contrib.reduce_on_plateau with torch's ReduceLROnPlateau rule: it reduces when its count of bad
    steps reaches patience, torch when it exceeds it, hence patience + 1."""
    p = dict(config.schedule_params)
    rel = p["threshold_mode"] == "rel"
    return call("optax.contrib.reduce_on_plateau", factor=p["factor"], patience=p["patience"] + 1,
                rtol=p["threshold"] if rel else 0.0, atol=0.0 if rel else p["threshold"],
                cooldown=p["cooldown"], min_scale=p["min_lr"] / lr)


def optax_snippet(config: RunConfig, index: int = 0) -> Snippet:
    """The racer ``index`` in JAX + Optax (float64), updated with ``opt.update`` / ``optax.apply_updates``."""
    opt = config.optimizers[index]
    hyper, lr = opt.kwargs(), opt.lr
    schedule, needs_lr_at = _optax_schedule(config, lr)
    l2, noisy, plateau = l2_decay(config, index), config.noise > 0, config.schedule == "plateau"
    rule, core = _optax_optimizer(opt.name, hyper, "schedule" if schedule else literal(float(lr)))
    parts = [*([call("optax.add_decayed_weights", weight_decay=l2)] if l2 else []), core,
             *(["plateau"] if plateau else [])]
    chain = parts[0] if len(parts) == 1 else "optax.chain(" + ", ".join(parts) + ")"
    warm = int(dict(config.schedule_params)["warmup_steps"])
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
        *f_source(formula(config), "optax", "jnp.asarray"),
        *([*rule.splitlines(), "", ""] if rule else []),
        *(lr_at_lines(config, lr) if needs_lr_at else []),
        *([f"schedule = {schedule}"] if schedule else []),
        *([f"plateau = {_plateau(config, lr)}"] if plateau else []),
        f"opt = {chain}",
        f"p = jnp.array([{literal(float(config.x0))}, {literal(float(config.y0))}])",
        "state = opt.init(p)",
        "loss_and_grad = jax.jit(jax.value_and_grad(lambda q: f(q[0], q[1])))",
        "update = opt.update  # not jitted: lr_at is plain Python" if needs_lr_at else "update = jax.jit(opt.update)",
        *([f"rng = np.random.default_rng({config.seed})"] if noisy else []),
        "path = [p]",
        f"for step in range({config.steps}):",
        "    loss, g = loss_and_grad(p)",
        *([f"    g = g + {literal(float(config.noise))} * rng.standard_normal(2)"] if noisy else []),
        *([f"    if step <= {warm}:  # torch's rule first sees the loss after step {warm + 1}:",
           "        # until then, a fresh plateau state and a value that always counts as better",
           "        state, loss = (*state[:-1], plateau.init(p)), jnp.finfo(jnp.float64).max"] if plateau else []),
        "    updates, state = update(g, state, p" + (", value=loss)" if plateau else ")"),
        "    p = optax.apply_updates(p, updates)",
        "    path.append(p)",
        "path = jnp.stack(path)  # (steps + 1, 2): the path drawn on the map",
    ]
    notes = framework_notes(opt.name, hyper, "Optax")
    if opt.name == "rmsprop":
        notes.append("optax.rmsprop adds eps inside the square root by default; eps_in_sqrt=False (optax >= 0.2.3) "
                     "puts it after, as torch. Its decay default is 0.9 (torch's alpha 0.99): set here.")
        if hyper["momentum"]:
            notes.append("optax.rmsprop applies the lr before its momentum trace, torch after it (the paths differ "
                         "under a schedule): torch_rmsprop composes the transforms in torch's order.")
    if needs_lr_at:
        notes.append("Optax has no exact built-in for this schedule: lr_at(step) is torch's closed form "
                     "(plain Python, so opt.update is not jitted here; rewrite it with jnp to jit it).")
    if plateau:
        notes.append("optax.contrib.reduce_on_plateau scales the updates and reduces when its count of bad steps "
                     "reaches patience (torch: exceeds it, hence patience + 1 here); torch's rule sees the loss "
                     "after each step, which the next step's update receives here.")
        if dict(config.schedule_params)["mode"] == "max":
            notes.append("optax.contrib.reduce_on_plateau only minimises: mode='max' is not reproduced.")
    return Snippet("Optax", "\n".join(lines) + "\n", tuple([*notes, *race_notes(config)]))
