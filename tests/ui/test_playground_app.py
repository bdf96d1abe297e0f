"""The Playground page under Streamlit's AppTest: widgets change the run, the URL sets the widgets, and a
bad URL gives the notice (never a traceback)."""

import json
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

import engine

PAGE = str(Path(__file__).resolve().parents[2] / "views" / "playground.py")


def _app(**query) -> AppTest:
    at = AppTest.from_file(PAGE, default_timeout=30)
    at.query_params.update(query)
    return at.run()


def _outcome(at: AppTest) -> str:
    return " ".join(m.value.replace("\\", "") for m in at.markdown if "lr" in m.value and ":" in m.value)


@pytest.fixture(scope="module")
def default_app():
    return _app()


def test_default_page_converges_and_writes_the_url(default_app):
    at = default_app
    assert not at.exception
    assert "converged in" in _outcome(at)
    assert at.select_slider(key="pg_lr0").label == "Learning rate"
    assert at.query_params["lr"] == "0.08" and at.query_params["surface"] == "quadratic"


def test_slider_changes_the_run_and_the_outcome(default_app):
    at = default_app
    at.select_slider(key="pg_lr0").set_value(0.3).run()
    assert "diverged at step" in _outcome(at)
    assert at.query_params["lr"] == "0.3"
    assert r"\gamma = 0.3" in at.latex[0].value  # the update rule carries the new number
    at.select_slider(key="pg_lr0").set_value(0.15).run()
    assert "converged" in _outcome(at) or "oscillating" in _outcome(at)


def test_selects_change_the_run():
    at = _app()
    at.selectbox(key="pg_opt0").set_value("adam").run()
    assert "Adam" in _outcome(at) and at.query_params["optimizer"] == "adam"
    at.selectbox(key="pg_surface").set_value("bowl").run()
    assert at.number_input(key="pg_x0").value == 1.5 and at.query_params["surface"] == "bowl"


@pytest.mark.parametrize("schedule", sorted(engine.SCHEDULES))
def test_every_schedule_runs_from_the_sidebar_and_from_a_link(schedule):
    at = _app()
    at.selectbox(key="pg_schedule").set_value(schedule).run()
    assert not at.exception and not at.warning and "lr" in _outcome(at)
    linked = _app(schedule=schedule)  # cyclic's step_size_down (None: = step_size_up) once broke both
    assert not linked.exception and not linked.warning and _outcome(linked) == _outcome(at)


def test_query_parameters_set_the_controls():
    at = _app(surface="bowl", optimizer="sgd", lr="3", x0="1.5", y0="-1")
    assert not at.exception and not at.warning
    assert at.select_slider(key="pg_lr0").value == 3.0
    assert at.selectbox(key="pg_surface").value == "bowl"
    assert (at.number_input(key="pg_x0").value, at.number_input(key="pg_y0").value) == (1.5, -1.0)
    assert "diverged at step" in _outcome(at)
    at = _app(surface="bowl", optimizer="sgd,momentum", lr="0.1", lr_2="0.0333", momentum_2="0.5")
    assert at.select_slider(key="pg_lr1").value == 0.0333  # off-grid values are kept exactly
    assert at.number_input(key="pg_h1.momentum.momentum").value == 0.5
    assert "converged" in _outcome(at)


def test_bad_query_parameters_give_the_notice():
    at = _app(surface="<script>alert(1)</script>", lr="NaN", steps="-3", x0="1e999", optimizer="sgd,bogus", zz="1")
    assert not at.exception
    assert len(at.warning) == 1
    text = at.warning[0].value
    assert "could not be used" in text and "\\<script\\>" in text
    assert at.select_slider(key="pg_lr0").value == 0.08
    assert at.query_params["surface"] == "quadratic"  # the URL is rewritten to the run actually shown


def test_share_and_export_dialog_gives_the_link_and_the_exports():
    at = _app(surface="bowl", optimizer="adam", lr="0.05")
    assert not at.exception
    assert not at.code and not at.get("download_button")  # built only when the dialog is opened
    at.button(key="pg_share").click().run()
    assert not at.exception
    links = [c.value for c in at.code if "playground?" in c.value]
    assert len(links) == 1 and "surface=bowl" in links[0] and "lr=0.05" in links[0]
    assert [b.label for b in at.get("download_button")] == ["Animation (HTML, plays offline)", "Trajectories (CSV)"]
    assert any("torch.optim.Adam([p], lr=0.05" in c.value for c in at.code)


def test_the_map_preloads_the_code_highlighter_the_share_dialog_needs(default_app):
    """The dialog's link is an st.code, which waits for Streamlit's code highlighter; the map has the browser
    load it once the map is drawn (tests/e2e checks it arrives), and only the map asks."""
    from ui.live_chart import CODE_HIGHLIGHTER

    preloads = {c.proto.id.rsplit("-", 1)[-1]: json.loads(c.proto.json)["preload"]
                for c in default_app.get("bidi_component") if c.proto.component_name == "descent_lab.live_chart"}
    assert preloads.pop("pg_map") == [CODE_HIGHLIGHTER] and preloads and not any(preloads.values())


def test_typed_expression_runs_and_bad_text_gets_a_message():
    at = _app()
    at.selectbox(key="pg_surface").set_value("custom").run()
    at.text_input(key="pg_expr").set_value("x^2 + 3*y^2").run()
    assert not at.exception
    assert at.query_params["surface"] == "custom" and at.query_params["f"] == "x^2 + 3*y^2"
    assert "lr 0.08" in _outcome(at)
    at.text_input(key="pg_expr").set_value("__import__('os').system('id')").run()
    assert not at.exception
    assert any("Cannot use this f(x, y)" in e.value and "only the functions" in e.value for e in at.error)
