"""Lesson 3 page (content in lessons/lesson_03.py)."""

from views.widgets.lesson_page import render

render(3)
