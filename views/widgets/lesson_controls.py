"""The lesson widgets: each ``Control`` becomes one widget that edits the lesson's RunConfig.

Widget keys carry the lesson's slug, so two lessons never share state; ``reset`` forgets them (back to
the preset).  The start point is picked by clicking the map (the Playground's click grid), see
``pick_start``.  What a control offers and does is pure (``lessons.controls``).
"""

from __future__ import annotations

import streamlit as st

from lab.config import RunConfig, clicked_start
from lessons.base import Control
from lessons.controls import apply, current_value, label_of, options_for, widget_key

__all__ = ["pick_start", "render_controls", "reset"]


def render_controls(slug: str, controls: tuple[Control, ...], preset: RunConfig) -> RunConfig:
    """Draw the widgets (in order) and return the config they describe, starting from ``preset``.  A widget
    shows its value in session state (an opened link's, or the student's last choice), else the preset's."""
    config = preset
    for control in controls:
        key = widget_key(slug, control)
        if control.kind == "start":
            picked = st.session_state.get(key)
            if picked is not None and picked[0] == config.surface:
                config = apply(config, control, picked[1:])
            continue
        current = current_value(preset, control)
        options = options_for(control, current, st.session_state.get(key))
        if st.session_state.get(key, current) not in options:
            del st.session_state[key]
        st.session_state.setdefault(key, current)
        if control.kind in ("optimizer", "surface", "schedule") or len(options) <= 4:
            value = st.radio(control.label, options, key=key, horizontal=True,
                             format_func=lambda v, c=control: label_of(c, v))
        else:
            value = st.select_slider(control.label, options, key=key, format_func=lambda v, c=control: label_of(c, v))
        config = apply(config, control, value)
    return config


def pick_start(slug: str, control: Control, surface: str, x: float, y: float) -> None:
    """on_click callback of the map: the clicked grid point (x, y) becomes the start on ``surface``, rounded
    as in the Playground (``clicked_start``; saved in the callback; a start picked on another surface is
    ignored)."""
    st.session_state[widget_key(slug, control)] = (surface, *clicked_start(x, y))


def reset(slug: str) -> None:
    """Forget every widget of lesson ``slug`` and the page's address (the page returns to the preset)."""
    for key in [k for k in st.session_state if isinstance(k, str) and k.startswith(f"{slug}.")]:
        del st.session_state[key]
    st.query_params.clear()
