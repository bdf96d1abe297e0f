"""A self-learner's progress through the lessons: which tasks were met and which answer was picked for each
check question.  It is kept in the student's own browser (``views.widgets.progress_store``), as JSON:

    {"tasks": [1, 3], "answers": {"2": "It overshoots, flips to the other side ..."}}

A lesson is *done* when its task was met and its question answered (right or not: the explanation is shown
for every answer).  What the browser hands back is untrusted text: ``from_json`` keeps only lesson numbers
1..``lessons`` and answer texts of at most ``LONGEST_ANSWER`` characters, and reads anything else as no
progress, never an error.  Pure; no streamlit.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field

__all__ = ["LONGEST_ANSWER", "Progress"]

LONGEST_ANSWER = 400  # characters: the longest answer text worth keeping (the lessons' run to ~200)


@dataclass(frozen=True)
class Progress:
    """``tasks``: numbers of the lessons whose task was met; ``answers``: lesson number -> the answer text picked."""

    tasks: frozenset[int] = frozenset()
    answers: Mapping[int, str] = field(default_factory=dict)

    @property
    def started(self) -> bool:
        return bool(self.tasks or self.answers)

    def with_task(self, number: int) -> Progress:
        return Progress(self.tasks | {number}, self.answers)

    def with_answer(self, number: int, text: str) -> Progress:
        return Progress(self.tasks, {**self.answers, number: text})

    def done(self, number: int) -> bool:
        """Task met and question answered."""
        return number in self.tasks and number in self.answers

    def status(self, number: int) -> str:
        """Lesson ``number``'s progress in words."""
        task, answer = number in self.tasks, number in self.answers
        if task and answer:
            return "done"
        if task:
            return "task done, question not answered yet"
        return "question answered, task not done yet" if answer else "not started"

    def merged(self, older: Progress) -> Progress:
        """This progress over ``older``: every task of both; this one's answer where both have one."""
        return Progress(self.tasks | older.tasks, {**older.answers, **self.answers})

    def to_json(self) -> str:
        answers = {str(n): a for n, a in sorted(self.answers.items())}
        return json.dumps({"tasks": sorted(self.tasks), "answers": answers}, ensure_ascii=False, separators=(",", ":"))

    @classmethod
    def from_json(cls, text: object, lessons: int) -> Progress:
        """The progress in ``text`` (as ``to_json`` writes it) for a course of ``lessons`` lessons; what is
        not valid is left out, and text that is not such JSON at all is no progress."""
        try:
            data = json.loads(text) if isinstance(text, str) else None
        except ValueError:
            data = None
        if not isinstance(data, dict):
            return cls()

        def lesson(value: object) -> int | None:
            number = value if isinstance(value, int) and not isinstance(value, bool) else \
                int(value) if isinstance(value, str) and value.isdigit() and len(value) < 4 else None
            return number if number is not None and 1 <= number <= lessons else None

        tasks = data.get("tasks")
        answers = data.get("answers")
        return cls(
            frozenset(n for n in map(lesson, tasks if isinstance(tasks, list) else ()) if n is not None),
            {n: a for k, a in (answers.items() if isinstance(answers, dict) else ())
             if (n := lesson(k)) is not None and isinstance(a, str) and 0 < len(a) <= LONGEST_ANSWER})
