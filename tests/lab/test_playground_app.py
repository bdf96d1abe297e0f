"""The Playground page under Streamlit's AppTest: widgets change the run, the URL sets the widgets, a bad URL
gives the notice, and a typed f(x, y) undefined somewhere (at the start, on part of the view) or with a syntax
error, or a start outside the view, still gives an outcome and a map (never a traceback)."""

import json
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

import pytest
from streamlit.testing.v1 import AppTest

import engine
from lab import share_address
from lab.figures_map import UNDEFINED
from lab.qr import qr_svg
from tests.conftest import TEST_LAN
from tests.live_slider import live_slider, release

PAGE = str(Path(__file__).resolve().parents[2] / "views" / "playground.py")


def _app(**query) -> AppTest:
    at = AppTest.from_file(PAGE, default_timeout=30)
    at.query_params.update(query)
    return at.run()


def _lr_slider(at: AppTest, i: int) -> dict:
    """Racer i's live lr slider (tests/live_slider.py): its data, with ``value`` (the lr its thumb stands at)."""
    return live_slider(at, f"pg_lrs{i}")


def _release_at(at: AppTest, i: int, lr: float) -> AppTest:
    """What releasing racer i's slider at ``lr`` does (its on_commit writes the lr's key), then the rerun."""
    return release(at, f"pg_lrs{i}", f"pg_lr{i}", lr)


def _outcome(at: AppTest) -> str:
    return " ".join(m.value.replace("\\", "") for m in at.markdown if "lr" in m.value and ":" in m.value)


@pytest.fixture(scope="module")
def default_app():
    return _app()


def test_default_page_converges_and_writes_the_url(default_app):
    at = default_app
    assert not at.exception
    assert "converged in" in _outcome(at)
    assert _lr_slider(at, 0)["label"] == "Learning rate"
    assert at.query_params["lr"] == "0.08" and at.query_params["surface"] == "quadratic"


def test_slider_changes_the_run_and_the_outcome(default_app):
    at = default_app
    _release_at(at, 0, 0.3)
    assert "diverged at step" in _outcome(at)
    assert at.query_params["lr"] == "0.3"
    assert r"\gamma = 0.3" in at.latex[0].value  # the update rule carries the new number
    _release_at(at, 0, 0.15)
    assert "converged" in _outcome(at) or "oscillating" in _outcome(at)


def test_a_link_opened_after_a_slider_move_sets_its_own_lr():
    """A student moved the slider, then follows a link (a tool's "Open in Playground", the teacher's QR code)
    in the same session: the link's lr and settings are run, not the lr the slider was left at."""
    at = _app()
    _release_at(at, 0, 0.3)
    at.query_params.clear()
    at.query_params.update(surface="quadratic", optimizer="sgd", lr="0.01", momentum="0.66", steps="300")
    at.run()
    assert not at.exception
    assert at.query_params["lr"] == "0.01" and at.query_params["momentum"] == "0.66"
    assert _lr_slider(at, 0)["value"] == 0.01
    assert "lr 0.01" in _outcome(at)


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
    assert _lr_slider(at, 0)["value"] == 3.0
    assert at.selectbox(key="pg_surface").value == "bowl"
    assert (at.number_input(key="pg_x0").value, at.number_input(key="pg_y0").value) == (1.5, -1.0)
    assert "diverged at step" in _outcome(at)
    at = _app(surface="bowl", optimizer="sgd,momentum", lr="0.1", lr_2="0.0333", momentum_2="0.5")
    assert _lr_slider(at, 1)["value"] == 0.0333  # off-grid values are kept exactly
    assert at.number_input(key="pg_h1.momentum.momentum").value == 0.5
    assert "converged" in _outcome(at)


def test_bad_query_parameters_give_the_notice():
    at = _app(surface="<script>alert(1)</script>", lr="NaN", steps="-3", x0="1e999", optimizer="sgd,bogus", zz="1")
    assert not at.exception
    assert len(at.warning) == 1
    text = at.warning[0].value
    assert "could not be used" in text and "\\<script\\>" in text
    assert _lr_slider(at, 0)["value"] == 0.08
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


def test_the_share_dialog_warns_when_only_this_computer_can_open_the_link(monkeypatch):
    at = _app(surface="bowl")
    at.button(key="pg_share").click().run()
    (link,) = [c.value for c in at.code if "playground?" in c.value]
    assert link.startswith(f"http://{TEST_LAN}:8501/playground?") and not at.warning  # the LAN address
    assert any(TEST_LAN in c.value.replace("\\", "") and "same network" in c.value for c in at.caption)
    monkeypatch.setattr(share_address, "lan_address", lambda: None)  # a laptop on no network
    at.button(key="pg_share").click().run()
    (link,) = [c.value for c in at.code if "playground?" in c.value]
    assert link.startswith("http://localhost:8501/playground?")
    (warning,) = at.warning
    assert "This link only works on this computer (localhost): students' phones cannot open it" in \
        warning.value.replace("\\", "")


def test_the_map_preloads_the_code_highlighter_the_share_dialog_needs(default_app):
    """The dialog's link is an st.code, which waits for Streamlit's code highlighter; the map has the browser
    load it once the map is drawn (tests/e2e checks it arrives), and only the map asks."""
    from views.widgets.live_chart import CODE_HIGHLIGHTER

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


# --- a typed f(x, y) undefined somewhere, a syntax error, a start outside the view ----------------------


def _map(at: AppTest) -> dict:
    """The map's figure as sent to the browser (the one chart a click can pick a start on)."""
    (chart,) = [json.loads(e.proto.json) for e in at.get("bidi_component")
                if e.proto.component_name == "descent_lab.live_chart" and json.loads(e.proto.json)["clickable"]]
    return json.loads(chart["figure"])


@pytest.mark.parametrize("query", [{"f": "log(x)"}, {"f": "sqrt(x)", "x0": "-1", "y0": "0"},
                                   {"f": "1/x", "x0": "0", "y0": "0"}], ids=lambda q: q["f"])
def test_a_start_where_f_is_undefined_gives_the_outcome_and_the_map(query):
    at = _app(surface="custom", **query)
    assert not at.exception
    assert "diverged at step 0" in _outcome(at) and "f is not defined at the start" in _outcome(at)
    figure = _map(at)
    start = next(t for t in figure["data"] if t.get("name") == "start")
    assert (start["x"][0], start["y"][0]) == (float(query.get("x0", -2.1)), float(query.get("y0", 2.1)))
    assert UNDEFINED in [t.get("name") for t in figure["data"]]  # the blank (hatched) part is explained


def test_typed_default_start_is_a_clean_number():
    at = _app()
    at.selectbox(key="pg_surface").set_value("custom").run()
    assert (at.number_input(key="pg_x0").value, at.number_input(key="pg_y0").value) == (-2.1, 2.1)
    assert at.query_params["x0"] == "-2.1"


def test_a_syntax_error_points_at_it_and_keeps_the_last_good_figure():
    at = _app(surface="custom", f="x^2 + y^2", x0="1", y0="1")
    assert not at.exception and "converged" in _outcome(at)
    good = _map(at)
    at.text_input(key="pg_expr").set_value("x**").run()
    assert not at.exception
    (error,) = at.error
    message = error.value.replace("\\", "")
    assert "'**' at the end has nothing on its right" in message and "products" not in message
    assert any(c.value == "x**\n ^" for c in at.code)  # the caret under the spot
    assert any("last f(x, y) that worked" in w.value for w in at.warning)
    assert "converged" in _outcome(at) and _map(at)["data"] == good["data"]  # the last good run, still shown
    assert at.query_params["f"] == "x^2 + y^2"  # the address keeps the run on screen


def test_a_start_outside_the_view_widens_the_map_and_says_so():
    at = _app(surface="bowl", optimizer="sgd", lr="0.1", x0="8", y0="-1")  # the bowl's view is x, y in [-2, 2]
    assert not at.exception and "converged" in _outcome(at)
    layout = _map(at)["layout"]
    assert layout["xaxis"]["range"][0] == -2 and layout["xaxis"]["range"][1] > 8
    assert "left the view at step 0" not in json.dumps(_map(at))
    assert any("outside the surface's usual view" in c.value for c in at.caption)


def test_no_curvature_thresholds_at_a_start_where_f_is_not_defined():
    at = _app(surface="custom", f="log(x)")  # log's formal Hessian -1/x² is finite at x < 0; f is not
    assert any("f is not defined at the start, so it has no curvature L" in c.value for c in at.caption)
    assert not any("Local curvature at the start" in c.value for c in at.caption)


def test_warm_up_of_the_constant_schedule_is_in_the_address_the_share_link_and_the_qr_code():
    at = _app()
    plain = _outcome(at)
    at.number_input(key="pg_c.constant.warmup_steps").set_value(20).run()
    warm = _outcome(at)
    assert warm != plain and at.query_params["warmup_steps"] == "20"
    at.button(key="pg_share").click().run()
    (link,) = [c.value for c in at.code if "playground?" in c.value]
    assert "warmup_steps=20" in link
    assert qr_svg(link) in [m.value for m in at.markdown]
    followed = _app(**dict(parse_qsl(urlsplit(link).query)))
    assert _outcome(followed) == warm
