"""The Tools pages' state in their address: a ``RunConfig`` in the Playground's own keys (``lab.config``), plus
each tool's keys of its own (``axis``, ``lr_b``), read with the same notices for bad values.

``read_tool`` never raises: an unknown or bad value keeps the tool's default and adds a notice (plain text).
``tool_query`` writes the state back; ``read_tool(tool_query(...))`` gives the same state and no notice.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

import numpy as np

import engine
from engine.params import Param

from .config import CUSTOM, LR_PARAM, RUN_PARAMS, OptimizerConfig, RunConfig, parse_query, to_query
from .url_schema import Reader, read_value, shown, write_value

__all__ = ["BASIN_LRS", "BASINS", "MOMENTUM_OPTIMIZERS", "STABILITY", "Tool", "is_quadratic", "read_tool",
           "tool_query", "with_lr_momentum"]

MOMENTUM_OPTIMIZERS = ("sgd", "momentum", "nesterov", "rmsprop")  # the ones whose β the map sweeps
# The basin map's surfaces and the (lr, compared lr) each opens with: on either side of where basins move.
BASIN_LRS = {"himmelblau": (0.01, 0.015), "six_hump_camel": (0.05, 0.1), "rastrigin": (0.002, 0.0048)}


@dataclass(frozen=True)
class Tool:
    """One tool's URL vocabulary: the run keys' defaults it opens with, which surfaces (None: every registered
    one, no typed f(x, y)) and optimizers it takes, its own keys (``Param`` schemas) and the Playground keys
    it does not use (a link's value of one is dropped with a notice)."""

    name: str
    defaults: Mapping[str, str]
    surfaces: tuple[str, ...] | None
    optimizers: tuple[str, ...] | None
    own: tuple[Param, ...]
    unused: tuple[str, ...] = ()


STABILITY = Tool(
    "stability map", {"surface": "quadratic", "steps": "300", "momentum": "0.5"}, None, MOMENTUM_OPTIMIZERS,
    (Param("axis", "momentum", kind="choice", choices=("momentum", "curvature"), help="the map's vertical axis"),),
    unused=("schedule", "noise", "seed", "batch"))
BASINS = Tool(
    "basin map", {"surface": "himmelblau", "steps": "300"}, tuple(BASIN_LRS), None,
    (Param("lr_b", 0.0, low=0.0, high=LR_PARAM.high, help="the second map's learning rate (0: the default)"),),
    unused=("noise", "seed", "batch"))


def is_quadratic(surface: engine.Surface) -> bool:
    """Whether f's Hessian is the same at the view's centre, corners and default start (a quadratic: the
    theory's lr bands are exact there, everywhere)."""
    (x0, x1), (y0, y1) = surface.bounds
    points = np.array([[x0, y0], [x1, y1], [x0, y1], [(x0 + x1) / 2, (y0 + y1) / 2], surface.start])
    h = surface.hessian(points)
    return bool(np.isfinite(h).all() and np.allclose(h, h[0], rtol=1e-9, atol=1e-12))


def read_tool(tool: Tool, query: Mapping[str, Any]) -> tuple[RunConfig, dict[str, Any], list[str]]:
    """The run, the tool's own values and a notice for everything of ``query`` that could not be used."""
    own_names = {p.name for p in tool.own}
    run_query = {k: v for k, v in query.items() if k not in own_names and k not in tool.unused}
    notices = [f"Ignored {key}: the {tool.name} does not use it." for key in tool.unused if key in query]
    if tool.surfaces is not None and run_query.get("surface", tool.defaults["surface"]) not in tool.surfaces:
        notices.append(f"The {tool.name} takes {', '.join(tool.surfaces)}, not {shown(run_query['surface'])}; "
                       f"using {tool.defaults['surface']}.")
        run_query = {k: v for k, v in run_query.items() if k not in ("surface", "x0", "y0")}
    elif run_query.get("surface") == CUSTOM:
        notices.append(f"The {tool.name} takes no typed f(x, y); using {tool.defaults['surface']}.")
        run_query = {k: v for k, v in run_query.items() if k not in ("surface", "f", "x0", "y0")}
    if tool.optimizers is not None and _first(run_query.get("optimizer", "sgd")) not in tool.optimizers:
        notices.append(f"The {tool.name} sweeps momentum β: it takes {', '.join(tool.optimizers)}, not "
                       f"{shown(run_query['optimizer'])}; using sgd.")
        run_query = {k: v for k, v in run_query.items() if k != "optimizer"}
    defaults = dict(tool.defaults)
    if tool is BASINS:
        surface = run_query.get("surface", defaults["surface"])
        defaults["lr"] = write_value(BASIN_LRS.get(surface, BASIN_LRS["himmelblau"])[0])
    applicable = _applicable(defaults, run_query)
    checker = Reader(run_query)  # a bad value of a key the tool opens with falls back to the tool's value
    for key, text in applicable.items():
        if key != "surface" and key in run_query:
            param = _run_param(key, _first(run_query.get("optimizer", "sgd")))
            run_query = {**run_query, key: write_value(checker.value(param, key, read_value(param, text)))}
    notices += checker.notices
    config, run_notices = parse_query({**applicable, **run_query})
    if len(config.optimizers) > 1:
        notices.append(f"The {tool.name} runs one optimizer; kept the first.")
        config = replace(config, optimizers=config.optimizers[:1])
    reader = Reader(query)
    own = {p.name: reader.value(p, p.name, p.default) for p in tool.own}
    if tool is BASINS and not own["lr_b"]:  # 0: the second lr this surface opens with
        own["lr_b"] = BASIN_LRS[config.surface][1]
    return config, own, notices + run_notices + reader.notices


def _first(names: str) -> str:
    """The optimizer ``parse_query`` keeps first from a link's ``optimizer`` list (its first known name, else sgd)."""
    return next((n for n in (part.strip() for part in str(names).split(",")) if n in engine.OPTIMIZERS), "sgd")


def _run_param(key: str, optimizer: str) -> Param:
    """The schema of a run key a tool opens with: steps, lr or a hyper-parameter of ``optimizer``."""
    if key == "steps":
        return RUN_PARAMS[0]
    return LR_PARAM if key == "lr" else engine.OPTIMIZERS[optimizer].param(key)


def _applicable(defaults: Mapping[str, str], query: Mapping[str, Any]) -> dict[str, str]:
    """The tool's defaults that fit the optimizer the query names (momentum only where it is a parameter)."""
    name = _first(query.get("optimizer", "sgd"))
    takes = {p.name for p in engine.OPTIMIZERS[name].params} if name in engine.OPTIMIZERS else set()
    return {k: v for k, v in defaults.items() if k in ("surface", "steps") or k in takes}


def tool_query(tool: Tool, config: RunConfig, own: Mapping[str, Any]) -> dict[str, str]:
    """The address of a tool showing ``config`` with its own values ``own`` (those at their default left out)."""
    query = to_query(config)
    hyper = config.optimizers[0].kwargs()
    query.update({k: write_value(hyper[k]) for k in tool.defaults if k in hyper})  # also at torch's default
    for p in tool.own:
        if own.get(p.name, p.default) != p.default:
            query[p.name] = write_value(own[p.name])
    return query


def with_lr_momentum(config: RunConfig, lr: float, momentum: float | None) -> RunConfig:
    """``config`` with its optimizer's lr (and momentum β, when given and the optimizer has one) replaced."""
    opt = config.optimizers[0]
    values: dict[str, Any] = {"lr": float(lr)}
    if momentum is not None and "momentum" in dict(opt.hyper):
        values["momentum"] = float(momentum)
    return replace(config, optimizers=(OptimizerConfig(opt.name, opt.hyper).with_values(**values),))
