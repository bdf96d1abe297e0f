"""The Claims lab's own figure (pure Plotly, no streamlit): training and validation loss of several runs of
the regression model on one chart, so two learning rates can be compared step by step."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import plotly.graph_objects as go

from .figures_lessons import _LAYOUT, _axes, color

__all__ = ["train_val_runs_figure"]


def train_val_runs_figure(curves: Sequence[tuple[str, np.ndarray, np.ndarray]], height: int = 320) -> go.Figure:
    """For each (label, train, val) — the losses at steps 0, 1, ..., n — training loss solid and validation
    loss dashed in the run's colour, a dot at the lowest validation loss.  Log step axis (step + 1), so the
    early minimum of a fast run and the late one of a slow run are both visible; the loss axis is zoomed on
    the part where the curves part (the first steps start higher, off the top)."""
    fig = go.Figure(layout=dict(height=height, legend=dict(orientation="h", y=1.2), **_LAYOUT,
                                **_axes("step + 1 (log scale)", "mean squared error (zoomed)", x_log=True)))
    top = 0.0
    for k, (label, train, val) in enumerate(curves):
        x = np.arange(1, len(train) + 1)
        best = int(np.argmin(val))
        top = max(top, 2.0 * float(np.max(val[best:])), 2.0 * float(train[-1]))
        fig.add_trace(go.Scatter(x=x, y=train, mode="lines", name=f"{label}: training",
                                 line=dict(color=color(k), width=2)))
        fig.add_trace(go.Scatter(x=x, y=val, mode="lines", name=f"{label}: validation",
                                 line=dict(color=color(k), width=2, dash="dash")))
        fig.add_trace(go.Scatter(x=[best + 1], y=[val[best]], mode="markers", showlegend=False,
                                 name=f"{label}: lowest validation loss, step {best}",
                                 hovertemplate="%{fullData.name}<extra></extra>",
                                 marker=dict(size=10, color=color(k), line=dict(color="black", width=1))))
    fig.update_yaxes(range=[0, top])
    return fig
