"""The shapes are standard SHACL: a second, independent engine (rudof, written in Rust,
via pyrudof) gives the same verdicts as pyshacl on the good fixture and every wrong fact."""

from __future__ import annotations

import pytest
from rdflib import Graph

from dermkg.resources import ontology_file
from dermkg.validation import validate
from test_shapes_support import Case, good_graph, load_cases, with_ontology, with_vocabulary

pyrudof = pytest.importorskip("pyrudof")

CASES = load_cases()

# Where rudof departs from the SHACL spec (section 4.1.2: an ill-formed literal such as
# "2025-02-30"^^xsd:date does not match sh:datatype xsd:date); pyshacl follows the spec.
# strict xfail: if rudof starts checking lexical forms, these cases must be re-enabled.
RUDOF_GAPS = {
    "document-invalid-date": "rudof does not check the lexical form of xsd:date literals",
    "approval-invalid-date": "rudof does not check the lexical form of xsd:date literals",
}


def _param(case: Case) -> object:
    if case.id in RUDOF_GAPS:
        mark = pytest.mark.xfail(reason=RUDOF_GAPS[case.id], strict=True)
        return pytest.param(case, id=case.id, marks=mark)
    return pytest.param(case, id=case.id)


def rudof_violations(data: Graph) -> set[tuple[str, str]]:
    """(focus node, severity) of rudof's results about the subjects of ``data``."""
    focus = {str(s) for s in data.subjects()}
    engine = pyrudof.Rudof(pyrudof.RudofConfig())
    full = with_ontology(with_vocabulary(data))
    engine.read_data(full.serialize(format="nt"), format=pyrudof.RDFFormat.NTriples)
    engine.read_shacl(ontology_file("shapes.ttl").read_text(encoding="utf-8"))
    report = engine.validate_shacl()
    return {
        (str(r.focus_node), str(r.severity))
        for r in report.violations
        if str(r.focus_node) in focus
    }


def pyshacl_violations(data: Graph) -> set[tuple[str, str]]:
    outcome = validate(with_vocabulary(data), focus=set(data.subjects()))
    return {(i.focus, i.severity) for i in outcome.issues}


def _conforms(results: set[tuple[str, str]]) -> bool:
    return not any(severity.endswith("Violation") for _, severity in results)


def test_good_fixture_conforms_in_both_engines() -> None:
    assert rudof_violations(good_graph()) == set()
    assert pyshacl_violations(good_graph()) == set()


@pytest.mark.parametrize("case", [_param(c) for c in CASES])
def test_engines_agree(case: Case) -> None:
    data = case.graph()
    rudof = rudof_violations(data)
    ours = pyshacl_violations(data)
    assert _conforms(rudof) == _conforms(ours) == (case.severity == "Warning")
    # the expected focus node is reported by both, with the same severity
    assert any(f == case.focus and s.endswith(case.severity) for f, s in rudof), rudof
    assert (case.focus, case.severity) in ours
