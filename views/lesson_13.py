"""Lesson 13 page (content in lessons/lesson_13.py)."""

from lessons.render import render

render(13)
