"""``dermkg validate``, ``add``, ``retract`` and ``sources``: checking and curating new facts.

Exit status: 0 the facts conform (and, for ``add``, were written); 1 they do not conform
(nothing written); 2 an error (bad input file, missing store …; nothing written).
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from dermkg.cli.common import console, console_err, write_output
from dermkg.cli.refresh import RefreshOption, refresh_answers
from dermkg.facts import (
    FactsRefused,
    add_facts,
    check_facts,
    check_source_name,
    default_source,
    list_sources,
    retract,
)
from dermkg.graph.backend import GraphStore, open_store
from dermkg.rdf_input import read_inputs
from dermkg.validation import OUTPUT_FORMATS, ValidationOutcome, issue_rows, render_outcome

Files = Annotated[
    list[Path],
    typer.Argument(
        help="RDF files (.ttl .nt .nq .trig .jsonld .rdf) or curation templates (.csv .yaml).",
        show_default=False,
    ),
]
OptionalStore = Annotated[
    str | None,
    typer.Option(
        "--store", "-s",
        help="Store folder: validate together with what the facts reference there.",
        envvar="DERMKG_STORE", show_default=False,
    ),
]
RequiredStore = Annotated[
    str, typer.Option("--store", "-s", help="Store folder.", envvar="DERMKG_STORE")
]
FormatOption = Annotated[
    str,
    typer.Option(
        "--format", "-f",
        help="table (readable), turtle (the sh:ValidationReport) or json (JSON-LD of it).",
    ),
]
MaxBytes = Annotated[
    int | None,
    typer.Option("--max-bytes", help="Size limit of one input file (default 25 MiB).",
                 show_default=False),
]


def _check_format(fmt: str) -> None:
    if fmt not in OUTPUT_FORMATS:
        choices = ", ".join(OUTPUT_FORMATS)
        raise typer.BadParameter(f"choose one of {choices}", param_hint="--format")


def _open(store: str) -> GraphStore:
    target = open_store(store)
    target.ask("ASK {}")  # fails early (StoreError) when nothing was built there
    return target


def _print_outcome(outcome: ValidationOutcome, fmt: str, output: Path | None) -> None:
    if fmt != "table":
        write_output(render_outcome(outcome, fmt), output)
        return
    rows = issue_rows(outcome)
    if output is not None:
        buf = io.StringIO()
        writer = csv.DictWriter(buf, fieldnames=["focus", "label", "path", "value", "severity",
                                                 "message"])
        writer.writeheader()
        writer.writerows(rows)
        write_output(buf.getvalue(), output)
    elif rows:
        table = Table(show_lines=True, expand=True)
        for name, ratio in (("focus", 3), ("label", 2), ("path", 2), ("value", 2),
                            ("severity", 1), ("message", 5)):
            table.add_column(name, ratio=ratio, overflow="fold")
        for row in rows:
            style = "red" if row["severity"] == "Violation" else "yellow"
            table.add_row(row["focus"], row["label"], row["path"], row["value"],
                          f"[{style}]{row['severity']}[/]", row["message"])
        console.print(table)
    n_v, n_w = len(outcome.violations), len(outcome.warnings)
    checked = f" ({outcome.focus_checked} focus node(s) checked)" if outcome.focus_checked else ""
    verdict = "[green]conforms[/]" if outcome.conforms else "[red]does not conform[/]"
    console_err.print(f"{verdict}: {n_v} violation(s), {n_w} warning(s){checked}")


OptionalFiles = Annotated[
    list[Path] | None,
    typer.Argument(
        help="RDF files (.ttl .nt .nq .trig .jsonld .rdf) or curation templates (.csv .yaml); "
        "none with --store: validate everything in the store.",
        show_default=False,
    ),
]


def validate_command(
    files: OptionalFiles = None,
    store: OptionalStore = None,
    fmt: FormatOption = "table",
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write the report to this file.")
    ] = None,
    max_bytes: MaxBytes = None,
) -> None:
    """Check new facts against the SHACL shapes, without writing anything.

    With --store, the facts are checked together with what they reference in the store
    (an outcome for an existing trial is checked against that trial); without it, with the
    shipped vocabulary. With --store and no files, everything already in the store is
    validated (a group of graphs at a time). Exit status 0 only when the facts conform.
    """
    _check_format(fmt)
    if not files:
        if not store:
            raise typer.BadParameter("give files to check, or --store to check a whole store")
        from dermkg.validation import validate_store

        with console_err.status("validating every graph of the store"):
            outcome = validate_store(_open(store))
    else:
        inputs = read_inputs(files, max_bytes=max_bytes)
        outcome = check_facts(inputs, _open(store) if store else None).outcome
    _print_outcome(outcome, fmt, output)
    if not outcome.conforms:
        raise typer.Exit(1)


def add_command(
    files: Files,
    store: RequiredStore,
    source: Annotated[
        str | None,
        typer.Option("--source", help="Name of the source graph (default: the first file's name)."),
    ] = None,
    agent: Annotated[
        str | None,
        typer.Option("--agent", help="Who adds the facts (default: $DERMKG_AGENT or $USER)."),
    ] = None,
    fmt: FormatOption = "table",
    max_bytes: MaxBytes = None,
    refresh: RefreshOption = True,
) -> None:
    """Validate new facts and, if they conform, add them to the store in one transaction.

    The facts go into the named graph dkgg:source/NAME with their provenance (who, when,
    which files with their SHA-256). If anything violates, nothing is written.
    """
    _check_format(fmt)
    inputs = read_inputs(files, max_bytes=max_bytes)
    name = check_source_name(source or default_source(inputs))
    target = _open(store)
    try:
        result = add_facts(target, inputs, name, agent=agent)
    except FactsRefused as refused:
        _print_outcome(refused.outcome, fmt, None)
        console_err.print(f"[red]refused:[/] {refused}")
        raise typer.Exit(1) from None
    if result.outcome.warnings:
        _print_outcome(result.outcome, fmt, None)
    console_err.print(
        f"added {result.triples} triple(s) (+{result.provenance_triples} provenance) "
        f"to {result.graph}"
    )
    if refresh:
        refresh_answers(target)


def retract_command(
    source: Annotated[str, typer.Argument(help="A source name (see `dermkg sources`).")],
    store: RequiredStore,
    force: Annotated[
        bool, typer.Option("--force", help="Also remove a document/vocabulary/ontology graph.")
    ] = False,
    refresh: RefreshOption = True,
) -> None:
    """Remove one source graph (added with `dermkg add`) from the store in one transaction."""
    target = _open(store)
    removed = retract(target, source, force=force)
    console_err.print(f"removed {removed} triple(s) ({source})")
    if refresh and removed:
        refresh_answers(target)


def sources_command(
    store: RequiredStore,
    fmt: Annotated[str, typer.Option("--format", "-f", help="table, csv or json.")] = "table",
) -> None:
    """List the named graphs of the store with their kinds and triple counts."""
    if fmt not in ("table", "csv", "json"):
        raise typer.BadParameter("choose one of table, csv, json", param_hint="--format")
    infos = list_sources(_open(store))
    rows = [{"name": i.name, "kind": i.kind, "triples": i.triples, "graph": i.graph}
            for i in infos]
    if fmt == "json":
        typer.echo(json.dumps(rows, indent=2))
    elif fmt == "csv":
        buf = io.StringIO()
        writer = csv.DictWriter(buf, fieldnames=["name", "kind", "triples", "graph"],
                                lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
        typer.echo(buf.getvalue(), nl=False)
    else:
        table = Table("name", "kind", "triples", "graph")
        for r in rows:
            table.add_row(str(r["name"]), str(r["kind"]), f"{r['triples']:,}", str(r["graph"]))
        console.print(table)
        total = sum(i.triples for i in infos)
        console.print(f"{len(rows)} graph(s), {total:,} triple(s)", style="dim")


def register(app: typer.Typer) -> None:
    """Add ``validate``, ``add``, ``retract`` and ``sources`` to the CLI."""
    app.command("validate")(validate_command)
    app.command("add")(add_command)
    app.command("retract")(retract_command)
    app.command("sources")(sources_command)
