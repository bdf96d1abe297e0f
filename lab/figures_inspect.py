"""The step inspector: what an optimizer computed at one step, as arrows on a zoomed map.  No streamlit.

Step k (1-based) goes from points[k-1] to points[k]; ``Run.records`` row k-1 holds its gradient, update,
effective lr and optimizer state (engine.simulate with ``record=True``).
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
import plotly.graph_objects as go

from engine import Run, Surface

from .figures_map import color, figure
from .map_view import legend_rows, map_layout
from .raster import surface_picture

__all__ = ["UPDATE", "Arrow", "inspector_figure", "step_arrows"]

# Optimizer state drawn as a direction (scaled by -lr, as the update uses it), with its label.
_STATE_ARROWS = {"momentum_buffer": "−γ·b (velocity)", "exp_avg": "−γ·m (first moment)"}
_ARROW_COLORS = ("#1f77b4", "#111111", "#9467bd", "#e377c2")
UPDATE = "update (actual step)"
_DWARF = 4.0  # an arrow more than this many times the update's length is drawn clipped
_PICTURE = 160  # pixels a side of the zoomed box's picture


class Arrow(NamedTuple):
    label: str
    vector: np.ndarray  # (2,)


def step_arrows(run: Run, step: int, i: int = 0) -> tuple[np.ndarray, list[Arrow], dict[str, np.ndarray]]:
    """(point before the step, arrows to draw, raw numbers) for step ``step`` of trajectory ``i``.

    Arrows: −γ·g (the plain gradient step), the actual update, the optimizer's velocity or first moment
    scaled by −γ when it keeps one, and −γ_eff ⊙ g when an adaptive method's per-parameter step differs
    from γ.  Raw numbers: gradient, update, effective lr and every recorded state, by name.
    """
    if run.records is None:
        raise ValueError("the run has no records; simulate with record=True")
    if not 1 <= step <= run.steps:
        raise ValueError(f"step must be in 1..{run.steps}, got {step}")
    row = {name: values[step - 1, i] for name, values in run.records.items()}
    lr = float(run.lrs[step - 1, i])
    g, eff = row["grad"], row["effective_lr"]
    arrows = [Arrow("−γ·g (gradient step)", -lr * g), Arrow(UPDATE, row["update"])]
    arrows += [Arrow(text, -lr * row[name]) for name, text in _STATE_ARROWS.items() if name in row]
    if not np.allclose(eff, lr, rtol=1e-9, atol=0):
        arrows.append(Arrow("−γ_eff ⊙ g (per-parameter step)", -eff * g))
    arrows = [a for a in arrows if np.all(np.isfinite(a.vector))]
    return run.points[step - 1, i], arrows, row


def _view(arrows: list[Arrow], floor: float) -> tuple[float, list[tuple[Arrow, bool]]]:
    """Half-width of the zoomed view, and each arrow as drawn (clipped or not).

    The view fits the actual update and every arrow up to ``_DWARF`` times as long; a longer one (Adam's raw
    gradient step on Rosenbrock can be 400× its update) is cut at the view's edge and says so, so the step
    that was taken stays visible."""
    lengths = [float(np.hypot(*a.vector)) for a in arrows]
    ref = max([n for a, n in zip(arrows, lengths, strict=True) if a.label == UPDATE] + [floor])
    reach = max([n for n in lengths if n <= _DWARF * ref] + [floor])
    limit = 1.4 * reach
    drawn = [(a, False) if n <= limit else
             (Arrow(f"{a.label}, clipped: {n:.3g} long", a.vector * (limit / n)), True)
             for a, n in zip(arrows, lengths, strict=True)]
    return 1.6 * reach, drawn


def inspector_figure(surface: Surface, run: Run, step: int, label: str, index: int = 0,
                     height: int = 420) -> go.Figure:
    """A map zoomed on step ``step`` of ``run`` with the ``step_arrows`` drawn from the point, over a picture
    of f drawn for the zoomed box itself (its bands follow f there, so the local shape shows)."""
    point, arrows, _ = step_arrows(run, step)
    span, drawn = _view(arrows, 0.02 * surface.view_diagonal)
    box = ((point[0] - span, point[0] + span), (point[1] - span, point[1] + span))
    names = [label, f"θ before step {step}"] + [arrow.label for arrow, _ in drawn]
    layout = map_layout(surface, "", height, legend=legend_rows(names))  # the legend above the map
    layout["xaxis"]["range"], layout["yaxis"]["range"] = list(box[0]), list(box[1])
    layout["images"] = [dict(layout["images"][0], source=surface_picture(surface, _PICTURE, bounds=box),
                             x=box[0][0], y=box[1][1], sizex=2 * span, sizey=2 * span)]
    path = run.points[: run.last_step(0) + 1, 0]
    data = [dict(type="scatter", x=path[:, 0], y=path[:, 1], mode="lines+markers", name=label, hoverinfo="skip",
                       line=dict(color=color(index), width=1.5), marker=dict(size=4), opacity=0.6),
            dict(type="scatter", x=[point[0]], y=[point[1]], mode="markers", name=names[1],
                       marker=dict(size=10, color=color(index), line=dict(color="black", width=1)))]
    notes = []
    for k, (arrow, clipped) in enumerate(drawn):
        tip = point + arrow.vector
        c = _ARROW_COLORS[k % len(_ARROW_COLORS)]
        notes.append(dict(x=tip[0], y=tip[1], ax=point[0], ay=point[1], xref="x", yref="y", axref="x",
                          ayref="y", showarrow=True, arrowhead=2, arrowsize=1.2, arrowwidth=2.5, arrowcolor=c,
                          text=""))
        # A legend entry per arrow (annotations have none).
        data.append(dict(type="scatter", x=[None], y=[None], mode="lines", name=arrow.label,
                         line=dict(color=c, width=3, dash="dot" if clipped else "solid")))
    layout["annotations"] = notes
    return figure(data, layout)
