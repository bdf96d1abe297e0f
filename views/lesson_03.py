"""Lesson 3 page (content in lessons/lesson_03.py)."""

from lessons.render import render

render(3)
