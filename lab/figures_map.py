"""Pure Plotly builders for the map of a surface: paths animated in the browser, click-to-pick grid, the
step inspector's arrows, and the 3D view.  No streamlit import: these take engine objects and return
``go.Figure``; the lessons reuse them.

Each figure shows trajectory 0 of each ``Run`` (the Playground simulates one start per optimizer).
Animation follows DESIGN.md's traps: the surface is a background picture (``layout.images``), every frame
sends only the moving heads (``traces=[...]``) as short fixed-length trails, so the payload grows linearly
with the number of frames, never quadratically.  The view (which part of the plane) and the layout's room
for legend and controls come from ``lab.map_view``.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import plotly.graph_objects as go

from engine import Run, Surface

from .figures_base import COLORS, F4, LOG_AXIS, MAX_FRAMES, color, figure, frame_steps, spec, typed
from .figures_distance import STRIP_PX, pace, strip_heads
from .figures_distance import strip as distance_strip
from .map_view import LEGEND_ROW, TICKS, inward, left_view, legend_rows, map_layout, view_around
from .raster import UNDEFINED_LINE, grid, surface_picture
from .scrub import map_line

__all__ = [
    "COLORS", "LOG_AXIS", "MAX_FRAMES", "SCRUB_STEPS", "TRAIL", "UNDEFINED", "add_marks", "color", "figure",
    "frame_steps", "MapScene", "map_figure", "map_spec", "map_still", "path_trace", "spec", "surface3d_figure", "typed",
    "with_marks",
]

SCRUB_STEPS = 20  # positions on the step scrubber at most (every few frames: each one is measured and drawn)
TRAIL = 12         # points in a moving head's trail
PICK_GRID = 21     # the invisible click grid is PICK_GRID x PICK_GRID points
UNDEFINED = "f not defined (hatched)"  # the legend entry of the blank part of a map
def _path(run: Run) -> np.ndarray:
    """Trajectory 0's real points (up to where it stopped), shape (k, 2)."""
    return run.points[: run.last_step(0) + 1, 0]


def _trails(path: np.ndarray, ts) -> np.ndarray:
    """The TRAIL points ending at each step of ``ts``, shape (len(ts), TRAIL, 2) (held at the last point
    after the path stopped; padded at 0)."""
    idx = np.clip(np.asarray(ts)[:, None] + np.arange(1 - TRAIL, 1), 0, len(path) - 1)
    return path[idx]


def add_marks(fig: go.Figure, traces) -> None:
    """Add ``traces`` (points or paths with legend entries) to a map figure and make room above the plot for
    every row its legend now takes (``map_layout`` reserved room for the runs' entries only)."""
    fig.add_traces(list(traces))
    names = [t.name for t in fig.data if t.showlegend is not False and t.name]
    fig.update_layout(margin_t=10 + LEGEND_ROW * legend_rows(names))


def with_marks(figure_dict: dict, traces) -> dict:
    """``add_marks`` on a plain figure dict (a new one; ``traces``: go traces or dicts)."""
    if not traces:
        return figure_dict
    data = figure_dict["data"] + [t if isinstance(t, dict) else t.to_plotly_json() for t in traces]
    names = [t["name"] for t in data if t.get("showlegend") is not False and t.get("name")]
    layout = figure_dict["layout"]
    layout = {**layout, "margin": {**layout["margin"], "t": 10 + LEGEND_ROW * legend_rows(names)}}
    return {**figure_dict, "data": data, "layout": layout}


@lru_cache(maxsize=16)
def _pick_grid(surface: Surface, view) -> dict:
    """The invisible click grid over ``view``: a scatter drawn in mode "none", so the browser creates nothing
    for any of its points (markers, even transparent ones, and empty text points are each a node to redraw),
    while hovering still shows f there ("f not defined" where it is NaN) and a click still picks the nearest
    grid point.  Cached on the surface and view (the live lr slider builds the map for every lr of its grid);
    shared, so never mutated."""
    xs, ys, z = grid(surface, PICK_GRID, view)
    gx, gy = np.meshgrid(xs, ys)
    return dict(type="scatter",
        x=typed(gx.ravel()), y=typed(gy.ravel()),
        hovertext=["f not defined" if math.isnan(v) else f"f={v:.4g}" for v in z.ravel().tolist()],
        mode="none", name="click to start here", showlegend=False,
        hovertemplate="x=%{x:.3g}, y=%{y:.3g}<br>%{hovertext}<extra>click: start here</extra>",
    )


def _undefined_key() -> dict:
    """A legend entry (no points) for the hatched part of the map where f is not defined."""
    return dict(type="scatter", x=[None], y=[None], mode="markers", name=UNDEFINED, hoverinfo="skip",
                marker=dict(symbol="square", size=12, color="white", line=dict(color=f"rgb{UNDEFINED_LINE}", width=2)))


def _view_words(run: Run, step: int, default_view: bool) -> str:
    """Trajectory 0 left the map's view at ``step``: on the default view (the one the engine measures its
    events against) the engine's own words, "left the view at step 4, back at step 12", or "left the view at
    step 2, diverged at step 5"; on a widened view "left the view at step k" alone."""
    facts = run.facts(0)
    if not default_view:
        return f"left the view at step {step}"
    if facts.status == "diverged":
        return f"left the view at step {step}, {facts.status_words(brief=True)}"
    return ", ".join(facts.events())


def _static_marks(surface: Surface, start) -> list:
    """The start's star and the known minima's crosses.

    The star is drawn over the axes' edge (``cliponaxis`` off), which also keeps the exit marks whole on the
    map's edge mid-drag: Plotly clips each trace on its own only when a trace of the subplot has ``cliponaxis``
    off, and it forgets that setting for a trace with no point (the exit marks of a run that stays inside); it then
    clips the whole plot, and a partial update (Plotly.animate, the live lr slider's) never lifts that clip.  The
    star always has its point, so the map is clipped per trace from the first draw."""
    traces = [dict(type="scatter",
        x=[start[0]], y=[start[1]], mode="markers", name="start", hoverinfo="skip", cliponaxis=False,
        marker=dict(symbol="star", size=16, color="gold", line=dict(color="black", width=1)))]
    if len(surface.minima):
        traces.append(dict(type="scatter",
            x=surface.minima[:, 0], y=surface.minima[:, 1], mode="markers", name="known minimum",
            marker=dict(symbol="x-thin", size=12, line=dict(color="black", width=2)), hoverinfo="x+y"))
    return traces


def _exit_marks(scene: MapScene, paths: Sequence[np.ndarray]) -> dict:
    """Every racer's × where its path leaves the view, with the engine's words, in ONE trace (each Plotly call
    costs in proportion to all the traces of a figure, so the live lr slider redraws fewer): a point per racer
    that leaves, coloured as its path, its words beside it on the inner side and "<racer>: left the view" on
    hover; no point for a racer that stays inside.  Drawn over the axes' edge (``cliponaxis`` off), so an × on
    the border shows whole, in the server's figure and in the live slider's patch alike."""
    xs, ys, words, places, colours, hovers = [], [], [], [], [], []
    for i, (run, path, label) in enumerate(zip(scene.runs, paths, scene.labels, strict=True)):
        exit_ = left_view(path, scene.view)
        if exit_ is None and run.status[0] == "diverged":  # it jumped past the far bound from inside the view
            exit_ = (int(run.stopped_at[0]), path[-1])
        if exit_ is None:
            continue
        step, point = exit_
        xs.append(float(point[0]))
        ys.append(float(point[1]))
        words.append(_view_words(run, step, scene.view == scene.surface.bounds))
        places.append(inward(point, scene.view))
        colours.append(color(i))
        hovers.append(f"{label}: left the view")
    return dict(type="scatter", x=xs, y=ys, mode="markers+text", text=words, textposition=places,
                cliponaxis=False, textfont=dict(color=colours, size=13), showlegend=False,
                marker=dict(symbol="x", size=14, color=colours, line=dict(color="white", width=1)),
                name="left the view", hovertext=hovers, hoverinfo="text")


def _heads(paths: Sequence[np.ndarray], ts) -> np.ndarray:
    """Every racer's trail (``_trails``) at each step of ``ts`` in one row: shape (len(ts), racers x TRAIL, 2),
    racer i's TRAIL points at [i x TRAIL, (i + 1) x TRAIL)."""
    return np.concatenate([_trails(path, ts) for path in paths], axis=1)


def _head_trace(paths: Sequence[np.ndarray]) -> dict:
    """Every racer's moving head at step 0 in ONE trace (the frames move it; one trace, not one per racer, as
    the live lr slider redraws every trace of the map in each frame): per racer TRAIL markers growing to its
    head, the head ringed in white, all in the racer's colour."""
    racers = len(paths)
    sizes = np.tile(np.append(np.linspace(3, 7, TRAIL - 1), 11), racers).tolist()
    rings = np.tile(np.append(np.zeros(TRAIL - 1), 1.5), racers).tolist()
    heads = _heads(paths, [0])[0]
    return dict(type="scatter",
        x=typed(heads[:, 0]), y=typed(heads[:, 1]), mode="markers", showlegend=False, name="heads",
        hoverinfo="skip", marker=dict(size=sizes, color=[color(i) for i in range(racers) for _ in range(TRAIL)],
                                      line=dict(color="white", width=rings)),
        selected=dict(marker=dict(opacity=1)), unselected=dict(marker=dict(opacity=1)))


def path_trace(i: int) -> int:
    """The index in ``map_spec``'s traces of racer i's faint full path (after the click grid)."""
    return 1 + i


@dataclass(frozen=True)
class MapScene:
    """What a map shows: trajectory 0 of each of ``runs`` on ``surface``, named by ``labels``, over ``view``
    ((xmin, xmax), (ymin, ymax)) whose background is ``picture`` (``lab.raster.surface_picture`` of that
    view), with the start marked at ``start`` (None: no start mark)."""

    surface: Surface
    runs: Sequence[Run]
    labels: Sequence[str]
    picture: str
    view: tuple
    start: object = None


def map_figure(surface: Surface, runs: Sequence[Run], labels: Sequence[str], picture: str,
               start=None, animate: bool = True, height: int = 520, strip: bool = False) -> go.Figure:
    """``map_spec`` as a ``go.Figure``."""
    return go.Figure(map_spec(surface, runs, labels, picture, start, animate, height, strip), _validate=False)


def map_spec(surface: Surface, runs: Sequence[Run], labels: Sequence[str], picture: str,
             start=None, animate: bool = True, height: int = 520, strip: bool = False) -> dict:
    """The map as a plain figure dict: background picture, faint full paths, animated heads, start, minima
    and exits.

    With ``animate`` the figure carries frames (``lab.figures_distance.pace``: evenly sampled steps, and slow
    motion where a path leaves the view, comes back or diverges), a play/pause button and a step slider;
    every frame updates only the head traces.  ``start`` defaults to the first path's first point.
    ``picture`` is the surface's own view; a start outside that view widens the map (``view_around``) and
    the picture is drawn again for it.  Where f is not defined the map is hatched, with a legend entry.
    ``strip``: the distance strip (``lab.figures_distance.strip``) under the map, ``STRIP_PX`` more height,
    its heads moving with the map's.
    """
    paths = [_path(r) for r in runs]
    start = paths[0][0] if start is None and paths else start
    view = surface.bounds if start is None else view_around(surface.bounds, start)
    if view != surface.bounds:
        picture = surface_picture(surface, bounds=view)
    animate = animate and bool(paths)
    traces, layout, head_index = _parts(MapScene(surface, runs, labels, picture, view, start), height, strip, animate)
    if not animate:
        return spec(traces, layout)
    ts, durations = pace(runs, frame_steps(max(len(r.points) - 1 for r in runs)))
    frames = [[dict(type="scatter", x=typed(heads[:, 0]), y=typed(heads[:, 1]))] for heads in _heads(paths, ts)]
    if strip:
        frames = [data + heads for data, heads in zip(frames, strip_heads(surface, runs, ts), strict=True)]
    return spec(traces, layout, _animation(layout, ts, durations, head_index, frames))


def map_still(scene: MapScene, height: int = 520, strip: bool = False, controls: bool = False) -> dict:
    """``map_spec`` without its frames and animation buttons: every trace, the heads at step 0, and the layout
    (with room for the animation's controls when ``controls``).  The live lr slider builds this for every lr
    of its grid (``lab.scrub_charts``), so what it shows mid-drag is what ``map_spec`` draws."""
    return spec(*_parts(scene, height, strip, controls)[:2])


def _parts(scene: MapScene, height: int, strip: bool, controls: bool) -> tuple[list, dict, list[int]]:
    """``map_still``'s traces and layout, and the indices of the head traces (the frames move them)."""
    surface, runs, labels, view = scene.surface, scene.runs, scene.labels, scene.view
    paths = [_path(r) for r in runs]
    pick = _pick_grid(surface, view)
    traces: list = [pick]
    for i, (run, label) in enumerate(zip(runs, labels, strict=True)):
        line = map_line(surface, run)  # what the live lr slider draws for this lr too (lab.scrub)
        traces.append(dict(type="scatter",
            x=typed(line[:, 0]), y=typed(line[:, 1]), mode="lines", name=label, legendgroup=str(i),
            line=dict(color=color(i), width=1.5), opacity=0.45, hoverinfo="skip"))
    head_index = [len(traces)] if paths else []
    traces += [_head_trace(paths)] if paths else []
    traces += _static_marks(surface, scene.start)
    traces += [_exit_marks(scene, paths)] if paths else []
    if any(text == "f not defined" for text in pick["hovertext"]):
        traces.append(_undefined_key())
    names = [t["name"] for t in traces if t.get("showlegend", True) and t.get("name")]
    strip = strip and bool(paths)
    layout = map_layout(surface, scene.picture, height + (STRIP_PX if strip else 0), legend_rows(names),
                        controls=controls, view=view)
    if strip:
        plot_px = layout["height"] - layout["margin"]["t"] - layout["margin"]["b"]
        lines, heads, strip_layout = distance_strip(surface, runs, labels, plot_px)
        layout["yaxis"]["domain"] = [STRIP_PX / plot_px, 1]
        layout.update(strip_layout)
        head_index += list(range(len(traces) + len(lines), len(traces) + len(lines) + len(heads)))
        traces += lines + heads
    return traces, layout, head_index


def _animation(layout: dict, ts: np.ndarray, durations: list[int], head_index: list[int],
               data: list[list[dict]]) -> list[dict]:
    """The frames (named by their steps ``ts``; each sets the head traces ``head_index`` to its ``data`` and
    lasts its ``durations`` ms on Play), and the play/pause buttons and step slider put in ``layout``
    (Plotly's own, for the HTML export; ``views.widgets.live_chart`` draws keyboard-reachable HTML controls in their
    place, in the same reserved room)."""
    frames = [dict(name=str(t), traces=head_index, data=d) for t, d in zip(ts.tolist(), data, strict=True)]
    still = dict(frame=dict(duration=0, redraw=False), mode="immediate", transition=dict(duration=0))
    pace_ = [dict(duration=d, redraw=False) for d in durations]  # plotly.js takes one option per frame
    play = dict(frame=pace_ if len(set(durations)) > 1 else pace_[0], fromcurrent=True, mode="immediate",
                transition=dict(duration=0))
    # Paper y of the controls' top edge: just under the tick labels, in the bottom margin.
    plot_height = layout["height"] - layout["margin"]["t"] - layout["margin"]["b"]
    y = -(TICKS + 4) / max(plot_height, 1)
    scrub = ts[np.unique(np.linspace(0, len(ts) - 1, min(len(ts), SCRUB_STEPS + 1)).round().astype(int))]
    layout.update(
        updatemenus=[dict(type="buttons", direction="left", x=0, y=y, xanchor="left", yanchor="top",
                          pad=dict(t=14, r=8), showactive=False, buttons=[
                              dict(label="▶ Play", method="animate", args=[None, play]),
                              dict(label="❚❚ Pause", method="animate", args=[[None], still])])],
        sliders=[dict(active=0, x=0.24, len=0.76, y=y, yanchor="top", pad=dict(t=0, b=0),
                      currentvalue=dict(prefix="step ", xanchor="right", font=dict(size=12)),
                      transition=dict(duration=0),
                      steps=[dict(label=str(t), method="animate", args=[[str(t)], still]) for t in scrub])],
    )
    return frames


def surface3d_figure(surface: Surface, runs: Sequence[Run], labels: Sequence[str], size: int = 60,
                     height: int = 520) -> go.Figure:
    """f over the view as a 3D surface with each path drawn on it (z clipped at f's 97th percentile so
    steep walls do not flatten the valley; path points outside the view are dropped)."""
    xs, ys, z = grid(surface, size)
    finite = z[np.isfinite(z)]
    top = float(np.quantile(finite, 0.97)) if finite.size else 1.0
    bottom = float(finite.min()) if finite.size else 0.0
    traces: list = [dict(type="surface", x=xs.astype(F4), y=ys.astype(F4), z=np.minimum(z, top).astype(F4),
                               colorscale="Blues", reversescale=True, showscale=False, opacity=0.9,
                               hoverinfo="skip", name="f")]
    (x0, x1), (y0, y1) = surface.bounds
    lift = 0.01 * (top - bottom)
    for i, (run, label) in enumerate(zip(runs, labels, strict=True)):
        path = _path(run)
        loss = run.losses[: len(path), 0]
        inside = (path[:, 0] >= x0) & (path[:, 0] <= x1) & (path[:, 1] >= y0) & (path[:, 1] <= y1) & (loss <= top)
        keep = np.where(inside, 1.0, np.nan)
        traces.append(dict(type="scatter3d",
            x=(path[:, 0] * keep).astype(F4), y=(path[:, 1] * keep).astype(F4),
            z=((loss + lift) * keep).astype(F4), mode="lines+markers", name=label,
            line=dict(color=color(i), width=5), marker=dict(size=2, color=color(i))))
    return figure(traces, dict(
        height=height, margin=dict(l=0, r=0, t=10, b=0), legend=dict(orientation="h", y=1.0),
        scene=dict(xaxis_title="x", yaxis_title="y", zaxis_title="f", aspectmode="cube",
                   camera=dict(eye=dict(x=1.4, y=-1.4, z=1.0))), uirevision=surface.slug))
