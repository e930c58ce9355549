"""Load test of ``dermkg serve``: N concurrent clients run saved queries for a bounded time.

    python benchmarks/load_test.py --store .dermkg/store            # starts a server itself
    python benchmarks/load_test.py --url http://127.0.0.1:8000      # a server already running
    python benchmarks/load_test.py --store STORE --clients 8 --duration 60 --json out.json

Each client is a thread with its own HTTP connection that loops over the saved queries
(every SELECT query that needs no parameter, plus the typed-parameter queries with the
values given by ``--param``) until the time is up or ``--max-requests`` is reached. The
report gives throughput, p50/p90/p99 latency and the errors (any non-200 answer or
failed request). Only loopback addresses are accepted as targets.
"""

from __future__ import annotations

import argparse
import contextlib
import ipaddress
import json
import math
import os
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import httpx

ACCEPT = "application/sparql-results+json"


@dataclass
class Tally:
    """What the clients saw (shared, guarded by a lock)."""

    latencies: list[float] = field(default_factory=list)
    by_query: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    errors: Counter[str] = field(default_factory=Counter)
    rows: Counter[str] = field(default_factory=Counter)
    lock: threading.Lock = field(default_factory=threading.Lock)


def percentile(values: list[float], q: float) -> float:
    """The ``q``-th percentile (nearest rank) of ``values``."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    rank = math.ceil(q / 100 * len(ordered))  # nearest rank, 1-based
    return ordered[max(1, min(len(ordered), rank)) - 1]


def _is_loopback(url: str) -> bool:
    host = urlsplit(url).hostname or ""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


@contextlib.contextmanager
def local_server(store: str, workers: int | None) -> Iterator[str]:
    """Start ``dermkg serve`` on a free loopback port for the duration of the test."""
    port = _free_port()
    cmd = [sys.executable, "-m", "dermkg", "serve", "--store", store, "--port", str(port)]
    if workers:
        cmd += ["--workers", str(workers)]
    process = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                               start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            if process.poll() is not None:
                err = process.stderr.read().decode() if process.stderr else ""
                raise SystemExit(f"dermkg serve exited: {err}")
            with contextlib.suppress(httpx.HTTPError):
                if httpx.get(f"{base}/health", timeout=2).status_code == 200:
                    break
            if time.monotonic() > deadline:
                raise SystemExit("dermkg serve did not start within 120 s")
            time.sleep(0.2)
        yield base
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)


def plan(base: str, params: dict[str, dict[str, str]]) -> list[tuple[str, dict[str, str]]]:
    """The requests each client cycles through: (saved query name, parameters)."""
    catalog = httpx.get(f"{base}/queries", timeout=30).json()
    out = []
    for q in catalog:
        given = params.get(q["name"], {})
        required = [p["name"] for p in q["parameters"] if p.get("required")]
        if all(name in given for name in required):
            out.append((q["name"], given))
    return out


def client(base: str, requests: list[tuple[str, dict[str, str]]], offset: int, stop_at: float,
           budget: list[int], tally: Tally) -> None:
    """One client: run the planned requests round-robin until the time or budget is spent."""
    i = offset
    with httpx.Client(base_url=base, timeout=60, headers={"Accept": ACCEPT}) as http:
        while time.monotonic() < stop_at:
            with tally.lock:
                if budget[0] <= 0:
                    return
                budget[0] -= 1
            name, params = requests[i % len(requests)]
            i += 1
            started = time.perf_counter()
            try:
                response = http.get(f"/queries/{name}", params=params)
                elapsed = time.perf_counter() - started
                ok = response.status_code == 200
                kind = "" if ok else f"HTTP {response.status_code} on {name}"
                rows = len(response.json()["results"]["bindings"]) if ok else 0
            except (httpx.HTTPError, ValueError, KeyError) as exc:
                elapsed = time.perf_counter() - started
                ok, kind, rows = False, f"{type(exc).__name__} on {name}", 0
            with tally.lock:
                if ok:
                    tally.latencies.append(elapsed)
                    tally.by_query[name].append(elapsed)
                    tally.rows[name] = rows
                else:
                    tally.errors[kind] += 1


def run(base: str, clients: int, duration: float, max_requests: int,
        params: dict[str, dict[str, str]]) -> dict[str, object]:
    """Run the load test against ``base``; the figures as a dict."""
    requests = plan(base, params)
    if not requests:
        raise SystemExit("no saved query can run without parameters")
    tally = Tally()
    budget = [max_requests]
    started = time.monotonic()
    stop_at = started + duration
    threads = [threading.Thread(target=client, args=(base, requests, k, stop_at, budget, tally))
               for k in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.monotonic() - started
    done = len(tally.latencies)
    ms = [x * 1000 for x in tally.latencies]
    return {
        "clients": clients,
        "duration_s": round(wall, 1),
        "queries": [name for name, _ in requests],
        "requests": done + sum(tally.errors.values()),
        "ok": done,
        "errors": sum(tally.errors.values()),
        "error_kinds": dict(tally.errors),
        "throughput_rps": round(done / wall, 1) if wall else 0.0,
        "latency_ms": {
            "p50": round(percentile(ms, 50), 1),
            "p90": round(percentile(ms, 90), 1),
            "p99": round(percentile(ms, 99), 1),
            "max": round(max(ms), 1) if ms else None,
            "mean": round(statistics.fmean(ms), 1) if ms else None,
        },
        "per_query_p50_ms": {
            name: round(percentile([x * 1000 for x in v], 50), 1)
            for name, v in sorted(tally.by_query.items())
        },
        "rows_per_query": dict(tally.rows),
    }


def _parse_params(items: list[str]) -> dict[str, dict[str, str]]:
    out: dict[str, dict[str, str]] = defaultdict(dict)
    for item in items:
        query, _, assignment = item.partition(":")
        name, sep, value = assignment.partition("=")
        if not sep:
            raise SystemExit(f"--param {item!r}: expected QUERY:NAME=VALUE")
        out[query][name] = value
    return out


def main(argv: list[str] | None = None) -> int:
    """Command line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    target = parser.add_mutually_exclusive_group(required=True)
    target.add_argument("--store", help="Store folder or SPARQL URL to serve for the test.")
    target.add_argument("--url", help="Base URL of a running dermkg server (loopback only).")
    parser.add_argument("--clients", type=int, default=8, help="Concurrent clients (8).")
    parser.add_argument("--duration", type=float, default=60.0, help="Seconds to run (60).")
    parser.add_argument("--max-requests", type=int, default=500_000,
                        help="Stop after this many requests in all (500000).")
    parser.add_argument("--workers", type=int, help="Server worker processes (--store only).")
    parser.add_argument("--param", action="append", default=["evidence:about=ruxolitinib"],
                        metavar="QUERY:NAME=VALUE",
                        help="A parameter for a saved query (repeatable).")
    parser.add_argument("--json", help="Also write the figures to this JSON file.")
    args = parser.parse_args(argv)
    if args.clients < 1 or not 0 < args.duration <= 3600 or args.max_requests < 1:
        parser.error("clients >= 1, 0 < duration <= 3600 and max-requests >= 1")
    params = _parse_params(args.param)
    if args.url:
        if not _is_loopback(args.url):
            parser.error("the load test only targets loopback addresses")
        figures = run(args.url.rstrip("/"), args.clients, args.duration, args.max_requests,
                      params)
    else:
        with local_server(args.store, args.workers) as base:
            figures = run(base, args.clients, args.duration, args.max_requests, params)
    print(json.dumps(figures, indent=2))
    if args.json:
        with open(args.json, "w", encoding="utf-8") as handle:
            json.dump(figures, handle, indent=2)
    return 1 if figures["errors"] else 0


if __name__ == "__main__":
    sys.exit(main())
