"""Stored answers of the saved queries (dermkg.graph.answers): a call answered from the rows
stored at build time must equal the query run on the store, for every saved query and
every parameter with a ``# filter:`` line; writes must never leave a stale answer."""

from __future__ import annotations

import json
import logging
import sys
from collections import Counter
from collections.abc import Iterator, Mapping
from decimal import Decimal
from pathlib import Path

import pytest
from rdflib import Literal, URIRef
from rdflib.namespace import XSD
from rdflib.term import Node
from typer.testing import CliRunner

from conftest import trig_graphs
from dermkg import KnowledgeGraph
from dermkg.binding import Binding
from dermkg.catalog import SavedQuery, parse_saved_query, saved_queries
from dermkg.cli import app
from dermkg.errors import QueryError
from dermkg.facts import add_facts, retract
from dermkg.graph import answers
from dermkg.graph.backend import LocalStore
from dermkg.rdf_input import read_inputs
from dermkg.results import typed_rows

REPO = Path(__file__).resolve().parents[1]
FIXTURE = REPO / "tests" / "fixtures" / "queries" / "graph.trig"
sys.path.insert(0, str(REPO / "benchmarks"))
import synth_graph  # noqa: E402

STORED = [q for q in saved_queries().values() if answers.answerable(q)]
FILTERED = [q for q in STORED if q.filters]
runner = CliRunner()


@pytest.fixture(scope="module")
def fixture_store(tmp_path_factory: pytest.TempPathFactory) -> LocalStore:
    """The hand-written query fixture (tests/fixtures/queries/graph.trig) built as a store."""
    store = LocalStore(tmp_path_factory.mktemp("answers") / "store")
    store.replace_all(trig_graphs(FIXTURE), {})
    return store


@pytest.fixture(scope="module")
def synthetic_store(tmp_path_factory: pytest.TempPathFactory) -> LocalStore:
    """A generated graph of ~8,000 triples (many drugs, studies, arms, results, approvals)."""
    folder = tmp_path_factory.mktemp("answers-synth")
    synth_graph.generate(8_000, folder / "graph.nq", seed=5)
    store = LocalStore(folder / "store")
    with store.writing({"benchmark": "test"}) as out:
        out.bulk_load(folder / "graph.nq")  # type: ignore[attr-defined]
    return store


@pytest.fixture(params=["fixture", "synthetic"])
def store(request: pytest.FixtureRequest) -> LocalStore:
    chosen: LocalStore = request.getfixturevalue(f"{request.param}_store")
    return chosen


def _normalised(rows: list[tuple[Node | None, ...]], columns: list[str],
                query: SavedQuery) -> Counter[tuple[object, ...]]:
    """Rows as a multiset; GROUP_CONCAT cells ("a; b") as sets (their order is the
    engine's choice, see docs/queries.md)."""
    grouped = {i for i, c in enumerate(columns) if _is_concat(query.sparql, c)}
    out: Counter[tuple[object, ...]] = Counter()
    for row in rows:
        out[tuple(frozenset(str(v).split("; ")) if i in grouped and v is not None else v
                  for i, v in enumerate(row))] += 1
    return out


def _is_concat(sparql: str, column: str) -> bool:
    return any("GROUP_CONCAT" in line and f"AS ?{column})" in line
               for line in sparql.splitlines())


def _resolved_variables(query: SavedQuery) -> set[str]:
    """The variables of the query's ``# resolve:`` lines (filtered like parameters)."""
    return {r.variable for r in query.resolutions}


def _live(store: LocalStore, query: SavedQuery, bindings: Mapping[str, Binding]
          ) -> tuple[list[str], list[tuple[Node | None, ...]]]:
    result = store.select(query.sparql, bindings)
    return result.columns, result.rows


def _values(store: LocalStore, query: SavedQuery, parameter: str) -> Iterator[object]:
    """Values to call ``query`` with: taken from the stored rows (so that calls match
    something), changed in case, and values that match nothing."""
    stored = store.stored_answer(query, query.bindings({}))
    assert stored is not None, f"{query.name}: no stored answer"
    if parameter in _resolved_variables(query):  # a resolved variable: IRIs of the column
        column = next(f.columns[0] for f in query.filters if f.parameter == parameter)
        iris = list(dict.fromkeys(r[stored.columns.index(column)] for r in stored.rows))
        picks = iris[:: max(1, len(iris) // 4)][:4]
        yield from ((iri,) for iri in picks)
        yield tuple(picks[:2])
        yield (URIRef("https://w3id.org/dermkg/resource/no-such-thing"),)
        yield ()
        return
    param = query.parameter(parameter)
    if param.type == "boolean":
        yield from (True, False)
        return
    if param.type == "decimal":
        yield from (Decimal("0.5"), 2, Decimal("11.5"), 12, 18, 65, 120)
        return
    if param.type == "date":
        yield from ("1990-01-01", "2021-09-21", "2022-01-01", "2024-06-30", "2030-01-01")
        return
    columns = [c for f in query.filters if f.parameter == parameter for c in f.columns]
    seen: list[str] = []
    for row in stored.rows:
        for c in columns:
            cell = row[stored.columns.index(c)]
            if cell is not None and str(cell) not in seen:
                seen.append(str(cell))
    picks = seen[:: max(1, len(seen) // 4)][:4]
    yield from picks
    yield from (p.swapcase() for p in picks[:2])
    if any(t.op == "contains-ci" for f in query.filters for t in f.tests):
        yield from (p[1:4] for p in picks[:2] if len(p) > 4)
    yield "no such thing at all"


@pytest.mark.parametrize("query", STORED, ids=lambda q: q.name)
def test_stored_answer_is_the_query_answer(store: LocalStore, query: SavedQuery) -> None:
    bindings = query.bindings({})
    stored = store.stored_answer(query, bindings)
    assert stored is not None
    columns, rows = _live(store, query, bindings)
    assert stored.columns == columns
    assert stored.rows == rows  # same rows, same order, same terms (datatypes, languages)
    assert stored.values == typed_rows(rows)  # and the typed values the API gives


@pytest.mark.parametrize("query", FILTERED, ids=lambda q: q.name)
def test_filter_lines_give_the_rows_of_the_bound_query(store: LocalStore,
                                                       query: SavedQuery) -> None:
    names = list(query.filtered_parameters)
    calls = [{n: v} for n in names for v in _values(store, query, n)]
    if len(names) > 1:  # two parameters at once: the first value of each
        firsts = [next(iter(_values(store, query, n))) for n in names]
        calls.append(dict(zip(names, firsts, strict=True)))
    matched = 0
    for call in calls:
        resolved = {n: v for n, v in call.items() if n in _resolved_variables(query)}
        bindings = {**query.bindings({n: v for n, v in call.items() if n not in resolved}),
                    **resolved}
        stored = store.stored_answer(query, bindings)
        assert stored is not None, f"{query.name}{call}: not answered from the stored rows"
        columns, rows = _live(store, query, bindings)
        assert _normalised(stored.rows, stored.columns, query) == _normalised(
            rows, columns, query), f"{query.name} {call}"
        assert stored.values == typed_rows(stored.rows)
        matched += bool(rows)
    assert matched, f"{query.name}: no call matched anything; the test proves nothing"


def test_the_api_answers_from_the_stored_rows(fixture_store: LocalStore,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    kg = KnowledgeGraph.open(fixture_store)
    expected = kg.query("trials").terms

    def no_sparql(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("the query ran on the store")

    real_select = fixture_store.select
    monkeypatch.setattr(fixture_store, "select", no_sparql)
    assert kg.query("trials").terms == expected
    assert len(kg.query("trial-arms", trial_name="true-ad3")) > 0
    kg.query("jak-inhibitors", include_definition=False)  # true-or-text basis=reasoner
    kg.query("jak-inhibitors", include_definition=True)  # the default
    with pytest.raises(AssertionError, match="ran on the store"):  # the look-up runs…
        kg.query("drug-profile", drug="Opzelura")
    lookups: list[str] = []
    monkeypatch.setattr(fixture_store, "select", lambda sparql, bindings=None: (
        lookups.append(sparql), real_select(sparql, bindings))[1])
    profile = kg.query("drug-profile", drug="Opzelura")  # …the profile is stored
    assert len(profile) > 0 and lookups == [saved_queries()["drugs-named"].sparql]
    monkeypatch.setattr(fixture_store, "select", no_sparql)
    with pytest.raises(AssertionError, match="ran on the store"):  # a required parameter
        kg.query("evidence", about="NCT04921969")


def test_is_stored_says_which_calls_the_stored_rows_answer(fixture_store: LocalStore) -> None:
    kg = KnowledgeGraph.open(fixture_store)
    assert kg.is_stored("trials") and kg.is_stored("trials", trial_name="x")
    assert kg.is_stored("drug-profile", drug="Opzelura")  # after its look-up
    assert kg.is_stored("jak-inhibitors", include_definition=False)
    assert not kg.is_stored("evidence", about="NCT04921969")  # a required parameter
    assert not kg.is_stored("claim-graph", node="dkgr:drug/ruxolitinib")  # CONSTRUCT


def test_a_parameter_without_a_filter_line_is_not_answered_from_the_stored_rows(
        fixture_store: LocalStore) -> None:
    import dataclasses

    query = saved_queries()["trial-arms"]
    assert fixture_store.stored_answer(query, query.bindings({"trial_name": "x"})) is not None
    unfiltered = dataclasses.replace(query, filters=())  # same text, no filter lines
    assert fixture_store.stored_answer(unfiltered, query.bindings({})) is not None
    assert fixture_store.stored_answer(unfiltered, query.bindings({"trial_name": "x"})) is None


def test_the_server_answers_saved_queries_from_the_stored_rows(
        fixture_store: LocalStore) -> None:
    from dermkg.server.engine import LocalEngine, QueryJob
    from dermkg.server.negotiation import Preference

    engine = LocalEngine(fixture_store.location)
    query = saved_queries()["trial-arms"]

    def job(**params: object) -> QueryJob:
        return QueryJob(fixture_store.location, "", saved=query.name,
                        bindings=tuple(query.bindings(params).items()),
                        preference=Preference("text/csv"))

    answer = engine._stored(job(trial_name="TRUE-AD3"))
    assert answer is not None and answer.media_type.startswith("text/csv")
    expected = fixture_store.select(query.sparql, query.bindings({"trial_name": "TRUE-AD3"}))
    assert len(answer.body.decode().splitlines()) == len(expected.rows) + 1 > 2
    assert engine._stored(QueryJob(fixture_store.location, "", saved="evidence",
                                   bindings=(("about", Literal("TRuE-AD3")),))) is None


def test_a_changed_query_text_runs_on_the_store(fixture_store: LocalStore,
                                                tmp_path: Path) -> None:
    original = saved_queries()["trials"]
    edited = parse_saved_query("trials", original.sparql.replace(
        "ORDER BY ?trial ?source ?study", "ORDER BY DESC(?trial) ?source ?study"))
    assert fixture_store.stored_answer(original, original.bindings({})) is not None
    assert fixture_store.stored_answer(edited, edited.bindings({})) is None
    path = tmp_path / "trials.rq"
    path.write_text(edited.sparql, encoding="utf-8")
    kg = KnowledgeGraph.open(fixture_store)
    trials = [r.trial for r in kg.query(str(path))]
    assert trials == sorted(trials, key=lambda t: (t is not None, t), reverse=True)


@pytest.mark.parametrize("damage", ["truncated", "row points past the terms"])
def test_an_unreadable_answer_is_not_used(tmp_path: Path, caplog: pytest.LogCaptureFixture,
                                          damage: str) -> None:
    store = LocalStore(tmp_path / "store")
    store.replace_all(trig_graphs(FIXTURE), {})
    query = saved_queries()["mechanisms"]
    expected = store.select(query.sparql, query.bindings({})).rows
    path = store.folder.current().path / answers.ANSWERS / "mechanisms.json"
    if damage == "truncated":
        path.write_text('{"format": 1, "rows": [[', encoding="utf-8")
    else:  # well-formed, same query text; read lazily, so it fails at the call
        data = json.loads(path.read_text(encoding="utf-8"))
        data["rows"][-1][0] = len(data["terms"]) + 5
        path.write_text(json.dumps(data), encoding="utf-8")
    with caplog.at_level(logging.WARNING, logger="dermkg.graph.answers"):
        assert store.stored_answer(query, query.bindings({})) is None
    assert "mechanisms.json: unreadable stored answer" in caplog.text
    assert KnowledgeGraph.open(store).query("mechanisms").terms == expected


FACT = """@prefix dkg: <https://w3id.org/dermkg/ontology#> .
@prefix dkgr: <https://w3id.org/dermkg/resource/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
<https://w3id.org/dermkg/resource/study/NCT09999991> a dkg:Study ;
    rdfs:label "ANSWER-TEST" ; dkg:nctId "NCT09999991" ;
    dkg:phase "2" .
"""


def test_add_and_retract_never_leave_a_stale_answer(tmp_path: Path) -> None:
    store = LocalStore(tmp_path / "store")
    store.replace_all(trig_graphs(FIXTURE), {})
    kg = KnowledgeGraph.open(store)
    before = {r.trial for r in kg.query("trials")}
    rows_before = len(kg.query("trials"))
    facts = tmp_path / "study.ttl"
    facts.write_text(FACT, encoding="utf-8")
    add_facts(store, read_inputs([facts]), "answer-test", agent="test")
    stored_dir = store.folder.current().path / answers.ANSWERS
    assert not stored_dir.exists()  # deleted before the database changed
    assert {r.trial for r in kg.query("trials")} == before | {"ANSWER-TEST"}
    summary = kg.refresh_answers()
    assert summary["trials"]["rows"] == rows_before + 1
    assert store.stored_answer(saved_queries()["trials"], {}) is not None
    assert {r.trial for r in kg.query("trials", nct_id_param="nct09999991")} == {"ANSWER-TEST"}
    retract(store, "answer-test")
    assert {r.trial for r in kg.query("trials")} == before


def test_a_failure_while_storing_answers_keeps_the_previous_store(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    store = LocalStore(tmp_path / "store")
    store.replace_all(trig_graphs(FIXTURE), {})
    before = store.dump_nquads()
    generation = store.folder.current().path

    def broken(*_args: object, **_kwargs: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(answers, "materialise", broken)
    with pytest.raises(OSError, match="disk full"):
        store.replace_all({}, {})
    assert store.folder.current().path == generation
    assert store.dump_nquads() == before
    assert (generation / answers.ANSWERS / "trials.json").is_file()


def test_stored_terms_keep_datatypes_and_languages(tmp_path: Path) -> None:
    query = parse_saved_query("terms", """# title: terms
SELECT ?v WHERE { VALUES ?v { "a" "b"@en 3 4.5 "2025-09"^^<http://www.w3.org/2001/XMLSchema#gYearMonth>
  <https://example.org/x> true } }""")
    store = LocalStore(tmp_path / "store")
    store.replace_all({}, {})
    db = store._read()
    answers.materialise(db, store.folder.current().path, [query])
    stored = answers.AnswerShelf(store.folder.current().path).answer(query, {})
    assert stored is not None
    assert [r[0] for r in stored.rows] == [
        Literal("a"), Literal("b", lang="en"), Literal("3", datatype=XSD.integer),
        Literal("4.5", datatype=XSD.decimal), Literal("2025-09", datatype=XSD.gYearMonth),
        URIRef("https://example.org/x"), Literal("true", datatype=XSD.boolean)]


@pytest.mark.parametrize("line, message", [
    ("# filter: trial_name near trial", "OP one of"),
    ("# filter: nobody equals-ci trial", "not a declared parameter"),
    ("# filter: trial_name equals-ci nowhere", "not a documented column"),
    ("# filter: trial_name", "bad filter line"),
    ("# filter: trial_name true-or-text trial", "true-or-text needs COLUMN=TEXT"),
    ("# filter: trial_name equals trial=x", "equals takes no COLUMN=TEXT"),
])
def test_bad_filter_lines_name_the_file(line: str, message: str) -> None:
    text = f"""# title: t
# param: trial_name string  A name.
# column: trial  The name.
{line}
SELECT ?trial WHERE {{ ?s <https://example.org/name> ?trial FILTER(?trial = ?trial_name) }}"""
    with pytest.raises(QueryError, match=message) as err:
        parse_saved_query("t", text, "queries/t.rq")
    assert "queries/t.rq" in str(err.value)


@pytest.mark.parametrize("query", FILTERED, ids=lambda q: q.name)
def test_filter_lines_read_columns_of_the_answer(fixture_store: LocalStore,
                                                 query: SavedQuery) -> None:
    stored = fixture_store.stored_answer(query, query.bindings({}))
    assert stored is not None
    for f in query.filters:
        assert set(f.columns) <= set(stored.columns), (query.name, f)


def test_refresh_command_stores_the_answers_again(tmp_path: Path) -> None:
    store = LocalStore(tmp_path / "store")
    store.replace_all(trig_graphs(FIXTURE), {})
    answers.invalidate(store.folder.current().path)
    done = runner.invoke(app, ["refresh", "--store", str(store.folder.path),
                               "--format", "json"])
    assert done.exit_code == 0, done.output
    summary = json.loads(done.stdout)
    assert summary["trials"]["rows"] == len(store.select(
        saved_queries()["trials"].sparql).rows)
    assert (store.folder.current().path / answers.ANSWERS / "trials.json").is_file()
    manifest = store.folder.current().manifest()
    assert manifest["answers"]["trials"]["rows"] == summary["trials"]["rows"]


def test_cli_add_refreshes_the_answers_unless_told_not_to(tmp_path: Path) -> None:
    store = LocalStore(tmp_path / "store")
    store.replace_all(trig_graphs(FIXTURE), {})
    facts = tmp_path / "study.ttl"
    facts.write_text(FACT, encoding="utf-8")
    stored = store.folder.path / "current" / answers.ANSWERS / "trials.json"
    done = runner.invoke(app, ["add", str(facts), "--store", str(store.folder.path),
                               "--source", "answer-test", "--no-refresh"])
    assert done.exit_code == 0, done.output
    assert not stored.exists()
    trials = runner.invoke(app, ["query", "trials", "--store", str(store.folder.path),
                                 "--format", "csv"])
    assert "ANSWER-TEST" in trials.stdout  # the query ran on the store
    done = runner.invoke(app, ["retract", "answer-test", "--store", str(store.folder.path)])
    assert done.exit_code == 0, done.output
    assert stored.is_file() and "ANSWER-TEST" not in stored.read_text(encoding="utf-8")
    done = runner.invoke(app, ["add", str(facts), "--store", str(store.folder.path),
                               "--source", "answer-test"])
    assert done.exit_code == 0, done.output
    assert "ANSWER-TEST" in stored.read_text(encoding="utf-8")


def test_a_store_written_without_answers_runs_the_queries(tmp_path: Path) -> None:
    store = LocalStore(tmp_path / "store")
    with store.writing({}, answers=False) as out:
        out.add_graphs(trig_graphs(FIXTURE))
    assert not (store.folder.current().path / answers.ANSWERS).exists()
    assert "answers" not in store.folder.current().manifest()
    query = saved_queries()["trials"]
    assert store.stored_answer(query, query.bindings({})) is None
    assert len(KnowledgeGraph.open(store).query("trials")) == len(
        store.select(query.sparql).rows) > 0


def test_queries_command_says_which_calls_use_the_stored_answer() -> None:
    listing = json.loads(runner.invoke(app, ["queries", "--format", "json"]).stdout)
    by_name = {q["name"]: q for q in listing}
    assert by_name["trials"]["stored_answer"] is True
    assert by_name["trials"]["stored_answer_parameters"] == ["nct_id_param", "trial_name"]
    assert by_name["evidence"]["stored_answer"] is False
    assert "stored answer: no" in runner.invoke(app, ["queries", "evidence"]).stdout
    # a resolved parameter whose variable has a filter line: answered from the stored rows
    assert by_name["drug-profile"]["stored_answer_parameters"] == ["drug"]
    assert "stored answer: yes (also with drug)" in runner.invoke(
        app, ["queries", "drug-profile"]).stdout


def test_rows_read_by_name_compare_and_pickle_like_tuples(fixture_store: LocalStore) -> None:
    import pickle

    rows = KnowledgeGraph.open(fixture_store).query("trials")
    first = rows[0]
    again = next(iter(rows))
    assert first == again and first.trial == again.trial and first.columns == again.columns
    copy = pickle.loads(pickle.dumps(again))
    assert copy == again and copy.asdict() == again.asdict() and copy.keys == ("study",)
    assert rows == KnowledgeGraph.open(fixture_store).query("trials")  # values not compared
