"""Lesson 8 page (content in lessons/lesson_08.py)."""

from views.widgets.lesson_page import render

render(8)
