"""Every saved query is standard SPARQL 1.1: Oxigraph and rdflib's own engine give the same
answers over the same named graphs (tests/fixtures/queries/graph.trig).

Both engines get the same query text (parameters bound as a VALUES block; a parameter
with a ``# resolve:`` line is looked up first, by each engine with the resolving query).
rdflib runs on a ``Dataset(default_union=True)``, Oxigraph with its default graph as the
union of the named graphs. Answers are compared as multisets of typed rows; the only
normalisation is for things SPARQL leaves open: the order of rows, the order of the items
GROUP_CONCAT joins ("; "-separated lists), and an empty GROUP_CONCAT (rdflib "" vs
Oxigraph unbound).
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from rdflib import Dataset, Graph, URIRef

from dermkg.binding import bind_values
from dermkg.catalog import SavedQuery, saved_queries
from dermkg.graph.backend import LocalStore
from dermkg.resolution import bound_text
from dermkg.results import python_value

FIXTURE = Path(__file__).parent / "fixtures" / "queries" / "graph.trig"
_EXAMPLE_PARAM = re.compile(r"--param\s+(\w+)=(\S+)")

# Parameter sets beyond each query's header examples, so that every parameter is exercised.
EXTRA_CASES: list[tuple[str, dict[str, str]]] = [
    ("approvals-by-age-and-date", {"max_age": "11"}),
    ("approvals-by-age-and-date", {"since": "2022-01-01", "drug_name": "RUXOLITINIB"}),
    ("trials", {"trial_name": "true-ad3"}),
    ("efficacy-outcomes", {"trial_name": "TRuE-AD3", "endpoint_name": "iga-ts"}),
    ("safety-events", {"negated_param": "false", "trial_name": "TRuE-AD3"}),
    ("evidence", {"about": "NCT04921969"}),
    ("evidence", {"about": "dkgr:drug/ruxolitinib", "in_document": "fx002"}),
    ("evidence", {"about": "https://w3id.org/dermkg/resource/approval/fx001/1"}),
    ("conflicts", {"about": "TRuE-AD3"}),
    ("conflicts", {"about": "https://w3id.org/dermkg/resource/population/fx002/1"}),
    ("external-links", {"of_type": "target", "registry": "UNIPROT"}),
    ("drug-profile", {"drug": "ruxolitinib"}),
    ("drug-profile", {"drug": "dkgr:drug/tofacitinib"}),
    ("drug-profile", {"drug": "OPZELURA"}),
    ("drugs-named", {"drug": "https://w3id.org/dermkg/resource/drug/ruxolitinib"}),
    ("things-named", {"about": "nct04921969"}),
    ("node-by-iri", {"about": "https://w3id.org/dermkg/resource/approval/fx001/1"}),
    ("evidence", {"about": "vehicle"}),
    ("jak-inhibitors", {"include_definition": "false"}),
    ("paediatric-studies", {"include_definition": "false"}),
    ("claim-graph", {"node": "dkgr:study/NCT04921969"}),
    ("claim-graph", {"node": "https://w3id.org/dermkg/resource/drug/ruxolitinib"}),
]


def cases() -> list[tuple[str, dict[str, str]]]:
    """Every saved query without parameters (unless one is required), with the parameters
    of each of its header examples, and with :data:`EXTRA_CASES`."""
    out: list[tuple[str, dict[str, str]]] = []
    for name, q in saved_queries().items():
        if not any(p.required for p in q.parameters):
            out.append((name, {}))
        for example in q.examples:
            if example.startswith(f"dermkg query {name} "):
                out.append((name, dict(_EXAMPLE_PARAM.findall(example))))
    return out + EXTRA_CASES


def _cell(value: Any) -> Any:
    if isinstance(value, str) and not isinstance(value, URIRef):
        if value == "":
            return None
        if "; " in value:
            return tuple(sorted(value.split("; ")))
    return value


def _normalise(rows: list[tuple[Any, ...]]) -> Counter[tuple[Any, ...]]:
    return Counter(tuple(_cell(python_value(v)) for v in row) for row in rows)


def _triples(graph: Graph) -> set[tuple[Any, Any, Any]]:
    """Triples with literal objects as values ("2.0"^^xsd:decimal == "2"^^xsd:decimal)."""
    return {(s, p, python_value(o)) for s, p, o in graph}


@pytest.fixture(scope="module")
def dataset() -> Dataset:
    ds = Dataset(default_union=True)
    ds.parse(FIXTURE, format="trig")
    return ds


def _ox_text(q: SavedQuery, params: dict[str, str], store: LocalStore) -> str:
    return bound_text(q, q.bindings(params),
                      lambda text: [row[0] for row in store.select(text).rows])


def _rdflib_text(q: SavedQuery, params: dict[str, str], dataset: Dataset) -> str:
    return bound_text(q, q.bindings(params),
                      lambda text: [row[0] for row in dataset.query(text)])  # type: ignore[index]


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory, dataset: Dataset) -> LocalStore:
    graphs: dict[URIRef, Graph] = {}
    for g in dataset.graphs():
        if isinstance(g.identifier, URIRef) and len(g):
            copy = Graph()
            for triple in g:
                copy.add(triple)
            graphs[g.identifier] = copy
    st = LocalStore(tmp_path_factory.mktemp("engines") / "store")
    st.replace_all(graphs, {})
    return st


@pytest.mark.parametrize(("name", "params"), cases(),
                         ids=lambda v: v if isinstance(v, str) else ",".join(v) or "-")
def test_oxigraph_and_rdflib_agree(name: str, params: dict[str, str], store: LocalStore,
                                   dataset: Dataset) -> None:
    q = saved_queries()[name]
    bindings = q.bindings(params)
    if q.form == "CONSTRUCT":
        ox_graph = store.construct(q.sparql, bindings)
        rdflib_graph = dataset.query(bind_values(q.sparql, bindings)).graph
        assert rdflib_graph is not None
        assert _triples(ox_graph) == _triples(rdflib_graph)
        return
    ox_result = store.select(_ox_text(q, params, store))
    rdflib_result = dataset.query(_rdflib_text(q, params, dataset))
    assert [str(v) for v in rdflib_result.vars or []] == ox_result.columns
    ox_rows = _normalise(ox_result.rows)
    rdflib_rows = _normalise([tuple(r) for r in rdflib_result])  # type: ignore[arg-type]
    assert ox_rows == rdflib_rows, (
        f"only Oxigraph: {ox_rows - rdflib_rows}\nonly rdflib: {rdflib_rows - ox_rows}"
    )


def test_every_saved_query_is_compared_on_a_non_empty_answer(store: LocalStore) -> None:
    """The comparison above would be vacuous for a query that answers nothing."""
    non_empty = set()
    for name, params in cases():
        q = saved_queries()[name]
        bindings = q.bindings(params)
        if q.form == "CONSTRUCT":
            if len(store.construct(q.sparql, bindings)):
                non_empty.add(name)
        elif store.select(_ox_text(q, params, store)).rows:
            non_empty.add(name)
    assert non_empty == set(saved_queries())


# ------------------------------------------------ a generated graph: many drugs and studies

@pytest.fixture(scope="module")
def synthetic(tmp_path_factory: pytest.TempPathFactory) -> tuple[LocalStore, Dataset]:
    """A generated graph of ~20,000 triples (benchmarks/synth_graph.py) on both engines."""
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
    import synth_graph

    folder = tmp_path_factory.mktemp("engines-synth")
    synth_graph.generate(20_000, folder / "graph.nq", seed=11)
    store = LocalStore(folder / "store")
    with store.writing({"test": "engines"}) as out:
        out.bulk_load(folder / "graph.nq")  # type: ignore[attr-defined]
    ds = Dataset(default_union=True)
    ds.parse(folder / "graph.nq", format="nquads")
    return store, ds


@pytest.mark.parametrize(("name", "params"), [
    ("drug-profile", {"drug": "ruxolitinib"}),
    ("drug-profile", {"drug": "dupilumab"}),
    ("evidence", {"about": "ruxolitinib"}),
])
def test_engines_agree_on_a_generated_graph(name: str, params: dict[str, str],
                                            synthetic: tuple[LocalStore, Dataset]) -> None:
    """Resolved parameters bound as VALUES rows: rdflib once ignored a VALUES-bound
    variable in a FILTER nested in a GRAPH inside NOT EXISTS (drug-profile's results that
    name no arm, in a study that also has an arm of another drug); the fixture has no
    such study, the generated graph has."""
    store, ds = synthetic
    q = saved_queries()[name]
    ox_rows = _normalise(store.select(_ox_text(q, params, store)).rows)
    rdflib_rows = _normalise([tuple(r) for r in ds.query(  # type: ignore[arg-type]
        _rdflib_text(q, params, ds))])
    assert ox_rows and ox_rows == rdflib_rows, (
        f"only Oxigraph: {ox_rows - rdflib_rows}\nonly rdflib: {rdflib_rows - ox_rows}")


def test_the_generated_graph_has_results_without_an_arm_in_mixed_studies(
        synthetic: tuple[LocalStore, Dataset]) -> None:
    """What the test above relies on (else it would not see the rdflib bug)."""
    store, _ = synthetic
    found = store.select("""PREFIX dkg: <https://w3id.org/dermkg/ontology#>
        SELECT ?node WHERE {
          GRAPH ?g { ?node dkg:ofStudy ?s . ?s dkg:hasArm/dkg:armIntervention ?a, ?b }
          FILTER(?a != ?b) FILTER NOT EXISTS { ?node dkg:ofArm ?arm } } LIMIT 1""").rows
    assert found
