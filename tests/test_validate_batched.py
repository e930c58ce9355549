"""SPARQL-based constraints evaluated once per data graph give pyshacl's own results."""

from __future__ import annotations

from pyshacl import validate as plain_validate
from rdflib import Graph
from rdflib.namespace import RDF, SH

from dermkg.validation import validate

SHAPES = """
@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix ex: <http://example.org/> .
ex:ArmShape a sh:NodeShape ; sh:targetClass ex:Finding ;
  sh:sparql [ a sh:SPARQLConstraint ;
    sh:message "{?value} patients, more than the {?size} in the arm" ;
    sh:select '''PREFIX ex: <http://example.org/>
      SELECT $this ?value ?size WHERE {
        $this ex:count ?value ; ex:arm ?arm . ?arm ex:size ?size . FILTER (?value > ?size) }''' ] ;
  sh:sparql [ a sh:SPARQLConstraint ;
    sh:message "the arm is not one of the study's arms" ;
    sh:select '''PREFIX ex: <http://example.org/>
      SELECT $this ?value WHERE {
        $this ex:arm ?value ; ex:study ?s . FILTER NOT EXISTS { ?s ex:hasArm ?value } }''' ] ;
  sh:sparql [ a sh:SPARQLConstraint ;
    sh:message "a name marked bad" ;
    sh:select '''SELECT $this WHERE { FILTER (CONTAINS(STR($this), "bad")) }''' ] .
"""

DATA = """
@prefix ex: <http://example.org/> .
ex:s ex:hasArm ex:a1 . ex:a1 ex:size 10 . ex:a2 ex:size 5 .
ex:f1 a ex:Finding ; ex:count 3 ; ex:arm ex:a1 ; ex:study ex:s .
ex:f2 a ex:Finding ; ex:count 12 ; ex:arm ex:a1 ; ex:study ex:s .
ex:f3 a ex:Finding ; ex:count 7 , 8 ; ex:arm ex:a2 ; ex:study ex:s .
ex:bad4 a ex:Finding ; ex:count 1 ; ex:arm ex:a1 ; ex:study ex:s .
"""


def results(report: Graph) -> set[tuple[str, str, str]]:
    return {
        (str(report.value(r, SH.focusNode)), str(report.value(r, SH.value)),
         str(report.value(r, SH.resultMessage)))
        for r in report.subjects(RDF.type, SH.ValidationResult)
    }


def test_batched_evaluation_gives_the_per_focus_node_results() -> None:
    shapes = Graph().parse(data=SHAPES, format="turtle")
    data = Graph().parse(data=DATA, format="turtle")
    ours = validate(data, ontology=Graph(), shapes=shapes)
    _, theirs, _ = plain_validate(data, shacl_graph=shapes, inference="none")
    assert results(ours.report) == results(theirs)  # type: ignore[arg-type]
    found = results(ours.report)
    ex = "http://example.org/"
    assert (ex + "f2", "12", "12 patients, more than the 10 in the arm") in found
    assert {(f, v) for f, v, m in found if "more than" in m} == {
        (ex + "f2", "12"), (ex + "f3", "7"), (ex + "f3", "8")}
    assert (ex + "f3", ex + "a2", "the arm is not one of the study's arms") in found
    # a query that binds $this only in a FILTER is evaluated per focus node, as pyshacl does
    assert (ex + "bad4", ex + "bad4", "a name marked bad") in found
    assert not ours.conforms


def test_focused_validation_keeps_only_the_focus_nodes_results() -> None:
    shapes = Graph().parse(data=SHAPES, format="turtle")
    data = Graph().parse(data=DATA, format="turtle")
    from rdflib import URIRef

    outcome = validate(data, ontology=Graph(), shapes=shapes,
                       focus={URIRef("http://example.org/f2")})
    assert {i.focus for i in outcome.issues} == {"http://example.org/f2"}
