"""Numeric extremes through the address, under AppTest with RuntimeWarning raised as an error: the largest and
smallest learning rates, the most steps with four optimizers, a start far outside the view, surfaces whose value
overflows, and the tools at their largest settings.  The page shows an outcome for every racer (an lr beyond the
slider's range runs at the range's nearest end, with a notice naming the value asked for and the value used; a map
larger than the work budget is drawn coarser, with a notice), and no warning or traceback reaches it."""

from __future__ import annotations

import warnings
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

import engine
from lab.config import CUSTOM, LR_PARAM, RUN_PARAMS, parse_query, start_param
from lab.runs import ensemble
from lab.tool_links import FINDER_PARAMS, RACE_PARAMS

APP = str(Path(__file__).resolve().parents[2] / "app.py")
OUTCOMES = ("converged", "diverged", "oscillating", "stalled", "still moving")
MAX_STEPS = str(RUN_PARAMS[0].high)
FAR = start_param("x0", engine.surface("quadratic"))  # the farthest start a link may give


def _open(path: str, query: dict[str, str]) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=120)
    at.run()
    at.switch_page(path)
    at.query_params.update(query)
    with warnings.catch_warnings():
        warnings.simplefilter("error", RuntimeWarning)  # the script's thread too: a warning is an exception
        at.run()
    assert not at.exception, at.exception[0].stack_trace
    return at


def _outcomes(at: AppTest) -> list[str]:
    return [m.value for m in at.markdown if any(word in m.value for word in OUTCOMES)]


@pytest.mark.parametrize("lr, used, outcome", [("1e6", LR_PARAM.high, "diverged at step 1"),
                                               ("1e-12", LR_PARAM.low, "still moving after 200 steps")])
def test_an_lr_out_of_range_runs_at_the_nearest_end_and_shows_its_outcome(lr, used, outcome):
    at = _open("views/playground.py", {"lr": lr})
    notice = " ".join(w.value for w in at.warning).replace("\\", "")
    assert f"lr={lr} is" in notice and f"using {used:g}." in notice
    assert at.query_params["lr"] == f"{used:g}"
    assert [line.replace("\\", "") for line in _outcomes(at)] == [f"**SGD · lr {used:g}: {outcome}**"]


@pytest.mark.parametrize("path", ["views/stability_map.py", "views/basins.py"])
@pytest.mark.parametrize("lr", ["1e6", "1e-12"])
def test_the_maps_take_an_lr_out_of_range_to_the_nearest_end(path, lr):
    at = _open(path, {"lr": lr})
    notice = " ".join(w.value for w in at.warning).replace("\\", "")
    used = LR_PARAM.high if lr == "1e6" else LR_PARAM.low
    assert f"lr={lr} is" in notice and f"using {used:g}." in notice and at.query_params["lr"] == f"{used:g}"


@pytest.mark.parametrize("query", [
    {"surface": "rosenbrock", "optimizer": "sgd,momentum,adam,rmsprop", "lr": "10", "lr_2": "10", "lr_3": "10",
     "lr_4": "1e-05", "steps": MAX_STEPS},
    {"surface": "quadratic", "optimizer": "sgd,nesterov,adagrad,adamw", "lr": "10", "lr_2": "0.001", "lr_3": "10",
     "lr_4": "10", "steps": MAX_STEPS, "x0": f"{FAR.high:g}", "y0": f"{FAR.low:g}"},
    {"surface": "custom", "f": "exp(x**2 + y**2)", "optimizer": "sgd,adam", "lr": "10", "lr_2": "10", "x0": "10",
     "y0": "-10", "steps": MAX_STEPS},
    {"surface": "custom", "f": "x**10 * y**10 * 1000000", "optimizer": "sgd", "lr": "10", "x0": "15", "y0": "15",
     "noise": "100"},
], ids=["max-steps-four-racers", "far-start", "overflowing-exp", "overflowing-power"])
def test_the_playground_shows_an_outcome_for_every_racer_at_the_extremes(query):
    at = _open("views/playground.py", query)
    assert not at.warning, [w.value for w in at.warning]
    assert len(_outcomes(at)) == len(query["optimizer"].split(","))


@pytest.mark.parametrize("path, query", [
    ("views/stability_map.py", {"surface": "rosenbrock", "steps": MAX_STEPS, "lr": "10", "momentum": "0.99"}),
    ("views/basins.py", {"surface": "rastrigin", "steps": MAX_STEPS, "lr": "10", "lr_b": "10"}),
    ("views/lr_finder.py", {"surface": "beale", "num_it": f"{FINDER_PARAMS[2].high}",
                            "end_lr": f"{FINDER_PARAMS[1].high:g}", "start_lr": f"{FINDER_PARAMS[0].low:g}"}),
    ("views/race.py", {"surface": "rosenbrock", "steps": "500", "lr_min": f"{RACE_PARAMS[0].low:g}",
                       "lr_max": f"{RACE_PARAMS[1].high:g}", "per_decade": "20"}),
], ids=["stability", "basins", "finder", "race"])
def test_the_tools_at_their_largest_settings(path, query):
    at = _open(path, query)
    assert not at.warning, [w.value for w in at.warning]
    over_budget = [i.value for i in at.info if "point-steps" in i.value]  # lab.tool_budget
    assert len(over_budget) == (path in ("views/stability_map.py", "views/basins.py")), over_budget


OVERFLOWING = ("exp(x**2 + y**2)", "x**10 * y**10 * 1000000", "exp(exp(x)) + y**2", "cosh(x*y)**10")


@pytest.mark.parametrize("text", OVERFLOWING)
@pytest.mark.parametrize("lr", [LR_PARAM.high, LR_PARAM.low])
def test_the_engine_warns_of_nothing_on_surfaces_whose_value_overflows(text, lr):
    """Every optimizer on a typed f(x, y) read from a link, from starts where f is already huge, with and without
    gradient noise, the most steps, through the app's one road to runs (``lab.runs``): no RuntimeWarning (raised
    as an error here), and every path ends with an outcome."""
    starts = ((2.5, 2.5), (15.0, 15.0), (-3.0, 0.5))
    with warnings.catch_warnings():
        warnings.simplefilter("error", RuntimeWarning)
        for name in engine.OPTIMIZERS:
            for noise in (0.0, 100.0):
                config, notices = parse_query({"surface": CUSTOM, "f": text, "optimizer": name, "lr": f"{lr:g}",
                                               "steps": str(RUN_PARAMS[0].high), "noise": f"{noise:g}"})
                assert notices == [] and config.expression == text
                run = ensemble(config, starts)
                assert set(run.status) <= {"converged", "diverged", "running"}, (name, noise)
