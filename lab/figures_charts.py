"""Pure Plotly builders for the line charts: loss and learning rate against step, and the stability strip
that puts 1/L and 2/L on the learning-rate axis.  No streamlit import.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import plotly.graph_objects as go

from engine import Run, Surface

from .config import LR_PARAM
from .figures_base import ink
from .figures_map import LOG_AXIS, color, spec, typed

__all__ = ["LR_AXIS", "loss_figure", "loss_range", "loss_series", "loss_spec", "lr_figure", "lr_spec",
           "progress_figure", "progress_spec",
           "stability_figure", "stability_spec"]

LR_AXIS = (LR_PARAM.low, LR_PARAM.high)  # the stability strip spans every lr a config may hold
_TINY = 1e-16


def loss_series(surface: Surface, runs: Sequence[Run]) -> tuple[list[np.ndarray], str, bool]:
    """What the loss chart plots: (one array per run, axis title, log axis?).

    f itself on a log axis when every value is positive; f − f* when the surface has known minima (so a
    negative minimum such as the six-hump camel's still fits a log axis); plain f on a linear axis otherwise
    (saddles are unbounded below).
    """
    losses = [r.losses[: r.last_step(0) + 1, 0] for r in runs]
    finite = np.concatenate([v[np.isfinite(v)] for v in losses]) if losses else np.array([1.0])
    if finite.size and finite.min() > 0:
        return losses, "f (log scale)", True
    if len(surface.minima):
        f_star = float(np.min(surface.value(surface.minima)))
        return [np.maximum(v - f_star, _TINY) for v in losses], "f − f* (log scale)", True
    return losses, "f", False


def loss_range(series: Sequence[np.ndarray], runs: Sequence[Run], log: bool) -> list[float] | None:
    """The loss axis's range from the racers that did not diverge (log10 units on a log axis), with a little
    room above and below, so that one racer's blow-up does not squash the others into a flat line; None
    (Plotly's own range) when every racer diverged or none did."""
    kept = [v[np.isfinite(v)] for v, r in zip(series, runs, strict=True) if r.status[0] != "diverged"]
    values = np.concatenate(kept) if kept else np.array([])
    if len(kept) == len(runs) or not values.size:
        return None
    if log:
        lo, hi = np.log10(values.min()), np.log10(values.max())
        return [lo - 0.05 * (hi - lo) - 0.2, hi + 0.1 * (hi - lo) + 0.3]
    pad = 0.08 * (values.max() - values.min()) or 1.0
    return [values.min() - pad, values.max() + pad]


def _fitted(series: Sequence[np.ndarray], log: bool) -> list[float] | None:
    """An axis range around every finite value of ``series``: on a log axis (positive values, log10 units) the
    whole decades around them, on a linear one 5 % of the span beyond each end (half a unit either side of a
    single value), as Plotly's own range would be; None when there is no value to show."""
    values = np.concatenate([np.asarray(v, dtype=float).ravel() for v in series]) if series else np.array([])
    values = values[np.isfinite(values) & (values > 0)] if log else values[np.isfinite(values)]
    if not values.size:
        return None
    if log:  # whole decades, a tenth of one at least beyond the values: the axis keeps still while they move
        lo, hi = np.log10(values.min()), np.log10(values.max())
        return [float(np.floor(lo - 0.1)), float(np.ceil(hi + 0.1))]
    lo, hi = values.min(), values.max()
    pad = 0.05 * (hi - lo) or 0.5
    return [float(lo - pad), float(hi + pad)]


def _diverged_marks(series: Sequence[np.ndarray], runs: Sequence[Run], top: float | None, log: bool,
                    axes: dict) -> list[dict]:
    """For each diverged racer, an × where its curve leaves the chart through the top of the range ``top``
    (its last point when it stays under it) with the engine's words, "diverged at step 5"; a racer that did
    not diverge has the mark's trace with no point (each racer's traces keep their places whatever its lr: the
    live lr slider swaps them, ``lab.scrub_charts``)."""
    marks = []
    for i, (v, run) in enumerate(zip(series, runs, strict=True)):
        blew_up = run.status[0] == "diverged" and len(v) > 0  # else the racer's mark has no point (its slot stays)
        step, y = 0, 0.0
        if blew_up:
            with np.errstate(all="ignore"):
                level = np.log10(v) if log else v
            above = np.flatnonzero(~(level <= top)) if top is not None else np.array([], dtype=int)
            step = int(above[0]) if above.size else len(v) - 1
            y = (10**top if log else top) if above.size else float(v[step])
        marks.append(dict(type="scatter", x=[step] if blew_up else [], y=[y] if blew_up else [],
                          mode="markers+text", cliponaxis=False,
                          text=[run.facts(0).status_words(brief=True)] if blew_up else [], textposition="middle right",
                          textfont=dict(color=ink(i), size=12), marker=dict(symbol="x", size=10, color=color(i)),
                          showlegend=False, hoverinfo="skip", **axes))
    return marks


def _lines(series: Sequence[np.ndarray], labels: Sequence[str], dash: str = "solid", flat: bool = False) -> list[dict]:
    """A line per series against the step (Plotly's x0/dx: the steps are not sent).  ``flat``: the interior points
    of each run of equal values are left out (the line drawn is the same; a constant lr is two points), with
    the kept steps as x."""
    lines = []
    for i, (v, label) in enumerate(zip(series, labels, strict=True)):
        line = dict(type="scatter", mode="lines", name=label, line=dict(color=color(i), width=2, dash=dash))
        if flat:
            kept = _run_ends(v)
            lines.append(dict(line, x=typed(kept), y=typed(v[kept])))
        else:
            lines.append(dict(line, x0=0, dx=1, y=typed(v)))
    return lines


def _run_ends(values: np.ndarray) -> np.ndarray:
    """The indices of ``values`` that are not inside a run of equal values (the first, the last, and every
    point that differs from its predecessor or successor)."""
    same = values[1:] == values[:-1]
    inner = np.zeros(len(values), dtype=bool)
    inner[1:-1] = same[:-1] & same[1:]
    return np.flatnonzero(~inner)


# Fixed margins, nothing allowed to grow them: Plotly lays a chart out in one pass (no automargin re-layout).
_MARGIN = dict(l=66, r=10, t=30, b=40, autoexpand=False)


def _y_axis(title: str, log: bool, **extra) -> dict:
    scale = LOG_AXIS if log else dict(type="linear", exponentformat="power")
    return dict(title=dict(text=title, standoff=4), automargin=False, **scale, **extra)


def _chart_layout(title: str, y_title: str, log: bool, height: int) -> dict:
    return dict(
        height=height, margin=_MARGIN, title=dict(text=title, font=dict(size=14)),
        xaxis=dict(title=dict(text="step", standoff=4), automargin=False), yaxis=_y_axis(y_title, log),
        showlegend=False, hovermode="x unified",
    )


def loss_figure(surface: Surface, runs: Sequence[Run], labels: Sequence[str], height: int = 250) -> go.Figure:
    """``loss_spec`` as a ``go.Figure``."""
    return go.Figure(loss_spec(surface, runs, labels, height), _validate=False)


def loss_spec(surface: Surface, runs: Sequence[Run], labels: Sequence[str], height: int = 250) -> dict:
    """Loss against step for each run (see ``loss_series`` for the axis; ``loss_range`` for its range, with a
    diverged racer's curve clipped at the top and marked), as a plain figure dict."""
    series, title, log = loss_series(surface, runs)
    layout = _chart_layout("Loss", title, log, height)
    top = loss_range(series, runs, log)
    if top is not None:
        layout["yaxis"]["range"] = top
    marks = _diverged_marks(series, runs, top and top[1], log, {})
    return spec(_lines(series, labels) + marks, layout)


def lr_figure(runs: Sequence[Run], labels: Sequence[str], height: int = 200) -> go.Figure:
    """``lr_spec`` as a ``go.Figure``."""
    return go.Figure(lr_spec(runs, labels, height), _validate=False)


def lr_spec(runs: Sequence[Run], labels: Sequence[str], height: int = 200) -> dict:
    """The learning rate each step actually used (the schedule as applied), log axis, as a plain figure dict."""
    series = [r.lrs[:, 0] for r in runs]
    positive = all(np.all(v > 0) for v in series)
    return spec(_lines(series, labels, flat=True), _chart_layout("Learning rate", "lr", positive, height))


def progress_figure(surface: Surface, runs: Sequence[Run], labels: Sequence[str], height: int = 440) -> go.Figure:
    """``progress_spec`` as a ``go.Figure``."""
    return go.Figure(progress_spec(surface, runs, labels, height), _validate=False)


def progress_spec(surface: Surface, runs: Sequence[Run], labels: Sequence[str], height: int = 440) -> dict:
    """``loss_figure`` above ``lr_figure`` in one figure (two stacked plots sharing the step axis): one chart
    for the browser to draw instead of two; a plain figure dict.  Every axis has its range set (``_fitted``
    where ``loss_range`` leaves it to Plotly; a log lr axis spans the slider's whole ``LR_AXIS`` at least), so
    the live lr slider moves the curves without Plotly fitting, or the slider changing, the axes: a change of
    range redraws the whole chart."""
    series, title, log = loss_series(surface, runs)
    lrs = [r.lrs[:, 0] for r in runs]
    positive = all(np.all(v > 0) for v in lrs)
    lr_lines = [dict(line, xaxis="x2", yaxis="y2", showlegend=False) for line in _lines(lrs, labels, flat=True)]
    top = loss_range(series, runs, log)
    marks = _diverged_marks(series, runs, top and top[1], log, {})
    heading = dict(xref="paper", yref="paper", x=0, xanchor="left", yanchor="bottom", showarrow=False,
                   font=dict(size=14))
    loss_axis, lr_axis = top or _fitted(series, log), _fitted([*lrs, np.array(LR_AXIS)] if positive else lrs, positive)
    return spec(_lines(series, labels) + marks + lr_lines, dict(
        height=height, margin=_MARGIN, showlegend=False, hovermode="x unified",
        xaxis=dict(domain=[0, 1], anchor="y", automargin=False, range=[0, max(r.steps for r in runs)]),
        yaxis=_y_axis(title, log, domain=[0.5, 1], **({} if loss_axis is None else {"range": loss_axis})),
        xaxis2=dict(domain=[0, 1], anchor="y2", matches="x", automargin=False, title=dict(text="step", standoff=4)),
        yaxis2=_y_axis("lr", positive, domain=[0, 0.3], **({} if lr_axis is None else {"range": lr_axis})),
        annotations=[dict(heading, y=1, yshift=6, text="<b>Loss</b>"),
                     dict(heading, y=0.3, yshift=6, text="<b>Learning rate</b>")],
    ))


def stability_figure(one_over_l: float, two_over_l: float, lrs: Sequence[float], labels: Sequence[str],
                     height: int = 120, limits: Sequence[float | None] | None = None) -> go.Figure:
    """``stability_spec`` as a ``go.Figure``."""
    return go.Figure(stability_spec(one_over_l, two_over_l, lrs, labels, height, limits), _validate=False)


def stability_spec(one_over_l: float, two_over_l: float, lrs: Sequence[float], labels: Sequence[str],
                   height: int = 120, limits: Sequence[float | None] | None = None) -> dict:
    """A plain figure dict: the log lr axis split where plain gradient descent changes behaviour at the local
    curvature L: creeps in below 1/L, zigzags in between 1/L and 2/L, blows up above 2/L; a marker at each chosen lr
    (racer 1 highest).
    Infinite thresholds (no positive curvature) leave the whole axis "no overshoot".  limits: each racer's
    own largest stable lr (``engine.theory.stability_limit``): one other than 2/L (momentum: 2(1 + β)/L) is a
    short line in the racer's colour at its marker's height; None (an adaptive method) says "no fixed band"
    beside the marker."""
    lo, hi = LR_AXIS
    bands = [(lo, min(one_over_l, hi), "#c7e9c0", "creeps in"),
             (min(one_over_l, hi), min(two_over_l, hi), "#fdd49e", "zigzags in"),
             (min(two_over_l, hi), hi, "#fcbba1", "blows up")]
    shapes, notes = [], []
    for a, b, fill, text in bands:
        if b > a:
            shapes.append(dict(type="rect", xref="x", yref="paper", x0=a, x1=b, y0=0, y1=1, fillcolor=fill,
                               line=dict(width=0), layer="below"))
            notes.append(dict(x=np.log10(np.sqrt(a * b)), y=0.82, yref="paper", text=text, showarrow=False,
                              font=dict(size=11, color="#444")))
    for value, text, side in ((one_over_l, "1/L", "right"), (two_over_l, "2/L", "left")):
        if lo < value < hi:
            shapes.append(dict(type="line", xref="x", yref="paper", x0=value, x1=value, y0=0, y1=1,
                               line=dict(color="#555", width=1, dash="dot")))
            notes.append(dict(x=np.log10(value), y=0.25, yref="paper", text=f"{text} = {value:.3g}",
                              showarrow=False, xanchor=side, xshift=-3 if side == "right" else 3,
                              font=dict(size=11)))
    n = len(lrs)  # racers' markers a little apart in height, so equal learning rates do not hide each other
    heights = [0.5 + 0.12 * ((n - 1) / 2 - i) for i in range(n)]
    data = [dict(type="scatter", x=[lr], y=[y], mode="markers", name=label,
                 hovertemplate=f"{label}: lr %{{x:.3g}}<extra></extra>",
                       marker=dict(symbol="triangle-down", size=16, color=color(i), line=dict(color="black", width=1)))
            for i, (lr, label, y) in enumerate(zip(lrs, labels, heights, strict=True))]
    for i, (lr, label, limit, y) in enumerate(zip(lrs, labels, limits or [two_over_l] * n, heights, strict=True)):
        if limit is None:
            notes.append(dict(x=np.log10(lr), y=y, yref="paper", text="no fixed band", showarrow=False,
                              xanchor="right", xshift=-10, font=dict(size=11, color=ink(i))))
        elif lo < limit < hi and not np.isclose(limit, two_over_l, rtol=1e-9):
            shapes.append(dict(type="line", xref="x", yref="paper", x0=limit, x1=limit, y0=y - 0.1, y1=y + 0.1,
                               line=dict(color=color(i), width=3)))
            notes.append(dict(x=np.log10(limit), y=y, yref="paper", text=f"{limit:.3g}", showarrow=False,
                              xanchor="left", xshift=4, font=dict(size=11, color=ink(i)),
                              hovertext=f"{label}: stable below lr {limit:.3g}"))
    return spec(data, dict(
        height=height, margin=dict(l=10, r=14, t=4, b=30, autoexpand=False), showlegend=False, shapes=shapes,
        annotations=notes, xaxis=dict(LOG_AXIS, range=[np.log10(lo), np.log10(hi)], title=None, dtick=1,
                                      fixedrange=True, showgrid=False, automargin=False),
        yaxis=dict(visible=False, range=[0, 1], fixedrange=True, automargin=False), plot_bgcolor="white"))
