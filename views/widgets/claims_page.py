"""The Claims lab page: pick a claim, look at its experiment, give your verdict, then see the one the runs
support, with where the claim holds and where it fails.

Each experiment is one or more Playground presets run through the Playground's cached runner and drawn
with its map builder; the verdict and its reasons are decided from those same runs (``lessons.claims``).
"""

from __future__ import annotations

import streamlit as st

from lab import runs as runner
from lab.figures_charts import loss_spec
from lab.figures_claims import train_val_runs_figure
from lab.figures_map import map_spec
from lab.outcome import outcome_lines
from lessons import LESSONS
from lessons.base import Setup, preset_config
from lessons.claims import CLAIMS, UNTESTED, VERDICTS, Finding, train_val
from lessons.common import rounded, setup_of
from views.widgets.live_chart import live_chart

from .lesson_page import playground_url
from .no_settings import ignore_address

__all__ = ["render_claims"]

JUDGED = "claims.judged"  # session_state: slugs of the claims the student has given a verdict on


def _setups(index: int) -> tuple[Setup, ...]:
    return tuple(setup_of(preset_config(q)) for _, q in CLAIMS[index].presets)


@st.cache_data(max_entries=32, show_spinner=False)
def _finding(index: int) -> Finding:
    return CLAIMS[index].judge(_setups(index))


@st.cache_resource(max_entries=64, show_spinner=False)
def _preset_charts(index: int, k: int) -> tuple[dict, dict, list[str]]:
    """Preset k of claim ``index``: its map and loss figures (plain dicts, shared by every session and never
    mutated) and its outcome lines."""
    claim = CLAIMS[index]
    config = preset_config(claim.presets[k][1])
    setup = setup_of(config)
    labels = runner.labels_of(config)
    drawn = map_spec(setup.surface, setup.runs, labels, runner.picture(config.surface_key),
                     height=380 if len(claim.presets) > 1 else 460)
    return drawn, loss_spec(setup.surface, setup.runs, labels, height=220), outcome_lines(labels, setup.runs)


@st.cache_resource(max_entries=16, show_spinner=False)
def _train_val_chart(index: int) -> dict:
    """Claim ``index``'s training and validation curves, one pair per preset, as a plain figure dict (shared)."""
    curves = [(f"α = {rounded(s.lr)}", *train_val(s)) for s in _setups(index)]
    return train_val_runs_figure(curves).to_dict()


def _experiment(index: int) -> None:
    claim = CLAIMS[index]
    columns = st.columns(len(claim.presets))
    for k, (column, (caption, query)) in enumerate(zip(columns, claim.presets, strict=True)):
        drawn, loss, lines = _preset_charts(index, k)
        with column:
            st.markdown(f"**{caption}**")
            live_chart(drawn, f"claims.{claim.slug}.{k}")
            with st.container(key=f"claims_outcome_{claim.slug}_{k}", border=True):
                for line in lines:
                    st.markdown(line)
            live_chart(loss, f"claims.{claim.slug}.{k}.loss", defer=True)
            st.link_button("Open in Playground", playground_url(preset_config(query)),
                           icon=":material/open_in_new:")
    if claim.regression:
        st.markdown("**Training and validation loss** (the validation points are never used for training; a dot "
                    "marks each run's lowest validation loss)")
        live_chart(_train_val_chart(index), f"claims.{claim.slug}.train_val")


def render_claims() -> None:
    """Draw the Claims lab."""
    judged = st.session_state.setdefault(JUDGED, set())
    st.progress(len(judged) / len(CLAIMS), text=f"Claims lab · verdicts reached: {len(judged)} of {len(CLAIMS)}")
    st.title("Claims lab")
    ignore_address("the Claims lab")
    st.markdown(
        "Popular explanations of the learning rate mix truths with half-truths. Each claim below is stated as "
        "the explainers make it, hedges included. Pick one, look at the experiment that tests it (press ▶ Play "
        "on a map to watch), decide — **true**, **false** or **it depends** — and only then see the verdict the "
        "runs support: where the claim holds and where it fails, with every number taken from these very runs.")
    index = st.radio("Claim", range(len(CLAIMS)), key="claims.pick",
                     format_func=lambda i: f"{CLAIMS[i].number}. “{CLAIMS[i].text}”")
    claim = CLAIMS[index]
    st.header(f"Claim {claim.number}")  # h2 under the page's h1, the claim's words h3 under it
    st.subheader(f"“{claim.text}”")
    st.caption(f"Made by {claim.sources} of the four explainers we read.")
    st.markdown(f"**The experiment.** {claim.setup_text}")
    _experiment(index)
    with st.container(border=True):
        verdict = st.radio("Your verdict", VERDICTS, index=None, horizontal=True, key=f"claims.{claim.slug}")
        if verdict is not None:
            judged.add(claim.slug)
            finding = _finding(index)
            text = f"The verdict: **{finding.verdict}**."
            (st.success if verdict == finding.verdict else st.error)(
                ("You got it. " if verdict == finding.verdict else f"You said {verdict}. ") + text)
            st.markdown(f"**Where it holds.** {finding.where_it_holds}")
            st.markdown(f"**Where it fails.** {finding.where_it_fails}")
    for number, text, why in UNTESTED:
        st.caption(f"Not tested here — claim {number}, “{text}” {why}")
    last = LESSONS[-1]
    st.page_link(last.page, label=f"Back to lesson {last.number}", icon=":material/arrow_back:")
