"""The Playground's state: one frozen, hashable ``RunConfig``, and ``parse_query`` / ``to_query`` that read
and write it as a URL.

The same config is the widget state, the cache key of a run, a lesson preset and the shareable link, so
there is exactly one place (here) that turns query parameters into a config and back.  The keys, and how one
value is written as text and read back, are in ``lab.url_schema``.

Reading never raises: an unknown name or a bad value (NaN, out of range, wrong type, too long) keeps the
default and adds a plain-text notice.  Writing gives the core keys always and the rest only when they differ
from their defaults, so a link is short and ``parse_query(to_query(c)) == (c, [])``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

import numpy as np

import engine
from engine.params import Factory, Param

from .url_schema import MAX_TEXT, Reader, key_table, shown, shown_message, write_value

__all__ = [
    "CUSTOM", "DEFAULT_LR", "LR_PARAM", "MAX_OPTIMIZERS", "OptimizerConfig", "RUN_PARAMS", "RunConfig", "STEPS_PARAM",
    "clicked_start", "default_config", "make_surface", "parse_query", "to_query",
]

Pairs = tuple[tuple[str, Any], ...]

CUSTOM = "custom"
DEFAULT_SURFACE = "quadratic"
DEFAULT_OPTIMIZER = "sgd"
DEFAULT_SCHEDULE = "constant"
MAX_OPTIMIZERS = 4
DEFAULT_LR = 0.08  # the Playground's starting lr for every optimizer (torch's own defaults are slow here)
# Every lr a config, a link, a slider or a chart's lr axis may hold: import it wherever lrs are bounded.
LR_PARAM = Param("lr", DEFAULT_LR, low=1e-5, high=10.0, log=True, help="learning rate γ (1e-5 … 10)")
# The lr slider's values: ten readable steps per decade (1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8) over LR_PARAM's
# range, parsed from text so 0.12 is 0.12.
_MANTISSAS = ("1", "1.2", "1.5", "2", "2.5", "3", "4", "5", "6", "8")
LR_GRID = tuple(float(f"{m}e{e}") for e in range(round(np.log10(LR_PARAM.low)), round(np.log10(LR_PARAM.high)))
                for m in _MANTISSAS) + (LR_PARAM.high,)
STEPS_PARAM = Param("steps", 200, low=1, high=2000, kind="int", help="number of optimizer steps")
RUN_PARAMS = (
    STEPS_PARAM,
    Param("noise", 0.0, low=0.0, high=100.0, help="std of Gaussian noise added to each gradient component"),
    Param("seed", 0, low=0, high=2**31 - 1, kind="int", help="seed of the gradient noise and of the mini-batches"),
    Param("batch", 0, low=0, high=200, kind="int",
          help="mini-batch size: examples per gradient, on a loss made of examples (0: all of them, the full batch)"),
)
START_REACH = 5.0  # a start may lie up to this many half-widths of the view from its centre


@dataclass(frozen=True)
class OptimizerConfig:
    """One racer: an ``engine.OPTIMIZERS`` name and every hyper-parameter (lr included), in schema order."""

    name: str
    hyper: Pairs

    @classmethod
    def default(cls, name: str, lr: float = DEFAULT_LR) -> OptimizerConfig:
        factory = engine.OPTIMIZERS[name]
        return cls(name, tuple((p.name, lr if p.name == "lr" else p.default) for p in factory.params))

    @property
    def lr(self) -> float:
        return float(dict(self.hyper)["lr"])

    def kwargs(self) -> dict[str, Any]:
        return dict(self.hyper)

    def with_values(self, **values: Any) -> OptimizerConfig:
        merged = {**dict(self.hyper), **values}
        return OptimizerConfig(self.name, tuple((name, merged[name]) for name, _ in self.hyper))


@dataclass(frozen=True)
class RunConfig:
    """Everything that determines a Playground run; hashable, so it is the cache key."""

    surface: str
    surface_params: Pairs
    expression: str
    optimizers: tuple[OptimizerConfig, ...]
    schedule: str
    schedule_params: Pairs
    steps: int
    x0: float
    y0: float
    noise: float = 0.0
    seed: int = 0
    batch: int = 0

    @property
    def start(self) -> tuple[float, float]:
        return (self.x0, self.y0)

    @property
    def surface_key(self) -> tuple[str, Pairs, str]:
        """What identifies the surface (for caching it and its background image)."""
        return (self.surface, self.surface_params, self.expression)

    def with_lr(self, index: int, lr: float) -> RunConfig:
        opts = list(self.optimizers)
        opts[index] = opts[index].with_values(lr=lr)
        return replace(self, optimizers=tuple(opts))


def make_surface(slug: str, params: Pairs = (), expression: str = "") -> engine.Surface:
    """Build the surface a config names (ValueError from the engine when it cannot be built)."""
    if slug == CUSTOM:
        return engine.surface_from_expression(expression)
    return engine.surface(slug, **dict(params))


def _defaults(factory: Factory) -> Pairs:
    return tuple((p.name, p.default) for p in factory.params)


def _surface_spec(slug: str) -> tuple[Param, ...]:
    """The parameters of surface ``slug`` (none for a typed expression)."""
    return () if slug == CUSTOM else engine.SURFACES[slug].params


def default_config(surface: str = DEFAULT_SURFACE, optimizer: str = DEFAULT_OPTIMIZER) -> RunConfig:
    """The Playground's opening state: plain gradient descent on the tilted quadratic."""
    params = _defaults(engine.SURFACES[surface])
    start = make_surface(surface, params).start
    return RunConfig(
        surface=surface, surface_params=params, expression="",
        optimizers=(OptimizerConfig.default(optimizer),),
        schedule=DEFAULT_SCHEDULE, schedule_params=_defaults(engine.SCHEDULES[DEFAULT_SCHEDULE]),
        x0=float(start[0]), y0=float(start[1]), **{p.name: p.default for p in RUN_PARAMS},
    )


def clicked_start(x: float, y: float) -> tuple[float, float]:
    """A point clicked on a map as a start: four significant digits (a readable link; the click grid is
    coarser than that anyway)."""
    return float(f"{x:.4g}"), float(f"{y:.4g}")


def start_param(name: str, surface: engine.Surface) -> Param:
    """x0 / y0 schema: within ``START_REACH`` half-widths of the view's centre."""
    (lo, hi) = surface.bounds[0 if name == "x0" else 1]
    centre, half = (lo + hi) / 2, START_REACH * (hi - lo) / 2
    default = float(surface.start[0 if name == "x0" else 1])
    return Param(name, default, low=centre - half, high=centre + half, help=f"start {name[0]} coordinate")


# ----------------------------------------------------------------------------------------------------------
# Reading


def parse_query(query: Mapping[str, Any]) -> tuple[RunConfig, list[str]]:
    """The config a URL's query parameters describe, and a notice for everything that was ignored."""
    r = Reader(query)
    surface_slug, expression, surface = _read_surface_name(r)
    optimizer_names = _read_optimizer_names(r)
    schedule_name = r.text("schedule") or DEFAULT_SCHEDULE
    if schedule_name not in engine.SCHEDULES:
        r.notices.append(f"Unknown schedule {shown(schedule_name)}; using {DEFAULT_SCHEDULE}.")
        schedule_name = DEFAULT_SCHEDULE
    surface_spec = _surface_spec(surface_slug)
    schedule_factory = engine.SCHEDULES[schedule_name]
    table = key_table(surface_spec, optimizer_names, schedule_factory.params)

    surface_params = r.params("surface", 0, surface_spec, table, dict(_defaults_of(surface_spec)))
    if surface_slug != CUSTOM:
        try:
            surface = make_surface(surface_slug, surface_params)
        except ValueError as err:
            r.notices.append(f"Surface parameters ignored: {shown_message(err)}.")
            surface_params = _defaults_of(surface_spec)
            surface = make_surface(surface_slug, surface_params)

    optimizers = tuple(_read_optimizer(r, i, name, table) for i, name in enumerate(optimizer_names))
    schedule_params = r.params("schedule", 0, schedule_factory.params, table, dict(_defaults(schedule_factory)))
    try:
        engine.schedule(schedule_name, **dict(schedule_params))
    except ValueError as err:
        r.notices.append(f"Schedule parameters ignored: {shown_message(err)}.")
        schedule_params = _defaults(schedule_factory)

    steps, noise, seed, batch = (r.value(p, p.name, p.default) for p in RUN_PARAMS)
    batch = _usable_batch(r, batch, surface)
    x0, y0 = (r.value(p, p.name, p.default) for p in (start_param("x0", surface), start_param("y0", surface)))
    r.unknown()
    config = RunConfig(surface_slug, surface_params, expression, optimizers, schedule_name, schedule_params,
                       steps, float(x0), float(y0), noise, seed, batch)
    return config, r.notices


def _usable_batch(r: Reader, batch: int, surface: engine.Surface) -> int:
    """``batch`` when the surface is made of examples and it is fewer than all of them, else 0 (the full batch),
    with a notice when a link asked for a batch the surface cannot draw."""
    if batch == 0:
        return 0
    if surface.examples is None:
        r.notices.append(f"Ignored batch={batch}: only a loss made of examples (regression) has mini-batches.")
        return 0
    if batch >= surface.examples.count:
        r.notices.append(f"batch={batch} is all {surface.examples.count} examples or more: using the full batch.")
        return 0
    return batch


def _defaults_of(spec: tuple[Param, ...]) -> Pairs:
    return tuple((p.name, p.default) for p in spec)


def _read_surface_name(r: Reader) -> tuple[str, str, engine.Surface]:
    slug = r.text("surface") or DEFAULT_SURFACE
    expression = r.text("f") or ""
    if slug == CUSTOM:
        try:  # the engine refuses a text longer than engine.expressions.MAX_LENGTH before parsing it
            return CUSTOM, expression, make_surface(CUSTOM, (), expression)
        except ValueError as err:
            r.notices.append(f"Could not use f(x, y) = {shown(expression)}: {shown_message(err)}.")
            return DEFAULT_SURFACE, "", make_surface(DEFAULT_SURFACE, _defaults(engine.SURFACES[DEFAULT_SURFACE]))
    if slug not in engine.SURFACES:
        r.notices.append(f"Unknown surface {shown(slug)}; using {DEFAULT_SURFACE}.")
        slug = DEFAULT_SURFACE
    if expression and slug != CUSTOM:
        r.notices.append("Ignored f: a typed expression needs surface=custom.")
    return slug, "", make_surface(slug, _defaults(engine.SURFACES[slug]))


def _read_optimizer_names(r: Reader) -> tuple[str, ...]:
    text = r.text("optimizer")
    if text is None:
        return (DEFAULT_OPTIMIZER,)
    names = [n.strip() for n in text[:MAX_TEXT].split(",") if n.strip()]
    known = [n for n in names if n in engine.OPTIMIZERS]
    for name in names:
        if name not in engine.OPTIMIZERS:
            r.notices.append(f"Unknown optimizer {shown(name)} ignored.")
    if len(known) > MAX_OPTIMIZERS:
        r.notices.append(f"At most {MAX_OPTIMIZERS} optimizers race at once; kept the first {MAX_OPTIMIZERS}.")
        known = known[:MAX_OPTIMIZERS]
    if not known:
        r.notices.append(f"No known optimizer in the link; using {DEFAULT_OPTIMIZER}.")
        known = [DEFAULT_OPTIMIZER]
    return tuple(known)


def _read_optimizer(r: Reader, index: int, name: str, table) -> OptimizerConfig:
    base = OptimizerConfig.default(name)
    defaults = dict(base.hyper)
    spec = tuple(LR_PARAM if p.name == "lr" else p for p in engine.OPTIMIZERS[name].params)
    hyper = r.params("optimizer", index, spec, table, defaults)
    try:
        engine.optimizer(name, **dict(hyper))
    except ValueError as err:
        r.notices.append(f"Settings of {name} ignored: {shown_message(err)}.")
        return base
    return OptimizerConfig(name, hyper)


# ----------------------------------------------------------------------------------------------------------
# Writing


def to_query(config: RunConfig) -> dict[str, str]:
    """The query parameters of ``config``: the core keys (surface, optimizer, lr, steps, start) always, and
    every other parameter whenever it differs from its default, whichever surface, optimizer or schedule
    it belongs to (so a constant schedule's warm-up is in the link too)."""
    table = key_table(_surface_spec(config.surface), tuple(o.name for o in config.optimizers),
                      engine.SCHEDULES[config.schedule].params)

    def changed(section: str, index: int, values: Pairs, defaults: Pairs, always: str = "") -> dict[str, str]:
        default = dict(defaults)
        return {table[(section, index, k)]: write_value(v) for k, v in values if k == always or v != default[k]}

    query = {"surface": config.surface}
    if config.surface == CUSTOM:
        query["f"] = config.expression
    query.update(changed("surface", 0, config.surface_params, _defaults_of(_surface_spec(config.surface))))
    query["optimizer"] = ",".join(o.name for o in config.optimizers)
    for i, opt in enumerate(config.optimizers):
        query.update(changed("optimizer", i, opt.hyper, OptimizerConfig.default(opt.name).hyper, always="lr"))
    if config.schedule != DEFAULT_SCHEDULE:
        query["schedule"] = config.schedule
    query.update(changed("schedule", 0, config.schedule_params, _defaults(engine.SCHEDULES[config.schedule])))
    query.update(steps=write_value(config.steps), x0=write_value(config.x0), y0=write_value(config.y0))
    for p in RUN_PARAMS[1:]:  # steps is written above, always
        value = getattr(config, p.name)
        if value != p.default:
            query[p.name] = write_value(value)
    return query


def format_lr(value: float) -> str:
    """1e-05, 0.0003, 0.05, 2.5: four significant digits, no trailing zeros."""
    return format(float(value), ".4g")
