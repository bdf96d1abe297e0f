"""The URL schema: round trips, bad values give defaults and notices (never an exception)."""

from dataclasses import replace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import engine
from engine.params import Param
from lab.config import CUSTOM, LR_PARAM, OptimizerConfig, default_config, parse_query, to_query
from lab.url_schema import key_table, read_value, write_value


def test_default_round_trip_is_exact_and_silent():
    config = default_config()
    query = to_query(config)
    assert query == {"surface": "quadratic", "optimizer": "sgd", "lr": "0.08", "steps": "200", "x0": "-1.5", "y0": "1"}
    assert parse_query(query) == (config, [])
    assert parse_query({}) == (config, [])


def test_race_with_pairs_schedule_and_collisions_round_trips():
    base = default_config()
    adam = OptimizerConfig.default("adam", lr=0.003).with_values(betas=(0.8, 0.99), eps=1e-6)
    momentum = OptimizerConfig.default("momentum", lr=0.02).with_values(nesterov=True)
    schedule = tuple((p.name, p.default) for p in engine.SCHEDULES["plateau"].params)
    schedule = tuple((k, 1e-7 if k == "eps" else v) for k, v in schedule)
    config = replace(base, optimizers=(momentum, adam), schedule="plateau", schedule_params=schedule,
                     steps=321, x0=0.123456789, y0=-1.0, noise=0.5, seed=7)
    query = to_query(config)
    assert query["betas_2"] == "0.8,0.99" and query["eps_2"] == "1e-06" and query["lr_2"] == "0.003"
    assert query["eps"] == "1e-07"  # the schedule's eps: the first optimizer (momentum) has none
    assert query["nesterov"] == "true"
    assert parse_query(query) == (config, [])


def test_schedule_name_clash_gets_a_prefix():
    table = key_table((), ("adam",), engine.SCHEDULES["plateau"].params)
    assert table[("optimizer", 0, "eps")] == "eps"
    assert table[("schedule", 0, "eps")] == "schedule_eps"


def test_custom_expression_round_trips():
    config, notices = parse_query({"surface": CUSTOM, "f": "x**2 + 3*y**2", "lr": "0.1"})
    assert notices == [] and config.surface == CUSTOM and config.expression == "x**2 + 3*y**2"
    assert parse_query(to_query(config)) == (config, [])


def test_bad_values_fall_back_with_notices():
    query = {"surface": "bowl", "lr": "nan", "steps": "-5", "x0": "1e9", "y0": "abc", "noise": "inf",
             "optimizer": "sgd,<script>alert(1)</script>", "momentum": "-1", "seed": "1.5", "bogus": "1"}
    config, notices = parse_query(query)
    expected = default_config("bowl")
    assert config == expected
    text = " | ".join(notices)
    for key in ("lr=nan", "steps=-5", "x0=1e9", "y0=abc", "noise=inf", "<script>", "momentum=-1", "seed=1.5",
                "bogus"):
        assert key in text
    assert len(notices) == 9


def test_unknown_names_and_too_many_optimizers():
    config, notices = parse_query({"surface": "nope", "optimizer": "sgd,adam,adam,rmsprop,adagrad", "schedule": "x"})
    assert config.surface == "quadratic" and config.schedule == "constant"
    assert [o.name for o in config.optimizers] == ["sgd", "adam", "adam", "rmsprop"]
    assert len(notices) == 3


def test_bad_custom_expression_and_huge_lr():
    """A bad f falls back to the default surface; an lr above the slider's range runs at its largest (lr=1e6 in
    tests/views/test_extremes.py), both with a notice."""
    config, notices = parse_query({"surface": CUSTOM, "f": "__import__('os')", "lr": "100"})
    assert config.surface == "quadratic" and config.optimizers[0].lr == LR_PARAM.high
    assert len(notices) == 2 and notices[1] == "lr=100 is above the largest lr this page takes; using 10."


@pytest.mark.parametrize("text, used", [("1e6", LR_PARAM.high), ("1e-12", LR_PARAM.low), ("10.5", LR_PARAM.high)])
def test_an_lr_beyond_the_range_runs_at_its_nearest_end_for_every_racer(text, used):
    config, notices = parse_query({"optimizer": "sgd,adam", "lr": text, "lr_2": text})
    assert [o.lr for o in config.optimizers] == [used, used]
    side = "above the largest" if used == LR_PARAM.high else "below the smallest"
    assert notices == [f"{key}={text} is {side} lr this page takes; using {used:g}." for key in ("lr", "lr_2")]


@pytest.mark.parametrize("text", ["0", "-1", "nan", "inf", "1e400", "-1e6", "banana"])
def test_an_lr_that_is_no_size_keeps_the_default(text):
    config, notices = parse_query({"lr": text})
    assert config.optimizers[0].lr == LR_PARAM.default and notices[0].startswith(f"Ignored lr={text}:")


def test_only_the_learning_rate_is_taken_to_its_range():
    config, notices = parse_query({"surface": "quadratic", "steps": "1e6", "l1": "1e6"})  # l1: log-scaled too
    assert config.steps == 200 and dict(config.surface_params)["l1"] == 10.0
    assert [n.split(":")[0] for n in notices] == ["Ignored l1=1e6", "Ignored steps=1e6"]


def test_value_text_both_ways():
    assert [write_value(v) for v in (0.1, 3.0, 1e-05, True, False, 7, (0.9, 0.999), (100, 200))] == [
        "0.1", "3", "1e-05", "true", "false", "7", "0.9,0.999", "100,200"]
    assert read_value(Param("m", (1, 2), kind="ints"), "5,10") == (5, 10)
    assert read_value(Param("c", "a", kind="choice", choices=("a", "b")), "b") == "b"


@settings(max_examples=60, deadline=None)
@given(st.dictionaries(st.sampled_from(["surface", "optimizer", "lr", "lr_2", "betas", "steps", "x0", "y0", "noise",
                                        "seed", "schedule", "T_max", "f", "momentum", "zz"]),
                       st.text(max_size=30), max_size=8))
def test_any_query_parses_without_raising(query):
    config, notices = parse_query(query)
    assert isinstance(notices, list)
    assert parse_query(to_query(config)) == (config, [])
