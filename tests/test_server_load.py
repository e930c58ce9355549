"""The load test script itself: a short run against a real server counts requests, latency
percentiles and errors correctly."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from test_server_support import fixture_server

pytestmark = pytest.mark.slow
BENCHMARKS = Path(__file__).resolve().parents[1] / "benchmarks"


@pytest.fixture(scope="module")
def load_test():  # type: ignore[no-untyped-def]
    import importlib.util

    spec = importlib.util.spec_from_file_location("load_test", BENCHMARKS / "load_test.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules["load_test"] = module  # dataclasses look their module up while executing
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with fixture_server(tmp_path_factory.mktemp("load")) as url:
        yield url


def test_percentile_nearest_rank(load_test) -> None:  # type: ignore[no-untyped-def]
    values = [float(v) for v in range(1, 101)]
    assert load_test.percentile(values, 50) == 50.0
    assert load_test.percentile(values, 99) == 99.0
    assert load_test.percentile([7.0], 99) == 7.0


def test_short_run_reports_requests_and_no_errors(load_test, server: str,  # type: ignore[no-untyped-def]
                                                  tmp_path: Path) -> None:
    out = tmp_path / "figures.json"
    status = load_test.main(["--url", server, "--clients", "3", "--duration", "3",
                             "--json", str(out)])
    figures = json.loads(out.read_text())
    assert status == 0 and figures["errors"] == 0
    assert figures["ok"] == figures["requests"] > 3
    assert "approvals-by-age-and-date" in figures["queries"] and "evidence" in figures["queries"]
    assert figures["rows_per_query"]["approvals-by-age-and-date"] == 2
    lat = figures["latency_ms"]
    assert 0 < lat["p50"] <= lat["p90"] <= lat["p99"] <= lat["max"]


def test_budget_bounds_the_request_count(load_test, server: str) -> None:  # type: ignore[no-untyped-def]
    figures = load_test.run(server, 4, 30.0, 10, {})
    assert figures["requests"] == 10


def test_only_loopback_targets(load_test) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(SystemExit):
        load_test.main(["--url", "http://192.0.2.10:8000", "--duration", "1"])
