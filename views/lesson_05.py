"""Lesson 5 page (content in lessons/lesson_05.py)."""

from views.widgets.lesson_page import render

render(5)
