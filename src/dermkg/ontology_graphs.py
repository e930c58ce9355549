"""The ontology, mappings and vocabulary as rdflib graphs (the fixed part of every build)."""

from __future__ import annotations

from functools import cache

from rdflib import Graph

from dermkg.resources import ontology_file


def _parse_turtle(name: str) -> Graph:
    g = Graph()
    source = ontology_file(name)
    if source.is_file():
        g.parse(data=source.read_text(encoding="utf-8"), format="turtle")
    return g


@cache
def _ontology() -> Graph:
    return _parse_turtle("dermkg.ttl")


def ontology_graph() -> Graph:
    """The OWL ontology (``ontology/dermkg.ttl``); a fresh copy the caller may change."""
    g = Graph()
    g += _ontology()
    return g


def mappings_graph() -> Graph:
    """The ontology's SSSOM alignments (``ontology/mappings.sssom.tsv``) as triples."""
    from dermkg.alignments import mappings_graph as alignments_graph

    return alignments_graph()


def vocabulary_graph() -> Graph:
    """The entities the graph knows (``ontology/vocabulary``) as triples."""
    from dermkg.vocabulary import load_vocabulary

    return load_vocabulary().to_rdf()
