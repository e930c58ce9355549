"""The wheel carries the ontology, shapes, vocabularies and queries, and works outside
the checkout."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q",
         str(REPO), "-w", str(out)],
        check=True, capture_output=True,
    )
    return next(out.glob("dermkg-*.whl"))


@pytest.mark.slow
def test_wheel_ships_data_files(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    for required in ("dermkg/ontology/dermkg.ttl", "dermkg/ontology/shapes.ttl",
                     "dermkg/queries/trials.rq", "dermkg/graph/store.py",
                     "dermkg/loaders/__init__.py", "dermkg/sparql/describe.rq",
                     "dermkg/graph/sparql/graph-sizes.rq",
                     "dermkg/data/bioregistry-prefixes.json"):
        assert required in names, required
    assert any(n.startswith("dermkg/ontology/vocabulary/") for n in names)


@pytest.mark.slow
def test_installed_wheel_runs_outside_the_checkout(wheel: Path, tmp_path: Path) -> None:
    site = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(site)
    env = {**os.environ, "PYTHONPATH": str(site)}
    where = subprocess.run(
        [sys.executable, "-c", "import dermkg.loaders, dermkg; print(dermkg.__file__)"],
        cwd=tmp_path, env=env, capture_output=True, text=True, check=True,
    )
    assert where.stdout.strip().startswith(str(site))
    listed = subprocess.run(
        [sys.executable, "-m", "dermkg", "queries", "--format", "json"],
        cwd=tmp_path, env=env, capture_output=True, text=True, check=True,
    )
    names = {q["name"] for q in json.loads(listed.stdout)}
    assert {"trials", "approvals-by-age-and-date", "mechanisms"} <= names
