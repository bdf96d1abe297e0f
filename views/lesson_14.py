"""Lesson 14 page (content in lessons/lesson_14.py)."""

from views.widgets.lesson_page import render

render(14)
