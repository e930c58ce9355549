"""Screening extracted facts with the SHACL shapes before they land.

A violation is the fault of one fact, not of the whole document: the offending statement
(the triple a property-level result names, or every statement about the focus node when
the result names no value) is dropped from that document's graph and recorded; the
document is validated again, and only a document that still does not conform is
rejected whole. Nothing that violates a shape is ever written to the store.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from rdflib import Graph, URIRef
from rdflib.namespace import RDF, SH
from rdflib.term import Node

from dermkg.validation import ValidationOutcome, validate


@dataclass
class Screening:
    """What screening did: statements dropped and documents rejected, per graph name."""

    dropped: dict[URIRef, list[str]] = field(default_factory=dict)
    rejected: dict[URIRef, list[str]] = field(default_factory=dict)
    warnings: int = 0


@dataclass(frozen=True)
class _Violation:
    focus: Node
    path: Node | None
    value: Node | None
    message: str


def _violations(outcome: ValidationOutcome) -> list[_Violation]:
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
            _Violation(
                focus=focus,
                path=path if isinstance(path, URIRef) else None,
                value=report.value(result, SH.value),
                message=str(report.value(result, SH.resultMessage) or "violates a shape"),
            )
        )
    return out


def _drop(graph: Graph, v: _Violation) -> str | None:
    """Remove what ``v`` blames from ``graph``; a line for the report, None if not there."""
    if v.path is not None and v.value is not None and (v.focus, v.path, v.value) in graph:
        graph.remove((v.focus, v.path, v.value))
        return f"dropped {v.focus} {v.path} {v.value!s}: {v.message}"
    if (v.focus, None, None) in graph:
        graph.remove((v.focus, None, None))
        graph.remove((None, None, v.focus))
        return f"dropped {v.focus}: {v.message}"
    return None


def screen(
    doc_graphs: Mapping[URIRef, Graph],
    context: Graph,
    ontology: Graph,
    shapes: Graph | None = None,
) -> Screening:
    """Validate the document graphs (with ``context``, e.g. the vocabulary) and drop or
    reject what violates. ``doc_graphs`` are changed in place; rejected ones stay in the
    mapping and are listed in the result for the caller to leave out."""
    data = Graph()
    data += context
    for g in doc_graphs.values():
        data += g
    outcome = validate(data, ontology=ontology, shapes=shapes)
    result = Screening(warnings=len(outcome.warnings))
    if outcome.conforms:
        return result
    touched: set[URIRef] = set()
    for v in _violations(outcome):
        for name, g in doc_graphs.items():
            line = _drop(g, v)
            if line:
                result.dropped.setdefault(name, []).append(line)
                touched.add(name)
    for name in sorted(touched):
        again = Graph()
        again += context
        again += doc_graphs[name]
        check = validate(again, ontology=ontology, shapes=shapes)
        if not check.conforms:
            result.rejected[name] = sorted(
                f"{i.focus} {i.path}: {i.message}" for i in check.violations
            )
    return result
