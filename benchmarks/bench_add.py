"""Benchmark: ``dermkg add`` of new facts into a large store, with validation.

Builds (once, cached) a store of a synthetic graph shaped like the real one
(``benchmarks/synth_graph.py``: ontology, vocabulary and document graphs per docs/model.md),
then times adding a file of new facts: N efficacy results (default 100), each for an
existing study and one of its arms, derived from an existing document, with its own
evidence span (≈ 20 triples per fact). Each run adds a fresh file (new IRIs) under a new
source name, and is retracted afterwards (not timed). Reported: the median of the runs for
the whole ``add`` (parse, fetch of what the facts reference, SHACL validation of the new
focus nodes, atomic commit) and its phases; the same for one ``dermkg add`` process; and,
with ``--full``, the time to validate the whole graph once, as ``dermkg build`` does.

    python benchmarks/bench_add.py --size 1M --facts 100 --runs 5 --full
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pyoxigraph as ox
from rdflib import Graph, URIRef

from dermkg.facts import add_facts, check_facts, reference_context, retract, store_describer
from dermkg.graph.backend import LocalStore
from dermkg.graph.store import StoreFolder
from dermkg.namespaces import PREFIXES
from dermkg.rdf_input import read_inputs
from dermkg.validation import validate

sys.path.insert(0, str(Path(__file__).parent))
from synth_graph import cached_graph, parse_size, size_label

HERE = Path(__file__).parent
REFERENCES = """
PREFIX dkg: <https://w3id.org/dermkg/ontology#>
SELECT ?study ?arm ?doc WHERE {
  GRAPH ?g { ?study dkg:hasArm ?arm . ?doc a dkg:Document }
} LIMIT 500
"""


def build_store(size: int, folder: Path) -> tuple[LocalStore, float]:
    """The store of the ``size`` synthetic graph in ``folder`` (bulk-loaded once)."""
    path = folder / f"store-{size_label(size)}"
    seconds = 0.0
    if not StoreFolder(path).exists():
        nq = cached_graph(size, folder)
        t0 = time.perf_counter()
        with StoreFolder(path).new_generation({"benchmark": "bench_add", "size": size}) as db:
            db.bulk_load(path=str(nq), format=ox.RdfFormat.N_QUADS)
        seconds = time.perf_counter() - t0
    return LocalStore(path), seconds


def facts_file(store: LocalStore, n: int, run: int, out: Path) -> Path:
    """A Turtle file of ``n`` new efficacy results for existing studies, arms, documents."""
    refs = store.select(REFERENCES).rows
    rng = random.Random(run)
    lines = [f"@prefix {p}: <{ns}> ." for p, ns in PREFIXES.items()]
    for i in range(n):
        study, arm, doc = rng.choice(refs)
        doc_id = str(doc).rsplit("/", 1)[-1]
        start = 100_000 + run * 10_000 + i * 10
        ev = f"https://w3id.org/dermkg/resource/evidence/{doc_id}/{start}-{start + 8}"
        claim = f"https://w3id.org/dermkg/resource/efficacy/bench-{run}/{i}"
        lines.append(f"""
<{claim}> a dkg:EfficacyResult ; prov:wasDerivedFrom <{doc}> ;
    dkg:hasEvidence <{ev}> ; dkg:extractionRule "bench" ;
    dkg:ofStudy <{study}> ; dkg:ofArm <{arm}> ;
    dkg:endpointText "EASI-75" ; dkg:timepoint "week {rng.randint(1, 52)}" ;
    dkg:value {rng.randint(10, 60)}.{rng.randint(0, 9)} ; dkg:unit "%" ;
    dkg:statistic "proportion" .
<{ev}> a dkg:EvidenceSpan ; oa:hasSource <{doc}> ; dkg:extractionRule "bench" ;
    oa:hasSelector <{ev}#position>, <{ev}#quote> .
<{ev}#position> a oa:TextPositionSelector ; oa:start {start} ; oa:end {start + 8} .
<{ev}#quote> a oa:TextQuoteSelector ; oa:exact "synthetic quote {i}" .""")
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return out


def median(xs: list[float]) -> float:
    return statistics.median(xs) if xs else float("nan")


def bench_in_process(store: LocalStore, n: int, runs: int, work: Path) -> dict[str, Any]:
    """Median seconds of ``add`` (and its phases) over ``runs`` fresh files."""
    phases: dict[str, list[float]] = {k: [] for k in
                                      ("parse", "context", "validate", "add_total", "add_cpu")}
    triples = 0
    focus = 0
    for run in range(runs + 1):  # run 0 warms caches (shapes parse, SPARQL parse cache)
        path = facts_file(store, n, run, work / f"facts-{run}.ttl")
        t0 = time.perf_counter()
        inputs = read_inputs([path])
        t1 = time.perf_counter()
        context = reference_context(inputs[0].graph, store_describer(store))
        t2 = time.perf_counter()
        union = Graph()
        union += context
        union += inputs[0].graph
        outcome = validate(union, focus=set(inputs[0].graph.subjects()))
        t3 = time.perf_counter()
        assert outcome.conforms, outcome.violations[:3]
        t4, c4 = time.perf_counter(), time.process_time()
        result = add_facts(store, read_inputs([path]), f"bench-{run}", agent="bench")
        t5, c5 = time.perf_counter(), time.process_time()
        retract(store, f"bench-{run}")
        if run == 0:
            continue
        phases["parse"].append(t1 - t0)
        phases["context"].append(t2 - t1)
        phases["validate"].append(t3 - t2)
        phases["add_total"].append(t5 - t4)
        phases["add_cpu"].append(c5 - c4)
        triples, focus = result.triples, outcome.focus_checked or 0
    return {"facts": n, "triples_added": triples, "focus_nodes": focus,
            **{f"{k}_median_s": round(median(v), 3) for k, v in phases.items()},
            "add_runs_s": [round(x, 3) for x in phases["add_total"]]}


def load_average() -> float:
    """The 1-minute load average (other processes competing for the cores)."""
    return round(os.getloadavg()[0], 2)


def bench_cli(store: LocalStore, n: int, runs: int, work: Path) -> dict[str, Any]:
    """Median wall seconds of one ``dermkg add`` process (Python start-up included)."""
    exe = Path(sys.executable).with_name("dermkg")
    times = []
    for run in range(100, 100 + runs):
        path = facts_file(store, n, run, work / f"cli-{run}.ttl")
        t0 = time.perf_counter()
        proc = subprocess.run([str(exe), "add", str(path), "--store", store.location,
                               "--source", f"cli-{run}"], capture_output=True, text=True)
        times.append(time.perf_counter() - t0)
        if proc.returncode != 0:
            raise SystemExit(f"dermkg add failed: {proc.stderr}")
        store.refresh()
        retract(store, f"cli-{run}")
    return {"cli_add_median_s": round(median(times), 3), "cli_runs_s": [round(x, 3) for x in times]}


def bench_full(store: LocalStore) -> dict[str, Any]:
    """Seconds to validate the whole graph once (vocabulary + document graphs), as build does."""
    data = Graph()
    t0 = time.perf_counter()
    for name in store.graph_sizes():
        if "/document/" in name or name.endswith("/vocabulary") or "/source/" in name:
            data += store.graph(URIRef(name))
    load = time.perf_counter() - t0
    t1 = time.perf_counter()
    outcome = validate(data)
    return {"full_triples": len(data), "full_load_s": round(load, 1),
            "full_validate_s": round(time.perf_counter() - t1, 1),
            "full_conforms": outcome.conforms, "full_issues": len(outcome.issues)}


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--size", default="1M", help="store size in triples (10k, 100k, 1M …)")
    ap.add_argument("--facts", type=int, default=100, help="new facts per add")
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--cli-runs", type=int, default=3)
    ap.add_argument("--full", action="store_true", help="also validate the whole graph once")
    ap.add_argument("--work", type=Path, default=HERE / ".cache")
    ap.add_argument("--json", type=Path, help="also write the figures to this file")
    args = ap.parse_args(argv)
    size = parse_size(args.size)
    args.work.mkdir(parents=True, exist_ok=True)
    store, load_s = build_store(size, args.work)
    stored = sum(store.graph_sizes().values())
    report: dict[str, Any] = {"store_triples": stored, "store_load_s": round(load_s, 1),
                              "cores": os.cpu_count(), "load_average_before": load_average()}
    # a sanity check that the generated facts validate in the store before timing
    first = facts_file(store, args.facts, 999, args.work / "check.ttl")
    assert check_facts(read_inputs([first]), store).outcome.conforms
    report.update(bench_in_process(store, args.facts, args.runs, args.work))
    if args.cli_runs:
        report.update(bench_cli(store, args.facts, args.cli_runs, args.work))
    if args.full:
        report.update(bench_full(store))
        report["full_over_add"] = round(report["full_validate_s"] / report["add_total_median_s"], 1)
    report["load_average_after"] = load_average()
    for key, value in report.items():
        print(f"{key:>22}: {value}")
    if args.json:
        args.json.write_text(json.dumps(report, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
