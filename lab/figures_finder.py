"""Pure Plotly figure of the LR finder: raw and smoothed loss against the swept lr, both axes log, with
fastai's suggestions and the reference lrs (1/L, 2/L, the best constant lr) marked on the lr axis."""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

import numpy as np
import plotly.graph_objects as go

from engine.sweeps import SUGGESTION_NAMES, RangeTest

from .figures_base import COLORS, LOG_AXIS, figure, readable

__all__ = ["SUGGESTION_NAMES", "Mark", "finder_figure", "suggestion_marks"]

_LABEL_ROW, _LABEL_ROWS = 22, 4  # px per row of mark labels above the plot, and rows at most
_SUGGESTION_COLORS = {"valley": COLORS[2], "steep": COLORS[1], "minimum": COLORS[3]}


class Mark(NamedTuple):
    """A vertical line on the lr axis: its label, lr, colour and dash ("dot": a suggestion, "dash": a reference)."""

    label: str
    lr: float
    colour: str
    dash: str


def suggestion_marks(rt: RangeTest) -> list[Mark]:
    """One dotted mark per suggestion the engine made (None suggestions are left out), at its lr."""
    return [Mark(f"{SUGGESTION_NAMES[name]} {lr:.2g}", lr, _SUGGESTION_COLORS[name], "dot")
            for name, lr in rt.suggestions.items() if lr is not None]


def _log_range(values: Sequence[float], pad: float) -> list[float] | None:
    logs = np.log10([v for v in values if np.isfinite(v) and v > 0])
    return [float(logs.min()) - pad, float(logs.max()) + pad] if logs.size else None


def finder_figure(rt: RangeTest, marks: Sequence[Mark], height: int = 520) -> go.Figure:
    """The raw loss (grey) and the engine's smoothed loss (red) against the lr of each step; the loss axis
    spans both curves (log when every loss is positive), so a raw loss that drops many decades stays on the
    chart; each mark a vertical line labelled above the plot, neighbours on different rows (annotations on a
    log axis take log10 values; shapes take the lr itself).  Built from plain dicts (``figures_base.figure``):
    building it as a ``go.Figure``, with plotly.py's validation of each shape and annotation, took 33 ms of
    the page's 62 ms of server CPU."""
    data = [
        dict(type="scatter", x=rt.lrs, y=rt.losses, mode="lines+markers", name="loss after each step (raw)",
             line=dict(color="#999", width=1.5), marker=dict(size=4)),
        dict(type="scatter", x=rt.lrs, y=rt.smoothed, mode="lines", name="smoothed loss (fastai's, β = 0.98)",
             line=dict(color=COLORS[0], width=3)),
    ]
    xs = [*rt.lrs, *(m.lr for m in marks)]
    ys = [*rt.losses, *rt.smoothed]
    positive = all(y > 0 for y in ys if np.isfinite(y))  # a log loss axis; else linear (a saddle's f goes below 0)
    ordered = sorted(marks, key=lambda m: m.lr)  # neighbours' labels on different rows
    layout = dict(
        height=height, margin=dict(l=70, r=20, t=20 + _LABEL_ROW * min(len(marks), _LABEL_ROWS), b=60),
        legend=dict(orientation="h", x=0, y=-0.14, font=dict(size=14)), font=dict(size=14),
        xaxis=dict(LOG_AXIS, title=dict(text="learning rate (raised every step of the test)"),
                   range=_log_range(xs, 0.1)),
        yaxis=dict(LOG_AXIS, title=dict(text="loss"), range=_log_range(ys, 0.3)) if positive
        else dict(title=dict(text="loss")),
        shapes=[dict(type="line", xref="x", yref="y domain", x0=mark.lr, x1=mark.lr, y0=0, y1=1,
                     line=dict(color=mark.colour, dash=mark.dash, width=2.5)) for mark in ordered],
        annotations=[dict(x=float(np.log10(mark.lr)), y=1, yref="paper", yshift=4 + _LABEL_ROW * (k % _LABEL_ROWS),
                          text=mark.label, showarrow=False, xanchor="center", yanchor="bottom",
                          font=dict(size=14, color=readable(mark.colour)), bgcolor="rgba(255,255,255,0.85)")
                     for k, mark in enumerate(ordered)],
    )
    return figure(data, layout)
