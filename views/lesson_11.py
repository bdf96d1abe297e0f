"""Lesson 11 page (content in lessons/lesson_11.py)."""

from views.widgets.lesson_page import render

render(11)
