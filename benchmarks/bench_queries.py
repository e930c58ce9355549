"""Worker: load one synthetic graph and time every saved query on one or more engines.

Engines (the same query text, the same data):

- ``dermkg``: a dermkg store (:class:`dermkg.graph.backend.LocalStore`) written as
  ``dermkg build`` writes one: ``with store.writing(...) as out: out.bulk_load(graph)``
  bulk-loads a new generation, compacts it and stores the saved queries' answers
  (:mod:`dermkg.graph.answers`); calls go through the public API,
  ``KnowledgeGraph.query(name, **params).rows``, so they are answered from the stored
  answers when they can be. The first call of each case is timed apart (``first``): it
  reads the answer from disk (the store is re-opened, untimed, before it);
- ``dermkg-live``: the same store, every call ``store.select(saved.sparql,
  saved.bindings(params))`` (``construct`` for CONSTRUCT queries): the SPARQL path, what
  dermkg did before the stored answers, so its overhead over raw pyoxigraph stays measured;
- ``oxigraph``: raw pyoxigraph, an on-disk ``pyoxigraph.Store`` bulk-loaded from the same
  file, ``store.query(text, use_default_graph_as_union=True)`` with every value read
  (the engine's floor);
- ``rdflib``: rdflib's in-memory ``Dataset(default_union=True)`` with its own SPARQL engine;
  it also times dermkg's write path (``LocalStore.replace_all`` from rdflib graphs).

Each query runs unparameterised (all rows) and with the parameters in
``benchmarks/data/query_params.yaml`` (a selective call). The engines' calls of a case are
interleaved. Results go to a JSON file; run one engine group per process so peak memory
is per engine.

    python benchmarks/bench_queries.py --graph g.nq --engines dermkg,dermkg-live,oxigraph \
        --out r.json
"""

from __future__ import annotations

import argparse
import json
import shutil
import signal
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import yaml

from dermkg.api import KnowledgeGraph
from dermkg.catalog import SavedQuery, parse_saved_query, query_form, saved_queries
from dermkg.errors import QueryError
from dermkg.graph.backend import LocalGraphWriter, LocalStore
from dermkg.graph.convert import from_ox
from dermkg.graph.store import StoreFolder
from dermkg.resolution import bound_text
from timing import Timing, peak_rss_mb, repeat, timed

HERE = Path(__file__).resolve().parent
PARAMS = HERE / "data" / "query_params.yaml"
ENGINES = ("dermkg", "dermkg-live", "oxigraph", "rdflib")
LIVE = ("dermkg-live", "oxigraph", "rdflib")
"""Engines that evaluate the SPARQL on every call (``--skip-cases`` leaves their calls out;
``dermkg`` keeps a left-out case when it answers it from the stored answer)."""
CONTRACT = ("approvals-by-age-and-date", "trials", "trial-arms", "efficacy-outcomes",
            "safety-events", "mechanisms")


def load_catalog(queries_dir: Path | None) -> dict[str, SavedQuery]:
    """The saved queries (or the ``.rq`` files of ``queries_dir`` under the same names)."""
    if queries_dir is None:
        return dict(saved_queries())
    return {p.stem: parse_saved_query(p.stem, p.read_text(encoding="utf-8"), str(p))
            for p in sorted(queries_dir.glob("*.rq"))}


def _shipped(name: str) -> str | None:
    """The text of the shipped saved query ``name`` (None if there is none)."""
    query = saved_queries().get(name)
    return query.sparql if query is not None else None


def cases(catalog: dict[str, SavedQuery]) -> list[tuple[str, str, dict[str, Any]]]:
    """(case label, query name, parameters) of every call in data/query_params.yaml."""
    spec = yaml.safe_load(PARAMS.read_text(encoding="utf-8")) or {}
    out: list[tuple[str, str, dict[str, Any]]] = []
    # the contract queries first: a slow query further down cannot starve them
    order = sorted(catalog, key=lambda n: (n not in CONTRACT, n))
    for name in order:
        query = catalog[name]
        calls = spec.get(name)
        if calls is None:
            calls = [{}]
        elif isinstance(calls, dict):
            calls = [{}, calls]
        keys = [",".join(params) for params in calls]
        for params, key in zip(calls, keys, strict=True):
            try:
                query.bindings(params)
            except QueryError as exc:
                print(f"skipping {name} {params}: {exc}", file=sys.stderr)
                continue
            if keys.count(key) > 1:  # two calls with the same parameters: name the values
                key = ",".join(f"{k}={v}" for k, v in params.items())
            label = f"{name} [{key}]" if params else name
            out.append((label, name, dict(params)))
    return out


class CallTimeout(Exception):
    """A query call ran past ``--call-limit`` (pure-Python engines only)."""


def _alarm(_signum: int, _frame: object) -> None:
    raise CallTimeout


def limited(work: Callable[[], int], seconds: float) -> Callable[[], int]:
    """``work`` interrupted after ``seconds`` (SIGALRM; rdflib is pure Python)."""
    if seconds <= 0:
        return work

    def call() -> int:
        signal.signal(signal.SIGALRM, _alarm)
        signal.setitimer(signal.ITIMER_REAL, seconds)
        try:
            return work()
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)

    return call


def read_all_ox(solutions: Any) -> int:
    """Read every value of every solution (what a caller does with the answer)."""
    if isinstance(solutions, ox.QueryTriples):
        return sum(1 for t in solutions if t.object is not None)
    n = 0
    width = len(solutions.variables)
    for sol in solutions:
        for i in range(width):
            _ = sol[i]
        n += 1
    return n


def read_all_rdflib(result: Any) -> int:
    n = 0
    for row in result:
        for v in row:
            _ = v
        n += 1
    return n


Work = Callable[[], int]


@dataclass
class Engine:
    """A loaded engine: ``case(name, params)`` gives the work of one call; ``cold`` (untimed)
    makes the next call a first one; ``stored(name, params)`` says whether a case is
    answered without running SPARQL."""

    case: Callable[[str, dict[str, Any]], Work]
    cold: Callable[[], None] | None = None
    stored: Callable[[str, dict[str, Any]], bool] | None = None
    variants: Callable[[str, dict[str, Any]], dict[str, Work]] | None = None
    """Other forms of the same call, timed after the case (not interleaved)."""


def load_dermkg_store(graph: Path, folder: Path, info: dict[str, Any]) -> LocalStore:
    """Write a store generation from ``graph`` as dermkg does (bulk load, compaction, stored
    answers); ``info`` gets ``load`` (the whole block, wall/CPU) and ``answers`` (the part
    that stored the answers: the manifest's seconds summed, and the CPU time measured from
    the first answered query to the end of the block)."""
    store = LocalStore(folder)
    first: list[tuple[float, float]] = []

    def progress(_name: str) -> None:
        if not first:
            first.append((time.perf_counter(), time.process_time()))

    def load() -> None:
        with store.writing({"benchmark": str(graph)}, progress=progress) as out:
            assert isinstance(out, LocalGraphWriter)
            out.bulk_load(graph)

    info["load"], _ = timed(load)
    end = (time.perf_counter(), time.process_time())
    per_query = StoreFolder(folder).current().manifest().get("answers") or {}
    info["answers"] = {
        "wall": sum(float(q["seconds"]) for q in per_query.values()),
        "cpu": end[1] - first[0][1] if first else 0.0,
        "wall_measured": end[0] - first[0][0] if first else 0.0,
        "rows": sum(int(q["rows"]) for q in per_query.values()),
        "queries": per_query,
    }
    return store


def _load(engine: str, graph: Path, catalog: dict[str, SavedQuery], workdir: Path,
          info: dict[str, Any], infos: dict[str, dict[str, Any]]) -> Engine:
    """Load ``graph`` into ``engine`` (``infos``: what the engines loaded before it
    recorded; ``dermkg-live`` reuses the ``dermkg`` engine's store)."""
    if engine in ("dermkg", "dermkg-live"):
        folder = workdir / "dermkg-store"
        if "dermkg" in infos or "dermkg-live" in infos:
            info["load"] = {"shared": True}
        else:
            load_dermkg_store(graph, folder, info)
        if engine == "dermkg-live":
            return _dermkg_live(LocalStore(folder), catalog)
        return _dermkg(LocalStore(folder), catalog)
    if engine == "oxigraph":
        store = ox.Store(str(workdir / "raw-oxigraph"))
        info["load"], _ = timed(
            lambda: store.bulk_load(path=str(graph), format=ox.RdfFormat.N_QUADS))

        def ox_first(text: str) -> list[Any]:
            return [None if s[0] is None else from_ox(s[0])
                    for s in store.query(text, use_default_graph_as_union=True)]

        def ox_case(name: str, params: dict[str, Any]) -> Work:
            # (a parameter with a `# resolve:` line is looked up first, as dermkg does)
            q = catalog[name]
            bindings = q.bindings(params)
            return lambda: read_all_ox(store.query(
                bound_text(q, bindings, ox_first, catalog), use_default_graph_as_union=True))

        return Engine(ox_case)
    if engine == "rdflib":
        from rdflib import Dataset, Graph, URIRef

        ds = Dataset(default_union=True)
        info["load"], _ = timed(lambda: ds.parse(str(graph), format="nquads"))
        graphs: dict[URIRef, Graph] = {
            URIRef(str(c.identifier)): c for c in ds.graphs()
            if str(c.identifier).startswith("https://w3id.org/dermkg/graph/")
        }
        # dermkg's own write path (what `dermkg build` does with its rdflib graphs; it
        # stores the saved queries' answers too)
        write = LocalStore(workdir / "write-path")
        info["dermkg_write"], _ = timed(lambda: write.replace_all(graphs, {}))
        written = write.folder.current().manifest().get("answers") or {}
        info["dermkg_write"]["answers"] = sum(float(q["seconds"]) for q in written.values())

        def rdflib_first(text: str) -> list[Any]:
            return [row[0] for row in ds.query(text)]  # type: ignore[index]

        def rdflib_case(name: str, params: dict[str, Any]) -> Work:
            q = catalog[name]
            bindings = q.bindings(params)
            return lambda: read_all_rdflib(ds.query(
                bound_text(q, bindings, rdflib_first, catalog)))

        return Engine(rdflib_case)
    raise SystemExit(f"unknown engine {engine!r}; choose from {', '.join(ENGINES)}")


def _dermkg(store: LocalStore, catalog: dict[str, SavedQuery]) -> Engine:
    """Calls through ``KnowledgeGraph`` (stored answers where they answer)."""
    kg = KnowledgeGraph(store)

    def target(name: str) -> str:
        # the saved query by name, or the text of --queries-dir's file of that name
        return name if catalog[name].sparql == _shipped(name) else catalog[name].sparql

    def case(name: str, params: dict[str, Any]) -> Work:
        # the rows as the user reads them: typed Python values (Row objects)
        if query_form(catalog[name].sparql) == "SELECT":
            return lambda: len(kg.query(target(name), **params).rows)
        return lambda: len(kg.construct(target(name), **params))

    def variants(name: str, params: dict[str, Any]) -> dict[str, Work]:
        # the answer as RDF terms (ResultSet.terms), what dermkg-live and pyoxigraph give:
        # the difference to the case is the conversion to typed values
        if query_form(catalog[name].sparql) != "SELECT":
            return {}
        return {"terms": lambda: len(kg.query(target(name), **params).terms)}

    def cold() -> None:
        store.refresh()  # forget the answers read so far; re-open the database
        store.ask("ASK {}")  # (opening it is not part of the call)

    def stored(name: str, params: dict[str, Any]) -> bool:
        q = catalog[name]
        return (q.sparql == _shipped(name) and q.form == "SELECT"
                and kg.is_stored(name, **params))

    return Engine(case, cold, stored, variants)


def _dermkg_live(store: LocalStore, catalog: dict[str, SavedQuery]) -> Engine:
    """Every call runs the query text on the store's Oxigraph database."""

    def first(text: str) -> list[Any]:
        return [row[0] if row else None for row in store.select(text).rows]

    def case(name: str, params: dict[str, Any]) -> Work:
        q = catalog[name]
        if q.form == "SELECT":
            return lambda: len(store.select(
                bound_text(q, q.bindings(params), first, catalog)).rows)
        return lambda: len(store.construct(q.sparql, q.bindings(params)))

    return Engine(case)


def _stored(engine: Engine, name: str, params: dict[str, Any]) -> bool:
    return engine.stored is not None and engine.stored(name, params)


def run(graph: Path, engines: list[str], budget: float, max_runs: int,
        queries_dir: Path | None, workdir: Path, only: list[str] | None = None,
        call_limit: float = 0.0, partial: Path | None = None,
        skip: set[str] | None = None, warmup: bool = True) -> dict[str, Any]:
    """Load ``graph`` into each engine, then time each case with the engines' runs
    interleaved (so that all engines see the same machine load); JSON-ready results.

    ``skip``: case labels left out for the engines that run SPARQL on every call (and for
    ``dermkg`` when the stored answer does not answer the case)."""
    catalog = load_catalog(queries_dir)
    skip = skip or set()
    todo = [c for c in cases(catalog) if not only or c[1] in only]
    with open(graph, "rb") as fh:
        triples = sum(1 for _ in fh)
    out: dict[str, Any] = {"graph": str(graph), "triples": triples, "engines": {}}
    loaded: dict[str, Engine] = {}
    for engine in engines:
        info: dict[str, Any] = {"queries": {}}
        loaded[engine] = _load(engine, graph, catalog, workdir, info, out["engines"])
        info["rss_after_load_mb"] = peak_rss_mb()
        out["engines"][engine] = info
        load = info["load"]
        if "wall" in load:
            extra = (f" (storing answers {info['answers']['wall']:.1f}s)"
                     if "answers" in info else "")
            print(f"[{engine}] loaded {graph.name} in {load['wall']:.1f}s{extra}",
                  file=sys.stderr, flush=True)
    for label, name, params in todo:
        stored = {e: _stored(loaded[e], name, params) for e in engines}
        here = [e for e in engines if label not in skip or stored[e]]
        if not here:
            continue
        if partial is not None:  # a case that never finishes is known by this mark
            out["running"] = label
            partial.write_text(json.dumps(out, indent=2), encoding="utf-8")
        slow = {e: e == "rdflib" for e in here}
        works = {e: limited(loaded[e].case(name, params), call_limit if slow[e] else 0)
                 for e in here}
        caps = {e: max(3, max_runs // 6) if slow[e] else max_runs for e in here}
        floor = {e: 1 if slow[e] else min(3, max_runs) for e in here}
        rows: dict[str, int] = {}
        first: dict[str, dict[str, float]] = {}
        for e in here:
            cold = loaded[e].cold
            if cold is not None:
                cold()
            if not slow[e] and warmup:
                # warm-up (parse, caches); a call slower than the budget is timed once
                (first[e], rows[e]) = timed(works[e])
                if first[e]["wall"] > budget:
                    floor[e] = 1
        wall: dict[str, list[float]] = {e: [] for e in here}
        cpu: dict[str, list[float]] = {e: [] for e in here}
        timed_out: set[str] = set()
        active = set(here)
        while active:
            for e in here:
                if e not in active:
                    continue
                try:
                    (dt, n) = timed(works[e])
                except CallTimeout:
                    timed_out.add(e)
                    active.discard(e)
                    continue
                first.setdefault(e, dt)
                wall[e].append(dt["wall"])
                cpu[e].append(dt["cpu"])
                rows[e] = n
                if len(wall[e]) >= caps[e] or (len(wall[e]) >= floor[e]
                                                and sum(wall[e]) >= budget):
                    active.discard(e)
        for e in here:
            if e in timed_out and not wall[e]:
                out["engines"][e]["queries"][label] = {"timeout": call_limit}
                print(f"[{e}] {label}: > {call_limit:.0f} s (stopped)", file=sys.stderr,
                      flush=True)
                continue
            t = Timing(wall[e], cpu[e], rows[e])
            record: dict[str, Any] = {**t.summary(), "rows": rows[e]}
            if loaded[e].cold is not None:
                record["first"] = first[e]
                record["stored"] = stored[e]
            variants = loaded[e].variants if stored[e] else None
            for variant, work in (variants(name, params) if variants else {}).items():
                v = repeat(work, budget=budget, min_runs=min(3, max_runs), max_runs=max_runs)
                record[variant] = v.summary()
            out["engines"][e]["queries"][label] = record
            print(f"[{e}] {label}: p50 {t.p50 * 1000:.1f} ms, cpu p50 "
                  f"{statistics.median(cpu[e]) * 1000:.1f} ms ({t.n} runs, {rows[e]} rows"
                  f"{', stored' if stored[e] else ''})", file=sys.stderr, flush=True)
        if partial is not None:  # results so far, in case the worker is stopped
            partial.write_text(json.dumps(out, indent=2), encoding="utf-8")
    out.pop("running", None)
    for e in engines:
        out["engines"][e]["peak_rss_mb"] = peak_rss_mb()
    return out


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--graph", type=Path, required=True)
    ap.add_argument("--engines", default=",".join(ENGINES[:3]))
    ap.add_argument("--budget", type=float, default=5.0, help="seconds per engine and query")
    ap.add_argument("--max-runs", type=int, default=30)
    ap.add_argument("--queries-dir", type=Path, default=None)
    ap.add_argument("--workdir", type=Path, default=None)
    ap.add_argument("--only", default="", help="comma-separated query names (default: all)")
    ap.add_argument("--no-warmup", action="store_true",
                    help="time the first call too (huge graphs: one call per query)")
    ap.add_argument("--skip-cases", default="",
                    help="case labels to leave out where they would run SPARQL, separated by ';'")
    ap.add_argument("--call-limit", type=float, default=0.0,
                    help="stop an rdflib call after this many seconds (0: no limit)")
    ap.add_argument("--out", type=Path, required=True)
    args = ap.parse_args(argv)
    work = args.workdir or Path(tempfile.mkdtemp(prefix="dermkg-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    try:
        result = run(args.graph, args.engines.split(","), args.budget, args.max_runs,
                     args.queries_dir, work, [q for q in args.only.split(",") if q],
                     args.call_limit, args.out,
                     {c for c in args.skip_cases.split(";") if c}, not args.no_warmup)
    finally:
        if args.workdir is None:
            shutil.rmtree(work, ignore_errors=True)
    args.out.write_text(json.dumps(result, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
