"""Every reader of a page's address, fuzzed (hypothesis, ``tests.hostile_queries``): the Playground's
``parse_query``, the stability and basin maps' ``read_tool``, the LR finder's and the race's parsers and each
lesson's ``read_link``.  None raises; a value refused or a key unknown is named in a notice; a query of
values no page can use gives the defaults; and what a reader keeps, written back, reads again without a notice.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings

import engine
from lab.config import parse_query, to_query
from lab.tool_links import BASINS, STABILITY, read_tool
from lab.url_schema import key_table, shown
from tests.hostile_queries import READERS, hostile_query, last_values, refused_query, values

EXAMPLES = 80  # per reader and property
KEY_EXAMPLES = 12  # per Playground key (150 keys)
FUZZ = settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None)


def _named(notices: list[str], key: str, value: str) -> bool:
    """Whether some notice names ``key`` or shows ``value`` (as ``shown`` shortens it)."""
    return any(key in notice or shown(value) in notice for notice in notices)


def _playground_keys():
    """(context, key) for every query key the Playground reads: each parameter of each surface, optimizer
    (first and second racer) and schedule, with the names that bring it, and the run's own keys."""
    for slug, factory in engine.SURFACES.items():
        yield from (({"surface": slug}, p.name) for p in factory.params)
    for name, factory in engine.OPTIMIZERS.items():
        yield from (({"optimizer": name}, p.name) for p in factory.params)
        yield from (({"optimizer": f"sgd,{name}"}, f"{p.name}_2") for p in factory.params)
    for name, factory in engine.SCHEDULES.items():
        table = key_table((), ("sgd",), factory.params)
        yield from (({"schedule": name}, table[("schedule", 0, p.name)]) for p in factory.params)
    yield from (({}, key) for key in ("surface", "optimizer", "schedule", "steps", "x0", "y0", "noise", "seed"))
    yield from (({"surface": "regression"}, "batch"), ({"surface": "custom"}, "f"))


PLAYGROUND_KEYS = list(_playground_keys())


@pytest.mark.parametrize("context, key", PLAYGROUND_KEYS, ids=[f"{c}-{k}" for c, k in PLAYGROUND_KEYS])
def test_every_playground_key_takes_any_value(context, key):
    @settings(max_examples=KEY_EXAMPLES, deadline=None, derandomize=True, database=None)
    @given(values)
    def check(value):
        query = {**context, key: value}
        config, notices = parse_query(query)
        if not notices:  # kept: the link it writes holds the same value
            assert parse_query(to_query(config)) == (config, [])
        else:
            named = key.rsplit("_", 1)[0] if key[-1].isdigit() else key  # racer 2's lr_2 is its lr
            assert _named(notices, named, value) or (key in ("surface", "f") and "f(x, y)" in notices[0]), (
                query, notices)

    check()


@pytest.mark.parametrize("page", READERS)
def test_a_hostile_query_never_raises_and_what_is_kept_reads_back_silently(page):
    read, write = READERS[page]

    @FUZZ
    @given(hostile_query())
    def check(query):
        state, notices = read(last_values(query))
        assert all(isinstance(n, str) and len(n) < 600 for n in notices), notices  # a 10 kB value is shortened
        assert read(write(state)) == (state, [])

    check()


@pytest.mark.parametrize("page", READERS)
def test_a_query_of_refused_values_gives_the_defaults_and_names_every_key(page):
    read, _ = READERS[page]
    defaults = read({})

    @FUZZ
    @given(refused_query())
    def check(query):
        query = last_values(query)
        state, notices = read(query)
        assert state == defaults[0]
        for key, value in query.items():
            assert _named(notices, shown(key), value), (key, value, notices)

    check()


@pytest.mark.parametrize("tool, query", [
    (STABILITY, {"momentum": "nan"}), (STABILITY, {"steps": "1e400"}), (STABILITY, {"optimizer": "§,sgd"}),
    (BASINS, {"steps": "nan"}), (BASINS, {"optimizer": "§"}), (BASINS, {"lr": "§"}),
])
def test_a_refused_value_of_a_key_a_tool_opens_with_keeps_the_tools_value(tool, query):
    """The fuzzer's finds: the stability map's β 0.5 and 300 steps, the basin map's lr, not the Playground's."""
    config, own, notices = read_tool(tool, query)
    assert (config, own) == read_tool(tool, {})[:2] and notices
