"""What the Tools pages share: reading their address into the widgets (with the notice for bad values),
the controls, writing the address back, and the Playground link a click on a map asks for.

Widget keys follow ``views.widgets.inputs`` (``surface``, ``opt0``, ``lr0``, ``h0.<optimizer>.momentum``, ``schedule``,
``x0``, ``y0``) after the page's prefix, plus the tool's own keys by name.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import streamlit as st

import engine
from lab.config import DISPLAY_NAMES, OptimizerConfig, RunConfig, default_config
from lab.tool_links import BASIN_LRS, Tool, read_tool, tool_query

from . import inputs as w
from .tool_widgets import reset_start

__all__ = ["open_playground_if_asked", "seed_tool", "sync_tool_url", "tool_controls"]


def open_playground_if_asked(prefix: str) -> None:
    """A click on the map stored the Playground's query: go there now (before anything is drawn)."""
    query = st.session_state.pop(f"{prefix}open", None)
    if query is not None:
        st.switch_page("views/playground.py", query_params=query)


def seed_tool(prefix: str, tool: Tool) -> None:
    """On a first visit, or when the address is not the one this page last wrote (a link was opened): put
    the address's state into the widgets and show a notice for what of it could not be used."""
    query = st.query_params.to_dict()
    if st.session_state.get(f"{prefix}query") == query:
        return
    config, own, notices = read_tool(tool, query)
    w.seed_state(prefix, config, overwrite=True)
    for name, value in own.items():
        st.session_state[f"{prefix}{name}"] = value
    st.session_state[f"{prefix}notices"] = notices


def _reset_start(prefix: str) -> None:
    """A new surface starts from its own start point (``tool_widgets.reset_start``) and, on the basin page's
    surfaces, at that surface's two learning rates."""
    reset_start(prefix)()
    slug = st.session_state[f"{prefix}surface"]
    if slug in BASIN_LRS:
        st.session_state[f"{prefix}lr0"], st.session_state[f"{prefix}lr_b"] = BASIN_LRS[slug]


def _linked_hyper(prefix: str, name: str) -> dict[str, Any]:
    """The optimizer's other hyper-parameters (dampening, nesterov, weight decay, betas, …) as the opened link
    set them (``seed_state`` put them in the widget keys; the tools have no control for them)."""
    values: dict[str, Any] = {}
    for p in engine.OPTIMIZERS[name].params:
        key = f"{prefix}h0.{name}.{p.name}"
        if p.kind == "pair" and f"{key}.0" in st.session_state:
            values[p.name] = (st.session_state[f"{key}.0"], st.session_state[f"{key}.1"])
        elif key in st.session_state:
            values[p.name] = st.session_state[key]
    return values


def tool_controls(prefix: str, tool: Tool, start: bool) -> RunConfig:
    """Surface, optimizer, learning rate, momentum β (where the optimizer has one) and, with ``start``, the
    start point, in one row; the run they describe (the tool's own keys are read by the page)."""
    w.link_notice(st.session_state.get(f"{prefix}notices", []))
    surfaces = tool.surfaces or tuple(engine.SURFACES)
    optimizers = tool.optimizers or tuple(engine.OPTIMIZERS)
    columns = st.columns([3, 2, 4, 3] + ([2, 2] if start else []))
    with columns[0]:
        slug = st.selectbox("Surface", surfaces, key=f"{prefix}surface", format_func=lambda s: engine.surface(s).name,
                            on_change=_reset_start, args=(prefix,))
    with columns[1]:
        name = st.selectbox("Optimizer", optimizers, key=f"{prefix}opt0", format_func=lambda n: DISPLAY_NAMES.get(n, n))
    with columns[2]:
        lr = w.lr_select(prefix, 0)
    hyper: dict[str, Any] = {"lr": lr}
    key = f"{prefix}h0.{name}.momentum"
    with columns[3]:
        if "momentum" in {p.name for p in engine.OPTIMIZERS[name].params}:
            st.session_state.setdefault(key, 0.0)
            st.session_state[key] = min(float(st.session_state[key]), 0.99)
            hyper["momentum"] = float(st.slider("Momentum β", 0.0, 0.99, step=0.01, key=key))
    surface = engine.surface(slug)
    x0, y0 = float(surface.start[0]), float(surface.start[1])
    if start:
        with columns[4]:
            x0 = float(st.number_input("start x", key=f"{prefix}x0", format="%g", step=0.1))
        with columns[5]:
            y0 = float(st.number_input("start y", key=f"{prefix}y0", format="%g", step=0.1))
    opt = OptimizerConfig.default(name).with_values(**{**_linked_hyper(prefix, name), **hyper})
    try:  # torch refuses some settings together (nesterov needs momentum > 0)
        engine.optimizer(name, **opt.kwargs())
    except ValueError as err:
        default = OptimizerConfig.default(name)
        st.warning(f"These {DISPLAY_NAMES.get(name, name)} settings cannot run together: {w.escape_markdown(err)}. "
                   f"The map uses its defaults (momentum {dict(default.hyper).get('momentum', 0)}).", icon="⚠️")
        opt = default.with_values(lr=lr)
    return replace(default_config(slug, name), optimizers=(opt,), x0=x0, y0=y0,
                   steps=int(st.session_state.get(f"{prefix}steps", tool.defaults["steps"])))


def sync_tool_url(prefix: str, tool: Tool, config: RunConfig, own: dict[str, Any]) -> None:
    """The address follows the page's state (and is remembered, so ``seed_tool`` knows it as this page's)."""
    query = tool_query(tool, config, own)
    st.session_state[f"{prefix}query"] = query
    if st.query_params.to_dict() != query:
        st.query_params.from_dict(query)

