"""The presenter view's pure parts: the course as a sequence of scenes, projector styling for figures,
and the link students scan.  No streamlit import.

A scene is one setup on screen: a lesson's preset (a Playground query, so a scene *is* a link) and one line
of text.  A lesson gives its scenes in order (``lesson.scenes``, pairs of (one-line caption, preset query)
whose numbers the lesson computed from the engine; a lesson without scenes falls back to its one preset with
its goal as the line).  Next/Back walk the whole course: a lesson's scenes in order, then past its last
scene the next lesson's first.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import plotly.graph_objects as go

from lessons.base import Lesson, preset_config

from .config import RunConfig, to_query
from .figures_map import legend_rows
from .share_address import app_link

__all__ = ["PATH_WIDTH", "PROJECTOR_FONT", "Scene", "course_scenes", "find_scene", "projector_style", "scene_url",
           "share_url"]

PROJECTOR_FONT = 24  # px: readable from the back of a classroom on a 1080p projector
PATH_WIDTH = 4  # px: a racer's whole path, drawn opaque (the Playground's faint 1.5 px vanish on a projector)
HEAD_WIDTH = 8  # px: the moving head's trail, thicker than the path under it
BASE_FONT = 12  # px: the font the map's own legend rows are sized for
LEGEND_WIDTH = 800  # px: the legend's width on the presenter page, at least (its figure column: 965 px at 1280)


@dataclass(frozen=True)
class Scene:
    """Scene ``index`` (0-based) of lesson ``lesson`` (its number): a line of text and the setup's query."""

    lesson: int
    index: int
    title: str
    line: str
    query: Mapping[str, str]

    def config(self) -> RunConfig:
        """The scene's setup (ValueError when the preset is not valid, e.g. names a surface not registered)."""
        return preset_config(self.query)


def lesson_scenes(lesson: Lesson) -> tuple[Scene, ...]:
    """The scenes of one lesson, in its order."""
    pairs: Sequence[tuple[str, Mapping[str, str]]] = lesson.scenes or ((lesson.goal, lesson.preset),)
    return tuple(Scene(lesson.number, i, lesson.title, line, dict(query))
                 for i, (line, query) in enumerate(pairs))


def course_scenes(lessons: Sequence[Lesson]) -> tuple[Scene, ...]:
    """Every scene of every lesson, in course order."""
    return tuple(scene for lesson in lessons for scene in lesson_scenes(lesson))


def find_scene(scenes: Sequence[Scene], lesson: object, scene: object) -> int:
    """The position in ``scenes`` of lesson ``lesson``'s scene ``scene`` (both 1-based, as in the URL).

    Unknown or malformed values fall back: a bad scene to the lesson's first, a bad lesson to the start."""
    def number(value: object) -> int | None:
        text = str(value)
        return int(text) if text.isdigit() and len(text) < 4 else None

    wanted_lesson, wanted_scene = number(lesson), number(scene)
    firsts = [i for i, s in enumerate(scenes) if s.lesson == wanted_lesson]
    if not firsts:
        return 0
    exact = [i for i in firsts if wanted_scene is not None and scenes[i].index == wanted_scene - 1]
    return exact[0] if exact else firsts[0]


def projector_style(fig: go.Figure, font: int = PROJECTOR_FONT, height: int = 680) -> go.Figure:
    """``fig`` restyled in place for a projector: large fonts everywhere (axes, legend, the Play button and
    the step slider), room above the plot for the larger legend, a taller plot, thick opaque paths and
    thicker moving heads.  Returns the figure."""
    fig.update_layout(font=dict(size=font), height=height, legend=dict(font=dict(size=font)),
                      hoverlabel=dict(font=dict(size=font)), modebar=dict(orientation="v"))  # not over the legend
    fig.update_xaxes(tickfont=dict(size=font))
    fig.update_yaxes(tickfont=dict(size=font))
    for menu in fig.layout.updatemenus or ():
        menu.font = dict(size=font + 4)
    for slider in fig.layout.sliders or ():  # it starts right of the larger Play and Pause buttons
        slider.update(x=0.34, len=0.66, font=dict(size=font - 4))
        slider.currentvalue.font = dict(size=font)
    fig.update_traces(line=dict(width=PATH_WIDTH), opacity=1, selector=dict(mode="lines"))
    fig.update_traces(line=dict(width=HEAD_WIDTH), selector=dict(mode="lines+markers"))
    if fig.layout.showlegend:  # the map reserves legend rows for its small font: make room for the large one
        names = [t.name for t in fig.data if t.showlegend is not False and t.name]
        rows = legend_rows(names, width=LEGEND_WIDTH * BASE_FONT / font)
        fig.update_layout(margin=dict(t=10 + rows * round(1.5 * font)))
    return fig


def share_url(page_url: str | None, config: RunConfig) -> str:
    """The Playground link of ``config`` on the server of the page at ``page_url`` (``ui.share_address``)."""
    return app_link(page_url, "playground", to_query(config))


def scene_url(page_url: str | None, scene: Scene) -> str:
    """The link that opens ``scene`` in the presenter, on the server of the page at ``page_url``."""
    return app_link(page_url, "present", {"lesson": str(scene.lesson), "scene": str(scene.index + 1)})
