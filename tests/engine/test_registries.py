"""Every registry entry carries what a page needs to show it: a display name, a one-line description and
parameters with consistent ranges (engine/params.py ``Factory``)."""

from __future__ import annotations

import pytest

import engine

ENTRIES = [pytest.param(registry, slug, id=f"{kind}-{slug}") for kind, registry in
           (("optimizer", engine.OPTIMIZERS), ("schedule", engine.SCHEDULES), ("surface", engine.SURFACES))
           for slug in registry]


@pytest.mark.parametrize(("registry", "slug"), ENTRIES)
def test_each_entry_has_a_title_and_a_one_line_description(registry, slug):
    factory = registry[slug]
    assert factory.slug == slug
    assert factory.title.strip() == factory.title and factory.title
    assert "\n" not in factory.description and factory.description.endswith(".")
    assert 10 <= len(factory.description) <= 200, factory.description


@pytest.mark.parametrize(("registry", "slug"), ENTRIES)
def test_each_default_passes_its_own_range(registry, slug):
    for param in registry[slug].params:
        param.check(param.default)  # ValueError names the parameter when a default lies outside low … high


@pytest.mark.parametrize("registry", [engine.OPTIMIZERS, engine.SCHEDULES, engine.SURFACES])
def test_titles_are_distinct(registry):
    titles = [factory.title for factory in registry.values()]
    assert len(set(titles)) == len(titles)


def test_a_surface_entry_names_what_its_surface_calls_itself():
    for factory in engine.SURFACES.values():
        surface = factory()
        assert surface.name == factory.title and surface.description.startswith(factory.description[:-1])


def test_the_names_pages_show():
    assert [f.title for f in engine.OPTIMIZERS.values()] == [
        "SGD", "Momentum", "Nesterov", "Adagrad", "RMSprop", "Adam", "AdamW"]
    assert engine.SCHEDULES["cosine"].title == "Cosine annealing"
    assert engine.SCHEDULES["cosine_restarts"].title == "Cosine with warm restarts"
    assert engine.SURFACES["rosenbrock"].title == "Rosenbrock valley"
    assert (engine.SURFACES["quadratic"].param("l1").low, engine.SURFACES["quadratic"].param("l1").high) == (1e-3, 1e3)
