"""Links that open a tool on a given setup: each tool's address (its page's ``url_path``) with the query its
own writer gives (``lab.tool_links.tool_query``, ``lab.tool_links.finder_query`` / ``race_query``), so what a
lesson links to is what the tool's reader reads back, without a notice.  No streamlit.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import replace
from typing import Any
from urllib.parse import urlencode

from .config import RunConfig, default_config
from .tool_links import BASINS, STABILITY, FinderConfig, RaceConfig, finder_query, race_query, tool_query

__all__ = ["TOOL_PATHS", "fitting_tools", "tool_address", "tool_query_of"]


def _without_extras(config: RunConfig) -> RunConfig:
    """``config`` with the Playground's schedule, noise and seed (what the LR finder and the race do not use)."""
    base = default_config()
    return replace(config, schedule=base.schedule, schedule_params=base.schedule_params, noise=base.noise,
                   seed=base.seed)


# Each tool page's url_path (views.registry) -> its query of (a one-optimizer config, the tool's own values).
_WRITERS: dict[str, Callable[[RunConfig, Mapping[str, Any]], dict[str, str]]] = {
    "stability-map": lambda config, own: tool_query(STABILITY, config, own),
    "basins": lambda config, own: tool_query(BASINS, config, own),
    "lr-finder": lambda config, own: finder_query(FinderConfig(_without_extras(config), **own)),
    "race": lambda config, own: race_query(RaceConfig(_without_extras(config), **own)),
}
TOOL_PATHS = tuple(_WRITERS)


def tool_query_of(path: str, config: RunConfig, racer: int = 0, own: Mapping[str, Any] | None = None) -> dict[str, str]:
    """The query that opens the tool at ``path`` on ``config``'s surface and start with its racer ``racer`` (a
    tool runs one optimizer) and the tool's own values ``own`` (e.g. the stability map's ``axis``)."""
    if path not in _WRITERS:
        raise ValueError(f"unknown tool {path!r}; the tools are {', '.join(TOOL_PATHS)}")
    return _WRITERS[path](replace(config, optimizers=(config.optimizers[racer],)), dict(own or {}))


def tool_address(path: str, config: RunConfig, racer: int = 0, own: Mapping[str, Any] | None = None) -> str:
    """``tool_query_of`` as a link relative to the app: "stability-map?surface=…"."""
    return f"{path}?{urlencode(tool_query_of(path, config, racer, own))}"


def fitting_tools(config: RunConfig) -> list[tuple[str, int]]:
    """The tools that take ``config`` as it is, each with the racer it opens on: the stability map when a racer's
    β is one it sweeps (the first such racer), the basin map on its surfaces, the LR finder (the first racer)
    and the fair race always."""
    tools = []
    fits = [i for i, opt in enumerate(config.optimizers) if opt.name in STABILITY.optimizers]
    if fits:
        tools.append(("stability-map", fits[0]))
    if config.surface in BASINS.surfaces:
        tools.append(("basins", 0))
    return [*tools, ("lr-finder", 0), ("race", 0)]
