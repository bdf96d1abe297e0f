"""Lesson 1 page (content in lessons/lesson_01.py)."""

from lessons.render import render

render(1)
