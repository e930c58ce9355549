"""``dermkg refresh``: store the saved queries' answers again (``add``, ``retract`` and
``reason`` delete them before they write; until refreshed, saved queries run on the store:
correct, slower). Also the helper those commands call to refresh after writing."""

from __future__ import annotations

import json
from typing import Annotated, Any

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from dermkg.catalog import saved_queries
from dermkg.cli.common import DEFAULT_STORE_TEXT, StoreOption, console, console_err
from dermkg.graph import answers
from dermkg.graph.backend import GraphStore, open_store

RefreshOption = Annotated[
    bool,
    typer.Option("--refresh/--no-refresh",
                 help="Store the saved queries' answers again after writing (see `dermkg "
                      "refresh`); with --no-refresh saved queries run on the store until then."),
]


def refresh_answers(store: GraphStore, *, quiet: bool = False) -> dict[str, Any]:
    """Refresh ``store``'s stored answers with a progress bar; the per-query summary."""
    total = sum(answers.answerable(q) for q in saved_queries().values())
    with Progress(
        TextColumn("[progress.description]{task.description}"), BarColumn(),
        MofNCompleteColumn(), TimeElapsedColumn(),
        console=console_err, disable=quiet, transient=True,
    ) as progress:
        task = progress.add_task("storing saved queries' answers", total=total)

        def on_query(name: str) -> None:
            progress.update(task, description=f"storing the answer of {name}")
            progress.advance(task)

        return store.refresh_answers(on_query)


def refresh_command(
    store: StoreOption = DEFAULT_STORE_TEXT,
    fmt: Annotated[str, typer.Option("--format", "-f", help="table or json.")] = "table",
) -> None:
    """Store the answers of the saved queries again, from the store as it is now.

    `build` stores them; `add`, `retract` and `reason` delete them before writing and
    refresh them afterwards unless given --no-refresh. Until then saved queries run on the
    store (the same rows, more slowly).
    """
    if fmt not in ("table", "json"):
        raise typer.BadParameter(f"{fmt!r}: choose table or json", param_hint="--format")
    summary = refresh_answers(open_store(store), quiet=fmt == "json")
    if fmt == "json":
        console.print_json(json.dumps(summary))
        return
    table = Table("query", "rows", "seconds")
    for name, info in summary.items():
        table.add_row(name, f"{info['rows']:,}", f"{info['seconds']:.3f}")
    console.print(table)


def register(app: typer.Typer) -> None:
    """Add ``refresh`` to the CLI."""
    app.command("refresh")(refresh_command)
