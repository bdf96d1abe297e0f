"""Engine throughput: Adam on Rosenbrock, 100,000 trajectories × 200 steps with the full history kept.

Figures are point-steps per second (trajectories × steps / seconds) against (a) a per-trajectory Python loop
over floats, measured on a subset, and (b) torch.optim's Adam on the same (n, 2) tensor with the analytic
gradient and the history kept, when torch is installed: on one thread (the budget's baseline) and on torch's
default thread count (the engine itself runs a large batch on two threads).  Each of ROUNDS rounds times
every contender once, one after the other, so that a busy machine slows them alike.  Printed: each one's best
and median rate over the rounds, and the engine's ratio to it as best / best and as the median of the
per-round ratios (the robust figure when other work shares the machine).  Also: the median wall time of one
500-step run with diagnostics recorded (the Playground's case).
"""

from __future__ import annotations

import math
import statistics
import time

import numpy as np

import engine

N, STEPS, LR = 100_000, 200, 1e-3
ROUNDS = 5


def _starts(n: int) -> np.ndarray:
    rng = np.random.default_rng(0)
    return np.column_stack([rng.uniform(-2, 2, n), rng.uniform(-1, 3, n)])


def _seconds(fn) -> float:
    t0 = time.perf_counter()
    fn()
    return time.perf_counter() - t0


def engine_run(starts: np.ndarray) -> None:
    s, opt = engine.surface("rosenbrock"), engine.optimizer("adam", lr=LR)
    engine.simulate(s, opt, starts, steps=STEPS)


def python_loop_run(starts: list[list[float]]) -> None:
    """Adam (torch's rule) on Rosenbrock, one trajectory at a time with Python floats, history kept."""
    b1, b2, eps = 0.9, 0.999, 1e-8
    for x, y in starts:
        mx = my = vx = vy = 0.0
        hist = [(x, y)]
        for t in range(1, STEPS + 1):
            d = y - x * x
            gx, gy = -2 * (1 - x) - 400 * x * d, 200 * d
            mx, my = b1 * mx + (1 - b1) * gx, b1 * my + (1 - b1) * gy
            vx, vy = b2 * vx + (1 - b2) * gx * gx, b2 * vy + (1 - b2) * gy * gy
            c1, c2 = 1 - b1**t, math.sqrt(1 - b2**t)
            x -= LR / c1 * mx / (math.sqrt(vx) / c2 + eps)
            y -= LR / c1 * my / (math.sqrt(vy) / c2 + eps)
            hist.append((x, y))


def torch_run(torch, starts, threads: int) -> None:
    torch.set_num_threads(threads)
    p = starts.clone()
    opt = torch.optim.Adam([p], lr=LR)
    hist = torch.empty((STEPS + 1, N, 2), dtype=p.dtype)
    hist[0] = p
    g = torch.empty_like(p)
    for t in range(1, STEPS + 1):
        x, y = p[:, 0], p[:, 1]
        d = y - x * x
        g[:, 0] = -2 * (1 - x) - 400 * x * d
        g[:, 1] = 200 * d
        p.grad = g
        opt.step()
        hist[t] = p


def playground_run() -> None:
    s = engine.surface("rosenbrock")
    engine.simulate(s, engine.optimizer("adam", lr=0.05), s.start[None, :], steps=500, record=True)


def contenders() -> dict:
    """name -> (trajectories, a function running them all); the starts are made beforehand, untimed."""
    starts, loop_starts = _starts(N), _starts(2_000).tolist()
    out = {"engine": (N, lambda: engine_run(starts)), "loop": (len(loop_starts), lambda: python_loop_run(loop_starts))}
    try:
        import torch
    except ImportError:
        return out
    default, tensor = torch.get_num_threads(), torch.tensor(starts)
    out["torch 1 thread"] = (N, lambda: torch_run(torch, tensor, 1))
    out[f"torch {default} threads"] = (N, lambda: torch_run(torch, tensor, default))
    return out


def main() -> None:
    runs = contenders()
    rates: dict[str, list[float]] = {name: [] for name in runs}
    for _ in range(ROUNDS):
        for name, (n, fn) in runs.items():
            rates[name].append(n * STEPS / _seconds(fn))
    ours = rates["engine"]

    def rate(name: str) -> str:
        return f"{max(rates[name]) / 1e6:6.1f} best, {statistics.median(rates[name]) / 1e6:6.1f} median M point-steps/s"

    def ratio(name: str, digits: int) -> str:
        rounds = statistics.median(a / b for a, b in zip(ours, rates[name], strict=True))
        return f"engine is {max(ours) / max(rates[name]):.{digits}f}x best, {rounds:.{digits}f}x median of rounds"

    print(f"engine (NumPy, batched)   {rate('engine')}  (Adam, Rosenbrock, {N:,} x {STEPS}, history, {ROUNDS} rounds)")
    print(f"Python loop over floats   {rate('loop')}  -> {ratio('loop', 0)} (goal >= 100x)")
    torches = [name for name in runs if name.startswith("torch")]
    if not torches:
        print("torch.optim.Adam          not installed: skipped")
    for name in torches:
        goal = "goal >= 1.0x, aim 1.5x" if name == "torch 1 thread" else "as many threads as the engine"
        print(f"torch.optim, {name[6:]:12s} {rate(name)}  -> {ratio(name, 2)} ({goal})")
    ms = statistics.median(1e3 * _seconds(playground_run) for _ in range(9))
    print(f"one 500-step run, diagnostics recorded: {ms:.1f} ms (median of 9)")


if __name__ == "__main__":
    main()
