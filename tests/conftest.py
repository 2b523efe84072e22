"""Shared fixtures: paths of the repo, the bundled corpus and (when present) ../shared."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
SEEDS = REPO / "corpora" / "seeds"


@pytest.fixture(scope="session")
def repo() -> Path:
    return REPO


@pytest.fixture(scope="session")
def seeds_dir() -> Path:
    return SEEDS


@pytest.fixture(scope="session")
def shared() -> Path:
    """The ../shared folder; tests that need it are skipped cleanly where it is absent."""
    if not (SHARED / "gold" / "seeds.json").is_file():
        pytest.skip("../shared is not present beside the repository")
    return SHARED
