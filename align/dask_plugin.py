"""The Dask ``WorkerPlugin`` that loads a run's context (the model) once per worker.

A module of its own so that ``distributed`` is imported only when ``--dask`` is used.
"""
from __future__ import annotations

from typing import Any, Callable

from distributed.diagnostics.plugin import WorkerPlugin


class LoadOnce(WorkerPlugin):
    """Loads ``spec`` (an :class:`align.engine.Setup`) with ``load`` (the engine's
    ``worker_context``) when a worker joins (or is registered with), before any task runs.

    ``load`` is passed in rather than imported so that this module does not import
    :mod:`align.engine`, which imports it: no import circle (tests/test_imports.py)."""

    def __init__(self, spec: Any, load: Callable[[Any], Any]) -> None:
        self.spec = spec
        self.load = load
        self.name = f"align-{spec.key}"

    def setup(self, worker: Any) -> None:
        self.load(self.spec)
