"""Conversion of RDF terms and quads between rdflib and pyoxigraph."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Node

OxTerm = ox.NamedNode | ox.BlankNode | ox.Literal
OxGraphName = ox.NamedNode | ox.BlankNode | ox.DefaultGraph


def to_ox(term: Node) -> OxTerm:
    """An rdflib term as a pyoxigraph term."""
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype is not None:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    raise TypeError(f"cannot convert {term!r} to a pyoxigraph term")


def from_ox(term: object) -> Node:
    """A pyoxigraph term as an rdflib term."""
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        datatype = term.datatype.value
        if datatype == "http://www.w3.org/2001/XMLSchema#string":
            return Literal(term.value)
        return Literal(term.value, datatype=URIRef(datatype))
    raise TypeError(f"cannot convert {term!r} to an rdflib term")


def solution_rows(solutions: ox.QuerySolutions) -> list[tuple[Node | None, ...]]:
    """The rows of a SELECT answer as rdflib terms (None = unbound).

    A value repeated in the answer (a label, a unit, an IRI) is converted once: rdflib's
    ``Literal`` constructor is the costly part of reading an answer."""
    memo: dict[object, Node] = {}

    def convert(term: object) -> Node | None:
        if term is None:
            return None
        try:
            return memo[term]
        except KeyError:
            node = memo[term] = from_ox(term)
            return node

    return [tuple(map(convert, solution)) for solution in solutions]


def graph_quads(graph: Graph, graph_name: URIRef) -> Iterator[ox.Quad]:
    """The triples of an rdflib graph as pyoxigraph quads in the named graph ``graph_name``."""
    name = ox.NamedNode(str(graph_name))
    for s, p, o in graph:
        yield ox.Quad(to_ox(s), to_ox(p), to_ox(o), name)  # type: ignore[arg-type]


def quads_to_graph(quads: Iterable[ox.Quad]) -> Graph:
    """The triples of pyoxigraph quads (graph names dropped) as an rdflib graph."""
    g = Graph()
    for q in quads:
        g.add((from_ox(q.subject), from_ox(q.predicate), from_ox(q.object)))
    return g
