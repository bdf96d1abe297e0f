"""Lesson 8 page (content in lessons/lesson_08.py)."""

from lessons.render import render

render(8)
