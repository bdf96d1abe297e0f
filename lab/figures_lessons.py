"""Lesson-only figures (pure Plotly, no streamlit): the ones the Playground does not draw.

The map, loss, lr and stability charts come from ``lab.figures_*``; these add the 1-D parabola of lesson 1,
the per-parameter effective step of lesson 5, basin maps (7), the LR range test (9) and the regression
data with train/validation curves (10).  Each takes engine results and returns a ``go.Figure``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import plotly.graph_objects as go

from engine import Run, Surface
from engine.regression import Dataset
from engine.sweeps import BasinMap, RangeTest
from lab.figures_base import readable
from lab.figures_map import COLORS, LOG_AXIS, color

__all__ = ["basin_figure", "effective_lr_figure", "fit_figure", "parabola_figure", "point_marker",
           "path_trace", "paths_figure", "range_test_figure", "step_size_figure", "train_val_figure"]

# No template: views.widgets.live_chart gives every chart Streamlit's look (fonts, colours of the page's theme).
_LAYOUT = dict(template={}, margin=dict(l=10, r=10, t=30, b=10), plot_bgcolor="white", hovermode="closest")


def _axes(x_title: str, y_title: str, x_log: bool = False, y_log: bool = False) -> dict:
    def axis(title: str, log: bool) -> dict:
        # one tick per decade on log axes: plotly's default adds crowded 2..9 ticks on short ranges
        ticks = dict(LOG_AXIS, dtick=1) if log else dict(type="linear", exponentformat="power")
        return dict(title=title, showgrid=True, gridcolor="#eee", zeroline=False,
                    automargin=True, **ticks)  # room for tick labels and titles (plotly.js's default is none)

    return dict(xaxis=axis(x_title, x_log), yaxis=axis(y_title, y_log))


def parabola_figure(surface: Surface, run: Run, lr: float, steps_shown: int = 8, height: int = 300) -> go.Figure:
    """The cut f(w, 0) along the x axis with the first ``steps_shown`` iterates w_t as points on it and the
    first step drawn as an arrow from w_0 to w_1 = w_0 − α f'(w_0).  Meant for starts on the x axis."""
    path = run.points[: run.last_step(0) + 1, 0, 0]
    shown = path[: steps_shown + 1]
    (x0, x1), _ = surface.bounds
    reach = max(abs(x0), abs(x1), float(np.max(np.abs(shown))) * 1.1)
    ws = np.linspace(-reach, reach, 201)
    f = surface.value(np.column_stack([ws, np.zeros_like(ws)]))
    fs = surface.value(np.column_stack([shown, np.zeros_like(shown)]))
    fig = go.Figure([
        go.Scatter(x=ws, y=f, mode="lines", name="f(w)", line=dict(color="#4c78a8", width=2)),
        go.Scatter(x=shown, y=fs, mode="markers+lines", name="w₀, w₁, …",
                   line=dict(color=color(0), width=1, dash="dot"),
                   marker=dict(size=9, color=color(0)), text=[f"w{t}" for t in range(len(shown))],
                   hovertemplate="%{text} = %{x:.3g}<extra></extra>"),
    ], layout=dict(height=height, showlegend=True, legend=dict(orientation="h", y=1.12), **_LAYOUT,
                   **_axes("w", "f(w)")))
    if len(shown) > 1:
        fig.add_annotation(x=shown[1], y=fs[0], ax=shown[0], ay=fs[0], xref="x", yref="y", axref="x", ayref="y",
                           showarrow=True, arrowhead=3, arrowwidth=2, arrowcolor=COLORS[2],
                           text=f"−α·f′(w₀), α = {lr:.3g}", yshift=12, font=dict(color=readable(COLORS[2])))
    return fig


def effective_lr_figure(run: Run, label: str, height: int = 280) -> go.Figure:
    """Per parameter (x, y) against the step: the effective step (records["effective_lr"], e.g. α/(√v̂ + ε) for
    Adam: the factor that multiplies the gradient or its average m̂) dashed, and the move |Δw| = that factor
    × |m̂| it made solid; the base lr dotted.  Where a parameter's lines part, its step is not α times its
    gradient: an adaptive method treats x and y apart."""
    eff = run.records["effective_lr"][:, 0]
    last = max(run.last_step(0), 1)
    steps = np.arange(1, last + 1)
    moves = np.abs(np.diff(run.points[: last + 1, 0], axis=0))
    traces = [trace for k, axis in enumerate("xy") for trace in (
        go.Scatter(x=steps, y=eff[:last, k], mode="lines", name=f"{label}: effective step for {axis}",
                   line=dict(color=COLORS[k * 2], width=2, dash="dash")),
        go.Scatter(x=steps, y=moves[:, k], mode="lines", name=f"move |Δ{axis}|",
                   line=dict(color=COLORS[k * 2], width=2)))]
    traces.append(go.Scatter(x=steps, y=run.lrs[:last, 0], mode="lines", name="base lr α",
                             line=dict(color="#555", width=1, dash="dot")))
    return go.Figure(traces, layout=dict(height=height, legend=dict(orientation="h", y=1.15), **_LAYOUT,
                                         **_axes("step", "effective step, move", y_log=True)))


def step_size_figure(runs: Mapping[str, Run], guide: tuple[str, np.ndarray] | None = None,
                     height: int = 280) -> go.Figure:
    """Each run's |update| per coordinate divided by that step's lr (records["update"], "× α") against the
    step, on a log axis; ``guide``: a (name, values) curve from theory, dotted (e.g. RMSprop's 1/√(1 − 0.99ᵗ))."""
    traces = []
    for k, (label, run) in enumerate(runs.items()):
        last = max(run.last_step(0), 1)
        ratio = np.abs(run.records["update"][:last, 0]) / run.lrs[:last, 0, None]
        steps = np.arange(1, last + 1)
        traces += [go.Scatter(x=steps, y=ratio[:, j], mode="lines", name=f"{label}: {axis}",
                              line=dict(color=color(k), width=2, dash="solid" if j == 0 else "dash"))
                   for j, axis in enumerate("xy")]
    if guide is not None:
        name, values = guide
        traces.append(go.Scatter(x=np.arange(1, len(values) + 1), y=values, mode="lines", name=name,
                                 line=dict(color="#555", width=1, dash="dot")))
    return go.Figure(traces, layout=dict(height=height, legend=dict(orientation="h", y=1.2), **_LAYOUT,
                                         **_axes("step", "|step| ÷ α", y_log=True)))


def basin_figure(bm: BasinMap, start, names: Sequence[str], height: int = 360) -> go.Figure:
    """Each start point of the grid coloured by the minimum it reaches (grey: none or diverged)."""
    k = len(bm.minima)
    palette = ["#bbbbbb", *[COLORS[i % len(COLORS)] for i in range(k)]]
    scale = [[i / k if k else 0, c] for i, c in enumerate(palette)] if k else [[0, palette[0]], [1, palette[0]]]
    fig = go.Figure(go.Heatmap(x=bm.xs, y=bm.ys, z=bm.basin + 1, zmin=0, zmax=max(k, 1), colorscale=scale,
                               showscale=False, hovertemplate="start (%{x:.2f}, %{y:.2f})<extra></extra>"),
                    layout=dict(height=height, **_LAYOUT, **_axes("x", "y")))
    fig.update_yaxes(scaleanchor="x", constrain="domain")
    fig.update_xaxes(constrain="domain")
    for i, (m, name) in enumerate(zip(bm.minima, names, strict=True)):
        fig.add_trace(go.Scatter(x=[m[0]], y=[m[1]], mode="markers", name=name, showlegend=True,
                                 marker=dict(symbol="x", size=13, color=palette[i + 1],
                                             line=dict(color="black", width=1.5))))
    fig.add_trace(go.Scatter(x=[start[0]], y=[start[1]], mode="markers", name="your start",
                             marker=dict(symbol="star", size=16, color="gold", line=dict(color="black", width=1))))
    fig.update_layout(legend=dict(orientation="h", y=1.12))
    return fig


def range_test_figure(rt: RangeTest, chosen_lr: float, height: int = 300) -> go.Figure:
    """Smoothed loss against the swept lr (log axis), the raw loss faint, each suggestion as a dotted line
    and the lr in use as a solid one."""
    fig = go.Figure([
        go.Scatter(x=rt.lrs, y=rt.losses, mode="lines", name="loss", line=dict(color="#bbb", width=1)),
        go.Scatter(x=rt.lrs, y=rt.smoothed, mode="lines", name="smoothed loss", line=dict(color=color(0), width=2)),
    ], layout=dict(height=height, legend=dict(orientation="h", y=1.15), **_LAYOUT,
                   **_axes("learning rate (swept up during the test)", "loss", x_log=True, y_log=True)))
    # The loss axis holds both curves: the smoothed one lags, and the raw loss it lags behind must stay in view.
    both = np.concatenate([rt.losses, rt.smoothed])
    finite = both[np.isfinite(both) & (both > 0)]
    if finite.size:
        fig.update_yaxes(range=[np.log10(finite.min()) - 0.3, np.log10(finite.max()) + 0.3], dtick=None)
    marks = [(f"{name} {lr:.2g}", lr, COLORS[(i + 1) % len(COLORS)], "dot")
             for i, (name, lr) in enumerate((k, v) for k, v in rt.suggestions.items() if v is not None)]
    marks.append((f"your lr {chosen_lr:.2g}", chosen_lr, "black", "solid"))
    for k, (text, lr, colour, dash) in enumerate(marks):
        fig.add_vline(x=lr, line=dict(color=colour, dash=dash, width=2 if dash == "solid" else 1.5))
        # Labels as annotations in log10 units (add_vline's own annotation misplaces on log axes).
        fig.add_annotation(x=np.log10(lr), y=1 - 0.09 * k, xref="x", yref="paper", text=text, showarrow=False,
                           xanchor="left", xshift=3, font=dict(size=11, color=colour), bgcolor="rgba(255,255,255,0.8)")
    return fig


def fit_figure(data: Dataset, params, height: int = 300) -> go.Figure:
    """The training and validation points and the line y = w·x + b of ``params`` (w, b)."""
    w, b = float(params[0]), float(params[1])
    xs = np.array([0.0, 2.0])
    model = f"the model: y = {w:.2f}·x {'−' if b < 0 else '+'} {abs(b):.2f}"
    return go.Figure([
        go.Scatter(x=data.x_val, y=data.y_val, mode="markers", name="validation points",
                   marker=dict(size=5, color="#9ecae1")),
        go.Scatter(x=data.x_train, y=data.y_train, mode="markers", name="training points",
                   marker=dict(size=11, color=color(1), line=dict(color="black", width=1))),
        go.Scatter(x=xs, y=w * xs + b, mode="lines", name=model,
                   line=dict(color=color(0), width=3)),
    ], layout=dict(height=height, legend=dict(orientation="h", y=1.18), **_LAYOUT, **_axes("x", "y")))


def train_val_figure(train: np.ndarray, val: np.ndarray, best: int, height: int = 300) -> go.Figure:
    """Training and validation loss against the step, with the step of the lowest validation loss.  The
    y axis is zoomed on the part where the two curves part (the first steps start higher, off the top)."""
    steps = np.arange(len(train))
    top = 2.5 * max(float(val[best]), float(val[-1]), float(train[-1]))
    fig = go.Figure([
        go.Scatter(x=steps, y=train, mode="lines", name="training loss", line=dict(color=color(0), width=2)),
        go.Scatter(x=steps, y=val, mode="lines", name="validation loss", line=dict(color=color(2), width=2)),
    ], layout=dict(height=height, legend=dict(orientation="h", y=1.15), **_LAYOUT,
                   **_axes("step", "mean squared error (zoomed)")))
    fig.update_yaxes(range=[0, top])
    fig.add_vline(x=best, line=dict(color="#555", dash="dot"), annotation_text=f"lowest validation loss: step {best}")
    return fig


def point_marker(point, name: str, symbol: str = "star-diamond", colour: str = COLORS[2]) -> go.Scatter:
    """One labelled point to add to a map (e.g. the validation optimum on lesson 10's training loss)."""
    return go.Scatter(x=[point[0]], y=[point[1]], mode="markers", name=name, hoverinfo="name",
                      marker=dict(symbol=symbol, size=15, color=colour, line=dict(color="black", width=1)))


def path_trace(points, name: str, colour: str, dash: str = "dot") -> go.Scatter:
    """A path (k, 2) to add to a map, e.g. a preconditioned method's iterates beside the run's own."""
    points = np.asarray(points, dtype=float)
    return go.Scatter(x=points[:, 0], y=points[:, 1], mode="lines+markers", name=name, hoverinfo="name",
                      line=dict(color=colour, width=2, dash=dash), marker=dict(size=6, color=colour))


def paths_figure(paths: Mapping[str, np.ndarray], points: Mapping[str, np.ndarray], x_title: str, y_title: str,
                 height: int = 320) -> go.Figure:
    """Paths (k, 2) as lines with markers and labelled points (2,) in one plane, without a surface behind."""
    traces = [path_trace(p, name, color(k), dash="solid") for k, (name, p) in enumerate(paths.items())]
    symbols = ("star-diamond", "x", "star", "circle")
    traces += [point_marker(p, name, symbols[k % len(symbols)], COLORS[(k + len(paths)) % len(COLORS)])
               for k, (name, p) in enumerate(points.items())]
    fig = go.Figure(traces, layout=dict(height=height, legend=dict(orientation="h", y=1.2), **_LAYOUT,
                                        **_axes(x_title, y_title)))
    fig.update_yaxes(scaleanchor="x", constrain="domain")
    return fig
