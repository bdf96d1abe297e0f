"""Fair race: every optimizer from one start, each at its best constant lr of a sweep on this surface and at
torch's default lr, side by side (a table and the animated paths).  Thin page: URL -> RaceConfig
(lab.tool_links) -> cached sweeps and runs (lab.tool_runs) -> the Playground's map (lab.figures_map)."""

from __future__ import annotations

from dataclasses import replace

import streamlit as st

import engine
from engine.race import lr_grid
from engine.trajectory_labels import GRAD_TOL, STEP_TOL
from lab.config import STEPS_PARAM
from lab.tool_links import RACE, RACE_PARAMS, RaceConfig, playground_link, race_query
from lab.tool_runs import race_fit, race_grid, race_map, race_runs, racers
from views.widgets import inputs
from views.widgets.live_chart import live_chart
from views.widgets.projector_mode import projected, projector_page
from views.widgets.tools_page import budget_notice, range_inputs, seed_tool, surface_and_start, sync_tool_url

KEY_PREFIX = "race_"
MAP_HEIGHT = 500


def _controls(config: RaceConfig) -> RaceConfig | None:
    """Surface, start, steps and the sweep's grid in the sidebar (None: a typed f(x, y) cannot be used)."""
    with st.sidebar:
        run = surface_and_start(KEY_PREFIX, config.run)
        if run is None:
            return None
        st.subheader("Race")
        steps = inputs.param_input(STEPS_PARAM, f"{KEY_PREFIX}steps", "Steps")
        values = range_inputs(KEY_PREFIX, RACE_PARAMS, config)
    return RaceConfig(replace(run, steps=steps), **values)


NOT_CONVERGED = "—"  # in the steps column of a racer that did not converge; its outcome says what it did


def _table(configs, runs) -> None:
    """Steps to converge ("—" when it did not: the outcome column says why, "diverged at step 5", "still moving
    after 200 steps"), final loss and the engine's outcome words per optimizer, with a Playground link."""
    rows = []
    for c, run in zip(configs, runs, strict=True):
        converged = run.status[0] == "converged"
        rows.append({"optimizer": engine.OPTIMIZERS[c.optimizers[0].name].title, "lr": f"{c.optimizers[0].lr:.3g}",
                     "steps to converge": str(int(run.stopped_at[0])) if converged else NOT_CONVERGED,
                     "final loss": f"{float(run.losses[run.last_step(0), 0]):.3g}",
                     "outcome": run.outcome(0, brief=True), "playground": playground_link(c)})
    st.dataframe(rows, hide_index=True, width="stretch", column_config={
        "playground": st.column_config.LinkColumn("Playground", display_text="Open in Playground"),
        "steps to converge": st.column_config.TextColumn(
            "steps to converge", help=f"{NOT_CONVERGED}: it did not converge; the outcome says what it did")})


def _side(config: RaceConfig, at: str, title: str) -> None:
    configs = racers(config, at)
    st.subheader(title)
    live_chart(projected(race_map(config, at, MAP_HEIGHT)), f"{KEY_PREFIX}map_{at}", f"race-{at}")
    _table(configs, race_runs(configs))


projector_page()
st.title("Fair race")
st.markdown("Every optimizer from one start on one surface, each at **its best constant learning rate** found by a "
            "sweep on this surface, beside the same race at **torch's default lrs**. The link holds the surface, "
            "start, steps and grid: it reproduces the race.")
linked_run, linked_own = seed_tool(KEY_PREFIX, RACE)
race = _controls(RaceConfig(linked_run, **linked_own))
if race is None:  # a typed f(x, y) that cannot be used: its error is shown
    st.stop()
sync_tool_url(KEY_PREFIX, race_query(race))
race, held = race_fit(race)  # the sweep and steps one request may run (lab.tool_budget)
budget_notice(held)
grid = lr_grid(*race_grid(race))
st.caption(f"The sweep: each optimizer (torch's defaults for everything but the lr) at {len(grid)} lrs from "
           f"{grid[0]:.3g} to {grid[-1]:.3g} ({race.per_decade} per factor of ten), {race.run.steps} steps each, in "
           "one batched run per optimizer. Best = fewest steps to converge (the engine's rule: gradient norm "
           f"≤ {GRAD_TOL:g} and a step ≤ {STEP_TOL:g} of the view's diagonal); ties, or no lr converging, go to the "
           "lowest final loss; an lr that diverged is never best unless all did.")
st.header("The two races")  # h2 under the page's h1, each side's title h3 under it
left, right = st.columns(2)
with left:
    _side(race, "best", "At each optimizer's best lr")
with right:
    _side(race, "default", "At torch's default lr")
