"""The address students use to open a shared link: not necessarily the one the instructor's browser uses.

In class the app runs on the instructor's laptop and the browser there shows ``http://localhost:8501``;
a link on that host opens nothing on a student's phone.  So a shared link is built on, in order:

1. the public address set in the environment variable ``DESCENT_LAB_PUBLIC_URL`` (the app's root as
   students reach it, e.g. ``https://lab.example.org/descent`` or ``http://192.168.1.20:8501``);
2. the address the browser used, when its host is not loopback (a LAN address or a server name);
3. the browser's address with its loopback host (127.x, ``localhost``, ``::1``) replaced by this machine's
   LAN address (the port and path prefix kept);
4. the loopback address itself, with a warning that students cannot open it.

The LAN address is found without network traffic: ``connect`` on a UDP socket only picks the local interface
that routes to the given address (no packet is sent), and ``getaddrinfo`` on the host name reads the
resolver's local tables.  Pure functions apart from that look-up; no streamlit.
"""

from __future__ import annotations

import ipaddress
import os
import socket
from dataclasses import dataclass
from urllib.parse import urlencode, urlsplit

from .config import RunConfig, to_query

__all__ = ["PUBLIC_URL_ENV", "SharePage", "app_link", "choose_share_page", "is_loopback", "lan_address",
           "share_page", "share_url"]

PUBLIC_URL_ENV = "DESCENT_LAB_PUBLIC_URL"
FALLBACK_ROOT = "http://localhost:8501"  # the app's root when the page's address is unknown (tests)
PROBE = ("192.0.2.1", 9)  # TEST-NET-1 (RFC 5737): only used to ask the routing table, never contacted


@dataclass(frozen=True)
class SharePage:
    """The page on screen as students should reach it (``url``), a ``note`` saying where that address came
    from when it is not the browser's own, and a ``warning`` when students cannot open it."""

    url: str
    note: str = ""
    warning: str = ""


def is_loopback(host: str) -> bool:
    """Whether ``host`` names this machine only: ``localhost`` (and ``*.localhost``), 127.0.0.0/8, ``::1``."""
    host = host.strip("[]").lower()
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def lan_address() -> str | None:
    """This machine's IPv4 address on its network (not loopback), or None when it has none."""
    try:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
            probe.connect(PROBE)  # UDP: chooses the outgoing interface, sends nothing
            address = probe.getsockname()[0]
        if not is_loopback(address) and address != "0.0.0.0":
            return address
    except OSError:
        pass
    try:
        infos = socket.getaddrinfo(socket.gethostname(), None, socket.AF_INET)
    except OSError:
        return None
    return next((info[4][0] for info in infos if not is_loopback(info[4][0])), None)


def _root_and_page(page_url: str | None) -> tuple[str, str]:
    """(scheme://host[:port][/prefix], page name) of a page's address; the fallback root for none."""
    parts = urlsplit(page_url or "")
    if not (parts.scheme and parts.netloc):
        return FALLBACK_ROOT, ""
    prefix, _, page = parts.path.rpartition("/")
    return f"{parts.scheme}://{parts.netloc}{prefix}", page


def _configured_root(configured: str) -> str | None:
    parts = urlsplit(configured.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return None
    return f"{parts.scheme}://{parts.netloc}{parts.path.rstrip('/')}"


def choose_share_page(page_url: str | None, configured: str | None, lan: str | None) -> SharePage:
    """The page at ``page_url`` (the browser's address, ``st.context.url``) as students reach it, given the
    ``configured`` public address (``DESCENT_LAB_PUBLIC_URL``, or None) and this machine's ``lan`` address
    (or None); the order of choice is in the module docstring."""
    root, page = _root_and_page(page_url)
    problem = ""
    if configured:
        public = _configured_root(configured)
        if public is not None:
            return SharePage(f"{public}/{page}", note=f"Address set in {PUBLIC_URL_ENV}.")
        problem = (f"{PUBLIC_URL_ENV} = {configured!r} is not an http(s) address, so it was ignored. ")
    parts = urlsplit(root)
    if not is_loopback(parts.hostname or ""):
        return SharePage(f"{root}/{page}", warning=problem)
    if lan:
        port = f":{parts.port}" if parts.port else ""
        return SharePage(f"{parts.scheme}://{lan}{port}{parts.path}/{page}",
                         note=f"Uses this computer's network address {lan}: students need to be on the same "
                              "network.", warning=problem)
    return SharePage(f"{root}/{page}", warning=(
        f"{problem}This link only works on this computer ({parts.hostname}): students' phones cannot open it, "
        f"and this computer has no network address. Connect it to the class network, or set {PUBLIC_URL_ENV} "
        "to the address students can reach (see the README)."))


def share_page(page_url: str | None) -> SharePage:
    """``choose_share_page`` with the environment's public address and this machine's LAN address."""
    return choose_share_page(page_url, os.environ.get(PUBLIC_URL_ENV), lan_address())


def app_link(page_url: str | None, path: str, query: dict[str, str]) -> str:
    """The link to the app's page ``path`` with ``query``, on the server (and under the path prefix,
    ``server.baseUrlPath``) of the page at ``page_url``; http://localhost:8501 stands in for none."""
    root, _ = _root_and_page(page_url)
    return f"{root}/{path}" + (f"?{urlencode(query)}" if query else "")


def share_url(page_url: str | None, config: RunConfig) -> str:
    """The Playground link of ``config`` on the server of the page at ``page_url`` (``lab.share_address``)."""
    return app_link(page_url, "playground", to_query(config))
