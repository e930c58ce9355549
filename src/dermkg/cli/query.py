"""``dermkg query``, ``dermkg queries`` and ``dermkg evidence``: run saved queries, list
them, and go from a row (or an IRI, label or NCT id) to the passages that state it."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from dermkg.api import KnowledgeGraph
from dermkg.catalog import SavedQuery, resolve_query, saved_queries
from dermkg.cli.common import (
    DEFAULT_STORE_TEXT,
    StoreOption,
    console,
    parse_params,
    write_output,
)
from dermkg.errors import QueryError
from dermkg.graph.answers import answerable
from dermkg.results import FORMATS, GRAPH_FORMATS, ResultSet, render_graph

ALL_FORMATS = (*FORMATS, *GRAPH_FORMATS)

FormatOption = Annotated[
    str,
    typer.Option(
        "--format", "-f",
        help=f"SELECT: {', '.join(FORMATS)} (json = SPARQL 1.1 JSON results); "
             f"CONSTRUCT/DESCRIBE: turtle, json-ld, nt, xml.",
    ),
]
ParamOption = Annotated[
    list[str] | None,
    typer.Option("--param", "-p", help="A parameter as NAME=VALUE (repeatable)."),
]
OutputOption = Annotated[
    Path | None, typer.Option("--output", "-o", help="Write to this file instead of stdout.")
]


def _rich_table(result: ResultSet) -> Table:
    table = Table(show_lines=False)
    for column in result.columns:
        table.add_column(column, overflow="fold")
    for terms in result.terms:
        table.add_row(*("" if t is None else str(t) for t in terms))
    return table


def _print_result(result: ResultSet, fmt: str, output: Path | None) -> None:
    if fmt not in FORMATS:
        raise typer.BadParameter(f"a SELECT result is written as {', '.join(FORMATS)}",
                                 param_hint="--format")
    if fmt == "table" and output is None and sys.stdout.isatty():
        console.print(_rich_table(result))
        console.print(f"{len(result)} row(s)", style="dim")
        return
    write_output(result.render(fmt), output)


def query_command(
    query: Annotated[str, typer.Argument(help="A saved query's name, a .rq file, or SPARQL text.")],
    store: StoreOption = DEFAULT_STORE_TEXT,
    fmt: FormatOption = "table",
    param: ParamOption = None,
    output: OutputOption = None,
) -> None:
    """Run a saved query (see `dermkg queries`) or a query file against the store."""
    if fmt not in ALL_FORMATS:
        raise typer.BadParameter(f"choose one of {', '.join(ALL_FORMATS)}", param_hint="--format")
    params = parse_params(param)
    saved = resolve_query(query)
    kg = KnowledgeGraph.open(store)
    if saved.form in {"CONSTRUCT", "DESCRIBE"}:
        graph_fmt = "turtle" if fmt == "table" else fmt
        if graph_fmt not in GRAPH_FORMATS:
            raise typer.BadParameter(
                f"a {saved.form} result is a graph: choose one of {', '.join(GRAPH_FORMATS)}",
                param_hint="--format")
        write_output(render_graph(kg.construct(query, **params), graph_fmt), output)
        return
    if saved.form == "ASK":
        answer = kg.ask(query, **params)
        write_output(json.dumps({"head": {}, "boolean": answer}) + "\n" if fmt == "json"
                     else f"{str(answer).lower()}\n", output)
        return
    _print_result(kg.query(query, **params), fmt, output)


def evidence_command(
    about: Annotated[
        str | None,
        typer.Argument(help="An IRI, dkgr: CURIE, label, synonym or NCT id "
                            "(or use --query/--row)."),
    ] = None,
    store: StoreOption = DEFAULT_STORE_TEXT,
    in_document: Annotated[
        str | None, typer.Option("--in-document", "-d", help="Only passages of this document.")
    ] = None,
    query: Annotated[
        str | None,
        typer.Option("--query", "-q", help="Take the thing from a row of this saved query."),
    ] = None,
    row: Annotated[
        int, typer.Option("--row", "-r", help="Row number (1-based) of --query's answer.")
    ] = 1,
    param: ParamOption = None,
    fmt: FormatOption = "table",
    output: OutputOption = None,
) -> None:
    """Show the passages (document, offsets, exact quote, rule) that state a thing or a row.

    `dermkg evidence NCT04921969`, `dermkg evidence dkgr:drug/ruxolitinib -d 002_…`, or
    `dermkg evidence --query trials --row 3` (the row's key IRI, in the row's document).
    """
    kg = KnowledgeGraph.open(store)
    if query is not None:
        if about is not None:
            raise typer.BadParameter("give either ABOUT or --query/--row, not both")
        rows = kg.query(query, **parse_params(param))
        if not 1 <= row <= len(rows):
            raise QueryError(f"{query!r} returned {len(rows)} row(s); there is no row {row}")
        result = kg.evidence(rows[row - 1], document=in_document)
    elif about is None:
        raise typer.BadParameter("give ABOUT (an IRI, label or NCT id) or --query NAME --row N")
    else:
        result = kg.evidence(about, document=in_document)
    _print_result(result, fmt, output)


def _describe(q: SavedQuery) -> str:
    lines = [f"{q.name}: {q.title}", "", q.description, "", f"form: {q.form}"]
    if answerable(q):
        filtered = ", ".join(q.stored_parameters)
        lines.append("stored answer: yes" + (f" (also with {filtered})" if filtered else ""))
    else:
        lines.append("stored answer: no (each call runs the query)")
    if q.parameters:
        lines += ["", "parameters:"]
        for p in q.parameters:
            extra = " required" if p.required else (f" (default {p.default})" if p.default else "")
            lines.append(f"  {p.name} ({p.type}{extra}): {p.description}")
    if q.columns:
        lines += ["", "columns:"]
        lines += [f"  {c.name}: {c.description}" for c in q.columns]
    if q.keys:
        lines += ["", f"evidence key: {', '.join(q.keys)}"]
    if q.examples:
        lines += ["", "examples:"] + [f"  {e}" for e in q.examples]
    return "\n".join(lines) + "\n"


def queries_command(
    name: Annotated[str | None, typer.Argument(help="Show one query in full.")] = None,
    fmt: Annotated[str, typer.Option("--format", "-f", help="table, json or sparql.")] = "table",
) -> None:
    """List the saved queries with their descriptions, parameters and columns."""
    catalog = saved_queries()
    chosen = [resolve_query(name)] if name else list(catalog.values())
    if fmt == "json":
        data = [
            {
                "name": q.name,
                "title": q.title,
                "description": q.description,
                "form": q.form,
                "parameters": [
                    {"name": p.name, "type": p.type, "default": p.default,
                     "required": p.required, "description": p.description}
                    for p in q.parameters
                ],
                "columns": [{"name": c.name, "description": c.description} for c in q.columns],
                "keys": list(q.keys),
                "examples": list(q.examples),
                "stored_answer": answerable(q),
                "stored_answer_parameters": list(q.stored_parameters),
            }
            for q in chosen
        ]
        typer.echo(json.dumps(data, indent=2, ensure_ascii=False))
        return
    if fmt == "sparql":
        typer.echo("\n".join(q.sparql for q in chosen), nl=False)
        return
    if name:
        typer.echo(_describe(chosen[0]), nl=False)
        return
    table = Table("name", "description", "parameters", show_lines=True)
    for q in chosen:
        params = "\n".join(
            f"{p.name} ({p.type}{', required' if p.required else ''}): {p.description}"
            for p in q.parameters
        )
        table.add_row(q.name, q.description or q.title, params or "-")
    console.print(table)


def register(app: typer.Typer) -> None:
    """Add ``query``, ``queries`` and ``evidence`` to the CLI."""
    app.command("query")(query_command)
    app.command("queries")(queries_command)
    app.command("evidence")(evidence_command)
