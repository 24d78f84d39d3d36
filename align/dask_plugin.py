"""The Dask ``WorkerPlugin`` that loads a run's context (the model) once per worker.

A module of its own so that ``distributed`` is imported only when ``--dask`` is used.
"""
from __future__ import annotations

from typing import Any

from distributed.diagnostics.plugin import WorkerPlugin

from .engine import Setup, worker_context


class LoadOnce(WorkerPlugin):
    """Loads ``spec`` when a worker joins (or is registered with), before any task runs."""

    def __init__(self, spec: Setup) -> None:
        self.spec = spec
        self.name = f"align-{spec.key}"

    def setup(self, worker: Any) -> None:
        worker_context(self.spec)
