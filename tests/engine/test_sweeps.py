"""engine.sweeps: the LR range test, stability maps and basin maps, checked against theory and by hand."""

import numpy as np
import pytest

import engine
from engine import sweeps


def test_range_test_sweeps_exponentially_and_stops_when_the_loss_explodes():
    bowl = engine.surface("bowl")
    rt = sweeps.lr_range_test(bowl, "sgd", start=[1.5, -1.0], start_lr=1e-4, end_lr=10.0, num_it=100)
    # lr_i = start·(end/start)^(i/num_it): exactly fastai's schedule
    n = len(rt.lrs)
    np.testing.assert_allclose(rt.lrs, 1e-4 * (1e5) ** (np.arange(n) / 100), rtol=1e-12)
    assert rt.stopped_early and n < 100
    # on f = x² + y² (L = 2) GD blows up past 2/L = 1: the raw loss bottoms out below it and the
    # (smoothed, fastai-style) stop comes after it, before the sweep ends
    assert 1.0 < rt.lrs[-1] < 10.0
    assert rt.lrs[int(np.argmin(rt.losses))] < 1.0
    for name in ("valley", "steep", "minimum"):
        lr = rt.suggestions[name]
        assert lr is not None and 1e-4 <= lr < 1.0, (name, lr)


def test_debiased_smoothing_is_fastais():
    values = np.array([4.0, 2.0, 1.0])
    beta = 0.98
    avg1 = 0.02 * 4.0
    avg2 = beta * avg1 + 0.02 * 2.0
    avg3 = beta * avg2 + 0.02 * 1.0
    expected = [avg1 / (1 - beta), avg2 / (1 - beta**2), avg3 / (1 - beta**3)]
    np.testing.assert_allclose(sweeps._debiased_average(values, beta), expected)


def test_suggestions_by_hand():
    lrs = np.array([1e-4, 1e-3, 1e-2, 1e-1, 1.0, 10.0, 100.0])
    losses = np.array([5.0, 4.9, 4.0, 1.0, 0.5, 3.0, 9.0])
    assert sweeps.suggest_minimum(lrs, losses) == pytest.approx(0.1)
    assert sweeps.suggest_steep(lrs, losses) == pytest.approx(1e-2)  # 4.0 -> 1.0 is the steepest fall
    # longest decreasing run: indices 0..4 (length 5); start 4-5=-1 as fastai; sections 5/3 -> idx -1+1+0 = 0
    assert sweeps.suggest_valley(lrs, losses) == pytest.approx(1e-4)
    assert sweeps.suggest_valley(lrs[:1], losses[:1]) is None


def test_stability_map_matches_heavy_ball_theory():
    lam = 4.0
    q = engine.surface("quadratic", l1=lam, l2=lam, angle=0.0)
    lrs = np.geomspace(0.05, 2.0, 25)
    momenta = np.array([0.0, 0.5, 0.9])
    smap = sweeps.stability_map(q, "sgd", lrs, momenta, start=[1.0, 0.5], steps=3000)
    assert smap.status.shape == smap.loss_ratio.shape == (3, 25)
    for i, beta in enumerate(momenta):
        for j, lr in enumerate(lrs):
            if abs(lr * lam - (2 + 2 * beta)) < 0.05:
                continue  # too close to the edge to settle in 3000 steps
            stable = engine.theory.heavy_ball_converges(lr, beta, [lam])
            assert (smap.status[i, j] != "diverged") is stable, (beta, lr)


def test_curvature_map_reads_two_over_lambda():
    lrs = np.array([0.1, 0.5, 0.9, 1.1, 3.0])
    lams = np.array([1.0, 2.0, 4.0])
    cmap = sweeps.curvature_stability_map(lrs, lams, steps=200)
    expected = lrs[None, :] * lams[:, None] > 2
    np.testing.assert_array_equal(cmap.status == "diverged", expected)
    assert cmap.y_name == "curvature"


def test_basin_map_finds_all_four_himmelblau_minima():
    him = engine.surface("himmelblau")
    bmap = sweeps.basin_map(him, "sgd", resolution=21, steps=400, lr=0.01)
    assert bmap.basin.shape == (21, 21)
    assert set(np.unique(bmap.basin)) >= {0, 1, 2, 3}
    # a start right next to a minimum ends in that minimum's basin
    j = int(np.argmin(np.abs(bmap.xs - 3.0)))
    i = int(np.argmin(np.abs(bmap.ys - 2.0)))
    k = int(np.argmin(np.linalg.norm(him.minima - [3.0, 2.0], axis=1)))
    assert bmap.basin[i, j] == k


def _boundary_cell(lrs: np.ndarray, diverged: np.ndarray) -> tuple[float, float]:
    """The grid cell (lr below, lr above) where a row of the map turns from not diverged to diverged for good."""
    first = int(np.flatnonzero(~diverged)[-1]) + 1
    assert diverged[first:].all() and not diverged[:first].any()
    return lrs[first - 1], lrs[first]


def test_gd_boundary_on_a_quadratic_lies_at_two_over_L_within_one_cell():
    q = engine.surface("quadratic")  # L = 10, μ = 1, rotated
    L = engine.theory.curvature(q, q.start).L
    lrs = np.geomspace(1e-3, 2.0, 100)
    smap = sweeps.stability_map(q, "sgd", lrs, [0.0], start=q.start, steps=300)
    below, above = _boundary_cell(lrs, smap.status[0] == "diverged")
    limit = engine.theory.stability_limit("sgd", {}, L)
    assert limit == pytest.approx(2 / L) and below < limit <= above
    # the grid can tell the right line from a wrong one 10% away
    assert not below < 1.1 * 2 / L <= above and not below < 0.9 * 2 / L <= above


def test_heavy_ball_boundary_lies_at_two_one_plus_beta_over_L_within_one_cell():
    q = engine.surface("quadratic")
    L = engine.theory.curvature(q, q.start).L
    lrs, momenta = np.geomspace(1e-3, 2.0, 100), np.array([0.0, 0.3, 0.6, 0.9])
    smap = sweeps.stability_map(q, "sgd", lrs, momenta, start=q.start, steps=300)
    for i, beta in enumerate(momenta):
        below, above = _boundary_cell(lrs, smap.status[i] == "diverged")
        limit = engine.theory.stability_limit("sgd", {"momentum": beta}, L)
        assert limit == pytest.approx(2 * (1 + beta) / L)
        assert below < limit <= above, (beta, below, limit, above)
        assert not below < 1.1 * limit <= above and not below < 0.9 * limit <= above


def test_himmelblau_starts_next_to_each_minimum_reach_that_minimum():
    him = engine.surface("himmelblau")
    bmap = sweeps.basin_map(him, "sgd", resolution=101, steps=300, lr=0.01)
    assert bmap.known.all() and len(bmap.minima) == 4
    for k, (mx, my) in enumerate(him.minima):
        j, i = int(np.argmin(np.abs(bmap.xs - mx))), int(np.argmin(np.abs(bmap.ys - my)))
        around = bmap.basin[i - 1 : i + 2, j - 1 : j + 2]  # the 3 × 3 starts around the minimum
        np.testing.assert_array_equal(around, k)
        assert (bmap.status[i - 1 : i + 2, j - 1 : j + 2] == "converged").all()


def test_basin_map_finds_rastrigins_local_minima_and_keeps_non_converged_apart():
    ras = engine.surface("rastrigin")
    bmap = sweeps.basin_map(ras, "sgd", resolution=41, steps=300, lr=0.002)
    found = bmap.minima[~bmap.known]
    assert len(found) >= 20  # the egg crate's many local minima
    # Rastrigin's local minima sit near the integer points (pulled slightly toward 0)
    assert np.abs(found - np.round(found)).max() < 0.05
    assert ((bmap.basin >= 0) == (bmap.status == "converged")).all()
    big = sweeps.basin_map(ras, "sgd", resolution=41, steps=300, lr=0.02)  # above 2/L near the minima
    assert (big.basin == -1).mean() > (bmap.basin == -1).mean()


def test_basin_map_takes_a_schedule():
    him = engine.surface("himmelblau")
    sched = engine.schedule("step", step_size=10, gamma=0.1)
    bmap = sweeps.basin_map(him, "sgd", resolution=11, steps=100, lr=0.01, schedule=sched)
    fixed = sweeps.basin_map(him, "sgd", resolution=11, steps=100, lr=0.01)
    assert (bmap.status != fixed.status).any()  # the lr decays 10x every 10 steps: most runs stop short
