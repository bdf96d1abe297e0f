"""Lessons 6–8 say what the engine does, at the preset and at the other settings their controls offer: every
outcome word and number in their text is checked against the run on screen (issue 13, section 2)."""

import numpy as np
import pytest

import engine
from lab.runs import make_config, run_of
from lessons import LESSONS, lesson_06, lesson_07, lesson_08
from lessons.base import fill
from lessons.common import predicate, rounded
from tests.lessons.lesson_settings import rendered, setup_at, shown

# ---------------------------------------------------------------- lesson 6: schedules


@pytest.mark.parametrize("lr", [0.01, 0.1, 0.24, 0.5])
@pytest.mark.parametrize("schedule", list(lesson_06.SCHEDULES))
def test_lesson6_words_follow_the_run_at_every_schedule(schedule, lr):
    setup = setup_at(6, schedule=schedule, lr=lr)
    words, run = shown(6, setup), setup.run
    assert predicate(run) in words
    taken = lesson_06.lrs_run(run)  # recounted here from the run's own lrs: lrs[k] is the lr of step k + 1
    above = np.flatnonzero(taken > 0.2)  # 2/L = 2/10 on the tilted quadratic (λ = 10, 1)
    assert f"above 2/L in {above.size} of them" in words or (not above.size and "below 2/L throughout" in words)
    if above.size and above[-1] + 1 < taken.size:
        assert f"below it from step {above[-1] + 2} on" in words
    assert "calms down exactly" not in words  # the old claim, false for a lr that never exceeds 2/L
    if run.status[0] == "stalled":  # the flat direction's factors predict where it stalls
        assert f"stalls {rounded(run.facts(0).distance)} from the minimum" in words


@pytest.mark.parametrize("schedule", [name for name in lesson_06.SCHEDULES if name != "constant"])
def test_lesson6_words_before_the_prediction_do_not_give_the_outcome_away(schedule):
    setup = setup_at(6, schedule=schedule)  # a student who tries a schedule before answering
    hidden = rendered(6, setup, reveal=False)
    outcome = setup.run.facts(0).status_words(brief=True)
    assert outcome not in hidden["text"] and outcome not in hidden["after"]
    assert "left the view" not in hidden["after"] and outcome in rendered(6, setup)["after"]


def test_lesson6_step_decay_leaves_comes_back_and_stalls_by_hand():
    # λ = 10 at 30°, λ = 1 across; start (−1.5, 1): steep error −0.799, flat error 1.616.  Ten steps at 0.24 grow the
    # steep error ×|1 − 2.4| = 1.4 per step (to 23), step 11 has lr 0.12 < 2/L; along the flat direction the factors
    # (1 − 0.24·2⁻ᵏ)¹⁰ multiply to 0.00526, so 1.616 × 0.00526 = 0.0085 is left when the lr has run out.
    caption = LESSONS[5].scenes[1][0]
    assert "lr < 2/L from step 11" in caption and "out of view steps 4–11" in caption and "stalled 0.0085" in caption
    flat = np.prod([(1 - 0.24 * 0.5**k) ** 10 for k in range(30)])
    assert 1.616 * flat == pytest.approx(0.0085, abs=5e-5)
    setup = setup_at(6, schedule="step")
    assert "leaves 0.0085 of the start's 1.62" in shown(6, setup)
    linear = LESSONS[5].scenes[3][0]  # step 4's lr is 0.24·(1 − 3·0.07) = 0.19 < 0.2, step 3's 0.206
    assert linear.startswith("Linear to 0.3× by step 10: lr < 2/L from step 4;")


def test_lesson6_question_reasons_state_each_candidates_lr_steps():
    question = LESSONS[5].question(setup_at(6))
    why = {a.text.split(" ")[0]: a.why for a in question.answers}
    assert "diverged at step 10" in question.prompt  # from the engine, not typed
    assert "below 2/L from step 4" in why["Linear"] and "below 2/L from step 11" in why["Step"]
    assert "above 2/L up to step 81" in why["Cosine"]


# ---------------------------------------------------------------- lesson 7: saddles and minima


@pytest.mark.parametrize("optimizer", ["sgd", "momentum"])
@pytest.mark.parametrize("lr", [0.001, 0.01, 0.1])
@pytest.mark.parametrize("surface", lesson_07.SURFACES)
def test_lesson7_where_the_path_ends_follows_the_run(surface, lr, optimizer):
    setup = setup_at(7, surface=surface, lr=lr, optimizer=optimizer)
    words, run = shown(7, setup), setup.run
    assert predicate(run) in words and "no known minimum" not in words.split("Now it ends")[0]
    hit = lesson_07._reached(setup.surface, run)
    if hit is not None:
        m = setup.surface.minima[hit]
        assert f"at the minimum ({rounded(m[0])}, {rounded(m[1])})" in words
    elif run.status[0] != "diverged" and len(setup.surface.minima):
        assert f"{rounded(run.facts(0).distance)} from the nearest known minimum" in words


def test_lesson7_saddle_answer_numbers_come_from_its_run():
    why = [a.why for a in LESSONS[6].question(setup_at(7)).answers if a.text.startswith("It oscillates")][0]
    lr = float(lesson_07.SADDLE["lr"])
    assert f"α = {rounded(lr)}" in why and f"1 − 2α = {rounded(1 - 2 * lr)}" in why


# ---------------------------------------------------------------- lesson 8: the noise ball


def test_lesson8_per_direction_variance_by_hand():
    # REFERENCE.md: Varᵢ = α σ² / (λᵢ (2 − αλᵢ)).  α = 0.1, σ = 1, λ = (1, 10): 0.1/1.9 = 0.052632 and 0.1/10 = 0.01,
    # radius √0.062632 = 0.25026 (the isotropic formula with L = 10 would say √(0.2/10) = 0.1414).
    np.testing.assert_allclose(lesson_08.direction_variances(0.1, 1.0, [1.0, 10.0]), [0.1 / 1.9, 0.01])
    assert lesson_08.ball_radius(0.1, 1.0, [1.0, 10.0]) == pytest.approx(0.25026, abs=1e-5)
    assert lesson_08.ball_radius(0.2, 1.0, [2.0, 2.0]) == pytest.approx(np.sqrt(0.125))  # the bowl: 2ασ²/(L(2 − αL))


def test_lesson8_formula_matches_a_long_noisy_run_on_a_valley():
    valley = engine.surface("quadratic")  # λ = 10 and 1: the ball is an ellipse, widest along the flat direction
    run = run_of(make_config("quadratic", "sgd", (0.0, 0.0), 40000, noise=1.0, seed=3, lr=0.1))
    along = (run.points[1000:, 0] - valley.minima[0]) @ lesson_08.eigen(valley)[1]
    np.testing.assert_allclose(along.var(axis=0), lesson_08.direction_variances(0.1, 1.0, lesson_08.eigen(valley)[0]),
                               rtol=0.1)


@pytest.mark.parametrize("schedule", list(lesson_08.SCHEDULES))
@pytest.mark.parametrize("noise", [0.0, 0.3, 1.0, 3.0])
@pytest.mark.parametrize("lr", [0.005, 0.05, 0.2, 0.5, 0.9])
def test_lesson8_ball_words_follow_the_run(lr, noise, schedule):
    setup = setup_at(8, lr=lr, noise=noise, schedule=schedule)
    words = shown(8, setup)
    lams = lesson_08.eigen(setup.surface)[0]
    if noise == 0:
        assert "no ball" in words and predicate(setup.run) in words
        return
    theory = lesson_08.ball_radius(lr, noise, lams)
    radius = lesson_08.measured_radius(setup)
    if schedule != "constant":
        assert "formula is for a constant α" in words
    elif lesson_08.left_over(setup) > 0.3 * theory:
        assert "not reached its ball yet" in words
    else:  # settled at a constant lr: the measured ball is the formula's, and the text puts the two side by side
        assert radius == pytest.approx(theory, rel=0.2)
        assert f"stays {rounded(radius)} from the minimum" in words and f"({rounded(theory)} in all)" in words


def test_lesson8_question_and_latex_give_the_per_direction_form():
    lesson = LESSONS[7]
    assert r"\lambda_i" in lesson.latex[0]
    right = [a for a in lesson.question(setup_at(8)).answers if a.correct][0]
    assert "ασ²/(λ(2 − αλ))" in right.why and "0.667" in right.why  # √(0.1·1.6 / (0.2·1.8)) = 0.667
    assert fill(lesson.text, lesson.facts(setup_at(8))).count("2 and 2") == 1  # the bowl's two equal curvatures
