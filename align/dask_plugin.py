"""The Dask ``WorkerPlugin`` that loads a run's context (the model) once per worker.

A module of its own so that ``distributed`` is imported only when ``--dask`` is used.
"""
from __future__ import annotations

import ctypes
import os
from typing import Any, Callable

from distributed.diagnostics.plugin import WorkerPlugin

# glibc's mallopt() parameters (malloc.h).
M_TRIM_THRESHOLD = -1
M_MMAP_THRESHOLD = -3
MMAP_THRESHOLD = 32 * 1024 * 1024  # glibc's own ceiling for its dynamic threshold (64-bit)


def undo_malloc_trim() -> bool:
    """Give a Dask worker glibc's default large-allocation behaviour back; True if it did.

    A Dask nanny starts its worker with ``MALLOC_TRIM_THRESHOLD_=65536`` (distributed's
    ``nanny.pre-spawn-environ``) so that freed memory goes back to the system at once. Setting
    it also switches off glibc's sliding mmap threshold, so every array above 128 KiB (the
    aligner's cost blocks and DP rows, a few MB each) is a fresh ``mmap`` whose pages fault in
    again on every use: measured with ``align sentences`` on 4 documents of 5,000 sentences,
    3.7-4.3 s of system time instead of 0.8-1.7 s (serial, with and without the variable), and
    on Dask workers 4.0-4.6 s instead of 0.8-1.6 s, the whole gap between ``--dask`` and
    ``--jobs``. The fixed thresholds set here are where glibc's sliding ones end up anyway
    (blocks below 32 MiB reuse the heap; the top of the heap is trimmed past 64 MiB), so a
    worker keeps at most that much freed memory. Only done where Dask set the variable, and
    only on glibc; elsewhere nothing changes."""
    if "MALLOC_TRIM_THRESHOLD_" not in os.environ:
        return False
    try:
        # The process's own symbols include the C library's: no search for its file name
        # (ctypes.util.find_library runs ldconfig in a subprocess).
        mallopt = ctypes.CDLL(None).mallopt
    except (OSError, AttributeError):  # no mallopt: not glibc
        return False
    mallopt.argtypes = [ctypes.c_int, ctypes.c_int]
    return bool(mallopt(M_MMAP_THRESHOLD, MMAP_THRESHOLD)
                and mallopt(M_TRIM_THRESHOLD, 2 * MMAP_THRESHOLD))


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
        undo_malloc_trim()
        self.load(self.spec)
