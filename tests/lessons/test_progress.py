"""The progress model: what counts as done, merging the browser's progress with the session's, and reading
back only what is valid from the browser's (untrusted) text."""

import json

import pytest

from lessons.progress import LONGEST_ANSWER, Progress


def test_a_lesson_is_done_when_its_task_is_met_and_its_question_answered():
    p = Progress()
    assert not p.started and p.status(2) == "not started"
    p = p.with_task(2)
    assert p.started and not p.done(2) and p.status(2) == "task done, question not answered yet"
    assert Progress().with_answer(2, "B").status(2) == "question answered, task not done yet"
    p = p.with_answer(2, "B")
    assert p.done(2) and p.status(2) == "done" and not p.done(3)
    assert p.with_answer(2, "C").answers == {2: "C"}  # a new answer replaces the old


def test_json_round_trip():
    p = Progress(frozenset({1, 3}), {2: "It overshoots, flips to the other side — «α»", 3: "A"})
    text = p.to_json()
    assert json.loads(text) == {"tasks": [1, 3], "answers": {"2": p.answers[2], "3": "A"}}
    assert Progress.from_json(text, lessons=10) == p
    assert Progress.from_json(Progress().to_json(), lessons=10) == Progress()


def test_merging_keeps_every_task_and_the_newer_answer():
    browser = Progress(frozenset({1, 2}), {1: "old", 4: "kept"})
    session = Progress(frozenset({3}), {1: "new"})
    assert session.merged(browser) == Progress(frozenset({1, 2, 3}), {1: "new", 4: "kept"})


@pytest.mark.parametrize("text", ["", "null", "[]", "{", "not json", '"text"', "{}", None, 42,
                                  '{"tasks": "1,2", "answers": []}'])
def test_anything_but_progress_reads_as_none(text):
    assert Progress.from_json(text, lessons=10) == Progress()


def test_only_valid_lessons_and_answers_are_read():
    text = json.dumps({"tasks": [1, 0, 11, -2, "3", True, 2.0, None, 10, "x" * 9],
                       "answers": {"2": "ok", "0": "a", "12": "b", "x": "c", "5": 5, "6": "",
                                   "7": "y" * (LONGEST_ANSWER + 1), "8": ["list"], "9": "z" * LONGEST_ANSWER},
                       "other": 1})
    assert Progress.from_json(text, lessons=10) == Progress(frozenset({1, 3, 10}), {2: "ok", 9: "z" * LONGEST_ANSWER})
