"""The live lr slider's data (lab.scrub): one batched engine call gives, at every lr of the slider's grid, the
same run as the server makes for that lr alone (so the path shown mid-drag is the one drawn after release),
thinned paths stay within the tolerance, and the data stays small."""

import json
import warnings
from dataclasses import replace

import numpy as np
import pytest

import engine
from lab.config import LR_GRID, OptimizerConfig, default_config
from lab.figures_charts import progress_spec
from lab.figures_map import path_trace
from lab.outcome import outcome_lines
from lab.runs import curvature_at, get_surface, label, map_chart, run_of, runs_of, scrub_racer, sweep
from lab.scrub import SCRUB_BUDGET, SCRUB_TOLERANCE, map_line, scrub_data
from lab.scrub_charts import PROGRESS_HEIGHT, leaves, playground_stability, same_value

CASES = [("quadratic", "sgd", "constant", ()), ("rosenbrock", "adam", "constant", ()),
         ("quadratic", "sgd", "noise", ()), ("rosenbrock", "adam", "noise", ()), ("regression", "sgd", "batch", ()),
         ("himmelblau", "momentum", "constant", ()), ("bowl", "nesterov", "step", (("step_size", 20), ("gamma", 0.5))),
         ("beale", "rmsprop", "constant", ()), ("six_hump_camel", "adagrad", "constant", ())]


def _config(surface: str, name: str, schedule: str = "constant", params=()):
    """``surface``'s default for ``name`` with ``schedule`` ("noise": gradient noise 0.5, seed 7; "batch":
    mini-batches of 3 examples, seed 7)."""
    config = default_config(surface, name)
    if schedule == "noise":
        return replace(config, noise=0.5, seed=7)
    if schedule == "batch":
        return replace(config, batch=3, seed=7)
    if schedule != "constant":
        config = replace(config, schedule=schedule, schedule_params=params)
    if name == "nesterov":
        config = config.with_lr(0, 0.08)
        opt = config.optimizers[0].with_values(momentum=0.9)
        config = replace(config, optimizers=(opt,))
    return config


@pytest.mark.parametrize(("surface", "name", "schedule", "params"), CASES)
def test_the_batched_grid_is_bit_identical_to_a_run_per_lr(surface, name, schedule, params):
    config = _config(surface, name, schedule, params)
    grid = sweep(config, LR_GRID)
    for k, lr in enumerate(LR_GRID):
        alone = run_of(config.with_lr(0, lr))
        assert grid.last_step(k) == alone.last_step(0)
        assert np.array_equal(grid.points[: grid.last_step(k) + 1, k], alone.points[: alone.last_step(0) + 1, 0],
                              equal_nan=True), lr
        assert grid.outcome(k) == alone.outcome(0)


def _server_charts(config) -> dict[str, dict]:
    """The Playground's three charts of ``config`` exactly as its page draws them (views.playground)."""
    runs, key = runs_of(config), config.surface_key
    labels = [label(config, i) for i in range(len(runs))]
    return {"map": map_chart(config), "progress": progress_spec(get_surface(key), runs, labels, PROGRESS_HEIGHT),
            "stability": playground_stability(config, labels, curvature_at(key, config.start)[0])}


def _patched(figure: dict, chart: dict, k: int) -> tuple[list[dict], dict]:
    """What the browser shows for lr k after lr_scrubber.js patched ``figure`` (traces merged, as
    Plotly.animate merges them; the layout's dotted paths set, as Plotly.relayout sets them), as leaves."""
    data = [leaves(trace) for trace in figure["data"]]
    for j, entry in zip(chart["traces"], chart["pick"][k], strict=True):
        data[j].update(leaves(chart["table"][entry]))
    layout = leaves({key: value for key, value in figure["layout"].items() if key not in ANIMATION}, lists=True)
    layout.update(chart["layouts"][chart["layout"][k]])
    return data, layout


ANIMATION = ("updatemenus", "sliders")  # the map's Plotly animation buttons: live_chart draws HTML ones instead


def _same_leaves(a: dict, b: dict) -> bool:
    """Equal properties; a property set to None is one left out (Plotly deletes it, so its default holds)."""
    a, b = ({key: v for key, v in part.items() if v is not None} for part in (a, b))
    return a.keys() == b.keys() and all(same_value(a[key], b[key]) for key in a)


@pytest.mark.parametrize(("surface", "name", "racers", "draws"), [
    ("quadratic", "sgd", 1, "constant"), ("rosenbrock", "adam", 1, "constant"), ("quadratic", "sgd", 1, "noise"),
    ("six_hump_camel", "momentum", 2, "constant"), ("bowl", "adam", 2, "noise")])
def test_each_scrub_position_draws_what_the_server_draws_for_that_lr(surface, name, racers, draws):
    """Every chart the Playground draws for the run (map, exit marks, distance strip, loss and lr curves, the
    stability marker), patched in the browser from the committed lr's figures to lr k, is the server's figure for
    lr k; the legend names and outcome words too.  With two racers the second one is dragged; with gradient
    noise ("noise") too."""
    config = _config(surface, name, draws)
    if racers == 2:
        config = replace(config, optimizers=(*config.optimizers, OptimizerConfig.default("sgd").with_values(lr=0.3)))
    i = racers - 1
    data = scrub_racer(config, i, LR_GRID)
    assert data is not None
    committed = _server_charts(config)
    for k in range(0, len(LR_GRID), 5):  # every fifth lr: each one is a server run and its figures
        at = config.with_lr(i, LR_GRID[k])
        server = _server_charts(at)
        for chart, figure in committed.items():
            shown, layout = _patched(figure, data["charts"][chart], k)
            expected = [leaves(trace) for trace in server[chart]["data"]]
            assert all(_same_leaves(a, b) for a, b in zip(shown, expected, strict=True)), (chart, LR_GRID[k])
            wanted = leaves({key: v for key, v in server[chart]["layout"].items() if key not in ANIMATION}, lists=True)
            assert _same_leaves(layout, wanted), (chart, LR_GRID[k])
        runs = runs_of(at)
        assert data["words"][k] == outcome_lines([label(at, j) for j in range(racers)], runs)[i]
        assert data["names"][k] == server["map"]["data"][path_trace(i)]["name"]


def test_the_drag_changes_every_chart_of_the_run():
    """Between a creeping and a diverging lr, the patches reach the path, its exit mark, its distance line and
    mark, the loss and lr curves, the loss chart's diverged mark and the stability marker."""
    data = scrub_racer(_config("quadratic", "sgd"), 0, LR_GRID)
    charts = data["charts"]
    texts = {name: [" ".join(entry.get("text") or []) for entry in chart["table"]] for name, chart in charts.items()}
    assert any(text.startswith("left the view at step") for text in texts["map"])  # the exit mark
    assert sum("diverged at step" in text for text in texts["map"]) > 1  # and the strip's ×
    assert any("diverged at step" in text for text in texts["progress"])
    assert len(charts["map"]["traces"]) == 4  # path, exit mark, distance line and its ×
    assert len(charts["progress"]["traces"]) == 3  # loss line, its diverged mark, lr line
    assert charts["stability"]["traces"] == [0]


def test_map_line_drops_straight_points():
    surface = get_surface(default_config("quadratic").surface_key)
    n = 200
    straight = np.column_stack([np.linspace(-1, 1, n), np.linspace(-1, 0.5, n)])[:, None, :]
    zigzag = np.column_stack([np.linspace(-1, 1, n), 0.5 * (-1.0) ** np.arange(n)])[:, None, :]

    def run_of(points):
        n = len(points) - 1
        return engine.Run(surface, points, np.zeros((n, 1)), np.array(["running"]), np.array([-1]), np.zeros(1))

    assert len(map_line(surface, run_of(straight))) == 2
    assert len(map_line(surface, run_of(straight[:2]))) == 2
    assert len(map_line(surface, run_of(zigzag))) == n
    curve = np.column_stack([np.linspace(-2, 2, 400), np.sin(np.linspace(-2, 2, 400))])[:, None, :]
    kept = map_line(surface, run_of(curve))
    assert 2 < len(kept) < 200
    (x0, x1), (y0, y1) = surface.bounds  # every original point lies near the drawn polyline
    a, b, p = kept[:-1][None], kept[1:][None], curve[:, 0, None, :]  # distance of each point to each segment
    t = np.clip(np.sum((p - a) * (b - a), axis=2) / np.sum((b - a) ** 2, axis=2), 0, 1)[..., None]
    gaps = np.min(np.linalg.norm(p - (a + t * (b - a)), axis=2), axis=1)
    assert gaps.max() <= SCRUB_TOLERANCE * np.hypot(x1 - x0, y1 - y0) * 1.1


@pytest.mark.parametrize("surface", list(engine.SURFACES))
def test_the_default_scrub_data_is_small(surface):
    for name in ("sgd", "momentum", "adam"):
        data = scrub_racer(default_config(surface, name), 0, LR_GRID)
        assert data is not None and len(json.dumps(data)) <= SCRUB_BUDGET, (surface, name)


def test_no_scrub_data_over_the_budget():
    assert scrub_data(["SGD"], ["converged"], {"map": {"table": ["x" * 1000]}}) is not None
    assert scrub_data(["SGD"], ["converged"], {"map": {"table": ["x" * SCRUB_BUDGET]}}) is None
    long_bumpy = replace(default_config("rastrigin", "momentum"), steps=2000)  # ~480 KB of zigzags
    assert scrub_racer(long_bumpy, 0, LR_GRID) is None


def test_outcome_words_of_a_diverged_lr_give_no_warning():
    params = tuple((p.name, "max" if p.name == "mode" else p.default) for p in engine.SCHEDULES["plateau"].params)
    config = replace(default_config("quadratic"), schedule="plateau", schedule_params=params)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        data = scrub_racer(config, 0, LR_GRID)
    assert any("diverged" in words for words in data["words"])
