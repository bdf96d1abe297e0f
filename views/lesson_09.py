"""Lesson 9 page (content in lessons/lesson_09.py)."""

from lessons.render import render

render(9)
