"""The LR finder and the fair race under Streamlit's AppTest: they render, the URL round-trips, a bad query gives
a notice (never a traceback), and every Playground link parses back to the lr the engine chose."""

from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

import pytest
from streamlit.testing.v1 import AppTest

import engine
from engine.race import lr_grid, lr_sweep
from lab.config import parse_query

VIEWS = Path(__file__).resolve().parents[2] / "views"


def _app(page: str, **query) -> AppTest:
    at = AppTest.from_file(str(VIEWS / page), default_timeout=60)
    at.query_params.update(query)
    return at.run()


def _link_config(url: str):
    """The Playground config a relative "playground?..." link opens (and the notices it would give)."""
    parts = urlsplit(url)
    assert parts.path == "playground"
    return parse_query(dict(parse_qsl(parts.query)))


def _links(at: AppTest) -> list[tuple[str, str]]:
    return [(b.proto.label, b.proto.url) for b in at.get("link_button")]


@pytest.fixture(scope="module")
def finder():
    return _app("lr_finder.py", surface="himmelblau", optimizer="adam", x0="-1", y0="-1", start_lr="1e-06",
                num_it="80")


def test_finder_renders_and_its_url_round_trips(finder):
    assert not finder.exception and not finder.warning
    assert dict(finder.query_params) == {"surface": "himmelblau", "optimizer": "adam", "x0": "-1", "y0": "-1",
                                         "start_lr": "1e-06", "num_it": "80"}
    assert finder.selectbox(key="lrf_opt0").value == "adam"
    assert finder.number_input(key="lrf_num_it").value == 80


def test_finder_suggestion_links_open_the_playground_at_the_engines_lr(finder):
    surface = engine.surface("himmelblau")
    rt = engine.sweeps.lr_range_test(surface, "adam", (-1.0, -1.0), start_lr=1e-6, num_it=80)
    links = _links(finder)
    assert len(links) == 3
    for (label, url), (name, lr) in zip(links, rt.suggestions.items(), strict=True):
        config, notices = _link_config(url)
        assert notices == []
        assert config.optimizers[0].name == "adam" and config.optimizers[0].lr == lr, (name, label)
        assert config.surface == "himmelblau" and config.start == (-1.0, -1.0)


def test_finder_changing_a_control_writes_the_url(finder):
    finder.number_input(key="lrf_num_it").set_value(60).run()
    assert not finder.exception and finder.query_params["num_it"] == "60"


@pytest.fixture(scope="module")
def race():
    return _app("race.py", surface="rosenbrock", steps="300", lr_min="0.001", per_decade="5")


def test_race_renders_both_tables_and_its_url_round_trips(race):
    assert not race.exception and not race.warning
    assert dict(race.query_params) == {"surface": "rosenbrock", "steps": "300", "x0": "-1.2", "y0": "1",
                                       "lr_min": "0.001", "per_decade": "5"}
    best, default = (df.value for df in race.dataframe)
    assert list(best["optimizer"]) == ["SGD", "Momentum", "Nesterov", "Adagrad", "RMSprop", "Adam", "AdamW"]
    assert len(default) == 7
    for table in (best, default):  # a racer that did not converge: a dash, and its outcome says why
        assert "None" not in table.astype(str).to_numpy()
        for steps, outcome in zip(table["steps to converge"], table["outcome"], strict=True):
            assert steps.isdigit() or (steps == "—" and "converged" not in outcome), (steps, outcome)
    assert "—" in list(default["steps to converge"])  # torch's default lrs: some do not converge in 300 steps


def test_race_rows_link_to_each_optimizers_best_and_default_lr(race):
    surface = engine.surface("rosenbrock")
    best, default = (df.value for df in race.dataframe)
    for i, name in enumerate(engine.OPTIMIZERS):
        sweep = lr_sweep(surface, name, surface.start, lr_grid(1e-3, 10.0, 5), steps=300)
        config, notices = _link_config(best["playground"][i])
        assert notices == [] and config.optimizers[0].name == name
        assert config.optimizers[0].lr == sweep.best_lr and config.steps == 300
        steps = best["steps to converge"][i]
        expected = sweep.converged_in[sweep.best]
        assert steps == ("—" if expected < 0 else str(expected)), name  # "—": it did not converge
        config, _ = _link_config(default["playground"][i])
        assert config.optimizers[0].lr == engine.race.default_lr(name)


@pytest.mark.parametrize("page, query, parts, kept", [
    ("lr_finder.py", dict(surface="nope", start_lr="5", end_lr="abc", num_it="3", noise="1"),
     ("Unknown surface", "end_lr=abc", "num_it=3", "noise"),
     {"surface": "quadratic", "optimizer": "sgd", "x0": "-1.5", "y0": "1"}),
    ("race.py", dict(lr_min="10", lr_max="0.1", per_decade="x", optimizer="adam", steps="-4"),
     ("lr_min must be below lr_max", "per_decade=x", "optimizer", "steps=-4"),
     {"surface": "quadratic", "steps": "200", "x0": "-1.5", "y0": "1"}),
])
def test_a_bad_query_gives_a_notice_and_the_defaults(page, query, parts, kept):
    at = _app(page, **query)
    assert not at.exception
    notice = at.warning[0].value.replace("\\", "")
    for part in parts:
        assert part in notice, part
    assert dict(at.query_params) == kept


@pytest.mark.parametrize("page", ["lr_finder.py", "race.py"])
@pytest.mark.parametrize("query", [
    {"surface": "custom", "f": "log(x) + y**2", "x0": "-1", "y0": "1"},  # f undefined at the start: no step made
    {"surface": "saddle"},  # losses below 0: no log axis
    {"surface": "custom", "f": "x +* y"},  # a typed f(x, y) that cannot be parsed
    {"num_it": "10", "start_lr": "0.5", "end_lr": "1000"},  # the first step diverges
])
def test_awkward_links_never_give_a_traceback(page, query):
    at = _app(page, **query)
    assert not at.exception
