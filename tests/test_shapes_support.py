"""Helpers shared by the shapes tests: the good fixture and the wrong-fact cases.

``tests/fixtures/shapes/good.ttl`` is a small correct graph; ``cases.yaml`` lists wrong
facts, each a change of it (delete/insert Turtle) with the result validation must give.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml
from rdflib import Graph, URIRef

from dermkg.facts import graph_describer, reference_context
from dermkg.namespaces import PREFIXES
from dermkg.ontology_graphs import ontology_graph, vocabulary_graph

FIXTURES = Path(__file__).parent / "fixtures" / "shapes"
GOOD = FIXTURES / "good.ttl"
HEADER = "@base <https://w3id.org/dermkg/resource/> .\n" + "".join(
    f"@prefix {p}: <{ns}> .\n" for p, ns in PREFIXES.items()
)


def expand(curie: str) -> str:
    """``dkgr:study/X`` → the full IRI (PREFIXES)."""
    prefix, _, local = curie.partition(":")
    return PREFIXES[prefix] + local if prefix in PREFIXES else curie


def turtle(text: str) -> Graph:
    """Triples written in Turtle with the dermkg prefixes available."""
    return Graph().parse(data=HEADER + text, format="turtle")


@cache
def _good() -> Graph:
    return Graph().parse(GOOD, format="turtle")


def good_graph() -> Graph:
    """A fresh copy of the good fixture."""
    g = Graph()
    g += _good()
    return g


@dataclass(frozen=True)
class Case:
    """One wrong fact and the result it must produce."""

    id: str
    delete: str
    insert: str
    focus: str
    path: str | None
    severity: str
    raw: dict[str, Any]

    def graph(self) -> Graph:
        """The good fixture with this case's change applied."""
        g = good_graph()
        if self.delete:
            removed = turtle(self.delete)
            missing = [t for t in removed if t not in g]
            assert not missing, f"{self.id}: delete names triples not in good.ttl: {missing}"
            g -= removed
        if self.insert:
            g += turtle(self.insert)
        return g


def load_cases() -> list[Case]:
    """The cases of ``cases.yaml``."""
    raw = yaml.safe_load((FIXTURES / "cases.yaml").read_text(encoding="utf-8"))
    return [
        Case(
            id=item["id"],
            delete=item.get("delete", ""),
            insert=item.get("insert", ""),
            focus=expand(item["expect"]["focus"]),
            path=" | ".join(expand(p) for p in item["expect"]["path"].split(" | "))
            if item["expect"].get("path")
            else None,
            severity=item["expect"]["severity"],
            raw=item,
        )
        for item in raw
    ]


@cache
def _context() -> Graph:
    g = Graph()
    g += vocabulary_graph()
    return g


def with_vocabulary(data: Graph) -> Graph:
    """``data`` plus what it references in the shipped vocabulary (two hops, as ``add``)."""
    g = Graph()
    g += reference_context(data, graph_describer(_context()))
    g += data
    return g


def with_ontology(data: Graph) -> Graph:
    """``data`` plus the ontology (for engines that cannot mix an ontology in)."""
    g = Graph()
    g += ontology_graph()
    g += data
    return g


def iri(text: str) -> URIRef:
    """A full IRI from a CURIE."""
    return URIRef(expand(text))
