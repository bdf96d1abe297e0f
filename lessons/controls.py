"""The lessons' controls as pure functions: what each ``Control`` offers, shows and does to a RunConfig.

``views.widgets.lesson_controls`` draws them as widgets; the functions here are tested without a browser.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import numpy as np

import engine
from lab.config import LR_PARAM, OptimizerConfig, RunConfig, default_config, format_lr

from .base import Control

__all__ = ["apply", "current_value", "label_of", "lr_grid", "options_for", "schedule_pairs", "widget_key"]


def lr_grid(lo: float, hi: float, per_decade: int = 24, extra=()) -> tuple[float, ...]:
    """Learning rates from ``lo`` to ``hi``, ``per_decade`` per factor of ten, rounded to two significant
    digits (so labels read well), plus ``extra`` values; sorted, without duplicates."""
    lo, hi = max(lo, LR_PARAM.low), min(hi, LR_PARAM.high)
    k = np.arange(np.floor(np.log10(lo) * per_decade), np.ceil(np.log10(hi) * per_decade) + 1)
    values = [float(f"{v:.2g}") for v in 10.0 ** (k / per_decade)] + [float(f"{v:.3g}") for v in extra]
    return tuple(sorted({v for v in values if lo <= v <= hi}))


def schedule_pairs(name: str, given) -> tuple[tuple[str, Any], ...]:
    """Every parameter of schedule ``name`` in schema order, ``given`` values over the defaults."""
    given = dict(given)
    return tuple((p.name, given.get(p.name, p.default)) for p in engine.SCHEDULES[name].params)


def apply(config: RunConfig, control: Control, value: Any) -> RunConfig:
    """The config with ``control`` set to ``value``."""
    opts = list(config.optimizers)
    if control.kind == "lr":
        return config.with_lr(control.index, float(value))
    if control.kind == "hyper":
        opts[control.index] = opts[control.index].with_values(**{control.name: value})
        return replace(config, optimizers=tuple(opts))
    if control.kind == "optimizer":
        if opts[control.index].name != value:
            opts[control.index] = OptimizerConfig.default(value, lr=opts[control.index].lr)
        return replace(config, optimizers=tuple(opts))
    if control.kind == "surface":
        if value == config.surface:
            return config
        fresh = default_config(value)
        return replace(config, surface=value, surface_params=fresh.surface_params, x0=fresh.x0, y0=fresh.y0)
    if control.kind == "surface_param":
        params = tuple((k, value if k == control.name else v) for k, v in config.surface_params)
        return replace(config, surface_params=params)
    if control.kind == "schedule":
        return replace(config, schedule=value, schedule_params=schedule_pairs(value, control.schedules.get(value, {})))
    if control.kind == "start":
        return replace(config, x0=float(value[0]), y0=float(value[1]))
    return replace(config, **{control.kind: value})


def widget_key(slug: str, control: Control) -> str:
    return f"{slug}.{control.kind}.{control.index}.{control.name}"


def current_value(config: RunConfig, control: Control) -> Any:
    """The value ``control`` shows for ``config`` (the preset's value on first render)."""
    opt = config.optimizers[min(control.index, len(config.optimizers) - 1)]
    return {
        "lr": lambda: opt.lr,
        "hyper": lambda: dict(opt.hyper).get(control.name),
        "optimizer": lambda: opt.name,
        "surface": lambda: config.surface,
        "surface_param": lambda: dict(config.surface_params).get(control.name),
        "schedule": lambda: config.schedule,
        "noise": lambda: config.noise,
        "steps": lambda: config.steps,
        "seed": lambda: config.seed,
        "batch": lambda: config.batch,
    }[control.kind]()


def options_for(control: Control, current: Any, wanted: Any = None) -> tuple:
    """The values ``control`` offers: its options and the preset's ``current`` value; for a learning rate
    also ``wanted`` (a link's value, kept exactly as the Playground keeps off-grid values) when in range."""
    if control.kind == "lr":
        lo, hi, *extra = control.options or (LR_PARAM.low, LR_PARAM.high)
        return lr_grid(lo, hi, extra=(*extra, current, *([wanted] if isinstance(wanted, float) else [])))
    options = tuple(control.options)
    return options if current in options else (*options, current)


def label_of(control: Control, value: Any) -> str:
    if control.kind == "optimizer":
        return engine.OPTIMIZERS[value].title
    if control.kind == "surface":
        return engine.SURFACES[value].title
    if control.kind == "lr":
        return format_lr(value)
    if control.kind == "schedule":
        return control.names.get(value) or engine.SCHEDULES[value].title
    if control.kind == "batch" and value == 0:
        return "all"
    if isinstance(value, float):
        return f"{value:.3g}"
    return str(value)
