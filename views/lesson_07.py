"""Lesson 7 page (content in lessons/lesson_07.py)."""

from views.widgets.lesson_page import render

render(7)
