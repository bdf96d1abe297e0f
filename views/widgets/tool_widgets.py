"""Widgets the tool pages share: surface and start in the sidebar, seeded from the page's URL once."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

import streamlit as st

import engine
from engine.params import Param
from lab.config import CUSTOM, RunConfig
from lab.outcome import escape_markdown
from lab.runs import get_surface

from . import inputs as w

__all__ = ["range_inputs", "reset_start", "seed_once", "surface_and_start", "sync_url", "tool_state"]


def reset_start(prefix: str) -> Callable[[], None]:
    """The on_change of a surface select: a new surface starts from its own default start point (when it
    can be built)."""
    def reset() -> None:
        slug = st.session_state[f"{prefix}surface"]
        expression = st.session_state.get(f"{prefix}expr", w.SAMPLE_EXPRESSION) if slug == CUSTOM else ""
        params = () if slug == CUSTOM else tuple((p.name, p.default) for p in engine.SURFACES[slug].params)
        try:
            start = get_surface((slug, params, expression)).start
        except ValueError:
            return
        st.session_state[f"{prefix}x0"], st.session_state[f"{prefix}y0"] = float(start[0]), float(start[1])
    return reset


def surface_and_start(prefix: str, run: RunConfig) -> RunConfig | None:
    """``run`` with the surface and start chosen in the widgets; None, with the error shown, when a typed
    f(x, y) cannot be used."""
    st.subheader("Surface")
    slug, params, expression = key = w.surface_controls(prefix, on_change=reset_start(prefix))
    try:
        surface = get_surface(key)
    except ValueError as err:
        st.error(f"Cannot use this f(x, y): {escape_markdown(err)}")
        return None
    x0, y0 = w.start_controls(prefix, surface)
    return replace(run, surface=slug, surface_params=params, expression=expression, x0=x0, y0=y0)


def seed_once(prefix: str, run: RunConfig, query: dict[str, str], extra: dict) -> None:
    """Put the URL's config into the widget keys when the URL is not the one this page last wrote (a link
    was opened), so the widgets own the state between reruns."""
    if st.session_state.get(f"{prefix}seeded") != query:
        w.seed_state(prefix, run, overwrite=True)
        st.session_state.update({f"{prefix}{k}": v for k, v in extra.items()})
        st.session_state[f"{prefix}seeded"] = query


def sync_url(prefix: str, query: dict[str, str]) -> None:
    """The address bar follows the page's state (remembered, so the next rerun does not seed again)."""
    if st.query_params.to_dict() != query:
        st.query_params.from_dict(query)
    st.session_state[f"{prefix}seeded"] = query


def range_inputs(prefix: str, spec: tuple[Param, ...], fallback) -> dict:
    """An input per parameter of ``spec`` (its first two a low and a high end); when low >= high, a warning
    and ``fallback``'s values (the link's)."""
    values = {p.name: w.param_input(p, f"{prefix}{p.name}") for p in spec}
    low, high = spec[0].name, spec[1].name
    if values[low] < values[high]:
        return values
    st.warning(f"{low} must be below {high}: using the link's values.", icon="⚠️")
    return {p.name: getattr(fallback, p.name) for p in spec}


def tool_state(prefix: str, parse: Callable, write: Callable, spec: tuple[Param, ...], controls: Callable):
    """A tool page's config: read from the URL by ``parse`` (its notices shown), put into the widgets when the
    URL is new, taken from the widgets by ``controls`` and written back to the URL by ``write``.  Stops the
    page (with the error shown) when ``controls`` returns None."""
    url_config, notices = parse(st.query_params.to_dict())
    w.link_notice(notices)
    seed_once(prefix, url_config.run, write(url_config), {p.name: getattr(url_config, p.name) for p in spec})
    config = controls(url_config)
    if config is None:
        st.stop()
    sync_url(prefix, write(config))
    return config
