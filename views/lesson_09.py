"""Lesson 9 page (content in lessons/lesson_09.py)."""

from views.widgets.lesson_page import render

render(9)
