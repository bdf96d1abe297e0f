"""Lesson 13 page (content in lessons/lesson_13.py)."""

from views.widgets.lesson_page import render

render(13)
