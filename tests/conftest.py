"""Fixtures shared by test modules."""
from __future__ import annotations

import pytest

from align.model import Model, read_model


@pytest.fixture(scope="session")
def tiny_model_path(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A small model trained once per test session on generated pairs (see test_model)."""
    from test_model import tiny_model_file

    return tiny_model_file(str(tmp_path_factory.mktemp("model")))


@pytest.fixture(scope="session")
def tiny_model(tiny_model_path: str) -> Model:
    return read_model(tiny_model_path)
