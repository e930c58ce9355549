"""Worker: full SHACL validation of a synthetic graph, dermkg's way and pyshacl's plain way.

The data is what a built store holds: the vocabulary and every document graph (the
ontology is passed as the class hierarchy; the mappings and inferred graphs are left out).

- ``dermkg``: :func:`dermkg.validation.validate_graphs` — a group of named graphs at a time,
  each node with its statements and those of the nodes it references, shared nodes last;
- ``dermkg-union``: :func:`dermkg.validation.validate` on the union graph (batched
  SPARQL constraints, one pyshacl run);
- ``pyshacl``: a plain ``pyshacl.validate`` call on the union graph with the same shapes
  and ontology, stopped after ``--budget`` seconds (the report then says ``stopped_after``).

Each engine's results are summarised by a signature (SHA-256 of the sorted result rows:
focus, path, value, severity, message) so that engines that finish can be compared.

    python benchmarks/bench_validate.py --graph g.nq --engines dermkg,pyshacl --out r.json
"""

from __future__ import annotations

import argparse
import hashlib
import json
import signal
import sys
import time
from functools import partial
from pathlib import Path
from typing import Any

import pyoxigraph as ox
from rdflib import Graph, URIRef

from dermkg.graph.convert import from_ox
from dermkg.namespaces import ONTOLOGY_GRAPH
from dermkg.validation import ValidationIssue, issues_of, load_shapes, validate, validate_graphs
from timing import peak_rss_mb, timed


def data_graphs(path: Path) -> tuple[dict[URIRef, Graph], Graph]:
    """(named data graphs, ontology) of an N-Quads file: every named graph but the
    ontology, mappings and inferred ones; and the ontology graph."""
    graphs: dict[URIRef, Graph] = {}
    ontology = Graph()
    with path.open("rb") as handle:
        for q in ox.parse(handle, format=ox.RdfFormat.N_QUADS):
            name = q.graph_name
            if not isinstance(name, ox.NamedNode):
                continue
            triple = (from_ox(q.subject), from_ox(q.predicate), from_ox(q.object))
            if name.value == str(ONTOLOGY_GRAPH):
                ontology.add(triple)
            elif name.value.endswith(("/mappings", "/inferred")) or not name.value.startswith(
                    "https://"):
                continue
            else:
                key = URIRef(name.value)
                g = graphs.get(key)
                if g is None:
                    g = graphs[key] = Graph()
                g.add(triple)
    return graphs, ontology


def union(graphs: dict[URIRef, Graph]) -> Graph:
    """All the named graphs in one graph."""
    data = Graph()
    for g in graphs.values():
        data += g
    return data


def signature(issues: list[ValidationIssue]) -> dict[str, Any]:
    """Counts and a hash of the result rows (labels left out)."""
    rows = sorted({f"{i.focus}|{i.path}|{i.value}|{i.severity}|{i.message}" for i in issues})
    return {"results": len(rows),
            "violations": sum(1 for i in issues if i.severity == "Violation"),
            "signature": hashlib.sha256("\n".join(rows).encode()).hexdigest()[:16]}


class Stopped(Exception):
    """The budget ran out."""


def _alarm(_signum: int, _frame: object) -> None:
    raise Stopped


def run(path: Path, engines: list[str], budget: float) -> dict[str, Any]:
    """Validate ``path``'s data with each engine; times, results and peak memory."""
    (load, (graphs, ontology)) = timed(lambda: data_graphs(path))
    out: dict[str, Any] = {"graph": str(path), "graphs": len(graphs),
                           "data_triples": sum(len(g) for g in graphs.values()),
                           "load": load, "engines": {}}
    shapes = load_shapes()
    for engine in engines:
        res: dict[str, Any]
        if engine == "dermkg":
            dt, outcome = timed(lambda: validate_graphs(graphs, ontology=ontology))
            res = {"conforms": outcome.conforms, **signature(outcome.issues)}
        elif engine == "dermkg-union":
            data = union(graphs)
            dt, outcome = timed(partial(validate, data, ontology=ontology))
            res = {"conforms": outcome.conforms, **signature(outcome.issues)}
            del data
        elif engine == "pyshacl":
            from pyshacl import validate as plain

            data = union(graphs)
            signal.signal(signal.SIGALRM, _alarm)
            signal.alarm(int(budget))
            c0 = time.process_time()
            try:
                dt, answer = timed(partial(
                    plain, data, shacl_graph=shapes, ont_graph=ontology, inference="none",
                    advanced=True, allow_warnings=True))
            except Stopped:
                dt = {"wall": budget, "cpu": time.process_time() - c0}
                res = {"stopped_after": budget}
            else:
                res = {"conforms": bool(answer[0]), **signature(issues_of(answer[1]))}
            finally:
                signal.alarm(0)
            del data
        else:
            raise SystemExit(f"unknown engine {engine!r}")
        out["engines"][engine] = {**dt, **res}
        print(f"[{engine}] {out['data_triples']} triples: {dt} {res}", file=sys.stderr,
              flush=True)
    out["peak_rss_mb"] = peak_rss_mb()
    return out


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--graph", type=Path, required=True)
    ap.add_argument("--engines", default="dermkg,pyshacl")
    ap.add_argument("--budget", type=float, default=600.0,
                    help="seconds after which plain pyshacl is stopped")
    ap.add_argument("--out", type=Path, required=True)
    args = ap.parse_args(argv)
    result = run(args.graph, args.engines.split(","), args.budget)
    args.out.write_text(json.dumps(result, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
