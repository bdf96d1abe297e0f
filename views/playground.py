"""The Playground: drag the learning rate and watch a path converge, oscillate or diverge.

Thin page: URL -> RunConfig (lab.config) -> widget keys; widgets -> RunConfig -> cached runs (lab.runs) ->
pure figures (lab.figures_*).  The set-up controls live in the sidebar (a change reruns the page); the
learning-rate sliders, the start point and every figure live in one ``st.fragment``, so moving a slider
or clicking the map reruns only that part.
"""

from __future__ import annotations

import math
from dataclasses import replace

import streamlit as st

import engine
from engine.expressions import ExpressionError
from lab.config import RunConfig, clicked_start, parse_query, to_query
from lab.exports import figure_name
from lab.figures_charts import progress_spec
from lab.figures_inspect import inspector_figure
from lab.figures_map import surface3d_figure
from lab.outcome import escape_markdown, outcome_lines, rule_numbers, start_note, step_numbers
from lab.qr import qr_svg
from lab.runs import SurfaceKey, curvature_at, get_surface, labels_of, map_chart, picture, runs_of
from lab.scrub_charts import PROGRESS_HEIGHT, playground_stability
from lab.share_address import share_url
from views.widgets import inputs
from views.widgets.export_panel import export_panel
from views.widgets.live_chart import CODE_HIGHLIGHTER, live_chart
from views.widgets.share_panel import address_notice, current_share_page
from views.widgets.url_state import link_notice, opened_link, seed_state, write_address

KEY_PREFIX = "pg_"
CHARTS = {"map": f"{KEY_PREFIX}map", "progress": f"{KEY_PREFIX}progress",
          "stability": f"{KEY_PREFIX}strip"}  # what the live lr slider patches


def _png(config: RunConfig, what: str) -> str:
    """A chart's name, so its camera button saves descent-lab-<surface>-<optimizer>-<what>.png."""
    return f"{figure_name(config)}-{what}"


def _pick_start(x: float, y: float) -> None:
    """Click on the map: the clicked grid point becomes the start (saved here, in the callback)."""
    st.session_state[f"{KEY_PREFIX}x0"], st.session_state[f"{KEY_PREFIX}y0"] = clicked_start(x, y)


def _usable_surface(chosen: SurfaceKey, notice) -> SurfaceKey | None:
    """``chosen`` when it can be built (remembered as the last good one).  Otherwise its error in the sidebar,
    with a caret under the character it is about, and the last good surface, said so in ``notice`` above
    the run (None when there is none yet)."""
    try:
        get_surface(chosen)
    except ValueError as err:
        st.error(f"Cannot use this f(x, y): {escape_markdown(err)}")
        if isinstance(err, ExpressionError) and err.position is not None:
            st.code(f"{chosen[2]}\n{' ' * err.position}^", language=None)
        last = st.session_state.get(f"{KEY_PREFIX}last_good")
        if last is not None:
            notice.warning(f"This f(x, y) cannot be used yet (see the sidebar), so the run below is of the last "
                           f"f(x, y) that worked: {escape_markdown(get_surface(last).name)}.", icon="⚠️")
        return last
    st.session_state[f"{KEY_PREFIX}last_good"] = chosen
    return chosen


def _sidebar(notice) -> RunConfig | None:
    """The set-up controls; the returned config has placeholder lrs and start (the fragment sets them).
    ``notice``: a place above the run for a message about the sidebar's choices."""
    with st.sidebar:
        st.subheader("Surface")
        key = _usable_surface(inputs.surface_controls(KEY_PREFIX, on_change=inputs.reset_start(KEY_PREFIX)), notice)
        if key is None:
            return None
        slug, params, expression = key
        surface = get_surface(key)
        st.caption(escape_markdown(surface.description))
        st.subheader("Optimizers")
        optimizers = tuple(inputs.optimizer_controls(KEY_PREFIX, i) for i in range(inputs.optimizer_count(KEY_PREFIX)))
        st.subheader("Schedule")
        schedule, schedule_params = inputs.schedule_controls(KEY_PREFIX)
        st.subheader("Run")
        steps, noise, seed, batch = inputs.run_controls(KEY_PREFIX, surface)
    return RunConfig(slug, params, expression, optimizers, schedule, schedule_params, steps,
                     float(surface.start[0]), float(surface.start[1]), noise, seed, batch)


@st.fragment
def _panel(base: RunConfig) -> None:
    """The lr sliders, the start point and every figure.  The map is sent first (the browser draws what
    arrives first first): the stability strip is filled in above it afterwards, then the charts, the live lr
    sliders above them (their data takes the longest to compute) and the details."""
    surface = get_surface(base.surface_key)
    n = len(base.optimizers)
    top_left, top_right = st.columns([3, 1])
    with top_right:
        x0, y0 = inputs.start_controls(KEY_PREFIX, surface)
        # beside the lr slider on a wide screen, just under it on a phone (columns stack): both on screen together
        outcome = st.container(key="outcome")
    with top_left:
        sliders, strip = st.container(), st.container()
    lrs = [inputs.lr_value(KEY_PREFIX, i) for i in range(n)]
    config = replace(base, optimizers=tuple(o.with_values(lr=lr) for o, lr in zip(base.optimizers, lrs, strict=True)),
                     x0=x0, y0=y0)
    st.session_state[f"{KEY_PREFIX}query"] = query = to_query(config)
    # first, so the address is right as soon as anything of the new run shows; st.query_params, not the history
    # API, so Streamlit's frontend sends this query on its next full rerun and after a reconnect
    write_address(f"{KEY_PREFIX}query", query)
    runs = runs_of(config)
    labels = labels_of(config)
    lines = outcome_lines(labels, runs)
    left, right = st.columns([3, 2])
    with left:
        live_chart(map_chart(config), f"{KEY_PREFIX}map", _png(config, "map"), on_click=_pick_start,
                   preload=(CODE_HIGHLIGHTER,),  # the Share dialog's link is an st.code
                   alt=f"Map of {surface.name}. " + "; ".join(lines))
        st.caption("▶ Play animates the paths in your browser. Click anywhere on the map to start from there.")
        if note := start_note(surface.bounds, config.start):
            st.caption(note)
    with strip:
        _strip(config, labels)
    with outcome:
        for line in lines:
            st.markdown(f"**{escape_markdown(line)}**")
    with right:
        live_chart(progress_spec(surface, runs, labels, PROGRESS_HEIGHT), f"{KEY_PREFIX}progress", _png(config,
                                                                                                        "loss-lr"),
                   defer=True)
    with sliders:  # after the figures: each slider's live data (every lr of its grid) is computed for it
        for i in range(n):
            inputs.lr_slider(f"{KEY_PREFIX}lrs{i}", f"{KEY_PREFIX}lr{i}", config, i,
                             "Learning rate" if i == 0 else f"Learning rate {i + 1}",
                        CHARTS)
    _details(surface, config, runs, labels)
    if st.button("Share and export", icon=":material/ios_share:", key=f"{KEY_PREFIX}share"):
        _share(config, surface, runs, labels)


def _strip(config: RunConfig, labels: list[str]) -> None:
    """The stability strip: 1/L and 2/L at the start point on the lr axis, and where each chosen lr sits."""
    big_l, _ = curvature_at(config.surface_key, config.start)
    one, two = engine.theory.thresholds(big_l)
    live_chart(playground_stability(config, labels, big_l), f"{KEY_PREFIX}strip", _png(config, "stability"), defer=True)
    if math.isnan(big_l):  # f is not defined at the start
        st.caption("f is not defined at the start, so it has no curvature L there to measure the learning rate "
                   "against: pick a start where f is defined.")
        return
    st.caption(f"Local curvature at the start: L = {big_l:.4g}, so for plain gradient descent 1/L = {one:.3g} "
               f"and 2/L = {two:.3g}. Below 1/L a path creeps in, between them it zigzags in, above 2/L it "
               "blows up. Momentum moves the edge (heavy ball: 2(1 + β)/L, its coloured line); adaptive methods "
               "divide the step by the gradients' size, so they have no fixed band.")


@st.dialog("Share and export", width="large")
def _share(config: RunConfig, surface: engine.Surface, runs: list, labels: list[str]) -> None:
    """The link to this exact run (text and QR code), then the animation, data and code exports.  A dialog
    runs only when opened, so a slider move never builds any of it."""
    students = current_share_page()
    url = share_url(students.url, config)
    link_col, qr_col = st.columns([3, 1])
    with link_col:
        st.markdown("**Link to this run**")
        st.code(url, language=None, wrap_lines=True)
        st.caption("Anyone who opens it sees this exact run: same surface, optimizers, learning rates and seed.")
        address_notice(students)
    with qr_col:
        st.markdown(qr_svg(url), unsafe_allow_html=True)  # our own SVG: no user text in it
    st.markdown("**Export**")
    export_panel(config, surface, runs, labels, picture(config.surface_key))


def _details(surface: engine.Surface, config: RunConfig, runs: list, labels: list[str]) -> None:
    """Update rule with numbers, the step inspector and the 3D view."""
    which = inputs.racer_choice("Racer", config, f"{KEY_PREFIX}racer")
    opt, run = config.optimizers[which], runs[which]
    rule_col, inspect_col = st.columns([2, 3])
    with rule_col:  # the rule, its numbers and the first step in one st.latex (fewer elements per slider move)
        st.markdown("**Update rule** (torch.optim's form)")
        numbers = step_numbers(run, 1)
        first_step = rf" \\ \\ \text{{The first step with its numbers:}} \\ {numbers}" if numbers else ""
        st.latex(rf"\begin{{gathered}}{engine.optimizer(opt.name, **opt.kwargs()).latex} \\ \\ {rule_numbers(opt)}"
                 rf"{first_step}\end{{gathered}}")
    with inspect_col:
        last = run.last_step(0)
        if st.toggle("Step inspector", key=f"{KEY_PREFIX}inspect") and last >= 1:
            step = st.slider("Step", 1, last, 1, key=f"{KEY_PREFIX}inspect_step") if last > 1 else 1
            live_chart(inspector_figure(surface, run, step, labels[which], which),
                       f"{KEY_PREFIX}inspector", _png(config, "inspector"), defer=True)
    if st.toggle("3D view", key=f"{KEY_PREFIX}show3d"):
        live_chart(surface3d_figure(surface, runs, labels), f"{KEY_PREFIX}3d", _png(config, "3d"), defer=True)


st.title("Playground")
st.markdown("Drag the **learning rate** and press ▶ Play: a small step creeps, a good one converges, a large "
            "one zigzags, and past 2/L the path blows up.")
url_config, url_notices = parse_query(st.query_params.to_dict())
link_notice(url_notices)
# A link opened (the address is not the one this page last wrote) sets every control, the lr included: the
# committed lr is session state, not a widget, so it outlives a visit to another page.
seed_state(KEY_PREFIX, url_config, overwrite=opened_link(f"{KEY_PREFIX}query") is not None)
base_config = _sidebar(st.container())
if base_config is not None:
    _panel(base_config)
