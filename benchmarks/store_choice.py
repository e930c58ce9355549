"""The store choice (issue 2): dermkg's embedded Oxigraph store vs a plain rdflib in-memory
graph on a small graph — load, then each contract query — as a Markdown table.

    python benchmarks/store_choice.py [--size 10k] [--budget 2]

Both engines run in this one process, the query calls interleaved, on the same synthetic
graph (benchmarks/synth_graph.py). Ratios use CPU time (the machine may be shared).
"""

from __future__ import annotations

import argparse
import shutil
import tempfile
from pathlib import Path
from typing import Any

from bench_queries import CONTRACT, run
from synth_graph import cached_graph, parse_size, size_label

OUT = Path(__file__).resolve().parent / "out"


def table(result: dict[str, Any]) -> str:
    """The Markdown table of a :func:`bench_queries.run` result with dermkg and rdflib."""
    d, r = result["engines"]["dermkg"], result["engines"]["rdflib"]

    def cell(t: dict[str, float]) -> str:
        return f"{t['p50'] * 1000:.1f} ms ({t['cpu_p50'] * 1000:.1f} ms CPU)"

    lines = [f"Graph: {result['triples']:,} triples (synthetic, shaped like dermkg's).", "",
             "| work | dermkg (Oxigraph on disk) | rdflib in-memory Dataset | rdflib / dermkg |",
             "|---|---:|---:|---:|",
             f"| load | {d['load']['wall']:.2f} s ({d['load']['cpu']:.2f} s CPU) | "
             f"{r['load']['wall']:.2f} s ({r['load']['cpu']:.2f} s CPU) | "
             f"{r['load']['cpu'] / max(d['load']['cpu'], 1e-9):.1f}× |"]
    for case, t in d["queries"].items():
        u = r["queries"].get(case)
        if not u or "p50" not in u:
            continue
        lines.append(f"| `{case}` ({t['rows']} rows) | {cell(t)} | {cell(u)} | "
                     f"{u['cpu_p50'] / t['cpu_p50']:.0f}× |")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--size", default="10k")
    ap.add_argument("--budget", type=float, default=2.0)
    args = ap.parse_args(argv)
    size = parse_size(args.size)
    graph = cached_graph(size, OUT / "data")
    work = Path(tempfile.mkdtemp(prefix="dermkg-store-choice-"))
    try:
        result = run(graph, ["dermkg", "rdflib"], args.budget, 30, None, work,
                     only=list(CONTRACT))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    text = table(result)
    (OUT / f"store-choice-{size_label(size)}.md").write_text(text, encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()
