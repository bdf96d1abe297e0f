"""The bridge to real code: one racer of a Playground setup as PyTorch, Keras and Optax snippets.

Each snippet is complete: it defines the surface's f(x, y) (``codegen_math``), builds the optimizer with
every hyper-parameter written out (never a framework default: Keras' and Optax's defaults differ from
torch's, REFERENCE.md), the schedule, and a loop of ``config.steps`` steps from the config's start.

* PyTorch is an **exact equivalent** of the engine's run: the engine implements torch.optim's update rules
  and torch.optim.lr_scheduler's schedules, so the snippet's path is the engine's to rounding (a test runs
  it against ``engine.simulate``).  Warm-up is ``SequentialLR([LinearLR, main], milestones=[w])``;
  CyclicLR/OneCycleLR get ``cycle_momentum=False`` (the engine does not schedule momentum); plateau is
  ``ReduceLROnPlateau`` stepped with the loss at the new point; gradient noise is drawn as the engine draws it.
* Keras 3 (JAX backend: jax.grad for the gradient, Keras' optimizer for the update) and JAX + Optax, both
  float64, take torch's path too wherever the library allows it: Optax composes torch's order from its
  transforms (``torch_rmsprop``, ``torch_sgd``, ``torch_adagrad``), Keras' momentum is rescaled each step
  under a changing lr.  Where a framework has no exact built-in schedule, the snippet carries the schedule's
  closed form as ``lr_at(step)``.  What still differs (Keras' Nesterov under a changing lr and its plateau,
  Optax's AMSGrad) is in the snippet's ``notes`` with its measured size (``codegen_snippet.MEASURED_GAPS``);
  tests/lab/test_codegen_run.py runs every framework's snippets against the engine.

The PyTorch snippet and ``snippets`` (all three) are written here, Keras in ``codegen_keras``, Optax in
``codegen_optax``; ``codegen_snippet`` holds the ``Snippet`` type and the source-writing helpers they share.
"""

from __future__ import annotations

import textwrap

from .codegen_keras import keras_snippet
from .codegen_math import formula
from .codegen_optax import optax_snippet
from .codegen_snippet import Snippet, call, f_source, literal, race_notes
from .config import RunConfig

__all__ = ["EXACT", "Snippet", "keras_snippet", "optax_snippet", "pytorch_snippet", "snippets"]

EXACT = ("This PyTorch code is an exact equivalent of the run above: Descent Lab's engine implements "
         "torch.optim's update rules and torch.optim.lr_scheduler's schedules, so it traces the same path "
         "(to rounding).")

# Class names in torch.optim and torch.optim.lr_scheduler (code to write, not display names: a page shows
# engine.OPTIMIZERS[slug].title / engine.SCHEDULES[slug].title).
TORCH_OPTIMIZERS = {"sgd": "SGD", "momentum": "SGD", "nesterov": "SGD", "adagrad": "Adagrad", "rmsprop": "RMSprop",
                    "adam": "Adam", "adamw": "AdamW"}
TORCH_SCHEDULES = {"step": "StepLR", "multistep": "MultiStepLR", "exponential": "ExponentialLR",
                   "cosine": "CosineAnnealingLR", "cosine_restarts": "CosineAnnealingWarmRestarts",
                   "cyclic": "CyclicLR", "onecycle": "OneCycleLR", "linear": "LinearLR", "polynomial": "PolynomialLR",
                   "plateau": "ReduceLROnPlateau"}


def _torch_scheduler(config: RunConfig) -> tuple[list[str], list[str]]:
    """(lines that build the scheduler, lines in the loop after opt.step())."""
    p = {k: list(v) if k == "milestones" else v for k, v in config.schedule_params}
    warm, factor = int(p.pop("warmup_steps")), p.pop("warmup_start_factor")
    name = config.schedule
    sched = "torch.optim.lr_scheduler"
    warmup = call(f"{sched}.LinearLR", "opt", start_factor=factor, end_factor=1.0, total_iters=warm)
    if name == "constant":
        return ([f"scheduler = {warmup}"], ["    scheduler.step()"]) if warm else ([], [])
    if name in ("cyclic", "onecycle"):
        p["cycle_momentum"] = False
    main = call(f"{sched}.{TORCH_SCHEDULES[name]}", "opt", **p)
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
    header = EXACT if not config.batch else race_notes(config)[-1]
    lines = [
        *textwrap.wrap(header, 100, initial_indent="# ", subsequent_indent="# "),
        "import math",
        "",
        *(["import numpy as np"] if noisy or form.prelude else []),
        "import torch",
        "",
        *f_source(form, "torch", "torch.from_numpy"),
        f"p = torch.tensor([{literal(float(config.x0))}, {literal(float(config.y0))}], dtype=torch.float64,"
        " requires_grad=True)",
        "opt = " + call(f"torch.optim.{TORCH_OPTIMIZERS[opt.name]}", "[p]", **opt.kwargs()),
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
    notes = [*([] if config.batch else [EXACT]), *race_notes(config)]
    if config.schedule == "onecycle" and config.steps > int(dict(config.schedule_params)["warmup_steps"]) + \
            dict(config.schedule_params)["total_steps"]:
        notes.append("OneCycleLR raises after total_steps; like the engine, the loop holds its final lr after that.")
    return Snippet("PyTorch", "\n".join(lines) + "\n", tuple(notes))


def snippets(config: RunConfig, index: int = 0) -> tuple[Snippet, Snippet, Snippet]:
    """PyTorch, Keras and Optax code for racer ``index`` of ``config``."""
    if not 0 <= index < len(config.optimizers):
        raise ValueError(f"index must be between 0 and {len(config.optimizers) - 1}, got {index!r}")
    return pytorch_snippet(config, index), keras_snippet(config, index), optax_snippet(config, index)
