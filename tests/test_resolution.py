"""Parameters resolved by another saved query (``# resolve: PARAM as VARIABLE by QUERY``):
the header is checked, the resolver's IRIs are bound at the markers (several, or none),
and the shipped resolving queries give the same rows as the query text run for every node
and filtered (on the fixture graph, tests/fixtures/queries/graph.trig)."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import pytest
from rdflib import Literal, URIRef
from rdflib.term import Node

from conftest import trig_graphs
from dermkg.api import KnowledgeGraph
from dermkg.binding import Binding, bind_values
from dermkg.catalog import SavedQuery, check_resolutions, parse_saved_query, saved_queries
from dermkg.errors import QueryError
from dermkg.graph.backend import LocalStore
from dermkg.resolution import bound_text, resolved_bindings

FIXTURE = Path(__file__).parent / "fixtures" / "queries" / "graph.trig"
R = "https://w3id.org/dermkg/resource/"
RUX = URIRef(R + "drug/ruxolitinib")

MAIN = """# param: drug string required  The drug.
# resolve: drug as d by finder
SELECT ?d ?p WHERE {
  # @bind: d
  ?d <http://e/p> ?p
}
"""
FINDER = """# param: drug string required  A name.
SELECT ?x WHERE { ?x <http://e/name> ?drug }
"""


@pytest.fixture(scope="module")
def kg(tmp_path_factory: pytest.TempPathFactory) -> KnowledgeGraph:
    store = LocalStore(tmp_path_factory.mktemp("resolution") / "store")
    store.replace_all(trig_graphs(FIXTURE), {})
    return KnowledgeGraph.open(store)


# ---------------------------------------------------------------- the header

def test_resolve_line_is_parsed() -> None:
    q = parse_saved_query("main", MAIN, "main.rq")
    assert [(r.parameter, r.variable, r.query) for r in q.resolutions] == [("drug", "d", "finder")]
    # the resolved parameter need not occur in the text; its variable is named by markers
    assert "?drug" not in q.sparql


@pytest.mark.parametrize(("text", "message"), [
    (MAIN.replace("as d by finder", "by finder"), "main.rq:2: bad resolve line"),
    (MAIN.replace("resolve: drug", "resolve: other"), "names 'other', which is not a declared"),
    (MAIN.replace("  # @bind: d\n", ""), "no '# @bind: d' marker"),
    (MAIN.replace("# resolve:", "# filter: drug equals-ci p\n# resolve:"),
     "filter line and a resolve"),
])
def test_bad_resolve_lines_are_refused(text: str, message: str) -> None:
    with pytest.raises(QueryError, match=message):
        parse_saved_query("main", text, "main.rq")


def test_the_resolving_query_must_exist_and_take_the_parameter() -> None:
    main = parse_saved_query("main", MAIN, "main.rq")
    finder = parse_saved_query("finder", FINDER, "finder.rq")
    check_resolutions({"main": main, "finder": finder})
    with pytest.raises(QueryError, match="'finder', which is not a saved query"):
        check_resolutions({"main": main})
    other = parse_saved_query("finder", FINDER.replace("drug", "name"), "finder.rq")
    with pytest.raises(QueryError, match="parameter 'drug' to resolve it"):
        check_resolutions({"main": main, "finder": other})
    loop = parse_saved_query("finder", "# resolve: drug as x by main\n" + FINDER.replace(
        "SELECT ?x WHERE { ?x", "SELECT ?x WHERE {\n  # @bind: x\n  ?x"), "finder.rq")
    with pytest.raises(QueryError, match="cycle"):
        check_resolutions({"main": main, "finder": loop})

    # two resolvers that resolve with the same query: not a cycle
    def via(name: str, *queries: str) -> SavedQuery:
        lines = "".join(f"# resolve: drug as x by {q}\n" for q in queries)
        return parse_saved_query(name, lines + FINDER.replace(
            "SELECT ?x WHERE { ?x", "SELECT ?x WHERE {\n  # @bind: x\n  ?x"))
    check_resolutions({"a": via("a", "b", "c"), "b": via("b", "d"), "c": via("c", "d"),
                       "d": finder})


# ---------------------------------------------------------------- binding

def test_several_iris_are_one_values_row_each_and_none_keeps_no_row() -> None:
    q = parse_saved_query("main", MAIN)
    finder = parse_saved_query("finder", FINDER)
    catalog = {"main": q, "finder": finder}
    seen: list[str] = []

    def two(text: str) -> list[Node | None]:
        seen.append(text)
        return [URIRef("http://e/a"), Literal("not an IRI"), None, URIRef("http://e/b"),
                URIRef("http://e/a")]

    calls: list[tuple[str, dict[str, Binding]]] = []

    def by_call(query: SavedQuery, bindings: Mapping[str, Binding]) -> list[Node | None]:
        calls.append((query.name, dict(bindings)))
        return two("")

    bound = resolved_bindings(q, q.bindings({"drug": "x"}), by_call, catalog)
    assert bound == {"d": (URIRef("http://e/a"), URIRef("http://e/b"))}
    assert calls == [("finder", {"drug": Literal("x")})]  # the resolver got the value
    text = bound_text(q, q.bindings({"drug": "x"}), two, catalog)
    assert "VALUES ?d { <http://e/a> <http://e/b> }" in text and '"x"' not in text
    assert '"x"' in seen[-1]  # (the resolver's text had it bound)
    none = bound_text(q, q.bindings({"drug": "x"}), lambda _: [], catalog)
    assert "FILTER(false)" in none
    assert bound_text(q, {}, two, catalog) == q.sparql  # not given: every node


def test_several_resolvers_of_one_parameter_add_up() -> None:
    main = parse_saved_query("main", MAIN.replace(
        "# resolve: drug as d by finder", "# resolve: drug as d by finder\n"
        "# resolve: drug as d by other"))
    catalog = {"main": main, "finder": parse_saved_query("finder", FINDER),
               "other": parse_saved_query("other", FINDER)}
    answers = {"finder": [URIRef("http://e/a")], "other": [URIRef("http://e/b"),
                                                           URIRef("http://e/a")]}
    bound = resolved_bindings(main, main.bindings({"drug": "x"}),
                              lambda q, _b: answers[q.name], catalog)  # type: ignore[arg-type]
    assert bound == {"d": (URIRef("http://e/a"), URIRef("http://e/b"))}
    with pytest.raises(QueryError, match="bind different variables"):
        parse_saved_query("main", MAIN.replace(
            "# resolve: drug as d by finder", "# resolve: drug as d by finder\n"
            "# resolve: drug as e by other"))


def test_bind_values_takes_sequences() -> None:
    text = "SELECT * WHERE {\n  # @bind: a b\n  ?a ?b ?c\n}"
    out = bind_values(text, {"a": (URIRef("http://e/1"), URIRef("http://e/2")),
                             "b": URIRef("http://e/p")})
    assert "VALUES (?b) { (<http://e/p>) }" in out
    assert "VALUES ?a { <http://e/1> <http://e/2> }" in out


# ---------------------------------------------------------------- the shipped queries

@pytest.mark.parametrize("name", sorted(n for n, q in saved_queries().items() if q.resolutions))
def test_shipped_resolutions_are_declared_with_markers(name: str) -> None:
    q = saved_queries()[name]
    for r in q.resolutions:
        resolver = saved_queries()[r.query]
        assert resolver.keys and resolver.columns[0].name == resolver.keys[0], (
            "the resolver's first column is the IRI it finds")


@pytest.mark.parametrize(("value", "expected"), [
    ("Opzelura", {RUX}), ("OPZELURA", {RUX}), ("incb018424", {RUX}), ("ruxolitinib", {RUX}),
    ("dkgr:drug/ruxolitinib", {RUX}), (R + "drug/ruxolitinib", {RUX}),
    (R + "DRUG/RUXOLITINIB", set()),  # an IRI is compared as written
    ("no such drug", set()), ("JAK1", set()),  # a target is not a drug
])
def test_drugs_named(kg: KnowledgeGraph, value: str, expected: set[URIRef]) -> None:
    result = kg.query("drugs-named", drug=value)
    assert {r.drug_iri for r in result} == expected
    assert all(r.drug_name == "ruxolitinib" for r in result)


def test_drugs_named_says_what_matched(kg: KnowledgeGraph) -> None:
    assert kg.query("drugs-named", drug="opzelura")[0].matched == "product name"
    assert kg.query("drugs-named", drug="dkgr:drug/ruxolitinib")[0].matched == "IRI"
    assert kg.query("drugs-named", drug="Ruxolitinib")[0].matched == "drug name"


@pytest.mark.parametrize(("value", "expected"), [
    ("nct04921969", {URIRef(R + "study/NCT04921969")}),
    ("INCB018424", {RUX}),
    ("dkgr:study/NCT04921969", set()),  # not a name: node-by-iri finds IRIs
])
def test_things_named(kg: KnowledgeGraph, value: str, expected: set[URIRef]) -> None:
    assert {r.subject for r in kg.query("things-named", about=value)} == expected


@pytest.mark.parametrize(("value", "expected"), [
    ("dkgr:study/NCT04921969", {URIRef(R + "study/NCT04921969")}),
    (R + "approval/fx001/1", {URIRef(R + "approval/fx001/1")}),  # a claim: typed, no label
    (R + "approval/fx001/999", set()),  # not in the graph
    ("ruxolitinib", set()), ("", set()),  # not an IRI
])
def test_node_by_iri(kg: KnowledgeGraph, value: str, expected: set[URIRef]) -> None:
    assert {r.subject for r in kg.query("node-by-iri", about=value)} == expected


def test_things_named_lists_every_name_without_a_value(kg: KnowledgeGraph) -> None:
    names = {(r.subject, r.name) for r in kg.query("things-named")}
    assert (RUX, "INCB018424") in names or (RUX, "incb018424") in names
    assert (URIRef(R + "study/NCT04921969"), "NCT04921969") in names


def _rows(kg: KnowledgeGraph, text: str) -> set[tuple[object, ...]]:
    return set(kg.store.select(text).rows)


@pytest.mark.parametrize(("name", "param", "value", "variable", "node"), [
    ("drug-profile", "drug", "Opzelura", "drug_iri", RUX),
    ("drug-profile", "drug", "dkgr:drug/tofacitinib", "drug_iri", URIRef(R + "drug/tofacitinib")),
    ("evidence", "about", "NCT04921969", "subject", URIRef(R + "study/NCT04921969")),
    ("evidence", "about", "ruxolitinib", "subject", RUX),
])
def test_resolved_call_is_the_unbound_query_restricted_to_the_node(
        kg: KnowledgeGraph, name: str, param: str, value: str, variable: str,
        node: URIRef) -> None:
    """The query text run as it is answers for every node; the resolved call must give
    exactly that answer's rows about the node the value names (here checked through a
    copy of the text that projects the node)."""
    q = saved_queries()[name]
    called = kg.query(name, **{param: value})
    assert len(called) > 0
    columns = [c.name for c in q.columns]
    if variable in columns:  # evidence projects its ?subject
        at = columns.index(variable)
        for_node = {row for row in _rows(kg, q.sparql) if row[at] == node}
    else:
        everything = q.sparql.replace("SELECT DISTINCT ", f"SELECT DISTINCT ?{variable} ", 1)
        for_node = {row[1:] for row in _rows(kg, everything) if row[0] == node}
    assert set(called.terms) == for_node
