"""Descent Lab's engine: loss surfaces, torch.optim-exact optimizers and schedules, a batched
simulator, theory and sweeps.  Pure NumPy (and sympy for typed expressions); never imports a UI library.

    import engine
    s = engine.surface("rosenbrock")
    opt = engine.optimizer("adam", lr=0.01)
    run = engine.simulate(s, opt, s.start[None, :], steps=500)

``OPTIMIZERS``, ``SCHEDULES`` and ``SURFACES`` map each slug to a ``Factory`` that carries the display name
(``engine.OPTIMIZERS["adam"].title == "Adam"``), a one-line ``description`` and the parameter schema with its
ranges: the only table of names in the app.
"""

from . import preconditioning, regression, sweeps, theory
from .expressions import surface_from_expression
from .optimizers import OPTIMIZERS, Optimizer, optimizer
from .params import Factory, Param
from .schedules import SCHEDULES, Schedule, schedule
from .simulate import Run, simulate
from .surface_type import Surface
from .surfaces import SURFACES, surface

__all__ = [
    "OPTIMIZERS", "SCHEDULES", "SURFACES", "Factory", "Optimizer", "Param", "Run", "Schedule", "Surface",
    "optimizer", "preconditioning", "regression", "schedule", "simulate", "surface", "surface_from_expression",
    "sweeps", "theory",
]
