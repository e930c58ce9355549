"""Shared fixtures: paths to the seed corpus and small graphs."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Dataset, Graph, URIRef

REPO = Path(__file__).resolve().parents[1]
SEED_CORPUS = REPO.parent / "shared" / "corpus"


@pytest.fixture
def seed_corpus() -> Path:
    """The seed documents (users' input data), read in place; skipped when absent."""
    if not SEED_CORPUS.is_dir():
        pytest.skip("the seed corpus ../shared/corpus is not available")
    return SEED_CORPUS


def trig_graphs(path: Path) -> dict[URIRef, Graph]:
    """The non-empty named graphs of a TriG file, as rdflib graphs by name."""
    ds = Dataset(default_union=True)
    ds.parse(path, format="trig")
    graphs: dict[URIRef, Graph] = {}
    for g in ds.graphs():
        if isinstance(g.identifier, URIRef) and len(g):
            graphs[g.identifier] = Graph()
            for triple in g:
                graphs[g.identifier].add(triple)
    return graphs
