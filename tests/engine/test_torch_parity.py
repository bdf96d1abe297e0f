"""engine.optimizers against torch.optim for 50 steps, through the reference tests/fixtures committed (so on
every machine, torch or not): the points after each step, the state after the last and torch's param group;
and, where torch is installed, that the committed reference is what torch gives today.  The schedules'
parity with torch.optim.lr_scheduler is in test_schedules.py, against the same reference.
"""

import numpy as np
import pytest

from engine.optimizers import optimizer
from tests.fixtures import torch_cases as cases


@pytest.mark.parametrize("surface", list(cases.GRADIENTS))
@pytest.mark.parametrize(("slug", "extra"), cases.OPTIMIZER_CASES,
                         ids=[cases.optimizer_id(s, e) for s, e in cases.OPTIMIZER_CASES])
def test_matches_torch_for_50_steps(slug, extra, surface):
    arrays, meta = cases.reference()
    key = f"optimizer/{cases.optimizer_id(slug, extra)}/{surface}"
    lr = cases.optimizer_lr(slug, surface)
    opt = optimizer(slug, lr=lr, **extra)
    group = meta["optimizers"][key]["group"]  # the engine's hyper are torch's kwargs, defaults included
    assert {name: group[name] for name in opt.hyper} == {
        name: list(value) if isinstance(value, tuple) else value for name, value in opt.hyper.items()}
    grad, p = cases.GRADIENTS[surface], cases.STARTS.copy()
    state = opt.init(p)
    for t, expected in enumerate(arrays[f"{key}/points"], start=1):
        opt.step(p, grad(p), state, np.asarray(lr), t)
        # atol: a coordinate that cancels to ~0 keeps the absolute error of its O(1) terms (1 ulp = 2e-16)
        np.testing.assert_allclose(p, expected, rtol=1e-10, atol=1e-13, err_msg=f"step {t}")
    assert set(opt.state_names) == set(meta["optimizers"][key]["state_names"])
    for name in opt.state_names:
        np.testing.assert_allclose(state[name], arrays[f"{key}/state/{name}"], rtol=1e-10, atol=1e-13, err_msg=name)


def test_reference_is_current():
    """Regenerated with the installed torch, the reference equals the committed one (to the parity tolerance:
    another torch build may round differently); a case added or changed without rerunning the script fails."""
    pytest.importorskip("torch", reason="torch is not installed, so the committed reference cannot be "
                                        "regenerated here; parity itself is checked against it all the same")
    from tests.fixtures.make_torch_reference import generate

    arrays, meta = cases.split(generate())
    committed_arrays, committed_meta = cases.reference()
    print(f"reference made with torch {committed_meta['torch']}, regenerated with torch {meta['torch']}")
    rerun = "rerun: python -m tests.fixtures.make_torch_reference"
    assert arrays.keys() == committed_arrays.keys(), rerun
    assert {k: v for k, v in meta.items() if k != "torch"} == {k: v for k, v in committed_meta.items() if k != "torch"}
    for key, value in arrays.items():
        np.testing.assert_allclose(committed_arrays[key], value, rtol=1e-10, atol=1e-13, err_msg=f"{key}: {rerun}")
