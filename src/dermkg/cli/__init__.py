"""The ``dermkg`` command line. Each command lives in a module of its own that registers
itself on :data:`app`; this module only assembles them and maps errors to exit codes.

Exit status: 0 success; 1 partial failure (some documents failed, facts do not conform);
2 error (bad input, bad usage, nothing done).
"""

from __future__ import annotations

import importlib

import typer

from dermkg.cli.common import console_err
from dermkg.errors import DermkgError

app = typer.Typer(
    name="dermkg",
    help="A knowledge graph of dermatology therapeutics evidence, with a SPARQL interface.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

# One module per command (or group of commands); each defines register(app).
COMMAND_MODULES = ("build", "query", "validate", "reason", "refresh", "release", "serve")

for _name in COMMAND_MODULES:
    importlib.import_module(f"dermkg.cli.{_name}").register(app)


def main() -> None:
    """Entry point of the ``dermkg`` console script."""
    try:
        app()
    except DermkgError as exc:
        console_err.print(f"[bold red]error:[/] {exc}", highlight=False)
        raise SystemExit(2) from None
