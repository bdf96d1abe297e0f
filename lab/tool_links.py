"""The four Tools' state in their address: a ``RunConfig`` in the Playground's own keys (``lab.config``) plus each
tool's keys of its own, declared once per tool as a ``Tool`` and read and written by one ``read_tool`` /
``tool_query`` pair over the one codec (``lab.url_schema``).

* stability map: ``axis`` (``momentum`` or ``curvature``); opens at 300 steps and momentum β 0.5;
* basin map: ``lr_b`` (the second map's lr); Himmelblau, the six-hump camel or Rastrigin, each opening at its
  own lr (``BASIN_LRS``);
* LR finder: ``start_lr``, ``end_lr``, ``num_it`` (fastai's ``lr_find`` arguments); the test sets its own lr
  and steps, so a link's ``lr`` and ``steps`` are not kept;
* fair race: ``lr_min``, ``lr_max``, ``per_decade`` (the log grid each optimizer's lr is swept over); every
  optimizer races, so a link's ``optimizer`` and ``lr`` are not kept.

Reading never raises: an unknown or bad value keeps the tool's default with a plain-text notice, and so does a
Playground setting the tool does not use (a schedule for the finder).  ``read_tool(tool_query(...))`` gives
the same state and no notice.  "Open in Playground" links are ``playground_link`` of a ``RunConfig``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any
from urllib.parse import urlencode

import numpy as np

import engine
from engine.params import Param

from .config import (
    CUSTOM,
    LR_PARAM,
    STEPS_PARAM,
    OptimizerConfig,
    RunConfig,
    default_config,
    parse_query,
    to_query,
)
from .url_schema import Reader, read_value, shown, write_params, write_value

__all__ = ["BASIN_LRS", "BASINS", "FINDER", "FINDER_PARAMS", "MOMENTUM_OPTIMIZERS", "RACE", "RACE_PARAMS",
           "STABILITY", "FinderConfig", "RaceConfig", "Tool", "finder_query", "is_quadratic", "parse_finder",
           "parse_race", "playground_link", "race_query", "read_tool", "tool_query", "with_lr_momentum"]

MOMENTUM_OPTIMIZERS = ("sgd", "momentum", "nesterov", "rmsprop")  # the ones whose β the stability map sweeps
# The basin map's surfaces and the (lr, compared lr) each opens with: on either side of where basins move.
BASIN_LRS = {"himmelblau": (0.01, 0.015), "six_hump_camel": (0.05, 0.1), "rastrigin": (0.002, 0.0048)}
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
_NOT_RUN = ("schedule", "noise", "seed")  # Playground settings the finder and the race do not use


@dataclass(frozen=True)
class Tool:
    """One tool's URL vocabulary.

    ``own``: its keys (``Param`` schemas; ``ordered`` names a (low, high) pair of them that must be in order);
    ``defaults``: run keys it opens with when the link has none (a hyper-parameter only where the optimizer
    has it); ``surfaces`` / ``optimizers``: the ones it takes (None: any); ``lrs``: the lr it opens with on
    each surface; ``ignored``: run keys it does not use (a notice when a link sets one, then the default);
    ``own_run``: run keys it sets itself (a link's value is dropped without a notice).  A tool runs one
    optimizer."""

    name: str
    own: tuple[Param, ...]
    defaults: Mapping[str, str] = field(default_factory=dict)
    surfaces: tuple[str, ...] | None = None
    optimizers: tuple[str, ...] | None = None
    lrs: Mapping[str, float] = field(default_factory=dict)
    ignored: tuple[str, ...] = ()
    own_run: tuple[str, ...] = ()
    ordered: tuple[str, str] | None = None


STABILITY = Tool(
    "stability map", (Param("axis", "momentum", kind="choice", choices=("momentum", "curvature"),
                            help="the map's vertical axis"),),
    defaults={"surface": "quadratic", "steps": "300", "momentum": "0.5"}, optimizers=MOMENTUM_OPTIMIZERS,
    ignored=(*_NOT_RUN, "batch"))
BASINS = Tool(
    "basin map",
    (Param("lr_b", 0.0, low=0.0, high=LR_PARAM.high, help="the second map's learning rate (0: the default)"),),
    defaults={"surface": "himmelblau", "steps": "300"}, surfaces=tuple(BASIN_LRS),
    lrs={slug: lrs[0] for slug, lrs in BASIN_LRS.items()}, ignored=("noise", "seed", "batch"))
FINDER = Tool("LR finder", FINDER_PARAMS, ignored=_NOT_RUN, own_run=("lr", "steps"), ordered=("start_lr", "end_lr"))
RACE = Tool("fair race", RACE_PARAMS, ignored=("optimizer", *_NOT_RUN), own_run=("lr",), ordered=("lr_min", "lr_max"))


def read_tool(tool: Tool, query: Mapping[str, Any]) -> tuple[RunConfig, dict[str, Any], list[str]]:
    """The run, the tool's own values and a notice for everything of ``query`` that could not be used."""
    reader = Reader(query)
    own = reader.own(tool.own, tool.ordered)
    run_query = {k: v for k, v in query.items() if k not in {p.name for p in tool.own}}
    notices = [f"Ignored {key}: the {tool.name} does not use it." for key in tool.ignored if key in run_query]
    surface = run_query.get("surface", tool.defaults.get("surface"))
    if tool.surfaces is not None and surface not in tool.surfaces:
        notices.append(f"The {tool.name} takes {', '.join(tool.surfaces)}, not {shown(surface)}; "
                       f"using {tool.defaults['surface']}.")
        run_query = {k: v for k, v in run_query.items() if k not in ("surface", "x0", "y0")}
        surface = tool.defaults["surface"]
    elif surface == CUSTOM and "surface" in tool.defaults:  # the maps need a registered surface's grid
        notices.append(f"The {tool.name} takes no typed f(x, y); using {tool.defaults['surface']}.")
        run_query = {k: v for k, v in run_query.items() if k not in ("surface", "f", "x0", "y0")}
        surface = tool.defaults["surface"]
    if tool.optimizers is not None and _first(run_query.get("optimizer", "sgd")) not in tool.optimizers:
        notices.append(f"The {tool.name} sweeps momentum β: it takes {', '.join(tool.optimizers)}, not "
                       f"{shown(run_query['optimizer'])}; using sgd.")
        run_query = {k: v for k, v in run_query.items() if k != "optimizer"}
    if tool.lrs:  # a bad lr falls back to this surface's lr, not the Playground's
        lr_reader = Reader(run_query)
        default_lr = tool.lrs.get(surface, next(iter(tool.lrs.values())))
        run_query = {**run_query, "lr": write_value(lr_reader.value(LR_PARAM, "lr", default_lr))}
        notices += lr_reader.notices
    applicable = _applicable(tool.defaults, run_query)
    checker = Reader(run_query)  # a bad value of a key the tool opens with falls back to the tool's value
    for key, text in applicable.items():
        if key != "surface" and key in run_query:
            param = _run_param(key, _first(run_query.get("optimizer", "sgd")))
            run_query = {**run_query, key: write_value(checker.value(param, key, read_value(param, text)))}
    notices += checker.notices
    config, run_notices = parse_query({**applicable, **run_query})
    if tool.lrs and "lr_b" in own and not own["lr_b"]:  # 0: the second lr this surface opens with
        own["lr_b"] = BASIN_LRS[config.surface][1]
    if len(config.optimizers) > 1 and "optimizer" not in tool.ignored:
        notices.append(f"The {tool.name} runs one optimizer; kept the first, {config.optimizers[0].name}.")
    return _reset(config, (*tool.ignored, *tool.own_run)), own, notices + run_notices + reader.notices


def _first(names: str) -> str:
    """The optimizer ``parse_query`` keeps first from a link's ``optimizer`` list (its first known name, else sgd)."""
    return next((n for n in (part.strip() for part in str(names).split(",")) if n in engine.OPTIMIZERS), "sgd")


def _run_param(key: str, optimizer: str) -> Param:
    """The schema of a run key a tool opens with: steps, lr or a hyper-parameter of ``optimizer``."""
    if key == "steps":
        return STEPS_PARAM
    return LR_PARAM if key == "lr" else engine.OPTIMIZERS[optimizer].param(key)


def _applicable(defaults: Mapping[str, str], query: Mapping[str, Any]) -> dict[str, str]:
    """The tool's defaults that fit the optimizer the query names (momentum only where it is a parameter)."""
    name = _first(query.get("optimizer", "sgd"))
    takes = {p.name for p in engine.OPTIMIZERS[name].params} if name in engine.OPTIMIZERS else set()
    return {k: v for k, v in defaults.items() if k in ("surface", "steps") or k in takes}


def _reset(config: RunConfig, keys: tuple[str, ...]) -> RunConfig:
    """``config`` with its first optimizer only and the settings ``keys`` name at the Playground's defaults."""
    base = default_config()
    optimizers = base.optimizers if "optimizer" in keys else config.optimizers[:1]
    if "lr" in keys:
        optimizers = tuple(o.with_values(lr=base.optimizers[0].lr) for o in optimizers)
    config = replace(config, optimizers=optimizers)
    if "schedule" in keys:
        config = replace(config, schedule=base.schedule, schedule_params=base.schedule_params)
    return replace(config, **{k: getattr(base, k) for k in ("steps", "noise", "seed") if k in keys})


def tool_query(tool: Tool, config: RunConfig, own: Mapping[str, Any]) -> dict[str, str]:
    """The address of a tool showing ``config`` with its own values ``own`` (those at their default left out;
    a hyper-parameter the tool opens with always written, as it is not the Playground's default)."""
    query = {k: v for k, v in to_query(config).items() if k not in (*tool.ignored, *tool.own_run)}
    hyper = config.optimizers[0].kwargs()
    query.update({k: write_value(hyper[k]) for k in tool.defaults if k in hyper})
    return {**query, **write_params(own, tool.own)}


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


def parse_finder(query: Mapping[str, Any]) -> tuple[FinderConfig, list[str]]:
    """The LR finder a URL's query describes (``read_tool`` of ``FINDER``), and a notice for everything ignored."""
    run, own, notices = read_tool(FINDER, query)
    return FinderConfig(run, **own), notices


def parse_race(query: Mapping[str, Any]) -> tuple[RaceConfig, list[str]]:
    """The fair race a URL's query describes (``read_tool`` of ``RACE``), and a notice for everything ignored."""
    run, own, notices = read_tool(RACE, query)
    return RaceConfig(run, **own), notices


def finder_query(config: FinderConfig) -> dict[str, str]:
    """The finder's link: surface, optimizer and its settings, start, then fastai's arguments that differ
    from their defaults."""
    return tool_query(FINDER, config.run, {p.name: getattr(config, p.name) for p in FINDER_PARAMS})


def race_query(config: RaceConfig) -> dict[str, str]:
    """The race's link: surface, start and steps, then the grid's settings that differ from their defaults."""
    return tool_query(RACE, config.run, {p.name: getattr(config, p.name) for p in RACE_PARAMS})


def playground_link(config: RunConfig) -> str:
    """The Playground link (relative to the app) that reproduces ``config``."""
    return "playground?" + urlencode(to_query(config))


def is_quadratic(surface: engine.Surface) -> bool:
    """Whether f's Hessian is the same at the view's centre, corners and default start (a quadratic: the
    theory's lr bands are exact there, everywhere; the stability map's ``axis=curvature`` needs one)."""
    (x0, x1), (y0, y1) = surface.bounds
    points = np.array([[x0, y0], [x1, y1], [x0, y1], [(x0 + x1) / 2, (y0 + y1) / 2], surface.start])
    h = surface.hessian(points)
    return bool(np.isfinite(h).all() and np.allclose(h, h[0], rtol=1e-9, atol=1e-12))


def with_lr_momentum(config: RunConfig, lr: float, momentum: float | None) -> RunConfig:
    """``config`` with its optimizer's lr (and momentum β, when given and the optimizer has one) replaced."""
    opt = config.optimizers[0]
    values: dict[str, Any] = {"lr": float(lr)}
    if momentum is not None and "momentum" in dict(opt.hyper):
        values["momentum"] = float(momentum)
    return replace(config, optimizers=(OptimizerConfig(opt.name, opt.hyper).with_values(**values),))
