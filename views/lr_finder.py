"""LR finder: fastai's lr_find on a surface, its suggestions as links into the Playground, and what it can and
cannot tell (compared with 1/L, 2/L and the best constant lr of a sweep).  Thin page: URL -> FinderConfig
(lab.tool_links) -> cached engine results (lab.tool_runs) -> a pure figure (lab.figures_finder)."""

from __future__ import annotations

import math
from dataclasses import replace

import numpy as np
import streamlit as st

import engine
from engine.race import lr_grid
from lab.config import LR_PARAM
from lab.figures_finder import SUGGESTION_NAMES, Mark, finder_figure, suggestion_marks
from lab.runs import curvature_at, run_of
from lab.tool_links import FINDER, FINDER_PARAMS, RACE_PARAMS, FinderConfig, finder_query, playground_link
from lab.tool_runs import best_sweep, range_test
from views.widgets import inputs
from views.widgets.live_chart import live_chart
from views.widgets.projector_mode import projected, projector_page
from views.widgets.tools_page import range_inputs, seed_tool, surface_and_start, sync_tool_url

KEY_PREFIX = "lrf_"
BETA = 0.98  # engine.sweeps.lr_range_test's default smoothing, fastai's
BEST_GRID = tuple(p.default for p in RACE_PARAMS)  # the fair race's default lr grid (lr_min, lr_max, per_decade)


def _controls(config: FinderConfig) -> FinderConfig | None:
    """Surface, start, optimizer and the test's range in the sidebar (None: a typed f(x, y) cannot be used)."""
    with st.sidebar:
        run = surface_and_start(KEY_PREFIX, config.run)
        if run is None:
            return None
        st.subheader("Optimizer")
        opt = inputs.optimizer_controls(KEY_PREFIX, 0)
        st.subheader("Test")
        values = range_inputs(KEY_PREFIX, FINDER_PARAMS, config)
    return FinderConfig(replace(run, optimizers=(opt.with_values(lr=config.run.optimizers[0].lr),)), **values)


def _links(config: FinderConfig, suggestions: dict[str, float | None]) -> None:
    """One button per suggestion: the Playground at that constant lr (when the Playground's slider reaches it)."""
    cols = st.columns(len(suggestions))
    for col, (name, lr) in zip(cols, suggestions.items(), strict=True):
        with col:
            if lr is None:
                st.caption(f"No {SUGGESTION_NAMES[name]} suggestion: the curve is too short.")
            elif LR_PARAM.low <= lr <= LR_PARAM.high:
                st.link_button(f"{SUGGESTION_NAMES[name]}: lr {lr:.3g} → Playground",
                               playground_link(config.run.with_lr(0, lr)), icon=":material/open_in_new:",
                               width="stretch")
            else:
                st.caption(f"{SUGGESTION_NAMES[name]} lr {lr:.3g} is outside the Playground's range "
                           f"({LR_PARAM.low:g} … {LR_PARAM.high:g}).")


def _held(config: FinderConfig, lr: float) -> str:
    """The engine's outcome words for the finder's optimizer at ``lr`` held constant (a cached Playground run)."""
    return run_of(config.run.with_lr(0, lr)).outcome(0)


def _reading(config: FinderConfig, rt: engine.sweeps.RangeTest, one: float, two: float, best) -> None:
    """What the test shows and cannot show, every number from the runs on screen."""
    opt = engine.OPTIMIZERS[config.run.optimizers[0].name].title
    made = [(k, v) for k, v in rt.suggestions.items() if v is not None]
    lag = int(np.argmax(rt.smoothed - rt.losses))
    exploded = rt.smoothed.size and rt.smoothed[-1] > 4 * rt.smoothed.min()
    stop = (f"stopped after {len(rt.lrs)} of {config.num_it} steps, at lr {rt.lrs[-1]:.3g}: "
            + ("the smoothed loss passed 4× its best" if exploded else "the path diverged")
            if rt.stopped_early else f"ran all {config.num_it} steps up to lr {rt.lrs[-1]:.3g}")
    st.markdown(
        f"**How it works.** One run of {opt} from the start, the lr multiplied by "
        f"{(config.end_lr / config.start_lr) ** (1 / config.num_it):.4g} every step from {config.start_lr:.3g}; "
        f"it {stop}. The smoothed loss is fastai's: avg ← {BETA}·avg + {1 - BETA:.2f}·loss, divided by "
        f"1 − {BETA}^(i+1). It averages about {1 / (1 - BETA):.0f} steps, so where the loss falls fast it lags: "
        f"at lr {rt.lrs[lag]:.3g} the raw loss is {rt.losses[lag]:.3g} and the smoothed one "
        f"{rt.smoothed[lag]:.3g}. fastai's suggestions are read off the smoothed curve.")
    lines = [f"- 1/L = {one:.3g} and 2/L = {two:.3g} at the start (L = {1 / one:.4g}, the largest curvature there): "
             "plain gradient descent creeps below 1/L and blows up above 2/L."] if math.isfinite(one) else []
    grid = lr_grid(*BEST_GRID)
    best_lr = best.best_lr
    lowest = float(rt.lrs[int(np.argmin(rt.losses))])
    checked = [("best constant lr of a sweep", best_lr), *((SUGGESTION_NAMES[k], v) for k, v in made),
               ("the lr of the raw loss's lowest point", lowest)]
    lines += [f"- {name} {lr:.3g}, held constant for {config.run.steps} steps: {_held(config, lr)}."
              for name, lr in checked]
    lines.append(f"- (The sweep: {len(grid)} lrs from {grid[0]:g} to {grid[-1]:g}, {config.run.steps} steps each; "
                 "best = fewest steps to converge, then lowest final loss.)")
    st.markdown("**The suggestions against the lrs that work here**\n\n" + "\n".join(lines))
    st.markdown(
        "**What the test can and cannot tell.** It changes the lr every step, so the loss at an lr is the loss "
        "after a path that used every smaller lr before it: it measures a moving target, not what that lr "
        "would do held constant (the list above holds each suggestion constant). On a 2D surface the loss "
        "reaches the floor within a few steps, and the rest of the curve shows that floor being left again: "
        "the test brackets a range (from where the loss starts to fall to where it blows up), it does not "
        "pick one lr.")


projector_page()
st.title("LR finder")
st.markdown("fastai's **lr_find** on a surface: one run whose learning rate grows every step, the loss against "
            "the lr, and the lrs fastai suggests. Each suggestion opens the Playground at that lr.")
linked_run, linked_own = seed_tool(KEY_PREFIX, FINDER)
finder = _controls(FinderConfig(linked_run, **linked_own))
if finder is None:  # a typed f(x, y) that cannot be used: its error is shown
    st.stop()
sync_tool_url(KEY_PREFIX, finder_query(finder))
test = range_test(finder)
if not test.lrs.size:
    st.info("The test made no step here (f is not defined at the start, or the first step left it): pick "
            "another start.", icon="ℹ️")
    st.stop()
big_l, _ = curvature_at(finder.run.surface_key, finder.run.start)
one_over_l, two_over_l = engine.theory.thresholds(big_l)
best = best_sweep(finder.run.surface_key, finder.run.optimizers[0], finder.run.start, finder.run.steps, BEST_GRID)
marks = suggestion_marks(test)
marks += [Mark(f"{text} {lr:.2g}", lr, colour, "dash") for text, lr, colour in (
    ("1/L", one_over_l, "#555"), ("2/L", two_over_l, "#000"), ("best constant", best.best_lr, "#1f77b4"))
    if math.isfinite(lr)]
live_chart(projected(finder_figure(test, marks)), f"{KEY_PREFIX}chart", "lr-finder")
_links(finder, test.suggestions)
_reading(finder, test, one_over_l, two_over_l, best)
