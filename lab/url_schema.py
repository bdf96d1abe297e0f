"""The Playground's URL vocabulary: which query key holds which parameter, and how values are written as text.

``key_table`` lays out the keys (``lab.config.parse_query`` and ``to_query`` use it to read and write a
``RunConfig``):

* ``surface`` (a slug or ``custom`` with the expression in ``f``), then the surface's parameters by name;
* ``optimizer``: one to four comma-separated names, raced from the same start.  The first optimizer's
  hyper-parameters use their torch names (``lr``, ``momentum``, ``betas=0.9,0.999``); the k-th one's carry
  the suffix ``_k`` (``lr_2``, ``betas_2``);
* ``schedule`` and its torch-named parameters (a name another section already uses gets the prefix
  ``schedule_``, e.g. ReduceLROnPlateau's ``eps`` next to Adam's becomes ``schedule_eps``);
* ``steps``, ``x0``, ``y0``, ``noise``, ``seed``, ``batch`` (mini-batch size, regression only).

``read_value`` and ``write_value`` turn one value into text and back (the engine's ``Param`` does the
checking); a ``Reader`` reads a query key by key, turning every bad value into its default and a plain-text
notice.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import engine
from engine.expressions import MAX_LENGTH
from engine.params import Param

__all__ = ["MAX_TEXT", "Reader", "key_table", "read_value", "shown", "shown_message", "write_value"]

MAX_TEXT = MAX_LENGTH  # longest query value read (the longest is a typed f); longer ones are refused unparsed
_RESERVED = ("surface", "f", "optimizer", "schedule", "steps", "x0", "y0", "noise", "seed", "batch")


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
            claim("optimizer", i, p.name, p.name if i == 0 else f"{p.name}_{i + 1}")
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
            self.notices.append(f"Ignored {key}={shown(text)}: {shown_message(err)}. Using {write_value(default)}.")
            return default

    def params(self, section: str, index: int, spec: tuple[Param, ...], table,
               defaults: dict) -> tuple[tuple[str, Any], ...]:
        """(name, value) for each parameter of ``spec``, read from its key in ``table`` (see ``key_table``)."""
        return tuple((p.name, self.value(p, table[(section, index, p.name)], defaults[p.name])) for p in spec)


def shown_message(err: Exception) -> str:
    """An error message shortened for a notice."""
    message = str(err)
    return message if len(message) <= 160 else message[:160] + "…"
