"""The map keeps a diverging path in sight (the distance strip and slow-motion frames), its event labels are
the engine's steps, and the loss chart stays readable when one racer diverges."""

import base64

import numpy as np
import plotly.graph_objects as go
import pytest

import engine
from lab.figures_charts import loss_figure, progress_figure
from lab.figures_distance import SLOW_MS, distances, slow_steps
from lab.figures_map import frame_steps, map_spec
from lab.raster import surface_picture
from lab.runs import make_config, run_of

TILTED_PARAMS = {"l1": 10.0, "l2": 1.0, "angle": 30.0}
TILTED = engine.surface("quadratic", **TILTED_PARAMS)
START = (-1.5, 1.0)


def _sgd(lr: float, steps: int = 200, schedule: str = "constant", schedule_params=None) -> engine.Run:
    return run_of(make_config("quadratic", "sgd", START, steps, surface_params=TILTED_PARAMS, schedule=schedule,
                              schedule_params=schedule_params, lr=lr))


def _step_decay() -> engine.Run:  # issue 13's reproduction: out ×1.4 a step for 10 steps, back, stalled
    return _sgd(0.24, 300, "step", {"step_size": 10, "gamma": 0.5})


def _array(values) -> np.ndarray:
    if isinstance(values, dict):
        return np.frombuffer(base64.b64decode(values["bdata"]), dtype=values["dtype"]).astype(float)
    return np.asarray(values, dtype=float)


def _map(runs, labels, strip=True) -> dict:
    return map_spec(TILTED, runs, labels, surface_picture(TILTED, size=20), START, strip=strip)


def _strip_traces(fig: dict) -> list[dict]:
    return [t for t in fig["data"] if t.get("yaxis") == "y2"]


def test_a_diverging_racer_stays_on_the_strip_up_to_its_divergence():
    diverging, converging = _sgd(0.3), _sgd(0.08)  # |1 - 0.3 * 10| = 2: the error doubles every step
    assert diverging.status[0] == "diverged" and converging.status[0] == "converged"
    fig = _map([diverging, converging], ["SGD #1", "SGD #2"])
    go.Figure(fig)  # valid Plotly
    line = next(t for t in _strip_traces(fig) if t.get("mode") == "lines" and t["name"] == "SGD #1")
    end = diverging.last_step(0)
    d = _array(line["y"])
    assert (line["x0"], line["dx"], len(d)) == (0, 1, end + 1)  # one point per step, from step 0
    # once the growing direction dominates, a straight climb on the log axis: × 2 per step
    np.testing.assert_allclose(d[3:] / d[2:-1], 2.0, rtol=0.03)
    low, high = fig["layout"]["yaxis2"]["range"]
    assert low <= np.log10(np.nanmin(d)) and np.log10(d.max()) <= high  # every distance is on screen
    (mark,) = [t for t in _strip_traces(fig) if t.get("text")]
    assert mark["text"] == [f"diverged at step {diverging.stopped_at[0]}"] and mark["x"] == [end]
    # the heads on the strip move with the map's: each frame puts them at that step's distance
    frames = {int(f["name"]): f for f in fig["frames"]}
    for t in range(end + 1):
        assert t in frames  # every step up to the divergence is a frame (slow motion)
        heads = frames[t]["data"][1]  # the map's heads (both racers) 0, the strip's 1; racer 1's first
        assert heads["x"][0] == t and np.isclose(heads["y"][0], d[t], rtol=1e-6)
    assert frames[150]["data"][1]["x"][0] == end  # held at its end afterwards


def test_events_get_slow_motion_frames_and_the_rest_keeps_its_pace():
    run = _step_decay()
    assert (run.left_view[0], run.back_in_view[0]) == (4, 12)
    slow = slow_steps([run], 300)
    assert set(range(4, 13)) <= set(slow.tolist())
    fig = _map([run], ["SGD"])
    ts = [int(f["name"]) for f in fig["frames"]]
    assert set(frame_steps(300).tolist()) <= set(ts) and set(range(4, 13)) <= set(ts)
    durations = [f["duration"] for f in fig["layout"]["updatemenus"][0]["buttons"][0]["args"][1]["frame"]]
    assert len(durations) == len(ts)
    assert all(d == SLOW_MS for t, d in zip(ts, durations, strict=True) if 4 <= t <= 12)
    quiet = [d for t, d in zip(ts, durations, strict=True) if t not in set(slow.tolist())]
    assert sum(quiet) <= 3000 + 15 and len(set(quiet)) == 1


@pytest.mark.parametrize(("lr", "schedule"), [
    (0.24, ("step", {"step_size": 10, "gamma": 0.5})),  # leaves at 4, back at 12, stalls
    (0.3, ("constant", None)),   # leaves at 2, diverges at 5
    (0.21, ("constant", None)),  # just above 2/L = 0.2: leaves later, diverges later
    (0.19, ("constant", None)),  # just below: zigzags inward, never leaves
], ids=["step decay", "0.3", "0.21", "0.19"])
def test_the_maps_event_label_gives_the_engines_steps(lr, schedule):
    run = _sgd(lr, 300, *schedule)
    fig = _map([run], ["SGD"], strip=False)
    texts = [t["text"][0] for t in fig["data"] if t.get("text") and t.get("yaxis") != "y2"]
    left, back = int(run.left_view[0]), int(run.back_in_view[0])
    if left < 0:
        assert not texts
        return
    (text,) = texts
    assert text.startswith(f"left the view at step {left}")
    if run.status[0] == "diverged":
        assert text.endswith(f"diverged at step {run.stopped_at[0]}") and text.endswith(run.outcome(0))
    else:
        assert text == f"left the view at step {left}, back at step {back}" and run.outcome(0).startswith(text)


def test_a_path_that_jumps_past_the_far_bound_from_inside_still_gets_its_mark():
    run = _sgd(9.0, 50)  # one step takes it far outside: no point of the path lies outside the view
    assert run.status[0] == "diverged" and run.last_step(0) == 0
    texts = [t["text"][0] for t in _map([run], ["SGD"], strip=False)["data"] if t.get("text")]
    assert texts == [f"left the view at step 1, diverged at step {run.stopped_at[0]}"]


def test_the_loss_chart_keeps_its_range_for_the_racers_that_did_not_diverge():
    diverging, converging = _sgd(0.3), _sgd(0.08)
    for fig in (loss_figure(TILTED, [diverging, converging], ["a", "b"]),
                progress_figure(TILTED, [diverging, converging], ["a", "b"])):
        low, high = fig.layout.yaxis.range
        f = converging.losses[: converging.last_step(0) + 1, 0]
        assert low <= np.log10(f.min()) and np.log10(f.max()) <= high < np.log10(f.max()) + 2
        assert np.log10(diverging.losses[diverging.last_step(0), 0]) > high  # the blow-up is clipped ...
        (mark,) = [t for t in fig.data if t.text]  # ... and marked where it leaves the chart
        assert mark.text == ("diverged at step 5",) and mark.y[0] == pytest.approx(10**high)
    alone = loss_figure(TILTED, [diverging], ["a"])  # nothing else to keep readable: Plotly's own range
    assert alone.layout.yaxis.range is None and [t.text for t in alone.data if t.text] == [("diverged at step 5",)]


def test_distance_from_the_start_where_the_surface_knows_no_minimum():
    saddle = engine.surface("saddle")
    d, what = distances(saddle, np.array([[1.0, 0.5], [1.0, 1.5]]))
    assert what == "distance from the start" and np.isnan(d[0]) and d[1] == pytest.approx(1.0)
