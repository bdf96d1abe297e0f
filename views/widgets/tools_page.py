"""What the four Tools pages share: reading their address into the widgets (``seed_tool``, with the notice for
bad values; ``lab.tool_links`` declares each tool's keys), the controls, writing the address back
(``sync_tool_url``), and the Playground link a click on a map asks for.

Widget keys follow ``views.widgets.inputs`` (``surface``, ``opt0``, ``lr0``, ``h0.<optimizer>.momentum``, ``schedule``,
``x0``, ``y0``) after the page's prefix, plus the tool's own keys by name.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any

import streamlit as st

import engine
from engine.params import Param
from lab.config import OptimizerConfig, RunConfig, default_config
from lab.outcome import escape_markdown
from lab.runs import get_surface
from lab.tool_budget import Fit
from lab.tool_links import BASIN_LRS, Tool, read_tool

from . import inputs
from .url_state import link_notice, opened_link, seed_state, write_address

__all__ = ["budget_notice", "open_playground_if_asked", "range_inputs", "seed_tool", "surface_and_start",
           "sync_tool_url", "tool_controls"]


def open_playground_if_asked(prefix: str) -> None:
    """A click on the map stored the Playground's query: go there now (before anything is drawn)."""
    query = st.session_state.pop(f"{prefix}open", None)
    if query is not None:
        st.switch_page("views/playground.py", query_params=query)


def budget_notice(held: Fit) -> None:
    """When the request was more than the work budget allows (``lab.tool_budget``): what was asked, the budget and
    what runs instead, above the tool's result."""
    if (text := held.notice()) is not None:
        st.info(text, icon=":material/speed:")


def seed_tool(prefix: str, tool: Tool) -> tuple[RunConfig, dict[str, Any]]:
    """The run and the tool's own values the address holds.  On a first visit, or when the address is not the
    one this page last wrote (a link was opened), they are put into the widgets, and what of the link could
    not be used is said in a notice (kept on screen until another link is opened)."""
    query = st.query_params.to_dict()
    config, own, notices = read_tool(tool, query)
    if opened_link(f"{prefix}query") is not None:
        seed_state(prefix, config, overwrite=True)
        st.session_state.update({f"{prefix}{name}": value for name, value in own.items()})
        st.session_state[f"{prefix}notices"] = notices
    link_notice(st.session_state.get(f"{prefix}notices", []))
    return config, own


def sync_tool_url(prefix: str, query: dict[str, str]) -> None:
    """The address follows the page's state (``lab.tool_links.tool_query``; remembered, so ``seed_tool``
    knows it as this page's)."""
    write_address(f"{prefix}query", query)


def surface_and_start(prefix: str, run: RunConfig) -> RunConfig | None:
    """``run`` with the surface and start chosen in the sidebar widgets; None, with the error shown, when a typed
    f(x, y) cannot be used."""
    st.subheader("Surface")
    slug, params, expression = key = inputs.surface_controls(prefix, on_change=inputs.reset_start(prefix))
    try:
        surface = get_surface(key)
    except ValueError as err:
        st.error(f"Cannot use this f(x, y): {escape_markdown(err)}")
        return None
    x0, y0 = inputs.start_controls(prefix, surface)
    return replace(run, surface=slug, surface_params=params, expression=expression, x0=x0, y0=y0)


def range_inputs(prefix: str, spec: tuple[Param, ...], fallback) -> dict:
    """An input per parameter of ``spec`` (its first two a low and a high end); when low >= high, a warning
    and ``fallback``'s values (the link's)."""
    values = {p.name: inputs.param_input(p, f"{prefix}{p.name}") for p in spec}
    low, high = spec[0].name, spec[1].name
    if values[low] < values[high]:
        return values
    st.warning(f"{low} must be below {high}: using the link's values.", icon="⚠️")
    return {p.name: getattr(fallback, p.name) for p in spec}


def _reset_start(prefix: str) -> None:
    """A new surface starts from its own start point (``inputs.reset_start``) and, on the basin page's
    surfaces, at that surface's two learning rates."""
    inputs.reset_start(prefix)()
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


def tool_controls(prefix: str, tool: Tool, start: bool, extra: Callable[[], Any] | None = None) -> RunConfig:
    """Surface, optimizer, learning rate, momentum β (where the optimizer has one), with ``start`` the start
    point, and ``extra`` (a page's own control, drawn in a last column) in one row, so the map below starts high
    on the screen; the run they describe (the tool's own keys are read by the page)."""
    surfaces = tool.surfaces or tuple(engine.SURFACES)
    optimizers = tool.optimizers or tuple(engine.OPTIMIZERS)
    columns = st.columns([3, 2, 4, 3] + ([2, 2] if start else []) + ([4] if extra else []))
    if extra is not None:
        with columns[-1]:
            extra()
    with columns[0]:
        slug = st.selectbox("Surface", surfaces, key=f"{prefix}surface", format_func=lambda s: engine.surface(s).name,
                            on_change=_reset_start, args=(prefix,))
    with columns[1]:
        name = st.selectbox("Optimizer", optimizers, key=f"{prefix}opt0",
                            format_func=lambda n: engine.OPTIMIZERS[n].title)
    with columns[2]:
        lr = inputs.lr_select(prefix, 0)
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
        st.warning(f"These {engine.OPTIMIZERS[name].title} settings cannot run together: {escape_markdown(err)}. "
                   f"The map uses its defaults (momentum {dict(default.hyper).get('momentum', 0)}).", icon="⚠️")
        opt = default.with_values(lr=lr)
    return replace(default_config(slug, name), optimizers=(opt,), x0=x0, y0=y0,
                   steps=int(st.session_state.get(f"{prefix}steps", tool.defaults["steps"])))
