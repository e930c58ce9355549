"""The saved-query catalog: headers (title, description, parameters, columns, key,
examples) are read correctly, malformed ones are rejected with the file and line, and every
shipped query is documented the way `dermkg queries` and docs/queries.md rely on."""

from __future__ import annotations

import pytest
from rdflib.plugins.sparql import prepareQuery

from dermkg.catalog import (
    PARAM_TYPES,
    Parameter,
    parse_saved_query,
    query_form,
    resolve_query,
    saved_queries,
)
from dermkg.errors import QueryError

HEADER = """# title: Example
# description: First line
#   continued here.
# param: drug string required  The drug,
#   by name.
# param: limit integer = 10  How many.
# param: since date  From this day.
# column: drug  The drug's name.
# column: n  A count
#   over two lines.
# key: claim_1 claim_2
# example: dermkg query example --param drug=x
PREFIX ex: <http://example.org/>
SELECT ?drug ?n ?claim_1 ?claim_2 WHERE {
  ?claim_1 ex:drug ?drug ; ex:n ?n . BIND(?claim_1 AS ?claim_2)
  FILTER(!BOUND(?since) || ?n <= ?limit)
}
"""


def test_header_is_parsed() -> None:
    q = parse_saved_query("example", HEADER, "example.rq")
    assert q.title == "Example"
    assert q.description == "First line continued here."
    assert q.parameters == (
        Parameter("drug", "string", "The drug, by name.", None, True),
        Parameter("limit", "integer", "How many.", "10", False),
        Parameter("since", "date", "From this day.", None, False),
    )
    assert [(c.name, c.description) for c in q.columns] == [
        ("drug", "The drug's name."), ("n", "A count over two lines.")]
    assert q.keys == ("claim_1", "claim_2") and q.key == "claim_1"
    assert q.examples == ("dermkg query example --param drug=x",)
    assert q.form == "SELECT"


def test_defaults_and_required_parameters() -> None:
    q = parse_saved_query("example", HEADER)
    bound = q.bindings({"drug": "x"})
    assert bound["limit"].toPython() == 10 and "since" not in bound
    assert q.bindings({"drug": "x", "limit": 3})["limit"].toPython() == 3
    with pytest.raises(QueryError, match=r"needs parameter\(s\) drug"):
        q.bindings({})
    with pytest.raises(QueryError, match="'limit' expects integer"):
        q.bindings({"drug": "x", "limit": "1.5"})
    with pytest.raises(QueryError, match="'limit' expects integer"):
        q.bindings({"drug": "x", "limit": True})


@pytest.mark.parametrize(("line", "message"), [
    ("# param: drug colour  Bad type.", "example.rq:1: bad parameter line"),
    ("# param: 9drug string  Bad name.", "example.rq:1: bad parameter line"),
    ("# param: n integer = ten  Bad default.", "example.rq:1: bad default"),
    ("# param: unused string  Never used.", "parameter 'unused' is declared but the query never"),
])
def test_malformed_headers_name_the_file_and_line(line: str, message: str) -> None:
    text = f"{line}\nSELECT ?drug ?n WHERE {{ ?s <http://e/p> ?drug ; <http://e/n> ?n }}\n"
    with pytest.raises(QueryError, match=message):
        parse_saved_query("example", text, "example.rq")


@pytest.mark.parametrize(("text", "form"), [
    ("# SELECT in a comment\nCONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }", "CONSTRUCT"),
    ('PREFIX a: <http://e/SELECT#>\nASK { ?s a:p "SELECT" }', "ASK"),
    ("SELECT ?ask WHERE { ?ask ?p ?o }", "SELECT"),
    ("DESCRIBE <http://e/x>", "DESCRIBE"),
])
def test_query_form_ignores_comments_strings_and_iris(text: str, form: str) -> None:
    assert query_form(text) == form


def test_inline_sparql_and_files_resolve(tmp_path) -> None:  # type: ignore[no-untyped-def]
    assert resolve_query("SELECT * WHERE { ?s ?p ?o }").name == "inline"
    path = tmp_path / "mine.rq"
    path.write_text("# title: Mine\nSELECT * WHERE { ?s ?p ?o }\n", encoding="utf-8")
    assert resolve_query(str(path)).title == "Mine"
    with pytest.raises(QueryError, match="no such query file"):
        resolve_query(str(tmp_path / "missing.rq"))


@pytest.mark.parametrize("name", sorted(saved_queries()))
def test_every_saved_query_is_documented(name: str) -> None:
    q = saved_queries()[name]
    assert q.title and q.description, "title and description"
    assert any(e.startswith(f"dermkg query {name}") for e in q.examples), "an example"
    for p in q.parameters:
        assert p.type in PARAM_TYPES and p.description, p.name
    prepared = prepareQuery(q.sparql)  # standard SPARQL 1.1 (rdflib's parser)
    if q.form == "SELECT":
        projected = [str(v) for v in prepared.algebra["PV"]]
        assert [c.name for c in q.columns] == projected, "every column documented, in order"
        assert q.keys and set(q.keys) <= set(projected), "key columns are projected"
        param_names = {p.name for p in q.parameters}
        assert not param_names & set(projected), "a parameter cannot also be a column"


def test_contract_columns_are_kept() -> None:
    """The columns ../shared/acceptance/CONTRACT.md requires (the scorer reads them)."""
    contract = {
        "approvals-by-age-and-date": "drug product agency indication min_age_years "
                                     "max_age_years date based_on source",
        "trials": "trial nct_id phase design enrollment min_age_years max_age_years condition "
                  "allocation_ratio source",
        "trial-arms": "trial drug strength_percent frequency source",
        "efficacy-outcomes": "trial arm endpoint timepoint value value_max unit population source",
        "safety-events": "trial arm event patients percent negated source",
        "mechanisms": "drug target action source",
    }
    for name, columns in contract.items():
        documented = [c.name for c in saved_queries()[name].columns]
        assert set(columns.split()) <= set(documented), name


def test_docs_describe_every_query_parameter_and_column() -> None:
    from pathlib import Path

    docs = (Path(__file__).resolve().parents[1] / "docs" / "queries.md").read_text("utf-8")
    for name, q in saved_queries().items():
        assert f"`{name}`" in docs, name
        for p in q.parameters:
            assert f"`{p.name}`" in docs, (name, p.name)
        for c in q.columns:
            assert f"`{c.name}`" in docs, (name, c.name)
