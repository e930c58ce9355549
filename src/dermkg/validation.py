"""SHACL validation of facts with the shapes in ``ontology/shapes.ttl`` (pyshacl)."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache

from pyshacl import validate as shacl_validate
from rdflib import Graph, URIRef
from rdflib.namespace import RDF, SH

from dermkg.resources import ontology_file


@dataclass(frozen=True)
class ValidationIssue:
    """One SHACL validation result."""

    focus: str
    path: str
    value: str
    severity: str
    message: str
    shape: str


@dataclass
class ValidationOutcome:
    """What validation found: ``conforms`` is False only when there is a violation."""

    conforms: bool
    issues: list[ValidationIssue] = field(default_factory=list)
    report: Graph = field(default_factory=Graph)

    @property
    def violations(self) -> list[ValidationIssue]:
        """The issues of severity Violation."""
        return [i for i in self.issues if i.severity == "Violation"]

    @property
    def warnings(self) -> list[ValidationIssue]:
        """The issues of severity Warning or Info."""
        return [i for i in self.issues if i.severity != "Violation"]


@cache
def load_shapes() -> Graph:
    """The SHACL shapes shipped in ``ontology/shapes.ttl``."""
    g = Graph()
    g.parse(data=ontology_file("shapes.ttl").read_text(encoding="utf-8"), format="turtle")
    return g


def _issues(report: Graph) -> list[ValidationIssue]:
    out = []
    for r in report.subjects(RDF.type, SH.ValidationResult):
        severity = report.value(r, SH.resultSeverity)
        out.append(
            ValidationIssue(
                focus=str(report.value(r, SH.focusNode) or ""),
                path=str(report.value(r, SH.resultPath) or ""),
                value=str(report.value(r, SH.value) or ""),
                severity=str(severity).rsplit("#", 1)[-1] if severity else "Violation",
                message=str(report.value(r, SH.resultMessage) or ""),
                shape=str(report.value(r, SH.sourceShape) or ""),
            )
        )
    return sorted(out, key=lambda i: (i.severity != "Violation", i.focus, i.path))


def validate(
    data: Graph, ontology: Graph | None = None, shapes: Graph | None = None
) -> ValidationOutcome:
    """Validate ``data`` (with the ontology's class hierarchy) against the shapes."""
    conforms, report, _ = shacl_validate(
        data,
        shacl_graph=shapes if shapes is not None else load_shapes(),
        ont_graph=ontology,
        inference="none",
        allow_warnings=True,
        advanced=True,
    )
    assert isinstance(report, Graph)
    return ValidationOutcome(bool(conforms), _issues(report), report)


def focus_nodes(outcome: ValidationOutcome) -> set[URIRef]:
    """The focus nodes of the violations."""
    return {URIRef(i.focus) for i in outcome.violations if i.focus}
