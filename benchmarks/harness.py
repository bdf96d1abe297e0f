"""Start a Streamlit server and a headless Chromium: shared by the end-to-end tests and the page benchmark."""

from __future__ import annotations

import atexit
import contextlib
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from deploy.serve import free_port, stop, wait_healthy

ROOT = Path(__file__).resolve().parents[1]
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run"]


@contextlib.contextmanager
def streamlit_server(script: str = "app.py", timeout: float = 40.0, cwd: Path = ROOT, port: int | None = None,
                     log: Path | None = None):
    """Run ``streamlit run script`` from ``cwd`` (the repo root: the app's own .streamlit/config.toml) on
    ``port`` (a free one when None); yield its base URL once healthy.  The server's stderr goes to a temporary
    file (a pipe nobody reads would block the server once full); with ``log``, its stdout and stderr both go to
    that file, and an uncaught exception is logged as a plain Python traceback (Streamlit otherwise prints it
    to stdout drawn by rich)."""
    port = port or free_port()
    cmd = [sys.executable, "-m", "streamlit", "run", script, "--server.headless", "true", "--server.port", str(port),
           "--server.fileWatcherType", "none", "--browser.gatherUsageStats", "false"]
    if log is not None:
        cmd += ["--logger.enableRich", "false"]
    stderr = open(log, "wb") if log is not None else tempfile.TemporaryFile()  # noqa: SIM115 (closed below)
    proc = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.DEVNULL if log is None else stderr, stderr=stderr,
                            env={**os.environ, "PYTHONPATH": str(ROOT)})
    url = f"http://127.0.0.1:{port}"
    try:
        try:
            wait_healthy(url, proc, timeout)
        except RuntimeError as exited:
            stderr.seek(0)
            raise RuntimeError(f"streamlit exited: {stderr.read().decode(errors='replace')[-2000:]}") from exited
        yield url
    finally:
        stop(proc)
        stderr.close()


def launch_chromium(playwright, niceness: int = 0, group: Path | None = None):
    """Headless Chromium: the system one when present (the Makefile installs it), else Playwright's.  With
    ``niceness`` (the system one only), it and every process it starts run at that lower CPU priority
    (``nice -n``), so they use the cores only when the servers under test leave them idle.  With ``group`` (a
    cgroup from ``cpu_cap``), they run in it, sharing its CPU quota."""
    executable = CHROMIUM if Path(CHROMIUM).exists() else None
    if executable and (niceness or group):
        wrapper = Path(tempfile.mkdtemp(prefix="descent-lab-chromium-")) / "chromium"
        # Playwright starts the browser in a session of its own, so with the kernel's autogroup scheduling its
        # processes share the cores with the servers' group as a group, whatever their nice: lower the group's too.
        join = f"echo $$ > {group / 'cgroup.procs'}\n" if group else ""
        wrapper.write_text(f"#!/bin/sh\n{join}echo {int(niceness)} > /proc/self/autogroup 2>/dev/null\n"
                           f'exec nice -n {int(niceness)} {CHROMIUM} "$@"\n')
        wrapper.chmod(0o755)
        executable = str(wrapper)
    return playwright.chromium.launch(executable_path=executable, headless=True, args=CHROMIUM_ARGS)


CGROUP_ROOTS = (Path("/sys/fs/cgroup/cpu"), Path("/sys/fs/cgroup"))  # cgroup v1's cpu controller, then v2's


def cpu_cap(cores: float) -> Path | None:
    """A new cgroup whose processes share at most ``cores`` cores' time (CFS quota: ``cores`` x 100 ms per
    100 ms), removed at exit; None when no cpu controller is writable here (then only ``nice`` applies)."""
    period = 100_000
    quota = max(int(cores * period), 1000)
    for root in CGROUP_ROOTS:
        group = root / f"descent-lab-tabs-{os.getpid()}"
        try:
            group.mkdir(exist_ok=True)
            if (group / "cpu.cfs_quota_us").exists():
                (group / "cpu.cfs_period_us").write_text(str(period))
                (group / "cpu.cfs_quota_us").write_text(str(quota))
            elif (group / "cpu.max").exists():
                (group / "cpu.max").write_text(f"{quota} {period}")
            else:
                group.rmdir()
                continue
        except OSError:
            continue
        atexit.register(_remove_group, group)
        return group
    return None


def _remove_group(group: Path) -> None:
    with contextlib.suppress(OSError):
        group.rmdir()
