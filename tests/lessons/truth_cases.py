"""What the truth test (test_truth.py) reads and how it judges it.

Settings: a lesson's preset, and each control moved alone to each of its options (a learning rate to the
ends of its slider and to the grid values nearest 0.5/L, 1.5/L and 2.5/L at the preset's start, where L > 0;
a start to a point up and to the left of the view's centre), built as the page builds them
(``views.widgets.lesson_controls.apply``, ``views.widgets.lesson_page.setup_of``).

Texts: everything the page fills from facts (text, after, formulas, task prompt, task success where the
task is met, extras' captions), the question (the page builds it at the preset), each scene's caption and
each claim's reason, each with the runs it may speak about: the setup's runs and those the lesson code
noted while writing it (``lessons.outcome_words.stating``); a scene caption: its query's runs only.

Judgement of one text (``problems``):
(a) every phrase of the engine's outcome words (``PHRASE``) is the words of one of those runs; "converges
    in N steps" in prose names a run that converged in N steps; a bare outcome verb (diverges, blows up,
    converges, oscillates, stalls, still moving) holds for one of the runs (negated: fails for one),
    unless its sentence is a general rule listed in ``RULES``;
(b) (``typed_numbers``) a template has no digit outside its {{slots}} but the math in ``MATH``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np

import engine
from engine import theory
from lab.config import RunConfig, clicked_start
from lessons.base import Lesson, fill
from lessons.common import setup_of
from lessons.controls import apply, current_value, options_for
from lessons.outcome_words import PHRASE, stating

__all__ = ["MATH", "RULES", "Text", "lesson_texts", "problems", "question_texts", "settings", "typed_numbers"]

LR_MULTIPLES = (0.5, 1.5, 2.5)  # learning rates tried, as multiples of 1/L: below 1/L, in (1/L, 2/L), above 2/L

# Sentences whose outcome verbs are not about a run on the page, each read and found true where it is shown:
# general rules with their condition (gradient descent or heavy ball on a quadratic), goals and legends.
RULES = (
    "every overshoot is bigger than the last, and it diverges",  # lesson 2, α > 2/L on the bowl
    "it overshoots and zigzags, but still converges",  # lesson 2, 1/L < α < 2/L
    "but the steep direction blows up long before that",  # lesson 3, α between 2/L and 2/μ
    "oscillations set the stability bound",  # lesson 4: αλ = 2 + 2β is where an eigenvalue reaches −1
    "the heavy ball diverges",  # lesson 4, beyond 2(1 + β)/L
    "what is the largest α that still converges",  # lesson 4's question
    "Heavy ball converges iff",  # lesson 4: 0 < αλ < 2 + 2β (Polyak; REFERENCE.md)
    "it can still overshoot and oscillate around the minimum",  # lesson 5, Adam at a large α (hedged)
    "Pick a schedule that makes this same base lr converge",  # lesson 6's task: a goal
    "starts that diverge or end away from every known minimum",  # lesson 7's basin legend
    "It converges more slowly *to* the ball",  # lesson 8: a smaller α contracts by 1 − αL per step
    "choose a learning rate that converges within",  # lesson 9's task: a goal
    "the loss is about to blow up",  # lesson 9's question, about the preset's range test (it does blow up)
    "a constant lr below 2/L converges exactly anyway",  # the decay claim, without noise on the bowl
    "Above 2/L it diverges",  # lesson 10: gradient descent on the regression surface, a quadratic
    "diverges whatever the batch size",  # lesson 11: SGD on the regression surface (a quadratic) past 2/λmax
    "GD cannot converge where",  # lesson 12's formula: no minimum with λmax > 2/α is stable (REFERENCE.md)
    "But it need not diverge either",  # lesson 12, the edge of stability: a possibility, shown by its scenes
)
# Digits a template may contain: math, names and the task's own tolerances, not numbers about a run.
MATH = re.compile(r"[12]/L|2/λᵢ|2/\(L \+ μ\)|\(κ [−-] 1\)/\(κ \+ 1\)|2\(1 \+ β\)|1 [−-] α(?:L|μ|λᵢ)|σ > 0|"
                  r"L = 2s|β[₁₂]|2/λmax|2/α|[Aa]t step 1\b|\b1 [−-] |starting at 0\b|\bL2\b|\(λ/2\)|45°|1/√|"
                  r"from \(0, 0\)|2·I|α = 1\b|"
                  r"2·\[ \[mean x², mean x\], \[mean x, 1\] \]|[Ll]esson \d+|\b20[12]\d\)|2-cycle|"
                  r"greater than 1\b|The number 1\b|within 10% of the limit|Goh 2017|[Rr]acer 2|1cycle|minimum/10")

_VERBS = (  # (pattern, holds(run facts)): bare outcome verbs and what they claim
    (r"diverg\w*|blows? up|blew up", lambda o: o.status == "diverged"),
    (r"converging", lambda o: o.status == "converged" or (o.status == "running" and o.contraction < 1)),
    (r"converge[sd]?", lambda o: o.status == "converged"),
    (r"oscillat\w*", lambda o: o.status == "oscillating"),
    (r"stall\w*", lambda o: o.status == "stalled"),
    (r"still moving", lambda o: o.status == "running"),
)
_NEGATION = re.compile(r"(?:\bnot|\bnever|n't|\bwithout|\bno|\btoo \w+ to)\W+(?:\w+\W+){0,2}$")
_PROSE_STEPS = re.compile(r"\bconverges? (?:[^.;:]{0,40}?)\bin \**(\d+)\**\s+steps?")
_SENTENCE = re.compile(r"(?<=[.!?:;])\s+|\n+")


@dataclass(frozen=True)
class Text:
    """One text as the page shows it, where it comes from, and the runs it may speak about."""

    where: str
    text: str
    runs: tuple[engine.Run, ...]


def _nearest(grid: tuple[float, ...], target: float) -> float:
    return min(grid, key=lambda v: abs(np.log(v / target)))


def _values(control, preset: RunConfig) -> tuple:
    if control.kind == "start":
        (x0, x1), (y0, y1) = engine.surface(preset.surface, **dict(preset.surface_params)).bounds
        return (clicked_start(x0 + 0.3 * (x1 - x0), y0 + 0.7 * (y1 - y0)),)
    grid = options_for(control, current_value(preset, control))
    if control.kind != "lr":
        return grid
    L = theory.curvature(setup_of(preset).surface, np.array(preset.start)).L
    targets = (grid[0], grid[-1], *((m / L for m in LR_MULTIPLES) if L > 0 else ()))
    return tuple(dict.fromkeys(_nearest(grid, t) for t in targets))


def settings(lesson: Lesson) -> Iterator[tuple[str, RunConfig]]:
    """("preset", preset) and ("<control> = <value>", config) for each control moved alone (module doc)."""
    preset = lesson.preset_config()
    yield "preset", preset
    for control in lesson.controls:
        for value in _values(control, preset):
            config = apply(preset, control, value)
            if config != preset:
                yield f"{control.kind}{control.index}{control.name} = {value}", config


def lesson_texts(lesson: Lesson, name: str, config: RunConfig) -> list[Text]:
    """What the page fills from the lesson's facts at ``config`` (spoilers shown), with the runs behind it."""
    setup = setup_of(config)
    with stating() as used:
        facts = lesson.facts(setup)
        done = bool(lesson.task.done(setup))
    runs = (*setup.runs, *used)
    parts = [("text", lesson.text), ("after", lesson.after), ("task", lesson.task.prompt),
             *((f"latex{i}", f) for i, f in enumerate(lesson.latex)),
             *(("success", lesson.task.success) for _ in range(done)),
             *((f"extra{i}", e.caption) for i, e in enumerate(lesson.extras))]
    return [Text(f"{name}: {part}", fill(template, facts), runs) for part, template in parts]


def question_texts(lesson: Lesson) -> list[Text]:
    setup = setup_of(lesson.preset_config())
    with stating() as used:
        question = lesson.question(setup)
    runs = (*setup.runs, *used)
    return [Text("question", question.prompt, runs),
            *(Text(f"why of {a.text!r}", a.why, runs) for a in question.answers)]


def _words(runs) -> list[str]:
    return [run.outcome(i, brief) for run in runs for i in range(run.status.size) for brief in (False, True)]


def problems(text: Text) -> list[str]:
    """What in ``text`` no run of it bears out (module doc, (a))."""
    found = []
    words = _words(text.runs)
    facts = [run.facts(i) for run in text.runs for i in range(run.status.size)]
    for match in PHRASE.finditer(text.text):
        phrase = re.compile(re.escape(match.group()) + r"(?![\d.])")
        if not any(phrase.search(w) for w in words):
            found.append(f"{text.where}: {match.group()!r} is not what any of its runs did ({'; '.join(words[::2])})")
    for match in _PROSE_STEPS.finditer(text.text):
        if not any(o.status == "converged" and o.stopped_at == int(match.group(1)) for o in facts):
            found.append(f"{text.where}: {match.group()!r}: no run converged in {match.group(1)} steps")
    for sentence in _SENTENCE.split(PHRASE.sub("", text.text)):
        if any(rule in sentence for rule in RULES):
            continue
        for verb, holds in _VERBS:
            for match in re.finditer(rf"\b(?:{verb})\b", sentence, re.IGNORECASE):
                negated = bool(_NEGATION.search(sentence[: match.start()]))
                if not any(holds(o) != negated for o in facts):
                    found.append(f"{text.where}: {sentence.strip()!r}: no run "
                                 f"{'fails to' if negated else 'does'} {match.group()!r}")
    return found


def typed_numbers(lesson: Lesson) -> list[str]:
    """(b): each template sentence with a digit that is neither in a {{slot}} nor in ``MATH``."""
    templates = [lesson.text, lesson.after, lesson.task.prompt, lesson.task.success,
                 *(e.caption for e in lesson.extras)]
    slots = re.compile(r"\{\{\w+\}\}")
    return [sentence.strip() for template in templates for sentence in _SENTENCE.split(template)
            if re.search(r"\d", MATH.sub("", slots.sub("", sentence)))]
