"""Figures of lessons 11 and 12 (pure Plotly): the noise ball's radius against the learning rate for several
batch sizes, and the sharpness along a path against 2/α.  Each takes engine results and returns a figure."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
import plotly.graph_objects as go
from plotly.colors import sample_colorscale

from lab.figures_map import COLORS, color

from .figures_lessons import _LAYOUT, _axes

__all__ = ["noise_ball_figure", "sharpness_figure"]


def noise_ball_figure(theory: Callable[[float, int], float], lrs: np.ndarray, batches: Sequence[int], limit: float,
                      measured: Sequence[tuple[float, int, float, str]], height: int = 320) -> go.Figure:
    """Theory's noise-ball radius ``theory(α, B)`` against α (log axes), one line per batch size in ``batches``
    (dark to light as B grows); each measured (α, B, radius, name) as a marker in its batch's colour; the
    stability bound ``limit`` = 2/λmax as a vertical line (no batch size moves it)."""
    shades = dict(zip(batches, sample_colorscale("Viridis", np.linspace(0, 0.9, len(batches))), strict=True))
    traces = [go.Scatter(x=lrs, y=[theory(a, batch) for a in lrs], mode="lines", name=f"theory, B = {batch}",
                         line=dict(color=shades[batch], width=2)) for batch in batches]
    for a, batch, radius, name in measured:
        traces.append(go.Scatter(x=[a], y=[radius], mode="markers", name=name,
                                 marker=dict(size=13, color=shades.get(batch, "#555"), symbol="diamond",
                                             line=dict(color="black", width=1.5))))
    fig = go.Figure(traces, layout=dict(height=height, legend=dict(orientation="h", y=1.22), **_LAYOUT,
                                        **_axes("learning rate α", "noise-ball radius (RMS)", x_log=True, y_log=True)))
    fig.add_vline(x=limit, line=dict(color="#555", dash="dot"))
    fig.add_annotation(x=np.log10(limit), y=0.05, xref="x", yref="paper", text=f"2/λmax = {limit:.3g}",
                       showarrow=False, xanchor="right", xshift=-4, font=dict(size=11, color="#555"))
    return fig


def sharpness_figure(sharpness: np.ndarray, limits: np.ndarray, at_minimum: float, height: int = 300) -> go.Figure:
    """λmax of the Hessian at each iterate (``sharpness``, steps 0…T) against the step, with 2/α_t (``limits``,
    steps 1…T: above this line a step overshoots) and the sharpness at the minimum dotted."""
    steps = np.arange(len(sharpness))
    fig = go.Figure([
        go.Scatter(x=steps, y=sharpness, mode="lines", name="sharpness λmax at the iterate",
                   line=dict(color=color(0), width=1.5)),
        go.Scatter(x=steps[1:], y=limits, mode="lines", name="2/α (the step's stability limit)",
                   line=dict(color=COLORS[2], width=2.5)),
    ], layout=dict(height=height, legend=dict(orientation="h", y=1.18), **_LAYOUT,
                   **_axes("step", "curvature", y_log=True)))
    fig.add_hline(y=at_minimum, line=dict(color="#555", dash="dot"),
                  annotation_text=f"λmax at the minimum = {at_minimum:.5g}", annotation_position="bottom right")
    return fig
