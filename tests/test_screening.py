"""Screening drops the statements that violate a shape, not the whole document."""

from __future__ import annotations

from rdflib import Graph, Literal, URIRef

from dermkg.screening import screen

SHAPES = """
@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix ex: <http://example.org/> .
ex:TrialShape a sh:NodeShape ; sh:targetClass ex:Trial ;
  sh:property [ sh:path ex:nct ; sh:pattern "^NCT[0-9]{8}$" ; sh:message "bad NCT id" ] .
ex:ClaimShape a sh:NodeShape ; sh:targetClass ex:Claim ;
  sh:property [ sh:path ex:about ; sh:minCount 1 ; sh:class ex:Trial ;
                sh:message "a claim is about a trial" ] .
ex:LabelShape a sh:NodeShape ; sh:targetClass ex:Trial ;
  sh:property [ sh:path ex:label ; sh:minCount 1 ; sh:message "a trial needs a label" ] .
"""
PREFIX = "@prefix ex: <http://example.org/> .\n"


def graph(ttl: str) -> Graph:
    return Graph().parse(data=PREFIX + ttl, format="turtle")


def shapes() -> Graph:
    return Graph().parse(data=SHAPES, format="turtle")


def test_a_bad_value_is_dropped_and_the_rest_kept() -> None:
    doc = graph('ex:t a ex:Trial ; ex:label "A" ; ex:nct "NCT123" , "NCT12345678" .')
    name = URIRef("http://example.org/g")
    result = screen({name: doc}, Graph(), Graph(), shapes=shapes())
    assert not result.rejected
    assert len(result.dropped[name]) == 1 and "bad NCT id" in result.dropped[name][0]
    ex = "http://example.org/"
    assert (URIRef(ex + "t"), URIRef(ex + "nct"), Literal("NCT12345678")) in doc
    assert (URIRef(ex + "t"), URIRef(ex + "nct"), Literal("NCT123")) not in doc


def test_conforming_documents_are_untouched() -> None:
    doc = graph('ex:t a ex:Trial ; ex:label "A" . ex:c a ex:Claim ; ex:about ex:t .')
    before = len(doc)
    result = screen({URIRef("http://example.org/g"): doc}, Graph(), Graph(), shapes=shapes())
    assert not result.dropped and not result.rejected and len(doc) == before


def test_a_document_still_violating_after_the_drop_is_rejected() -> None:
    # Dropping the unlabelled trial leaves the claim about nothing: still a violation.
    doc = graph("ex:t a ex:Trial . ex:c a ex:Claim ; ex:about ex:t .")
    name = URIRef("http://example.org/g")
    result = screen({name: doc}, Graph(), Graph(), shapes=shapes())
    assert name in result.rejected
    assert any("a claim is about a trial" in line for line in result.rejected[name])
