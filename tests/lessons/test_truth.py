"""The truth test (issue 13, section 2): every lesson, scene and claim, at its preset and at other settings
of its controls, says only what the engine's runs did, and its templates type no number about a run.  The
settings, the texts and the rules are in ``truth_cases``.
"""

import numpy as np
import pytest

import engine
from engine import theory
from lab.runs import make_config, run_of
from lessons import LESSONS
from lessons.base import preset_config
from lessons.claims import CLAIMS
from lessons.common import predicate, scene_runs, setup_of
from lessons.outcome_words import PHRASE, hide_outcomes, stating
from tests.lessons.truth_cases import Text, lesson_texts, problems, question_texts, settings, typed_numbers

LESSON_IDS = [f"lesson{lesson.number}" for lesson in LESSONS]


def _report(found: list[str]) -> str:
    return "\n".join(dict.fromkeys(found))


@pytest.mark.parametrize("lesson", LESSONS, ids=LESSON_IDS)
def test_a_lessons_text_says_what_its_runs_do_at_every_setting(lesson):
    found = [p for name, config in settings(lesson) for text in lesson_texts(lesson, name, config)
             for p in problems(text)]
    assert not found, _report(found)


@pytest.mark.parametrize("lesson", LESSONS, ids=LESSON_IDS)
def test_a_lessons_question_says_what_the_presets_runs_do(lesson):
    found = [p for text in question_texts(lesson) for p in problems(text)]
    assert not found, _report(found)


@pytest.mark.parametrize("lesson", LESSONS, ids=LESSON_IDS)
def test_each_scene_caption_says_what_its_querys_runs_do(lesson):
    found = [p for k, (caption, query) in enumerate(lesson.scenes)
             for p in problems(Text(f"scene {k + 1}", caption, scene_runs(query)))]
    assert not found, _report(found)


@pytest.mark.parametrize("lesson", LESSONS, ids=LESSON_IDS)
def test_a_lessons_templates_type_no_number_about_a_run(lesson):
    assert not typed_numbers(lesson)


@pytest.mark.parametrize("claim", CLAIMS, ids=[c.slug for c in CLAIMS])
def test_a_claims_reason_says_what_its_experiments_runs_do(claim):
    setups = tuple(setup_of(preset_config(query)) for _, query in claim.presets)
    with stating() as used:
        finding = claim.judge(setups)
    reason = f"{finding.where_it_holds} {finding.where_it_fails}"
    found = problems(Text(f"claim {claim.slug}", reason, (*(r for s in setups for r in s.runs), *used)))
    assert not found, _report(found)


# The judge itself: each rule catches what it is for.

def _bowl_run(lr: float) -> engine.Run:
    return run_of(make_config("bowl", "sgd", (1.5, -1.0), 300, lr=lr))


def test_the_judge_refuses_outcome_words_no_run_bears_out():
    converged, diverged = _bowl_run(0.2), _bowl_run(1.1)
    n = int(converged.stopped_at[0])
    assert not problems(Text("ok", f"the path {predicate(converged)}; it does not diverge", (converged,)))
    assert not problems(Text("ok", f"it converges here in **{n}** steps.", (converged,)))
    assert problems(Text("typed", f"the path converged in {n + 4} steps.", (converged,)))
    assert problems(Text("other run", f"the path {predicate(diverged)}.", (converged,)))
    assert problems(Text("prose", f"it converges here in **{n + 4}** steps.", (converged,)))
    assert problems(Text("bare verb", "so any α here diverges.", (converged,)))
    assert problems(Text("negated", "it never converges.", (converged,)))
    assert not problems(Text("bare verb", "so any α here diverges.", (converged, diverged)))


def test_the_judge_refuses_typed_numbers_but_not_math():
    lesson = LESSONS[1]
    assert not typed_numbers(lesson)
    typed = type(lesson)(**{**lesson.__dict__, "after": "α = 1/L and 2/L. It converged in 118 steps."})
    assert typed_numbers(typed) == ["It converged in 118 steps."]


def test_the_settings_reach_every_regime_of_a_learning_rate_slider():
    lesson = LESSONS[1]  # lesson 2: the bowl, one lr slider
    L = theory.curvature(engine.surface("bowl"), np.array([1.5, -1.0])).L
    lrs = [config.optimizers[0].lr for name, config in settings(lesson) if name.startswith(("lr", "preset"))]
    assert min(lrs) < 1 / L < max(lrs) and any(1 / L < lr < 2 / L for lr in lrs) and max(lrs) > 2 / L


def test_a_prediction_page_hides_each_fact_that_states_an_outcome():
    run = _bowl_run(0.75)
    shown = hide_outcomes({"lr": "0.75", "outcome": predicate(run), "regime": "zigzags"})
    assert shown["lr"] == "0.75" and shown["regime"] == "zigzags"
    assert not PHRASE.search(shown["outcome"])
