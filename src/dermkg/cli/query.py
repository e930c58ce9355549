"""``dermkg query`` and ``dermkg queries``: run saved queries, list them."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from dermkg.api import KnowledgeGraph
from dermkg.catalog import saved_queries
from dermkg.cli.common import (
    DEFAULT_STORE_TEXT,
    StoreOption,
    console,
    parse_params,
    write_output,
)
from dermkg.results import FORMATS, ResultSet


def _rich_table(result: ResultSet) -> Table:
    table = Table(show_lines=False)
    for column in result.columns:
        table.add_column(column, overflow="fold")
    for terms in result.terms:
        table.add_row(*("" if t is None else str(t) for t in terms))
    return table


def query_command(
    query: Annotated[str, typer.Argument(help="A saved query's name, a .rq file, or SPARQL text.")],
    store: StoreOption = DEFAULT_STORE_TEXT,
    fmt: Annotated[
        str, typer.Option("--format", "-f", help=f"Output format: {', '.join(FORMATS)}.")
    ] = "table",
    param: Annotated[
        list[str] | None,
        typer.Option("--param", "-p", help="A parameter as NAME=VALUE (repeatable)."),
    ] = None,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write to this file instead of stdout.")
    ] = None,
) -> None:
    """Run a saved query (see `dermkg queries`) or a query file against the store."""
    if fmt not in FORMATS:
        raise typer.BadParameter(f"choose one of {', '.join(FORMATS)}", param_hint="--format")
    kg = KnowledgeGraph.open(store)
    result = kg.query(query, **parse_params(param))
    if fmt == "table" and output is None and sys.stdout.isatty():
        console.print(_rich_table(result))
        console.print(f"{len(result)} row(s)", style="dim")
        return
    write_output(result.render(fmt), output)


def queries_command(
    fmt: Annotated[str, typer.Option("--format", "-f", help="table or json.")] = "table",
) -> None:
    """List the saved queries with their descriptions and parameters."""
    catalog = saved_queries()
    if fmt == "json":
        data = [
            {
                "name": q.name,
                "title": q.title,
                "description": q.description,
                "parameters": [
                    {"name": p.name, "type": p.type, "default": p.default,
                     "description": p.description}
                    for p in q.parameters
                ],
                "examples": list(q.examples),
            }
            for q in catalog.values()
        ]
        typer.echo(json.dumps(data, indent=2))
        return
    table = Table("name", "description", "parameters", show_lines=True)
    for q in catalog.values():
        params = "\n".join(f"{p.name} ({p.type}): {p.description}" for p in q.parameters)
        table.add_row(q.name, q.description or q.title, params or "-")
    console.print(table)


def register(app: typer.Typer) -> None:
    """Add ``query`` and ``queries`` to the CLI."""
    app.command("query")(query_command)
    app.command("queries")(queries_command)
