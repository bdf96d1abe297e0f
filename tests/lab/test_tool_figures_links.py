"""The LR finder's figure draws the engine's suggestions where the engine puts them, and keeps the raw loss on
the chart; the tools' URL codec round-trips and turns bad values into notices."""

import numpy as np
import pytest

import engine
from lab.figures_finder import SUGGESTION_NAMES, finder_figure, suggestion_marks
from lab.tool_links import FinderConfig, RaceConfig, finder_query, parse_finder, parse_race, race_query


@pytest.fixture(scope="module")
def range_test():
    surface = engine.surface("quadratic")
    return engine.sweeps.lr_range_test(surface, "sgd", surface.start)


def test_suggestions_are_drawn_at_the_engines_lrs(range_test):
    fig = finder_figure(range_test, suggestion_marks(range_test))
    made = {k: v for k, v in range_test.suggestions.items() if v is not None}
    assert len(made) == 3
    lines = [shape.x0 for shape in fig.layout.shapes]
    labels = {a.text: a.x for a in fig.layout.annotations}
    for name, lr in made.items():
        assert lr in lines  # a shape on a log axis takes the lr itself
        label = f"{SUGGESTION_NAMES[name]} {lr:.2g}"
        assert labels[label] == pytest.approx(np.log10(lr))  # an annotation takes log10(lr)


def test_the_loss_axis_spans_the_raw_loss_as_well_as_the_smoothed_one(range_test):
    fig = finder_figure(range_test, [])
    low, high = fig.layout.yaxis.range
    assert low <= np.log10(range_test.losses.min()) and np.log10(range_test.losses.max()) <= high
    assert low <= np.log10(range_test.smoothed.min())
    raw, smoothed = fig.data
    np.testing.assert_array_equal(smoothed.y, range_test.smoothed)  # drawn as the engine returns it
    np.testing.assert_array_equal(raw.y, range_test.losses)


@pytest.mark.parametrize("query", [
    {"surface": "rosenbrock", "optimizer": "adam", "betas": "0.8,0.99", "x0": "0", "y0": "2", "end_lr": "1"},
    {"surface": "custom", "f": "x**2 + 3*y**2", "optimizer": "momentum", "x0": "1", "y0": "1", "num_it": "50"},
])
def test_finder_query_round_trips(query):
    config, notices = parse_finder(query)
    assert notices == []
    assert finder_query(config) == query
    assert parse_finder(finder_query(config)) == (config, [])


def test_race_query_round_trips_and_drops_what_the_race_does_not_use():
    query = {"surface": "himmelblau", "steps": "400", "x0": "0", "y0": "0", "lr_max": "1", "per_decade": "4"}
    config, notices = parse_race(query)
    assert notices == [] and race_query(config) == query
    config, notices = parse_race({**query, "optimizer": "adam", "lr": "0.1", "schedule": "step"})
    assert race_query(config) == query
    assert any("optimizer" in n for n in notices) and any("schedule" in n for n in notices)


def test_bad_tool_values_keep_the_defaults_with_a_notice():
    config, notices = parse_finder({"start_lr": "nan", "end_lr": "1e-8", "num_it": "2.5"})
    assert (config.start_lr, config.end_lr, config.num_it) == (FinderConfig.start_lr, FinderConfig.end_lr,
                                                                FinderConfig.num_it)
    assert len(notices) == 3
    config, notices = parse_race({"lr_min": "1e-9", "per_decade": "100"})
    assert (config.lr_min, config.per_decade) == (RaceConfig.lr_min, RaceConfig.per_decade) and len(notices) == 2


def test_losses_below_zero_get_a_linear_loss_axis():
    saddle = engine.surface("saddle")
    rt = engine.sweeps.lr_range_test(saddle, "sgd", saddle.start)
    assert (rt.losses < 0).any()
    fig = finder_figure(rt, suggestion_marks(rt))
    assert fig.layout.yaxis.type != "log"
