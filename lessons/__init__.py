"""The lessons (content modules, one ``LESSON`` each) in course order, and the Claims lab's claims.

Lesson modules never import streamlit; ``views.widgets.lesson_page`` draws any of them,
``views.widgets.claims_page`` the lab.
"""

from . import (
    lesson_01,
    lesson_02,
    lesson_03,
    lesson_04,
    lesson_05,
    lesson_06,
    lesson_07,
    lesson_08,
    lesson_09,
    lesson_10,
    lesson_11,
    lesson_12,
    lesson_13,
    lesson_14,
)

LESSONS = tuple(m.LESSON for m in (
    lesson_01, lesson_02, lesson_03, lesson_04, lesson_05, lesson_06, lesson_07, lesson_08, lesson_09, lesson_10,
    lesson_11, lesson_12, lesson_13, lesson_14))

__all__ = ["LESSONS"]
