"""Worker: full SHACL validation of a synthetic graph, dermkg's way and pyshacl's plain way.

The data graph is what ``dermkg build`` validates: the vocabulary and every document graph
(the ontology is passed as the class hierarchy). ``dermkg`` is
``dermkg.validation.validate``; ``pyshacl`` is a plain ``pyshacl.validate`` call on the same
data with the same shapes and ontology.

    python benchmarks/bench_validate.py --graph g.nq --engines dermkg,pyshacl --out r.json
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from rdflib import Dataset, Graph

from dermkg.namespaces import ONTOLOGY_GRAPH
from dermkg.validation import load_shapes, validate
from timing import peak_rss_mb, timed


def data_graphs(path: Path) -> tuple[Graph, Graph]:
    """(data, ontology) of an N-Quads file: every named graph but the ontology, mappings
    and inferred ones, merged; and the ontology graph."""
    ds = Dataset()
    ds.parse(str(path), format="nquads")
    data, ontology = Graph(), Graph()
    for g in ds.graphs():
        name = str(g.identifier)
        if g.identifier == ONTOLOGY_GRAPH:
            ontology += g
        elif name.endswith(("/mappings", "/inferred")) or not name.startswith("https://"):
            continue
        else:
            data += g
    return data, ontology


def run(path: Path, engines: list[str]) -> dict[str, Any]:
    """Validate ``path``'s data with each engine; times, results and peak memory."""
    (load, (data, ontology)) = timed(lambda: data_graphs(path))
    out: dict[str, Any] = {"graph": str(path), "data_triples": len(data), "load": load,
                           "engines": {}}
    shapes = load_shapes()
    for engine in engines:
        if engine == "dermkg":
            dt, outcome = timed(lambda: validate(data, ontology=ontology))
            res = {"conforms": outcome.conforms, "issues": len(outcome.issues)}
        elif engine == "pyshacl":
            from pyshacl import validate as plain

            dt, answer = timed(lambda: plain(data, shacl_graph=shapes, ont_graph=ontology,
                                             inference="none", advanced=True,
                                             allow_warnings=True))
            res = {"conforms": bool(answer[0])}
        else:
            raise SystemExit(f"unknown engine {engine!r}")
        out["engines"][engine] = {**dt, **res}
        print(f"[{engine}] {len(data)} triples validated in {dt['wall']:.1f}s "
              f"(cpu {dt['cpu']:.1f}s)", file=sys.stderr, flush=True)
    out["peak_rss_mb"] = peak_rss_mb()
    return out


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--graph", type=Path, required=True)
    ap.add_argument("--engines", default="dermkg,pyshacl")
    ap.add_argument("--out", type=Path, required=True)
    args = ap.parse_args(argv)
    result = run(args.graph, args.engines.split(","))
    args.out.write_text(json.dumps(result, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
