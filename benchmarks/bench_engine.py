"""Engine throughput: Adam on Rosenbrock, 100,000 trajectories × 200 steps with the full history kept.

Figures are point-steps per second (trajectories × steps / seconds), best of a few repeats, against
(a) a per-trajectory Python loop over floats, measured on a subset in the same run, and (b) torch.optim's
Adam on the same (n, 2) tensor with the analytic gradient and the history kept, when torch is installed.
Also: the wall time of one 500-step run with diagnostics recorded (the Playground's case).
"""

from __future__ import annotations

import math
import time

import numpy as np

import engine

N, STEPS, LR = 100_000, 200, 1e-3


def _starts(n: int) -> np.ndarray:
    rng = np.random.default_rng(0)
    return np.column_stack([rng.uniform(-2, 2, n), rng.uniform(-1, 3, n)])


def _best(fn, repeats: int = 3) -> float:
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times)


def engine_rate() -> float:
    s, opt, starts = engine.surface("rosenbrock"), engine.optimizer("adam", lr=LR), _starts(N)
    return N * STEPS / _best(lambda: engine.simulate(s, opt, starts, steps=STEPS))


def python_loop_rate(n: int = 2_000) -> float:
    """Adam (torch's rule) on Rosenbrock, one trajectory at a time with Python floats, history kept."""
    starts = _starts(n)

    def run() -> None:
        b1, b2, eps = 0.9, 0.999, 1e-8
        for x, y in starts.tolist():
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

    return n * STEPS / _best(run, repeats=1)


def torch_rate() -> float | None:
    try:
        import torch
    except ImportError:
        return None
    torch.set_num_threads(1)
    starts = torch.tensor(_starts(N))

    def run() -> None:
        p = starts.clone().requires_grad_(False)
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

    return N * STEPS / _best(run)


def playground_run_ms() -> float:
    s = engine.surface("rosenbrock")
    opt = engine.optimizer("adam", lr=0.05)
    return 1e3 * _best(lambda: engine.simulate(s, opt, s.start[None, :], steps=500, record=True), repeats=5)


def main() -> None:
    ours = engine_rate()
    loop = python_loop_rate()
    print(f"engine (NumPy, batched)   {ours / 1e6:8.1f} M point-steps/s  (Adam, Rosenbrock, {N:,} x {STEPS}, history)")
    print(f"Python loop over floats   {loop / 1e6:8.1f} M point-steps/s  "
          f"-> engine is {ours / loop:.0f}x (goal >= 100x)")
    theirs = torch_rate()
    if theirs is None:
        print("torch.optim.Adam          not installed: skipped")
    else:
        print(f"torch.optim.Adam          {theirs / 1e6:8.1f} M point-steps/s  -> engine is {ours / theirs:.2f}x "
              "(goal >= 1.0x, aim 1.5x)")
    print(f"one 500-step run, diagnostics recorded: {playground_run_ms():.1f} ms")


if __name__ == "__main__":
    main()
