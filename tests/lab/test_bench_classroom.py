"""The classroom benchmark's pure parts: start values, the move plan, reading a map delta and the navigation,
percentiles, the check of one answer, and the report's table and verdict (no server: benchmarks/bench_classroom.py
drives real ones)."""

from __future__ import annotations

import json
import math

import plotly.graph_objects as go
import plotly.io as pio
import pytest
from streamlit.proto.Delta_pb2 import Delta
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

from benchmarks.classroom_protocol import (
    MAP_KEY,
    SLIDER_KEY,
    Answer,
    Page,
    Slider,
    Tab,
    current_option,
    move_plan,
    move_problem,
    read_element,
    start_lrs,
    trace_names,
    visit_query,
)
from benchmarks.classroom_report import SETUPS, Action, Result, crossing, nearest_rank, spread, table
from lab.config import LR_GRID, format_lr

OPTIONS = [format_lr(lr) for lr in LR_GRID]


def slider(value: str | None = None, default: int = 0) -> Slider:
    """The live slider's element as the server sends it: at ``value`` when set, else at option ``default``."""
    data = {"texts": OPTIONS, "index": default if value is None else OPTIONS.index(value)}
    return Slider.of(f"$$ID-abc-{SLIDER_KEY}", json.dumps(data))


def map_json(*names: str) -> str:
    figure = go.Figure([go.Scatter(x=[0, 1], y=[0, 1], name=name) for name in names])
    return json.dumps({"figure": pio.to_json(figure, validate=False), "config": {}})


def test_a_students_own_setup_has_its_seed_and_the_teachers_link_has_none():
    assert visit_query("0.001", 1002) == "lr=0.001&seed=1002"
    assert visit_query("0.001", None) == "lr=0.001"


def test_start_lrs_spread_over_the_range_on_the_grid():
    starts = start_lrs(OPTIONS, 30, 1e-4, 1e-2)
    assert starts[0] == "0.0001" and starts[-1] == "0.01" and len(starts) == 30
    assert all(s in OPTIONS for s in starts)
    assert [OPTIONS.index(s) for s in starts] == sorted(OPTIONS.index(s) for s in starts)
    assert start_lrs(OPTIONS, 1, 1e-4, 1e-2) == ["0.0001"]


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
    assert spread([10.0] * 18 + [math.inf] * 2).endswith("p95 > 30 s")
    assert spread([]) == "p50 -, p95 -"


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
        read_element(delta, answer, 25.0)
    return answer


def test_a_move_passes_when_its_map_names_the_new_lr():
    answer = answer_to(element_delta("map", MAP_KEY, map_json("SGD · lr 0.0012")))
    assert (answer.map_ms, answer.finished_ms, move_problem(answer, "0.0012")) == (25.0, 40.0, None)


def test_a_move_fails_on_a_stale_map_a_missing_map_or_an_exception():
    stale = answer_to(element_delta("map", MAP_KEY, map_json("SGD · lr 0.0012")))
    assert "lacks 'lr 0.0015'" in move_problem(stale, "0.0015")
    other_chart = answer_to(element_delta("map", "pg_progress", map_json("SGD · lr 0.0015")))
    assert move_problem(other_chart, "0.0015") == "no map delta" and other_chart.map_ms is None
    crashed = answer_to(element_delta("map", MAP_KEY, map_json("SGD · lr 0.0015")),
                        element_delta("exception"))
    assert move_problem(crashed, "0.0015") == "exception: ValueError: boom"
    assert "status" in move_problem(answer_to(status=ForwardMsg.FINISHED_WITH_COMPILE_ERROR), "0.0015")
    assert move_problem(answer_to(), "0.0015") == "no element drawn"


def test_the_navigation_gives_the_tab_every_page_with_its_section():
    msg = ForwardMsg()
    for name, path, section in (("Home", "", ""), ("1. Why", "lesson-1", "Lessons"), ("Race", "race", "Tools")):
        page = msg.navigation.app_pages.add()
        page.page_script_hash, page.page_name, page.url_pathname, page.section_header = f"h-{path}", name, path, section
    msg.navigation.page_script_hash = "h-lesson-1"
    tab = Tab(ws=None, query="")
    tab._read(msg, Answer(), 1.0)
    assert tab.pages == [Page("h-", "", ""), Page("h-lesson-1", "lesson-1", "Lessons"), Page("h-race", "race", "Tools")]
    assert tab.page_hash == "h-lesson-1"


def result(size: int, move_ms: float, where: str = "1 server", problem: str | None = None,
           setup: str = SETUPS["own"]) -> Result:
    return Result(size, where, setup, actions=[Action("move", move_ms, problem)] * 19 + [Action("page", 50.0)],
                  peak_rss_mb=300.0, server_cpu=30.0, wall_s=60.0)


def test_the_verdict_names_the_first_single_server_size_past_one_second_per_setup():
    fine, slow = result(30, 200.0), result(100, 1500.0)
    assert crossing([fine, result(60, 900.0), slow]) == "own setups: p95 crosses 1 s at 100 students"
    assert crossing([fine, result(60, 5000.0, where="nginx + 3 replicas")]) == (
        "own setups: p95 within 1 s at every size run")
    assert crossing([slow, result(60, 1200.0)]) == "own setups: p95 crosses 1 s at 60 students"
    shared = [result(60, 400.0, setup=SETUPS["teacher"]), result(100, 1100.0, setup=SETUPS["teacher"])]
    assert crossing([fine, *shared]) == ("own setups: p95 within 1 s at every size run; "
                                         "teacher's link: p95 crosses 1 s at 100 students")


def test_the_table_has_a_row_per_class_with_its_errors_and_memory():
    rows = table([result(30, 200.0), result(60, math.inf, problem="move: no answer within 30 s")])
    assert len(rows) == 4 and all(row.count("|") == rows[0].count("|") for row in rows)
    assert ("| 30 | 1 server | own setups | 20 | 200 ms | 200 ms | 200 ms | 50 ms | - / - | 0 | 300 MB "
            "| 50% of a core |") in rows[2]
    assert "| 19 |" in rows[3] and "> 30 s" in rows[3]
