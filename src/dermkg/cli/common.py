"""Options and helpers shared by the commands."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from dermkg.graph.store import DEFAULT_STORE

console = Console()
console_err = Console(stderr=True)

StoreOption = Annotated[
    str,
    typer.Option(
        "--store",
        "-s",
        help="Store folder (or, where supported, a SPARQL endpoint URL).",
        envvar="DERMKG_STORE",
        show_default=True,
    ),
]
DEFAULT_STORE_TEXT = str(DEFAULT_STORE)


def parse_params(items: list[str] | None) -> dict[str, str]:
    """``["max_age=11", "since=2022-01-01"]`` as a dict; a malformed item is a usage error."""
    out: dict[str, str] = {}
    for item in items or []:
        name, sep, value = item.partition("=")
        if not sep or not name.strip():
            raise typer.BadParameter(f"{item!r}: expected NAME=VALUE", param_hint="--param")
        out[name.strip()] = value
    return out


def write_output(text: str, output: Path | None) -> None:
    """Print ``text`` to stdout, or write it to ``output``."""
    if output is None:
        typer.echo(text, nl=False)
    else:
        output.write_text(text, encoding="utf-8")
