"""Lesson 4 page (content in lessons/lesson_04.py)."""

from views.widgets.lesson_page import render

render(4)
