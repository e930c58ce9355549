"""``dermkg serve``: the SPARQL endpoint, REST saved queries and web page over a store."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from dermkg.cli.common import DEFAULT_STORE_TEXT, StoreOption, console_err
from dermkg.errors import StoreError
from dermkg.graph.backend import open_store
from dermkg.server.settings import DEFAULT_HOST, DEFAULT_PORT, ServerSettings, is_loopback


def serve_command(
    store: StoreOption = DEFAULT_STORE_TEXT,
    host: Annotated[
        str, typer.Option(help="Address to listen on; the default only admits this machine.")
    ] = DEFAULT_HOST,
    port: Annotated[int, typer.Option(help="Port to listen on.")] = DEFAULT_PORT,
    allow_service: Annotated[
        list[str] | None,
        typer.Option("--allow-service", metavar="HOST",
                     help="Allow SERVICE (federated queries) to this host (repeatable)."),
    ] = None,
    timeout: Annotated[
        float, typer.Option(help="Seconds a query may run before it is stopped.")
    ] = 30.0,
    max_result_mb: Annotated[
        float, typer.Option(help="Largest answer in MB (refused past that).")
    ] = 64.0,
    max_request_kb: Annotated[
        float, typer.Option(help="Largest request body in KB (refused past that).")
    ] = 1024.0,
    workers: Annotated[
        int, typer.Option(help="Worker processes evaluating queries.")
    ] = ServerSettings("").workers,
    max_memory_mb: Annotated[
        int, typer.Option(help="Memory limit of each worker process in MB (0: none).")
    ] = ServerSettings("").worker_memory_bytes // (1024 * 1024),
) -> None:
    """Serve the store read-only: a SPARQL 1.1 endpoint at /sparql, the saved queries at
    /queries/NAME (OpenAPI at /openapi.json) and a web page at /."""
    import uvicorn

    from dermkg.server import create_app

    target = open_store(store)
    try:
        target.graph_sizes()  # fail now, with a clear message, if there is nothing to serve
    except StoreError as exc:
        raise StoreError(f"cannot serve {store}: {exc}") from exc
    if workers < 1 or timeout <= 0 or max_result_mb <= 0 or max_request_kb <= 0:
        raise typer.BadParameter("workers, timeout and the size limits must be positive")
    if max_memory_mb and max_memory_mb < 256:
        raise typer.BadParameter("at least 256 MB (or 0 for no limit)",
                                 param_hint="--max-memory-mb")
    if not is_loopback(host):
        console_err.print(
            f"[yellow]warning:[/] listening on {host}: other machines can query this graph "
            "(the endpoint is read-only; put it behind a proxy with TLS and authentication)."
        )
    location = target.location
    if not location.startswith(("http://", "https://")):
        location = str(Path(location).resolve())  # the worker processes open it by path
    settings = ServerSettings(
        store=location,
        allowed_service_hosts=tuple(allow_service or ()),
        query_timeout=timeout,
        max_result_bytes=int(max_result_mb * 1024 * 1024),
        max_request_bytes=int(max_request_kb * 1024),
        workers=workers,
        worker_memory_bytes=max_memory_mb * 1024 * 1024,
    )
    console_err.print(f"dermkg: serving {target.location} on http://{host}:{port}/ "
                      f"(SPARQL endpoint: /sparql)")
    uvicorn.run(
        create_app(settings), host=host, port=port, log_level="warning",
        limit_concurrency=64 * workers, timeout_keep_alive=15,
        h11_max_incomplete_event_size=64 * 1024,
    )


def register(app: typer.Typer) -> None:
    """Add ``serve`` to the CLI."""
    app.command("serve")(serve_command)
