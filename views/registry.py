"""The app's pages in navigation order.  Home is the default page at ``/``; each section is a list."""

from __future__ import annotations

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
        "Tools": [
            st.Page("views/stability_map.py", title="Stability map", url_path="stability-map",
                    icon=":material/grid_on:"),
            st.Page("views/basins.py", title="Basin map", url_path="basins", icon=":material/water:"),
            st.Page("views/lr_finder.py", title="LR finder", icon=":material/search:", url_path="lr-finder"),
            st.Page("views/race.py", title="Fair race", icon=":material/sports_score:", url_path="race"),
        ],
    }


def lesson_pages() -> list[st.Page]:
    """The ten lessons in course order, then the Claims lab (titles from the lesson modules)."""
    from lessons import LESSONS

    return [
        *(st.Page(lesson.page, title=f"{lesson.number}. {lesson.title}", url_path=lesson.url_path,
                  icon=":material/school:") for lesson in LESSONS),
        st.Page("views/claims.py", title="Claims lab", url_path="claims", icon=":material/science:"),
    ]
