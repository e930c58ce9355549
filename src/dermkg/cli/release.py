"""``dermkg release``: the ontology's release files (Turtle, RDF/XML, JSON-LD and its
context, SSSOM mappings as TSV and Turtle, HTML documentation) written into a folder."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from dermkg.release import write_release


def release_command(
    out: Annotated[Path, typer.Option("--out", "-o", help="Folder to write the files into.")],
    html: Annotated[
        str,
        typer.Option(
            "--html", help="Documentation generator: auto (pyLODE if installed), pylode, builtin."
        ),
    ] = "auto",
) -> None:
    """Write the ontology release files into OUT (created if needed)."""
    result = write_release(out, html=html)
    for path in sorted(result.files.values()):
        typer.echo(f"{path}  ({path.stat().st_size:,} bytes)")
    typer.echo(
        f"dermkg ontology {result.version}: {len(result.files)} files in {result.out} "
        f"(HTML by {result.html_generator})"
    )


def register(app: typer.Typer) -> None:
    """Add ``release`` to the CLI."""
    app.command("release")(release_command)
