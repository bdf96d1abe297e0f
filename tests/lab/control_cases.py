"""Every control of the Playground (sidebar and panel), generated from the schemas, each set to a value other
than its default: the engine's registries (surfaces, optimizers, schedules and their ``Param`` tuples),
``lab.config.RUN_PARAMS``, the start point, the typed expression and the number of racers.  A new surface,
optimizer, schedule or parameter becomes a new case without anyone writing it here.

A ``Case`` carries the config the change gives and the widget moves that make it on the page (widget keys as
``views.widgets.inputs`` names them, without the page's prefix), so one case drives both the pure link test and the
AppTest one.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, replace
from typing import Any

import engine
from engine.params import Param
from lab.config import (
    CUSTOM,
    LR_GRID,
    LR_PARAM,
    MAX_OPTIMIZERS,
    RUN_PARAMS,
    OptimizerConfig,
    RunConfig,
    default_config,
    make_surface,
)

__all__ = ["CASES", "PAGE_CASES", "Case", "other_value"]

BASE = default_config()
EXPRESSION = "x**2 + 2*y**2 + x*y"
# A value that the engine refuses on its own needs these settings of the same racer with it (Nesterov's
# momentum needs momentum > 0 and no dampening); any other refused case fails the round-trip test.
NEEDS = {("sgd", "nesterov"): {"momentum": 0.5}, ("nesterov", "dampening"): {"nesterov": False}}


@dataclass(frozen=True)
class Case:
    """One control set to ``config``'s value; ``moves``: (widget key, value) in order, from the default page."""

    name: str
    config: RunConfig
    moves: tuple[tuple[str, Any], ...]


def other_value(param: Param) -> Any:
    """A valid value of ``param`` other than its default: the other truth value, the next choice, half of a
    number (10 for 0 or "not set", 2 for 1, 0.5 for 0.0) within the range; for a pair, its first entry so."""
    d = param.default
    if param.kind == "bool":
        return not d
    if param.kind == "choice":
        return next(c for c in param.choices if c != d)
    if param.kind == "pair":
        return (other_value(replace(param, kind="float", default=d[0])), d[1])
    if param.kind == "ints":
        return tuple(v // 2 for v in d)
    if param.kind == "int":
        value = 10 if not d else 2 if d == 1 else d // 2
    else:
        value = 0.5 if d == 0 else d / 2
    return param.check(min(value, param.high) if param.high is not None else value)


def _racer_moves(i: int, name: str) -> tuple[tuple[str, Any], ...]:
    count = (("n_opt", i + 1),) if i else ()
    return (*count, *(((f"opt{i}", name),) if name != BASE.optimizers[0].name else ()))


def _with_racer(i: int, opt: OptimizerConfig) -> RunConfig:
    racers = list(BASE.optimizers) + [OptimizerConfig.default(BASE.optimizers[0].name)] * i
    racers[i] = opt
    return replace(BASE, optimizers=tuple(racers))


def _surface_cases() -> Iterator[Case]:
    for slug, factory in engine.SURFACES.items():
        fresh = default_config(slug)
        choose = ((("surface", slug),) if slug != BASE.surface else ())
        if choose:
            yield Case(f"surface={slug}", fresh, choose)
        for p in factory.params:
            value = other_value(p)
            params = tuple((k, value if k == p.name else v) for k, v in fresh.surface_params)
            yield Case(f"{slug}.{p.name}", replace(fresh, surface_params=params),
                       (*choose, (f"s.{slug}.{p.name}", value)))
    start = make_surface(CUSTOM, (), EXPRESSION).start
    yield Case("expression", replace(BASE, surface=CUSTOM, surface_params=(), expression=EXPRESSION,
                                     x0=float(start[0]), y0=float(start[1])),
               (("surface", CUSTOM), ("expr", EXPRESSION)))


def _optimizer_cases(i: int) -> Iterator[Case]:
    lr = next(v for v in LR_GRID if v != LR_PARAM.default and v > LR_PARAM.default / 3)
    first = BASE.optimizers[0].name
    yield Case(f"racer{i + 1}.lr", _with_racer(i, OptimizerConfig.default(first, lr=lr)),
               (*_racer_moves(i, first), (f"lr{i}", lr)))
    for name, factory in engine.OPTIMIZERS.items():
        if name != first:
            yield Case(f"racer{i + 1}={name}", _with_racer(i, OptimizerConfig.default(name)), _racer_moves(i, name))
        for p in factory.params:
            if p.name == "lr":
                continue
            values = {**NEEDS.get((name, p.name), {}), p.name: other_value(p)}
            moves = tuple((f"h{i}.{name}.{k}", v) for k, v in values.items())
            yield Case(f"racer{i + 1}.{name}.{p.name}",
                       _with_racer(i, OptimizerConfig.default(name).with_values(**values)),
                       (*_racer_moves(i, name), *moves))


def _schedule_cases() -> Iterator[Case]:
    for name, factory in engine.SCHEDULES.items():
        choose = (("schedule", name),) if name != BASE.schedule else ()
        defaults = tuple((p.name, p.default) for p in factory.params)
        if choose:
            yield Case(f"schedule={name}", replace(BASE, schedule=name, schedule_params=defaults), choose)
        for p in factory.params:
            value = other_value(p)
            params = tuple((k, value if k == p.name else v) for k, v in defaults)
            yield Case(f"{name}.{p.name}", replace(BASE, schedule=name, schedule_params=params),
                       (*choose, (f"c.{name}.{p.name}", value)))


def _run_cases() -> Iterator[Case]:
    for p in RUN_PARAMS:
        if p.name == "batch":  # only a loss made of examples has mini-batches: fewer than its 8 points
            data = default_config("regression")
            yield Case(p.name, replace(data, batch=4), (("surface", "regression"), (p.name, 4)))
            continue
        value = other_value(p)
        yield Case(p.name, replace(BASE, **{p.name: value}), ((p.name, value),))
    for name, value in (("x0", BASE.x0 + 0.5), ("y0", BASE.y0 - 0.5)):
        yield Case(name, replace(BASE, **{name: value}), ((name, value),))


def _cases() -> tuple[Case, ...]:
    racers = [c for i in range(MAX_OPTIMIZERS) for c in _optimizer_cases(i)]
    return (*_surface_cases(), *racers, *_schedule_cases(), *_run_cases())


CASES = _cases()
# On the page racers 3 and 4 share every widget function with racer 2: their optimizer choice and lr are
# opened as pages, their hyper-parameters only as links (each page case costs about half a second).
PAGE_CASES = tuple(c for c in CASES if not c.name.startswith(("racer3.", "racer4.")) or c.name.endswith(".lr"))
