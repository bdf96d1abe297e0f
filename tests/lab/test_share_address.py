"""The address a shared link is built on: the configured public address, else the browser's when students
can reach it, else this machine's LAN address, else the loopback address with a warning; and the LAN
look-up itself sends nothing."""

from __future__ import annotations

import socket

import pytest

from lab import share_address
from lab.share_address import PUBLIC_URL_ENV, app_link, choose_share_page, is_loopback, lan_address

LOCAL_PAGE = "http://localhost:8600/present"


def test_a_configured_public_address_wins():
    page = choose_share_page(LOCAL_PAGE, "https://lab.example.org/descent/", "192.168.1.5")
    assert page.url == "https://lab.example.org/descent/present" and not page.warning
    assert PUBLIC_URL_ENV in page.note
    assert app_link(page.url, "playground", {"lr": "0.1"}) == "https://lab.example.org/descent/playground?lr=0.1"


@pytest.mark.parametrize("host", ["localhost", "127.0.0.1", "127.1.2.3", "[::1]", "app.localhost"])
def test_a_loopback_address_becomes_the_lan_address_with_its_port_and_prefix(host):
    page = choose_share_page(f"http://{host}:8600/descent/playground", None, "192.168.1.5")
    assert page.url == "http://192.168.1.5:8600/descent/playground"
    assert "192.168.1.5" in page.note and "same network" in page.note and not page.warning


@pytest.mark.parametrize("host", ["localhost", "127.0.0.1", "[::1]"])
def test_a_loopback_address_without_a_lan_address_is_kept_with_a_warning(host):
    page = choose_share_page(f"http://{host}:8600/present", None, None)
    assert page.url == f"http://{host}:8600/present"
    assert "only works on this computer" in page.warning and "students' phones cannot open it" in page.warning
    assert PUBLIC_URL_ENV in page.warning


def test_an_address_students_can_reach_is_kept_as_it_is():
    for url in ("http://10.0.0.7:8501/present", "https://lab.example.org/descent/playground"):
        page = choose_share_page(url, None, "192.168.1.5")
        assert page.url == url and not page.warning and not page.note


@pytest.mark.parametrize("bad", ["lab.example.org", "javascript:alert(1)", "ftp://lab.example.org", "http://"])
def test_a_configured_address_that_is_not_http_is_ignored_with_a_warning(bad):
    page = choose_share_page(LOCAL_PAGE, bad, "192.168.1.5")
    assert page.url == "http://192.168.1.5:8600/present"
    assert PUBLIC_URL_ENV in page.warning and "ignored" in page.warning
    alone = choose_share_page(LOCAL_PAGE, bad, None).warning
    assert "ignored" in alone and "only works on this computer" in alone


def test_without_a_page_address_the_local_default_stands_in():
    assert choose_share_page(None, None, None).url == "http://localhost:8501/"
    assert choose_share_page(None, None, "192.168.1.5").url == "http://192.168.1.5:8501/"
    assert app_link("http://192.168.1.5:8501/", "present", {"lesson": "3", "scene": "2"}) == \
        "http://192.168.1.5:8501/present?lesson=3&scene=2"


def test_loopback_hosts():
    assert all(map(is_loopback, ["localhost", "LOCALHOST", "127.0.0.1", "127.255.0.9", "::1", "[::1]"]))
    assert not any(map(is_loopback, ["192.168.1.5", "10.0.0.7", "lab.example.org", "::ffff:10.0.0.1", ""]))


def test_share_page_reads_the_environment(monkeypatch):
    monkeypatch.setenv(PUBLIC_URL_ENV, "http://descent.lan:8501")
    assert share_address.share_page(LOCAL_PAGE).url == "http://descent.lan:8501/present"


class _Socket:
    """Records what is done with it; refuses to send anything."""

    calls: list[str] = []

    def __init__(self, family, kind):
        assert (family, kind) == (socket.AF_INET, socket.SOCK_DGRAM)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False

    def connect(self, address):
        self.calls.append("connect")

    def getsockname(self):
        self.calls.append("getsockname")
        return ("192.168.1.5", 50000)

    def __getattr__(self, name):  # send, sendto, recv, ...
        raise AssertionError(f"lan_address must not call socket.{name}")


def test_the_lan_look_up_asks_the_routing_table_and_sends_nothing(monkeypatch):
    _Socket.calls = []
    monkeypatch.setattr(socket, "socket", _Socket)
    assert lan_address() == "192.168.1.5" and _Socket.calls == ["connect", "getsockname"]


def test_without_a_route_the_host_name_is_tried_and_loopback_never_returned(monkeypatch):
    def unreachable(*args):
        raise OSError("Network is unreachable")

    monkeypatch.setattr(_Socket, "connect", unreachable)
    monkeypatch.setattr(socket, "socket", _Socket)
    infos = [(socket.AF_INET, socket.SOCK_DGRAM, 17, "", ("127.0.1.1", 0)),
             (socket.AF_INET, socket.SOCK_DGRAM, 17, "", ("10.1.2.3", 0))]
    monkeypatch.setattr(socket, "getaddrinfo", lambda *args: infos)
    assert lan_address() == "10.1.2.3"
    monkeypatch.setattr(socket, "getaddrinfo", lambda *args: infos[:1])
    assert lan_address() is None
