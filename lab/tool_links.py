"""The LR finder's and the fair race's state in the URL, built on the Playground's codec (``lab.config``).

A tool's link is the Playground's query for what the tool uses (surface and its parameters, start ``x0``/``y0``;
the finder's optimizer and its hyper-parameters; the race's ``steps``) plus the tool's own keys:

* LR finder: ``start_lr``, ``end_lr``, ``num_it`` (fastai's ``lr_find`` arguments);
* fair race: ``lr_min``, ``lr_max``, ``per_decade`` (the log grid each optimizer's lr is swept over).

Reading never raises: a bad value keeps its default with a notice (``lab.url_schema.Reader``).  The parts of a
Playground query a tool does not use (the lr, a schedule, noise) are dropped with a notice, so
``parse_x(x_query(c)) == (c, [])``.  "Open in Playground" links are ``playground_link`` of a ``RunConfig``.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from urllib.parse import urlencode

from engine.params import Param

from .config import LR_PARAM, OptimizerConfig, RunConfig, default_config, parse_query, to_query
from .url_schema import Reader, write_value

__all__ = ["FINDER_PARAMS", "RACE_PARAMS", "FinderConfig", "RaceConfig", "finder_query", "parse_finder",
           "parse_race", "playground_link", "race_query"]

FINDER_PARAMS = (
    Param("start_lr", 1e-7, low=1e-10, high=1.0, log=True, help="lr of the test's first step"),
    Param("end_lr", 10.0, low=1e-6, high=1000.0, log=True, help="lr the test would reach at its last step"),
    Param("num_it", 100, low=10, high=1000, kind="int", help="steps of the test"),
)
RACE_PARAMS = (
    Param("lr_min", 1e-4, low=LR_PARAM.low, high=LR_PARAM.high, log=True, help="smallest lr of the sweep"),
    Param("lr_max", LR_PARAM.high, low=LR_PARAM.low, high=LR_PARAM.high, log=True, help="largest lr of the sweep"),
    Param("per_decade", 10, low=1, high=20, kind="int", help="lrs per factor of ten in the sweep"),
)
_UNUSED = ("schedule", "noise", "seed")  # Playground settings no tool uses


@dataclass(frozen=True)
class FinderConfig:
    """The LR finder: ``run`` holds the surface, start and optimizer (its lr and steps are the Playground's
    defaults: the test sets its own); then fastai's sweep arguments."""

    run: RunConfig
    start_lr: float = FINDER_PARAMS[0].default
    end_lr: float = FINDER_PARAMS[1].default
    num_it: int = FINDER_PARAMS[2].default


@dataclass(frozen=True)
class RaceConfig:
    """The fair race: ``run`` holds the surface, start and steps (its optimizer is unused: all of them race);
    then the lr grid of each optimizer's sweep."""

    run: RunConfig
    lr_min: float = RACE_PARAMS[0].default
    lr_max: float = RACE_PARAMS[1].default
    per_decade: int = RACE_PARAMS[2].default


def _read(query: dict, spec: tuple[Param, ...], low: str, high: str) -> tuple[dict, list[str]]:
    """The tool's own keys (``low`` < ``high`` required, else both defaults), and notices."""
    r = Reader({k: v for k, v in query.items() if k in {p.name for p in spec}})
    values = {p.name: r.value(p, p.name, p.default) for p in spec}
    if not values[low] < values[high]:
        r.notices.append(f"{low} must be below {high}; using {write_value(spec[0].default)} and "
                         f"{write_value(spec[1].default)}.")
        values[low], values[high] = spec[0].default, spec[1].default
    return values, r.notices


def _run(query: dict, spec: tuple[Param, ...], optimizers: int, keep_steps: bool) -> tuple[RunConfig, list[str]]:
    """The Playground part of a tool's query, reduced to what the tool uses (``optimizers``: how many racers
    it keeps, their lr reset to the Playground's default)."""
    rest = {k: v for k, v in query.items() if k not in {p.name for p in spec}}
    run, notices = parse_query(rest)
    base = default_config()
    notices += [f"Ignored {key}: this tool does not use it." for key in _UNUSED if key in rest]
    if len(run.optimizers) > optimizers:
        notices.append(f"This tool tests one optimizer; using the first, {run.optimizers[0].name}.")
    kept = tuple(o.with_values(lr=base.optimizers[0].lr) for o in run.optimizers[:optimizers])
    run = replace(run, optimizers=kept or base.optimizers, schedule=base.schedule,
                  schedule_params=base.schedule_params, noise=base.noise, seed=base.seed,
                  steps=run.steps if keep_steps else base.steps)
    return run, notices


def parse_finder(query: dict) -> tuple[FinderConfig, list[str]]:
    """The LR finder a URL's query describes, and a notice for everything ignored."""
    values, notices = _read(query, FINDER_PARAMS, "start_lr", "end_lr")
    run, run_notices = _run(query, FINDER_PARAMS, optimizers=1, keep_steps=False)
    return FinderConfig(run, **values), run_notices + notices


def parse_race(query: dict) -> tuple[RaceConfig, list[str]]:
    """The fair race a URL's query describes, and a notice for everything ignored."""
    values, notices = _read(query, RACE_PARAMS, "lr_min", "lr_max")
    if "optimizer" in query:
        notices.append("Ignored optimizer: the race runs every optimizer.")
    rest = {k: v for k, v in query.items() if k != "optimizer"}
    run, run_notices = _run(rest, RACE_PARAMS, optimizers=1, keep_steps=True)
    run = replace(run, optimizers=(OptimizerConfig.default("sgd"),))
    return RaceConfig(run, **values), run_notices + notices


def _tool_keys(config, spec: tuple[Param, ...]) -> dict[str, str]:
    return {p.name: write_value(getattr(config, p.name)) for p in spec if getattr(config, p.name) != p.default}


def finder_query(config: FinderConfig) -> dict[str, str]:
    """The finder's link: surface, optimizer and its settings, start, then fastai's arguments that differ
    from their defaults."""
    query = {k: v for k, v in to_query(config.run).items() if k not in ("lr", "steps")}
    return {**query, **_tool_keys(config, FINDER_PARAMS)}


def race_query(config: RaceConfig) -> dict[str, str]:
    """The race's link: surface, start and steps, then the grid's settings that differ from their defaults."""
    query = {k: v for k, v in to_query(config.run).items() if k not in ("optimizer", "lr")}
    return {**query, **_tool_keys(config, RACE_PARAMS)}


def playground_link(config: RunConfig) -> str:
    """The Playground link (relative to the app) that reproduces ``config``."""
    return "playground?" + urlencode(to_query(config))
