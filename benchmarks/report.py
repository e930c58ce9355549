"""The benchmark report: Markdown tables, CSV files and plots from ``results.json``.

    python benchmarks/report.py benchmarks/out/<stamp>/results.json   # rewrite a report
"""

from __future__ import annotations

import csv
import json
import sys
from pathlib import Path
from typing import Any

CONTRACT = ("approvals-by-age-and-date", "trials", "trial-arms", "efficacy-outcomes",
            "safety-events", "mechanisms")
ENGINES = ("dermkg", "dermkg-live", "oxigraph", "rdflib")
LABELS = {"dermkg": "dermkg (stored answers)", "dermkg-live": "dermkg-live (SPARQL)",
          "oxigraph": "raw pyoxigraph", "rdflib": "rdflib"}
TARGET_P50_MS = 50.0
TARGET_SPEEDUP = 20.0
TARGET_OVERHEAD = 1.5
TARGET_DOCS_PER_S = 50.0
TARGET_RSS_MB = 2048.0


def ms(seconds: float | None) -> str:
    if seconds is None:
        return "–"
    v = seconds * 1000
    return f"{v:.0f}" if v >= 100 else f"{v:.1f}" if v >= 1 else f"{v:.2f}"


def sec(seconds: float | None) -> str:
    return "–" if seconds is None else f"{seconds:.1f}" if seconds < 100 else f"{seconds:.0f}"


def _dur(seconds: float) -> str:
    """Seconds or, below one, milliseconds, with the unit."""
    return f"{sec(seconds)} s" if seconds >= 1 else f"{ms(seconds)} ms"


def ratio(a: float | None, b: float | None, prefix: str = "") -> str:
    if not a or not b:
        return "–"
    r = a / b
    return f"{prefix}{r:.2f}×" if r < 10 else f"{prefix}{r:.0f}×"


def query_rows(results: dict[str, Any]) -> list[dict[str, Any]]:
    """Flat rows: size, triples, case, engine and the timing summary (a first call as
    ``first_wall``/``first_cpu``)."""
    rows: list[dict[str, Any]] = []
    for size, entry in (results.get("queries") or {}).items():
        for part in ("fast", "rdflib"):
            data = entry.get(part) or {}
            for engine, info in (data.get("engines") or {}).items():
                for case, t in info.get("queries", {}).items():
                    flat = {k: v for k, v in t.items() if not isinstance(v, dict)}
                    if "first" in t:
                        flat |= {"first_wall": t["first"]["wall"],
                                 "first_cpu": t["first"]["cpu"]}
                    if "terms" in t:
                        flat |= {"terms_cpu_p50": t["terms"].get("cpu_p50")}
                    rows.append({"size": size, "triples": data.get("triples"), "case": case,
                                 "engine": engine, **flat})
    return rows


def _lookup(rows: list[dict[str, Any]]) -> dict[tuple[str, str, str], dict[str, Any]]:
    return {(r["size"], r["case"], r["engine"]): r for r in rows}


def write_csv(path: Path, rows: list[dict[str, Any]]) -> None:
    if not rows:
        return
    fields: list[str] = []
    for r in rows:
        fields += [k for k in r if k not in fields]
    with open(path, "w", newline="", encoding="utf-8") as fh:
        w = csv.DictWriter(fh, fieldnames=fields)
        w.writeheader()
        w.writerows(rows)


def _cpu(r: dict[str, Any] | None) -> float | None:
    return None if not r else r.get("cpu_p50")


def _rows_cell(size: str, case: str, at: dict[tuple[str, str, str], dict[str, Any]]) -> str:
    """The number of rows; the engines that disagree with dermkg named beside it."""
    d = at.get((size, case, "dermkg"), {})
    n = d.get("rows", "")
    others = [f"{e} {at[(size, case, e)]['rows']}" for e in ENGINES[1:]
              if "rows" in at.get((size, case, e), {}) and at[(size, case, e)]["rows"] != n
              and n != ""]
    return f"{n} (≠ {', '.join(others)})" if others else str(n)


def query_section(results: dict[str, Any], rows: list[dict[str, Any]]) -> list[str]:
    at = _lookup(rows)
    out = ["## Saved queries", "",
           "p50 CPU milliseconds (on a shared machine CPU time is the work itself; wall "
           "clock in queries.csv). *dermkg*: `KnowledgeGraph.query`, answered from the "
           "answers stored with the store generation (marked *SPARQL* where the call cannot "
           "be answered from them and runs the query), rows read as typed values "
           "(`.rows`); *terms*: the same call without that conversion (`.terms`, RDF terms "
           "as the other engines give them); *first*: its first call after "
           "opening the store (reads the stored answer from disk), wall ms; *dermkg-live*: "
           "`store.select(saved.sparql, bindings)` on the same store, the SPARQL path; "
           "*pyoxigraph*: the same query text on a raw `pyoxigraph.Store` (the engine's "
           "floor). dermkg, dermkg-live and pyoxigraph run in one process with their calls "
           "interleaved; rdflib in its own process. `>N s`: rdflib stopped after N s. "
           "Ratios are of CPU p50.", ""]
    for size, entry in (results.get("queries") or {}).items():
        fast = entry.get("fast") or {}
        out += [f"### {size} triples ({fast.get('triples', '?'):,} quads)"
                if isinstance(fast.get("triples"), int) else f"### {size} triples", "",
                "| query | rows | dermkg | dermkg p95 wall | terms | first | dermkg-live | "
                "pyoxigraph | rdflib | rdflib / dermkg | live / pyoxigraph | "
                "dermkg / pyoxigraph |",
                "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
        engines = (fast.get("engines") or {})
        cases = list(dict.fromkeys(
            c for e in ("dermkg", "dermkg-live", "oxigraph")
            for c in (engines.get(e) or {}).get("queries", {})))
        for case in cases:
            d = at.get((size, case, "dermkg"), {})
            live = at.get((size, case, "dermkg-live"), {})
            o = at.get((size, case, "oxigraph"), {})
            r = at.get((size, case, "rdflib"))
            if r is None:
                rcell, speed = "", ""
            elif "timeout" in r:
                rcell, speed = f">{r['timeout']:.0f} s", ratio(r["timeout"], _cpu(d), "≥")
            else:
                rcell, speed = ms(_cpu(r)), ratio(_cpu(r), _cpu(d))
            dcell = ms(_cpu(d)) + (" SPARQL" if d and not d.get("stored", True) else "")
            first = d.get("first_wall")
            out.append(f"| {case} | {_rows_cell(size, case, at)} | {dcell} | "
                       f"{ms(d.get('p95'))} | {ms(d.get('terms_cpu_p50'))} | {ms(first)} | "
                       f"{ms(_cpu(live))} | "
                       f"{ms(_cpu(o))} | {rcell} | {speed} | "
                       f"{ratio(_cpu(live), _cpu(o))} | {ratio(_cpu(d), _cpu(o))} |")
        for case, estimate in (entry.get("skipped") or {}).items():
            est = "a previous size did not finish" if estimate == float("inf") \
                else f"~{estimate:.0f} s estimated from the previous size"
            out.append(f"| {case} | SPARQL engines not run: {est} |||||||||||")
        out.append("")
    return out


def load_section(results: dict[str, Any]) -> tuple[list[str], list[dict[str, Any]]]:
    out = ["## Loading", "",
           "Seconds (wall / CPU). *dermkg* writes a new store generation as `dermkg build` "
           "does: bulk load, compaction, then every saved query without required parameters "
           "run once and its answer stored (*of which answers*: the manifest's seconds, "
           "wall / the CPU time of that part); *pyoxigraph* is `Store.bulk_load` of the "
           "same file; *rdflib* parses it into a `Dataset`; *dermkg write path* is "
           "`LocalStore.replace_all` from rdflib graphs (what the build does after "
           "extraction; answers stored too). Peak RSS of each worker process in MB.", "",
           "| size | dermkg load | of which answers | pyoxigraph load | rdflib parse | "
           "rdflib / dermkg | dermkg write path | peak MB dermkg+pyoxigraph | "
           "peak MB rdflib |",
           "|---|---:|---:|---:|---:|---:|---:|---:|---:|"]
    rows = []
    for size, entry in (results.get("queries") or {}).items():
        fast = (entry.get("fast") or {}).get("engines") or {}
        rd = (entry.get("rdflib") or {}).get("engines", {}).get("rdflib", {})
        dermkg = fast.get("dermkg") or fast.get("dermkg-live") or {}
        d, o = dermkg.get("load"), fast.get("oxigraph", {}).get("load")
        a = dermkg.get("answers")
        r, w = rd.get("load"), rd.get("dermkg_write")

        def cell(x: dict[str, float] | None) -> str:
            return "–" if not x or "wall" not in x else f"{sec(x['wall'])} / {sec(x['cpu'])}"

        peak = max((e.get("peak_rss_mb") or 0 for e in fast.values()), default=0)
        out.append(f"| {size} | {cell(d)} | {cell(a)} | {cell(o)} | {cell(r)} | "
                   f"{ratio((r or {}).get('cpu'), (d or {}).get('cpu'))} | {cell(w)} | "
                   f"{peak:.0f} | {rd.get('peak_rss_mb', 0):.0f} |")
        rows.append({"size": size, "dermkg_load_wall": (d or {}).get("wall"),
                     "dermkg_load_cpu": (d or {}).get("cpu"),
                     "answers_wall": (a or {}).get("wall"),
                     "answers_cpu": (a or {}).get("cpu"),
                     "answers_rows": (a or {}).get("rows"),
                     "oxigraph_load_wall": (o or {}).get("wall"),
                     "oxigraph_load_cpu": (o or {}).get("cpu"),
                     "rdflib_parse_wall": (r or {}).get("wall"),
                     "rdflib_parse_cpu": (r or {}).get("cpu"),
                     "dermkg_write_path_wall": (w or {}).get("wall"),
                     "dermkg_write_path_cpu": (w or {}).get("cpu"),
                     "peak_rss_mb_fast": peak,
                     "peak_rss_mb_rdflib": rd.get("peak_rss_mb")})
    return [*out, ""], rows


def answers_section(results: dict[str, Any]) -> tuple[list[str], list[dict[str, Any]]]:
    """Per saved query: the rows stored and the seconds it took at each size."""
    per: dict[str, dict[str, dict[str, Any]]] = {}
    sizes = []
    for size, entry in (results.get("queries") or {}).items():
        fast = (entry.get("fast") or {}).get("engines") or {}
        dermkg = fast.get("dermkg") or fast.get("dermkg-live") or {}
        stored = (dermkg.get("answers") or {}).get("queries") or {}
        if stored:
            sizes.append(size)
        for name, rec in stored.items():
            per.setdefault(name, {})[size] = rec
    if not per:
        return [], []
    out = ["## Stored answers", "",
           "Each saved query without required parameters, run once when a store generation "
           "is written: rows stored, seconds (wall, from the manifest).", "",
           "| query | " + " | ".join(sizes) + " |", "|---|" + "---:|" * len(sizes)]
    rows = []
    for name, by_size in sorted(per.items()):
        cells = [f"{r['rows']:,} rows, {_dur(r['seconds'])}" if (r := by_size.get(s)) else "–"
                 for s in sizes]
        out.append(f"| {name} | " + " | ".join(cells) + " |")
        rows += [{"size": s, "query": name, **r} for s, r in by_size.items()]
    return [*out, ""], rows


def build_section(results: dict[str, Any]) -> tuple[list[str], list[dict[str, Any]]]:
    out = ["## Build", "",
           "`dermkg.pipeline.build` on generated corpora, without validation and reasoning "
           "(those are timed in separate runs). Stage seconds are wall clock from the build "
           "report; *docs/s* = documents / (extract + write) wall seconds; *docs/s CPU* = "
           "documents / CPU seconds of the whole build (robust to other load).", "",
           "| documents | triples | extract s | write s | docs/s | docs/s CPU | peak MB | "
           "validate s | reason s |", "|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    rows: list[dict[str, Any]] = []
    if not results.get("build"):
        return [], rows
    for n, entry in (results.get("build") or {}).items():
        b = entry.get("build") or {}
        if "timeout" in b or not b:
            out.append(f"| {n} | stopped after {b.get('timeout', '?')} s |||||||")
            continue
        v = (entry.get("build_validate") or {}).get("seconds", {}).get("validate")
        r = (entry.get("build_reason") or {}).get("seconds", {}).get("reason")
        s = b.get("seconds", {})
        out.append(f"| {n} | {b.get('triples', 0):,} | {sec(s.get('extract'))} | "
                   f"{sec(s.get('write'))} | {b.get('docs_per_s_extract_rdf_write', 0):.1f} | "
                   f"{b.get('docs_per_s_cpu', 0):.1f} | {b.get('peak_rss_mb', 0):.0f} | "
                   f"{sec(v)} | {sec(r)} |")
        rows.append({"documents": n, "triples": b.get("triples"), **{
            f"{k}_s": val for k, val in s.items()}, "cpu_s": b.get("cpu_s"),
            "docs_per_s": b.get("docs_per_s_extract_rdf_write"),
            "docs_per_s_cpu": b.get("docs_per_s_cpu"), "peak_rss_mb": b.get("peak_rss_mb"),
            "validate_s": v, "reason_s": r})
    return [*out, ""], rows


def validation_section(results: dict[str, Any]) -> tuple[list[str], list[dict[str, Any]]]:
    out = ["## Full validation", "",
           "The vocabulary and every document graph of the synthetic graph, validated with "
           "the shapes: `dermkg.validation.validate` vs a plain `pyshacl.validate` call "
           "(same shapes, same ontology). Seconds wall / CPU.", "",
           "| size | data triples | dermkg | plain pyshacl | pyshacl / dermkg (CPU time) |",
           "|---|---:|---:|---:|---:|"]
    rows: list[dict[str, Any]] = []
    if not results.get("validation"):
        return [], rows
    for size, entry in (results.get("validation") or {}).items():
        d, p = entry.get("dermkg") or {}, entry.get("pyshacl") or {}

        def cell(x: dict[str, Any]) -> str:
            if "timeout" in x:
                return f"> {x['timeout']:.0f} s (stopped)"
            e = next(iter(x.get("engines", {}).values()), None)
            return "–" if not e else f"{sec(e['wall'])} / {sec(e['cpu'])}"

        def cpu(x: dict[str, Any]) -> float | None:
            e = next(iter(x.get("engines", {}).values()), None)
            return None if not e else float(e["cpu"])

        def wall(x: dict[str, Any]) -> float | None:
            e = next(iter(x.get("engines", {}).values()), None)
            return None if not e else float(e["wall"])

        triples = d.get("data_triples") or p.get("data_triples") or "?"
        if "timeout" in p:  # stopped: only a wall-clock lower bound is known
            speed = ratio(float(p["timeout"]), wall(d), "≥") + " (wall)"
        else:
            speed = ratio(cpu(p), cpu(d))
        out.append(f"| {size} | {triples} | {cell(d)} | {cell(p)} | {speed} |")
        rows.append({"size": size, "data_triples": triples, "dermkg_cpu": cpu(d),
                     "pyshacl_cpu": cpu(p)})
    return [*out, ""], rows


def accuracy_section(results: dict[str, Any]) -> list[str]:
    acc = results.get("accuracy")
    if not acc or "queries" not in acc:
        return []
    out = ["## Extraction accuracy on generated articles", "",
           "`../shared/acceptance/score.py` with the generated gold rows "
           f"(overall recall {acc['recall']:.3f}, precision {acc['precision']:.3f}).", "",
           "| query | recall | precision |", "|---|---:|---:|"]
    for q, r in acc["queries"].items():
        out.append(f"| {q} | {r['matched']}/{r['expected']} = {r['recall']:.2f} | "
                   f"{r['correct']}/{r['produced']} = {r['precision']:.2f} |")
    return [*out, ""]


def _size_order(results: dict[str, Any]) -> list[str]:
    return list(results.get("queries") or {})


def targets_section(results: dict[str, Any], rows: list[dict[str, Any]]) -> list[str]:
    at = _lookup(rows)
    sizes = _size_order(results)
    out = ["## Targets", ""]
    top = "1M" if "1M" in sizes else (sizes[-1] if sizes else None)
    if top is not None:
        calls = [(c, r) for (s, c, e), r in at.items() if s == top and e == "dermkg"
                 and "cpu_p50" in r]
        stored = [(c, r) for c, r in calls if r.get("stored", True)]
        live = [(c, r) for c, r in calls if not r.get("stored", True)]
        if stored:
            worst = max(stored, key=lambda x: x[1]["p50"])
            worst_cpu = max(stored, key=lambda x: x[1]["cpu_p50"])
            met = sum(1 for _, r in stored if r["cpu_p50"] * 1000 <= TARGET_P50_MS)
            first = max(stored, key=lambda x: x[1].get("first_wall") or 0)
            out.append(
                f"- saved queries p50 ≤ {TARGET_P50_MS:.0f} ms at {top}, answered from the "
                f"stored answers: {met} of {len(stored)} calls within it (CPU); slowest "
                f"{ms(worst_cpu[1]['cpu_p50'])} ms CPU ({worst_cpu[0]}), "
                f"{ms(worst[1]['p50'])} ms wall ({worst[0]}); slowest first call "
                f"{ms(first[1].get('first_wall'))} ms wall ({first[0]})")
        if live:
            slow = max(live, key=lambda x: x[1]["cpu_p50"])
            out.append(f"- calls the stored answers cannot give (they run SPARQL): "
                       f"{', '.join(c for c, _ in live)}; slowest {ms(slow[1]['cpu_p50'])} "
                       f"ms CPU ({slow[0]})")
        lives = [(c, r) for (s, c, e), r in at.items() if s == top and e == "dermkg-live"
                 and "cpu_p50" in r]
        if lives:
            fastest = min(lives, key=lambda x: x[1]["cpu_p50"])
            slowest = max(lives, key=lambda x: x[1]["cpu_p50"])
            out.append(f"- the SPARQL path (dermkg-live) at {top}: "
                       f"{ms(fastest[1]['cpu_p50'])} ({fastest[0]}) to "
                       f"{ms(slowest[1]['cpu_p50'])} ms CPU ({slowest[0]})")
        speeds = []
        for q in (c for c, _ in calls):
            d, r = at.get((top, q, "dermkg")) or {}, at.get((top, q, "rdflib")) or {}
            rv = r.get("timeout") or r.get("cpu_p50")
            if rv and d.get("cpu_p50"):
                speeds.append((rv / d["cpu_p50"], q, "timeout" in r))
        if speeds:
            low = min(speeds)
            out.append(f"- ≥ {TARGET_SPEEDUP:.0f}× faster than rdflib at {top} (CPU): "
                       f"lowest {'≥' if low[2] else ''}{low[0]:,.0f}× ({low[1]}) over "
                       f"{len(speeds)} calls rdflib ran")
    for engine, name in (("dermkg-live", "dermkg-live (SPARQL path)"),
                         ("dermkg", "dermkg (stored answers)")):
        pairs = [((at.get((s, c, engine)) or {}).get("cpu_p50", 0)
                  / ((at.get((s, c, "oxigraph")) or {}).get("cpu_p50") or 1), s, c)
                 for (s, c, e) in at if e == engine and (s, c, "oxigraph") in at
                 and "cpu_p50" in at[(s, c, engine)]]
        if not pairs:
            continue
        hi, lo = max(pairs), min(pairs)
        if engine == "dermkg-live":
            within = sum(1 for p in pairs if p[0] <= TARGET_OVERHEAD)
            out.append(f"- dermkg overhead over raw pyoxigraph ≤ {TARGET_OVERHEAD}× (the "
                       f"SPARQL path, CPU): {within} of {len(pairs)} calls within it; "
                       f"highest {hi[0]:.2f}× ({hi[2]} at {hi[1]}), lowest {lo[0]:.2f}×")
        else:
            out.append(f"- {name} / raw pyoxigraph (CPU): {lo[0]:.2g}× ({lo[2]} at {lo[1]}) "
                       f"to {hi[0]:.2g}× ({hi[2]} at {hi[1]})")
    for size in sizes:
        fast = ((results["queries"][size].get("fast") or {}).get("engines") or {})
        dermkg = fast.get("dermkg") or fast.get("dermkg-live") or {}
        load, answers = dermkg.get("load") or {}, dermkg.get("answers") or {}
        if "wall" in load and answers:
            out.append(f"- load at {size}: {sec(load['wall'])} s wall / {sec(load['cpu'])} s "
                       f"CPU, of which storing answers {sec(answers['wall'])} s wall / "
                       f"{sec(answers['cpu'])} s CPU")
    for n, entry in (results.get("build") or {}).items():
        b = entry.get("build") or {}
        if b.get("docs_per_s_cpu"):
            out.append(f"- build ≥ {TARGET_DOCS_PER_S:.0f} docs/s at {n} documents: "
                       f"{b['docs_per_s_extract_rdf_write']:.1f} docs/s wall, "
                       f"{b['docs_per_s_cpu']:.1f} docs/s CPU; peak "
                       f"{b['peak_rss_mb']:.0f} MB (target ≤ {TARGET_RSS_MB:.0f} MB at 10,000)")
    return [*out, ""]


def plots(results: dict[str, Any], rows: list[dict[str, Any]], out: Path) -> list[str]:
    """Log-scale plots: latency against graph size per query; load and build throughput."""
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        return ["(matplotlib not installed: no plots)", ""]
    at = _lookup(rows)
    sizes = list(results.get("queries") or {})
    triples = {r["size"]: r["triples"] for r in rows if r.get("triples")}
    files = []
    if sizes:
        fig, axes = plt.subplots(2, 3, figsize=(13, 7.5), sharex=True)
        for ax, q in zip(axes.flat, CONTRACT, strict=True):
            for engine, style in zip(ENGINES, ("o-", "D-.", "s--", "^:"), strict=True):
                xs, ys = [], []
                for s in sizes:
                    r = at.get((s, q, engine))
                    if r and "cpu_p50" in r and s in triples:
                        xs.append(triples[s])
                        ys.append(r["cpu_p50"] * 1000)
                if xs:
                    ax.plot(xs, ys, style, label=LABELS[engine])
            ax.set_xscale("log")
            ax.set_yscale("log")
            ax.set_title(q, fontsize=10)
            ax.axhline(TARGET_P50_MS, color="grey", lw=0.6, ls="-.")
            ax.grid(True, which="both", lw=0.3)
        for ax in axes[-1]:
            ax.set_xlabel("triples")
        for ax in axes[:, 0]:
            ax.set_ylabel("p50 CPU time (ms)")
        if axes.flat[0].get_legend_handles_labels()[0]:
            axes.flat[0].legend(fontsize=8)
        fig.suptitle("Saved-query time against graph size, CPU p50 (grey: 50 ms target)")
        fig.tight_layout()
        fig.savefig(out / "latency.png", dpi=110)
        plt.close(fig)
        files.append("latency.png")

    fig, (a1, a2) = plt.subplots(1, 2, figsize=(12, 4.5))
    loads: dict[str, tuple[list[float], list[float]]] = {}
    for s in sizes:
        entry = (results["queries"] or {})[s]
        fast = (entry.get("fast") or {}).get("engines") or {}
        rd = (entry.get("rdflib") or {}).get("engines", {}).get("rdflib", {})
        dermkg = fast.get("dermkg") or fast.get("dermkg-live") or {}
        for name, rec in (("dermkg (with answers)", dermkg.get("load")),
                          ("pyoxigraph", fast.get("oxigraph", {}).get("load")),
                          ("rdflib", rd.get("load"))):
            if rec and "cpu" in rec and s in triples:
                xs, ys = loads.setdefault(name, ([], []))
                xs.append(triples[s])
                ys.append(triples[s] / rec["cpu"] if rec["cpu"] else 0)
    for name, (xs, ys) in loads.items():
        a1.plot(xs, ys, "o-", label=name)
    a1.set(xscale="log", yscale="log", xlabel="triples", ylabel="triples / CPU second",
           title="Load throughput")
    a1.grid(True, which="both", lw=0.3)
    if loads:
        a1.legend(fontsize=8)
    bx, by, bc = [], [], []
    for n, entry in (results.get("build") or {}).items():
        b = entry.get("build") or {}
        if b.get("docs_per_s_cpu"):
            bx.append(int(n))
            by.append(b["docs_per_s_extract_rdf_write"])
            bc.append(b["docs_per_s_cpu"])
    if bx:
        a2.plot(bx, by, "o-", label="wall clock")
        a2.plot(bx, bc, "s--", label="CPU time")
        a2.axhline(TARGET_DOCS_PER_S, color="grey", lw=0.6, ls="-.")
        a2.legend(fontsize=8)
    a2.set(xscale="log", yscale="log", xlabel="documents", ylabel="documents / second",
           title="Build throughput (extraction + RDF + write)")
    a2.grid(True, which="both", lw=0.3)
    fig.tight_layout()
    fig.savefig(out / "throughput.png", dpi=110)
    plt.close(fig)
    files.append("throughput.png")
    return [f"![{f}]({f})" for f in files] + [""]


def write_report(results: dict[str, Any], out: Path) -> Path:
    """Write report.md, the CSV files and the plots into ``out``; the report's path."""
    rows = query_rows(results)
    write_csv(out / "queries.csv", rows)
    load_md, load_rows = load_section(results)
    build_md, build_rows = build_section(results)
    val_md, val_rows = validation_section(results)
    answers_md, answers_rows = answers_section(results)
    write_csv(out / "loads.csv", load_rows)
    write_csv(out / "answers.csv", answers_rows)
    write_csv(out / "build.csv", build_rows)
    write_csv(out / "validation.csv", val_rows)
    la0, la1 = results.get("load_average_start"), results.get("load_average_end")
    md = [f"# dermkg benchmarks ({results.get('started', '')})", "",
          f"`python benchmarks/run.py {' '.join(results.get('argv', []))}` on "
          f"{results.get('cpus')} CPUs; load average {la0[0] if la0 else '?'} at the start, "
          f"{la1[0] if la1 else '?'} at the end; {results.get('seconds', 0) / 60:.1f} min.", ""]
    md += targets_section(results, rows)
    md += plots(results, rows, out)
    md += query_section(results, rows) + load_md + answers_md + build_md + val_md
    md += accuracy_section(results)
    path = out / "report.md"
    path.write_text("\n".join(md), encoding="utf-8")
    return path


if __name__ == "__main__":
    src = Path(sys.argv[1])
    print(write_report(json.loads(src.read_text(encoding="utf-8")), src.parent))
