"""Validating a whole store a group of named graphs at a time gives the union's answer."""

from __future__ import annotations

import pytest
from rdflib import Graph, URIRef

from dermkg.validation import ValidationOutcome, validate, validate_graphs

SHAPES = """
@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix ex: <http://example.org/> .
ex:TrialShape a sh:NodeShape ; sh:targetClass ex:Trial ;
  sh:property [ sh:path ex:nct ; sh:maxCount 1 ; sh:message "one NCT id" ] ;
  sh:property [ sh:path ex:label ; sh:minCount 1 ; sh:message "a label" ] .
ex:ResultShape a sh:NodeShape ; sh:targetClass ex:Result ;
  sh:property [ sh:path ex:trial ; sh:minCount 1 ; sh:class ex:Trial ;
                sh:message "a result of a trial" ] ;
  sh:sparql [ a sh:SPARQLConstraint ; sh:message "an arm of its trial" ;
    sh:select '''PREFIX ex: <http://example.org/>
      SELECT $this ?value WHERE { $this ex:arm ?value ; ex:trial ?t .
                                  FILTER NOT EXISTS { ?t ex:hasArm ?value } }''' ] .
"""

GRAPHS = {
    # a trial shared by two documents that disagree on its NCT id (only the union violates)
    "d1": 'ex:t a ex:Trial ; ex:label "T" ; ex:nct "NCT1" ; ex:hasArm ex:a1 . '
          "ex:r1 a ex:Result ; ex:trial ex:t ; ex:arm ex:a1 .",
    "d2": 'ex:t a ex:Trial ; ex:nct "NCT2" ; ex:hasArm ex:a2 . '
          "ex:r2 a ex:Result ; ex:trial ex:t ; ex:arm ex:a2 .",
    # results whose trial is described only in other graphs: right (u) and wrong (v, w)
    "d3": "ex:u a ex:Result ; ex:trial ex:t ; ex:arm ex:a2 . "
          "ex:v a ex:Result ; ex:trial ex:t ; ex:arm ex:a9 . "
          "ex:w a ex:Result ; ex:trial ex:nothing .",
    "d4": 'ex:lonely a ex:Trial .',
}


def graphs() -> dict[URIRef, Graph]:
    return {URIRef(f"http://example.org/{k}"): Graph().parse(
        data="@prefix ex: <http://example.org/> .\n" + v, format="turtle")
        for k, v in GRAPHS.items()}


def rows(outcome: ValidationOutcome) -> set[tuple[str, str, str, str]]:
    return {(i.focus, i.path, i.value, i.message) for i in outcome.issues}


@pytest.mark.parametrize("group_triples", [1, 6, 1000])
def test_grouped_validation_equals_validation_of_the_union(group_triples: int) -> None:
    shapes = Graph().parse(data=SHAPES, format="turtle")
    union = Graph()
    for g in graphs().values():
        union += g
    whole = validate(union, ontology=Graph(), shapes=shapes)
    grouped = validate_graphs(graphs(), ontology=Graph(), shapes=shapes,
                              group_triples=group_triples)
    assert rows(grouped) == rows(whole)
    assert grouped.conforms is whole.conforms is False
    ex = "http://example.org/"
    found = {(f, m) for f, _, _, m in rows(grouped)}
    assert found == {(ex + "t", "one NCT id"), (ex + "v", "an arm of its trial"),
                     (ex + "w", "a result of a trial"), (ex + "lonely", "a label")}


def test_a_whole_store_is_validated_graph_by_graph(tmp_path: object) -> None:
    from pathlib import Path

    from dermkg.graph.backend import LocalStore
    from dermkg.validation import validate_store

    shapes = Graph().parse(data=SHAPES, format="turtle")
    store = LocalStore(Path(str(tmp_path)) / "st")
    store.replace_all(graphs(), {})
    union = Graph()
    for g in graphs().values():
        union += g
    assert rows(validate_store(store, shapes, group_triples=6)) == rows(
        validate(union, ontology=Graph(), shapes=shapes))
