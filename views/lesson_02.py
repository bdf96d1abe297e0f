"""Lesson 2 page (content in lessons/lesson_02.py)."""

from views.widgets.lesson_page import render

render(2)
