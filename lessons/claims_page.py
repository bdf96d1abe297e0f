"""The Claims lab page: pick a claim, look at its experiment, give your verdict, then see the engine's.

Each experiment is one or more Playground presets run through the Playground's cached runner and drawn
with its map builder; the verdict's reason is written from those same runs (``lessons.claims``).
"""

from __future__ import annotations

import streamlit as st

from ui import runner
from ui.figures_charts import loss_figure
from ui.figures_map import map_figure
from ui.live_chart import live_chart
from ui.outcome import outcome_lines

from . import LESSONS
from .base import preset_config
from .claims import CLAIMS, VERDICTS
from .render import playground_url, setup_of

__all__ = ["render_claims"]

JUDGED = "claims.judged"  # session_state: slugs of the claims the student has given a verdict on


@st.cache_data(max_entries=32, show_spinner=False)
def _reason(index: int) -> str:
    claim = CLAIMS[index]
    return claim.reason(tuple(setup_of(preset_config(q)) for _, q in claim.presets))


def _experiment(index: int) -> None:
    claim = CLAIMS[index]
    columns = st.columns(len(claim.presets))
    for k, (column, (caption, query)) in enumerate(zip(columns, claim.presets, strict=True)):
        config = preset_config(query)
        setup = setup_of(config)
        labels = [runner.label(config, i) for i in range(len(config.optimizers))]
        with column:
            st.markdown(f"**{caption}**")
            fig = map_figure(setup.surface, setup.runs, labels, runner.picture(config.surface_key),
                             height=380 if len(claim.presets) > 1 else 460)
            live_chart(fig, f"claims.{claim.slug}.{k}")
            with st.container(key=f"claims_outcome_{claim.slug}_{k}", border=True):
                for line in outcome_lines(labels, setup.runs):
                    st.markdown(line)
            live_chart(loss_figure(setup.surface, setup.runs, labels, height=220), f"claims.{claim.slug}.{k}.loss",
                       defer=True)
            st.link_button("Open in Playground", playground_url(config), icon=":material/open_in_new:")


def render_claims() -> None:
    """Draw the Claims lab."""
    judged = st.session_state.setdefault(JUDGED, set())
    st.progress(len(judged) / len(CLAIMS), text=f"Claims lab · verdicts reached: {len(judged)} of {len(CLAIMS)}")
    st.title("Claims lab")
    st.markdown(
        "Popular explanations of the learning rate mix truths with half-truths. Pick a claim, look at the "
        "experiment that tests it (press ▶ Play on a map to watch), decide — **true**, **false** or **it "
        "depends** — and only then see the verdict and the reason, written from these very runs.")
    index = st.radio("Claim", range(len(CLAIMS)), key="claims.pick",
                     format_func=lambda i: f"{i + 1}. “{CLAIMS[i].text}”")
    claim = CLAIMS[index]
    st.subheader(f"“{claim.text}”")
    st.markdown(f"**The experiment.** {claim.setup_text}")
    _experiment(index)
    with st.container(border=True):
        verdict = st.radio("Your verdict", VERDICTS, index=None, horizontal=True, key=f"claims.{claim.slug}")
        if verdict is not None:
            judged.add(claim.slug)
            text = f"The verdict: **{claim.verdict}**."
            (st.success if verdict == claim.verdict else st.error)(
                ("You got it. " if verdict == claim.verdict else f"You said {verdict}. ") + text)
            st.markdown(_reason(index))
    last = LESSONS[-1]
    st.page_link(last.page, label=f"Back to lesson {last.number}", icon=":material/arrow_back:")
