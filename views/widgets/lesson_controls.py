"""The lesson widgets: each ``Control`` becomes one widget of the shared layer (``views.widgets.inputs``) that
edits the lesson's RunConfig, and the lesson's address follows them (``lessons.links``, read and written
through ``views.widgets.url_state``).

Widget keys carry the lesson's slug, so two lessons never share state; ``reset`` forgets them (back to
the preset).  A learning rate is the Playground's ARIA slider (``inputs.lr_slider``: log scale, 1/L and 2/L
marks, keyboard): while its thumb is dragged the lesson's figures follow it (``live``: the lesson's own scrub
data and chart keys, ``views.widgets.lesson_page.lesson_scrub``), and it commits on release.
The start point is picked by clicking the map (the
Playground's click grid), see ``pick_start``, or typed in the start inputs (``start_inputs``).  What a control
offers and does is pure (``lessons.controls``).
"""

from __future__ import annotations

from collections.abc import Mapping

import streamlit as st

from lab.config import RunConfig, clicked_start, make_surface
from lessons.base import Control, Lesson
from lessons.controls import apply, current_value, label_of, options_for, widget_key
from lessons.links import link_query, read_link

from .inputs import ScrubOf, choice_input, lr_slider
from .start_inputs import lesson_start
from .url_state import link_notice, opened_link, write_address

__all__ = ["pick_start", "read_address", "render_controls", "reset", "write_lesson_address"]


def render_controls(slug: str, controls: tuple[Control, ...], preset: RunConfig,
                    live: tuple[ScrubOf, Mapping[str, str]] | None = None) -> RunConfig:
    """Draw the widgets (in order) and return the config they describe, starting from ``preset``.  A widget
    shows its value in session state (an opened link's, or the student's last choice), else the preset's.
    A learning rate's slider is drawn in its place once every other control is known (its 1/L and 2/L
    marks depend on them, and its live data on the whole config).  ``live``: (the scrub data of a config's racer
    i over an lr grid, the element key of each figure it patches); None: the slider only commits."""
    config = preset
    sliders = []
    for control in controls:
        key = widget_key(slug, control)
        if control.kind == "start":
            config = lesson_start(slug, control, config)
            continue
        current = current_value(preset, control)
        options = options_for(control, current, st.session_state.get(key))
        if st.session_state.get(key, current) not in options:
            del st.session_state[key]
        st.session_state.setdefault(key, current)
        if control.kind == "lr":
            sliders.append((st.container(), control, options))
            value = st.session_state[key]
        else:
            value = choice_input(control.label, options, key, lambda v, c=control: label_of(c, v),
                                 named=control.kind in ("optimizer", "surface", "schedule"))
        config = apply(config, control, value)
    scrub_of, charts = live or (None, {})
    for place, control, options in sliders:
        with place:
            lr_slider(f"{slug}.lrs.{control.index}", widget_key(slug, control), config, control.index,
                      control.label, charts, options, scrub_of=scrub_of)
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


def _address_key(lesson: Lesson) -> str:
    return f"{lesson.slug}.link"  # session_state: the query this page last wrote


def read_address(lesson: Lesson, preset: RunConfig) -> None:
    """A link opened on this page (an address the page did not write itself) sets the lesson's widgets;
    what of it could not be used is said in a notice."""
    query = opened_link(_address_key(lesson))
    if not query:
        return
    values, notices = read_link(lesson.controls, preset, query, lambda s: make_surface(s).bounds)
    for i, control in enumerate(lesson.controls):  # the link's values, the preset's for the rest
        key = widget_key(lesson.slug, control)
        st.session_state.pop(key, None)
        if i in values:
            st.session_state[key] = values[i]
    link_notice(notices, kept="the lesson's own values were kept")


def write_lesson_address(lesson: Lesson, preset: RunConfig, config: RunConfig) -> dict[str, str]:
    """Put the lesson's settings on screen (``lessons.links.link_query``) into the address; returns the query."""
    query = link_query(lesson.controls, preset, config)
    write_address(_address_key(lesson), query)
    return query
