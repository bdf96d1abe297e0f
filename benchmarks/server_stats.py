"""The servers under a load test: their processes, memory and CPU, read from /proc, and the app started as one
server or as replicas behind nginx (deploy/serve.py)."""

from __future__ import annotations

import asyncio
import contextlib
import os
from collections.abc import Iterator, Sequence
from pathlib import Path

from benchmarks.harness import streamlit_server


def server_pids() -> list[int]:
    """This process's children that are Streamlit servers (one, or each replica behind nginx), from /proc."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        with contextlib.suppress(OSError, IndexError, ValueError):
            if int(stat.read_text().rsplit(")", 1)[1].split()[1]) == os.getpid():
                if b"streamlit" in (stat.parent / "cmdline").read_bytes():
                    found.append(int(stat.parent.name))
    return found


def rss_mb(pid: int) -> float:
    """The resident set of process ``pid`` in MB (VmRSS), 0 when it is gone."""
    with contextlib.suppress(OSError, StopIteration):
        line = next(line for line in Path(f"/proc/{pid}/status").read_text().splitlines() if line.startswith("VmRSS"))
        return int(line.split()[1]) / 1024
    return 0.0


def cpu_s(pids: Sequence[int]) -> float:
    """CPU seconds (user + system) used so far by ``pids``."""
    total = 0
    for pid in pids:
        with contextlib.suppress(OSError, IndexError):
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])
    return total / os.sysconf("SC_CLK_TCK")


def waiting_s(pids: Sequence[int]) -> float:
    """Seconds the threads of ``pids`` were ready to run but waited for a core (the run queue: other processes
    on the machine held it), from /proc/<pid>/task/<tid>/schedstat."""
    total = 0
    for pid in pids:
        for stat in Path(f"/proc/{pid}/task").glob("*/schedstat"):
            with contextlib.suppress(OSError, IndexError, ValueError):
                total += int(stat.read_text().split()[1])
    return total / 1e9


async def watch_memory(pids: Sequence[int], peaks: dict[int, float], every_s: float = 0.5) -> None:
    """Keep each server's highest RSS in ``peaks`` until cancelled."""
    while True:
        for pid in pids:
            peaks[pid] = max(peaks.get(pid, 0.0), rss_mb(pid))
        await asyncio.sleep(every_s)


@contextlib.contextmanager
def app_at(replicas: int) -> Iterator[tuple[str, list[str]]]:
    """The app's URL and each server's own: one fresh server (``replicas`` 0), or nginx in front of that many
    (deploy/serve.py)."""
    if not replicas:
        with streamlit_server("app.py") as url:
            yield url, [url]
        return
    from deploy.serve import deployment

    with deployment(replicas) as running:
        yield running.url, [f"http://127.0.0.1:{port}" for port in running.replica_ports]
