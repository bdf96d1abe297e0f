"""Lesson 14 page (content in lessons/lesson_14.py)."""

from lessons.render import render

render(14)
