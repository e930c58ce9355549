"""``dermkg reason``: OWL reasoning over a built store; what is inferred goes to graph
``dkgg:inferred``.

Exit status: 0 consistent (inferred facts written unless ``--dry-run``); 1 the facts are
inconsistent (the individuals involved are named; what follows from the graphs that do not
contradict is still written, the others are listed); 2 an error, or no Java runtime.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from dermkg.cli.common import DEFAULT_STORE_TEXT, StoreOption, console_err
from dermkg.cli.refresh import RefreshOption, refresh_answers
from dermkg.graph.backend import open_store
from dermkg.reasoning import reason_over_store


def reason_command(
    store: StoreOption = DEFAULT_STORE_TEXT,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Check and infer, but do not write to the store.")
    ] = False,
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", help="Also write the inferred facts to this Turtle file."),
    ] = None,
    refresh: RefreshOption = True,
) -> None:
    """Check the store's facts for consistency with the ontology (HermiT) and infer new ones.

    Inferred class memberships (e.g. ruxolitinib a JAK inhibitor, a study a paediatric
    study) and property values replace graph dkgg:inferred. Needs a Java runtime.
    """
    target = open_store(store)
    outcome = reason_over_store(target, write=not dry_run)
    if outcome.skipped:
        console_err.print(f"[bold yellow]{outcome.message}[/]", highlight=False)
        raise typer.Exit(2)
    if not outcome.consistent:
        console_err.print(f"[bold red]{outcome.message}[/]", highlight=False)
        raise typer.Exit(1)
    if output is not None:
        outcome.inferred.serialize(destination=str(output), format="turtle")
    for note in outcome.notes:
        console_err.print(f"[yellow]note:[/] {note}", highlight=False)
    where = "not written (--dry-run)" if dry_run else "written to graph dkgg:inferred"
    console_err.print(
        f"{outcome.message}; {len(outcome.inferred)} triples {where}", highlight=False
    )
    if refresh and not dry_run:
        refresh_answers(target)


def register(app: typer.Typer) -> None:
    """Add ``reason`` to the CLI."""
    app.command("reason")(reason_command)
