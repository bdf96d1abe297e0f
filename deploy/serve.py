"""Serve Descent Lab as N Streamlit replicas behind nginx: `make serve REPLICAS=3` (or `python -m deploy.serve`).

Starts the replicas on free loopback ports (each a ``streamlit run app.py`` sharing one cookie secret), writes
the nginx config from ``deploy/nginx.conf.template`` into a fresh run directory, and runs nginx in the
foreground on the public port.  Ctrl-C (or SIGTERM) stops nginx and every replica.  The template explains the
sticky sessions.  Nothing restarts a replica that dies: nginx sends its browsers to the others.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TEMPLATE = Path(__file__).with_name("nginx.conf.template")
NGINX_PATHS = ("/usr/sbin/nginx", "/usr/local/sbin/nginx", "/usr/local/nginx/sbin/nginx")
FIELD = re.compile(r"\{\{(\w+)\}\}")
START_TIMEOUT_S = 60.0


def render(template: str, fields: dict[str, str]) -> str:
    """``template`` with each ``{{name}}`` replaced by ``fields[name]``; KeyError naming a field not given and
    ValueError naming a field given but unused (a typo on either side)."""
    missing = sorted(set(FIELD.findall(template)) - set(fields))
    if missing:
        raise KeyError(f"no value for the template's fields {missing}")
    unused = sorted(set(fields) - set(FIELD.findall(template)))
    if unused:
        raise ValueError(f"the template has no fields {unused}")
    return FIELD.sub(lambda match: fields[match.group(1)], template)


def base_path(base_url_path: str) -> str:
    """Streamlit's ``server.baseUrlPath`` ("descent", "/descent/", "") as nginx's location prefix ("/descent" or "")."""
    parts = [part for part in base_url_path.split("/") if part]
    if any(not re.fullmatch(r"[A-Za-z0-9._~-]+", part) for part in parts):
        raise ValueError(f"base URL path {base_url_path!r}: use letters, digits and . _ ~ - between slashes")
    return "".join(f"/{part}" for part in parts)


def nginx_config(listen: str, replica_ports: Sequence[int], run_dir: Path, base_url_path: str = "") -> str:
    """The nginx config for replicas on ``127.0.0.1:<replica_ports>`` behind ``listen`` (a port or address:port)."""
    if not replica_ports:
        raise ValueError("at least one replica is needed")
    servers = "\n".join(f"        server 127.0.0.1:{port} max_fails=1 fail_timeout=10s;" for port in replica_ports)
    return render(TEMPLATE.read_text(), {
        "replica_count": str(len(replica_ports)), "run_dir": str(run_dir), "servers": servers,
        "listen": str(listen), "base_path": base_path(base_url_path)})


def nginx_binary() -> str:
    """The nginx executable (PATH, then Debian's /usr/sbin); FileNotFoundError saying how to install it."""
    found = shutil.which("nginx") or next((path for path in NGINX_PATHS if os.access(path, os.X_OK)), None)
    if found is None:
        raise FileNotFoundError("nginx not found: `make nginx` (as root) or `apt-get install -y nginx`")
    return found


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_replica(port: int, cookie_secret: str, base_url_path: str = "") -> subprocess.Popen:
    """``streamlit run app.py`` on 127.0.0.1:``port`` (only nginx reaches it), in its own process group."""
    cmd = [sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(port),
           "--server.address", "127.0.0.1", "--server.headless", "true", "--server.fileWatcherType", "none",
           "--browser.gatherUsageStats", "false", "--server.baseUrlPath", base_url_path]
    env = {**os.environ, "PYTHONPATH": str(ROOT), "STREAMLIT_SERVER_COOKIE_SECRET": cookie_secret}
    return subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, start_new_session=True)


def wait_healthy(url: str, proc: subprocess.Popen, timeout: float = START_TIMEOUT_S) -> None:
    """Return once ``url``/_stcore/health answers "ok"; RuntimeError if ``proc`` exits, TimeoutError after
    ``timeout`` s."""
    deadline = time.monotonic() + timeout
    while True:
        if proc.poll() is not None:
            raise RuntimeError(f"{proc.args[:4]} exited with {proc.returncode} before {url} was healthy")
        with contextlib.suppress(OSError):
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=1) as response:
                if response.read().strip() == b"ok":
                    return
        if time.monotonic() > deadline:
            raise TimeoutError(f"{url} not healthy within {timeout:.0f} s")
        time.sleep(0.2)


def stop(proc: subprocess.Popen) -> None:
    """SIGTERM, then SIGKILL after 10 s (a no-op for a process already gone)."""
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


@dataclass
class Deployment:
    """A running deployment: the public URL, each replica's port and process, and nginx's process."""

    url: str
    replica_ports: list[int]
    replicas: list[subprocess.Popen]
    nginx: subprocess.Popen


@contextlib.contextmanager
def deployment(replica_count: int, port: int | None = None, base_url_path: str = "",
               host: str = "127.0.0.1") -> Iterator[Deployment]:
    """Start ``replica_count`` replicas and nginx on ``host``:``port`` (a free port when None); yield once the
    proxy answers; stop everything on exit."""
    nginx = nginx_binary()
    port = port or free_port()
    ports = [free_port() for _ in range(replica_count)]
    cookie_secret = secrets.token_hex(32)  # one secret for all: a cookie signed by one replica is valid on all
    prefix = base_path(base_url_path)
    replicas: list[subprocess.Popen] = []
    with tempfile.TemporaryDirectory(prefix="descent-lab-nginx-") as run_dir:
        os.chmod(run_dir, 0o755)  # nginx's workers (another user when started as root) use its temp paths
        config = Path(run_dir) / "nginx.conf"
        listen = f"{host}:{port}" if host not in ("", "0.0.0.0") else str(port)  # noqa: S104
        config.write_text(nginx_config(listen, ports, Path(run_dir), base_url_path))
        proxy = None
        try:
            replicas.extend(start_replica(p, cookie_secret, base_url_path) for p in ports)
            for replica_port, replica in zip(ports, replicas, strict=True):
                wait_healthy(f"http://127.0.0.1:{replica_port}{prefix}", replica)
            proxy = subprocess.Popen([nginx, "-p", run_dir, "-e", "stderr", "-c", str(config), "-g", "daemon off;"],
                                     start_new_session=True)
            public = f"http://{'127.0.0.1' if host in ('', '0.0.0.0') else host}:{port}{prefix}"  # noqa: S104
            wait_healthy(public, proxy, timeout=15)
            yield Deployment(public, ports, replicas, proxy)
        finally:
            for proc in ([proxy] if proxy else []) + replicas:
                stop(proc)


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--replicas", type=int, default=3, help="Streamlit processes (about one per core)")
    parser.add_argument("--port", type=int, default=8501, help="the public port nginx listens on")
    parser.add_argument("--host", default="0.0.0.0", help="the address nginx listens on (0.0.0.0: every network)")  # noqa: S104
    parser.add_argument("--base-url-path", default="", help='serve under a path, e.g. "descent" for /descent/')
    args = parser.parse_args(argv)
    if args.replicas < 1:
        parser.error("--replicas must be at least 1")
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))  # SIGTERM unwinds like Ctrl-C: everything stops
    with deployment(args.replicas, args.port, args.base_url_path, args.host) as running:
        print(f"Descent Lab: {running.url} -> {len(running.replicas)} replicas on 127.0.0.1 ports "
              f"{', '.join(map(str, running.replica_ports))}; Ctrl-C stops all", flush=True)
        with contextlib.suppress(KeyboardInterrupt):
            running.nginx.wait()
        if running.nginx.returncode not in (None, 0, -signal.SIGINT, -signal.SIGTERM):
            sys.exit(f"nginx exited with {running.nginx.returncode}")


if __name__ == "__main__":
    main()
