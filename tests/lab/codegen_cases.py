"""Setups shared by the code-bridge tests (test_codegen.py, test_codegen_run.py)."""

from __future__ import annotations

from lab.config import parse_query


def config(**query):
    """The config of a link's query (values as text); the query must be valid."""
    cfg, notices = parse_query({k: str(v) for k, v in query.items()})
    assert notices == []
    return cfg


SCHEDULE_CASES = {
    "constant": {}, "step": {"step_size": "7", "gamma": "0.5"}, "multistep": {"milestones": "5,12,30"},
    "exponential": {"gamma": "0.97"}, "cosine": {"T_max": "20", "eta_min": "0.003"},
    "cosine_restarts": {"T_0": "6", "T_mult": "2", "eta_min": "0.001"},
    "cyclic": {"base_lr": "0.001", "max_lr": "0.05", "step_size_up": "5", "step_size_down": "9",
               "mode": "triangular2"},
    "onecycle": {"max_lr": "0.05", "total_steps": "40", "pct_start": "0.25", "three_phase": "true"},
    "linear": {"start_factor": "0.2", "end_factor": "0.9", "total_iters": "15"},
    "polynomial": {"total_iters": "25", "power": "2"},
    "plateau": {"patience": "2", "factor": "0.5", "threshold": "0.01"},
}
OPTIMIZER_CASES = {
    "sgd": {"weight_decay": "0.1"}, "momentum": {"dampening": "0.2"}, "nesterov": {"momentum": "0.8"},
    "adagrad": {"lr_decay": "0.01", "initial_accumulator_value": "0.2"},
    "rmsprop": {"momentum": "0.5", "centered": "true"},
    "adam": {"amsgrad": "true", "weight_decay": "0.05"}, "adamw": {"betas": "0.8,0.99"},
}
