"""The map's frame: which part of the plane a map shows and how its layout makes room around the plot.

``view_around`` widens the surface's bounds to take in a start outside them, ``left_view`` finds where a
path first leaves the view and ``inward`` which side of a border point a label goes; ``map_layout`` is the
layout dict (the surface picture under fixed axes, fixed margins) and ``legend_rows`` how many legend rows
to reserve.  Pure Python and NumPy: the Plotly figures that use these are in ``lab.figures_map``.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from engine import Surface

__all__ = ["LEGEND_ROW", "TICKS", "VIEW_MARGIN", "inward", "left_view", "legend_rows", "map_layout", "view_around"]

VIEW_MARGIN = 0.1  # a start outside the view is shown this share of the view's width inside the widened edge
# Fixed margins (px) and no automatic margin growth: the legend, the play buttons and the scrubber sit in
# reserved space, so Plotly lays the map out in one pass instead of measuring and re-laying it out.
TICKS = 24        # room for the tick labels below and left of the map
_CONTROLS = 86     # room for the play/pause buttons and the scrubber under the tick labels
LEGEND_ROW = 22



def view_around(bounds, start) -> tuple[tuple[float, float], tuple[float, float]]:
    """``bounds`` ((xmin, xmax), (ymin, ymax)) when ``start`` lies inside; otherwise widened on the start's side
    so that it lies ``VIEW_MARGIN`` of the view's width (height) inside the edge, and the other axis widened
    about its centre by the same factor, so the map keeps its shape."""
    widened = []
    for (lo, hi), s in zip(bounds, start, strict=True):
        margin = VIEW_MARGIN * (hi - lo)
        widened.append((s - margin if s < lo else lo, s + margin if s > hi else hi))
    factor = max((b - a) / (hi - lo) for (a, b), (lo, hi) in zip(widened, bounds, strict=True))
    return tuple((a, b) if (b - a) / (hi - lo) == factor else
                 ((lo + hi) / 2 - factor * (hi - lo) / 2, (lo + hi) / 2 + factor * (hi - lo) / 2)
                 for (a, b), (lo, hi) in zip(widened, bounds, strict=True))


def left_view(path: np.ndarray, bounds) -> tuple[int, np.ndarray] | None:
    """(step, point on the border) where a path first leaves the view, or None if it stays inside.

    The point is where the segment from the last inside point crosses the border, so the marker sits on
    the edge of the map.
    """
    (x0, x1), (y0, y1) = bounds
    lo, hi = np.array([x0, y0]), np.array([x1, y1])
    outside = ~np.all((path >= lo) & (path <= hi), axis=1)
    if not outside.any():
        return None
    k = int(outside.argmax())
    if k == 0:
        return 0, np.clip(path[0], lo, hi)
    a, b = path[k - 1], path[k]
    d = b - a
    with np.errstate(divide="ignore", invalid="ignore"):
        t_lo, t_hi = (lo - a) / d, (hi - a) / d
    exits = np.where(d > 0, t_hi, np.where(d < 0, t_lo, np.inf))
    t = float(np.clip(np.nanmin(exits), 0.0, 1.0))
    return k, np.clip(a + t * d, lo, hi)


def legend_rows(names: Sequence[str], width: float = 520.0) -> int:
    """How many rows a horizontal legend of ``names`` takes in ``width`` px (about 7 px a character plus
    40 px for the symbol and gap): the map reserves that much room above itself."""
    rows, used = 1, 0.0
    for name in names:
        item = 40.0 + 7.0 * len(name)
        if used and used + item > width:
            rows, used = rows + 1, 0.0
        used += item
    return rows


def map_layout(surface: Surface, picture: str, height: int, legend: int = 1, controls: bool = False,
               view=None) -> dict:
    """The map's layout: the surface picture under fixed axes over ``view`` (default: the surface's bounds),
    ``legend`` rows of legend above the plot area, and room for the animation controls below it when
    ``controls``."""
    (x0, x1), (y0, y1) = surface.bounds if view is None else view
    axis = dict(showgrid=False, zeroline=False, constrain="domain", title=None, automargin=False)
    top = 10 + LEGEND_ROW * legend if legend else 10
    return dict(
        height=height, margin=dict(l=40, r=10, t=top, b=TICKS + (_CONTROLS if controls else 0), autoexpand=False),
        showlegend=bool(legend), dragmode="pan",
        legend=dict(orientation="h", yanchor="bottom", y=1.0, x=0, bgcolor="rgba(255,255,255,0.7)"),
        xaxis=dict(range=[x0, x1], **axis),
        yaxis=dict(range=[y0, y1], scaleanchor="x", **axis),
        images=[dict(source=picture, xref="x", yref="y", x=x0, y=y1, sizex=x1 - x0, sizey=y1 - y0,
                     sizing="stretch", layer="below")],
        plot_bgcolor="white", uirevision=surface.slug,
    )


def inward(point, bounds) -> str:
    """Plotly textposition that puts a label on the inner side of a point on the view's border."""
    (x0, x1), (y0, y1) = bounds
    tx, ty = (point[0] - x0) / (x1 - x0), (point[1] - y0) / (y1 - y0)
    vertical = "bottom" if ty > 0.85 else "top" if ty < 0.15 else "middle"
    horizontal = "left" if tx > 0.6 else "right" if tx < 0.4 else "center"
    return f"{vertical} {horizontal}"
