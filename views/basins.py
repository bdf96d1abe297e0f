"""Basin map: which minimum each start reaches, at two learning rates side by side.

Thin page: URL -> widgets (views.widgets.tools_page) -> two batched engine calls (lab.tool_grids) -> figure
(lab.figures_basins).
"""

from __future__ import annotations

from dataclasses import replace

import streamlit as st

from lab.config import format_lr
from lab.figures_basins import basin_figure, basin_summary
from lab.tool_grids import basin_fit, basin_pair
from lab.tool_links import BASIN_LRS, BASINS, tool_query
from views.widgets import inputs
from views.widgets.live_chart import live_chart
from views.widgets.projector_mode import projected, projector_page
from views.widgets.tools_page import budget_notice, seed_tool, sync_tool_url, tool_controls

KEY_PREFIX = "bm_"
projector_page()
st.title("Basin map")
seed_tool(KEY_PREFIX, BASINS)


def _second_lr() -> None:
    """The second map's lr (its surface's own when the link has none: ``BASIN_LRS``)."""
    key = f"{KEY_PREFIX}lr_b"
    if not st.session_state.setdefault(key, 0.0):
        st.session_state[key] = BASIN_LRS[st.session_state[f"{KEY_PREFIX}surface"]][1]
    st.select_slider("Second map's learning rate", options=inputs.lr_options(st.session_state[key]), key=key,
                     format_func=format_lr)


config = tool_controls(KEY_PREFIX, BASINS, start=False, extra=_second_lr)
lr_b = float(st.session_state[f"{KEY_PREFIX}lr_b"])
with st.sidebar:  # secondary: in the main area, its expander would push the maps below the screen
    st.subheader("Schedule")
    schedule, schedule_params = inputs.schedule_controls(KEY_PREFIX)
config = replace(config, schedule=schedule, schedule_params=schedule_params)
sync_tool_url(KEY_PREFIX, tool_query(BASINS, config, {"lr_b": lr_b}))
lr = config.optimizers[0].lr
held = basin_fit(config)  # the starts per side and steps one request may run (lab.tool_budget)
budget_notice(held)
config = replace(config, steps=held.steps)
maps = basin_pair(config, (lr, lr_b), held.resolution)
summaries = [basin_summary(bmap, value) for bmap, value in zip(maps, (lr, lr_b), strict=True)]
live_chart(projected(basin_figure(maps, (f"lr {lr:.3g}", f"lr {lr_b:.3g}"), config.steps)), f"{KEY_PREFIX}chart",
           "basins", fill=True, alt="Basin maps. " + " ".join(summaries))
for summary in summaries:
    st.markdown(summary)
st.caption(f"Each of the {held.resolution} × {held.resolution} starts of a map is one run of {config.steps} steps (one "
           "engine call per map), coloured by the minimum it converged to (★ the surface's known minima, • other "
           "points runs converged to, such as local minima); starts whose run diverged, oscillated, stalled or "
           "was still moving have grey shades of their own. Compare the two maps: a larger step or more "
           "momentum moves the boundaries between basins.")
