"""Shared fixtures: paths to the seed corpus and small graphs."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Graph, URIRef

from dermkg import loaders
from dermkg.graph.convert import from_ox
from dermkg.loaders.normalise import normalise

REPO = Path(__file__).resolve().parents[1]
SEED_CORPUS = REPO.parent / "shared" / "corpus"


@pytest.fixture
def seed_corpus() -> Path:
    """The seed documents (users' input data), read in place; skipped when absent."""
    if not SEED_CORPUS.is_dir():
        pytest.skip("the seed corpus ../shared/corpus is not available")
    return SEED_CORPUS


def trig_graphs(path: Path) -> dict[URIRef, Graph]:
    """The named graphs of a TriG file, as rdflib graphs by name (triples of the default
    graph are left out). Parsed with pyoxigraph, the store's own parser: rdflib's TriG
    parser goes through its deprecated ConjunctiveGraph."""
    graphs: dict[URIRef, Graph] = {}
    for quad in ox.parse(path=str(path), format=ox.RdfFormat.TRIG):
        if isinstance(quad.graph_name, ox.NamedNode):
            triple = (from_ox(quad.subject), from_ox(quad.predicate), from_ox(quad.object))
            graphs.setdefault(URIRef(quad.graph_name.value), Graph()).add(triple)
    return graphs


def extract_claims(text: str) -> loaders.Claims:
    """The claims the loaders read from ``text`` (a document written in a test)."""
    claims, _, _ = loaders.extract_text("doc", normalise(text))
    return claims
