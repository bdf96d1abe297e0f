"""Lesson 12 page (content in lessons/lesson_12.py)."""

from lessons.render import render

render(12)
