"""Every code snippet run in its framework as a user runs it, against engine.simulate.

A framework's snippets are written to files and run by one subprocess per framework (``RUNNER`` runs each file
as ``python file.py`` would and saves its ``path``), so each framework is imported once.  The frameworks are
installed by ``make test``: torch from the local CPU wheel, JAX + Optax + Keras 3 (JAX backend) from
requirements-dev.txt.  A snippet must take the engine's path to 1e-4 relative over its first 50 iterates,
unless its notes give the measured size of a known gap (``MEASURED_GAPS``): then it stays within that figure,
and the figure is the measured one (not more than twice the largest gap seen).
"""

from __future__ import annotations

import functools
import subprocess
import sys
import tempfile
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from lab.codegen import snippets
from lab.codegen_snippet import MEASURED_GAPS, measured
from lab.config import OptimizerConfig, default_config
from lab.runs import Batch, batch_run, make_config, run_of
from tests.lab.codegen_cases import OPTIMIZER_CASES, SCHEDULE_CASES, config

FRAMEWORKS = ("PyTorch", "Keras", "Optax")
TOLERANCE = 1e-4  # relative: max |Δθ| / max |θ| over the path
RUNNER = """\
import runpy
import sys

import numpy as np

for file in sys.argv[1:]:
    path = runpy.run_path(file, run_name="__main__")["path"]
    np.save(file[:-3] + ".npy", np.asarray(path, dtype=np.float64))
"""


START = {"surface": "himmelblau", "x0": "0.5", "y0": "-1", "steps": "50"}
SETUPS = {  # every optimizer and every schedule, with and without warm-up, at 50 steps
    "sgd-l2": {"optimizer": "sgd", "lr": "0.01", "weight_decay": "0.1"},
    "momentum-dampening-step": {"optimizer": "momentum", "lr": "0.005", "dampening": "0.2", "schedule": "step",
                                "step_size": "7", "gamma": "0.5"},
    "nesterov-multistep": {"optimizer": "nesterov", "lr": "0.005", "momentum": "0.8", "schedule": "multistep",
                           "milestones": "5,12,30"},
    "adagrad": {"optimizer": "adagrad", "lr": "0.3"},
    "adagrad-lr_decay-polynomial": {"optimizer": "adagrad", "lr": "0.3", "lr_decay": "0.01",
                                    "initial_accumulator_value": "0.2", "schedule": "polynomial",
                                    "total_iters": "25", "power": "2"},
    "rmsprop-centered-momentum-exponential": {"optimizer": "rmsprop", "lr": "0.05", "momentum": "0.5",
                                              "centered": "true", "schedule": "exponential", "gamma": "0.95"},
    "adam-amsgrad-l2-cosine_restarts": {"optimizer": "adam", "lr": "0.1", "amsgrad": "true", "weight_decay": "0.05",
                                        "schedule": "cosine_restarts", "T_0": "6", "T_mult": "2", "eta_min": "0.001"},
    "adamw-warmup": {"optimizer": "adamw", "lr": "0.1", "betas": "0.8,0.99", "warmup_steps": "8",
                     "warmup_start_factor": "0.2"},
    "momentum-cosine-past-T_max-warmup": {"optimizer": "momentum", "lr": "0.005", "schedule": "cosine", "T_max": "20",
                                          "eta_min": "0.001", "warmup_steps": "5", "warmup_start_factor": "0.1"},
    "adam-cosine-warmup": {"optimizer": "adam", "lr": "0.1", "schedule": "cosine", "T_max": "60", "eta_min": "0.001",
                           "warmup_steps": "5", "warmup_start_factor": "0.1"},
    "momentum-cyclic": {"optimizer": "momentum", "schedule": "cyclic", "base_lr": "0.001", "max_lr": "0.01",
                        "step_size_up": "5", "step_size_down": "9", "mode": "triangular2"},
    "rmsprop-momentum-onecycle": {"optimizer": "rmsprop", "momentum": "0.3", "schedule": "onecycle", "max_lr": "0.05",
                                  "total_steps": "40", "pct_start": "0.25", "three_phase": "true"},
    "nesterov-linear-warmup": {"optimizer": "nesterov", "lr": "0.005", "schedule": "linear", "start_factor": "0.2",
                               "end_factor": "0.9", "total_iters": "15", "warmup_steps": "4",
                               "warmup_start_factor": "0.5"},
    "momentum-plateau": {"optimizer": "momentum", "lr": "0.005", "schedule": "plateau", "patience": "2",
                         "factor": "0.5", "threshold": "0.01"},
    "adam-plateau-abs-cooldown-warmup": {"optimizer": "adam", "lr": "0.1", "schedule": "plateau", "patience": "1",
                                         "factor": "0.5", "threshold": "0.05", "threshold_mode": "abs",
                                         "cooldown": "2", "warmup_steps": "5"},
    "typed-f-noise": {"surface": "custom", "f": "x^2 + 3*sin(y) + sqrt(2)*abs(x*y)/4", "optimizer": "rmsprop",
                      "lr": "0.02", "x0": "1.5", "y0": "2", "noise": "0.3", "seed": "4"},
    "regression-data": {"surface": "regression", "optimizer": "adamw", "lr": "0.05", "x0": "0", "y0": "0"},
}
RUN_CONFIGS = {name: config(**{**START, **query}) for name, query in SETUPS.items()}


def engine_run(cfg, to_the_end: bool = False):
    """The engine's run of ``cfg`` (``lab.runs``); ``to_the_end``: every step, convergence ignored."""
    return batch_run(Batch(cfg, to_the_end=to_the_end))


def run_snippets(codes: list[str]) -> list[np.ndarray]:
    """Each code written to a file and run by one Python subprocess, as ``python file.py``; their paths."""
    with tempfile.TemporaryDirectory() as tmp:
        files = [Path(tmp, f"snippet_{i}.py") for i in range(len(codes))]
        for file, code in zip(files, codes, strict=True):
            file.write_text(code)
        Path(tmp, "runner.py").write_text(RUNNER)
        done = subprocess.run([sys.executable, "runner.py", *map(str, files)], cwd=tmp, capture_output=True,
                              text=True, timeout=900)
        assert done.returncode == 0, f"a snippet failed (make test installs the frameworks):\n{done.stderr[-4000:]}"
        return [np.load(file.with_suffix(".npy")) for file in files]


def relative_gap(path, reference):
    return float(np.max(np.abs(path - reference)) / np.max(np.abs(reference)))


# ----------------------------------------------------------------------------------------------------------
# PyTorch: the moved exactness tests (every optimizer, every schedule with and without warm-up, noise, data,
# typed functions) and the 50-step setups, all in one subprocess


REGRESSION = replace(default_config(), surface="regression", x0=0.0, y0=0.0, steps=120,
                     surface_params=(("n_train", 12), ("noise", 0.4), ("seed", 3)),
                     optimizers=(OptimizerConfig.default("adamw", lr=0.05),))
TORCH_CASES = [
    *(config(optimizer=name, lr="0.03", steps="80", **OPTIMIZER_CASES[name]) for name in OPTIMIZER_CASES),
    *(config(optimizer="momentum", lr="0.03", steps="90", schedule=name, warmup_steps=warmup, **SCHEDULE_CASES[name])
      for name in SCHEDULE_CASES for warmup in (0, 7)),
    config(surface="rosenbrock", optimizer="adam", lr="0.02", noise="0.5", seed="3", steps="150"),
    config(surface="custom", f="x^2 + 3*sin(y) + sqrt(2)*abs(x*y)/4", optimizer="rmsprop", lr="0.01", x0="1.5",
           y0="2"),
    config(surface="himmelblau", optimizer="sgd", lr="0.01", schedule="onecycle", total_steps="30", max_lr="0.01",
           steps="60", warmup_steps="5"),
    REGRESSION,
    config(surface="regression_std", optimizer="sgd", lr="0.3", x0="0", y0="0", steps="60"),  # standardised x
]


@functools.cache
def framework_paths(framework: str) -> dict:
    """config -> the path its snippet in ``framework`` traces (torch: also every TORCH_CASES config)."""
    configs = [*RUN_CONFIGS.values(), *(TORCH_CASES if framework == "PyTorch" else [])]
    codes = [snippets(cfg)[FRAMEWORKS.index(framework)].code for cfg in configs]
    return dict(zip(configs, run_snippets(codes), strict=True))


@pytest.mark.parametrize("cfg", TORCH_CASES, ids=range(len(TORCH_CASES)))
def test_pytorch_snippet_traces_the_engine_path(cfg):
    """The engine's own run (stopping where it stops) and the torch snippet agree to 1e-9."""
    run = engine_run(cfg)
    last = run.last_step(0)
    np.testing.assert_allclose(framework_paths("PyTorch")[cfg][: last + 1], run.points[: last + 1, 0],
                               rtol=1e-9, atol=1e-9)


def test_regression_snippet_draws_the_engine_data():
    run = run_of(make_config("regression", "adamw", (0.0, 0.0), 120,
                             surface_params={"n_train": 12, "noise": 0.4, "seed": 3}, lr=0.05))
    np.testing.assert_allclose(framework_paths("PyTorch")[REGRESSION], run.points[:, 0], rtol=1e-9, atol=1e-9)


# ----------------------------------------------------------------------------------------------------------
# Every framework on the 50-step setups


def stated_gap(snippet) -> float:
    """The largest measured gap the snippet's notes give, else the 1e-4 tolerance."""
    text = " ".join(snippet.notes)
    return max((MEASURED_GAPS[gap] for gap in MEASURED_GAPS if measured(gap) in text), default=TOLERANCE)


@functools.cache
def gaps(framework: str) -> dict[str, float]:
    paths = framework_paths(framework)
    return {name: relative_gap(paths[cfg][:51], engine_run(cfg, to_the_end=True).points[:51, 0])
            for name, cfg in RUN_CONFIGS.items()}


@pytest.mark.parametrize("framework", FRAMEWORKS)
@pytest.mark.parametrize("setup", list(SETUPS))
def test_snippet_takes_the_engine_path_or_states_its_gap(framework, setup):
    snippet = snippets(RUN_CONFIGS[setup])[FRAMEWORKS.index(framework)]
    assert gaps(framework)[setup] <= stated_gap(snippet)


@pytest.mark.parametrize("gap", list(MEASURED_GAPS))
def test_each_stated_gap_is_the_measured_one(gap):
    """A note's figure holds on the setups that carry it, and is not more than twice the largest gap seen."""
    seen = [gaps(framework)[name] for framework in FRAMEWORKS for name, cfg in RUN_CONFIGS.items()
            if measured(gap) in " ".join(snippets(cfg)[FRAMEWORKS.index(framework)].notes)]
    assert seen, f"no setup exercises {gap}"
    assert MEASURED_GAPS[gap] / 2 < max(seen) <= MEASURED_GAPS[gap]
