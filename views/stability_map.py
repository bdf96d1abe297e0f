"""Stability map: which (learning rate, momentum β) settings converge, oscillate or diverge, from one start.

Thin page: URL -> widgets (views.widgets.tools_page) -> one batched engine call (lab.tool_grids) -> figure
(lab.figures_stability).  A click on a cell opens the Playground with that cell's lr and β.
"""

from __future__ import annotations

from dataclasses import replace

import streamlit as st

import engine
from lab.config import RunConfig, to_query
from lab.figures_stability import stability_map_figure, stability_summary
from lab.runs import get_surface
from lab.tool_grids import boundary, nearest_index, polyak_optimum, stability_fit, stability_grid
from lab.tool_links import STABILITY, is_quadratic, tool_query, with_lr_momentum
from views.widgets.live_chart import live_chart
from views.widgets.projector_mode import projected, projector_page
from views.widgets.tools_page import (
    budget_notice,
    open_playground_if_asked,
    seed_tool,
    sync_tool_url,
    tool_controls,
)

KEY_PREFIX = "sm_"
open_playground_if_asked(KEY_PREFIX)
projector_page()
heading, axis_column = st.columns([3, 2], vertical_alignment="bottom")  # the axis beside the title: the map higher
with heading:
    st.title("Stability map")
seed_tool(KEY_PREFIX, STABILITY)  # before the radio: it may set the radio's value from the link
config = tool_controls(KEY_PREFIX, STABILITY, start=True)
surface = get_surface(config.surface_key)
with axis_column:
    axis = st.radio("Vertical axis", ("momentum", "curvature"), key=f"{KEY_PREFIX}axis", horizontal=True,
                    format_func={"momentum": "momentum β", "curvature": "curvature λ (quadratics)"}.get)
sync_tool_url(KEY_PREFIX, tool_query(STABILITY, config, {"axis": axis}))
if axis == "curvature" and not is_quadratic(surface):
    st.info(f"{surface.name} is not a quadratic: its curvature changes from point to point, so the "
            "learning rate × curvature map is shown for quadratics only. Showing momentum β.")
    axis = "momentum"
held = stability_fit(config)  # the grid and steps one request may run (lab.tool_budget)
budget_notice(held)
ran = replace(config, steps=held.steps)
smap = stability_grid(ran, axis, held.resolution)


@st.cache_resource(max_entries=32, show_spinner=False)
def _chart(ran: RunConfig, axis: str, resolution: int) -> tuple[dict, str]:
    """The map of ``ran`` (its figure, a plain dict shared by every session and never mutated) and its summary
    in words: the class opening the teacher's link builds it once."""
    smap = stability_grid(ran, axis, resolution)
    edge = boundary(ran, smap)
    curv = engine.theory.curvature(get_surface(ran.surface_key), ran.start)
    eigen = tuple(sorted({curv.mu, curv.L})) if axis == "curvature" else ()
    row_value = float(ran.optimizers[0].kwargs().get("momentum", 0.0)) if axis == "momentum" else curv.L
    fig = stability_map_figure(smap, ran.steps, (ran.optimizers[0].lr, row_value), edge,
                               polyak_optimum(ran) if axis == "momentum" else None, eigen)
    row = nearest_index(smap.ys, row_value, log=axis == "curvature")
    return fig, stability_summary(smap, ran.steps, None if edge is None else float(edge[0][row]), row)


def _open(x: float, y: float) -> None:
    """A click on a cell: the Playground with that cell's lr (and β on the momentum map)."""
    lr = float(f"{smap.lrs[nearest_index(smap.lrs, x, log=True)]:.3g}")
    momentum = round(float(smap.ys[nearest_index(smap.ys, y, log=False)]), 2) if axis == "momentum" else None
    st.session_state[f"{KEY_PREFIX}open"] = to_query(with_lr_momentum(config, lr, momentum))


fig, summary = _chart(ran, axis, held.resolution)
live_chart(projected(fig), f"{KEY_PREFIX}chart", "stability-map", on_click=_open, fill=True,
           alt=f"Stability map. {summary}")
st.markdown(summary)
if axis == "momentum" and (optimum := polyak_optimum(config)):
    curv = engine.theory.curvature(surface, config.start)
    rate = engine.theory.heavy_ball_rate(*optimum, [curv.mu, curv.L])
    st.markdown(f"★ Polyak's optimal heavy ball for μ = {curv.mu:.3g}, L = {curv.L:.3g}: lr {optimum[0]:.3g}, "
                f"β {optimum[1]:.3g}, error shrinking by {rate:.3g} per step.")
st.caption("Each cell is a run from the start, coloured by the engine's outcome: converged (shaded: darker = "
           "fewer steps), oscillating (|), diverged (×), stalled (○), still moving (—). The dashed line is the "
           "theory's stability limit where it is exact (a quadratic, the SGD family); ○ is your setting. "
           "Hover a cell for its run; click it to open that lr and β in the Playground.")
