"""The one URL codec of the app: which query key holds which parameter, how a value is written as text and
read back, and the ``Reader`` that turns a bad value into its default and a notice (never an exception).

Every page declares only its keys: the Playground its ``RunConfig`` (``lab.config.parse_query`` / ``to_query``
over ``key_table``), a lesson its controls (``lessons.links``), the tools their own ``Param`` schemas on top of
a run (``lab.tool_links``), the Presenter its lesson and scene (``read_params`` / ``write_params``).

``key_table`` lays out the run's keys:

* ``surface`` (a slug or ``custom`` with the expression in ``f``), then the surface's parameters by name;
* ``optimizer``: one to four comma-separated names, raced from the same start.  The first optimizer's
  hyper-parameters use their torch names (``lr``, ``momentum``, ``betas=0.9,0.999``); the k-th one's carry
  the suffix ``_k`` (``lr_2``, ``betas_2``);
* ``schedule`` and its torch-named parameters (a name another section already uses gets the prefix
  ``schedule_``, e.g. ReduceLROnPlateau's ``eps`` next to Adam's becomes ``schedule_eps``);
* ``steps``, ``x0``, ``y0``, ``noise``, ``seed``, ``batch`` (mini-batch size, regression only).

``racer_key`` is the suffix rule every page shares (a lesson's racer-2 control is ``lr_2`` as in the Playground).

``read_value`` and ``write_value`` turn one value into text and back (the engine's ``Param`` does the
checking); a ``Reader`` reads a query key by key, turning every bad value into its default and a plain-text
notice, except a learning rate beyond its range (``nearest_in_range``: ``lr=1e6``, ``lr_2=1e-12``), which runs at
the nearest end of the range, the notice naming the value asked for and the value used.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import replace
from typing import Any

import engine
from engine.expression_parser import MAX_LENGTH
from engine.params import Param

__all__ = ["CLAMPED", "MAX_TEXT", "Reader", "key_table", "nearest_in_range", "racer_key", "read_params", "read_value",
           "shown", "shown_message", "write_params", "write_value"]

MAX_TEXT = MAX_LENGTH  # longest query value read (the longest is a typed f); longer ones are refused unparsed
# Parameters a number beyond whose range is taken to the nearest end of it (``nearest_in_range``): asking for a
# larger learning rate than the slider has means its largest, and the run shows what that does.
CLAMPED = ("lr",)
_RESERVED = ("surface", "f", "optimizer", "schedule", "steps", "x0", "y0", "noise", "seed", "batch")


def racer_key(name: str, index: int) -> str:
    """The query key of racer ``index``'s (0-based) parameter ``name``: ``lr``, then ``lr_2``, ``lr_3``, …"""
    return name if index == 0 else f"{name}_{index + 1}"


def key_table(surface_spec: tuple[Param, ...], optimizer_names: tuple[str, ...],
              schedule_spec: tuple[Param, ...]) -> dict[tuple[str, int, str], str]:
    """(section, index, parameter name) -> query key, for the chosen surface, optimizers and schedule."""
    taken = set(_RESERVED)
    table: dict[tuple[str, int, str], str] = {}

    def claim(section: str, index: int, name: str, key: str) -> None:
        if key in taken:
            key = f"{section}_{key}"
        taken.add(key)
        table[(section, index, name)] = key

    for p in surface_spec:
        claim("surface", 0, p.name, p.name)
    for i, opt in enumerate(optimizer_names):
        for p in engine.OPTIMIZERS[opt].params:
            claim("optimizer", i, p.name, racer_key(p.name, i))
    for p in schedule_spec:
        claim("schedule", 0, p.name, p.name)
    return table


# ----------------------------------------------------------------------------------------------------------
# Values <-> text


def read_value(param: Param, text: str) -> Any:
    """A query value as ``param`` wants it, or ValueError (the engine's schema does the checking)."""
    if not isinstance(text, str):
        raise ValueError(f"{param.name} must be text")
    if len(text) > MAX_TEXT:
        raise ValueError(f"{param.name} is longer than {MAX_TEXT} characters")
    if param.kind == "choice":
        for choice in param.choices:
            if str(choice) == text:
                return choice
    return param.check(text)


def nearest_in_range(param: Param, text: str) -> float | None:
    """For a parameter of ``CLAMPED`` with a closed positive range: the end of the range nearest a finite positive
    number ``text`` spells beyond it.  None for anything else (a number in range, zero, a negative, NaN, infinity,
    not a number, another parameter): those keep the default."""
    if not (param.name in CLAMPED and param.kind == "float" and param.low is not None and param.low > 0
            and param.high is not None and not param.open_low and not param.open_high):
        return None
    try:  # the schema's own reading of a number, without its range
        number = read_value(replace(param, low=None, high=None), text)
    except ValueError:
        return None
    if number <= 0 or param.low <= number <= param.high:
        return None
    return float(param.high if number > param.high else param.low)


def write_value(value: Any) -> str:
    """The query text of a checked value: shortest round-trip floats, true/false, comma-joined tuples."""
    if isinstance(value, (tuple, list)):
        return ",".join(write_value(v) for v in value)
    if isinstance(value, bool) or type(value).__name__ == "bool_":
        return "true" if value else "false"
    if isinstance(value, int) or type(value).__name__.startswith("int"):
        return str(int(value))
    if isinstance(value, float) or type(value).__name__.startswith("float"):
        number = float(value)
        return str(int(number)) if number.is_integer() and abs(number) < 1e15 else repr(number)
    return str(value)


def shown(text: str) -> str:
    """A user-supplied value shortened for a notice (rendered as plain text, never as HTML)."""
    text = str(text)
    return text if len(text) <= 40 else text[:40] + "…"


# ----------------------------------------------------------------------------------------------------------
# Reading, with notices


class Reader:
    """Reads a query mapping section by section, collecting notices and the keys it used."""

    def __init__(self, query: Mapping[str, Any]) -> None:
        self.query = {str(k): (v[-1] if isinstance(v, (list, tuple)) and v else v) for k, v in query.items()}
        self.used: set[str] = set()
        self.notices: list[str] = []

    def text(self, key: str) -> str | None:
        if key not in self.query:
            return None
        self.used.add(key)
        return str(self.query[key])

    def value(self, param: Param, key: str, default: Any) -> Any:
        text = self.text(key)
        if text is None:
            return default
        try:
            return read_value(param, text)
        except ValueError as err:
            if (nearest := nearest_in_range(param, text)) is not None:
                side = "above the largest" if nearest == param.high else "below the smallest"
                self.notices.append(f"{key}={shown(text)} is {side} {param.name} this page takes; using "
                                    f"{write_value(nearest)}.")
                return nearest
            self.notices.append(f"Ignored {key}={shown(text)}: {shown_message(err)}. Using {write_value(default)}.")
            return default

    def number(self, key: str) -> tuple[str | None, float | None]:
        """The text under ``key`` and the finite number it spells (None when absent or not a number)."""
        text = self.text(key)
        try:
            number = float(text) if text is not None and len(text) <= MAX_TEXT else None
        except ValueError:
            number = None
        return text, number if number is not None and math.isfinite(number) else None

    def own(self, spec: tuple[Param, ...], ordered: tuple[str, str] | None = None) -> dict[str, Any]:
        """A page's own keys (one per ``Param`` of ``spec``, named as the parameter), defaults for bad values;
        with ``ordered`` = (low, high), both defaults when the link's low is not below its high."""
        values = {p.name: self.value(p, p.name, p.default) for p in spec}
        if ordered is not None and not values[ordered[0]] < values[ordered[1]]:
            defaults = {p.name: p.default for p in spec}
            self.notices.append(f"{ordered[0]} must be below {ordered[1]}; using "
                                f"{write_value(defaults[ordered[0]])} and {write_value(defaults[ordered[1]])}.")
            values.update({name: defaults[name] for name in ordered})
        return values

    def unknown(self, what: str = "Ignored unknown link parameter {}.") -> None:
        """A notice for each key of the query nothing read (``what`` formats the key)."""
        for key in sorted(set(self.query) - self.used):
            self.notices.append(what.format(shown(key)))

    def params(self, section: str, index: int, spec: tuple[Param, ...], table,
               defaults: dict) -> tuple[tuple[str, Any], ...]:
        """(name, value) for each parameter of ``spec``, read from its key in ``table`` (see ``key_table``)."""
        return tuple((p.name, self.value(p, table[(section, index, p.name)], defaults[p.name])) for p in spec)


def read_params(query: Mapping[str, Any], spec: tuple[Param, ...]) -> tuple[dict[str, Any], list[str]]:
    """A page whose address is only its own keys: their values (defaults for bad ones) and the notices,
    unknown keys included."""
    reader = Reader(query)
    values = reader.own(spec)
    reader.unknown()
    return values, reader.notices


def write_params(values: Mapping[str, Any], spec: tuple[Param, ...], always: tuple[str, ...] = ()) -> dict[str, str]:
    """The query of ``values`` for the keys of ``spec``: those in ``always``, and every other that differs from its
    default (so ``read_params(write_params(v, spec), spec) == (v, [])``)."""
    return {p.name: write_value(values[p.name]) for p in spec
            if p.name in always or values.get(p.name, p.default) != p.default}


def shown_message(err: Exception) -> str:
    """An error message shortened for a notice."""
    message = str(err)
    return message if len(message) <= 160 else message[:160] + "…"
