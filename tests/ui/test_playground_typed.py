"""The Playground with a typed f(x, y) that is undefined somewhere (at the start, or on part of the view), a
typed f with a syntax error, and a start outside the view: always an outcome and a map, never a traceback."""

import json
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from ui.figures_map import UNDEFINED

PAGE = str(Path(__file__).resolve().parents[2] / "views" / "playground.py")


def _app(**query) -> AppTest:
    at = AppTest.from_file(PAGE, default_timeout=60)
    at.query_params.update(query)
    return at.run()


def _outcome(at: AppTest) -> str:
    return " ".join(m.value.replace("\\", "") for m in at.markdown if "lr" in m.value and ":" in m.value)


def _map(at: AppTest) -> dict:
    """The map's figure as sent to the browser (the one chart a click can pick a start on)."""
    (chart,) = [json.loads(e.proto.json) for e in at.get("bidi_component")
                if e.proto.component_name == "descent_lab.live_chart" and json.loads(e.proto.json)["clickable"]]
    return json.loads(chart["figure"])


@pytest.mark.parametrize("query", [{"f": "log(x)"}, {"f": "sqrt(x)", "x0": "-1", "y0": "0"},
                                   {"f": "1/x", "x0": "0", "y0": "0"}], ids=lambda q: q["f"])
def test_a_start_where_f_is_undefined_gives_the_outcome_and_the_map(query):
    at = _app(surface="custom", **query)
    assert not at.exception
    assert "diverged at step 0" in _outcome(at) and "f is not defined at the start" in _outcome(at)
    figure = _map(at)
    start = next(t for t in figure["data"] if t.get("name") == "start")
    assert (start["x"][0], start["y"][0]) == (float(query.get("x0", -2.1)), float(query.get("y0", 2.1)))
    assert UNDEFINED in [t.get("name") for t in figure["data"]]  # the blank (hatched) part is explained


def test_typed_default_start_is_a_clean_number():
    at = _app()
    at.selectbox(key="pg_surface").set_value("custom").run()
    assert (at.number_input(key="pg_x0").value, at.number_input(key="pg_y0").value) == (-2.1, 2.1)
    assert at.query_params["x0"] == "-2.1"


def test_a_syntax_error_points_at_it_and_keeps_the_last_good_figure():
    at = _app(surface="custom", f="x^2 + y^2", x0="1", y0="1")
    assert not at.exception and "converged" in _outcome(at)
    good = _map(at)
    at.text_input(key="pg_expr").set_value("x**").run()
    assert not at.exception
    (error,) = at.error
    message = error.value.replace("\\", "")
    assert "'**' at the end has nothing on its right" in message and "products" not in message
    assert any(c.value == "x**\n ^" for c in at.code)  # the caret under the spot
    assert any("last f(x, y) that worked" in w.value for w in at.warning)
    assert "converged" in _outcome(at) and _map(at)["data"] == good["data"]  # the last good run, still shown
    assert at.query_params["f"] == "x^2 + y^2"  # the address keeps the run on screen


def test_a_start_outside_the_view_widens_the_map_and_says_so():
    at = _app(surface="bowl", optimizer="sgd", lr="0.1", x0="8", y0="-1")  # the bowl's view is x, y in [-2, 2]
    assert not at.exception and "converged" in _outcome(at)
    layout = _map(at)["layout"]
    assert layout["xaxis"]["range"][0] == -2 and layout["xaxis"]["range"][1] > 8
    assert "left the view at step 0" not in json.dumps(_map(at))
    assert any("outside the surface's usual view" in c.value for c in at.caption)


def test_no_curvature_thresholds_at_a_start_where_f_is_not_defined():
    at = _app(surface="custom", f="log(x)")  # log's formal Hessian -1/x² is finite at x < 0; f is not
    assert any("f is not defined at the start, so it has no curvature L" in c.value for c in at.caption)
    assert not any("Local curvature at the start" in c.value for c in at.caption)
