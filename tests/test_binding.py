"""Parameters are bound as typed RDF terms; user text cannot change a query."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import XSD

from dermkg.binding import bind_values, where_group_start
from dermkg.catalog import Parameter, parse_saved_query
from dermkg.errors import QueryError
from dermkg.graph.backend import LocalStore

EX = "http://example.org/"
QUERY = """# title: t
# param: name string  a name
# param: age decimal  an age
PREFIX ex: <http://example.org/>
SELECT ?s WHERE {
  ?s ex:name ?n ; ex:age ?a .
  FILTER(!BOUND(?name) || ?n = ?name)
  FILTER(!BOUND(?age) || ?a <= ?age)
}
ORDER BY ?s
"""


@pytest.fixture
def store(tmp_path: Path) -> LocalStore:
    g = Graph()
    for i, (name, age) in enumerate([("ann", 5), ("bob", 15), ("cy", 40)]):
        s = URIRef(f"{EX}p{i}")
        g.add((s, URIRef(EX + "name"), Literal(name)))
        g.add((s, URIRef(EX + "age"), Literal(age)))
    s = LocalStore(tmp_path / "st")
    s.replace_all({URIRef(EX + "g"): g}, {})
    return s


def run(store: LocalStore, **params: object) -> list[str]:
    q = parse_saved_query("t", QUERY)
    return [str(r[0]) for r in store.select(q.sparql, q.bindings(params)).rows]


def test_typed_parameters_filter(store: LocalStore) -> None:
    assert run(store) == [EX + "p0", EX + "p1", EX + "p2"]
    assert run(store, age="15") == [EX + "p0", EX + "p1"]
    assert run(store, name="cy") == [EX + "p2"]


def test_sparql_syntax_in_a_value_is_a_plain_value(store: LocalStore) -> None:
    hostile = 'ann") } UNION { ?s ?p ?o } #'
    assert run(store, name=hostile) == []
    assert run(store, name='ann" || true || "') == []


def test_wrong_type_and_unknown_parameter_are_clear_errors() -> None:
    q = parse_saved_query("t", QUERY)
    with pytest.raises(QueryError, match="'age' expects decimal"):
        q.bindings({"age": "eleven"})
    with pytest.raises(QueryError, match=r"no parameter 'colour'.*name, age"):
        q.bindings({"colour": "red"})


def test_values_go_inside_the_where_group_not_in_strings_or_comments() -> None:
    q = '# WHERE { decoy\nSELECT ?x WHERE { ?x <http://e/p> "WHERE {" }'
    at = where_group_start(q)
    assert q[:at].endswith('SELECT ?x WHERE {')
    bound = bind_values(q, {"v": Literal(3)})
    assert 'VALUES (?v) { ("3"^^<http://www.w3.org/2001/XMLSchema#integer>) }' in bound


def test_parameter_types() -> None:
    assert Parameter("d", "date").to_term("2022-01-01") == Literal("2022-01-01", datatype=XSD.date)
    assert Parameter("b", "boolean").to_term("yes") == Literal(True)
    assert Parameter("i", "iri").to_term("dkgr:drug/ruxolitinib") == URIRef(
        "https://w3id.org/dermkg/resource/drug/ruxolitinib"
    )
    with pytest.raises(QueryError):
        Parameter("i", "iri").to_term("http://x> } DROP ALL {<")


MARKED = """# title: t
# param: name string  a name
# param: age decimal  an age
PREFIX ex: <http://example.org/>
SELECT ?s ?n WHERE {
  {
    SELECT ?s (MIN(?n_) AS ?n) WHERE {
      # @bind: name
      ?s ex:name ?n_ .
      FILTER(!BOUND(?name) || ?n_ = ?name)
    } GROUP BY ?s
  }
  ?s ex:age ?a .
  FILTER(!BOUND(?age) || ?a <= ?age)
  FILTER(?n != "# @bind: age")
}
ORDER BY ?s
"""


def test_bind_markers_put_values_where_the_query_says() -> None:
    q = parse_saved_query("t", MARKED)
    bound = bind_values(q.sparql, q.bindings({"name": "bob", "age": 20}))
    inner = bound.index("SELECT ?s (MIN")
    # name inside the sub-select (before its GROUP BY), age at the start of the outer group
    assert bound.index('VALUES (?name) { ("bob") }') > inner
    assert bound.index("VALUES (?age)") < inner
    assert bound.count("VALUES") == 2  # the marker text inside a string is not a marker
    assert bind_values(q.sparql, {}) == q.sparql


def test_bind_markers_restrict_before_aggregation(tmp_path: Path) -> None:
    g = Graph()
    for i, (name, age) in enumerate([("ann", 5), ("bob", 15), ("cy", 40)]):
        s = URIRef(f"{EX}p{i}")
        g.add((s, URIRef(EX + "name"), Literal(name)))
        g.add((s, URIRef(EX + "age"), Literal(age)))
    st = LocalStore(tmp_path / "st")
    st.replace_all({URIRef(EX + "g"): g}, {})
    q = parse_saved_query("t", MARKED)
    rows = st.select(q.sparql, q.bindings({"name": "bob"})).rows
    assert [str(r[1]) for r in rows] == ["bob"]
    assert len(st.select(q.sparql, q.bindings({"age": 20})).rows) == 2
    hostile = 'bob") } } UNION { ?s ?p ?o } #'
    assert st.select(q.sparql, q.bindings({"name": hostile})).rows == []


def test_a_bind_marker_may_only_name_declared_parameters() -> None:
    with pytest.raises(QueryError, match=r"colour.*not a declared parameter"):
        parse_saved_query("t", MARKED.replace("# @bind: name", "# @bind: name colour"))
