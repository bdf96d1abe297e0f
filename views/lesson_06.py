"""Lesson 6 page (content in lessons/lesson_06.py)."""

from views.widgets.lesson_page import render

render(6)
