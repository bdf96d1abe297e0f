"""A lesson's start point from the keyboard: the Playground's pair of start inputs (``inputs.start_controls``)
bound to the same state as a click on the lesson's map (``lesson_controls.pick_start``) and a link's x0/y0.

The start lives in one session-state key, ``lessons.controls.widget_key`` of the lesson's "start" control, as
(surface, x0, y0): a click, a link or these inputs write it.  The inputs keep their own widget keys, so each
run first tells who moved last: numbers that differ from what the inputs were last shown were typed (they
become the start); otherwise the inputs are set to the start in use (after a click, a link, a change of
surface or "Back to the preset").  Both ways a start is a point of the map: the inputs stay in its view, as a
click and a link's start do.
"""

from __future__ import annotations

import streamlit as st

from lab.config import RunConfig
from lab.runs import get_surface
from lessons.base import Control
from lessons.controls import apply, widget_key

from .inputs import start_controls

__all__ = ["lesson_start"]


def lesson_start(slug: str, control: Control, config: RunConfig) -> RunConfig:
    """``config`` with the lesson's start (picked, linked or typed on this surface; else ``config``'s own),
    after drawing the start inputs that show it and take a typed one."""
    key = widget_key(slug, control)
    prefix = f"{slug}.start{control.index}."
    shown_key = f"{prefix}shown"  # (surface, x0, y0) the inputs were set to by the last run
    picked = st.session_state.get(key)
    if picked is not None and picked[0] == config.surface:
        config = apply(config, control, picked[1:])
    shown = st.session_state.get(shown_key)
    typed = (st.session_state.get(f"{prefix}x0"), st.session_state.get(f"{prefix}y0"))
    if shown is not None and shown[0] == config.surface and None not in typed and typed != shown[1:]:
        st.session_state[key] = (config.surface, *typed)  # as a click stores it
        config = apply(config, control, typed)
    else:
        st.session_state[f"{prefix}x0"], st.session_state[f"{prefix}y0"] = config.x0, config.y0
    x0, y0 = start_controls(prefix, get_surface(config.surface_key), in_view=True)
    st.session_state[shown_key] = (config.surface, x0, y0)
    return apply(config, control, (x0, y0))
