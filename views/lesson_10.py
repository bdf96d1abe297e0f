"""Lesson 10 page (content in lessons/lesson_10.py)."""

from lessons.render import render

render(10)
