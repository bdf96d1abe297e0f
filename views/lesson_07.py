"""Lesson 7 page (content in lessons/lesson_07.py)."""

from lessons.render import render

render(7)
