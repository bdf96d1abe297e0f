"""The app's pages in navigation order.  Home is the default page at ``/``; each section is a list."""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st


def pages() -> dict[str, list[st.Page]]:
    """Sections of the navigation, each a list of ``st.Page``."""
    return {
        "": [
            st.Page("views/home.py", title="Home", icon=":material/home:", default=True),
            st.Page("views/playground.py", title="Playground", icon=":material/tune:", url_path="playground"),
            st.Page("views/present.py", title="Presenter", icon=":material/co_present:", url_path="present"),
        ],
        "Lessons": lesson_pages(),
        "Tools": [st.Page(tool.page, title=tool.title, url_path=path, icon=tool.icon) for path, tool in TOOLS.items()],
    }


@dataclass(frozen=True)
class ToolPage:
    """A Tools page: its file, title and icon (its url_path is its key in ``TOOLS``)."""

    page: str
    title: str
    icon: str


# The Tools section, by url_path: the navigation's pages, and the titles of the links that open them (lessons,
# the Presenter) without building an st.Page (which needs the app's main script).
TOOLS = {
    "stability-map": ToolPage("views/stability_map.py", "Stability map", ":material/grid_on:"),
    "basins": ToolPage("views/basins.py", "Basin map", ":material/water:"),
    "lr-finder": ToolPage("views/lr_finder.py", "LR finder", ":material/search:"),
    "race": ToolPage("views/race.py", "Fair race", ":material/sports_score:"),
}


def lesson_pages() -> list[st.Page]:
    """The ten lessons in course order, then the Claims lab (titles from the lesson modules)."""
    from lessons import LESSONS

    return [
        *(st.Page(lesson.page, title=f"{lesson.number}. {lesson.title}", url_path=lesson.url_path,
                  icon=":material/school:") for lesson in LESSONS),
        st.Page("views/claims.py", title="Claims lab", url_path="claims", icon=":material/science:"),
    ]
