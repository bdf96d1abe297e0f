"""Lesson 10 page (content in lessons/lesson_10.py)."""

from views.widgets.lesson_page import render

render(10)
