"""Small timing helpers shared by the benchmark workers: repeat-until-budget, percentiles,
peak memory."""

from __future__ import annotations

import resource
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass
class Timing:
    """Repeated measurements of one piece of work (seconds)."""

    samples: list[float]
    cpu: list[float] = field(default_factory=list)
    result: Any = None

    @property
    def n(self) -> int:
        return len(self.samples)

    @property
    def p50(self) -> float:
        return statistics.median(self.samples)

    @property
    def p95(self) -> float:
        return percentile(self.samples, 95)

    def summary(self) -> dict[str, float | int]:
        """JSON-ready: n, wall-clock p50/p95/min and CPU-time p50/p95 (seconds).

        On a shared machine the wall clock includes waiting for a core; the CPU time of
        this process is the work itself (Oxigraph and rdflib evaluate queries in the
        calling thread)."""
        out: dict[str, float | int] = {"n": self.n, "p50": self.p50, "p95": self.p95,
                                       "min": min(self.samples)}
        if self.cpu:
            out |= {"cpu_p50": statistics.median(self.cpu), "cpu_p95": percentile(self.cpu, 95)}
        return out


def percentile(samples: list[float], pct: float) -> float:
    """The ``pct`` percentile with linear interpolation (``samples`` non-empty)."""
    data = sorted(samples)
    if len(data) == 1:
        return data[0]
    k = (len(data) - 1) * pct / 100
    lo = int(k)
    hi = min(lo + 1, len(data) - 1)
    return data[lo] + (data[hi] - data[lo]) * (k - lo)


def repeat(work: Callable[[], Any], *, budget: float, min_runs: int = 1, max_runs: int = 30,
           warmup: int = 1) -> Timing:
    """Run ``work`` ``warmup`` times untimed, then until ``budget`` seconds are spent (at
    least ``min_runs``, at most ``max_runs`` timed runs). The result is the last one."""
    result = None
    for _ in range(warmup):
        result = work()
    samples: list[float] = []
    cpu: list[float] = []
    spent = 0.0
    while len(samples) < max_runs and (len(samples) < min_runs or spent < budget):
        c = time.process_time()
        t = time.perf_counter()
        result = work()
        dt = time.perf_counter() - t
        cpu.append(time.process_time() - c)
        samples.append(dt)
        spent += dt
    return Timing(samples, cpu, result)


def timed(work: Callable[[], Any]) -> tuple[dict[str, float], Any]:
    """({"wall": s, "cpu": s}, result) of one run of ``work``."""
    c = time.process_time()
    t = time.perf_counter()
    result = work()
    return {"wall": time.perf_counter() - t, "cpu": time.process_time() - c}, result


def cpu_seconds() -> float:
    """User + system CPU time of this process so far (all threads)."""
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def peak_rss_mb() -> float:
    """Peak resident memory of this process so far, in MB."""
    kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return kb / 1024 if sys.platform != "darwin" else kb / 1024 / 1024


def as_json(obj: Any) -> Any:
    """Dataclasses to dicts (for ``json.dumps``)."""
    return asdict(obj) if hasattr(obj, "__dataclass_fields__") else obj
