"""``live_chart``: a Plotly chart that updates in place when its figure changes.

``st.plotly_chart`` derives a chart's identity from its figure, so every new figure (a slider move) remounts the
chart: Plotly.newPlot rebuilds axes, legend, buttons and frames from nothing. This custom component
(``st.components.v2``, no iframe) keeps one graph per key and hands each new figure to Plotly.react, which redraws
only what changed; animation frames, the modebar (PNG download) and the look of Streamlit's theme stay. The figure
is written to JSON by orjson (4x faster than the standard library on the Playground's map; a loaded server writes
one at every page and slider move). Plotly is the copy Streamlit itself ships (``live_chart.js`` explains how it is
found), so nothing extra is downloaded. A click on a point comes back as ``on_click(x, y)``. An animation's
Play/Pause and step scrubber are HTML controls here (Plotly's own are SVG the keyboard cannot reach).

A chart can also ``preload`` other modules of Streamlit's frontend once it is drawn and the browser is idle: the
Playground's map preloads the code highlighter (``CODE_HIGHLIGHTER``, 1.5 MB of JavaScript that takes one to three
seconds of this machine's CPU to run), which its Share dialog's link would otherwise wait for.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import plotly.graph_objects as go
import plotly.io as pio
import streamlit as st

from lab.exports import chart_config
from lab.figure_text import describe
from views.widgets import asset

__all__ = ["CODE_HIGHLIGHTER", "PLOTLY_BUNDLE", "live_chart", "streamlit_module"]


def streamlit_module(name: str) -> str:
    """File name of the module ``name`` (``name.<hash>.js``) in Streamlit's frontend build."""
    build = Path(st.__file__).parent / "static" / "static" / "js"
    found = sorted(build.glob(f"{name}.*.js"))
    if not found:
        raise RuntimeError(f"Streamlit's {name} module was not found in {build}")
    return found[0].name


PLOTLY_BUNDLE = streamlit_module("PlotlyChart")  # the chart module: it carries plotly.js
CODE_HIGHLIGHTER = streamlit_module("StreamlitSyntaxHighlighter")  # what st.code draws with
_COMPONENT = st.components.v2.component(
    "descent_lab.live_chart", js=asset("live_chart.js"), isolate_styles=False,
    css=asset("components.css"))


def live_chart(fig: go.Figure | dict, key: str, name: str | None = None, mode_bar: bool | str = "hover",
               on_click: Callable[[float, float], None] | None = None, defer: bool = False,
               fill: bool = False, preload: tuple[str, ...] = (), alt: str = "") -> None:
    """Draw ``fig`` (a ``go.Figure`` or a plain figure dict such as ``lab.figures_map.map_spec`` gives) under
    ``key`` (the page's element gets the CSS class ``st-key-<key>``), with the Plotly config of
    ``lab.exports.chart_config``: its camera button saves descent-lab-<name>.png (``name`` defaults to ``key``),
    its modebar shows as ``mode_bar`` says (on hover by default: always on, it would cover a legend).

    ``on_click(x, y)`` runs, before the rerun it causes, when the user clicks a point of the figure.
    ``defer``: draw only after the next frame has been painted, so the charts that are not deferred (the
    map the user is watching) are on screen first.  ``fill``: the chart is as tall as the window below its
    top (at least 320 px), whatever height ``fig`` asks for, also after the window is resized.  An animated
    figure's Play/Pause buttons and step slider are drawn as HTML controls (keyboard and screen readers
    reach them; see ``live_chart.js``) in the room its layout reserves for them.  ``fig`` carries its own
    template (Streamlit's default Plotly template holds colour placeholders only st.plotly_chart fills in).
    ``preload``: file names of Streamlit frontend modules (``streamlit_module``) to load once this chart is
    drawn and the browser idle.  ``alt``: what a screen reader should hear first about this chart (the outcome in
    words, key numbers); the figure's own title, axes, legend entries and words follow it."""
    data = {"figure": pio.to_json(fig, validate=False, engine="orjson"), "config": chart_config(name or key, mode_bar),
            "alt": describe(fig, alt),
            "bundle": PLOTLY_BUNDLE, "clickable": on_click is not None, "defer": defer, "fill": fill,
            "preload": list(preload)}
    if on_click is None:
        _COMPONENT(key=key, data=data)
        return

    def clicked() -> None:
        point = st.session_state[key].click
        if point:
            on_click(float(point["x"]), float(point["y"]))

    _COMPONENT(key=key, data=data, on_click_change=clicked)
