"""engine.simulate: shapes, labels, freezing after divergence, oscillation, noise, schedules, records."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import engine
from engine.simulate import DIVERGENCE_FACTOR


@pytest.fixture(scope="module")
def bowl():
    return engine.surface("bowl")


def test_shapes_and_types(bowl):
    starts = np.array([[1.5, -1.0], [0.5, 0.5], [-1.0, 2.0]])
    run = engine.simulate(bowl, engine.optimizer("adam", lr=0.05), starts, steps=37)
    assert run.points.shape == (38, 3, 2) and run.losses.shape == (38, 3) and run.lrs.shape == (37, 3)
    assert run.status.shape == run.stopped_at.shape == run.oscillation.shape == (3,)
    assert run.points.dtype == np.float64 and run.stopped_at.dtype.kind == "i"
    np.testing.assert_array_equal(run.points[0], starts)
    np.testing.assert_allclose(run.losses, bowl.value(run.points))
    assert run.records is None and run.steps == 37


def test_gd_step_is_the_textbook_update(bowl):
    # f = x² + y², ∇f = 2p: one step of lr 0.1 multiplies p by 0.8.
    run = engine.simulate(bowl, engine.optimizer("sgd", lr=0.1), np.array([[1.5, -1.0]]), steps=3)
    np.testing.assert_allclose(run.points[:, 0], [[1.5, -1.0], [1.2, -0.8], [0.96, -0.64], [0.768, -0.512]])


def test_converged_diverged_running_labels_and_words(bowl):
    start = np.array([[1.5, -1.0]])
    fast = engine.simulate(bowl, engine.optimizer("sgd", lr=0.1), start, steps=500)
    # |p_t| = 0.8^t |p0|; resting once |∇f| = 2|p_t| <= 1e-6 and the next step 0.4|p_t| is tiny.
    expected = int(np.ceil(np.log(5e-7 / np.hypot(1.5, 1.0)) / np.log(0.8)))
    assert fast.status[0] == "converged" and fast.stopped_at[0] == expected
    assert fast.outcome(0) == f"converged in {expected} steps"
    slow = engine.simulate(bowl, engine.optimizer("sgd", lr=1e-4), start, steps=500)
    assert slow.status[0] == "running" and slow.stopped_at[0] == -1
    assert slow.outcome(0) == "still moving after 500 steps"
    blow = engine.simulate(bowl, engine.optimizer("sgd", lr=3.0), start, steps=500)
    # each step multiplies p by (1 - 2·3) = -5; it leaves the far box (10× the view) and never comes back
    (x0, x1), _ = bowl.bounds
    t = int(np.ceil(np.log(DIVERGENCE_FACTOR * (x1 - x0) / 2 / 1.5) / np.log(5)))
    assert blow.status[0] == "diverged" and blow.stopped_at[0] == t
    assert blow.outcome(0) == f"diverged at step {t}"


def test_diverged_trajectory_repeats_its_last_finite_point(bowl):
    starts = np.array([[1.5, -1.0], [1.5, -1.0]])
    run = engine.simulate(bowl, engine.optimizer("sgd", lr=np.array([3.0, 0.01])), starts, steps=50)
    t = run.stopped_at[0]
    assert run.status.tolist() == ["diverged", "running"]
    assert np.isfinite(run.points).all() and np.isfinite(run.losses).all()
    np.testing.assert_array_equal(run.points[t:, 0], np.broadcast_to(run.points[t - 1, 0], (51 - t, 2)))
    np.testing.assert_array_equal(run.losses[t:, 0], run.losses[t - 1, 0])
    assert run.last_step(0) == t - 1 and run.last_step(1) == 50
    # the other trajectory is untouched by its neighbour's divergence
    solo = engine.simulate(bowl, engine.optimizer("sgd", lr=0.01), starts[:1], steps=50)
    np.testing.assert_array_equal(run.points[:, 1], solo.points[:, 0])


def test_non_finite_values_count_as_divergence():
    log_surface = engine.surface_from_expression("log(x) + y**2", bounds=((0.1, 3), (-1, 1)))
    run = engine.simulate(log_surface, engine.optimizer("sgd", lr=1.0), np.array([[0.5, 0.5]]), steps=20)
    assert run.status[0] == "diverged"
    assert np.isfinite(run.points).all()


@pytest.mark.parametrize(("text", "start"), [("log(x)", (-2.1, 2.1)), ("sqrt(x)", (-1.0, 0.0)), ("1/x", (0.0, 0.0))])
def test_a_start_where_f_is_undefined_diverges_at_step_0_and_stays_at_the_start(text, start):
    surface = engine.surface_from_expression(text)
    run = engine.simulate(surface, engine.optimizer("sgd", lr=0.08), np.array([start]), steps=20, record=True)
    assert run.status[0] == "diverged" and run.stopped_at[0] == 0 and run.last_step(0) == 0
    np.testing.assert_array_equal(run.points[:, 0], np.broadcast_to(start, (21, 2)))  # not the NaN of step 20
    assert not np.isfinite(run.losses[0, 0])


def test_converged_trajectory_stays_put(bowl):
    run = engine.simulate(bowl, engine.optimizer("sgd", lr=0.5), np.array([[1.0, 2.0]]), steps=10)
    # lr = 1/L: the minimum in one step, and the step that leaves it is zero
    assert run.status[0] == "converged" and run.stopped_at[0] == 1
    assert (run.points[1:, 0] == 0).all() and run.outcome(0) == "converged in 1 step"


def test_start_at_minimum_has_converged_in_zero_steps(bowl):
    run = engine.simulate(bowl, engine.optimizer("adam"), np.zeros((1, 2)), steps=5)
    assert run.status[0] == "converged" and run.stopped_at[0] == 0


def test_oscillation_share_counts_reversals_before_the_stop():
    q = engine.surface("quadratic", l1=10.0, l2=1.0, angle=0.0)
    start = np.array([[1.0, 0.0]])
    zigzag = engine.simulate(q, engine.optimizer("sgd", lr=0.15), start, steps=100)  # factor 1 - 1.5 = -0.5
    straight = engine.simulate(q, engine.optimizer("sgd", lr=0.05), start, steps=100)  # factor 0.5
    assert zigzag.oscillation[0] == 1.0 and straight.oscillation[0] == 0.0
    assert zigzag.status[0] == straight.status[0] == "converged"
    # a diagonal start: x zig-zags (factor -0.5) while y creeps (factor 0.85): reversals while x dominates
    mixed = engine.simulate(q, engine.optimizer("sgd", lr=0.15), np.array([[1.0, 1.0]]), steps=40)
    assert 0.0 < mixed.oscillation[0] < 1.0


def test_noise_is_seeded_and_changes_the_path(bowl):
    opt, start = engine.optimizer("sgd", lr=0.1), np.array([[1.5, -1.0]])
    a = engine.simulate(bowl, opt, start, steps=100, noise=0.5, seed=3)
    b = engine.simulate(bowl, opt, start, steps=100, noise=0.5, seed=3)
    c = engine.simulate(bowl, opt, start, steps=100, noise=0.5, seed=4)
    np.testing.assert_array_equal(a.points, b.points)
    assert not np.array_equal(a.points, c.points)
    assert a.status[0] == "running"  # the noise ball: it never settles at a fixed lr


@pytest.mark.parametrize(("name", "surface", "batch"), [("sgd", "rosenbrock", 0), ("adam", "rosenbrock", 0),
                                                       ("sgd", "regression", 3), ("adam", "regression", 3)])
def test_common_noise_makes_each_trajectory_its_own_run(name, surface, batch):
    """With common_noise, trajectory k of a batch over lrs is bit for bit the single run at lrs[k] with the same
    seed (noise, and mini-batches where the loss has examples), wherever it goes: converging or diverging."""
    surf = engine.SURFACES[surface]()
    lrs = np.geomspace(1e-4, 2.0, 9)
    start = np.array([surf.start])
    batched = engine.simulate(surf, engine.optimizer(name, lr=lrs), np.repeat(start, lrs.size, axis=0), steps=150,
                              noise=0.3, seed=11, batch=batch, common_noise=True)
    for k, lr in enumerate(lrs):
        alone = engine.simulate(surf, engine.optimizer(name, lr=lr), start, steps=150, noise=0.3, seed=11,
                                batch=batch)
        assert np.array_equal(batched.points[:, k], alone.points[:, 0], equal_nan=True), lr
        assert batched.outcome(k) == alone.outcome(0)
    assert len({batched.outcome(k) for k in range(lrs.size)}) > 1  # the lrs do different things
    own = engine.simulate(surf, engine.optimizer(name, lr=lrs), np.repeat(start, lrs.size, axis=0), steps=150,
                          noise=0.3, seed=11, batch=batch)
    assert not np.array_equal(own.points[:, 1:], batched.points[:, 1:], equal_nan=True)  # the default: own draws
    single = engine.simulate(surf, engine.optimizer(name, lr=0.01), start, steps=150, noise=0.3, seed=11,
                             batch=batch, common_noise=True)
    alone = engine.simulate(surf, engine.optimizer(name, lr=0.01), start, steps=150, noise=0.3, seed=11, batch=batch)
    assert np.array_equal(single.points, alone.points, equal_nan=True)  # one trajectory: the same either way


def test_schedule_lrs_are_recorded_per_step(bowl):
    sched = engine.schedule("step", step_size=10, gamma=0.5)
    run = engine.simulate(bowl, engine.optimizer("sgd", lr=0.01), np.array([[1.0, 1.0]] * 2), steps=30,
                          schedule=sched)
    np.testing.assert_allclose(run.lrs[:, 0], 0.01 * 0.5 ** (np.arange(30) // 10))
    np.testing.assert_array_equal(run.lrs[:, 0], run.lrs[:, 1])


def test_plateau_schedule_sees_each_new_loss(bowl):
    # lr = 1 on x² + y² maps p to -p: the loss never improves, so the plateau rule must cut the lr.
    sched = engine.schedule("plateau", patience=2, factor=0.5)
    run = engine.simulate(bowl, engine.optimizer("sgd", lr=1.0), np.array([[0.3, 0.3]]), steps=8,
                          schedule=sched)
    # observe 1 sets best; observes 2, 3, 4 are bad; 3 > patience 2 halves the lr for step 5
    np.testing.assert_allclose(run.lrs[:, 0], [1.0, 1.0, 1.0, 1.0, 0.5, 0.5, 0.5, 0.5])
    # with lr 0.5 = 1/L the bowl's minimum is reached in one step
    assert run.status[0] == "converged" and run.stopped_at[0] == 5


def test_records_describe_each_step():
    q = engine.surface("quadratic", l1=4.0, l2=1.0, angle=0.0)
    run = engine.simulate(q, engine.optimizer("momentum", lr=0.1), np.array([[1.0, 1.0]]), steps=5, record=True)
    rec = run.records
    for name in ("grad", "update", "effective_lr", "momentum_buffer"):
        assert rec[name].shape == (5, 1, 2)
    np.testing.assert_allclose(rec["grad"][0, 0], [4.0, 1.0])
    np.testing.assert_allclose(rec["update"][:, 0], np.diff(run.points[:, 0], axis=0))
    np.testing.assert_allclose(rec["update"][:, 0], -0.1 * rec["momentum_buffer"][:, 0])
    np.testing.assert_allclose(rec["effective_lr"], 0.1)


@settings(max_examples=25, deadline=None)
@given(lr=st.floats(1e-3, 3.0), x=st.floats(-2, 2), y=st.floats(-2, 2))
def test_labels_are_consistent(lr, x, y):
    q = engine.surface("quadratic", l1=2.0, l2=1.0, angle=20.0)
    run = engine.simulate(q, engine.optimizer("sgd", lr=lr), np.array([[x, y]]), steps=60)
    status, stop = run.status[0], run.stopped_at[0]
    assert status in ("converged", "diverged", "oscillating", "stalled", "running")
    assert (stop == -1) == (status not in ("converged", "diverged"))
    assert 0.0 <= run.oscillation[0] <= 1.0
    assert np.isfinite(run.points).all()
    top = np.array([np.cos(np.radians(20.0)), np.sin(np.radians(20.0))])  # eigenvector of λ = 2
    if lr * 2.0 > 2.2 and abs(top @ [x, y]) > 0.1:  # grows by >= 1.2 per step: out of the box in 60
        assert status == "diverged"
    if lr * 2.0 < 2.0 - 1e-9:
        assert status != "diverged"


@pytest.mark.parametrize("bad, match", [
    (dict(starts=np.zeros((2, 3))), "shape"), (dict(starts=np.array([[np.nan, 0.0]])), "finite"),
    (dict(steps=0), "steps"), (dict(steps=2.5), "steps"), (dict(noise=-1.0), "noise"),
])
def test_bad_arguments_are_clear_errors(bowl, bad, match):
    kwargs = dict(starts=np.zeros((1, 2)), steps=5) | bad
    with pytest.raises(ValueError, match=match):
        engine.simulate(bowl, engine.optimizer("sgd", lr=0.1), **kwargs)


def test_plateau_with_warm_up_starts_at_the_warm_up_factor(bowl):
    sched = engine.schedule("plateau", warmup_steps=4, warmup_start_factor=0.1)
    run = engine.simulate(bowl, engine.optimizer("sgd", lr=0.1), np.array([[1.0, 1.0]]), steps=5, schedule=sched)
    # torch's LinearLR(0.1, 1.0, total_iters=4) in front: 0.1·(0.1 + 0.9·t/4) for t < 4, then the rule's 0.1
    np.testing.assert_allclose(run.lrs[:, 0], [0.01, 0.0325, 0.055, 0.0775, 0.1])


@pytest.mark.parametrize("name, hyper", [("adam", {"lr": 0.01}), ("rmsprop", {"centered": True, "momentum": 0.5}),
                                         ("sgd", {"momentum": 0.9, "nesterov": True})])
def test_two_thread_rows_match_one_thread_exactly(monkeypatch, name, hyper):
    import importlib

    sim = importlib.import_module("engine.simulate")
    n = sim.THREADS_FROM
    rng = np.random.default_rng(1)
    starts = np.column_stack([rng.uniform(-2, 2, n), rng.uniform(-1, 3, n)])
    lr = np.geomspace(1e-4, 1e-2, n)  # per-trajectory values must broadcast on each row
    rosen = engine.surface("rosenbrock")
    threaded = engine.simulate(rosen, engine.optimizer(name, **{**hyper, "lr": lr}), starts, steps=30)
    monkeypatch.setattr(sim, "THREADS_FROM", n + 1)
    single = engine.simulate(rosen, engine.optimizer(name, **{**hyper, "lr": lr}), starts, steps=30)
    np.testing.assert_array_equal(threaded.points, single.points)
