"""Lesson 2 page (content in lessons/lesson_02.py)."""

from lessons.render import render

render(2)
