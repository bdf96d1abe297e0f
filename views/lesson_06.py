"""Lesson 6 page (content in lessons/lesson_06.py)."""

from lessons.render import render

render(6)
