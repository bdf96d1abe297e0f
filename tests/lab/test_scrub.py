"""The live lr slider's data (lab.scrub): one batched engine call gives, at every lr of the slider's grid, the
same run as the server makes for that lr alone (so the path shown mid-drag is the one drawn after release),
thinned paths stay within the tolerance, and the data stays small."""

import base64
import json
import warnings
from dataclasses import replace

import numpy as np
import pytest

import engine
from lab.config import LR_GRID, default_config
from lab.figures_map import map_spec, path_trace
from lab.outcome import outcome_lines
from lab.runs import get_surface, label, run_of, runs_of, scrub_racer, sweep
from lab.scrub import SCRUB_BUDGET, SCRUB_TOLERANCE, THIN_FROM, map_line, scrub_data

CASES = [("quadratic", "sgd", "constant", ()), ("rosenbrock", "adam", "constant", ()),
         ("himmelblau", "momentum", "constant", ()), ("bowl", "nesterov", "step", (("step_size", 20), ("gamma", 0.5))),
         ("beale", "rmsprop", "constant", ()), ("six_hump_camel", "adagrad", "constant", ())]


def _config(surface: str, name: str, schedule: str = "constant", params=()):
    config = default_config(surface, name)
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


def _trace_xy(trace: dict) -> np.ndarray:
    x, y = (np.frombuffer(base64.b64decode(trace[a]["bdata"]), dtype=np.float32) for a in "xy")
    return np.column_stack([x, y])


@pytest.mark.parametrize(("surface", "name"), [("quadratic", "sgd"), ("rosenbrock", "adam")])
def test_each_scrub_position_is_what_the_server_draws_and_says_for_that_lr(surface, name):
    config = _config(surface, name)
    data = scrub_racer(config, 0, LR_GRID)
    xy = np.frombuffer(base64.b64decode(data["xy"]), dtype=np.float32).reshape(-1, 2)
    starts = [0, *data["ends"][:-1]]
    surf = get_surface(config.surface_key)
    for k in range(0, len(LR_GRID), 4):  # every fourth lr: each one is a server run and a map
        at = config.with_lr(0, LR_GRID[k])
        runs = runs_of(at)
        drawn = map_spec(surf, runs, [label(at, 0)], "", at.start, animate=False)["data"][path_trace(0)]
        assert np.array_equal(xy[starts[k]:data["ends"][k]], _trace_xy(drawn), equal_nan=True)
        assert data["words"][k] == outcome_lines([label(at, 0)], runs)[0]
        assert data["names"][k] == drawn["name"]


def test_map_line_drops_straight_points_of_long_paths_only():
    surface = get_surface(default_config("quadratic").surface_key)
    n = THIN_FROM + 1
    straight = np.column_stack([np.linspace(-1, 1, n), np.linspace(-1, 0.5, n)])[:, None, :]
    zigzag = np.column_stack([np.linspace(-1, 1, n), 0.5 * (-1.0) ** np.arange(n)])[:, None, :]

    def run_of(points):
        n = len(points) - 1
        return engine.Run(surface, points, np.zeros((n, 1)), np.array(["running"]), np.array([-1]), np.zeros(1))

    assert len(map_line(surface, run_of(straight))) == 2
    assert len(map_line(surface, run_of(straight[:THIN_FROM]))) == THIN_FROM  # short paths are sent whole
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


def test_no_scrub_data_with_noise_or_over_the_budget():
    config = default_config("quadratic")
    assert scrub_racer(replace(config, noise=0.5), 0, LR_GRID) is None
    surface = get_surface(config.surface_key)
    run = sweep(config, LR_GRID)  # plain SGD, 200 steps, constant lr
    assert scrub_data(surface, run, LR_GRID, [""] * len(LR_GRID), lambda name, k: name) is not None
    long_bumpy = replace(default_config("rastrigin", "momentum"), steps=2000)  # ~480 KB of zigzags
    assert scrub_racer(long_bumpy, 0, LR_GRID) is None


def test_outcome_words_of_a_diverged_lr_give_no_warning():
    params = tuple((p.name, "max" if p.name == "mode" else p.default) for p in engine.SCHEDULES["plateau"].params)
    config = replace(default_config("quadratic"), schedule="plateau", schedule_params=params)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        data = scrub_racer(config, 0, LR_GRID)
    assert any("diverged" in words for words in data["words"])
