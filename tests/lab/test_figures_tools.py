"""The Tools' figures: valid Plotly, colour scales plotly.js accepts (a scale not ending at 1 is silently
replaced by the default one), every cell's hover in the engine's words, outcome marks besides colour, the
theory's line, Polyak's star and the current setting; basin maps coloured by the minimum reached."""

from dataclasses import replace

import numpy as np
import plotly.graph_objects as go
import pytest

import engine
from engine import sweeps
from lab.config import default_config
from lab.figures_basins import basin_figure, basin_summary
from lab.figures_stability import LEGEND, cell_words, stability_map_figure, stability_summary
from lab.runs import sweep


@pytest.fixture(scope="module")
def smap():
    q = engine.surface("quadratic")
    return sweeps.stability_map(q, "sgd", np.geomspace(2e-3, 1.6, 30), np.linspace(0, 0.99, 20), q.start, steps=300)


def _scale_ok(scale) -> None:
    stops = [s for s, _ in scale]
    assert stops[0] == 0 and stops[-1] == 1 and stops == sorted(stops)


def test_stability_figure_is_valid_and_marks_every_outcome(smap):
    limits = np.array([engine.theory.stability_limit("sgd", {"momentum": b}, 10.0) for b in smap.ys])
    fig = stability_map_figure(smap, 300, (0.08, 0.5), (limits, smap.ys, "theory"), (0.231, 0.27))
    go.Figure(fig)  # validates
    heat = fig["data"][0]
    _scale_ok(heat["colorscale"])
    names = [t.get("name") for t in fig["data"]]
    for status in np.unique(smap.status):
        assert LEGEND[status] in names
        if status != "converged":  # colour is never alone: a mark on its cells
            assert f"{status} (mark)" in names
    assert {"theory", "Polyak's optimal (α, β)", "current setting"} <= set(names)


def test_cell_words_are_the_engines():
    run = sweep(replace(default_config("quadratic"), steps=300), (0.001, 0.05, 0.5))  # from the surface's start
    words = cell_words(run.status, run.stopped_at, 300)
    for i in range(3):
        assert run.outcome(i).startswith(words[i]) or run.outcome(i) == words[i], (words[i], run.outcome(i))


def test_stability_summary_counts_the_runs(smap):
    text = stability_summary(smap, 300, 0.3, 10)
    assert f"{smap.status.size:,} runs of 300 steps" in text
    assert f"{int((smap.status == 'diverged').sum()):,} diverged" in text


def test_basin_figure_colours_each_start_by_its_minimum():
    him = engine.surface("himmelblau")
    maps = tuple(sweeps.basin_map(him, "sgd", resolution=21, steps=300, lr=lr) for lr in (0.01, 0.015))
    fig = basin_figure(maps, ("a", "b"), 300)
    go.Figure(fig)
    heats = [t for t in fig["data"] if t["type"] == "heatmap"]
    assert len(heats) == 2
    for heat, bmap in zip(heats, maps, strict=True):
        _scale_ok(heat["colorscale"])
        z = np.array(heat["z"])
        # one colour per minimum, the same code wherever a start reached it; other codes below
        for k in range(4):
            assert len(np.unique(z[bmap.basin == k])) <= 1
        assert (z[bmap.basin < 0] < 4).all()
        texts = np.array(heat["text"])
        assert all(t.startswith("minimum (3, 2): converged in ") for t in texts[bmap.basin == 0])
    assert "lr 0.01: of 441 starts" in basin_summary(maps[0], 0.01)
