"""A lesson's settings in its own address, so a lesson page is a shareable link like the Playground.

The address carries the lesson's controls that differ from its preset, one query key each, named as in the
Playground's links: ``lr``, a hyper-parameter's torch name, ``optimizer``, ``surface``, a surface
parameter's name, ``schedule``, ``noise``, ``steps``, ``seed``, ``x0`` and ``y0`` for a picked start; racer
``i > 1`` adds ``_i`` (``lr_2``, ``momentum_2``).  So ``/lesson-2?lr=1.1`` is lesson 2 with lr 1.1, and
the preset itself has no query.  A value the lesson does not offer, or a key it has no control for, is
left at the preset with a notice.  Pure functions; ``views.widgets.lesson_page`` reads and writes the address.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from typing import Any

from lab.config import RunConfig
from lab.url_schema import shown, write_value

from .base import Control
from .controls import current_value, label_of, options_for

__all__ = ["control_keys", "link_query", "read_link"]


def control_keys(control: Control) -> tuple[str, ...]:
    """The query keys of ``control``: ("x0", "y0") for the start, else one key (see the module docstring)."""
    if control.kind == "start":
        return ("x0", "y0")
    base = control.name or control.kind
    return (base if control.index == 0 else f"{base}_{control.index + 1}",)


def link_query(controls: tuple[Control, ...], preset: RunConfig, config: RunConfig) -> dict[str, str]:
    """The query of a lesson page showing ``config``: each control whose value differs from ``preset``'s."""
    query = {}
    for control in controls:
        if control.kind == "start":
            if config.start != preset.start:
                query.update(x0=write_value(config.x0), y0=write_value(config.y0))
            continue
        value = current_value(config, control)
        if value != current_value(preset, control):
            query[control_keys(control)[0]] = write_value(value)
    return query


def _number(text: str) -> float | None:
    try:
        number = float(text)
    except ValueError:
        return None
    return number if math.isfinite(number) else None


def _option(control: Control, current: Any, text: str) -> Any:
    """The option of ``control`` that ``text`` names, or None."""
    number = _number(text)
    for option in options_for(control, current, number if control.kind == "lr" else None):
        if write_value(option) == text or (isinstance(option, float) and option == number):
            return option
    return None


def read_link(controls: tuple[Control, ...], preset: RunConfig, query: Mapping[str, str],
              view: Callable[[str], tuple]) -> tuple[dict[int, Any], list[str]]:
    """The values a lesson page's ``query`` asks for, by the control's position in ``controls``, and a notice
    for each part of it not used.

    A start (x0, y0) must lie in ``view(surface)`` ((xmin, xmax), (ymin, ymax)) of the surface in use; its value
    is (surface, x0, y0), as a click on the map stores it (``controls.pick_start``)."""
    values: dict[int, Any] = {}
    notices = []
    used = set()
    surface = preset.surface
    for i, control in enumerate(controls):
        keys = control_keys(control)
        texts = [query.get(k) for k in keys]
        if all(t is None for t in texts):
            continue
        used.update(keys)
        if control.kind == "start":
            point = [_number(t) if t is not None else None for t in texts]
            if all(p is not None and lo <= p <= hi for p, (lo, hi) in zip(point, view(surface), strict=True)):
                values[i] = (surface, *point)
            else:
                notices.append(f"The start ({', '.join(shown(t) for t in texts)}) is not a point of this map; "
                               "the lesson's start is kept.")
            continue
        current = current_value(preset, control)
        option = _option(control, current, texts[0])
        if option is None:
            notices.append(f"{control.label} = {shown(texts[0])} is not one of this lesson's choices; "
                           f"it shows {label_of(control, current)}.")
        else:
            values[i] = option
            surface = option if control.kind == "surface" else surface
    for key in sorted(set(query) - used):
        notices.append(f"This lesson has no control for {shown(key)} (the Playground takes any setting).")
    return values, notices
