"""The course as a sequence of scenes, for the Presenter.

A scene is one setup on screen: a lesson's preset (a Playground query, so a scene *is* a link) and one line
of text.  A lesson gives its scenes in order (``lesson.scenes``, pairs of (one-line caption, preset query)
whose numbers the lesson computed from the engine; a lesson without scenes falls back to its one preset with
its goal as the line).  Next/Back walk the whole course: a lesson's scenes in order, then past its last
scene the next lesson's first.

The Presenter's address is ``SCENE_PARAMS`` (``lesson`` and ``scene``, both 1-based), read and written by the
app's one codec (``lab.url_schema.read_params`` / ``write_params``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from engine.params import Param
from lab.config import RunConfig
from lab.share_address import app_link
from lab.url_schema import write_params

from .base import Lesson, preset_config

__all__ = ["SCENE_PARAMS", "Scene", "course_scenes", "find_scene", "scene_query", "scene_url"]

SCENE_PARAMS = (Param("lesson", 1, low=1, high=999, kind="int", help="the lesson's number"),
                Param("scene", 1, low=1, high=999, kind="int", help="the scene's number within its lesson, from 1"))


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


def _number(value: object) -> int | None:
    """A lesson or scene number as the URL gives it (1 to 3 digits), else None."""
    text = str(value)
    return int(text) if text.isdigit() and len(text) < 4 else None


def find_scene(scenes: Sequence[Scene], lesson: object, scene: object) -> int:
    """The position in ``scenes`` of lesson ``lesson``'s scene ``scene`` (both 1-based, as in the URL).

    Unknown or malformed values fall back: a bad scene to the lesson's first, a bad lesson to the start."""
    wanted_lesson, wanted_scene = _number(lesson), _number(scene)
    firsts = [i for i, s in enumerate(scenes) if s.lesson == wanted_lesson]
    if not firsts:
        return 0
    exact = [i for i in firsts if wanted_scene is not None and scenes[i].index == wanted_scene - 1]
    return exact[0] if exact else firsts[0]


def scene_query(scene: Scene) -> dict[str, str]:
    """The Presenter's address showing ``scene`` (both keys always, so a link names its scene)."""
    return write_params({"lesson": scene.lesson, "scene": scene.index + 1}, SCENE_PARAMS, always=("lesson", "scene"))


def scene_url(page_url: str | None, scene: Scene) -> str:
    """The link that opens ``scene`` in the presenter, on the server of the page at ``page_url``."""
    return app_link(page_url, "present", scene_query(scene))
