"""Pure figure builders and helpers, checked against hand-worked numbers and Plotly's own validation."""

import base64
import json
import zlib

import numpy as np
import plotly.graph_objects as go
import plotly.io as pio

import engine
from lab.config import OptimizerConfig
from lab.figures_charts import loss_figure, loss_series, lr_figure, progress_figure, stability_figure
from lab.figures_inspect import inspector_figure, step_arrows
from lab.figures_map import (
    MAX_FRAMES,
    SCRUB_STEPS,
    TRAIL,
    UNDEFINED,
    add_marks,
    color,
    frame_steps,
    map_figure,
    map_spec,
    surface3d_figure,
    typed,
)
from lab.map_view import left_view, legend_rows, view_around
from lab.outcome import escape_markdown, latex_number, outcome_lines, rule_numbers
from lab.raster import COLORS, UNDEFINED_LINE, band_levels, surface_picture
from lab.runs import make_config, run_of


def _run(slug="bowl", opt="sgd", lr=0.1, start=(1.5, -1.0), steps=200, **hyper):
    return engine.surface(slug), run_of(make_config(slug, opt, start, steps, lr=lr, **hyper))


def test_frame_steps_sampled_evenly():
    assert frame_steps(10).tolist() == list(range(11))
    ts = frame_steps(500)
    assert ts[0] == 0 and ts[-1] == 500 and len(ts) == MAX_FRAMES + 1 and np.all(np.diff(ts) > 0)


def test_left_view_crossing_point():
    path = np.array([[0.0, 0.0], [1.0, 0.5], [3.0, 1.5], [10.0, 5.0]])
    step, point = left_view(path, ((-2, 2), (-2, 2)))
    assert step == 2 and np.allclose(point, [2.0, 1.0])  # the segment (1, .5)->(3, 1.5) crosses x = 2 at y = 1
    assert left_view(path[:2], ((-2, 2), (-2, 2))) is None


def _array(spec) -> np.ndarray:
    """Decode a builder's typed array (``{"dtype": "f4", "bdata": base64}``)."""
    return np.frombuffer(base64.b64decode(spec["bdata"]), dtype=spec["dtype"])


def test_typed_array_round_trips():
    values = np.array([0.5, -2.0, 1e-3])
    assert np.allclose(_array(typed(values)), values)
    assert go.Scatter(x=typed(values)).to_plotly_json()["x"]["dtype"] == "f4"  # Plotly takes it as is


def test_marks_added_to_a_map_get_room_for_their_legend_rows():
    # a lesson's marks (lesson 14: two preconditioned paths) add legend entries: the legend must not be cut off
    s, run = _run()
    fig = map_figure(s, [run], ["SGD · lr 0.3"], surface_picture(s, size=20))
    before = fig.layout.margin.t
    marks = [go.Scatter(x=[0, 1], y=[0, 1], name=name) for name in ("diagonal preconditioner (its best α)",
                                                                     "Newton's step (α = 1)", "another long path name")]
    add_marks(fig, marks)
    names = [t.name for t in fig.data if t.showlegend is not False and t.name]
    assert legend_rows(names) > 1 and fig.layout.margin.t == 10 + 22 * legend_rows(names) > before
    assert list(fig.data[-3:]) == marks


def test_map_figure_is_valid_and_animates_only_heads():
    s, run = _run()
    fig = map_figure(s, [run, run], ["a", "b"], surface_picture(s, size=40))
    go.Figure(fig.to_dict())  # Plotly's validation accepts what the unvalidated builder made
    heads = fig.frames[0].traces
    assert len(fig.frames) == len(frame_steps(200)) and list(heads) == [3]  # one trace holds both racers' heads
    assert all(len(fr.data) == 1 and len(_array(fr.data[0].x)) == 2 * TRAIL for fr in fig.frames)
    assert len(fig.data[3].marker.color) == 2 * TRAIL and fig.data[3].marker.color[TRAIL] != fig.data[3].marker.color[0]
    stop = run.last_step(0)
    last = _array(fig.frames[-1].data[0].x)
    assert np.isclose(last[TRAIL - 1], run.points[stop, 0, 0], atol=1e-6)  # the head ends where the path stopped
    assert np.isclose(last[-1], run.points[stop, 0, 0], atol=1e-6)  # racer 2's too
    first = _array(fig.frames[0].data[0].x)
    assert np.allclose(first, run.points[0, 0, 0], atol=1e-6)  # before step 0 the trail is padded at the start
    middle = fig.frames[len(fig.frames) // 2]
    t = int(middle.name)
    assert np.allclose(_array(middle.data[0].y)[TRAIL:], run.points[t - TRAIL + 1: t + 1, 0, 1], atol=1e-6)


def test_fixed_margins_leave_room_for_the_controls():
    s, run = _run()
    fig = map_figure(s, [run], ["sgd"], surface_picture(s, size=20))
    margin = fig.layout.margin
    assert margin.autoexpand is False and fig.layout.xaxis.automargin is False
    assert fig.layout.sliders[0].y < 0 and fig.layout.updatemenus[0].y < 0  # under the plot area
    scrub = [int(step.args[0][0]) for step in fig.layout.sliders[0].steps]
    frames = [int(f.name) for f in fig.frames]
    assert scrub[0] == 0 and scrub[-1] == 200 and set(scrub) <= set(frames) and len(scrub) <= SCRUB_STEPS + 1
    still = map_figure(s, [run], ["sgd"], surface_picture(s, size=20), animate=False)
    assert not still.frames and still.layout.margin.b < margin.b


def test_legend_rows():
    assert legend_rows(["start"]) == 1
    assert legend_rows(["x" * 30] * 4, width=520) == 2  # 250 px each: two to a row


def test_diverged_path_gets_an_exit_mark():
    s, run = _run(lr=3.0)
    fig = map_figure(s, [run], ["sgd"], surface_picture(s, size=20))
    texts = [t.text[0] for t in fig.data if getattr(t, "text", None)]
    assert any(t.startswith("left the view at step") for t in texts)


def test_every_racers_head_and_exit_mark_share_one_trace_each():
    """However many racers, the map has one head trace and one exit-mark trace (the live lr slider redraws every
    trace in each frame): a point per racer that leaves the view, in its colour, with its words and its name on
    hover; none for a racer that stays inside."""
    s, stays = _run(lr=0.1)
    _, leaves = _run(lr=3.0)
    for runs in ([stays], [stays, leaves, leaves, stays]):
        fig = map_figure(s, runs, [f"racer {k}" for k in range(len(runs))], surface_picture(s, size=20),
                         animate=False)
        assert [t.name for t in fig.data].count("heads") == 1
        (exits,) = [t for t in fig.data if t.name == "left the view"]
        assert len(fig.data) == 5 + len(runs)  # click grid, paths, heads, start, minimum, exit marks
    assert len(exits.x) == 2 and exits.hovertext == ("racer 1: left the view", "racer 2: left the view")
    assert exits.marker.color == (color(1), color(2)) and all(t.startswith("left the view at step") for t in exits.text)


def test_an_exit_mark_on_the_edge_is_never_clipped():
    """The exit marks are drawn over the axes' edge, and so is the start's star, whose point is always there:
    Plotly forgets ``cliponaxis`` for a trace with no point and then clips the whole plot, a clip that the live
    slider's partial updates never lift (a run that stays inside has an empty exit-mark trace)."""
    s, stays = _run(lr=0.1)
    fig = map_figure(s, [stays], ["sgd"], surface_picture(s, size=20), animate=False)
    (exits,) = [t for t in fig.data if t.name == "left the view"]
    (start,) = [t for t in fig.data if t.name == "start"]
    assert exits.cliponaxis is False and not exits.x  # empty: Plotly ignores its cliponaxis
    assert start.cliponaxis is False and len(start.x) == 1 and "markers" in start.mode


def test_default_payload_is_small():
    s, run = _run("quadratic", lr=0.08, start=(-1.5, 1.0), steps=200)
    size = len(pio.to_json(map_figure(s, [run], ["sgd"], surface_picture(s)), validate=False))
    assert size < 250_000


def test_surface3d_valid():
    s, run = _run("rosenbrock", lr=1e-3, start=(-1.2, 1.0), steps=50)
    go.Figure(surface3d_figure(s, [run], ["sgd"], size=20).to_dict())


def test_stability_strip_bands():
    fig = stability_figure(0.1, 0.2, [0.05, 3.0], ["a", "b"])
    go.Figure(fig.to_dict())
    rects = [(sh["x0"], sh["x1"]) for sh in fig.layout.shapes if sh["type"] == "rect"]
    assert rects == [(1e-5, 0.1), (0.1, 0.2), (0.2, 10.0)]
    flat = stability_figure(float("inf"), float("inf"), [0.1], ["a"])
    assert [(sh["x0"], sh["x1"]) for sh in flat.layout.shapes] == [(1e-5, 10.0)]
    same = stability_figure(0.1, 0.2, [0.01, 0.01], ["SGD", "Momentum"])  # equal lrs: both markers show
    assert same.data[0].y[0] > same.data[1].y[0] and flat.data[0].y == (0.5,)


def test_stability_strip_marks_each_optimizers_own_band():
    # L = 10: GD's edge 2/L = 0.2; heavy ball with β = 0.9 is stable up to 2(1 + β)/L = 0.38; Adam has no band
    limits = [engine.theory.stability_limit(name, hyper, 10.0)
              for name, hyper in (("sgd", {}), ("momentum", {"momentum": 0.9}), ("adam", {}))]
    fig = stability_figure(0.1, 0.2, [0.05, 0.3, 0.01], ["SGD", "Momentum", "Adam"], limits=limits)
    go.Figure(fig.to_dict())
    own = [sh["x0"] for sh in fig.layout.shapes if sh["type"] == "line" and sh["line"]["width"] == 3]
    assert len(own) == 1 and abs(own[0] - 0.38) < 1e-12
    texts = [a.text for a in fig.layout.annotations]
    assert "0.38" in texts and "no fixed band" in texts


def test_loss_series_shifts_negative_minima():
    s, run = _run("six_hump_camel", lr=0.01, start=(0.5, 0.5), steps=30)
    series, title, log = loss_series(s, [run])
    f_star = s.value(s.minima).min()
    assert log and title.startswith("f − f*") and np.allclose(series[0][0], max(run.losses[0, 0] - f_star, 1e-16))
    _, saddle_run = _run("saddle", lr=0.01, start=(0.5, 0.5), steps=5)
    assert loss_series(engine.surface("saddle"), [saddle_run])[2] is False


def test_picture_is_a_png_of_the_right_size():
    s = engine.surface("himmelblau")
    data = base64.b64decode(surface_picture(s, size=30).split(",", 1)[1])
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and int.from_bytes(data[16:20], "big") == 30
    idat = data.index(b"IDAT")
    length = int.from_bytes(data[idat - 4: idat], "big")
    assert len(zlib.decompress(data[idat + 4: idat + 4 + length])) == 30 * (1 + 30 * 3)
    z = np.arange(100.0)
    assert np.allclose(band_levels(z, 4), [24.75, 49.5, 74.25])


def test_step_arrows_plain_sgd_by_hand():
    s, run = _run(lr=0.1, steps=5)  # f = x² + y², g = (3, -2) at (1.5, -1); update = -0.1 g
    point, arrows, row = step_arrows(run, 1)
    assert np.allclose(point, [1.5, -1.0]) and np.allclose(row["grad"], [3.0, -2.0])
    assert [a.label.split(" ")[0] for a in arrows] == ["−γ·g", "update"]
    assert np.allclose(arrows[1].vector, [-0.3, 0.2])
    _, mrun = _run(opt="momentum", lr=0.1, steps=5)
    labels = [a.label for a in step_arrows(mrun, 2)[1]]
    assert any("velocity" in t for t in labels)
    _, arun = _run(opt="adam", lr=0.1, steps=5)
    assert any("per-parameter" in a.label for a in step_arrows(arun, 2)[1])
    go.Figure(inspector_figure(s, run, 1, "sgd").to_dict())


def test_inspector_zooms_on_the_step_taken_and_clips_a_far_longer_arrow():
    s, run = _run("rosenbrock", "adam", lr=0.05, start=(-1.2, 1.0), steps=5)
    point, arrows, _ = step_arrows(run, 1)
    lengths = {a.label.split(" (")[0]: float(np.hypot(*a.vector)) for a in arrows}
    assert lengths["−γ·g"] > 100 * lengths["update"]  # Adam's first step is about γ per axis, |γ·g| ≈ 11.6
    fig = inspector_figure(s, run, 1, "Adam")
    (x0, x1), (y0, y1) = fig.layout.xaxis.range, fig.layout.yaxis.range
    assert x1 - x0 == y1 - y0 < 1.0  # zoomed on the step taken, not on the raw gradient step's 11.6
    for note in fig.layout.annotations:  # every arrow drawn ends inside the view
        assert x0 < note.x < x1 and y0 < note.y < y1
    names = [t.name for t in fig.data]
    assert any(n.startswith("−γ·g (gradient step), clipped: 11.") for n in names)
    assert not any("clipped" in n for n in names if n.startswith("update"))
    image = fig.layout.images[0]  # the picture is drawn for the zoomed box itself
    assert (image.x, image.y, image.sizex) == (x0, y1, x1 - x0)
    _, sgd = _run(lr=0.1)  # plain SGD: the update is the gradient step, nothing is clipped
    assert not any("clipped" in (t.name or "") for t in inspector_figure(s, sgd, 1, "SGD").data)


def test_a_path_that_comes_back_is_labelled_with_both_view_events():
    # x² + y², lr 1.2 (× -1.4 a step) for 3 steps, then 0.6 (× -0.2): 1.5, -2.1 (out), 2.94, -4.12, 0.82 (back)
    s = engine.surface("bowl")
    run = run_of(make_config("bowl", "sgd", (1.5, 0.0), 60, schedule="multistep",
                             schedule_params={"milestones": (3,), "gamma": 0.5}, lr=1.2))
    fig = map_figure(s, [run], ["sgd"], surface_picture(s, size=20))
    texts = [t.text[0] for t in fig.data if getattr(t, "text", None)]
    assert "left the view at step 1, back at step 4" in texts and run.status[0] == "converged"


def test_words_and_formulas():
    assert latex_number(1e-08) == "10^{-8}" and latex_number(2.5e-05) == r"2.5\times10^{-5}"
    assert latex_number(0.05) == "0.05"
    opt = OptimizerConfig.default("adam", lr=0.01)
    assert rule_numbers(opt) == (r"\begin{gathered}\gamma = 0.01,\quad \beta_1 = 0.9,\quad \beta_2 = 0.999 \\ "
                                 r"\epsilon = 10^{-8}\end{gathered}")
    assert rule_numbers(OptimizerConfig.default("sgd", lr=0.1)) == r"\gamma = 0.1"
    _, run = _run(lr=3.0)
    assert outcome_lines(["SGD"], [run]) == [f"SGD: {run.outcome(0)}"] and "diverged" in run.outcome(0)
    assert escape_markdown("<b>*x*</b> $1$") == r"\<b\>\*x\*\<\/b\> \$1\$".replace(r"\/", "/")
    json.dumps(escape_markdown("[a](javascript:x)"))


def _pixels(uri: str, size: int) -> np.ndarray:
    """The (size, size, 3) pixels of a picture made by ``png_data_uri`` (row 0 = top = largest y)."""
    data = base64.b64decode(uri.split(",", 1)[1])
    idat = data.index(b"IDAT")
    raw = zlib.decompress(data[idat + 4: idat + 4 + int.from_bytes(data[idat - 4: idat], "big")])
    return np.frombuffer(raw, np.uint8).reshape(size, 1 + 3 * size)[:, 1:].reshape(size, size, 3)


def test_a_grid_with_undefined_cells_gives_a_map_with_blank_cells():
    s = engine.surface_from_expression("log(x) + y**2")  # not defined for x <= 0: the left half of the view
    run = run_of(make_config("custom", "sgd", (-2.1, 2.1), 20, expression="log(x) + y**2", lr=0.08))
    pixels = _pixels(surface_picture(s, size=30), 30)
    left, right = pixels[:, :14].reshape(-1, 3), pixels[:, 16:].reshape(-1, 3)
    assert {tuple(p) for p in left} == {(255, 255, 255), UNDEFINED_LINE}  # hatched, in no band colour
    assert not any(tuple(p) in {(255, 255, 255), UNDEFINED_LINE} for p in right)
    assert UNDEFINED_LINE not in {tuple(c) for c in COLORS.astype(int)}
    fig = map_spec(s, [run], ["sgd"], surface_picture(s, size=30))  # the path is the start alone: no IndexError
    pick = fig["data"][0]
    assert pick["hovertext"][0] == "f not defined" and pick["hovertext"][-1].startswith("f=")
    assert UNDEFINED in [t["name"] for t in fig["data"]]
    go.Figure(fig)  # valid Plotly
    z = surface3d_figure(s, [run], ["sgd"], size=10).data[0].z
    assert np.isnan(np.asarray(z, dtype=float)[:, :4]).all() and np.isfinite(np.asarray(z, dtype=float)[:, 6:]).all()


def test_a_start_outside_the_view_widens_the_map_instead_of_leaving_it_at_step_0():
    view = ((-2.0, 2.0), (-2.0, 2.0))
    assert view_around(view, (1.0, -1.0)) == view
    assert view_around(view, (8.0, -1.0)) == ((-2.0, 8.4), (-5.2, 5.2))  # x to 8 + 0.4; y as much, about 0
    # y to -1 - 0.2 (3.2 high, 1.6 times 2), so x 1.6 times 4 wide about 2: the 2-to-1 shape is kept
    np.testing.assert_allclose(view_around(((0.0, 4.0), (0.0, 2.0)), (2.0, -1.0)), [(-1.2, 5.2), (-1.2, 2.0)])
    s, run = _run(lr=0.1, start=(8.0, -1.0))
    fig = map_figure(s, [run], ["sgd"], surface_picture(s, size=20), start=(8.0, -1.0))
    assert list(fig.layout.xaxis.range) == [-2.0, 8.4]
    image = fig.layout.images[0]
    assert (image.x, image.sizex) == (-2.0, 10.4)  # the picture is drawn for the widened view
    assert not any(getattr(t, "text", None) for t in fig.data)  # no "left the view at step 0"


def log_axes(fig) -> list[dict]:
    """The layout's log axes, as plotly.js gets them (every builder must have at least one)."""
    layout = fig.to_plotly_json()["layout"] if isinstance(fig, go.Figure) else fig["layout"]
    axes = [a for name, a in layout.items() if name[1:5] == "axis" and isinstance(a, dict) and a.get("type") == "log"]
    assert axes
    return axes


def assert_readable_log_axes(fig) -> None:
    """Decades only (plotly.js's minor labels "2" and "5" are drawn at 3/4 size, so 0.5 reads as "5"), in a
    font of at least 12 px."""
    for axis in log_axes(fig):
        assert axis["minorloglabels"] == "none" and axis["tickfont"]["size"] >= 12, axis


def test_log_axes_label_decades_in_a_legible_font():
    s, run = _run(steps=60)
    decaying = run_of(make_config("bowl", "sgd", (1.5, -1.0), 60, schedule="exponential",
                                  schedule_params={"gamma": 0.95}, lr=0.5))  # lr 0.5 → 0.02
    for fig in (stability_figure(0.5, 1.0, [0.5], ["SGD"]), lr_figure([decaying], ["SGD"]),
                loss_figure(s, [run], ["SGD"]), progress_figure(s, [decaying], ["SGD"])):
        assert_readable_log_axes(fig)
    assert len(log_axes(progress_figure(s, [decaying], ["SGD"]))) == 2  # loss and lr
