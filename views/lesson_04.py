"""Lesson 4 page (content in lessons/lesson_04.py)."""

from lessons.render import render

render(4)
