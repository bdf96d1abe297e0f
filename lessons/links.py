"""A lesson's settings in its own address, so a lesson page is a shareable link like the Playground.

The address carries the lesson's controls that differ from its preset, one query key each, named as in the
Playground's links: ``lr``, a hyper-parameter's torch name, ``optimizer``, ``surface``, a surface
parameter's name, ``schedule``, ``noise``, ``steps``, ``seed``, ``x0`` and ``y0`` for a picked start; racer
``i > 1`` adds ``_i`` (``lr_2``, ``momentum_2``).  So ``/lesson-2?lr=1.1`` is lesson 2 with lr 1.1, and
the preset itself has no query.  A value the lesson does not offer, or a key it has no control for, is
left at the preset with a notice.  The keys follow the codec's rule (``lab.url_schema.racer_key``) and the query
is read with its ``Reader``.  Pure functions; ``views.widgets.lesson_controls`` reads and writes the address.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from lab.config import RunConfig
from lab.url_schema import Reader, racer_key, shown, write_value

from .base import Control
from .controls import current_value, label_of, options_for

__all__ = ["control_keys", "link_query", "read_link"]


def control_keys(control: Control) -> tuple[str, ...]:
    """The query keys of ``control``: ("x0", "y0") for the start, else one key (see the module docstring)."""
    if control.kind == "start":
        return ("x0", "y0")
    return (racer_key(control.name or control.kind, control.index),)


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


def _option(control: Control, current: Any, text: str, number: float | None) -> Any:
    """The option of ``control`` that ``text`` (spelling ``number``) names, or None."""
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
    reader = Reader(query)
    surface = preset.surface
    for i, control in enumerate(controls):
        read = [reader.number(k) for k in control_keys(control)]
        texts = [text for text, _ in read]
        if all(t is None for t in texts):
            continue
        if control.kind == "start":
            point = [number for _, number in read]
            if all(p is not None and lo <= p <= hi for p, (lo, hi) in zip(point, view(surface), strict=True)):
                values[i] = (surface, *point)
            else:
                reader.notices.append(f"The start ({', '.join(shown(t) for t in texts)}) is not a point of this "
                                      "map; the lesson's start is kept.")
            continue
        current = current_value(preset, control)
        option = _option(control, current, *read[0])
        if option is None:
            reader.notices.append(f"{control.label} = {shown(texts[0])} is not one of this lesson's choices; "
                                  f"it shows {label_of(control, current)}.")
        else:
            values[i] = option
            surface = option if control.kind == "surface" else surface
    reader.unknown("This lesson has no control for {} (the Playground takes any setting).")
    return values, reader.notices
