"""Hypothesis strategies for hostile page addresses: every query key a page reads (and unknown ones), with
random text, huge and tiny numbers, NaN and infinities, 10 kB values, unicode look-alikes and repeated keys.

A query is a dict key -> value, where a value that is a list is that key repeated (AppTest encodes it with
``urlencode(doseq=True)``; ``st.query_params`` keeps the last one).  ``hostile_query`` mixes values a page
may accept with ones it must refuse; ``refused_query`` holds only values no page can use, so the page must
show its defaults and a notice naming each key.  ``READERS`` holds each page's reader and writer of its
address (the pure functions the page calls), by the page's url path.
"""

from __future__ import annotations

from hypothesis import strategies as st

import engine
from lab.config import make_surface, parse_query, to_query
from lab.tool_links import (
    BASINS,
    FINDER_PARAMS,
    RACE_PARAMS,
    STABILITY,
    finder_query,
    parse_finder,
    parse_race,
    race_query,
    read_tool,
    tool_query,
)
from lab.url_schema import key_table
from lessons import LESSONS
from lessons.controls import apply
from lessons.links import control_keys, link_query, read_link

# Streamlit keeps these two out of st.query_params (its embed options), so no page ever sees them.
STREAMLIT_KEYS = frozenset({"embed", "embed_options"})


def _param_keys() -> set[str]:
    names = {"surface", "f", "optimizer", "schedule", "steps", "x0", "y0", "noise", "seed", "batch"}
    for registry in (engine.SURFACES, engine.SCHEDULES):
        names |= {p.name for factory in registry.values() for p in factory.params}
    hyper = {p.name for factory in engine.OPTIMIZERS.values() for p in factory.params}
    names |= hyper | {f"{name}_{i}" for name in hyper for i in range(2, 5)}
    names |= {f"schedule_{p.name}" for factory in engine.SCHEDULES.values() for p in factory.params}
    names |= {p.name for tool in (STABILITY, BASINS) for p in tool.own}
    names |= {p.name for p in (*FINDER_PARAMS, *RACE_PARAMS)} | {"lesson", "scene"}
    names |= {k for lesson in LESSONS for c in lesson.controls for k in control_keys(c)}
    return names


KNOWN_KEYS = tuple(sorted(_param_keys()))  # every key some page reads
NAMES = (*engine.SURFACES, *engine.OPTIMIZERS, *engine.SCHEDULES, "custom", "momentum", "curvature")

# Text that looks right and is not: fullwidth digits and letters, Cyrillic 'х' and 'у', a superscript, a
# thin space, a zero-width joiner, Arabic-Indic digits, a Roman numeral, right-to-left override.
LOOK_ALIKES = ("１", "０.５", "ｓｇｄ", "quadratiс", "х**2+у**2", "1e−3", "2²", "1\u2009000", "s\u200dgd", "٣",
               "Ⅻ", "\u202esgd", "adam\x00", "0.1 ", " 0.1", "+0.1", "0.1e", "1e", ".", "-", "1/2", "½")
NUMBER_TEXTS = ("nan", "NaN", "inf", "-inf", "Infinity", "1e308", "-1e308", "1e400", "1e-320", "5e-324", "-0",
                "0", "1e6", "1e-12", "0x10", "1_000", "9" * 400, "1,2", "0.9,0.999", "inf,1", "nan,nan", "1;2",
                "3,2,1", "1e999,0.5", "true", "false", "None", "[]", "{}")
EXPRESSIONS = ("x**2 + y**2", "9**9**9", "__import__('os').system('id')", "x.__class__", "lambda: 1",
               "(" * 200 + "x" + ")" * 200, "exp(exp(exp(x)))", "1/0", "x" * 300, "sin(x)*cos(y)")


def _tens_of_kilobytes(seed: str) -> str:
    return (seed * (10_240 // len(seed) + 1))[:10_240]


numbers = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    st.floats(allow_nan=False, allow_infinity=False).map(lambda v: f"{v:g}"),
    st.integers(min_value=-(10**40), max_value=10**40).map(str),
    st.sampled_from(NUMBER_TEXTS))
values = st.one_of(
    numbers,
    st.text(max_size=40),
    st.sampled_from(NAMES),
    st.lists(st.sampled_from(NAMES), min_size=1, max_size=6).map(",".join),
    st.sampled_from(LOOK_ALIKES),
    st.sampled_from(EXPRESSIONS),
    st.text(min_size=1, max_size=4).map(_tens_of_kilobytes),
    st.lists(numbers, min_size=1, max_size=4).map(",".join))

# Values no key takes: not a number, a name, a flag or a usable expression (empty text is not among them: an
# empty value means "not set" for some keys).
refused_values = st.one_of(
    st.sampled_from(("nan", "inf", "-inf", "1e400", "§", "‽nan")),
    st.text(max_size=30).map(lambda text: "§" + text),
    st.text(min_size=1, max_size=3).map(lambda text: _tens_of_kilobytes("§" + text)))

unknown_keys = st.text(min_size=1, max_size=24).filter(lambda key: key not in KNOWN_KEYS and key.lower()
                                                       not in STREAMLIT_KEYS)


def _repeated(value_strategy):
    """A value, or the same key two or three times (the page must use the last one)."""
    return st.one_of(value_strategy, st.lists(value_strategy, min_size=2, max_size=3))


@st.composite
def _context(draw) -> dict[str, str]:
    """Valid names that decide which keys a page reads: a surface, one to four optimizers, a schedule (each
    sometimes left out)."""
    context = {}
    if draw(st.booleans()):
        context["surface"] = draw(st.sampled_from((*engine.SURFACES, "custom")))
    if draw(st.booleans()):
        context["optimizer"] = ",".join(draw(st.lists(st.sampled_from(tuple(engine.OPTIMIZERS)), min_size=1,
                                                       max_size=4)))
    if draw(st.booleans()):
        context["schedule"] = draw(st.sampled_from(tuple(engine.SCHEDULES)))
    return context


def _keys_of(context: dict[str, str]) -> tuple[str, ...]:
    """The Playground's keys for the names in ``context`` (what a link with them may also hold)."""
    config, _ = parse_query({**context, "f": "x**2 + y**2"} if context.get("surface") == "custom" else context)
    query = to_query(config)
    table = key_table(() if config.surface == "custom" else engine.SURFACES[config.surface].params,
                      tuple(o.name for o in config.optimizers), engine.SCHEDULES[config.schedule].params)
    return tuple(sorted({*query, *table.values(), "noise", "seed", "batch"}))


@st.composite
def hostile_query(draw, keys: tuple[str, ...] = KNOWN_KEYS, size: int = 6) -> dict:
    """Up to ``size`` keys with any kind of value: ``keys`` (a page's own), some unknown, and with valid names
    of a surface, optimizers and a schedule beside them, the keys those names bring."""
    context = draw(_context())
    pool = st.sampled_from(tuple(sorted({*keys, *_keys_of(context)})) if context else keys)
    query = draw(st.dictionaries(st.one_of(pool, pool, unknown_keys), _repeated(values), max_size=size))
    return {**context, **query}


def refused_query(keys: tuple[str, ...] = KNOWN_KEYS, size: int = 4):
    """One to ``size`` keys (``keys`` or unknown), each with values no page can use."""
    return st.dictionaries(st.one_of(st.sampled_from(keys), unknown_keys), _repeated(refused_values),
                           min_size=1, max_size=size)


def last_values(query: dict) -> dict[str, str]:
    """What ``st.query_params.to_dict()`` gives for ``query``: the last value of a repeated key."""
    return {key: value[-1] if isinstance(value, list) else value for key, value in query.items()}


# ----------------------------------------------------------------------------------------------------------
# Each page's reader of its address: url path -> (read: query -> (state, notices), write: state -> query)


def _view(slug: str):
    return make_surface(slug).bounds


def _lesson_reader(lesson):
    preset = lesson.preset_config()

    def read(query):
        values, notices = read_link(lesson.controls, preset, query, _view)
        config = preset
        for i, value in values.items():
            config = apply(config, lesson.controls[i], value[1:] if lesson.controls[i].kind == "start" else value)
        return config, notices

    def write(config):
        return link_query(lesson.controls, preset, config)

    return read, write


def _tool_reader(tool):
    def read(query):
        config, own, notices = read_tool(tool, query)
        return (config, own), notices

    return read, lambda state: tool_query(tool, *state)


READERS = {
    "playground": (parse_query, to_query),
    "stability-map": _tool_reader(STABILITY),
    "basins": _tool_reader(BASINS),
    "lr-finder": (parse_finder, finder_query),
    "race": (parse_race, race_query),
    **{lesson.url_path: _lesson_reader(lesson) for lesson in LESSONS},
}
