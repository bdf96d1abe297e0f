"""Lesson 1 page (content in lessons/lesson_01.py)."""

from views.widgets.lesson_page import render

render(1)
