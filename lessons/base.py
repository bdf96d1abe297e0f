"""What a lesson is made of: a preset, the controls that matter, text, figures, a task and a check question.

A lesson module is content only: it builds one ``Lesson`` and never imports streamlit.  The generic
renderer (``views.widgets.lesson_page``) turns it into a page.  Every number a lesson states is computed from the
engine: text and task prompts are templates (``{{name}}`` slots) filled by ``facts(setup)``, question texts by
``question(setup)``, both from live engine results, so nothing in the words can drift from the figures.

Words that would give away the answer to the lesson's question are wrapped in ``[[...]]``: ``fill`` drops
them until the student has answered (``reveal=False``) and keeps their content after.

A lesson's scenes (``scenes``, for the presenter) are its story in order: pairs of (one-line caption, preset
query), built on first use by ``make_scenes`` from engine results like the texts.

A preset is the Playground's own URL query (``lab.config.parse_query`` reads it), so "Open in Playground"
carries a lesson's setup as it stands, and a lesson preset is nothing but a link.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import engine
from lab.config import RunConfig, parse_query
from lab.figures_base import Figure, Trace
from lab.tool_open import TOOL_PATHS, tool_address

__all__ = ["Answer", "Control", "Extra", "Lesson", "Question", "SceneList", "Setup", "Task", "ToolLink", "fill",
           "preset_config"]

_SLOT = re.compile(r"\{\{(\w+)\}\}")
_SPOILER = re.compile(r"\[\[(.*?)\]\]", re.DOTALL)

SceneList = tuple[tuple[str, Mapping[str, str]], ...]


def fill(template: str, facts: Mapping[str, str], reveal: bool = True) -> str:
    """``template`` with each ``{{name}}`` replaced by ``facts[name]`` (KeyError for a missing fact), and each
    ``[[spoiler]]`` kept (``reveal``) or dropped (before the student has answered the question).

    Double braces, so Markdown math (``$\\frac{1}{L}$``) and LaTeX keep their single braces."""
    shown = _SPOILER.sub(lambda m: m.group(1) if reveal else "", template)
    return _SLOT.sub(lambda m: str(facts[m.group(1)]), shown).strip()


@dataclass(frozen=True, eq=False)
class Setup:
    """What the page computed for the current config: the surface and one Run per racer."""

    config: RunConfig
    surface: engine.Surface
    runs: tuple[engine.Run, ...]

    @property
    def run(self) -> engine.Run:
        return self.runs[0]

    @property
    def lr(self) -> float:
        return self.config.optimizers[0].lr


@dataclass(frozen=True)
class Answer:
    """One choice of a check question; ``why`` is shown whichever answer is picked."""

    text: str
    correct: bool
    why: str


RIGHT_ANSWER_STRIDE = 7  # the right answer's place moves by this many (mod n) from one lesson to the next


@dataclass(frozen=True)
class Question:
    prompt: str
    answers: tuple[Answer, ...]

    def __post_init__(self) -> None:
        if sum(a.correct for a in self.answers) != 1:
            raise ValueError(f"a question needs exactly one correct answer: {self.prompt!r}")

    def shown(self, lesson_number: int) -> tuple[Answer, ...]:
        """The answers in the order a page offers them: rotated so the right one sits at place
        ``RIGHT_ANSWER_STRIDE * lesson_number`` (mod the number of answers), which moves from lesson to
        lesson, so the right answer is never always first."""
        n = len(self.answers)
        right = next(i for i, a in enumerate(self.answers) if a.correct)
        shift = (right - lesson_number * RIGHT_ANSWER_STRIDE) % n
        return self.answers[shift:] + self.answers[:shift]


@dataclass(frozen=True)
class Task:
    """A "try this": ``prompt`` (a template filled by the lesson's facts) and ``done(setup)``, which
    recognises it from the engine's Run; ``success`` is shown when it holds."""

    prompt: str
    done: Callable[[Setup], bool]
    success: str


@dataclass(frozen=True)
class Control:
    """A widget that edits the config.

    kind: "lr" (log learning-rate slider of racer ``index``), "hyper" (hyper-parameter ``name`` of racer
    ``index``, values from ``options``), "optimizer" (racer ``index``'s optimizer, one of ``options``),
    "surface" (one of the slugs in ``options``), "surface_param" (surface parameter ``name``, one of
    ``options``), "schedule" (one of ``options``, each with the parameters in ``schedules``), "start"
    (x0/y0 sliders), "noise", "steps", "seed", "batch" (mini-batch size; values from ``options``).
    """

    kind: str
    label: str
    name: str = ""
    index: int = 0
    options: tuple = ()
    schedules: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    # what an option means in this lesson, where that says more than the registry's title (lesson 12's
    # "no warm-up"); options without one are labelled with engine.OPTIMIZERS/SCHEDULES/SURFACES[slug].title
    names: Mapping[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        kinds = ("lr", "hyper", "optimizer", "surface", "surface_param", "schedule", "start", "noise", "steps",
                 "seed", "batch")
        if self.kind not in kinds:
            raise ValueError(f"unknown control kind {self.kind!r}; choose one of {', '.join(kinds)}")


@dataclass(frozen=True)
class Extra:
    """A lesson-specific figure built from the setup (pure Plotly), with a caption template."""

    title: str
    build: Callable[[Setup], Figure]
    caption: str = ""


@dataclass(frozen=True)
class ToolLink:
    """An "Open in <tool>" link of a lesson: the tool's page (``lab.tool_open.TOOL_PATHS``: "stability-map",
    "basins", "lr-finder", "race") on the lesson's setup as it stands, with its racer ``racer`` (a tool runs
    one optimizer) and the tool's own values ``own`` (e.g. ``{"axis": "curvature"}``)."""

    tool: str
    racer: int = 0
    own: Mapping[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.tool not in TOOL_PATHS:
            raise ValueError(f"unknown tool {self.tool!r}; the tools are {', '.join(TOOL_PATHS)}")

    def address(self, config: RunConfig) -> str:
        """The link (relative to the app) that opens the tool on ``config``."""
        return tool_address(self.tool, config, self.racer, self.own)


@dataclass(frozen=True)
class Lesson:
    """One lesson; see the module docstring.  ``charts``: which of the Playground's charts to show beside
    the map ("loss", "lr", "stability").  ``predict``: ask the question above the figures (a prediction; the
outcome box waits for the answer).
    ``marks(setup)``: extra points drawn on the Playground's map (e.g. lesson 10's validation optimum).
    ``tools``: the tools that take the lesson further, each an "Open in <tool>" link on the lesson's setup."""

    number: int
    slug: str
    title: str
    goal: str
    preset: Mapping[str, str]
    controls: tuple[Control, ...]
    text: str
    task: Task
    question: Callable[[Setup], Question]
    facts: Callable[[Setup], Mapping[str, str]] = lambda setup: {}
    latex: tuple[str, ...] = ()
    charts: tuple[str, ...] = ("loss",)
    extras: tuple[Extra, ...] = ()
    predict: bool = False
    after: str = ""
    marks: Callable[[Setup], tuple[Trace, ...]] = lambda setup: ()
    make_scenes: Callable[[], SceneList] = lambda: ()
    tools: tuple[ToolLink, ...] = ()

    @property
    def scenes(self) -> SceneList:
        """The presenter's scenes, in order: (one-line caption, preset query) pairs."""
        return tuple(self.make_scenes())

    @property
    def page(self) -> str:
        """The page file that shows this lesson."""
        return f"views/lesson_{self.number:02d}.py"

    @property
    def url_path(self) -> str:
        return f"lesson-{self.number}"

    def preset_config(self) -> RunConfig:
        return preset_config(self.preset)


def preset_config(query: Mapping[str, str]) -> RunConfig:
    """The RunConfig of a preset query; a preset the schema refuses is a bug, so it raises."""
    config, notices = parse_query(dict(query))
    if notices:
        raise ValueError(f"preset {dict(query)} is not valid: {'; '.join(notices)}")
    return config
