"""The build pipeline: documents → claims → RDF → SHACL screening → reasoning → store.

::

    corpus/*.txt ──read──▶ SourceDocument ──extract──▶ claims ──link──▶ claims (merged studies)
        then, a chunk of documents at a time (only the chunk's graphs in memory):
        ──to_rdf──▶ one named graph per document ──screen (SHACL, vocabulary as context)──▶
        ──▶ written into a NEW store generation; a slim copy kept for the reasoner
    then: constraints across documents (shared studies) ──▶ reason (OWL) ──▶ swap in

Linking needs every document's studies, so extraction runs over the whole corpus first
(in worker processes for a large corpus; the extractions are small: text and claims); the
RDF graphs, 25× bigger, exist one chunk at a time. Peak memory at 10,000 generated
documents: 373 MB (it was 2,966 MB with every graph held until the write). The
generation becomes current only when complete: a failed, refused (``--strict``) or killed
build leaves the previous store as it was.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rdflib import Graph, URIRef
from rdflib.namespace import OWL, RDF, RDFS
from rdflib.term import Node

from dermkg import __version__, loaders
from dermkg.errors import DermkgError, DocumentError
from dermkg.graph.backend import GraphStore, GraphWriter, writing
from dermkg.namespaces import (
    DKG,
    INFERRED_GRAPH,
    MAPPINGS_GRAPH,
    OA,
    ONTOLOGY_GRAPH,
    VOCABULARY_GRAPH,
    document_graph,
    document_iri,
)
from dermkg.ontology_graphs import mappings_graph, ontology_graph, vocabulary_graph
from dermkg.screening import CrossDocuments, Screening, drop, recheck, screen

PARALLEL_FROM = 64
"""Corpora of this many documents or more are extracted in worker processes."""

CHUNK = 200
"""Documents turned into RDF, screened and written at a time: bounds the memory of a build
(about 0.3 MB of rdflib graph per document) and the superlinear part of SHACL validation."""

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
    validation: str = "SHACL screening"
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
            "validation": self.validation,
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
    validate: bool = True,
    on_document: Progress | None = None,
    on_stage: Progress | None = None,
    chunk: int = CHUNK,
    workers: int | None = None,
    answers: bool = True,
) -> BuildReport:
    """Build the graph from every document in ``corpus`` and swap it into ``store``.

    ``validate=False`` writes the facts without SHACL screening (for measuring the rest of
    the build; the facts are then unchecked). ``answers=False`` stores no saved-query
    answers (saved queries then run on the store, see :mod:`dermkg.graph.answers`).
    ``chunk``: documents per chunk. ``workers``:
    processes extracting documents (default: one per CPU, at most 4, for corpora of
    :data:`PARALLEL_FROM` documents or more; 1 extracts in this process)."""
    report = BuildReport(corpus=str(corpus), store=store.location)
    stage = on_stage or (lambda _msg: None)
    t0 = time.perf_counter()
    seconds: dict[str, float] = defaultdict(float)

    paths = loaders.discover(corpus)
    report.documents = len(paths)
    extractions: list[loaders.DocumentExtraction | None] = []
    for path, ex, failure in _extract_all(paths, workers):
        if ex is None:
            report.failed[path.name] = failure
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
    loaders.link_documents([ex for ex in extractions if ex is not None])
    seconds["extract"] += time.perf_counter() - t0

    ontology, vocabulary, mappings = ontology_graph(), vocabulary_graph(), mappings_graph()
    context = {ONTOLOGY_GRAPH: ontology, MAPPINGS_GRAPH: mappings, VOCABULARY_GRAPH: vocabulary}
    slim: dict[URIRef, Graph] = {}
    annotations = annotation_properties(ontology) if reason else frozenset()
    cross = CrossDocuments()
    names: dict[URIRef, str] = {}
    counts: dict[URIRef, dict[str, int]] = {}
    with writing(store, progress=lambda name: stage(f"storing the answer of {name}"),
                 answers=answers) as out:
        with _clock(seconds, "write"):
            out.add_graphs(context)
        for batch in _chunks(extractions, chunk):
            stage(f"building documents {batch[0][0] + 1}–{batch[-1][0] + 1}")
            with _clock(seconds, "extract"):
                doc_graphs = _to_rdf(batch, names, counts)
            for i, _ in batch:
                extractions[i] = None  # the graphs hold what is needed now
            with _clock(seconds, "validate"):
                screening = (screen(doc_graphs, vocabulary, ontology) if validate
                             else Screening())
            _record(report, screening.dropped, screening.rejected, names, screening.warnings)
            for name in screening.rejected:
                del doc_graphs[name]
            if strict and report.rejected:
                raise BuildFailed(f"validation failed for {', '.join(report.rejected)} (--strict)")
            for name, g in doc_graphs.items():
                if validate:
                    cross.collect(name, g, _scoped_to(names[name]))
                if reason:
                    slim[name] = reasoner_view(g, annotations)
            with _clock(seconds, "write"):
                report.triples += out.add_graphs(doc_graphs)
            del doc_graphs
        if validate:
            stage("validating across documents")
            with _clock(seconds, "validate"):
                _check_across(cross, out, report, names, vocabulary, ontology,
                              slim if reason else None)
        else:
            report.validation = "not run"
        if strict and report.rejected:
            raise BuildFailed(f"validation failed for {', '.join(report.rejected)} (--strict)")
        loaded = [n for n in names if names[n] not in report.rejected]
        if reason:
            stage("reasoning")
            t2 = time.perf_counter()
            for name, g in context.items():
                slim[name] = reasoner_view(g, annotations)
            inferred = run_reasoner(slim, report, prepared=True)
            del slim
            if inferred is not None:
                with _clock(seconds, "write"):
                    report.triples += out.add_graphs({INFERRED_GRAPH: inferred})
                report.graphs += 1
            seconds["reason"] += time.perf_counter() - t2
        report.loaded = sorted(names[n] for n in loaded)
        for name in loaded:
            report.facts.update(counts[name])
        report.graphs += len(context) + len(loaded)
        report.triples += sum(len(g) for g in context.values())
        report.seconds = {k: round(v, 3) for k, v in seconds.items()}
        stage("writing the store")
        out.manifest = report.manifest()
        t3 = time.perf_counter()
    seconds["write"] += time.perf_counter() - t3  # flush, compaction, answers, the swap
    answered = out.manifest.get("answers") or {}
    seconds["answers"] = sum(a["seconds"] for a in answered.values())
    seconds["write"] -= seconds["answers"]
    seconds["total"] = time.perf_counter() - t0
    report.seconds = {k: round(v, 3) for k, v in seconds.items()}
    return report


def _extract_one(path: Path) -> tuple[Path, loaders.DocumentExtraction | None, str]:
    try:
        return path, loaders.extract_document(path), ""
    except DocumentError as exc:
        return path, None, exc.reason


def _extract_all(
    paths: list[Path], workers: int | None
) -> Iterator[tuple[Path, loaders.DocumentExtraction | None, str]]:
    """Each document's extraction (or why it failed), in order; in worker processes when
    there are enough documents to pay for starting them."""
    if workers is None:
        workers = min(os.cpu_count() or 1, 4) if len(paths) >= PARALLEL_FROM else 1
    if workers <= 1:
        yield from map(_extract_one, paths)
        return
    context = multiprocessing.get_context("forkserver" if sys.platform != "win32" else "spawn")
    with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
        yield from pool.map(_extract_one, paths, chunksize=8)


@contextlib.contextmanager
def _clock(seconds: dict[str, float], key: str) -> Iterator[None]:
    t = time.perf_counter()
    try:
        yield
    finally:
        seconds[key] += time.perf_counter() - t


def _chunks(
    items: list[loaders.DocumentExtraction | None], size: int
) -> Iterator[list[tuple[int, loaders.DocumentExtraction]]]:
    batch: list[tuple[int, loaders.DocumentExtraction]] = []
    for i, ex in enumerate(items):
        if ex is None:
            continue
        batch.append((i, ex))
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def _to_rdf(
    batch: list[tuple[int, loaders.DocumentExtraction]],
    names: dict[URIRef, str],
    counts: dict[URIRef, dict[str, int]],
) -> dict[URIRef, Graph]:
    graphs = {}
    for _, ex in batch:
        name = document_graph(ex.doc_id)
        graphs[name] = loaders.to_rdf(ex)
        names[name] = ex.path.name
        counts[name] = ex.counts()
    return graphs


def _scoped_to(doc_id_of_file: str) -> Callable[[Node], bool]:
    """Whether a node is minted for one document (docs/model.md: its IRI has the document
    id as a path segment, or is the document itself)."""
    doc_id = Path(doc_id_of_file).stem
    segment, doc = f"/{doc_id}/", str(document_iri(doc_id))

    def scoped(node: Node) -> bool:
        text = str(node)
        return segment in text or text == doc

    return scoped


def _record(
    report: BuildReport,
    dropped: dict[URIRef, list[str]],
    rejected: dict[URIRef, list[str]],
    names: dict[URIRef, str],
    warnings: int,
) -> None:
    report.warnings += warnings
    for name, lines in dropped.items():
        report.dropped.setdefault(names[name], []).extend(lines)
    for name, lines in rejected.items():
        report.rejected[names[name]] = lines


def _check_across(
    cross: CrossDocuments,
    out: GraphWriter,
    report: BuildReport,
    names: dict[URIRef, str],
    vocabulary: Graph,
    ontology: Graph,
    slim: dict[URIRef, Graph] | None,
) -> None:
    """Check the constraints that span documents; take back from the generation being
    written what they blame (and a document that no longer conforms without it)."""
    found, warnings = cross.check(vocabulary, ontology)
    report.warnings += warnings
    touched: dict[URIRef, Graph] = {}
    dropped: dict[URIRef, list[str]] = {}
    for v in found:
        for name in sorted(cross.owners.get(v.focus, ())):
            g = touched.setdefault(name, out.graph(name))
            before = set(g)
            line = drop(g, v)
            if line:
                removed = before - set(g)
                out.remove(name, removed)
                report.triples -= len(removed)
                dropped.setdefault(name, []).append(line + " (across documents)")
    rejected = {}
    for name, g in touched.items():
        lines = recheck(g, vocabulary, ontology)
        if lines:
            rejected[name] = lines
            out.remove(name, list(g))
            report.triples -= len(g)
            if slim is not None:
                slim.pop(name, None)
        elif slim is not None:
            slim[name] = reasoner_view(g, annotation_properties(ontology))
    _record(report, dropped, rejected, names, 0)


def without_evidence_detail(graph: Graph) -> Graph:
    """A copy of ``graph`` less the evidence spans and their selectors: their structure is
    SHACL's to check, and leaving them out halves the reasoner's work."""
    return reasoner_view(graph, frozenset())


_BUILTIN_ANNOTATIONS = frozenset({RDFS.label, RDFS.comment, RDFS.seeAlso, RDFS.isDefinedBy,
                                  OWL.versionInfo, OWL.deprecated})


def annotation_properties(ontology: Graph) -> frozenset[Node]:
    """The annotation properties (rdfs:label, skos:…, those the ontology declares): no OWL
    axiom reads them, and the reasoner leaves them out."""
    declared = set(ontology.subjects(RDF.type, OWL.AnnotationProperty))
    return frozenset(_BUILTIN_ANNOTATIONS | declared)


def reasoner_view(graph: Graph, annotations: frozenset[Node]) -> Graph:
    """What the reasoner needs of ``graph``: every statement but the evidence spans and
    their selectors (SHACL's to check) and the ``annotations`` (labels, quotes …)."""
    detail = {
        node
        for kind in (DKG.EvidenceSpan, OA.TextPositionSelector, OA.TextQuoteSelector)
        for node in graph.subjects(RDF.type, kind)
    }
    out = Graph()
    for s, p, o in graph:
        if p in annotations or s in detail or o in detail:
            continue
        out.add((s, p, o))
    return out


def run_reasoner(
    graphs: dict[URIRef, Graph], report: BuildReport, *, prepared: bool = False
) -> Graph | None:
    """Run the OWL reasoner over everything built; record what happened in ``report``.

    ``graphs`` are the reasoner's views (:func:`reasoner_view`) when ``prepared``, else the
    full graphs. Graphs that contradict the rest are left out of the inference (and named
    in the report); the rest is still reasoned over. The documents are reasoned over a group
    at a time (:func:`dermkg.reasoning.reason_graphs`), so the build's reasoning grows
    linearly with the corpus. A reasoner that cannot run is reported and the build goes on
    without inferred facts.
    """
    from dermkg.errors import ReasonerError
    from dermkg.reasoning import reason_graphs

    views = graphs if prepared else {n: without_evidence_detail(g) for n, g in graphs.items()}
    try:
        outcome = reason_graphs(views)
    except ReasonerError as exc:
        report.reasoning = f"failed: {exc}"
        return None
    report.reasoning = outcome.message
    if len(outcome.inferred) == 0:
        return None
    report.inferred = len(outcome.inferred)
    return outcome.inferred
