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


CROSS_SHAPES = SHAPES + """
ex:TrialIdShape a sh:NodeShape ; sh:targetClass ex:Trial ;
  sh:property [ sh:path ex:nct ; sh:maxCount 1 ; sh:message "one NCT id per trial" ] ;
  sh:property [ sh:path ex:start ; sh:lessThan ex:end ; sh:message "start before end" ] .
"""


def test_addition_sensitive_predicates_come_from_the_shapes() -> None:
    from dermkg.screening import addition_sensitive_predicates

    ex = "http://example.org/"
    found = addition_sensitive_predicates(Graph().parse(data=CROSS_SHAPES, format="turtle"))
    # maxCount and lessThan read these; pattern, minCount and class never fail on additions
    assert found == {URIRef(ex + "nct"), URIRef(ex + "start"), URIRef(ex + "end")}


def test_a_conflict_only_the_union_of_two_documents_shows_is_found() -> None:
    from dermkg.screening import CrossDocuments

    cross_shapes = Graph().parse(data=CROSS_SHAPES, format="turtle")
    one = graph('ex:t a ex:Trial ; ex:label "A" ; ex:nct "NCT00000001" . '
                'ex:c1 a ex:Claim ; ex:about ex:t .')
    two = graph('ex:t a ex:Trial ; ex:label "A" ; ex:nct "NCT00000002" . '
                'ex:c2 a ex:Claim ; ex:about ex:t .')
    g1, g2 = URIRef("http://example.org/g1"), URIRef("http://example.org/g2")
    # each document conforms alone (as each chunk of a build is screened)
    assert not screen({g1: one}, Graph(), Graph(), shapes=cross_shapes).dropped
    assert not screen({g2: two}, Graph(), Graph(), shapes=cross_shapes).dropped
    cross = CrossDocuments(cross_shapes)
    for name, g in ((g1, one), (g2, two)):
        cross.collect(name, g, scoped=lambda node: str(node).startswith("http://example.org/c"))
    assert cross.shared() == {URIRef("http://example.org/t")}
    found, warnings = cross.check(Graph(), Graph())
    assert [v.message for v in found] == ["one NCT id per trial"]
    assert warnings == 0
    # what the check keeps is small: types and the addition-sensitive statements
    assert len(cross.facts) == 3


def test_documents_that_agree_raise_nothing_across_documents() -> None:
    from dermkg.screening import CrossDocuments

    cross = CrossDocuments(Graph().parse(data=CROSS_SHAPES, format="turtle"))
    for i in (1, 2):
        doc = graph('ex:t a ex:Trial ; ex:label "A" ; ex:nct "NCT00000001" .')
        cross.collect(URIRef(f"http://example.org/g{i}"), doc, scoped=lambda _n: False)
    assert cross.check(Graph(), Graph()) == ([], 0)
