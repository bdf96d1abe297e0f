"""Lesson 11 page (content in lessons/lesson_11.py)."""

from lessons.render import render

render(11)
