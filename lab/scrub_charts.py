"""What the live lr slider swaps into a page's charts while its thumb moves (``assets/lr_scrubber.js``).

For every lr of the slider's grid (``grid_charts``), the charts that draw racer i's run are built by the very
builders the server draws them with, from that lr's trajectory of the one batched engine call (``column``;
bit-identical to a run of its own, ``tests/lab/test_scrub.py``) and the other racers' committed runs.  On the
Playground (``racer_charts``): the map with its distance strip (``map_still``: what ``map_spec`` draws, less the
animation), the loss and lr chart (``progress_spec``) and the stability strip (``playground_stability``).  On a
lesson: the lesson's map with its marks and its loss, lr and stability charts (``lesson_figures``, what the lesson
page draws).  ``changes`` keeps of them only what differs from one lr to another, so the browser holds a few small
patches per lr, not 121 figures; applying lr k's patches to any of them gives the server's figure for lr k.
No streamlit.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence

import numpy as np

import engine

from .config import RunConfig
from .figures_charts import loss_spec, lr_spec, progress_spec, stability_spec
from .figures_map import MapScene, map_spec, map_still, with_marks
from .map_view import view_around
from .raster import surface_picture

__all__ = ["changes", "column", "grid_charts", "leaves", "lesson_figures", "playground_stability", "racer_charts",
           "same_value"]

MAP_HEIGHT = 520  # the Playground's map (lab.runs.map_chart: map_spec's default height) and its progress chart
PROGRESS_HEIGHT = 440
LESSON_MAP_HEIGHT = 480  # a lesson's map (beside its controls)


def column(run: engine.Run, k: int) -> engine.Run:
    """Trajectory k of ``run`` as a run of one trajectory (views of its arrays; its facts measured anew)."""
    part = slice(k, k + 1)
    return engine.Run(run.surface, run.points[:, part], run.lrs[:, part], run.status[part], run.stopped_at[part],
                      run.oscillation[part])


def playground_stability(config: RunConfig, labels: Sequence[str], big_l: float) -> dict:
    """The Playground's stability strip of ``config``: 1/L and 2/L for the curvature ``big_l`` at the start, each
    racer's lr and its own stability limit."""
    one, two = engine.theory.thresholds(big_l)
    limits = [engine.theory.stability_limit(o.name, o.kwargs(), big_l) for o in config.optimizers]
    return stability_spec(one, two, [o.lr for o in config.optimizers], labels, limits=limits)


def racer_charts(surface: engine.Surface, config: RunConfig, i: int, lrs: Sequence[float], grid: engine.Run,
                 runs: Sequence[engine.Run], labels_of: Callable[[RunConfig], list[str]], picture: str,
                 big_l: float) -> dict[str, dict]:
    """{"map", "progress", "stability"}: ``grid_charts`` of the Playground's three charts; ``picture``: the
    surface's own picture, ``big_l``: the curvature at the start."""
    view = view_around(surface.bounds, config.start)
    if view != surface.bounds:
        picture = surface_picture(surface, bounds=view)

    def figures(at: RunConfig, runs_k: list[engine.Run], labels_k: list[str]) -> dict[str, dict]:
        return {"map": map_still(MapScene(surface, runs_k, labels_k, picture, view, config.start), MAP_HEIGHT,
                                 strip=True, controls=True),
                "progress": progress_spec(surface, runs_k, labels_k, PROGRESS_HEIGHT),
                "stability": playground_stability(at, labels_k, big_l)}
    return grid_charts(config, i, lrs, grid, runs, labels_of, figures)


def grid_charts(config: RunConfig, i: int, lrs: Sequence[float], grid: engine.Run, runs: Sequence[engine.Run],
                labels_of: Callable[[RunConfig], list[str]],
                figures: Callable[[RunConfig, list[engine.Run], list[str]], dict[str, dict]]) -> dict[str, dict]:
    """{chart: ``changes`` of that chart over racer i's lrs ``lrs``}: ``figures(config at lr k, the runs, their
    names)`` is what a page draws (chart name -> figure dict), called for each lr k with trajectory k of ``grid``
    (the run at lrs[k]) in racer i's place among ``runs`` (every racer's committed run); ``labels_of``: the
    racers' names for a config."""
    built = []
    for k, lr in enumerate(lrs):
        at = config.with_lr(i, lr)
        built.append(figures(at, [*runs[:i], column(grid, k), *runs[i + 1:]], labels_of(at)))
    return {name: changes([charts[name] for charts in built]) for name in built[0]}


def lesson_figures(surface: engine.Surface, config: RunConfig, runs: Sequence[engine.Run], labels: Sequence[str],
                   picture: str, charts: Sequence[str], marks: Sequence[dict], big_l: float,
                   animate: bool = True) -> dict[str, dict]:
    """A lesson's figures as plain dicts: "map" (``map_spec`` at ``LESSON_MAP_HEIGHT``, with the lesson's
    ``marks``, traces as dicts, after the paths, and a legend room grown for them) and each of ``charts``
    ("loss", "lr", "stability": 1/L and 2/L for the curvature ``big_l``, each racer's lr).  ``runs`` empty (a
    prediction not made yet): the start only and no lr marker.  Without ``animate``: the map with its heads at
    step 0 and no frames (``map_still``), what the live lr slider swaps in for each lr of its grid."""
    view = view_around(surface.bounds, config.start)
    if animate or not runs:
        drawn = map_spec(surface, runs, labels, picture, config.start, height=LESSON_MAP_HEIGHT)
    else:
        shown = picture if view == surface.bounds else surface_picture(surface, bounds=view)
        drawn = map_still(MapScene(surface, runs, labels, shown, view, config.start), LESSON_MAP_HEIGHT,
                          controls=True)
    figures = {"map": with_marks(drawn, marks)}
    for name in charts:
        if name == "loss":
            figures[name] = loss_spec(surface, runs, labels)
        elif name == "lr":
            figures[name] = lr_spec(runs, labels)
        else:
            one, two = engine.theory.thresholds(big_l)
            lrs = [o.lr for o in config.optimizers] if runs else []
            figures[name] = stability_spec(one, two, lrs, labels[: len(lrs)])
    return figures


def changes(specs: Sequence[dict]) -> dict:
    """What differs between figures ``specs`` (the same builder's, one per lr; each trace keeps its place):
    ``traces``: the indices of the traces that differ; ``table``: the distinct trace patches (only the trace's
    properties that differ: x, y, text, name, ...); ``pick[k]``: for figure k, the table entry of each of
    ``traces``; ``layouts``/``layout[k]`` the same for the layout, as Plotly.relayout's dotted paths to the
    leaves that differ ("yaxis2.range").  Raises ValueError when the figures differ in their number of traces."""
    if len({len(s["data"]) for s in specs}) > 1:
        raise ValueError("the figures differ in their number of traces")
    shared = [_all_same([s["data"][j] for s in specs]) for j in range(len(specs[0]["data"]))]
    flat = [[{} if same else leaves(trace) for trace, same in zip(s["data"], shared, strict=True)] for s in specs]
    varying = {j: _differing(column_) for j, column_ in enumerate(zip(*flat, strict=True))}
    traces = [j for j, keys in varying.items() if keys]
    table, pick = _distinct([[{key: f[j].get(key) for key in varying[j]} for j in traces] for f in flat])
    same_layout = _all_same([s["layout"] for s in specs])
    layouts = [{} if same_layout else leaves(s["layout"], lists=True) for s in specs]
    keys = _differing(layouts)
    layout_table, layout = _distinct([[{key: f.get(key) for key in keys}] for f in layouts])
    return {"traces": traces, "table": [_nested(patch) for patch in table], "pick": pick,
            "layouts": layout_table, "layout": [row[0] for row in layout]}


def leaves(tree: dict, prefix: str = "", lists: bool = False) -> dict:
    """A figure part's properties by dotted path ("marker.size"), down to the values that are not dicts (a
    typed array {"dtype", "bdata"} is a value); ``lists``: a list of dicts is followed too ("annotations[2].x",
    as Plotly.relayout takes it)."""
    out = {}
    for key, value in tree.items():
        if isinstance(value, dict) and not {"dtype", "bdata"} <= value.keys():
            out.update(leaves(value, f"{prefix}{key}.", lists))
        elif lists and isinstance(value, list | tuple) and value and all(isinstance(v, dict) for v in value):
            for n, item in enumerate(value):
                out.update(leaves(item, f"{prefix}{key}[{n}].", lists))
        else:
            out[f"{prefix}{key}"] = value
    return out


def _nested(patch: dict) -> dict:
    """A trace patch of dotted paths as nested dicts (what Plotly.animate merges into a trace)."""
    out: dict = {}
    for path, value in patch.items():
        *parents, leaf = path.split(".")
        node = out
        for parent in parents:
            node = node.setdefault(parent, {})
        node[leaf] = value
    return out


def _json(value) -> str:
    return json.dumps(value, sort_keys=True, default=_plain)


def _all_same(parts: Sequence) -> bool:
    """Whether every one of ``parts`` (a trace or a layout of each figure) is the first, or equal to it as JSON
    (one C-speed comparison instead of a walk over each property)."""
    first = parts[0]
    if all(part is first for part in parts):
        return True
    text = _json(first)
    return all(part is first or _json(part) == text for part in parts)


def _plain(value):
    if isinstance(value, np.ndarray | np.generic):
        return value.tolist()
    raise TypeError(f"cannot compare {type(value).__name__}")


def _differing(parts: Sequence[dict]) -> list[str]:
    """The paths whose values are not the same in every one of ``parts`` (a path missing somewhere differs)."""
    paths = sorted({path for part in parts for path in part})
    first = parts[0]
    return [path for path in paths
            if any(path not in part or not same_value(part[path], first.get(path)) for part in parts)]


def same_value(a, b) -> bool:
    """Whether two property values are equal (numbers, strings, lists, dicts, NumPy arrays)."""
    if a is b:
        return True
    if isinstance(a, np.ndarray) or isinstance(b, np.ndarray):
        return np.array_equal(np.asarray(a), np.asarray(b))
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(same_value(a[key], b[key]) for key in a)
    if isinstance(a, list | tuple) and isinstance(b, list | tuple):
        return len(a) == len(b) and all(same_value(x, y) for x, y in zip(a, b, strict=True))
    return type(a) is type(b) and a == b


def _distinct(rows: Sequence[Sequence[dict]]) -> tuple[list[dict], list[list[int]]]:
    """(the distinct dicts of ``rows``, each row as indices into them)."""
    table: list[dict] = []
    index: dict[str, int] = {}
    picked = []
    for row in rows:
        indices = []
        for item in row:
            key = _json(item)
            if key not in index:
                index[key] = len(table)
                table.append(item)
            indices.append(index[key])
        picked.append(indices)
    return table, picked
