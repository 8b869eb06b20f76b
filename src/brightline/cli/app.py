"""The Typer application every CLI module registers its commands on."""

from __future__ import annotations

import sys
from typing import NoReturn

import typer
from rich.console import Console

app = typer.Typer(
    name="brightline",
    help="brightline: screen posts, accounts, reports and media against labelling, sourcing, identity and "
    "integrity rules; explain every decision.",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode="rich",
    pretty_exceptions_enable=False,
)

#: Human-facing output (progress, summaries, errors) goes to stderr so stdout stays machine-readable.
err = Console(stderr=True, highlight=False)


def fail(message: str, code: int = 2) -> NoReturn:
    """Print a clear error and exit non-zero (2 = usage or input problem)."""
    err.print(f"[bold red]error:[/] {message}", soft_wrap=True)
    sys.exit(code)
