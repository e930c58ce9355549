"""The embedded store: generations, atomic swap, transactions."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef

from dermkg.errors import StoreError
from dermkg.graph.backend import LocalStore
from dermkg.graph.store import StoreFolder

EX = "http://example.org/"


def one_triple(value: int) -> Graph:
    g = Graph()
    g.add((URIRef(EX + "s"), URIRef(EX + "p"), Literal(value)))
    return g


def test_query_before_build_names_the_folder(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="no graph built"):
        LocalStore(tmp_path / "nothing").select("SELECT * WHERE { ?s ?p ?o }")


def test_replace_all_swaps_in_a_new_generation(tmp_path: Path) -> None:
    store = LocalStore(tmp_path / "st")
    store.replace_all({URIRef(EX + "g"): one_triple(1)}, {"build": 1})
    first = StoreFolder(tmp_path / "st").current().path
    store.replace_all({URIRef(EX + "g"): one_triple(2)}, {"build": 2})
    folder = StoreFolder(tmp_path / "st")
    assert folder.current().path != first
    assert first.exists(), "the previous generation stays for readers that still have it"
    store.replace_all({URIRef(EX + "g"): one_triple(3)}, {"build": 3})
    assert not first.exists(), "older generations are removed"
    store.replace_all({URIRef(EX + "g"): one_triple(2)}, {"build": 2})
    assert len(list(folder.generations_dir.iterdir())) == 2
    assert folder.current().manifest()["build"] == 2
    store.refresh()
    rows = store.select("SELECT ?o WHERE { ?s ?p ?o }").rows
    assert [r[0].toPython() for r in rows] == [2]


def test_failed_build_leaves_previous_store_intact(tmp_path: Path) -> None:
    store = LocalStore(tmp_path / "st")
    store.replace_all({URIRef(EX + "g"): one_triple(1)}, {})
    before = store.dump_nquads()

    def exploding():
        yield from one_triple(5)
        raise KeyboardInterrupt

    class Exploding(Graph):
        def __iter__(self):  # type: ignore[override]
            return exploding()

    with pytest.raises(KeyboardInterrupt):
        store.replace_all({URIRef(EX + "g"): Exploding()}, {})
    store.refresh()
    assert store.dump_nquads() == before
    gens = list((tmp_path / "st" / "generations").iterdir())
    assert len(gens) == 1, "the half-written generation was deleted"
    assert gens[0] == StoreFolder(tmp_path / "st").current().path


def test_add_and_drop_graph_are_atomic_and_counted(tmp_path: Path) -> None:
    store = LocalStore(tmp_path / "st")
    store.replace_all({URIRef(EX + "g"): one_triple(1)}, {})
    store.add_graphs({URIRef(EX + "h"): one_triple(7)})
    assert store.graph_sizes() == {EX + "g": 1, EX + "h": 1}
    assert store.drop_graph(URIRef(EX + "h")) == 1
    assert store.graph_sizes() == {EX + "g": 1}
    assert store.drop_graph(URIRef(EX + "missing")) == 0


def test_one_writer_at_a_time(tmp_path: Path) -> None:
    folder = StoreFolder(tmp_path / "st")
    with (
        folder.writer_lock(),
        pytest.raises(StoreError, match="another dermkg process"),
        StoreFolder(tmp_path / "st").writer_lock(),
    ):
        pass


def test_add_checked_prepares_under_the_writer_lock(tmp_path: Path) -> None:
    store = LocalStore(tmp_path / "st")
    store.replace_all({URIRef(EX + "g"): one_triple(1)}, {})

    def prepare() -> dict[URIRef, Graph]:
        # Another writer cannot get in between the check and the write.
        with pytest.raises(StoreError, match="another dermkg process"), StoreFolder(
            tmp_path / "st"
        ).writer_lock():
            pass
        assert store.select("SELECT ?o WHERE { ?s ?p ?o }").rows  # the check may read
        return {URIRef(EX + "h"): one_triple(2)}

    store.add_checked(prepare)
    assert store.graph_sizes() == {EX + "g": 1, EX + "h": 1}


def test_add_checked_writes_nothing_when_the_check_refuses(tmp_path: Path) -> None:
    store = LocalStore(tmp_path / "st")
    store.replace_all({URIRef(EX + "g"): one_triple(1)}, {})
    before = store.dump_nquads()

    def refuse() -> dict[URIRef, Graph]:
        raise ValueError("refused")

    with pytest.raises(ValueError, match="refused"):
        store.add_checked(refuse)
    assert store.dump_nquads() == before


def test_writing_streams_chunks_into_one_generation_swapped_at_the_end(tmp_path: Path) -> None:
    store = LocalStore(tmp_path / "st")
    store.replace_all({URIRef(EX + "old"): one_triple(0)}, {"build": "old"})
    with store.writing({"build": "new"}) as out:
        out.add_graphs({URIRef(EX + "a"): one_triple(1)})
        out.add_graphs({URIRef(EX + "b"): one_triple(2)})
        # readers still see the previous generation while the new one is written
        assert LocalStore(tmp_path / "st").graph_sizes() == {EX + "old": 1}
        assert len(out.graph(URIRef(EX + "a"))) == 1
        out.remove(URIRef(EX + "b"), list(one_triple(2)))
        out.manifest["documents"] = 2  # known only at the end of a build
    assert store.graph_sizes() == {EX + "a": 1}
    assert StoreFolder(tmp_path / "st").current().manifest()["documents"] == 2


def test_writing_that_fails_midway_leaves_the_previous_generation(tmp_path: Path) -> None:
    store = LocalStore(tmp_path / "st")
    store.replace_all({URIRef(EX + "g"): one_triple(1)}, {})
    before = store.dump_nquads()
    with pytest.raises(RuntimeError), store.writing({}) as out:
        out.add_graphs({URIRef(EX + "a"): one_triple(2)})
        raise RuntimeError("a chunk failed")
    store.refresh()
    assert store.dump_nquads() == before
    assert len(list((tmp_path / "st" / "generations").iterdir())) == 1


def test_buffered_writer_for_stores_without_streaming(tmp_path: Path) -> None:
    from dermkg.graph.backend import writing

    class Recorder:  # a store with only replace_all, as a remote SPARQL server
        location = "recorder"
        got: tuple[dict[URIRef, Graph], dict[str, object]] | None = None

        def replace_all(self, graphs: dict[URIRef, Graph], manifest: dict[str, object]) -> None:
            self.got = (dict(graphs), dict(manifest))

    target = Recorder()
    with writing(target, {"build": 1}) as out:  # type: ignore[arg-type]
        out.add_graphs({URIRef(EX + "a"): one_triple(1)})
        out.add_graphs({URIRef(EX + "a"): one_triple(2), URIRef(EX + "b"): one_triple(3)})
        out.remove(URIRef(EX + "b"), list(one_triple(3)))
        assert target.got is None, "nothing is written before the block completes"
    assert target.got is not None
    graphs, manifest = target.got
    assert len(graphs[URIRef(EX + "a")]) == 2 and len(graphs[URIRef(EX + "b")]) == 0
    assert manifest == {"build": 1}
