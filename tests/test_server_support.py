"""Helpers for the server, remote-store and browser tests: the fixture graph, a free port,
and real server processes (``dermkg serve``, ``oxigraph serve``) on loopback.

(No tests here; the module is imported by test_server*.py, test_remote*.py, test_browser*.py.)
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
from rdflib import Graph, URIRef

from conftest import trig_graphs
from dermkg.graph.backend import LocalStore

DATA = Path(__file__).with_name("test_server_data.trig")
APPROVAL_A = "https://w3id.org/dermkg/resource/approval/test-a/1"
APPROVAL_B = "https://w3id.org/dermkg/resource/approval/test-b/1"
QUOTE_A = "the agency approved the cream for patients 12 years of age and older"


def fixture_graphs() -> dict[URIRef, Graph]:
    """The named graphs of ``test_server_data.trig``."""
    return trig_graphs(DATA)


def build_fixture_store(path: Path) -> LocalStore:
    """A store folder holding the fixture graph."""
    store = LocalStore(path)
    store.replace_all(fixture_graphs(), {"fixture": DATA.name})
    return store


def free_port() -> int:
    """A TCP port free on the loopback interface."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def wait_for(url: str, process: subprocess.Popen[bytes], seconds: float = 60.0) -> None:
    """Wait until ``url`` answers (or fail with the process's output)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            out = process.stdout.read().decode(errors="replace") if process.stdout else ""
            raise RuntimeError(f"the server exited with {process.returncode}: {out}")
        with contextlib.suppress(httpx.HTTPError):
            if httpx.get(url, timeout=2).status_code < 500:
                return
        time.sleep(0.2)
    raise RuntimeError(f"{url} did not answer within {seconds} s")


def stop(process: subprocess.Popen[bytes]) -> None:
    """Stop a server process we started (its own process group: workers included)."""
    if process.poll() is None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=5)


@contextlib.contextmanager
def dermkg_server(store: str, *args: str) -> Iterator[str]:
    """``dermkg serve --store STORE ARGS`` on a free loopback port; yields its base URL."""
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "dermkg", "serve", "--store", store, "--port", str(port), *args],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for(f"{base}/health", process)
        yield base
    finally:
        stop(process)


@contextlib.contextmanager
def fixture_server(folder: Path, *args: str) -> Iterator[str]:
    """``dermkg serve ARGS`` over a new store in ``folder`` holding the fixture graph;
    yields its base URL."""
    store = folder / "store"
    build_fixture_store(store)
    with dermkg_server(str(store), *args) as url:
        yield url


def oxigraph_binary() -> str | None:
    """The ``oxigraph`` server binary (PyPI package ``oxigraph``), if installed."""
    beside = Path(sys.executable).with_name("oxigraph")
    return str(beside) if beside.exists() else shutil.which("oxigraph")


@contextlib.contextmanager
def oxigraph_server(location: Path) -> Iterator[str]:
    """A real Oxigraph SPARQL server on loopback (union default graph); yields /query's URL."""
    binary = oxigraph_binary()
    if binary is None:
        raise RuntimeError("the oxigraph server binary is not installed (pip install oxigraph)")
    port = free_port()
    process = subprocess.Popen(
        [binary, "serve", "--location", str(location), "--bind", f"127.0.0.1:{port}",
         "--union-default-graph"],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for(f"{base}/query?query=ASK%7B%7D", process)
        yield f"{base}/query"
    finally:
        stop(process)
