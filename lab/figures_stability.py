"""The stability map's figure: one cell per run of ``engine.sweeps.StabilityMap``, coloured by the engine's
outcome and shaded (converged cells) by the steps it took; the theory's boundary, Polyak's optimum and the
current setting on top.  No streamlit import.

Colours are Okabe–Ito's (told apart with the common colour-vision deficiencies), and never alone: every
outcome other than "converged" carries its own mark on a sparse lattice of its cells, the legend names it in
the engine's word and each cell's hover says its run's outcome.
"""

from __future__ import annotations

import numpy as np

from engine.sweeps import StabilityMap

from .figures_base import LOG_AXIS, spec

__all__ = ["LEGEND", "OUTCOMES", "cell_words", "stability_map_figure", "stability_summary"]

# status -> (colour, mark drawn on its cells); converged is shaded light (slow) to dark (fast) instead
OUTCOMES = {
    "converged": ("#0072B2", "square"),
    "oscillating": ("#E69F00", "line-ns-open"),
    "diverged": ("#D55E00", "x-thin-open"),
    "stalled": ("#CC79A7", "circle-open"),
    "running": ("#DDDDDD", "line-ew-open"),
}
_SLOW = "#D4E6F4"  # converged in all the steps there were
_MARK_EVERY = 4   # one mark every 4 cells along each axis
_INK = "rgba(0,0,0,0.55)"
# the legend's entry for each status: the engine's word ("running" is "still moving" in Run.outcome) and its mark
LEGEND = {"converged": "converged (shaded: darker = fewer steps)", "oscillating": "oscillating (|)",
          "diverged": "diverged (×)", "stalled": "stalled (○)", "running": "still moving (—)"}


def cell_words(status: np.ndarray, stopped_at: np.ndarray, steps: int) -> np.ndarray:
    """Each run's outcome in the engine's words (``Run.outcome`` without its measured extras): "converged in
    41 steps", "diverged at step 7", "oscillating", "stalled" or "still moving after 300 steps".  Worded once
    per distinct (status, step) pair, of which a map has a few hundred among its ten thousand cells."""
    said: dict[tuple[str, int], str] = {}
    words = [said.get(pair) or said.setdefault(pair, _word(*pair, steps))
             for pair in zip(status.ravel().tolist(), stopped_at.ravel().tolist(), strict=True)]
    return np.array(words).reshape(status.shape)


def _word(status: str, stopped_at: int, steps: int) -> str:
    if status == "converged":
        return f"converged in {stopped_at} steps"
    if status == "diverged":
        return f"diverged at step {stopped_at}"
    return f"still moving after {steps} steps" if status == "running" else status


def _shade(smap: StabilityMap, steps: int) -> tuple[np.ndarray, list]:
    """z: outcome k (in ``OUTCOMES`` order) + 0.9 · how fast a converged run was; and its colour scale."""
    codes = {name: k for k, name in enumerate(OUTCOMES)}
    z = np.vectorize(codes.get, otypes=[float])(smap.status)
    fast = np.clip(1 - np.maximum(smap.stopped_at, 0) / steps, 0, 1)
    z = z + np.where(smap.status == "converged", 0.9 * fast, 0.45)
    n = len(OUTCOMES)
    scale: list = [[0.0, _SLOW], [0.9 / n, OUTCOMES["converged"][0]]]
    for k, (colour, _) in enumerate(list(OUTCOMES.values())[1:], start=1):
        scale += [[(k - 0.05) / n, colour], [(k + 0.95) / n if k < n - 1 else 1.0, colour]]
    return z, scale  # plotly.js ignores a scale that does not end at 1


def stability_map_figure(smap: StabilityMap, steps: int, current: tuple[float, float],
                         boundary: tuple[np.ndarray, np.ndarray, str] | None = None,
                         optimum: tuple[float, float] | None = None,
                         eigenvalues: tuple[float, ...] = (), height: int = 640) -> dict:
    """The map (x: lr, log; y: momentum β, or curvature λ on a log axis).  ``boundary``: (lrs, ys, name) of
    the theory's largest stable lr per row; ``optimum``: Polyak's (α, β); ``eigenvalues``: the surface's
    curvatures, drawn as rows on the curvature map; ``current``: the (lr, y) of the page's setting."""
    curvature = smap.y_name == "curvature"
    y_word = "λ" if curvature else "β"
    z, scale = _shade(smap, steps)
    data: list[dict] = [{
        "type": "heatmap", "x": smap.lrs.tolist(), "y": smap.ys.tolist(), "z": z.tolist(), "zmin": 0,
        "zmax": len(OUTCOMES), "colorscale": scale, "showscale": False, "name": "runs",
        "text": cell_words(smap.status, smap.stopped_at, steps).tolist(),
        "hovertemplate": f"lr %{{x:.3g}}, {y_word} %{{y:.3g}}<br>%{{text}}<extra></extra>",
    }]
    grid_y, grid_x = np.meshgrid(smap.ys, smap.lrs, indexing="ij")
    lattice = np.zeros(smap.status.shape, bool)
    lattice[_MARK_EVERY // 2 :: _MARK_EVERY, _MARK_EVERY // 2 :: _MARK_EVERY] = True
    for name, (colour, symbol) in OUTCOMES.items():
        if not (smap.status == name).any():
            continue
        data.append({"type": "scatter", "x": [None], "y": [None], "mode": "markers", "name": LEGEND[name],
                     "marker": {"symbol": "square", "size": 16, "color": colour}})  # the legend's entry
        cells = (smap.status == name) & lattice
        cells = cells if cells.any() else smap.status == name  # a few cells off the lattice: mark each one
        if name != "converged":
            data.append({"type": "scatter", "x": grid_x[cells].tolist(), "y": grid_y[cells].tolist(),
                         "mode": "markers", "name": f"{name} (mark)", "showlegend": False, "hoverinfo": "skip",
                         "marker": {"symbol": symbol, "size": 9, "color": _INK, "line": {"width": 1.5, "color": _INK}}})
    if boundary is not None:
        bx, by, name = boundary
        inside = (bx >= smap.lrs[0]) & (bx <= smap.lrs[-1])
        data.append({"type": "scatter", "x": bx[inside].tolist(), "y": by[inside].tolist(), "mode": "lines",
                     "name": name, "line": {"color": "black", "width": 3, "dash": "dash"},
                     "hovertemplate": f"theory's limit: lr %{{x:.3g}} at {y_word} %{{y:.3g}}<extra></extra>"})
    if optimum is not None:
        data.append({"type": "scatter", "x": [optimum[0]], "y": [optimum[1]], "mode": "markers",
                     "name": "Polyak's optimal (α, β)",
                     "marker": {"symbol": "star", "size": 20, "color": "#F0E442",
                                "line": {"width": 2, "color": "black"}},
                     "hovertemplate": "Polyak's optimum: lr %{x:.3g}, β %{y:.3g}<extra></extra>"})
    for lam in eigenvalues:
        data.append({"type": "scatter", "x": [smap.lrs[0], smap.lrs[-1]], "y": [lam, lam], "mode": "lines",
                     "name": f"this surface's λ = {lam:.3g}", "showlegend": False,
                     "line": {"color": "black", "width": 1.5, "dash": "dot"}, "hoverinfo": "skip"})
    data.append({"type": "scatter", "x": [current[0]], "y": [current[1]], "mode": "markers",
                 "name": "current setting",
                 "hovertemplate": f"current: lr %{{x:.3g}}, {y_word} %{{y:.3g}}<extra></extra>",
                 "marker": {"symbol": "circle-open", "size": 22, "color": "black", "line": {"width": 4}}})
    y_axis = ({**LOG_AXIS, "title": {"text": "curvature λ (log)"}} if curvature
              else {"title": {"text": "momentum β"}, "range": [smap.ys[0], smap.ys[-1]]})
    layout = {
        "height": height, "margin": {"l": 70, "r": 20, "t": 10, "b": 60}, "hovermode": "closest",
        "font": {"size": 16}, "plot_bgcolor": "white",
        "xaxis": {**LOG_AXIS, "title": {"text": "learning rate (log)"}, "tickfont": {"size": 15}},
        "yaxis": y_axis,
        "legend": {"orientation": "h", "x": 0, "y": 1.02, "yanchor": "bottom", "font": {"size": 15}},
    }
    return spec(data, layout)


def stability_summary(smap: StabilityMap, steps: int, limit: float | None, row: int) -> str:
    """What the map shows, in numbers from its runs: how many cells ended each way, and in row ``row`` (the
    current β or the surface's L) the last lr that did not diverge next to the theory's ``limit``."""
    counts = ", ".join(f"{int((smap.status == name).sum()):,} {LEGEND[name].split(' (')[0]}" for name in OUTCOMES
                       if (smap.status == name).any())
    text = f"{smap.status.size:,} runs of {steps} steps, one engine call: {counts}."
    diverged = smap.status[row] == "diverged"
    y = f"β = {smap.ys[row]:.2f}" if smap.y_name == "momentum" else f"λ = {smap.ys[row]:.3g}"
    if diverged.any() and not diverged[0]:
        last_ok = smap.lrs[int(diverged.argmax()) - 1]
        text += f" In the row {y}, the largest lr that did not diverge is {last_ok:.3g}"
        text += f"; theory's limit there: {limit:.3g}." if limit is not None else "."
    elif limit is not None:
        text += f" Theory's limit in the row {y}: {limit:.3g}."
    return text
