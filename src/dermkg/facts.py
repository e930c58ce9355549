"""Checking, adding and retracting users' facts (``dermkg validate``, ``add``, ``retract``).

New facts are validated *incrementally*: the focus nodes are the subjects of the new
triples; the data graph is the new triples plus the descriptions (all outgoing triples,
any graph) of every node they mention, and of the nodes the focus nodes already point to
in the store. So an outcome for an existing trial is checked against that trial, without
validating the whole graph.

Facts that conform are written in one transaction into the named graph
``dkgg:source/<name>``, together with their provenance (PROV-O: who, when, from which
files with their SHA-256). Nothing is written when anything violates.
"""

from __future__ import annotations

import getpass
import os
import re
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cache
from importlib.resources import files

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS, XSD
from rdflib.term import Node

from dermkg.errors import StoreError, ValidationFailed
from dermkg.graph.backend import GraphStore
from dermkg.namespaces import (
    DKG,
    DKGG,
    DKGR,
    INFERRED_GRAPH,
    MAPPINGS_GRAPH,
    ONTOLOGY_GRAPH,
    PREFIXES,
    VOCABULARY_GRAPH,
    source_graph,
)
from dermkg.ontology_graphs import vocabulary_graph
from dermkg.rdf_input import RdfInput, merged
from dermkg.validation import ValidationOutcome, validate

SOURCE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$")
"""What ``--source NAME`` may be (it becomes part of the graph IRI)."""

PROTECTED_GRAPHS = (ONTOLOGY_GRAPH, MAPPINGS_GRAPH, VOCABULARY_GRAPH, INFERRED_GRAPH)
DOCUMENT_GRAPHS = str(DKGG["document/"])
SOURCE_GRAPHS = str(DKGG["source/"])


class FactsRefused(ValidationFailed):
    """The facts do not conform; ``outcome`` holds the report. Nothing was written."""

    def __init__(self, outcome: ValidationOutcome) -> None:
        self.outcome = outcome
        n = len(outcome.violations)
        super().__init__(f"{n} violation(s) of the shapes: nothing was written")


@cache
def _describe_query() -> str:
    return files("dermkg").joinpath("sparql/describe.rq").read_text(encoding="utf-8")


Describe = Callable[[URIRef], Graph]
"""A node's description (its outgoing triples) in some graph or store."""


def store_describer(store: GraphStore) -> Describe:
    """Describe nodes with the store (``sparql/describe.rq`` over the union of all graphs)."""
    query = _describe_query()
    return lambda node: store.construct(query, {"node": node})


def graph_describer(graph: Graph) -> Describe:
    """Describe nodes with an in-memory graph (e.g. the shipped vocabulary)."""

    def describe(node: URIRef) -> Graph:
        g = Graph()
        for p, o in graph.predicate_objects(node):
            g.add((node, p, o))
        return g

    return describe


def _skip(node: Node) -> bool:
    """Nodes whose description is not fetched: literals, blank nodes, ontology terms."""
    return not isinstance(node, URIRef) or str(node).startswith(str(DKG))


def _describe_all(describe: Describe, nodes: Iterable[Node], into: Graph) -> set[Node]:
    done: set[Node] = set()
    for node in nodes:
        if _skip(node) or node in done:
            continue
        assert isinstance(node, URIRef)
        done.add(node)
        into += describe(node)
    return done


def reference_context(data: Graph, describe: Describe) -> Graph:
    """What the new facts reference, as ``describe`` knows it: two hops, outgoing.

    First the descriptions of every node the facts mention (subjects and objects); then
    those of the values the focus nodes (the facts' subjects) already have. So every value
    of a focus node is described, and the focus nodes are validated with what the store
    already says about them.
    """
    context = Graph()
    subjects = set(data.subjects())
    mentioned = subjects | {o for p, o in data.predicate_objects() if p != RDF.type}
    described = _describe_all(describe, mentioned, context)
    second = {
        o for s, p, o in context if s in subjects and p != RDF.type and o not in described
    }
    _describe_all(describe, second, context)
    return context


def validate_with_context(data: Graph, describe: Describe) -> CheckResult:
    """Validate the facts ``data`` incrementally: their subjects, with what they reference."""
    context = reference_context(data, describe)
    focus: set[Node] = set(data.subjects())
    union = Graph()
    union += context
    union += data
    return CheckResult(data, context, validate(union, focus=focus), focus)


@dataclass
class CheckResult:
    """New facts and the outcome of validating them."""

    data: Graph
    context: Graph
    outcome: ValidationOutcome
    focus: set[Node] = field(default_factory=set)


def check_facts(inputs: list[RdfInput], store: GraphStore | None = None) -> CheckResult:
    """Validate the inputs' facts with what they reference (the store, else the vocabulary)."""
    describe = store_describer(store) if store is not None else graph_describer(_vocabulary())
    return validate_with_context(merged(inputs), describe)


@cache
def _vocabulary() -> Graph:
    return vocabulary_graph()


# -- adding ---------------------------------------------------------------------------------


def check_source_name(name: str) -> str:
    """``name`` if it is a valid source name; else :class:`ValidationFailed`."""
    if not SOURCE_NAME.match(name):
        raise ValidationFailed(
            f"{name!r} is not a valid source name: letters, digits, '.', '_' or '-' "
            "(at most 100, starting with a letter or digit)"
        )
    return name


def default_source(inputs: list[RdfInput]) -> str:
    """The source name used when ``--source`` is not given: the first file's stem."""
    stem = re.sub(r"[^A-Za-z0-9._-]+", "-", inputs[0].path.stem).strip("-._") or "facts"
    return stem[:100]


def default_agent() -> str:
    """Who is adding: ``$DERMKG_AGENT``, else the login name."""
    agent = os.environ.get("DERMKG_AGENT")
    if agent:
        return agent
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"


def provenance(
    graph_name: URIRef, inputs: list[RdfInput], agent: str, started: datetime
) -> Graph:
    """PROV-O description of one ``add``: the activity, its agent and the files it used."""
    g = Graph()
    stamp = started.strftime("%Y%m%dT%H%M%S")
    activity = URIRef(DKGR[f"activity/add/{stamp}-{uuid.uuid4().hex[:8]}"])
    agent_node = URIRef(DKGR[f"agent/{re.sub(r'[^A-Za-z0-9._-]+', '-', agent) or 'unknown'}"])
    g.add((graph_name, RDF.type, PROV.Bundle))
    g.add((graph_name, PROV.wasGeneratedBy, activity))
    g.add((activity, RDF.type, PROV.Activity))
    g.add((activity, RDFS.label, Literal("dermkg add")))
    g.add((activity, PROV.startedAtTime, Literal(started.isoformat(), datatype=XSD.dateTime)))
    g.add((activity, PROV.wasAssociatedWith, agent_node))
    g.add((agent_node, RDF.type, PROV.Agent))
    g.add((agent_node, RDFS.label, Literal(agent)))
    for item in inputs:
        entity = URIRef(DKGR[f"input/sha256-{item.sha256}"])
        g.add((activity, PROV.used, entity))
        g.add((entity, RDF.type, PROV.Entity))
        g.add((entity, RDFS.label, Literal(item.path.name)))
        g.add((entity, DCTERMS.identifier, Literal(f"sha256:{item.sha256}")))
        g.add((entity, DCTERMS.format, Literal(item.format)))
        g.add((entity, PROV.atLocation, Literal(str(item.path.resolve()))))
    for prefix, ns in PREFIXES.items():
        g.bind(prefix, ns)
    return g


@dataclass
class AddResult:
    """What ``add`` wrote."""

    source: str
    graph: URIRef
    triples: int
    provenance_triples: int
    outcome: ValidationOutcome


def add_facts(
    store: GraphStore,
    inputs: list[RdfInput],
    source: str,
    *,
    agent: str | None = None,
    now: datetime | None = None,
) -> AddResult:
    """Validate the inputs against the shapes (with the store) and, if they conform, add them.

    Raises :class:`FactsRefused` (nothing written) when anything violates.
    """
    check_source_name(source)
    started = now or datetime.now(UTC)
    name = source_graph(source)
    prov = provenance(name, inputs, agent or default_agent(), started)
    checked: list[CheckResult] = []

    def prepare() -> dict[URIRef, Graph]:
        # Runs under the store's writer lock: no other add can slip in between the
        # validation against the store and the write.
        result = check_facts(inputs, store)
        if not result.outcome.conforms:
            raise FactsRefused(result.outcome)
        checked.append(result)
        facts = Graph()
        facts += result.data
        facts += prov
        return {name: facts}

    store.add_checked(prepare)
    result = checked[0]
    return AddResult(source, name, len(result.data), len(prov), result.outcome)


# -- sources and retracting -----------------------------------------------------------------


@dataclass(frozen=True)
class SourceInfo:
    """One named graph of the store."""

    graph: str
    kind: str
    triples: int

    @property
    def name(self) -> str:
        """The short name: the source or document id, or the graph's kind."""
        for prefix in (SOURCE_GRAPHS, DOCUMENT_GRAPHS):
            if self.graph.startswith(prefix):
                return self.graph[len(prefix):]
        return self.graph.rsplit("/", 1)[-1]


def graph_kind(graph: str) -> str:
    """``source``, ``document``, ``ontology``, ``mappings``, ``vocabulary``, ``inferred``, other."""
    if graph.startswith(SOURCE_GRAPHS):
        return "source"
    if graph.startswith(DOCUMENT_GRAPHS):
        return "document"
    for g in PROTECTED_GRAPHS:
        if graph == str(g):
            return str(g).rsplit("/", 1)[-1]
    return "default" if not graph else "other"


def list_sources(store: GraphStore) -> list[SourceInfo]:
    """Every named graph with its kind and number of triples."""
    return [SourceInfo(g, graph_kind(g), n) for g, n in store.graph_sizes().items()]


def resolve_graph(name: str) -> URIRef:
    """A source name, ``document/<id>``, a built-in graph name, or a full graph IRI."""
    if name.startswith(("http://", "https://")):
        return URIRef(name)
    if name.startswith(("document/", "source/")) or name in (
        str(g).rsplit("/", 1)[-1] for g in PROTECTED_GRAPHS
    ):
        return URIRef(DKGG[name])
    return source_graph(check_source_name(name))


def retract(store: GraphStore, name: str, *, force: bool = False) -> int:
    """Remove one named graph atomically; returns the number of triples removed.

    Only ``dkgg:source/…`` graphs (added with ``add``) are retracted unless ``force``:
    document, ontology, vocabulary, mappings and inferred graphs belong to the build.
    """
    graph = resolve_graph(name)
    kind = graph_kind(str(graph))
    if kind != "source" and not force:
        raise StoreError(
            f"{graph} is a {kind} graph written by `dermkg build`; retract only removes "
            "graphs added with `dermkg add` (use --force to remove it anyway)"
        )
    if str(graph) not in store.graph_sizes():
        raise StoreError(f"{graph}: no such graph in the store (see `dermkg sources`)")
    return store.drop_graph(graph)
