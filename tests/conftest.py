"""Shared fixtures: paths to the seed corpus and small graphs."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SEED_CORPUS = REPO.parent / "shared" / "corpus"


@pytest.fixture
def seed_corpus() -> Path:
    """The seed documents (users' input data), read in place; skipped when absent."""
    if not SEED_CORPUS.is_dir():
        pytest.skip("the seed corpus ../shared/corpus is not available")
    return SEED_CORPUS
