"""Exports and QR codes: the CSV reads back as the runs, the HTML carries plotly.js and the frames, PNG
downloads are named, and the QR code the page shows encodes the link."""

from __future__ import annotations

import csv
import io

import numpy as np
import pytest
import segno

from lab.config import parse_query
from lab.exports import CSV_COLUMNS, animation_html, chart_config, figure_name, racer_names, trajectories_csv
from lab.figures_map import map_figure
from lab.qr import qr_code, qr_svg, short_link
from lab.raster import surface_picture
from lab.runs import get_surface, runs_of
from tests.lab.qr_read import svg_modules


def race(query):
    config, notices = parse_query(query)
    assert notices == []
    return config, get_surface(config.surface_key), list(runs_of(config))


def test_csv_reads_back_as_the_runs():
    # sgd at lr 5 diverges on the quadratic (2/λmax = 0.2: error × 49 a step until it overflows; at lr 0.5 the
    # cosine brings the lr under 0.2 by step 18 and the path, 3e7 away, is back by step 40); adam keeps running
    config, _, runs = race({"optimizer": "sgd,adam,sgd", "lr": "5", "lr_2": "0.05", "lr_3": "0.01",
                            "schedule": "cosine", "T_max": "30", "steps": "40"})
    rows = list(csv.DictReader(io.StringIO(trajectories_csv(config, runs))))
    assert tuple(rows[0]) == CSV_COLUMNS
    assert len(rows) == 3 * 41
    for name, run in zip(["sgd#1", "adam", "sgd#2"], runs, strict=True):
        mine = [r for r in rows if r["optimizer"] == name]
        assert [int(r["step"]) for r in mine] == list(range(41))
        np.testing.assert_array_equal([[float(r["x"]), float(r["y"])] for r in mine], run.points[:, 0])
        np.testing.assert_array_equal([float(r["loss"]) for r in mine], run.losses[:, 0])
        end = run.stopped_at[0] if run.stopped_at[0] >= 0 else 40
        np.testing.assert_array_equal([float(r["lr"]) for r in mine[:end]], run.lrs[:end, 0])
        assert all(r["lr"] == "" for r in mine[end:])
    diverged = [r for r in rows if r["optimizer"] == "sgd#1"]
    stop = int(runs[0].stopped_at[0])
    assert runs[0].status[0] == "diverged" and stop > 0
    assert {r["status"] for r in diverged[:stop]} == {"running"}
    assert {r["status"] for r in diverged[stop:]} == {"diverged"}
    assert {r["status"] for r in rows if r["optimizer"] == "adam"} == {"running"}


def test_csv_last_row_of_a_run_that_never_stopped_carries_its_final_status():
    # the quadratic: λmax = 10, so sgd at lr 2/λmax = 0.2 bounces for ever (the λ = 1 part dies out by × 0.8)
    config, _, runs = race({"optimizer": "sgd", "lr": "0.2", "x0": "0.8", "y0": "0.4", "steps": "300"})
    rows = list(csv.DictReader(io.StringIO(trajectories_csv(config, runs))))
    assert runs[0].status[0] == "oscillating"
    assert [r["status"] for r in rows] == ["running"] * 300 + ["oscillating"]


def test_csv_needs_one_run_per_racer():
    config, _, runs = race({"optimizer": "sgd,adam"})
    with pytest.raises(ValueError, match="2 racers, 1 runs"):
        trajectories_csv(config, runs[:1])


def test_racer_names_number_repeats_only():
    config, _ = parse_query({"optimizer": "adam,sgd,adam"})
    assert racer_names(config) == ["adam#1", "sgd", "adam#2"]


def test_animation_html_is_self_contained_and_paused():
    config, surface, runs = race({"surface": "rosenbrock", "optimizer": "adam", "lr": "0.05", "steps": "60"})
    fig = map_figure(surface, runs, ["Adam"], surface_picture(surface, size=60))
    html = animation_html(fig, title="Rosenbrock <Adam>")
    assert "<title>Rosenbrock &lt;Adam&gt;</title>" in html
    assert "plotly.js v" in html or "Plotly.newPlot" in html
    assert len(html) > 3_000_000 and "<script src=\"http" not in html  # plotly.js inline, nothing fetched
    assert "Plotly.addFrames" in html and '"name":"60"' in html  # the frames, up to the last step
    assert "data:image/png;base64," in html  # the surface picture travels inside the file
    assert "descent-lab-rosenbrock-adam" in html


def test_chart_config_names_png_downloads():
    config, _ = parse_query({"surface": "himmelblau", "optimizer": "nesterov"})
    assert chart_config(figure_name(config)) == {
        "responsive": True, "displayModeBar": True, "displaylogo": False,
        "modeBarButtonsToRemove": ["select2d", "lasso2d", "autoScale2d", "sendChartToCloud", "sendDataToCloud"],
        "toImageButtonOptions": {"format": "png", "filename": "descent-lab-himmelblau-nesterov", "scale": 2},
        "showSendToCloud": False, "plotlyServerURL": "",
    }
    assert chart_config("Custom f(x, y)!")["toImageButtonOptions"]["filename"] == "descent-lab-custom-f-x-y"


def test_no_chart_config_can_send_a_chart_off_the_machine():
    for config in (chart_config("map"), chart_config("map", mode_bar="hover"), chart_config("", mode_bar=False)):
        assert config["showSendToCloud"] is False and config["plotlyServerURL"] == ""
        assert {"sendChartToCloud", "sendDataToCloud"} <= set(config["modeBarButtonsToRemove"])
        assert "toImage" not in config["modeBarButtonsToRemove"] and config["toImageButtonOptions"]["format"] == "png"


def test_the_html_export_has_no_upload_button():
    config, surface, runs = race({"surface": "bowl", "steps": "5"})
    html = animation_html(map_figure(surface, runs, ["SGD"], surface_picture(surface, size=20)))
    call = html[html.rindex("Plotly.newPlot"):]
    assert '"showSendToCloud": false' in call and '"sendChartToCloud"' in call
    assert "plot.ly" not in call and "chart-studio" not in call.lower()


@pytest.mark.parametrize("url", ["http://192.168.1.20:8501/present?lesson=3&scene=2",
                                 "https://lab.example.org/playground?surface=rosenbrock&optimizer=adam&lr=0.01"])
def test_qr_svg_encodes_the_link(url):
    svg = qr_svg(url, border=4)
    expected = np.array(segno.make_qr(url, error="m").matrix, dtype=bool)
    np.testing.assert_array_equal(svg_modules(svg, border=4), expected)
    other = np.array(segno.make_qr(url + "x", error="m").matrix, dtype=bool)
    assert other.shape != expected.shape or (other != expected).any()


def test_qr_code_refuses_an_empty_link_and_short_link_drops_the_scheme():
    with pytest.raises(ValueError, match="link"):
        qr_code("")
    assert qr_code("http://a.b/c").error == "M"
    assert short_link("https://www.lab.org/present?lesson=2") == "lab.org/present?lesson=2"
    assert short_link("http://10.0.0.5:8501/playground") == "10.0.0.5:8501/playground"
