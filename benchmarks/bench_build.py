"""Build throughput and peak memory of ``dermkg.pipeline.build`` on generated corpora.

Driver (one fresh process per corpus size and mode, so that each peak RSS is that build's)::

    python benchmarks/bench_build.py --sizes 100,1000,10000 --modes core,validate,reason \
        --out-dir benchmarks/out/build

Worker (what the driver and ``run.py`` start)::

    python benchmarks/bench_build.py --corpus DIR --out result.json [--validate] [--reason]

Modes: ``core`` is extraction + RDF + store write (no SHACL screening, no reasoning);
``validate`` adds the streaming SHACL screening; ``reason`` adds OWL reasoning (without
screening). Each result has the stage times (wall), the process's CPU time, documents per
second (CPU of the worker and its children: extraction processes, the reasoner), and
the peak resident memory from ``getrusage`` (``ru_maxrss``: C allocations
included — rdflib, Oxigraph/RocksDB) of the worker and of its children (the Java reasoner).
Corpora are ``benchmarks/synth_articles.py`` output (``out/data/articles-N-s1``, written
when missing).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
MODES = {"core": [], "validate": ["--validate"], "reason": ["--reason"]}


def _children_peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


def _children_cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def run(corpus: Path, validate: bool, reason: bool, workdir: Path,
        workers: int = 1) -> dict[str, object]:
    """Build ``corpus`` into a fresh store under ``workdir``; the figures as a dict."""
    from dermkg import pipeline
    from dermkg.graph.backend import LocalStore
    from timing import cpu_seconds, peak_rss_mb

    n_docs = sum(1 for p in corpus.iterdir() if p.is_file())
    c0, k0 = cpu_seconds(), _children_cpu()
    t0 = time.perf_counter()
    report = pipeline.build(corpus, LocalStore(workdir / "store"), reason=reason,
                            validate=validate, workers=workers)
    wall = time.perf_counter() - t0
    cpu = cpu_seconds() - c0 + _children_cpu() - k0  # extraction workers, the reasoner
    seconds = dict(report.seconds)
    core = seconds.get("extract", 0.0) + seconds.get("write", 0.0)
    return {
        "documents": n_docs,
        "loaded": len(report.loaded),
        "rejected": len(report.rejected),
        "dropped_statements": sum(len(v) for v in report.dropped.values()),
        "warnings": report.warnings,
        "triples": report.triples,
        "facts": dict(report.facts),
        "seconds": seconds,
        "wall_s": wall,
        "cpu_s": cpu,
        "docs_per_s_extract_rdf_write": n_docs / core if core else None,
        "docs_per_s_wall": n_docs / wall if wall else None,
        "docs_per_s_cpu": n_docs / cpu if cpu else None,
        "workers": workers,
        "validated": validate,
        "reasoned": reason,
        "reasoning": report.reasoning.splitlines()[0] if report.reasoning else "",
        "peak_rss_mb": peak_rss_mb(),
        "children_peak_rss_mb": _children_peak_mb(),
        "load_average": os.getloadavg(),
    }


def corpus_of(n: int, seed: int = 1) -> Path:
    """The generated corpus of ``n`` articles (written when missing)."""
    folder = HERE / "out" / "data" / f"articles-{n}-s{seed}"
    if not (folder / "gold.yaml").exists():
        from synth_articles import write_corpus

        write_corpus(n, folder, seed)
    return folder / "corpus"


def drive(
    sizes: list[int], modes: list[str], out_dir: Path, timeout: float, workers: int = 1
) -> list[dict[str, Any]]:
    """One worker process per size and mode; their results (also written to ``out_dir``)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    rows = []
    for n in sizes:
        corpus = corpus_of(n)
        for mode in modes:
            out = out_dir / f"build-{n}-{mode}-w{workers}.json"
            cmd = [sys.executable, str(Path(__file__).resolve()), "--corpus", str(corpus),
                   "--out", str(out), "--workers", str(workers), *MODES[mode]]
            print(f"[{time.strftime('%H:%M:%S')}] {n} documents, {mode}", file=sys.stderr,
                  flush=True)
            try:
                subprocess.run(cmd, check=True, timeout=timeout, cwd=HERE.parent,
                               stdout=subprocess.DEVNULL)
            except (subprocess.CalledProcessError, subprocess.TimeoutExpired) as exc:
                print(f"  failed: {exc}", file=sys.stderr)
                continue
            rows.append({"mode": mode, **json.loads(out.read_text(encoding="utf-8"))})
    (out_dir / "build.json").write_text(json.dumps(rows, indent=2), encoding="utf-8")
    return rows


def table(rows: list[dict[str, Any]]) -> str:
    """The results as a Markdown table."""
    lines = ["| documents | mode | workers | triples | extract+RDF | write | screening | "
             "reasoning | total wall / CPU | docs/s (extract+RDF+write) | docs/s wall | peak RSS |",
             "|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for r in rows:
        s = r["seconds"]
        lines.append(
            f"| {r['documents']:,} | {r['mode']} | {r.get('workers', 1)} | {r['triples']:,} "
            f"| {s.get('extract', 0):.1f} s "
            f"| {s.get('write', 0):.1f} s | {s.get('validate', 0):.1f} s "
            f"| {s.get('reason', 0):.1f} s | {r['wall_s']:.0f} s / {r['cpu_s']:.0f} s "
            f"| {r['docs_per_s_extract_rdf_write']:.1f} | {r['docs_per_s_wall']:.1f} "
            f"| {r['peak_rss_mb']:,.0f} MB |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--corpus", type=Path, help="worker: the corpus folder to build")
    ap.add_argument("--out", type=Path, help="worker: where to write the JSON result")
    ap.add_argument("--validate", action="store_true")
    ap.add_argument("--reason", action="store_true")
    ap.add_argument("--workers", type=int, default=1,
                    help="processes extracting documents (the build's default: one per CPU)")
    ap.add_argument("--sizes", help="driver: corpus sizes, e.g. 100,1000,10000")
    ap.add_argument("--modes", default="core,validate",
                    help=f"driver: comma-separated, from {', '.join(MODES)}")
    ap.add_argument("--out-dir", type=Path, default=HERE / "out" / "build")
    ap.add_argument("--timeout", type=float, default=3600.0)
    args = ap.parse_args(argv)
    if args.sizes:
        rows = drive([int(n) for n in args.sizes.split(",")], args.modes.split(","),
                     args.out_dir, args.timeout, args.workers)
        print(table(rows))
        return
    if args.corpus is None or args.out is None:
        ap.error("give --sizes (driver) or --corpus and --out (worker)")
    work = Path(tempfile.mkdtemp(prefix="dermkg-build-bench-"))
    try:
        result = run(args.corpus, args.validate, args.reason, work, args.workers)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    args.out.write_text(json.dumps(result, indent=2), encoding="utf-8")
    print(json.dumps(result), file=sys.stderr)


if __name__ == "__main__":
    main()
