"""Every page opened from a hostile link, under AppTest through app.py's navigation (hypothesis,
``tests.hostile_queries``): Home, the Playground, the Presenter, each lesson, the Claims lab and the four tools.

Whatever the address holds (random text, huge and tiny numbers, NaN and infinities, 10 kB values, unicode
look-alikes, repeated and unknown keys), the page runs without an exception and shows its title, and the
address it writes holds what its reader (``tests.hostile_queries.READERS``) read from the link.  A link of
values no page can use shows a notice naming every key, and the page's defaults: the address it writes is
the one it writes for no link at all.  Examples are few per page and derandomized, so the run is bounded
and the same every time (22 pages, 4 runs each: 88 page runs).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from streamlit.testing.v1 import AppTest

from lab.outcome import escape_markdown
from lab.url_schema import shown
from lessons import LESSONS
from lessons.links import control_keys
from tests.hostile_queries import KNOWN_KEYS, READERS, hostile_query, last_values, refused_query

APP = str(Path(__file__).resolve().parents[2] / "app.py")
REFUSED_EXAMPLES = 2  # per page (22 pages): each is one fresh session opening the page
HOSTILE_EXAMPLES = 1


def _page(path: str, heading: str, keys: tuple[str, ...], writes_address: bool = True):
    return pytest.param(path, heading, keys, writes_address, id=Path(path).stem)


# The url path of each page with a reader of its address (tests.hostile_queries.READERS).
URL_PATHS = {"views/playground.py": "playground", "views/stability_map.py": "stability-map",
             "views/basins.py": "basins", "views/lr_finder.py": "lr-finder", "views/race.py": "race",
             **{lesson.page: lesson.url_path for lesson in LESSONS}}


PRESENTER = ("lesson", "scene")
PAGES = [
    _page("views/home.py", "Descent Lab", (), writes_address=False),
    _page("views/playground.py", "Playground", KNOWN_KEYS),
    _page("views/present.py", "**Lesson 1. ", PRESENTER),
    *(_page(lesson.page, f"{lesson.number}. {lesson.title}",
            tuple(k for c in lesson.controls for k in control_keys(c))) for lesson in LESSONS),
    _page("views/claims.py", "Claims lab", (), writes_address=False),
    _page("views/stability_map.py", "Stability map", KNOWN_KEYS),
    _page("views/basins.py", "Basin map", KNOWN_KEYS),
    _page("views/lr_finder.py", "LR finder", KNOWN_KEYS),
    _page("views/race.py", "Fair race", KNOWN_KEYS),
]


def _open(path: str, query: dict) -> AppTest:
    """A new session: Home first (the navigation registers the pages), then ``path`` with ``query``."""
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    at.switch_page(path)
    at.query_params.update(query)
    return at.run()


def _shows(at: AppTest, heading: str) -> None:
    """No exception, and the page's title (the Presenter's lesson line) on screen: the page is not blank."""
    assert not at.exception, at.exception[0].stack_trace
    texts = [t.value for t in at.title] + [m.value for m in at.markdown]
    assert any(text.startswith(heading) for text in texts), (heading, texts[:3])


def _address(at: AppTest) -> dict:
    return {key: at.query_params[key] for key in at.query_params}


_clean: dict[str, dict] = {}


def _clean_address(path: str, heading: str) -> dict:
    """The address the page writes when opened with no link (one run per page, kept for the module)."""
    if path not in _clean:
        at = _open(path, {})
        _shows(at, heading)
        assert not at.warning, [w.value for w in at.warning]
        _clean[path] = _address(at)
    return _clean[path]


@pytest.mark.parametrize("path, heading, keys, writes_address", PAGES)
def test_a_link_of_refused_values_shows_the_defaults_and_names_every_key(path, heading, keys, writes_address):
    clean = _clean_address(path, heading) if writes_address else None

    @settings(max_examples=REFUSED_EXAMPLES, deadline=None, derandomize=True, database=None)
    @given(refused_query(keys or ("zz",), size=3))
    def check(query):
        at = _open(path, query)
        _shows(at, heading)
        notice = " ".join(w.value for w in at.warning)
        for key, value in last_values(query).items():
            assert escape_markdown(shown(key)) in notice or escape_markdown(shown(value)) in notice, (key, notice)
        if writes_address:
            assert _address(at) == clean

    check()


@pytest.mark.parametrize("path, heading, keys, writes_address", PAGES)
def test_any_link_opens_the_page(path, heading, keys, writes_address):
    @settings(max_examples=HOSTILE_EXAMPLES, deadline=None, derandomize=True, database=None)
    @given(hostile_query(keys or ("zz",), size=4))
    def check(query):
        at = _open(path, query)
        _shows(at, heading)
        if path in URL_PATHS:  # the page shows what its reader read from the link: nothing changed silently
            read, _ = READERS[URL_PATHS[path]]
            assert read(_address(at))[0] == read(last_values(query))[0], _address(at)

    check()
