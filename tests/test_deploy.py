"""deploy/serve.py's pure parts: the template's fields, the base path, and a config nginx itself accepts
(`nginx -t`; `make test` installs nginx through its nginx target)."""

from __future__ import annotations

import subprocess

import pytest

from deploy.serve import base_path, nginx_binary, nginx_config, render


def test_render_fills_every_field_and_refuses_a_missing_or_unused_one():
    assert render("listen {{port}}; # {{port}} {{name}}", {"port": "80", "name": "x"}) == "listen 80; # 80 x"
    with pytest.raises(KeyError, match="name"):
        render("{{port}} {{name}}", {"port": "80"})
    with pytest.raises(ValueError, match="prot"):
        render("{{port}}", {"port": "80", "prot": "80"})


def test_base_path_takes_streamlits_forms_and_refuses_what_nginx_would_misread():
    assert [base_path(p) for p in ("", "/", "descent", "/descent/", "a/b")] == ["", "", "/descent", "/descent",
                                                                                  "/a/b"]
    for bad in ("de scent", "x;y", "a{b}", "$host"):
        with pytest.raises(ValueError, match="base URL path"):
            base_path(bad)


def test_the_config_routes_to_each_replica_with_sticky_hashing(tmp_path):
    config = nginx_config("127.0.0.1:8080", [5001, 5002], tmp_path, "descent")
    assert "server 127.0.0.1:5001" in config and "server 127.0.0.1:5002" in config
    assert "hash $sticky_key consistent;" in config and "location /descent/ {" in config
    assert "{{" not in config
    with pytest.raises(ValueError, match="at least one replica"):
        nginx_config("8080", [], tmp_path)


def test_nginx_accepts_the_config(tmp_path):
    config = tmp_path / "nginx.conf"
    config.write_text(nginx_config("127.0.0.1:8080", [5001, 5002, 5003], tmp_path))
    checked = subprocess.run([nginx_binary(), "-t", "-p", str(tmp_path), "-e", "stderr", "-c", str(config)],
                             capture_output=True, text=True, timeout=30)
    assert checked.returncode == 0, checked.stderr
