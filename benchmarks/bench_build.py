"""Worker: build a store from a synthetic corpus with ``dermkg.pipeline.build`` and report
stage times and peak memory (run one build per process, so peak memory is the build's).

    python benchmarks/bench_build.py --corpus DIR --out result.json [--validate] [--reason]

Without ``--validate`` the SHACL screening step is replaced by one that accepts everything,
so that the figure is extraction + RDF + store write (``--no-reason`` is the default as in the
brief); validation and reasoning are timed separately with the flags.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
import time
from pathlib import Path

from dermkg import pipeline
from dermkg.graph.backend import LocalStore
from timing import cpu_seconds, peak_rss_mb


def run(corpus: Path, validate: bool, reason: bool, workdir: Path) -> dict[str, object]:
    """Build ``corpus`` into a fresh store under ``workdir``; the figures as a dict."""
    if not validate:
        # The pipeline has no switch for skipping validation: hand it a screening step
        # that accepts everything (its time is measured in the --validate run).
        from dermkg.screening import Screening

        pipeline.screen = lambda *_a, **_k: Screening()
    n_docs = sum(1 for p in corpus.iterdir() if p.is_file())
    c0 = cpu_seconds()
    t0 = time.perf_counter()
    report = pipeline.build(corpus, LocalStore(workdir / "store"), reason=reason)
    wall = time.perf_counter() - t0
    cpu = cpu_seconds() - c0
    seconds = dict(report.seconds)
    core = seconds.get("extract", 0.0) + seconds.get("write", 0.0)
    return {
        "documents": n_docs,
        "loaded": len(report.loaded),
        "triples": report.triples,
        "facts": dict(report.facts),
        "seconds": seconds,
        "wall_s": wall,
        "cpu_s": cpu,
        "docs_per_s_extract_rdf_write": n_docs / core if core else None,
        "docs_per_s_cpu": n_docs / cpu if cpu else None,
        "validated": validate,
        "reasoned": reason,
        "peak_rss_mb": peak_rss_mb(),
    }


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--corpus", type=Path, required=True)
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--validate", action="store_true")
    ap.add_argument("--reason", action="store_true")
    args = ap.parse_args(argv)
    work = Path(tempfile.mkdtemp(prefix="dermkg-build-bench-"))
    try:
        result = run(args.corpus, args.validate, args.reason, work)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    args.out.write_text(json.dumps(result, indent=2), encoding="utf-8")
    print(json.dumps(result), file=sys.stderr)


if __name__ == "__main__":
    main()
