"""The settings of ``dermkg serve``: where the graph is and the limits that keep it safe."""

from __future__ import annotations

import ipaddress
import os
from dataclasses import dataclass

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000


@dataclass(frozen=True)
class ServerSettings:
    """What the server serves and its limits (all have safe defaults)."""

    store: str
    allowed_service_hosts: tuple[str, ...] = ()
    """Hosts that ``SERVICE`` may call; empty: federation is off."""
    query_timeout: float = 30.0
    """Seconds a query may run; its worker is killed past that (HTTP 503)."""
    max_result_bytes: int = 64 * 1024 * 1024
    """Largest answer the server writes (HTTP 422 past that)."""
    max_request_bytes: int = 1024 * 1024
    """Largest request body accepted (HTTP 413 past that)."""
    workers: int = max(2, min(4, os.cpu_count() or 2))
    """Worker processes evaluating queries."""
    worker_memory_bytes: int = 2048 * 1024 * 1024
    """Address-space limit of each worker process (0: none); a query past it stops its
    worker (HTTP 503) and the worker is replaced."""


def is_loopback(host: str) -> bool:
    """Whether ``host`` only listens on this machine (loopback addresses, ``localhost``)."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False
