"""engine.simulate's fast path against plain references: the labels it computes on the fly (and the prefilter
that spares reading the history back) against the rules applied point by point in Python; two column blocks
on two threads against one block; the optimizers' ``out=`` against stepping in place; ``grad_into`` against
``grad_xy``; the lr table of a shared lr against torch-style ``lr_table`` rows."""

import importlib
import math

import numpy as np
import pytest

import engine
from engine.optimizers import OPTIMIZERS, optimizer
from engine.schedules import lr_table
from engine.surface_type import Surface
from engine.surfaces import SURFACES, surface
from engine.trajectory_labels import DIVERGENCE_FACTOR, GRAD_TOL, STEP_TOL, diverged_at

sim = importlib.import_module("engine.simulate")
labels = importlib.import_module("engine.trajectory_labels")


def raw_path(s, opt, starts, steps):
    """The unfrozen points (steps+1, n, 2), stepping the optimizer by its own API (no simulator)."""
    p = starts.T.copy()
    state, lr = opt.init(p), np.asarray(opt.hyper["lr"], dtype=float)
    points = [p.T.copy()]
    for t in range(1, steps + 1):
        opt.step(p, np.stack(s.grad_xy(p[0], p[1])), state, lr, t)
        points.append(p.T.copy())
    return np.array(points)


def reference_labels(s, path):
    """(status, stopped_at, oscillation) of each trajectory by the rules in engine.trajectory_labels, one point
    at a time with Python floats (the same squared-norm tests, in the same order of operations); "running"
    stands for every label decided at the end of the run (engine.outcomes)."""
    (x0, x1), (y0, y1) = s.bounds
    centre = ((x0 + x1) / 2, (y0 + y1) / 2)
    half = (DIVERGENCE_FACTOR * (x1 - x0) / 2, DIVERGENCE_FACTOR * (y1 - y0) / 2)
    steps = path.shape[0] - 1

    def bad(p):
        return not all(math.isfinite(v) and abs(v - c) <= h for v, c, h in zip(p, centre, half, strict=True))

    def rests(p, q):
        gx, gy = (float(v) for v in s.grad_xy(np.array(p[0]), np.array(p[1])))
        ux, uy = q[0] - p[0], q[1] - p[1]
        return gx * gx + gy * gy <= GRAD_TOL**2 and ux * ux + uy * uy <= (STEP_TOL * s.view_diagonal) ** 2

    out = []
    for j in range(path.shape[1]):
        pts = [tuple(map(float, path[t, j])) for t in range(steps + 1)]
        # diverged: the first step of the final excursion outside the far box (none if it ends inside)
        first_bad = next((t for t in range(steps + 1) if all(bad(p) for p in pts[t:])), steps + 1)
        first_conv = next((t for t in range(steps) if rests(pts[t], pts[t + 1])), steps + 1)
        status = "diverged" if first_bad < first_conv else "converged" if first_conv < first_bad else "running"
        stopped_at = {"diverged": first_bad, "converged": first_conv}.get(status, -1)
        last = {"diverged": first_bad - 1, "converged": first_conv}.get(status, steps)
        u = [(pts[k][0] - pts[k - 1][0], pts[k][1] - pts[k - 1][1]) for k in range(1, last + 1)]
        turns = sum(a[0] * b[0] + a[1] * b[1] < 0 for a, b in zip(u, u[1:], strict=False))
        out.append((status, stopped_at, turns / (last - 1) if last > 1 else 0.0))
    return out


def _three_labels(run) -> list[str]:
    """The run's statuses with the labels decided at the end of the run (oscillating, stalled) as "running"."""
    return [s if s in ("converged", "diverged") else "running" for s in run.status.tolist()]


CASES = [  # surface, optimizer, hyper, how far the starts spread: between them every label, often several
    ("bowl", "sgd", {"lr": np.linspace(0.02, 1.3, 120)}, 1.0),
    ("quadratic", "momentum", {"lr": np.geomspace(1e-3, 0.5, 120)}, 1.0),
    ("himmelblau", "adam", {"lr": 0.3}, 1.0),
    ("saddle", "nesterov", {"lr": np.geomspace(1e-4, 0.1, 120)}, 1.0),
    ("rosenbrock", "rmsprop", {"lr": np.geomspace(1e-4, 2.0, 120), "centered": True}, 0.5),
]


LAYOUTS = {  # threads from, scan rows: two blocks of 60 scanned step by step; one block, in one pass or by 3 steps
    "two-blocks": (10, 1), "one-block": (10**9, None), "one-block-by-3": (10**9, 3),
}


@pytest.mark.parametrize("layout", LAYOUTS)
@pytest.mark.parametrize(("slug", "name", "hyper", "spread"), CASES, ids=[c[0] for c in CASES])
def test_labels_follow_the_rules_point_by_point(monkeypatch, layout, slug, name, hyper, spread):
    threads_from, rows = LAYOUTS[layout]
    monkeypatch.setattr(sim, "THREADS_FROM", threads_from)
    if rows is not None:
        monkeypatch.setattr(labels, "SCAN_ELEMENTS", rows * (60 if threads_from == 10 else 120))
    s, steps = surface(slug), 60
    rng = np.random.default_rng(7)
    starts = s.start + spread * rng.standard_normal((120, 2))
    starts[:3] = s.minima[0] if len(s.minima) else 0.0  # a few start at rest (the saddle's critical point)
    with np.errstate(all="ignore"):
        path = raw_path(s, optimizer(name, **hyper), starts, steps)
        expected = reference_labels(s, path)
    run = engine.simulate(s, optimizer(name, **hyper), starts, steps=steps)
    assert _three_labels(run) == [e[0] for e in expected]
    assert run.stopped_at.tolist() == [e[1] for e in expected]
    np.testing.assert_array_equal(run.oscillation, [e[2] for e in expected])
    for j in range(len(starts)):
        last = run.last_step(j)
        np.testing.assert_array_equal(run.points[: last + 1, j], path[: last + 1, j])
        np.testing.assert_array_equal(run.points[last:, j], np.broadcast_to(path[last, j], (steps + 1 - last, 2)))
    assert len(set(run.status.tolist())) >= 2


@pytest.mark.parametrize("rows", [1, 2, 3, 7])
def test_scan_blocks_meet_at_any_step(monkeypatch, rows):
    # GD on x² + y² scales p by 1 - 2γ each step: γ < 0.5 creeps in and rests at a step that grows with γ's
    # distance from 0.5 (one trajectory per step, blocks ending before, at and after it), 0.5 < γ < 1 flips
    # sides every step (each pair of updates a reversal, across block ends too), γ > 1 blows up
    s, steps = surface("bowl"), 40
    lr = np.concatenate([np.linspace(0.05, 0.45, 150), np.linspace(0.55, 0.95, 40), np.linspace(1.05, 1.5, 20)])
    starts = np.tile([[1.5, -1.0]], (lr.size, 1))
    monkeypatch.setattr(labels, "SCAN_ELEMENTS", rows * lr.size)
    with np.errstate(all="ignore"):
        expected = reference_labels(s, raw_path(s, optimizer("sgd", lr=lr), starts, steps))
    run = engine.simulate(s, optimizer("sgd", lr=lr), starts, steps=steps)
    assert _three_labels(run) == [e[0] for e in expected]
    assert run.stopped_at.tolist() == [e[1] for e in expected]
    np.testing.assert_array_equal(run.oscillation, [e[2] for e in expected])
    rested = run.stopped_at[run.status == "converged"]
    assert {r % rows for r in rested} == set(range(rows)) and len(set(run.status.tolist())) == 3


def test_diverged_at_is_the_final_excursion_out_of_the_far_box():
    s = surface("bowl")  # view (-2, 2)², far box (-20, 20)²; points 0..3 of five trajectories:
    paths = [
        [(0.0, 0.0), (0.1, 0.0), (0.2, 0.0), (0.3, 0.0)],  # stays near its start
        [(0.0, 1.0), (25.0, 1.0), (0.5, 1.0), (0.0, 1.0)],  # out at step 1 and back: not diverged
        [(1.0, 1.0), (np.nan, 1.0), (np.nan, 1.0), (np.nan, 1.0)],  # NaN from step 1 (NaN stays NaN)
        [(1.0, 1.0), (1.0, 30.0), (1.0, 1.0), (1.0, 30.0)],  # out, back, out at step 3 for good
        [(30.0, 0.0), (-60.0, 0.0), (120.0, 0.0), (np.inf, 0.0)],  # never inside: diverged at step 0
    ]
    hist = np.array(paths).transpose(1, 2, 0)  # (steps+1, 2, n)
    np.testing.assert_array_equal(diverged_at(s, hist), [4, 4, 1, 3, 0])


def test_updates_of_zero_are_not_reversals():
    # without the convergence rule a point at the minimum keeps "moving" by zero: u_t·u_{t+1} = 0 is no turn
    run = engine.simulate(surface("bowl"), optimizer("sgd", lr=0.1), np.zeros((1, 2)), steps=10,
                          stop_at_convergence=False)
    assert run.status[0] == "running" and run.oscillation[0] == 0.0


def test_a_start_outside_the_far_box_that_stays_out_has_diverged_at_step_zero():
    s = surface("bowl")
    starts = np.array([[0.0, 0.0], [25.0, 0.0], [25.0, 0.0]])
    run = engine.simulate(s, optimizer("sgd", lr=np.array([1e-3, 1e-3, 0.4])), starts, steps=5)
    # lr 1e-3 creeps from 25 by × 0.998 a step: still outside after 5 steps; lr 0.4 (× 0.2): 25, 5, 1 (back)
    assert run.status.tolist()[:2] == ["converged", "diverged"] and run.stopped_at.tolist()[:2] == [0, 0]
    assert run.status[2] != "diverged" and run.left_view[2] == 0 and run.back_in_view[2] == 2


@pytest.mark.parametrize(("name", "hyper"), [
    ("adam", {}), ("adamw", {}), ("adagrad", {"lr_decay": 0.1}), ("rmsprop", {"momentum": 0.5, "centered": True}),
    ("nesterov", {"weight_decay": 0.1}),
])
def test_two_blocks_equal_one_block_exactly(monkeypatch, name, hyper):
    n = sim.THREADS_FROM
    rng = np.random.default_rng(3)
    starts = rng.uniform(-2, 2, (n, 2))
    starts[:100] = 0.0  # at rest from the start
    opt = optimizer(name, lr=np.geomspace(1e-4, 5.0, n), **hyper)  # from crawling to blowing up
    sched = engine.schedule("cosine", T_max=40)
    threaded = engine.simulate(surface("bowl"), opt, starts, steps=40, schedule=sched)
    monkeypatch.setattr(sim, "THREADS_FROM", n + 1)
    single = engine.simulate(surface("bowl"), opt, starts, steps=40, schedule=sched)
    for field in ("points", "lrs", "status", "stopped_at", "oscillation"):
        np.testing.assert_array_equal(getattr(threaded, field), getattr(single, field), err_msg=field)
    assert len(set(threaded.status.tolist())) > 1


def test_a_surface_with_one_parameter_per_trajectory_is_not_cut_into_blocks(monkeypatch):
    # like the sweeps' family of bowls: f = λ(x² + y²)/2 with λ (n,); its gradient cannot take half the batch
    monkeypatch.setattr(sim, "THREADS_FROM", 4)
    lams = np.geomspace(0.1, 10, 6)
    family = Surface(slug="family", name="family", description="", f=lambda x, y: 0.5 * lams * (x * x + y * y),
                     df=lambda x, y: (lams * x, lams * y), d2f=lambda x, y: (lams, 0.0, lams),
                     minima=np.zeros((1, 2)), bounds=((-2, 2), (-2, 2)), start=np.ones(2))
    run = engine.simulate(family, optimizer("sgd", lr=0.1), np.ones((6, 2)), steps=30)
    np.testing.assert_allclose(run.points[1, :, 0], 1 - 0.1 * lams)  # one step of GD: p <- (1 - γλ) p
    # γλ = 1 lands on the minimum at step 1 and rests there (its gradient checked with its own λ); the others
    # shrink by 1 - γλ = 0.99 to 0.6 per step: still moving after 30 steps
    assert run.status.tolist() == ["running"] * 5 + ["converged"] and run.stopped_at[-1] == 1


def test_column_blocks_ok_only_without_per_trajectory_hyper_parameters():
    assert optimizer("adam", lr=np.array([0.1, 0.2])).column_blocks_ok
    assert not optimizer("adam", betas=(np.array([0.9, 0.8]), 0.999)).column_blocks_ok
    assert not optimizer("momentum", momentum=np.array([0.9, 0.5])).column_blocks_ok


@pytest.mark.parametrize("name", sorted(OPTIMIZERS))
@pytest.mark.parametrize("decay", [0.0, 0.1])
def test_step_into_out_equals_stepping_in_place(name, decay):
    rng = np.random.default_rng(2)
    start = rng.standard_normal((2, 5))
    opt = optimizer(name, weight_decay=decay)
    inplace, p = start.copy(), start.copy()
    state_a, state_b = opt.init(inplace), opt.init(p)
    lr = np.geomspace(1e-3, 0.3, 5)
    for t in range(1, 5):
        out = np.empty_like(p)
        before = p.copy()
        opt.step(inplace, 2.0 * inplace, state_a, lr, t)
        opt.step(p, 2.0 * p, state_b, lr, t, out=out)
        np.testing.assert_array_equal(p, before)  # left as it was
        np.testing.assert_array_equal(out, inplace)
        p = out


@pytest.mark.parametrize("slug", sorted(SURFACES))
def test_grad_into_equals_grad_xy(slug):
    s = surface(slug)
    (x0, x1), (y0, y1) = s.bounds
    rng = np.random.default_rng(4)
    x, y = rng.uniform(x0, x1, 50), rng.uniform(y0, y1, 50)
    out = np.empty((2, 50))
    s.grad_into(x, y, out)
    gx, gy = s.grad_xy(x, y)
    np.testing.assert_array_equal(out, np.stack([gx, gy]))


def test_rosenbrock_grad_into_by_hand():
    # at (0, 0): ∇f = (-2, 0);  at (1, 2): fx = 2(0 + 200·1·(1 - 2)) = -400, fy = -200(1 - 2) = 200
    out = np.empty((2, 2))
    surface("rosenbrock").grad_into(np.array([0.0, 1.0]), np.array([0.0, 2.0]), out)
    np.testing.assert_array_equal(out, [[-2.0, -400.0], [0.0, 200.0]])


@pytest.mark.parametrize(("name", "hyper"), [
    ("sgd", {}), ("momentum", {"dampening": 0.2}), ("adagrad", {"lr_decay": 0.1}),
    ("rmsprop", {"centered": True, "momentum": 0.5}), ("adam", {"amsgrad": True}),
    ("adamw", {"betas": ([0.8, 0.9, 0.95], 0.99)}),
])
def test_records_are_what_stepping_by_hand_gives(name, hyper):
    # the records' effective lrs and updates are computed for all steps at once after the run: the same numbers
    # as stepping the optimizer by hand with the recorded gradients (noise included) and the run's lrs
    s, steps = surface("rosenbrock"), 30
    starts = np.array([[-1.2, 1.0], [0.5, 0.5], [1.5, 2.0]])
    opt = optimizer(name, lr=np.array([0.01, 0.02, 0.005]), **hyper)
    sched = engine.schedule("step", step_size=7, gamma=0.5, warmup_steps=4)  # an lr per step and trajectory
    run = engine.simulate(s, opt, starts, steps=steps, schedule=sched, noise=0.1, record=True)
    rec = {key: values.transpose(0, 2, 1) for key, values in run.records.items()}  # (steps, 2, n), as the state
    p = starts.T.copy()
    state = opt.init(p)
    for t in range(1, steps + 1):
        before = p.copy()
        with np.errstate(all="ignore"):  # some blow up: NaN equals NaN here
            opt.step(p, rec["grad"][t - 1].copy(), state, run.lrs[t - 1], t)
            effective = opt.effective_lr(state, run.lrs[t - 1], t)
        for key in opt.state_names:
            np.testing.assert_array_equal(rec[key][t - 1], state[key], err_msg=f"{key}, step {t}")
        np.testing.assert_array_equal(rec["effective_lr"][t - 1], effective)
        np.testing.assert_array_equal(rec["update"][t - 1], p - before)


def test_noise_drawn_many_steps_at_a_time_is_the_stream_of_each_step(monkeypatch):
    monkeypatch.setattr(sim, "NOISE_ELEMENTS", 2 * 3 * 4)  # four steps of (2, 3) per draw, the last draw short
    s, noise = surface("bowl"), 0.3
    starts = np.array([[1.5, -1.0], [0.5, 0.5], [-1.0, 1.0]])
    run = engine.simulate(s, optimizer("sgd", lr=0.01), starts, steps=30, noise=noise, seed=5, record=True)
    rng = np.random.default_rng(5)
    for t in range(30):
        exact = np.stack(s.grad_xy(run.points[t, :, 0], run.points[t, :, 1]))
        np.testing.assert_array_equal(run.records["grad"][t].T, exact + noise * rng.standard_normal((2, 3)))
    assert (run.status == "running").all()  # no point frozen: points[t] is where step t + 1 started


@pytest.mark.parametrize("schedule", [None, engine.schedule("onecycle", max_lr=0.1, total_steps=30),
                                      engine.schedule("step", step_size=7, gamma=0.5, warmup_steps=3)])
@pytest.mark.parametrize("lr", [0.02, np.linspace(0.01, 0.03, 4)], ids=["shared", "per-trajectory"])
def test_lrs_are_the_schedule_table(schedule, lr):
    run = engine.simulate(surface("bowl"), optimizer("sgd", lr=lr), np.ones((4, 2)), steps=30, schedule=schedule)
    np.testing.assert_array_equal(run.lrs, lr_table(schedule, 30, np.broadcast_to(lr, (4,))))
    # the points follow those lrs: p_t = p_{t-1} - lr_{t-1} · 2 p_{t-1} on x² + y², from (1, 1)
    np.testing.assert_allclose(run.points[1:, :, 0], np.cumprod(1 - 2 * run.lrs, axis=0), rtol=1e-12)
