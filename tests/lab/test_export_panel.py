"""The Playground's Export popover under AppTest: two downloads and the three code tabs with their notes."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest


def panel_page() -> None:

    import engine
    from lab.config import parse_query
    from lab.raster import surface_picture
    from lab.runs import runs_of
    from views.widgets.export_panel import export_panel

    config, _ = parse_query({"surface": "booth", "optimizer": "momentum,rmsprop", "lr": "0.01", "lr_2": "0.05",
                             "schedule": "step", "step_size": "50"})
    surface = engine.surface("booth")
    export_panel(config, surface, runs_of(config), ["Momentum · lr 0.01", "RMSprop · lr 0.05"],
                 surface_picture(surface, size=40))


def notes(markdown) -> str:
    return markdown.value.replace("\\", "")  # the notes are shown Markdown-escaped


def test_export_panel_offers_files_and_code_for_each_racer():
    at = AppTest.from_function(panel_page, default_timeout=60).run()
    assert not at.exception
    assert [t.label for t in at.tabs] == ["PyTorch", "Keras", "Optax"]
    assert "torch.optim.SGD([p], lr=0.01, momentum=0.9" in at.code[0].value
    assert "keras.optimizers.schedules.ExponentialDecay" in at.code[1].value
    assert [b.label for b in at.get("download_button")] == ["Animation (HTML, plays offline)", "Trajectories (CSV)"]
    assert any("exact equivalent" in notes(m) for m in at.markdown)
    # named without the lr, so committing an lr keeps the racer checked in the browser (test_playground.py)
    assert at.radio(key="pg_export_racer").options == ["Momentum", "RMSprop"]
    at.radio(key="pg_export_racer").set_value(1).run()
    assert "torch.optim.RMSprop([p], lr=0.05" in at.code[0].value
    assert any("eps_in_sqrt=False" in notes(m) for m in at.markdown)
