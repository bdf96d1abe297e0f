"""The widgets' tie to the address, shared by every page: a page reads its query with the one codec
(``lab.config``, ``lessons.links``, ``lab.tool_links``, ``lessons.scenes``), puts what it describes into its
widget keys when a link is opened (``opened_link``, ``seed_state``), says what of it could not be used
(``link_notice``), and writes the state on screen back (``write_address``), remembering it, so its own
address is never read again as an opened link.
"""

from __future__ import annotations

from typing import Any

import streamlit as st

import engine
from engine.params import Param
from lab.config import CUSTOM, RunConfig
from lab.outcome import escape_markdown

__all__ = ["link_notice", "opened_link", "seed_state", "write_address"]


def opened_link(key: str) -> dict[str, str] | None:
    """The page's query when it is not the one the page last wrote under session key ``key`` (a link was
    opened, or the page's first run), else None."""
    query = st.query_params.to_dict()
    return None if st.session_state.get(key) == query else query


def write_address(key: str, query: dict[str, str]) -> None:
    """The address bar follows the page's state (remembered under ``key``, so ``opened_link`` knows it)."""
    st.session_state[key] = query
    if st.query_params.to_dict() != query:
        st.query_params.from_dict(query)


DEFAULTS_KEPT = "defaults (or, for a value out of range, the nearest one allowed) were put in their place"


def link_notice(notices: list[str], kept: str = DEFAULTS_KEPT) -> None:
    """One warning listing what of an opened link could not be used (each notice shown as text, never
    Markdown or HTML); nothing when ``notices`` is empty."""
    if notices:
        lines = "\n".join(f"- {escape_markdown(n)}" for n in notices)
        st.warning(f"Some values in this link could not be used, so {kept}:\n\n{lines}", icon="⚠️")


def _param_state(key: str, param: Param, value: Any) -> dict[str, Any]:
    if param.kind == "pair":
        return {f"{key}.0": float(value[0]), f"{key}.1": float(value[1])}
    if param.kind == "ints":
        return {key: ", ".join(str(v) for v in value)}
    return {key: value}


def seed_state(prefix: str, config: RunConfig, overwrite: bool = False) -> None:
    """Put ``config`` into the widget keys of ``views.widgets.inputs`` after ``prefix`` (only keys not already
    set unless ``overwrite``)."""
    values: dict[str, Any] = {f"{prefix}surface": config.surface,
                              f"{prefix}n_opt": len(config.optimizers), f"{prefix}schedule": config.schedule,
                              f"{prefix}steps": config.steps, f"{prefix}noise": config.noise,
                              f"{prefix}seed": config.seed, f"{prefix}batch": config.batch,
                              f"{prefix}x0": config.x0, f"{prefix}y0": config.y0}
    if config.surface == CUSTOM:
        values[f"{prefix}expr"] = config.expression
    values.update({f"{prefix}s.{config.surface}.{name}": value for name, value in config.surface_params})
    for i, opt in enumerate(config.optimizers):
        values[f"{prefix}opt{i}"] = opt.name
        values[f"{prefix}lr{i}"] = opt.lr
        spec = {p.name: p for p in engine.OPTIMIZERS[opt.name].params}
        for name, value in opt.hyper:
            if name != "lr":
                values.update(_param_state(f"{prefix}h{i}.{opt.name}.{name}", spec[name], value))
    spec = {p.name: p for p in engine.SCHEDULES[config.schedule].params}
    for name, value in config.schedule_params:
        values.update(_param_state(f"{prefix}c.{config.schedule}.{name}", spec[name], value))
    for key, value in values.items():
        if overwrite or key not in st.session_state:
            st.session_state[key] = value
