"""What keeps a path in sight while the map animates: the distance strip under the Playground's map, and
the animation's pace (slow motion where a path leaves the view, comes back or diverges).  Pure; no streamlit.

Why a strip rather than a view that follows the path out: a path that leaves the view is far outside it
within a few steps (growth is geometric), so a following view would have to zoom out by the same factor
every step, shrinking the surface to a dot and the rest of the race with it; and one racer's excursion
would take the map away from the others.  The strip plots every racer's distance d_t to the nearest known
minimum (what the outcome's "distance" measures; from the start p_0 on a surface that knows none) on a log
axis against the step, so any distance stays on screen, and it teaches the rule behind the words: on a
quadratic, gradient descent multiplies the error along each eigendirection by |1 − αλ| per step, so once one
direction dominates, log d_t is a straight line of slope log|1 − αλ| (a climb: diverging; a fall:
converging), and a step decay's milestone is a kink.  A head on each racer's line moves with the map's heads.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from engine import Run, Surface

from .figures_base import LOG_AXIS, color, ink, typed

__all__ = ["PLAY_MS", "SLOW_MS", "STRIP_PX", "distances", "pace", "slow_steps", "strip", "strip_heads"]

STRIP_PX = 150    # height the strip adds under the map: its plot, the map's tick labels and its heading
_STRIP_PLOT = 104  # of which the strip's own plot area
PLAY_MS = 3000    # the evenly sampled frames of a whole run take this long together
SLOW_MS = 120     # each slow-motion frame (an event's steps) takes this long
SLOW_REACH = 8    # steps shown one by one after a path leaves the view and before it comes back
MAX_SLOW = 48     # slow-motion frames at most (sampled evenly beyond that)
_FLOOR = 1e-12    # the strip shows at most 12 decades below its largest distance


def distances(surface: Surface, path: np.ndarray) -> tuple[np.ndarray, str]:
    """(d_t for each point of ``path`` (k, 2), what it measures): the distance to the nearest known minimum,
    or from the start when the surface knows none (NaN at 0, which a log axis cannot show).  A diverging path's
    last distances may overflow to inf: it is off the strip's top either way."""
    with np.errstate(over="ignore", invalid="ignore"):
        if len(surface.minima):
            d = np.linalg.norm(path[:, None, :] - surface.minima[None], axis=2).min(axis=1)
            what = "distance to the minimum" if len(surface.minima) == 1 else "distance to the nearest minimum"
        else:
            d, what = np.linalg.norm(path - path[0], axis=1), "distance from the start"
    return np.where(d > 0, d, np.nan), what


def slow_steps(runs: Sequence[Run], steps: int) -> np.ndarray:
    """The steps the animation shows one by one, slowly: for trajectory 0 of each run, the last 2·SLOW_REACH
    steps before it diverged, and around its view events (``run.left_view``, ``run.back_in_view``) from two
    steps before it left to SLOW_REACH after, and from SLOW_REACH before it came back to two after (all of
    the excursion when it is short); at most MAX_SLOW steps, sampled evenly."""
    chosen: set[int] = set()
    for run in runs:
        end, left, back = run.last_step(0), int(run.left_view[0]), int(run.back_in_view[0])
        if run.status[0] == "diverged":
            chosen.update(range(max(end - 2 * SLOW_REACH, 0), end + 1))
        if left >= 0:
            chosen.update(range(max(left - 2, 0), min(left + SLOW_REACH, end) + 1))
        if back >= 0:
            chosen.update(range(max(back - SLOW_REACH, left), min(back + 2, end) + 1))
            if back - left <= 3 * SLOW_REACH:
                chosen.update(range(left, back + 1))
    picked = np.array(sorted(t for t in chosen if 0 <= t <= steps), dtype=int)
    if len(picked) > MAX_SLOW:
        picked = picked[np.linspace(0, len(picked) - 1, MAX_SLOW).round().astype(int)]
    return picked


def pace(runs: Sequence[Run], even: np.ndarray) -> tuple[np.ndarray, list[int]]:
    """(frame steps, each frame's duration in ms): the evenly sampled steps ``even`` (PLAY_MS for all of them,
    at least 15 ms each) with ``slow_steps`` added, which take SLOW_MS each."""
    slow = slow_steps(runs, int(even[-1]))
    ts = np.union1d(even, slow)
    quick = max(15, PLAY_MS // len(even))
    return ts, [SLOW_MS if t in set(slow.tolist()) else quick for t in ts.tolist()]


def strip(surface: Surface, runs: Sequence[Run], labels: Sequence[str], plot_px: float) -> tuple[list, list, dict]:
    """(static traces, head traces, layout entries) of the distance strip on axes x2/y2 under a map whose
    plot area (map and strip) is ``plot_px`` high: per racer its line of d_t against the step; every racer's
    head at step 0 in one trace; a diverged racer's line ends in an × with the engine's words ("diverged at step
    5"), every racer's × in one trace (no point for a racer that did not diverge).  One trace for all heads and
    one for all ×, not one per racer: the live lr slider redraws every trace of the map in each frame."""
    lines, tops, lows = [], [], []
    # The heads, at step 0 on the strip's left edge, show whole (``cliponaxis`` off); as they always have their
    # points, Plotly clips the strip per trace, so an × on its edge shows whole mid-drag too (lab.figures_map's
    # start star does the same for the map).
    heads = dict(type="scatter", x=[], y=[], mode="markers", xaxis="x2", yaxis="y2", showlegend=False,
                 hoverinfo="skip", name="heads", cliponaxis=False,
                 marker=dict(size=9, color=[], line=dict(color="white", width=1.5)))
    marks = dict(type="scatter", x=[], y=[], mode="markers+text", xaxis="x2", yaxis="y2", text=[],
                 textposition="middle right", cliponaxis=False, textfont=dict(color=[], size=12), showlegend=False,
                 marker=dict(symbol="x", size=11, color=[]), hoverinfo="skip", name="diverged")
    what = "distance"
    for i, (run, label) in enumerate(zip(runs, labels, strict=True)):
        end = run.last_step(0)
        d, what = distances(surface, run.points[: end + 1, 0])
        lines.append(dict(type="scatter", x0=0, dx=1, y=typed(d), mode="lines", name=label,
                          xaxis="x2", yaxis="y2", showlegend=False, line=dict(color=color(i), width=2),
                          hovertemplate=f"{label}<br>step %{{x}}: {what} %{{y:.3g}}<extra></extra>"))
        heads["x"].append(0)
        heads["y"].append(d[0])
        heads["marker"]["color"].append(color(i))
        if run.status[0] == "diverged" and end > 0:
            marks["x"].append(end)
            marks["y"].append(d[end])
            marks["text"].append(run.facts(0).status_words(brief=True))
            marks["textfont"]["color"].append(ink(i))
            marks["marker"]["color"].append(color(i))
        finite = d[np.isfinite(d)]
        if finite.size:
            tops.append(finite.max())
            lows.append(finite.min())
    top = np.ceil(np.log10(max(tops, default=1.0) * 2))  # whole decades: the axis keeps still while the lr
    low = np.floor(np.log10(max(min(lows, default=1.0), 10**top * _FLOOR) / 2))  # slider moves the line
    share = _STRIP_PLOT / plot_px
    layout = dict(
        xaxis2=dict(domain=[0, 1], anchor="y2", range=[0, max(len(r.points) - 1 for r in runs)], title=None,
                    showgrid=False, zeroline=False, automargin=False),
        yaxis2=dict(LOG_AXIS, domain=[0, share], anchor="x2", range=[float(low), float(top)], title=None,
                    automargin=False, fixedrange=True),
        annotations=[dict(xref="paper", yref="paper", x=0, y=share, yanchor="bottom", xanchor="left",
                          showarrow=False, font=dict(size=12),
                          text=f"<b>{what}</b> (log scale) against the step: a straight line means the "
                               "same factor every step")])
    return [*lines, marks], [heads], layout


def strip_heads(surface: Surface, runs: Sequence[Run], ts) -> list[dict]:
    """Per frame step of ``ts``: the strip's head trace's data (each racer at its d_t, held at its end)."""
    series = [distances(surface, r.points[: r.last_step(0) + 1, 0])[0] for r in runs]
    return [[dict(type="scatter", x=[min(t, len(d) - 1) for d in series], y=[d[min(t, len(d) - 1)] for d in series])]
            for t in np.asarray(ts).tolist()]
