"""The classroom benchmark's pure parts: start values, the move plan, reading a map delta, percentiles and the
check of one move's answer (no server: benchmarks/bench_classroom.py drives a real one)."""

from __future__ import annotations

import json
import math

import plotly.graph_objects as go
import plotly.io as pio
import pytest
from streamlit.proto.Delta_pb2 import Delta
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

from benchmarks.bench_classroom import (
    MAP_KEY,
    SLIDER_KEY,
    Answer,
    Slider,
    _move,
    _read_element,
    current_option,
    move_plan,
    nearest_rank,
    spread,
    start_lrs,
    trace_names,
)
from lab.config import LR_GRID, format_lr

OPTIONS = [format_lr(lr) for lr in LR_GRID]


def slider(value: str | None = None, default: int = 0) -> Slider:
    """The live slider's element as the server sends it: at ``value`` when set, else at option ``default``."""
    data = {"texts": OPTIONS, "index": default if value is None else OPTIONS.index(value)}
    return Slider.of(f"$$ID-abc-{SLIDER_KEY}", json.dumps(data))


def map_json(*names: str) -> str:
    figure = go.Figure([go.Scatter(x=[0, 1], y=[0, 1], name=name) for name in names])
    return json.dumps({"figure": pio.to_json(figure, validate=False), "config": {}})


def test_start_lrs_spread_over_the_range_on_the_grid():
    starts = start_lrs(OPTIONS, 30)
    assert starts[0] == "0.0001" and starts[-1] == "0.01" and len(starts) == 30
    assert all(s in OPTIONS for s in starts)
    assert [OPTIONS.index(s) for s in starts] == sorted(OPTIONS.index(s) for s in starts)
    assert start_lrs(OPTIONS, 1) == ["0.0001"]


def test_current_option_is_the_value_the_server_set_else_the_default():
    assert current_option(slider("0.0012", default=3)) == "0.0012"
    assert current_option(slider(default=3)) == OPTIONS[3]


def test_move_plan_goes_one_option_up_each_move_and_never_repeats():
    plan = move_plan(slider("0.0001"), 10)
    assert plan[:3] == ["0.00012", "0.00015", "0.0002"] and len(set(plan)) == 10
    with pytest.raises(ValueError, match="leave the slider"):
        move_plan(slider("8"), 2)


def test_trace_names_read_the_figure_inside_the_component_data():
    assert trace_names(map_json("SGD · lr 0.0012", "start")) == ["SGD · lr 0.0012", "start"]


def test_nearest_rank_and_spread_keep_failures_visible():
    values = list(range(1, 101))
    assert nearest_rank(values, 50) == 50 and nearest_rank(values, 95) == 95
    assert nearest_rank([5.0], 95) == 5.0
    assert spread([10.0] * 19 + [math.inf]) == "p50 10 ms, p95 10 ms"
    assert spread([10.0] * 18 + [math.inf] * 2).endswith("p95 > 30000 ms")


def element_delta(kind: str, key: str = "", data: str = "") -> Delta:
    delta = Delta(fragment_id="frag")
    element = delta.new_element
    if kind == "exception":
        element.exception.type, element.exception.message = "ValueError", "boom"
    elif kind == "map":
        element.bidi_component.id, element.bidi_component.json = f"$$ID-abc-{key}", data
    return delta


def answer_to(*deltas: Delta, status: int = ForwardMsg.FINISHED_FRAGMENT_RUN_SUCCESSFULLY) -> Answer:
    answer = Answer(finished_ms=40.0, status=status)
    for delta in deltas:
        _read_element(delta, answer, 25.0)
    return answer


def test_a_move_passes_when_its_map_names_the_new_lr():
    move = _move(answer_to(element_delta("map", MAP_KEY, map_json("SGD · lr 0.0012"))), "0.0012")
    assert (move.map_ms, move.finished_ms, move.problem) == (25.0, 40.0, None)


def test_a_move_fails_on_a_stale_map_a_missing_map_or_an_exception():
    stale = answer_to(element_delta("map", MAP_KEY, map_json("SGD · lr 0.0012")))
    assert "lacks 'lr 0.0015'" in _move(stale, "0.0015").problem
    other_chart = answer_to(element_delta("map", "pg_progress", map_json("SGD · lr 0.0015")))
    missing = _move(other_chart, "0.0015")
    assert missing.problem == "no map delta" and math.isinf(missing.map_ms)
    crashed = answer_to(element_delta("map", MAP_KEY, map_json("SGD · lr 0.0015")),
                        element_delta("exception"))
    assert _move(crashed, "0.0015").problem == "exception: ValueError: boom"
    assert "status" in _move(answer_to(status=ForwardMsg.FINISHED_WITH_COMPILE_ERROR), "0.0015").problem
