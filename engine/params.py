"""One schema for every tunable number: surfaces, optimizers and schedules declare their parameters as
``Param`` tuples, and the same tuple checks constructor arguments, URL query values and widget ranges.

A parameter is checked when a factory is called, and a bad value raises ``ValueError`` naming the
parameter, the value and the allowed range -- never an ``AssertionError`` or a NumPy warning.
Optimizer hyper-parameters may be 1-D arrays (one value per trajectory); every element is checked.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from typing import Any

import numpy as np

__all__ = ["MAX_WHOLE", "Factory", "Param", "lookup", "resolve"]

# The largest whole number any parameter takes (a step count, a seed, a milestone): it fits a C long and an
# int32, and its text stays short, so what a link sets can be written back into a link.
MAX_WHOLE = 2**31 - 1


@dataclass(frozen=True)
class Param:
    """A named parameter with its default and allowed range.

    kind: "float" | "int" | "bool" | "choice" | "ints" (a tuple of increasing non-negative ints, e.g.
    MultiStepLR's milestones) | "pair" (a tuple of two numbers, e.g. Adam's ``betas``: ``low``, ``high`` and
    ``array_ok`` apply to each, and a bad one is named ``betas[0]`` or ``betas[1]``).  ``low``/``high`` are
    inclusive unless ``open_low``/``open_high`` is set (then the value must be strictly above ``low``/below
    ``high``).  ``log`` tells a UI to use a log-scaled control.  ``array_ok`` allows a 1-D array of values
    (optimizer sweeps).
    """

    name: str
    default: Any
    low: float | None = None
    high: float | None = None
    kind: str = "float"
    choices: tuple = ()
    log: bool = False
    open_low: bool = False
    array_ok: bool = False
    help: str = ""
    open_high: bool = False

    def check(self, value: Any) -> Any:
        """Return ``value`` converted to this parameter's kind, or raise ValueError saying why not.  A
        parameter whose default is None (torch's "not set", e.g. CyclicLR's step_size_down) also takes None."""
        if value is None and self.default is None:
            return None
        if self.kind == "bool":
            if isinstance(value, (bool, np.bool_)):
                return bool(value)
            if isinstance(value, str) and value.lower() in ("true", "false", "1", "0"):
                return value.lower() in ("true", "1")
            if isinstance(value, (int, np.integer)) and value in (0, 1):
                return bool(value)
            raise ValueError(f"{self.name} must be true or false, got {value!r}")
        if self.kind == "choice":
            if value not in self.choices:
                raise ValueError(f"{self.name} must be one of {', '.join(map(str, self.choices))}; got {value!r}")
            return value
        if self.kind == "ints":
            return self._check_ints(value)
        if self.kind == "pair":
            return self._check_pair(value)
        if self.array_ok and isinstance(value, (np.ndarray, list, tuple)):
            arr = np.asarray(value, dtype=float)
            if arr.ndim != 1 or arr.size == 0:
                raise ValueError(f"{self.name} must be a number or a 1-D array of numbers")
            if not self._all_fine(arr):
                for v in arr:  # the first bad element raises, named as a single number would be
                    self._check_number(float(v))
            return arr
        return self._check_number(value)

    def _all_fine(self, arr: np.ndarray) -> bool:
        """Whether every element of a float array passes ``_check_number`` (one vectorized test: a sweep's
        arrays have thousands of elements)."""
        fine = np.isfinite(arr)
        if self.kind == "int":
            fine &= arr == np.round(arr)
        if self.low is not None:
            fine &= (arr > self.low) if self.open_low else (arr >= self.low)
        if self.high is not None:
            fine &= (arr < self.high) if self.open_high else (arr <= self.high)
        return bool(fine.all())

    def _check_number(self, value: Any) -> float | int:
        if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, float, np.integer, np.floating, str)):
            raise ValueError(f"{self.name} must be a number, got {value!r}")
        try:
            number = float(value)
        except ValueError:
            raise ValueError(f"{self.name} must be a number, got {value!r}") from None
        if not np.isfinite(number):
            raise ValueError(f"{self.name} must be a finite number, got {value!r}")
        if self.kind == "int":
            if number != int(number):
                raise ValueError(f"{self.name} must be a whole number, got {value!r}")
            if abs(number) > MAX_WHOLE:
                raise ValueError(f"{self.name} must be at most {MAX_WHOLE} in size, got {value!r}")
            number = int(number)
        if self.low is not None and (number < self.low or (self.open_low and number == self.low)):
            sign = ">" if self.open_low else ">="
            raise ValueError(f"{self.name} must be {sign} {self.low:g}, got {value!r}")
        if self.high is not None and (number > self.high or (self.open_high and number == self.high)):
            sign = "<" if self.open_high else "<="
            raise ValueError(f"{self.name} must be {sign} {self.high:g}, got {value!r}")
        return number

    def _check_pair(self, value: Any) -> tuple[Any, Any]:
        if isinstance(value, str):
            value = [v for v in value.replace(";", ",").split(",") if v.strip()]
        if not isinstance(value, (tuple, list, np.ndarray)) or getattr(value, "ndim", 1) == 0 or len(value) != 2:
            raise ValueError(f"{self.name} must be a pair of numbers, got {value!r}")
        return tuple(replace(self, name=f"{self.name}[{i}]", kind="float").check(v) for i, v in enumerate(value))

    def _check_ints(self, value: Any) -> tuple[int, ...]:
        if isinstance(value, str):
            value = [v for v in value.replace(";", ",").split(",") if v.strip()]
        try:
            items = tuple(int(float(v)) for v in value)
        except (TypeError, ValueError, OverflowError):  # OverflowError: inf
            raise ValueError(f"{self.name} must be a list of whole numbers, got {value!r}") from None
        if any(b <= a for a, b in zip(items, items[1:], strict=False)) or any(v < 0 for v in items):
            raise ValueError(f"{self.name} must be increasing non-negative whole numbers, got {value!r}")
        high = MAX_WHOLE if self.high is None else self.high
        if any(v > high for v in items):
            raise ValueError(f"{self.name} values must be <= {high:.10g}, got {value!r}")
        return items


def resolve(owner: str, spec: tuple[Param, ...], given: Mapping[str, Any]) -> dict[str, Any]:
    """Check ``given`` against ``spec`` and fill in defaults.

    Unknown names raise ValueError listing the accepted ones, so a typo never passes silently.
    """
    known = {p.name: p for p in spec}
    unknown = sorted(set(given) - set(known))
    if unknown:
        accepted = ", ".join(known) or "none"
        raise ValueError(f"{owner} has no parameter {', '.join(unknown)}; it accepts: {accepted}")
    return {name: (p.check(given[name]) if name in given else p.default) for name, p in known.items()}


@dataclass(frozen=True)
class Factory:
    """A registry entry: a slug, its display name, a one-line description, its parameter schema and the
    function that builds the object.

    Calling the factory checks the keyword arguments against ``params`` (defaults filled in) and passes
    them all to ``build``.  Surfaces, optimizers and schedules are all registered this way, so a new one
    is a small function plus one entry, never a new flag on an old one.

    The registries are the app's only table of names: a page, lesson or figure that shows an optimizer,
    schedule or surface to a reader writes ``engine.OPTIMIZERS[slug].title`` (``"Adam"``), and the slug
    (``"adam"``) is what URLs, configs and code use.  ``description`` is one sentence saying what the entry
    does; the ranges a control offers are the ``params``' ``low``/``high``.
    """

    kind: str
    slug: str
    params: tuple[Param, ...]
    build: Callable[..., Any]
    title: str = ""
    description: str = ""

    def __call__(self, **given: Any) -> Any:
        return self.build(**resolve(f"{self.kind} {self.slug!r}", self.params, given))

    def param(self, name: str) -> Param:
        """The schema entry called ``name`` (KeyError when there is none)."""
        for p in self.params:
            if p.name == name:
                return p
        raise KeyError(name)


def lookup(registry: Mapping[str, Factory], kind: str, slug: Any) -> Factory:
    """The factory registered as ``slug``, or ValueError listing the valid names."""
    if not isinstance(slug, str) or slug not in registry:
        raise ValueError(f"unknown {kind} {slug!r}; choose one of: {', '.join(registry)}")
    return registry[slug]
