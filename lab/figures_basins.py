"""The basin map's figure: maps of start points side by side (one per learning rate), each start coloured
by the minimum its run reached (``engine.sweeps.BasinMap``), the starts that did not converge in grey
shades of their own (the engine's word in the legend and the hover), the minima marked.  No streamlit import.
"""

from __future__ import annotations

import numpy as np

from engine.sweeps import BasinMap

from .figures_base import spec

__all__ = ["BASIN_COLOURS", "NOT_CONVERGED", "basin_figure", "basin_summary"]

# Okabe–Ito's hues, then lighter ones, for the minima in turn (Rastrigin's many repeat them)
BASIN_COLOURS = ("#56B4E9", "#E69F00", "#009E73", "#F0E442", "#0072B2", "#CC79A7", "#D55E00", "#A6D8C9",
                 "#F5C98A", "#B3A2D6")
_WORD = {"running": "still moving"}  # Run.outcome's word for the status "running"
NOT_CONVERGED = {"diverged": "#1A1A1A", "oscillating": "#5A5A5A", "stalled": "#8C8C8C", "running": "#C8C8C8"}


def _codes(bmap: BasinMap) -> np.ndarray:
    """Colour code of each start: 0..3 the non-converged outcomes, 4 + i minimum i."""
    codes = np.where(bmap.basin >= 0, len(NOT_CONVERGED) + bmap.basin, 0)
    for k, name in enumerate(NOT_CONVERGED):
        codes = np.where((bmap.basin < 0) & (bmap.status == name), k, codes)
    return codes


def _scale(n_minima: int) -> list:
    colours = [*NOT_CONVERGED.values(), *(BASIN_COLOURS[i % len(BASIN_COLOURS)] for i in range(n_minima))]
    n = len(colours)
    return [stop for k, c in enumerate(colours) for stop in ([k / n, c], [(k + 1) / n, c])]


def _words(bmap: BasinMap, steps: int) -> np.ndarray:
    """Each start's run in the engine's words, with the minimum it reached."""
    at = bmap.stopped_at.astype(str)
    names = np.array([f"minimum ({x:.3g}, {y:.3g})" for x, y in bmap.minima] or ["-"])
    reached = np.char.add(np.char.add(names[np.maximum(bmap.basin, 0)], ": converged in "), np.char.add(at, " steps"))
    words = np.where(bmap.status == "diverged", np.char.add("diverged at step ", at), bmap.status.astype(str))
    words = np.where(bmap.status == "running", f"still moving after {steps} steps", words)
    return np.where(bmap.basin >= 0, reached, words)


def basin_figure(maps: tuple[BasinMap, ...], titles: tuple[str, ...], steps: int, height: int = 620) -> dict:
    """One map per entry of ``maps`` side by side under its title; known minima as stars, the other minima
    runs reached (local ones) as dots."""
    n_minima = max(len(m.minima) for m in maps)
    width = 1.0 / len(maps)
    data: list[dict] = []
    layout: dict = {"height": height, "margin": {"l": 50, "r": 20, "t": 50, "b": 50}, "font": {"size": 16},
                    "hovermode": "closest", "annotations": [],
                    "legend": {"orientation": "h", "x": 0, "y": -0.08, "yanchor": "top", "font": {"size": 15}}}
    for i, (bmap, title) in enumerate(zip(maps, titles, strict=True)):
        ax = "" if i == 0 else str(i + 1)
        codes = _codes(bmap)
        data.append({"type": "heatmap", "x": bmap.xs.tolist(), "y": bmap.ys.tolist(), "z": codes.tolist(),
                     "zmin": 0, "zmax": len(NOT_CONVERGED) + n_minima, "colorscale": _scale(n_minima),
                     "showscale": False, "xaxis": f"x{ax}", "yaxis": f"y{ax}", "name": title,
                     "text": _words(bmap, steps).tolist(),
                     "hovertemplate": "start (%{x:.2f}, %{y:.2f})<br>%{text}<extra></extra>"})
        known = bmap.minima[bmap.known]
        data.append({"type": "scatter", "x": known[:, 0].tolist(), "y": known[:, 1].tolist(), "mode": "markers",
                     "xaxis": f"x{ax}", "yaxis": f"y{ax}", "name": "known minimum", "showlegend": i == 0,
                     "marker": {"symbol": "star", "size": 18, "color": "white", "line": {"width": 2, "color": "black"}},
                     "hovertemplate": "known minimum (%{x:.3g}, %{y:.3g})<extra></extra>"})
        other = bmap.minima[~bmap.known]
        if len(other):
            data.append({"type": "scatter", "x": other[:, 0].tolist(), "y": other[:, 1].tolist(),
                         "mode": "markers", "xaxis": f"x{ax}", "yaxis": f"y{ax}", "name": "other point runs reached",
                         "showlegend": i == 0, "marker": {"symbol": "circle", "size": 6, "color": "black"},
                         "hovertemplate": "runs ended here: (%{x:.3g}, %{y:.3g})<extra></extra>"})
        domain = [i * width + (0.03 if i else 0), (i + 1) * width - (0.03 if i < len(maps) - 1 else 0)]
        layout[f"xaxis{ax}"] = {"domain": domain, "range": [bmap.xs[0], bmap.xs[-1]], "constrain": "domain"}
        layout[f"yaxis{ax}"] = {"range": [bmap.ys[0], bmap.ys[-1]], "scaleanchor": f"x{ax}", "constrain": "domain"}
        layout["annotations"].append({"text": title, "x": sum(domain) / 2, "y": 1.0, "xref": "paper",
                                      "yref": "paper", "yanchor": "bottom", "showarrow": False, "font": {"size": 18}})
    shown = {str(s) for m in maps for s in np.unique(m.status[m.basin < 0])}
    for name, colour in NOT_CONVERGED.items():
        if name in shown:
            data.append({"type": "scatter", "x": [None], "y": [None], "mode": "markers",
                         "name": f"{_WORD.get(name, name)} (no minimum)",
                         "marker": {"symbol": "square", "size": 16, "color": colour,
                                    "line": {"width": 1, "color": "black"}}})
    return spec(data, layout)


def basin_summary(bmap: BasinMap, lr: float) -> str:
    """How the starts of one map ended, counted from its runs."""
    total = bmap.basin.size
    reached = ", ".join(f"{int((bmap.basin == k).sum()):,} to ({x:.3g}, {y:.3g})"
                        for k, (x, y) in enumerate(bmap.minima) if bmap.known[k] and (bmap.basin == k).any())
    local = int(((bmap.basin >= 0) & ~bmap.known[np.maximum(bmap.basin, 0)]).sum()) if len(bmap.minima) else 0
    words = [f"lr {lr:.3g}: of {total:,} starts, {reached or 'none to a known minimum'}"]
    if local:
        words.append(f"{local:,} to {int((~bmap.known).sum())} other points")
    for name in NOT_CONVERGED:
        count = int(((bmap.basin < 0) & (bmap.status == name)).sum())
        if count:
            words.append(f"{count:,} {_WORD.get(name, name)}")
    return "; ".join(words) + "."
