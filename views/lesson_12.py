"""Lesson 12 page (content in lessons/lesson_12.py)."""

from views.widgets.lesson_page import render

render(12)
