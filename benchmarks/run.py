"""Run the dermkg benchmark suite and write a report (Markdown, CSV, plots).

    python benchmarks/run.py --sizes 10k,100k,1M            # about 15 minutes on 2 cores
    python benchmarks/run.py --sizes 10k --docs 100 --quick  # a few minutes
    python benchmarks/run.py --full                          # adds 10M triples, 10,000 docs

What it measures, each figure beside the same work done the plain way in the same run:

- saved queries (p50/p95, wall clock and CPU) on synthetic graphs of each size: dermkg's
  API (answered from the answers stored with the store generation; its first call apart)
  vs dermkg's SPARQL path on the same store (``dermkg-live``) vs raw pyoxigraph on the
  same file (the engine's floor) vs rdflib's in-memory Dataset with its own SPARQL engine
  (the six contract queries; calls stopped after ``--rdflib-limit`` seconds);
- bulk load time (dermkg store generation including storing the answers, and that part
  alone; raw pyoxigraph; rdflib parse) and dermkg's write path from rdflib graphs;
- build throughput and peak memory for synthetic corpora of ``--docs`` documents (no
  validation, no reasoning), then validation and reasoning separately;
- full SHACL validation of the synthetic graphs: dermkg.validation vs plain pyshacl;
- extraction accuracy on the generated corpus (the acceptance scorer with generated gold).

Workers run in their own processes (peak memory per engine); results land in
``benchmarks/out/<stamp>/`` (git-ignored) with ``report.md``, ``*.csv`` and ``*.png``.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from report import write_report
from synth_articles import write_corpus
from synth_graph import cached_graph, parse_size, size_label

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
OUT = HERE / "out"
FAST_ENGINES = "dermkg,dermkg-live,oxigraph"  # one process, calls interleaved
LIVE = ("dermkg-live", "oxigraph")  # engines that run SPARQL on every call
CONTRACT = ("approvals-by-age-and-date", "trials", "trial-arms", "efficacy-outcomes",
            "safety-events", "mechanisms")
SCORER = REPO.parent / "shared" / "acceptance" / "score.py"


def log(msg: str) -> None:
    print(f"[{datetime.now(UTC).strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


def worker(script: str, args: list[str], out: Path, timeout: float) -> dict[str, Any] | None:
    """Run ``benchmarks/<script>`` in a new process; its JSON result (None on failure)."""
    cmd = [sys.executable, str(HERE / script), *args, "--out", str(out)]
    log(" ".join(cmd[1:]))
    try:
        proc = subprocess.run(cmd, timeout=timeout, capture_output=True, text=True, cwd=REPO)
    except subprocess.TimeoutExpired:
        log(f"  stopped after {timeout:.0f}s")
        if out.exists():  # a worker that writes partial results
            partial: dict[str, Any] = json.loads(out.read_text(encoding="utf-8"))
            partial["stopped_after"] = timeout
            return partial
        return {"timeout": timeout}
    if proc.returncode != 0 or not out.exists():
        log(f"  failed ({proc.returncode}): {proc.stderr[-1500:]}")
        return None
    data: dict[str, Any] = json.loads(out.read_text(encoding="utf-8"))
    return data


def bench_queries(sizes: list[int], args: argparse.Namespace, out: Path) -> dict[str, Any]:
    data_dir = OUT / "data"
    results: dict[str, Any] = {}
    previous: tuple[int, dict[str, Any]] | None = None
    for size in sizes:
        label = size_label(size)
        t = time.perf_counter()
        graph = cached_graph(size, data_dir)
        log(f"graph {label}: {graph.name} ({time.perf_counter() - t:.0f}s)")
        budget = args.budget if size <= 1_000_000 else args.budget / 2
        skipped = too_slow(previous, size, args.case_limit)
        fast = worker("bench_queries.py",
                      ["--graph", str(graph), "--engines", FAST_ENGINES,
                       "--budget", str(budget), "--skip-cases", ";".join(skipped)],
                      out / f"queries-{label}-fast.json", timeout=args.fast_timeout)
        entry: dict[str, Any] = {"fast": fast, "skipped": skipped}
        if fast:
            previous = (size, {**fast, "skipped": skipped})
        if size <= args.rdflib_max and not args.no_rdflib:
            entry["rdflib"] = worker(
                "bench_queries.py",
                ["--graph", str(graph), "--engines", "rdflib", "--only", ",".join(CONTRACT),
                 "--budget", str(budget), "--call-limit", str(args.rdflib_limit)],
                out / f"queries-{label}-rdflib.json", timeout=args.timeout)
        results[label] = entry
    return results


def too_slow(previous: tuple[int, dict[str, Any]] | None, size: int,
             limit: float) -> dict[str, float]:
    """Cases whose SPARQL time at the previous size, scaled to ``size`` as size², exceeds
    ``limit`` seconds (Oxigraph cannot be interrupted in a call): label → estimate. The
    worker leaves them out for the engines that would run SPARQL (stored answers still
    answer them)."""
    if previous is None:
        return {}
    prev_size, data = previous
    estimates: dict[str, float] = {}
    engines = data.get("engines") or {}
    for engine in (*LIVE, "dermkg"):
        for label, t in ((engines.get(engine) or {}).get("queries") or {}).items():
            if "p50" in t and t.get("stored") is not True:
                # some queries pair claims across documents: assume quadratic
                estimate = t["p50"] * (size / prev_size) ** 2
                estimates[label] = max(estimates.get(label, 0.0), estimate)
    for label in [*(data.get("skipped") or {}), data.get("running")]:
        if label:  # left out, or never finished, at the previous size
            estimates[label] = float("inf")
    # the contract queries always run (their figures are the targets)
    return {k: v for k, v in estimates.items()
            if v > limit and k.split(" [")[0] not in CONTRACT}


def bench_build(docs: list[int], args: argparse.Namespace, out: Path) -> dict[str, Any]:
    results: dict[str, Any] = {}
    for n in docs:
        folder = OUT / "data" / f"articles-{n}-s{args.seed}"
        if not (folder / "gold.yaml").exists():
            write_corpus(n, folder, args.seed)
        corpus = folder / "corpus"
        entry: dict[str, Any] = {
            "build": worker("bench_build.py", ["--corpus", str(corpus)],
                            out / f"build-{n}.json", timeout=args.timeout)}
        if n <= args.validate_docs:
            entry["build_validate"] = worker(
                "bench_build.py", ["--corpus", str(corpus), "--validate"],
                out / f"build-{n}-validate.json", timeout=args.timeout)
            entry["build_reason"] = worker(
                "bench_build.py", ["--corpus", str(corpus), "--reason"],
                out / f"build-{n}-reason.json", timeout=args.timeout)
        results[str(n)] = entry
    return results


def bench_validation(sizes: list[int], args: argparse.Namespace, out: Path) -> dict[str, Any]:
    results: dict[str, Any] = {}
    for size in sizes:
        label = size_label(size)
        graph = cached_graph(size, OUT / "data")
        results[label] = {
            e: worker("bench_validate.py",
                      ["--graph", str(graph), "--engines", e,
                       # the bench stops plain pyshacl itself and reports its CPU so far
                       "--budget", str(0.9 * args.validate_timeout)],
                      out / f"validate-{label}-{e}.json", timeout=args.validate_timeout)
            for e in ("dermkg", "pyshacl")}
    return results


def accuracy(n: int, args: argparse.Namespace, out: Path) -> dict[str, Any] | None:
    """Score extraction on the generated corpus of ``n`` articles with the acceptance scorer."""
    if not SCORER.exists():
        return None
    folder = OUT / "data" / f"articles-{n}-s{args.seed}"
    if not (folder / "gold.yaml").exists():
        write_corpus(n, folder, args.seed)
    dermkg = Path(sys.executable).parent / "dermkg"
    cmd = [sys.executable, str(SCORER), "--json", "--gold", str(folder / "gold.yaml"),
           "--corpus", str(folder / "corpus"), "--store", str(out / "accuracy-store"),
           "--build-cmd", f"{dermkg} build --corpus {{corpus}} --store {{store}} --no-reason",
           "--query-cmd", f"{dermkg} query {{name}} --store {{store}} --format csv"]
    log(f"accuracy on {n} generated articles")
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=args.timeout,
                              cwd=REPO)
    except subprocess.TimeoutExpired:
        return {"timeout": args.timeout}
    try:
        report: dict[str, Any] = json.loads(proc.stdout)
    except json.JSONDecodeError:
        log(f"  scorer failed ({proc.returncode}): {proc.stderr[-800:]}")
        return None
    slim = {k: v for k, v in report.items() if k != "queries"}
    slim["queries"] = {q: {k: v for k, v in r.items() if k not in ("missed", "unmatched")}
                       for q, r in report["queries"].items()}
    (out / "accuracy.json").write_text(json.dumps(report, indent=2, default=str), "utf-8")
    return slim


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", default="10k,100k,1M", help="graph sizes in triples")
    ap.add_argument("--docs", default="100,1000", help="corpus sizes for the build benchmark")
    ap.add_argument("--full", action="store_true", help="add 10M triples and 10,000 documents")
    ap.add_argument("--quick", action="store_true", help="shorter budgets (a smoke run)")
    ap.add_argument("--budget", type=float, default=3.0, help="seconds per query and engine")
    ap.add_argument("--rdflib-limit", type=float, default=60.0,
                    help="stop one rdflib query call after this many seconds")
    ap.add_argument("--rdflib-max", default="1M", help="largest graph rdflib loads")
    ap.add_argument("--no-rdflib", action="store_true",
                    help="leave rdflib out (an earlier rdflib run into --out is kept)")
    ap.add_argument("--case-limit", type=float, default=20.0,
                    help="leave out a query at a size where its time at the previous size, "
                         "scaled as size squared, exceeds this many seconds")
    ap.add_argument("--validate-sizes", default="10k,100k",
                    help="graph sizes validated in full (dermkg and plain pyshacl)")
    ap.add_argument("--validate-docs", type=int, default=100,
                    help="largest corpus also built with validation and with reasoning")
    ap.add_argument("--validate-timeout", type=float, default=240.0)
    ap.add_argument("--accuracy-docs", type=int, default=100)
    ap.add_argument("--timeout", type=float, default=900.0, help="seconds per worker")
    ap.add_argument("--fast-timeout", type=float, default=1800.0,
                    help="seconds for the dermkg, dermkg-live and pyoxigraph query worker "
                         "of one size")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--skip", default="", help="comma-separated: queries,build,validation,accuracy")
    ap.add_argument("--out", type=Path, default=None)
    args = ap.parse_args(argv)
    if args.quick:
        args.budget, args.rdflib_limit, args.validate_timeout = 1.0, 20.0, 120.0
    sizes = [parse_size(s) for s in args.sizes.split(",") if s]
    docs = [int(d) for d in args.docs.split(",") if d]
    if args.full:
        sizes = sorted({*sizes, 10_000_000})
        docs = sorted({*docs, 10_000})
    args.rdflib_max = parse_size(args.rdflib_max)
    skip = set(args.skip.split(","))
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S")
    out = (args.out or OUT / stamp).resolve()
    out.mkdir(parents=True, exist_ok=True)
    t0 = time.perf_counter()
    results: dict[str, Any] = {}
    previous = out / "results.json"
    if previous.exists():  # another part of the suite ran into this folder: add to it
        results = json.loads(previous.read_text(encoding="utf-8"))
        results["argv"] = [*results.get("argv", []), "+", *sys.argv[1:]]
        results["seconds_before"] = results.get("seconds", 0)
    else:
        results = {"started": stamp, "argv": sys.argv[1:], "cpus": os.cpu_count(),
                   "load_average_start": os.getloadavg()}
    if "queries" not in skip:  # sizes run before into this folder are kept
        before = results.get("queries") or {}
        now = bench_queries(sizes, args, out)
        results["queries"] = {**before, **{size: {**before.get(size, {}), **entry}
                                           for size, entry in now.items()}}
    if "build" not in skip:
        results["build"] = bench_build(docs, args, out)
    if "validation" not in skip:
        vsizes = [parse_size(s) for s in args.validate_sizes.split(",") if s]
        results["validation"] = bench_validation(vsizes, args, out)
    if "accuracy" not in skip:
        results["accuracy"] = accuracy(args.accuracy_docs, args, out)
    results["load_average_end"] = os.getloadavg()
    results["seconds"] = results.get("seconds_before", 0) + time.perf_counter() - t0
    (out / "results.json").write_text(json.dumps(results, indent=2), encoding="utf-8")
    report = write_report(results, out)
    log(f"report: {report} ({results['seconds'] / 60:.1f} min)")


if __name__ == "__main__":
    main()
