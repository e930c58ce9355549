"""`dermkg build` and `dermkg query` end to end, as a user runs them."""

from __future__ import annotations

import csv
import io
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from dermkg.cli import app
from dermkg.graph.backend import LocalStore
from dermkg.graph.store import StoreFolder

CONTRACT_COLUMNS = {
    "approvals-by-age-and-date": "drug product agency indication min_age_years max_age_years "
    "date based_on source",
    "trials": "trial nct_id phase design enrollment min_age_years max_age_years condition "
    "allocation_ratio source",
    "trial-arms": "trial drug strength_percent frequency source",
    "efficacy-outcomes": "trial arm endpoint timepoint value value_max unit population source",
    "safety-events": "trial arm event patients percent negated source",
    "mechanisms": "drug target action source",
}

ARTICLE = """Regulators clear a new cream for eczema in children

March 3, 2025

The U.S. Food and Drug Administration (FDA) approved ruxolitinib cream 1.5% (Opzelura)
for children aged 2 to 11 years with mild to moderate atopic dermatitis. The decision
rested on the phase 3 TRuE-AD3 trial (NCT04921969), which randomized 330 children 2:2:1
to ruxolitinib cream 0.75% twice daily, ruxolitinib cream 1.5% twice daily or vehicle.
"""


def write_corpus(folder: Path, copies: int = 1) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(copies):
        (folder / f"doc{i:04d}.txt").write_text(ARTICLE, encoding="utf-8")
    return folder


runner = CliRunner()


def test_build_then_every_contract_query_has_its_columns(tmp_path: Path) -> None:
    corpus = write_corpus(tmp_path / "corpus")
    store = tmp_path / "store"
    result = runner.invoke(app, ["build", "--corpus", str(corpus), "--store", str(store),
                                 "--no-reason"])
    assert result.exit_code == 0, result.output
    assert "1 loaded of 1" in result.output
    for name, columns in CONTRACT_COLUMNS.items():
        out = runner.invoke(app, ["query", name, "--store", str(store), "--format", "csv"])
        assert out.exit_code == 0, out.output
        header = next(csv.reader(io.StringIO(out.stdout)))
        assert set(columns.split()) <= set(header), (name, header)


def test_bad_document_is_reported_and_the_others_load(tmp_path: Path) -> None:
    corpus = write_corpus(tmp_path / "corpus")
    (corpus / "empty.txt").write_text("", encoding="utf-8")
    result = runner.invoke(app, ["build", "--corpus", str(corpus), "--store",
                                 str(tmp_path / "store"), "--no-reason"])
    assert result.exit_code == 1, "a partial failure is told apart from success"
    assert "empty.txt" in result.output
    assert "1 loaded of 2" in result.output
    assert StoreFolder(tmp_path / "store").exists()


def test_strict_build_fails_whole_and_keeps_the_previous_store(tmp_path: Path) -> None:
    corpus = write_corpus(tmp_path / "corpus")
    store = tmp_path / "store"
    assert runner.invoke(app, ["build", "--corpus", str(corpus), "--store", str(store),
                               "--no-reason"]).exit_code == 0
    before = LocalStore(store).dump_nquads()
    (corpus / "binary.txt").write_bytes(b"\x00\x01\x02\xff" * 100)
    result = runner.invoke(app, ["build", "--corpus", str(corpus), "--store", str(store),
                                 "--strict", "--no-reason"])
    assert result.exit_code != 0
    assert LocalStore(store).dump_nquads() == before


def test_unknown_query_names_the_saved_ones(tmp_path: Path) -> None:
    corpus = write_corpus(tmp_path / "corpus")
    store = tmp_path / "store"
    runner.invoke(app, ["build", "--corpus", str(corpus), "--store", str(store), "--no-reason"])
    out = runner.invoke(app, ["query", "no-such-query", "--store", str(store)])
    assert out.exit_code != 0
    assert "trials" in str(out.exception) + out.output


@pytest.mark.slow
def test_killing_a_build_leaves_the_previous_store_intact(tmp_path: Path) -> None:
    small = write_corpus(tmp_path / "small")
    store = tmp_path / "store"
    dermkg = [sys.executable, "-m", "dermkg"]
    subprocess.run([*dermkg, "build", "--corpus", str(small), "--store", str(store),
                    "--no-reason", "--quiet"], check=True)
    before = LocalStore(store).dump_nquads()
    big = write_corpus(tmp_path / "big", copies=400)
    for delay in (0.5, 1.5, 3.0):
        proc = subprocess.Popen([*dermkg, "build", "--corpus", str(big), "--store", str(store),
                                 "--no-reason", "--quiet"], start_new_session=True)
        time.sleep(delay)
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
        current = LocalStore(store)
        dump = current.dump_nquads()
        manifest = StoreFolder(store).current().manifest()
        # Either the old graph, or the whole new one: never something in between.
        assert dump == before or manifest["documents"] == 400
        if dump != before:
            break


def test_a_build_in_chunks_writes_what_a_build_in_one_chunk_writes(tmp_path: Path) -> None:
    from dermkg.namespaces import MAPPINGS_GRAPH
    from dermkg.pipeline import build

    corpus = write_corpus(tmp_path / "corpus", copies=3)  # one study shared by 3 documents
    dumps, reports = [], []
    for chunk in (1, 10):
        store = LocalStore(tmp_path / f"store-{chunk}")
        reports.append(build(corpus, store, reason=False, chunk=chunk))
        mappings = f"<{MAPPINGS_GRAPH}>".encode()  # blank nodes are named anew per build
        dumps.append([q for q in store.dump_nquads().splitlines() if mappings not in q])
    assert dumps[0] == dumps[1]
    assert reports[0].triples == reports[1].triples > 0
    assert reports[0].loaded == reports[1].loaded == ["doc0000.txt", "doc0001.txt", "doc0002.txt"]
    assert reports[0].warnings == reports[1].warnings


def test_extraction_in_worker_processes_writes_the_same_store(tmp_path: Path) -> None:
    from dermkg.namespaces import MAPPINGS_GRAPH
    from dermkg.pipeline import build

    corpus = write_corpus(tmp_path / "corpus", copies=3)
    (corpus / "empty.txt").write_text("", encoding="utf-8")  # a failure comes back too
    dumps, reports = [], []
    for workers in (1, 2):
        store = LocalStore(tmp_path / f"store-{workers}")
        reports.append(build(corpus, store, reason=False, workers=workers))
        mappings = f"<{MAPPINGS_GRAPH}>".encode()
        dumps.append([q for q in store.dump_nquads().splitlines() if mappings not in q])
    assert dumps[0] == dumps[1]
    assert reports[0].failed == reports[1].failed and "empty.txt" in reports[1].failed
    assert reports[0].loaded == reports[1].loaded
