"""The SHACL shapes: correct facts conform, each wrong fact gives the expected result, and
the shapes themselves follow the policy (messages everywhere, deliberate severities)."""

from __future__ import annotations

import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import OWL, RDF, SH

from dermkg.ontology_graphs import ontology_graph
from dermkg.validation import ValidationOutcome, load_shapes, validate
from test_shapes_support import Case, good_graph, load_cases, turtle, with_vocabulary

CASES = load_cases()
DKG = "https://w3id.org/dermkg/ontology#"

# Terms the shapes may use before the ontology declares them (none now).
PENDING_TERMS: set[str] = set()


def check(data: Graph) -> ValidationOutcome:
    """Validate ``data`` as ``dermkg add`` does: its subjects, with what they reference."""
    return validate(with_vocabulary(data), focus=set(data.subjects()))


def test_good_fixture_conforms_without_warnings() -> None:
    outcome = check(good_graph())
    assert outcome.conforms, outcome.issues
    assert outcome.issues == []


def test_cases_are_distinct_and_cover_every_severity() -> None:
    ids = [c.id for c in CASES]
    assert len(ids) == len(set(ids))
    assert {c.severity for c in CASES} == {"Violation", "Warning"}


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_wrong_fact_gives_expected_result(case: Case) -> None:
    outcome = check(case.graph())
    found = [
        i for i in outcome.issues
        if i.focus == case.focus and (i.path or None) == case.path and i.severity == case.severity
    ]
    assert found, f"expected {case.severity} on {case.focus} {case.path}; got {outcome.issues}"
    assert all(i.message for i in found)
    # a Violation makes the facts non-conforming; a Warning alone does not
    assert outcome.conforms is (case.severity == "Warning")
    if case.severity == "Warning":
        assert outcome.violations == []


def test_report_is_a_standard_validation_report() -> None:
    case = next(c for c in CASES if c.id == "approval-min-age-above-max-age")
    report = check(case.graph()).report
    root = next(report.subjects(RDF.type, SH.ValidationReport))
    assert report.value(root, SH.conforms).toPython() is False
    result = next(report.objects(root, SH.result))
    assert report.value(result, SH.focusNode) == URIRef(case.focus)
    assert report.value(result, SH.resultSeverity) == SH.Violation
    assert report.value(result, SH.sourceConstraintComponent) in {
        SH.LessThanOrEqualsConstraintComponent
    }


def _constraint_shapes(shapes: Graph) -> list[URIRef]:
    nodes = set(shapes.subjects(RDF.type, SH.NodeShape))
    nodes |= set(shapes.objects(None, SH.property))
    nodes |= set(shapes.objects(None, SH.sparql))
    return sorted(nodes, key=str)


def test_every_shape_and_constraint_has_a_message() -> None:
    shapes = load_shapes()
    missing = [n for n in _constraint_shapes(shapes) if shapes.value(n, SH.message) is None]
    assert missing == []
    assert len(_constraint_shapes(shapes)) > 100


def test_warnings_only_flag_cardinality() -> None:
    """Severity policy: a Warning says a fact is weak (a value absent, or sources that
    disagree), never that a value is wrong: warning shapes only constrain cardinality."""
    shapes = load_shapes()
    warning_shapes = list(shapes.subjects(SH.severity, SH.Warning))
    assert len(warning_shapes) >= 8
    for shape in warning_shapes:
        constraints = {p for p, _ in shapes.predicate_objects(shape)} - {
            SH.path, SH.severity, SH.message, SH.minCount, SH.maxCount, SH.name, SH.description
        }
        assert constraints == set(), f"{shape}: a Warning shape with {constraints}"


def test_every_kind_of_node_in_the_model_has_a_shape() -> None:
    targets = {str(o).removeprefix(DKG) for o in load_shapes().objects(None, SH.targetClass)}
    for kind in ("Document", "EvidenceSpan", "Claim", "RegulatoryApproval", "Study",
                 "StudyPopulation", "StudyArm", "StudyPeriod", "StudyResult", "EfficacyResult",
                 "SafetyFinding", "MechanismStatement", "Drug", "DrugProduct", "Disease",
                 "Endpoint", "AdverseEventTerm", "MolecularTarget", "Organization"):
        assert kind in targets, kind


def test_shapes_use_only_terms_the_ontology_declares() -> None:
    declared = {str(s) for s in ontology_graph().subjects(RDF.type, None)}
    used = {
        str(t) for triple in load_shapes() for t in triple
        if isinstance(t, URIRef) and str(t).startswith(DKG)
    }
    undeclared = {t.removeprefix(DKG) for t in used - declared}
    assert undeclared <= PENDING_TERMS, undeclared - PENDING_TERMS


def test_ontology_classes_named_in_shapes_are_classes() -> None:
    onto = ontology_graph()
    shapes = load_shapes()
    for cls in set(shapes.objects(None, SH["class"])) | set(shapes.objects(None, SH.targetClass)):
        if str(cls).startswith(DKG):
            assert (cls, RDF.type, OWL.Class) in onto, cls


def test_blank_node_claims_are_refused_with_a_clear_message() -> None:
    data = turtle("""
        [] a dkg:MechanismStatement ; prov:wasDerivedFrom dkgd:fixture-doc-1 ;
           dkg:hasEvidence <evidence/fixture-doc-1/10-90> ; dkg:extractionRule "x" ;
           dkg:subjectDrug <drug/ruxolitinib> ; dkg:target <target/JAK1> ;
           dkg:mechanismAction dkg:Inhibition .
    """) + good_graph()
    outcome = check(data)
    assert [i.message for i in outcome.violations if i.focus.startswith("_:")] == [
        "A claim must be an IRI (not a blank node), traceable to a span of the document it is "
        "derived from."
    ]
