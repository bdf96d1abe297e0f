"""The one set of URL-bound widget groups, used by the Playground, the lessons and the tools.  Each returns
its values; every group takes a key ``prefix`` so pages never share state; ``views.widgets.url_state.seed_state``
writes a whole ``RunConfig`` (from an opened link) into those keys and the groups read it back.  Widgets are
created without ``value=``: the session-state key is filled first (``setdefault``), which keeps Streamlit
from warning about two sources of a value.

Keys (after the prefix): ``surface``, ``expr``, ``s.<slug>.<param>``, ``n_opt``, ``opt<i>``,
``h<i>.<optimizer>.<param>``, ``lr<i>``, ``schedule``, ``c.<schedule>.<param>``, ``steps``, ``noise``,
``seed``, ``x0``, ``y0``.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from typing import Any

import streamlit as st

import engine
from engine.expressions import MAX_LENGTH
from engine.params import Param
from lab.config import (
    CUSTOM,
    LR_GRID,
    LR_PARAM,
    MAX_OPTIMIZERS,
    RUN_PARAMS,
    OptimizerConfig,
    Pairs,
    RunConfig,
    format_lr,
    start_param,
)
from lab.outcome import escape_markdown
from lab.runs import curvature_at, get_surface, racer_name, scrub_racer

from .lr_scrubber import lr_scrubber

__all__ = [
    "ScrubOf", "choice_input", "lr_options", "lr_select", "lr_slider", "lr_value", "optimizer_controls", "param_input",
    "racer_choice", "reset_start", "run_controls", "schedule_controls", "start_controls", "surface_controls",
]

SAMPLE_EXPRESSION = "x**2 + 3*y**2 + sin(3*x)"  # what the f(x, y) box holds when "typed" is first picked
ScrubOf = Callable[[RunConfig, int, tuple[float, ...]], dict | None]  # (config, racer, lr grid) -> the slider's data



def lr_options(current: float | None) -> list[float]:
    """The slider's values: the log grid, plus ``current`` when a link asked for a value between steps."""
    if current is None or current in LR_GRID:
        return list(LR_GRID)
    return sorted({*LR_GRID, float(current)})


# ----------------------------------------------------------------------------------------------------------
# One parameter -> one widget


def param_input(param: Param, key: str, label: str | None = None) -> Any:
    """A widget for one schema entry; returns the checked value (the default, with a warning, if invalid)."""
    label = label or param.name
    help_ = param.help or None
    if param.kind == "bool":
        st.session_state.setdefault(key, bool(param.default))
        return st.checkbox(label, key=key, help=help_)
    if param.kind == "choice":
        st.session_state.setdefault(key, param.default)
        return st.selectbox(label, param.choices, key=key, help=help_)
    if param.kind == "pair":
        cols = st.columns(2)
        with cols[0]:
            a = _number(param, f"{key}.0", f"{label}[0]", param.default[0])
        with cols[1]:
            b = _number(param, f"{key}.1", f"{label}[1]", param.default[1])
        return _checked(param, (a, b))
    if param.kind == "ints":
        st.session_state.setdefault(key, ", ".join(str(v) for v in param.default))
        return _checked(param, st.text_input(label, key=key, help=help_))
    return _checked(param, _number(param, key, label, param.default))


def _number(param: Param, key: str, label: str, default: Any) -> Any:
    integer = param.kind == "int"
    cast = int if integer else float
    st.session_state.setdefault(key, default)
    return st.number_input(
        label, key=key, help=param.help or None, format=None if integer else "%g",
        min_value=None if param.low is None else cast(param.low),
        max_value=None if param.high is None else cast(param.high),
        step=1 if integer else _float_step(default),
    )


def _float_step(default: Any) -> float:
    magnitude = abs(float(default)) if default else 0.0
    if magnitude == 0.0:
        return 0.01
    return float(f"1e{int(f'{magnitude:e}'.split('e')[1]) - 1}")


def _checked(param: Param, value: Any) -> Any:
    try:
        return param.check(value) if value is not None else None
    except ValueError as err:
        st.warning(f"{err}; using {param.default}", icon="⚠️")
        return param.default


# ----------------------------------------------------------------------------------------------------------
# Groups


def surface_names() -> dict[str, str]:
    """slug -> display name, in registry order, then the typed-expression entry."""
    return {**{slug: f.title for slug, f in engine.SURFACES.items()}, CUSTOM: "Type your own f(x, y)"}


def reset_start(prefix: str) -> Callable[[], None]:
    """The on_change of a surface select: a new surface starts from its own default start point (when it
    can be built)."""
    def reset() -> None:
        slug = st.session_state[f"{prefix}surface"]
        expression = st.session_state.get(f"{prefix}expr", SAMPLE_EXPRESSION) if slug == CUSTOM else ""
        params = () if slug == CUSTOM else tuple((p.name, p.default) for p in engine.SURFACES[slug].params)
        try:
            start = get_surface((slug, params, expression)).start
        except ValueError:
            return
        st.session_state[f"{prefix}x0"], st.session_state[f"{prefix}y0"] = float(start[0]), float(start[1])
    return reset


def surface_controls(prefix: str, on_change: Callable[[], None] | None = None) -> tuple[str, Pairs, str]:
    """Surface select, its parameters, and the expression box for ``custom``: (slug, params, expression)."""
    names = surface_names()
    slug = st.selectbox("Surface", list(names), key=f"{prefix}surface", format_func=names.get,
                        on_change=on_change)
    if slug == CUSTOM:
        st.session_state.setdefault(f"{prefix}expr", SAMPLE_EXPRESSION)
        expression = st.text_input("f(x, y) =", key=f"{prefix}expr", max_chars=MAX_LENGTH,
                                   help="x, y, numbers, + − * / **, sin, cos, exp, log, sqrt, abs, …")
        return CUSTOM, (), expression
    params = tuple((p.name, param_input(p, f"{prefix}s.{slug}.{p.name}")) for p in engine.SURFACES[slug].params)
    return slug, params, ""


def optimizer_controls(prefix: str, i: int) -> OptimizerConfig:
    """Racer i's optimizer and hyper-parameters (lr comes from ``lr_slider``; it is set to the default here)."""
    names = list(engine.OPTIMIZERS)
    st.session_state.setdefault(f"{prefix}opt{i}", names[0])
    name = st.selectbox(f"Optimizer {i + 1}", names, key=f"{prefix}opt{i}",
                        format_func=lambda n: engine.OPTIMIZERS[n].title)
    spec = [p for p in engine.OPTIMIZERS[name].params if p.name != "lr"]
    shown = engine.OPTIMIZERS[name].title
    with st.expander(f"{shown} settings (torch defaults)"):
        hyper = {p.name: param_input(p, f"{prefix}h{i}.{name}.{p.name}") for p in spec}
    try:  # each value is in range, but torch refuses some together (nesterov needs momentum > 0)
        engine.optimizer(name, **hyper)
    except ValueError as err:  # said outside the expander, so it shows while the expander is closed
        st.warning(f"These {shown} settings cannot run together: {escape_markdown(err)}. The run uses "
                   f"{shown}'s defaults until they can.", icon="⚠️")
        hyper = {}
    return OptimizerConfig.default(name).with_values(**hyper)


def optimizer_count(prefix: str) -> int:
    st.session_state.setdefault(f"{prefix}n_opt", 1)
    return int(st.number_input("Optimizers racing", min_value=1, max_value=MAX_OPTIMIZERS, step=1,
                               key=f"{prefix}n_opt", help="race up to four optimizers from the same start"))


def lr_value(prefix: str, i: int) -> float:
    """Racer i's learning rate (its live slider writes it when the thumb is released)."""
    return float(st.session_state.setdefault(f"{prefix}lr{i}", LR_PARAM.default))


def lr_select(prefix: str, i: int, label: str = "Learning rate") -> float:
    """A plain log-scale learning-rate slider (1e-5 … 10, ten readable steps per decade) that reruns on release:
    for pages with no precomputed path to show while it is dragged (the tools)."""
    key = f"{prefix}lr{i}"
    st.session_state.setdefault(key, LR_PARAM.default)
    return float(st.select_slider(label, options=lr_options(st.session_state[key]), key=key,
                                  format_func=format_lr, help=LR_PARAM.help))


def lr_slider(key: str, value_key: str, config: RunConfig, i: int, label: str, charts: Mapping[str, str],
              options: Sequence[float] | None = None,
              scrub_of: ScrubOf | None = scrub_racer) -> None:
    """Racer i's live learning-rate slider (``views.widgets.lr_scrubber``) under ``key``: log scale over
    ``options`` (default: 1e-5 … 10, ten readable steps per decade), the 1/L and 2/L marks of the start point.
    Dragging it swaps into the page's ``charts`` (role -> element key, ``lr_scrubber``) what the server draws
    for the lr under the thumb: ``scrub_of(config, i, options)`` (the Playground's ``scrub_racer`` by default;
    None: it only commits).  Releasing it writes the lr
    to ``value_key``."""
    lr = config.optimizers[i].lr
    options = list(options) if options is not None else lr_options(lr)
    one, two = engine.theory.thresholds(curvature_at(config.surface_key, config.start)[0])
    marks = [(at, text) for at, text in ((one, "1/L"), (two, "2/L")) if math.isfinite(at) and at > 0]

    def commit(value: float) -> None:
        st.session_state[value_key] = value

    scrub = scrub_of(config, i, tuple(options)) if scrub_of is not None else None
    scrub_id = hashlib.blake2b(repr((config.with_lr(i, options[0]), i, options)).encode(), digest_size=8).hexdigest()
    lr_scrubber(key, label, options, lr, [format_lr(v) for v in options], marks, commit, scrub, charts, i, scrub_id)


def choice_input(label: str, options: Sequence, key: str, format_func: Callable[[Any], str],
                 named: bool = False) -> Any:
    """One of ``options``: radio buttons for a few of them or for ``named`` ones (names, not points on a
    scale), else a slider over them (the key already holds one)."""
    if named or len(options) <= 4:
        return st.radio(label, options, key=key, horizontal=True, format_func=format_func)
    return st.select_slider(label, options, key=key, format_func=format_func)


def racer_choice(label: str, config: RunConfig, key: str) -> int:
    """Which racer of ``config`` (its index; 0 when only one races), from radio buttons that name each racer
    without its lr (``lab.runs.racer_name``): a name that changed with each lr commit left the browser's radio
    with no racer checked."""
    if len(config.optimizers) == 1:
        return 0
    return st.radio(label, range(len(config.optimizers)), format_func=lambda i: racer_name(config, i),
                    horizontal=True, key=key)


def schedule_controls(prefix: str) -> tuple[str, Pairs]:
    """Schedule select and its torch-named parameters."""
    names = list(engine.SCHEDULES)
    st.session_state.setdefault(f"{prefix}schedule", names[0])
    name = st.selectbox("Learning-rate schedule", names, key=f"{prefix}schedule",
                        format_func=lambda n: engine.SCHEDULES[n].title)
    spec = engine.SCHEDULES[name].params
    with st.expander(f"{engine.SCHEDULES[name].title} parameters (torch names)", expanded=name != "constant"):
        params = tuple((p.name, param_input(p, f"{prefix}c.{name}.{p.name}")) for p in spec)
    return name, params


def run_controls(prefix: str, surface: engine.Surface) -> tuple[int, float, int, int]:
    """Steps, gradient noise, seed and, on a loss made of examples, the mini-batch size (fewer than all of
    them; 0 is the full batch); 0 elsewhere."""
    steps, noise, seed, batch = RUN_PARAMS
    values = tuple(param_input(p, f"{prefix}{p.name}", label) for p, label in
                   ((steps, "Steps"), (noise, "Gradient noise (std)"), (seed, "Seed (noise and batches)")))
    if surface.examples is None:
        return (*values, 0)
    fewer = replace(batch, high=surface.examples.count - 1)
    return (*values, param_input(fewer, f"{prefix}batch", f"Mini-batch size (of {surface.examples.count}; 0: all)"))


def start_controls(prefix: str, surface: engine.Surface, in_view: bool = False) -> tuple[float, float]:
    """The start point as two numbers (a click on the map also sets them), side by side where they fit; with
    ``in_view``, only points of the map's view (``surface.bounds``, where a click lands), else within
    ``START_REACH`` half-widths of its centre (``start_param``)."""
    with st.container(horizontal=True):  # one block, where columns would send three on every slider move
        x0, y0 = (float(param_input(_start_schema(name, surface, in_view), f"{prefix}{name}", f"start {name[0]}"))
                  for name in ("x0", "y0"))
    return x0, y0


def _start_schema(name: str, surface: engine.Surface, in_view: bool) -> Param:
    param = start_param(name, surface)
    if not in_view:
        return param
    low, high = surface.bounds[0 if name == "x0" else 1]
    return replace(param, low=float(low), high=float(high))
