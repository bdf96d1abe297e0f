"""Run every benchmark and print its figures: `python -m benchmarks` (what `make bench` does)."""

import importlib
import pkgutil

import benchmarks

for module in sorted(m.name for m in pkgutil.iter_modules(benchmarks.__path__) if m.name.startswith("bench_")):
    print(f"\n== {module} ==", flush=True)
    importlib.import_module(f"benchmarks.{module}").main()
