"""Lesson 5 page (content in lessons/lesson_05.py)."""

from lessons.render import render

render(5)
