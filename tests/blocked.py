"""A run blocked on a FIFO input, for the signal tests (Ctrl-C, SIGTERM).

A signal sent at a fixed delay after start can arrive while the interpreter is still importing
(before the command has installed its handlers) when the machine is loaded: the test then
measures the machine, not the command. Instead the test waits until the run has *opened its
FIFO input for reading* — so it is inside the command, its handlers set — and holds the write
end open, so that the run stays blocked in ``read`` (no end of file) until the signal comes.
Waiting has a generous limit and fails the test, with the run's stderr, when the run ends or
never gets there.
"""
from __future__ import annotations

import errno
import os
import subprocess
import time
from pathlib import Path
from typing import Callable

#: Seconds a run may take to reach its input: imports and the model's load on two shared,
#: loaded cores take a few seconds; this is far beyond that, and only reached on a failure.
READY_SECONDS = 180


def hold_fifo_open(fifo: Path, process: subprocess.Popen, *,
                   also: Callable[[], bool] = lambda: True,
                   timeout: float = READY_SECONDS) -> int:
    """Wait until a process has opened ``fifo`` for reading and ``also()`` holds; return the
    write end (close it once the run has ended)."""
    deadline = time.monotonic() + timeout
    writer = None
    while True:
        if writer is None:
            try:
                writer = os.open(fifo, os.O_WRONLY | os.O_NONBLOCK)
            except OSError as exc:  # ENXIO: no reader yet
                if exc.errno != errno.ENXIO:
                    raise
        if writer is not None and also():
            return writer
        if process.poll() is not None:
            if writer is not None:
                os.close(writer)
            stderr = process.stderr.read() if process.stderr else ""
            raise AssertionError(f"the run ended (exit {process.returncode}) before it was "
                                 f"blocked reading {fifo.name}: {stderr}")
        if time.monotonic() > deadline:
            if writer is not None:
                os.close(writer)
            process.kill()
            process.wait()
            raise AssertionError(f"the run was not blocked reading {fifo.name} within "
                                 f"{timeout:.0f} s")
        time.sleep(0.05)
