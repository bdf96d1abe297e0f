"""Lessons at the settings a student can choose: a lesson's preset with some of its controls changed (as the
page's widgets change them), and everything the page would show rendered from the engine's facts."""

from __future__ import annotations

import re

from lessons import LESSONS
from lessons.base import Setup, fill
from lessons.common import setup_of
from lessons.controls import apply

__all__ = ["rendered", "setup_at", "shown"]

_NUMBER_WORDS = re.compile(r"\b(nan|inf)\b|\{\{|\[\[")


def setup_at(number: int, **values) -> Setup:
    """Lesson ``number``'s setup with each control of kind ``k`` set to ``values[k]`` (through the widget's
    own ``apply``, so a schedule brings the lesson's parameters with it)."""
    lesson = LESSONS[number - 1]
    config = lesson.preset_config()
    for control in lesson.controls:
        if control.kind in values:
            config = apply(config, control, values[control.kind])
    return setup_of(config)


def rendered(number: int, setup: Setup, reveal: bool = True) -> dict[str, str]:
    """Every template of the lesson filled with the facts of ``setup``: text, after, task prompt and success,
    extras' captions (``reveal``: the spoilers kept, as after the student has answered)."""
    lesson = LESSONS[number - 1]
    facts = lesson.facts(setup)
    parts = {"text": lesson.text, "after": lesson.after, "task": lesson.task.prompt, "success": lesson.task.success,
             **{f"caption{i}": e.caption for i, e in enumerate(lesson.extras)}}
    return {name: fill(template, facts, reveal) for name, template in parts.items()}


def shown(number: int, setup: Setup) -> str:
    """All the lesson's words for ``setup`` in one string, checked to hold no unfilled slot, NaN or inf."""
    words = " ".join(rendered(number, setup).values())
    bad = _NUMBER_WORDS.search(words)
    assert bad is None, (bad.group(0), words)
    return words
