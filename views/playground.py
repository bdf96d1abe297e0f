"""The Playground: drag the learning rate and watch a path converge, oscillate or diverge.

Thin page: URL -> RunConfig (ui.config) -> widget keys; widgets -> RunConfig -> cached runs (ui.runner) ->
pure figures (ui.figures_*).  The set-up controls live in the sidebar (a change reruns the page); the
learning-rate sliders, the start point and every figure live in one ``st.fragment``, so moving a slider
or clicking the map reruns only that part.
"""

from __future__ import annotations

from dataclasses import replace
from urllib.parse import urlencode

import streamlit as st

import engine
from ui import widgets as w
from ui.config import CUSTOM, RunConfig, parse_query, to_query
from ui.export_panel import export_panel
from ui.exports import chart_config, figure_name
from ui.figures_charts import progress_figure, stability_figure
from ui.figures_inspect import inspector_figure
from ui.figures_map import surface3d_figure
from ui.outcome import escape_markdown, outcome_lines, rule_numbers, step_numbers
from ui.runner import curvature_at, get_surface, label, map_chart, picture, run_config

P = "pg_"
CHART = {"displaylogo": False, "modeBarButtonsToRemove": ["select2d", "lasso2d", "autoScale2d"]}


def _png(config: RunConfig, what: str) -> dict:
    """Chart config whose camera button saves descent-lab-<surface>-<optimizer>-<what>.png.  The toolbar
    shows on hover (always on, it would cover the map's legend)."""
    return CHART | chart_config(f"{figure_name(config)}-{what}") | {"displayModeBar": "hover"}


def _reset_start() -> None:
    """A new surface starts from its own default start point."""
    slug = st.session_state[f"{P}surface"]
    expression = st.session_state.get(f"{P}expr", w.SAMPLE_EXPRESSION) if slug == CUSTOM else ""
    params = () if slug == CUSTOM else tuple((p.name, p.default) for p in engine.SURFACES[slug].params)
    try:
        start = get_surface((slug, params, expression)).start
    except ValueError:
        return
    st.session_state[f"{P}x0"], st.session_state[f"{P}y0"] = float(start[0]), float(start[1])


def _pick_start() -> None:
    """Click on the map: the clicked grid point becomes the start (saved here, in the callback)."""
    event = st.session_state.get(f"{P}map")
    points = event.selection.points if event is not None else []
    if points:
        st.session_state[f"{P}x0"] = float(f"{points[0]['x']:.4g}")
        st.session_state[f"{P}y0"] = float(f"{points[0]['y']:.4g}")


def _notices(notices: list[str]) -> None:
    if notices:
        lines = "\n".join(f"- {escape_markdown(n)}" for n in notices)
        st.warning(f"Some values in this link could not be used, so defaults were put in their place:\n\n{lines}",
                   icon="⚠️")


def _sidebar() -> RunConfig | None:
    """The set-up controls; the returned config has placeholder lrs and start (the fragment sets them)."""
    with st.sidebar:
        st.subheader("Surface")
        slug, params, expression = w.surface_controls(P, on_change=_reset_start)
        try:
            surface = get_surface((slug, params, expression))
        except ValueError as err:
            st.error(f"Cannot use this f(x, y): {escape_markdown(err)}")
            return None
        st.caption(escape_markdown(surface.description))
        st.subheader("Optimizers")
        optimizers = tuple(w.optimizer_controls(P, i) for i in range(w.optimizer_count(P)))
        st.subheader("Schedule")
        schedule, schedule_params = w.schedule_controls(P)
        st.subheader("Run")
        steps, noise, seed = w.run_controls(P)
    return RunConfig(slug, params, expression, optimizers, schedule, schedule_params, steps,
                     float(surface.start[0]), float(surface.start[1]), noise, seed)


def _sync_url(config: RunConfig) -> dict[str, str]:
    query = to_query(config)
    if st.query_params.to_dict() != query:
        st.query_params.from_dict(query)
    return query


@st.fragment
def _panel(base: RunConfig) -> None:
    """The lr sliders, the start point and every figure.  The map is sent first (the browser draws what
    arrives first first): the stability strip is filled in above it afterwards, then the charts and details."""
    surface = get_surface(base.surface_key)
    n = len(base.optimizers)
    top_left, top_right = st.columns([3, 1])
    with top_right:
        x0, y0 = w.start_controls(P, surface)
    with top_left:
        lrs = [w.lr_slider(P, i, "Learning rate" if i == 0 else f"Learning rate {i + 1}") for i in range(n)]
        strip = st.container()
    config = replace(base, optimizers=tuple(o.with_values(lr=lr) for o, lr in zip(base.optimizers, lrs, strict=True)),
                     x0=x0, y0=y0)
    runs = run_config(config)
    labels = [label(config, i) for i in range(n)]
    left, right = st.columns([3, 2])
    with left:
        st.plotly_chart(map_chart(config), key=f"{P}map", on_select=_pick_start, selection_mode="points",
                        config=_png(config, "map"))
        st.caption("▶ Play animates the paths in your browser. Click anywhere on the map to start from there.")
    with strip:
        _strip(config, lrs, labels)
    with right:
        with st.container(key="outcome"):
            for line in outcome_lines(labels, runs):
                st.markdown(f"**{escape_markdown(line)}**")
        st.plotly_chart(progress_figure(surface, runs, labels), key=f"{P}progress", config=_png(config, "loss-lr"))
    _details(surface, config, runs, labels)
    query = _sync_url(config)
    link_col, export_col = st.columns(2)
    with link_col:
        _link(query)
    with export_col:
        export_panel(config, surface, runs, labels, picture(config.surface_key))


def _strip(config: RunConfig, lrs: list[float], labels: list[str]) -> None:
    """The stability strip: 1/L and 2/L at the start point on the lr axis, and where each chosen lr sits."""
    big_l, _ = curvature_at(config.surface_key, config.start)
    one, two = engine.theory.thresholds(big_l)
    st.plotly_chart(stability_figure(one, two, lrs, labels), key=f"{P}strip", config=_png(config, "stability"))
    st.caption(f"Local curvature at the start: L = {big_l:.4g}, so for plain gradient descent 1/L = {one:.3g} "
               f"and 2/L = {two:.3g}. Below 1/L a path creeps in, between them it zigzags in, above 2/L it "
               "blows up.")


def _link(query: dict[str, str]) -> None:
    """"Copy link": the address of this exact run in a code box with its copy button.  Inside a popover, so
    Streamlit's 1.5 MB code highlighter is fetched only when it is opened, never on first load."""
    url = f"{st.context.url or '/playground'}?{urlencode(query)}"
    with st.popover("Copy link to this run", icon=":material/link:"):
        st.code(url, language=None)
        st.caption("Anyone who opens it sees this exact run: same surface, optimizers, learning rates and seed.")


def _details(surface: engine.Surface, config: RunConfig, runs: list, labels: list[str]) -> None:
    """Update rule with numbers, the step inspector and the 3D view."""
    n = len(runs)
    which = st.radio("Racer", range(n), format_func=labels.__getitem__, horizontal=True,
                     key=f"{P}racer") if n > 1 else 0
    opt, run = config.optimizers[which], runs[which]
    rule_col, inspect_col = st.columns([2, 3])
    with rule_col:
        st.markdown("**Update rule** (torch.optim's form)")
        st.latex(engine.optimizer(opt.name, **opt.kwargs()).latex)
        st.latex(rule_numbers(opt))
        numbers = step_numbers(run, 1)
        if numbers:
            st.caption("The first step with its numbers:")
            st.latex(numbers)
    with inspect_col:
        last = run.last_step(0)
        if st.toggle("Step inspector", key=f"{P}inspect") and last >= 1:
            step = st.slider("Step", 1, last, 1, key=f"{P}inspect_step") if last > 1 else 1
            st.plotly_chart(inspector_figure(surface, run, step, labels[which], picture(config.surface_key),
                                             which), key=f"{P}inspector", config=_png(config, "inspector"))
    if st.toggle("3D view", key=f"{P}show3d"):
        st.plotly_chart(surface3d_figure(surface, runs, labels), key=f"{P}3d", config=_png(config, "3d"))


st.title("Playground")
st.markdown("Drag the **learning rate** and press ▶ Play: a small step creeps, a good one converges, a large "
            "one zigzags, and past 2/L the path blows up.")
url_config, url_notices = parse_query(st.query_params.to_dict())
_notices(url_notices)
w.seed_state(P, url_config)
base_config = _sidebar()
if base_config is not None:
    _panel(base_config)
