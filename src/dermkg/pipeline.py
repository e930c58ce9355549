"""The build pipeline: documents → claims → RDF → SHACL validation → reasoning → store.

::

    corpus/*.txt ──read──▶ SourceDocument ──extract──▶ claims ──link──▶ claims (merged studies)
        ──to_rdf──▶ one named graph per document ─┐
    ontology/ (OWL, mappings, vocabulary) ────────┼──validate (SHACL)──reason (OWL)──▶ new store
                                                  └────────────────────────────────▶ swap in
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rdflib import Graph, URIRef
from rdflib.namespace import RDF

from dermkg import __version__, loaders
from dermkg.errors import DermkgError, DocumentError
from dermkg.graph.backend import GraphStore
from dermkg.namespaces import (
    DKG,
    INFERRED_GRAPH,
    MAPPINGS_GRAPH,
    OA,
    ONTOLOGY_GRAPH,
    VOCABULARY_GRAPH,
    document_graph,
)
from dermkg.ontology_graphs import mappings_graph, ontology_graph, vocabulary_graph
from dermkg.screening import screen

Progress = Callable[[str], None]


class BuildFailed(DermkgError):
    """The build was refused (``--strict`` with a failed document, or nothing to build)."""


@dataclass
class BuildReport:
    """What a build did, for the summary printed at the end."""

    corpus: str
    store: str
    documents: int = 0
    loaded: list[str] = field(default_factory=list)
    failed: dict[str, str] = field(default_factory=dict)
    rejected: dict[str, list[str]] = field(default_factory=dict)
    dropped: dict[str, list[str]] = field(default_factory=dict)
    notes: dict[str, list[str]] = field(default_factory=dict)
    facts: Counter[str] = field(default_factory=Counter)
    triples: int = 0
    graphs: int = 0
    warnings: int = 0
    reasoning: str = "not run"
    inferred: int = 0
    seconds: dict[str, float] = field(default_factory=dict)

    @property
    def partial(self) -> bool:
        """True when some document failed to load or was rejected by validation."""
        return bool(self.failed or self.rejected)

    def manifest(self) -> dict[str, Any]:
        """The report as JSON-ready data, kept in the store's manifest."""
        return {
            "dermkg_version": __version__,
            "corpus": self.corpus,
            "documents": self.documents,
            "loaded": self.loaded,
            "failed": self.failed,
            "rejected": self.rejected,
            "dropped": self.dropped,
            "facts": dict(self.facts),
            "triples": self.triples,
            "validation_warnings": self.warnings,
            "reasoning": self.reasoning,
            "inferred": self.inferred,
            "seconds": self.seconds,
        }


def build(
    corpus: Path,
    store: GraphStore,
    *,
    strict: bool = False,
    reason: bool = True,
    on_document: Progress | None = None,
    on_stage: Progress | None = None,
) -> BuildReport:
    """Build the graph from every document in ``corpus`` and swap it into ``store``."""
    report = BuildReport(corpus=str(corpus), store=store.location)
    stage = on_stage or (lambda _msg: None)
    t0 = time.perf_counter()

    paths = loaders.discover(corpus)
    report.documents = len(paths)
    extractions = []
    for path in paths:
        try:
            ex = loaders.extract_document(path)
        except DocumentError as exc:
            report.failed[path.name] = exc.reason
        else:
            extractions.append(ex)
            if ex.problems:
                report.notes[path.name] = list(ex.problems)
        if on_document:
            on_document(path.name)
    if strict and report.failed:
        raise BuildFailed(
            "; ".join(f"{name}: {why}" for name, why in report.failed.items())
            + " (--strict: nothing was written)"
        )
    loaders.link_documents(extractions)
    doc_graphs = {document_graph(ex.doc_id): loaders.to_rdf(ex) for ex in extractions}
    counts = {document_graph(ex.doc_id): ex.counts() for ex in extractions}
    names = {document_graph(ex.doc_id): ex.path.name for ex in extractions}
    report.seconds["extract"] = round(time.perf_counter() - t0, 3)

    stage("validating")
    t1 = time.perf_counter()
    ontology, vocabulary, mappings = ontology_graph(), vocabulary_graph(), mappings_graph()
    screening = screen(doc_graphs, vocabulary, ontology)
    report.warnings = screening.warnings
    for name, lines in screening.dropped.items():
        report.dropped[names[name]] = lines
    for name, lines in screening.rejected.items():
        report.rejected[names[name]] = lines
        del doc_graphs[name]
    if strict and report.rejected:
        raise BuildFailed(f"validation failed for {', '.join(report.rejected)} (--strict)")
    report.seconds["validate"] = round(time.perf_counter() - t1, 3)

    graphs: dict[URIRef, Graph] = {
        ONTOLOGY_GRAPH: ontology,
        MAPPINGS_GRAPH: mappings,
        VOCABULARY_GRAPH: vocabulary,
        **doc_graphs,
    }
    if reason:
        stage("reasoning")
        t2 = time.perf_counter()
        inferred = run_reasoner(graphs, report)
        if inferred is not None:
            graphs[INFERRED_GRAPH] = inferred
        report.seconds["reason"] = round(time.perf_counter() - t2, 3)

    report.loaded = sorted(names[n] for n in doc_graphs)
    for name in doc_graphs:
        report.facts.update(counts[name])
    report.graphs = len(graphs)
    report.triples = sum(len(g) for g in graphs.values())
    stage("writing the store")
    t3 = time.perf_counter()
    store.replace_all(graphs, report.manifest())
    report.seconds["write"] = round(time.perf_counter() - t3, 3)
    report.seconds["total"] = round(time.perf_counter() - t0, 3)
    return report


def without_evidence_detail(graph: Graph) -> Graph:
    """A copy of ``graph`` less the evidence spans and their selectors: their structure is
    SHACL's to check, and leaving them out halves the reasoner's work."""
    out = Graph()
    out += graph
    detail = {
        node
        for kind in (DKG.EvidenceSpan, OA.TextPositionSelector, OA.TextQuoteSelector)
        for node in out.subjects(RDF.type, kind)
    }
    for node in detail:
        out.remove((node, None, None))
        out.remove((None, None, node))
    return out


def run_reasoner(graphs: dict[URIRef, Graph], report: BuildReport) -> Graph | None:
    """Run the OWL reasoner over everything built; record what happened in ``report``.

    Graphs that contradict the rest are left out of the inference (and named in the
    report); the rest is still reasoned over. A reasoner that cannot run is reported and
    the build goes on without inferred facts.
    """
    from dermkg.errors import ReasonerError
    from dermkg.reasoning import reason_graphs

    try:
        outcome = reason_graphs({n: without_evidence_detail(g) for n, g in graphs.items()})
    except ReasonerError as exc:
        report.reasoning = f"failed: {exc}"
        return None
    report.reasoning = outcome.message
    if len(outcome.inferred) == 0:
        return None
    report.inferred = len(outcome.inferred)
    return outcome.inferred
