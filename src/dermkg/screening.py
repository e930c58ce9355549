"""Screening extracted facts with the SHACL shapes before they land.

A violation is the fault of one fact, not of the whole document: the offending statement
(the triple a property-level result names, or every statement about the focus node when
the result names no value) is dropped from that document's graph and recorded; the
document is validated again, and only a document that still does not conform is
rejected whole. Nothing that violates a shape is ever written to the store.

The build screens documents a chunk at a time (:func:`screen`: the chunk's document graphs
with the vocabulary as context, the document graphs' subjects as focus nodes). A node that
several documents describe (a study shared by NCT id) is then described in full only by
the union of their graphs, which may fall in different chunks. Only the constraints whose
verdict can turn from "conforms" to "violates" when facts are added — counts from above
(``sh:maxCount``, ``sh:qualifiedMaxCount``), comparisons of two properties (``sh:lessThan``
…, ``sh:equals``, ``sh:disjoint``) and ``sh:uniqueLang`` — can fail on the union where every
document conforms alone; :class:`CrossDocuments` keeps, for the nodes not scoped to one
document, the statements those constraints read, and checks them once at the end.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field

from rdflib import Graph, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF, SH
from rdflib.term import Node

from dermkg.validation import ValidationOutcome, load_shapes, validate


@dataclass
class Screening:
    """What screening did: statements dropped and documents rejected, per graph name."""

    dropped: dict[URIRef, list[str]] = field(default_factory=dict)
    rejected: dict[URIRef, list[str]] = field(default_factory=dict)
    warnings: int = 0


@dataclass(frozen=True)
class Violation:
    """One violation result: focus node, path and value (when the result names them)."""

    focus: Node
    path: Node | None
    value: Node | None
    message: str
    component: Node | None = None


def violations(outcome: ValidationOutcome) -> list[Violation]:
    """The results of severity Violation in a validation outcome."""
    report = outcome.report
    out = []
    for result in report.subjects(RDF.type, SH.ValidationResult):
        if report.value(result, SH.resultSeverity) not in (None, SH.Violation):
            continue
        focus = report.value(result, SH.focusNode)
        if focus is None:
            continue
        path = report.value(result, SH.resultPath)
        out.append(
            Violation(
                focus=focus,
                path=path if isinstance(path, URIRef) else None,
                value=report.value(result, SH.value),
                message=str(report.value(result, SH.resultMessage) or "violates a shape"),
                component=report.value(result, SH.sourceConstraintComponent),
            )
        )
    return out


def drop(graph: Graph, v: Violation) -> str | None:
    """Remove what ``v`` blames from ``graph``; a line for the report, None if not there."""
    if v.path is not None and v.value is not None and (v.focus, v.path, v.value) in graph:
        graph.remove((v.focus, v.path, v.value))
        return f"dropped {v.focus} {v.path} {v.value!s}: {v.message}"
    if (v.focus, None, None) in graph:
        graph.remove((v.focus, None, None))
        graph.remove((None, None, v.focus))
        return f"dropped {v.focus}: {v.message}"
    return None


def _focus(graphs: Iterable[Graph]) -> set[Node]:
    return {s for g in graphs for s in g.subjects()}


def recheck(
    graph: Graph, context: Graph, ontology: Graph, shapes: Graph | None = None
) -> list[str]:
    """Validate one document graph again (after drops); its violations as report lines
    (empty: it conforms)."""
    again = Graph()
    again += context
    again += graph
    check = validate(again, ontology=ontology, shapes=shapes, focus=_focus([graph]))
    if check.conforms:
        return []
    return sorted(f"{i.focus} {i.path}: {i.message}" for i in check.violations)


def screen(
    doc_graphs: Mapping[URIRef, Graph],
    context: Graph,
    ontology: Graph,
    shapes: Graph | None = None,
) -> Screening:
    """Validate the document graphs (with ``context``, e.g. the vocabulary, which is read
    but not itself validated) and drop or reject what violates. ``doc_graphs`` are changed
    in place; rejected ones stay in the mapping and are listed in the result for the
    caller to leave out."""
    data = Graph()
    data += context
    for g in doc_graphs.values():
        data += g
    outcome = validate(data, ontology=ontology, shapes=shapes, focus=_focus(doc_graphs.values()))
    result = Screening(warnings=len(outcome.warnings))
    if outcome.conforms:
        return result
    touched: set[URIRef] = set()
    for v in violations(outcome):
        for name, g in doc_graphs.items():
            line = drop(g, v)
            if line:
                result.dropped.setdefault(name, []).append(line)
                touched.add(name)
    for name in sorted(touched):
        lines = recheck(doc_graphs[name], context, ontology, shapes)
        if lines:
            result.rejected[name] = lines
    return result


# -- constraints across documents -------------------------------------------------------------

_ADDITION_SENSITIVE = {
    SH.maxCount: SH.MaxCountConstraintComponent,
    SH.qualifiedMaxCount: SH.QualifiedMaxCountConstraintComponent,
    SH.lessThan: SH.LessThanConstraintComponent,
    SH.lessThanOrEquals: SH.LessThanOrEqualsConstraintComponent,
    SH.equals: SH.EqualsConstraintComponent,
    SH.disjoint: SH.DisjointConstraintComponent,
    SH.uniqueLang: SH.UniqueLangConstraintComponent,
}
"""Constraint parameters whose verdict can turn to a violation when statements are added,
with their constraint components."""

_PAIRED = (SH.lessThan, SH.lessThanOrEquals, SH.equals, SH.disjoint)


def _path_predicates(shapes: Graph, path: Node) -> set[URIRef]:
    if isinstance(path, URIRef):
        return {path}
    out: set[URIRef] = set()
    for _, _, o in shapes.triples((path, None, None)):
        if isinstance(o, URIRef) and o != RDF.nil:
            out.add(o)
        elif (o, RDF.first, None) in shapes:
            for item in Collection(shapes, o):
                out |= _path_predicates(shapes, item)
        elif o != path:
            out |= _path_predicates(shapes, o)
    return out


def addition_sensitive_predicates(shapes: Graph) -> frozenset[URIRef]:
    """The predicates read by a constraint that adding statements can make fail (the path
    of a property shape with such a constraint, and the other property it compares)."""
    out: set[URIRef] = set()
    for shape, path in shapes.subject_objects(SH.path):
        if not any((shape, param, None) in shapes for param in _ADDITION_SENSITIVE):
            continue
        out |= _path_predicates(shapes, path)
        for param in _PAIRED:
            out.update(o for o in shapes.objects(shape, param) if isinstance(o, URIRef))
    return frozenset(out)


class CrossDocuments:
    """What the constraints across documents need, kept while the documents stream by: for
    each node not scoped to one document, the documents that describe it, its types and its
    statements with an addition-sensitive predicate (a few per study)."""

    def __init__(self, shapes: Graph | None = None) -> None:
        self.shapes = shapes
        self.predicates = addition_sensitive_predicates(shapes if shapes is not None
                                                        else load_shapes())
        self.owners: dict[Node, set[URIRef]] = {}
        self.facts = Graph()

    def collect(self, name: URIRef, graph: Graph, scoped: Callable[[Node], bool]) -> None:
        """Note what document graph ``name`` says about nodes for which ``scoped`` is False."""
        for s in set(graph.subjects()):
            if not isinstance(s, URIRef) or scoped(s):
                continue
            self.owners.setdefault(s, set()).add(name)
            for p, o in graph.predicate_objects(s):
                if p == RDF.type or p in self.predicates:
                    self.facts.add((s, p, o))

    def shared(self) -> set[Node]:
        """The nodes more than one document describes."""
        return {s for s, names in self.owners.items() if len(names) > 1}

    def check(self, context: Graph, ontology: Graph) -> tuple[list[Violation], int]:
        """The violations (and the number of warnings) that only the union of the
        documents describing a shared node gives, from the addition-sensitive constraints."""
        shared = self.shared()
        if not shared:
            return [], 0
        data = Graph()
        data += context
        data += self.facts
        outcome = validate(data, ontology=ontology, shapes=self.shapes, focus=shared)
        components = set(_ADDITION_SENSITIVE.values())
        found = [v for v in violations(outcome) if v.component in components]
        warnings = sum(
            1 for r in outcome.report.subjects(RDF.type, SH.ValidationResult)
            if outcome.report.value(r, SH.resultSeverity) not in (None, SH.Violation)
            and outcome.report.value(r, SH.sourceConstraintComponent) in components
        )
        return found, warnings
