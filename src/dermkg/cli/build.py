"""``dermkg build``: documents → validated RDF → a new store, swapped in when complete."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from dermkg.cli.common import DEFAULT_STORE_TEXT, StoreOption, console_err
from dermkg.graph.backend import open_store

if TYPE_CHECKING:
    from dermkg.pipeline import BuildReport


def _summary(report: BuildReport) -> Table:
    table = Table(title="dermkg build", show_header=False, title_justify="left")
    table.add_column(style="bold")
    table.add_column()
    table.add_row("store", report.store)
    table.add_row("documents", f"{len(report.loaded)} loaded of {report.documents}")
    for name, why in report.failed.items():
        table.add_row("[red]failed[/]", f"{name}: {why}")
    for name, why_list in report.rejected.items():
        table.add_row("[red]rejected[/]", f"{name}: " + "; ".join(why_list[:3]))
    for name, lines in report.dropped.items():
        table.add_row("[yellow]dropped[/]", f"{name}: {len(lines)} statement(s); " + lines[0])
    for name, notes in report.notes.items():
        table.add_row("[yellow]note[/]", f"{name}: " + "; ".join(notes[:3]))
    facts = ", ".join(f"{k} {v}" for k, v in sorted(report.facts.items()) if v) or "none"
    table.add_row("facts", facts)
    table.add_row("triples", f"{report.triples:,} in {report.graphs} named graphs")
    status = "conforms" if not report.rejected else f"{len(report.rejected)} document(s) rejected"
    if report.dropped:
        dropped = sum(len(v) for v in report.dropped.values())
        status += f" after dropping {dropped} violating statement(s)"
    table.add_row("validation", f"{status}; {report.warnings} warning(s)")
    table.add_row("reasoning", f"{report.reasoning} ({report.inferred} inferred triples)")
    table.add_row("time", ", ".join(f"{k} {v:.2f}s" for k, v in report.seconds.items()))
    return table


def build_command(
    corpus: Annotated[
        Path, typer.Option("--corpus", "-c", help="Folder of documents (.txt, .html, .pdf).")
    ],
    store: StoreOption = DEFAULT_STORE_TEXT,
    strict: Annotated[
        bool, typer.Option("--strict", help="Any failed document fails the whole build.")
    ] = False,
    reason: Annotated[
        bool, typer.Option("--reason/--no-reason", help="Run the OWL reasoner (needs Java).")
    ] = True,
    quiet: Annotated[
        bool, typer.Option("--quiet", "-q", help="No progress bar or summary.")
    ] = False,
    answers: Annotated[
        bool, typer.Option("--answers/--no-answers",
                           help="Store the saved queries' answers with the graph (saved queries "
                                "then answer in milliseconds; `dermkg refresh` stores them later).")
    ] = True,
    workers: Annotated[
        int | None,
        typer.Option("--workers", min=1,
                     help="Processes extracting documents (default: one per CPU, up to 4)."),
    ] = None,
) -> None:
    """Build the graph from every document in CORPUS into the store.

    The new graph is written beside the old one and swapped in only when complete, so a
    failed or interrupted build leaves the previous store intact. Exit status 1 when some
    documents failed or were rejected by validation (the others are loaded).
    """
    target = open_store(store)
    with Progress(
        TextColumn("[progress.description]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console_err,
        disable=quiet,
        transient=True,
    ) as progress:
        task = progress.add_task("reading documents", total=None)

        def on_document(_name: str) -> None:
            progress.advance(task)

        def on_stage(message: str) -> None:
            progress.update(task, description=message)

        # Imported here: the loaders and vocabulary are heavy, other commands need neither.
        from dermkg import loaders
        from dermkg.pipeline import build

        progress.update(task, total=len(loaders.discover(corpus)))
        report = build(
            corpus, target, strict=strict, reason=reason, workers=workers,
            on_document=on_document, on_stage=on_stage, answers=answers,
        )
    if not quiet:
        console_err.print(_summary(report))
    if report.partial:
        raise typer.Exit(1)


def register(app: typer.Typer) -> None:
    """Add ``build`` to the CLI."""
    app.command("build")(build_command)
