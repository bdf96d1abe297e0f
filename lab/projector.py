"""Projector styling for the Presenter's figures: large fonts, thick opaque paths, room for the legend."""

from __future__ import annotations

import plotly.graph_objects as go

from .map_view import legend_rows

__all__ = ["HEAD_WIDTH", "PATH_WIDTH", "PROJECTOR_FONT", "projector_style"]

PROJECTOR_FONT = 24  # px: readable from the back of a classroom on a 1080p projector
PATH_WIDTH = 4  # px: a racer's whole path, drawn opaque (the Playground's faint 1.5 px vanish on a projector)
HEAD_WIDTH = 8  # px: the moving head's trail, thicker than the path under it
BASE_FONT = 12  # px: the font the map's own legend rows are sized for
LEGEND_WIDTH = 800  # px: the legend's width on the presenter page, at least (its figure column: 965 px at 1280)



def projector_style(fig: go.Figure, font: int = PROJECTOR_FONT, height: int = 680) -> go.Figure:
    """``fig`` restyled in place for a projector: large fonts everywhere (axes, legend, the Play button and
    the step slider), room above the plot for the larger legend, a taller plot, thick opaque paths and
    thicker moving heads.  Returns the figure."""
    fig.update_layout(font=dict(size=font), height=height, legend=dict(font=dict(size=font)),
                      hoverlabel=dict(font=dict(size=font)), modebar=dict(orientation="v"))  # not over the legend
    fig.update_xaxes(tickfont=dict(size=font))
    fig.update_yaxes(tickfont=dict(size=font))
    for menu in fig.layout.updatemenus or ():
        menu.font = dict(size=font + 4)
    for slider in fig.layout.sliders or ():  # it starts right of the larger Play and Pause buttons
        slider.update(x=0.34, len=0.66, font=dict(size=font - 4))
        slider.currentvalue.font = dict(size=font)
    fig.update_traces(line=dict(width=PATH_WIDTH), opacity=1, selector=dict(mode="lines"))
    fig.update_traces(line=dict(width=HEAD_WIDTH), selector=dict(mode="lines+markers"))
    if fig.layout.showlegend:  # the map reserves legend rows for its small font: make room for the large one
        names = [t.name for t in fig.data if t.showlegend is not False and t.name]
        rows = legend_rows(names, width=LEGEND_WIDTH * BASE_FONT / font)
        fig.update_layout(margin=dict(t=10 + rows * round(1.5 * font)))
    return fig
