"""Publishing commands: ``transparency`` (counts for a period, JSON or one self-contained HTML file),
``sor export`` (DSA statements of reasons as JSON Lines) and ``referral export|verify`` (a case package)."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Optional

import typer

from brightline.cli.app import app, err, fail
from brightline.cli.governance import DbOption, PolicyOption, open_governance, open_store, print_json
from brightline.errors import BrightlineError

PeriodOption = Annotated[
    Optional[str],
    typer.Option("--period", help="START..END, ISO dates, both inclusive (UTC); default: everything stored."),
]

sor_app = typer.Typer(help="DSA Art. 17 statements of reasons for the Transparency Database.", no_args_is_help=True)
referral_app = typer.Typer(help="Case packages for authorities.", no_args_is_help=True)
app.add_typer(sor_app, name="sor")
app.add_typer(referral_app, name="referral")


def _period(text: str | None, store: object) -> tuple[object, object]:
    from brightline.governance.transparency import parse_period, stored_period

    try:
        if text is None:
            with store.read() as session:  # type: ignore[attr-defined]
                return stored_period(session)
        return parse_period(text)
    except BrightlineError as exc:
        fail(str(exc))


@app.command()
def transparency(
    period: PeriodOption = None,
    db: DbOption = "sqlite:///brightline.db",
    format: Annotated[str, typer.Option("--format", help="json or html.")] = "json",
    output: Annotated[Optional[Path], typer.Option("-o", "--output", help="Write here instead of stdout.")] = None,
    title: Annotated[str, typer.Option(help="Title of the HTML report.")] = "Transparency report",
) -> None:
    """Counts by category, detector, action and automated/manual; posts removed, accounts penalised, reports
    handled, median handling time, appeal reversal rate. Exits non-zero if the database cannot be read."""
    from brightline.governance.transparency import compute, render_html

    if format not in ("json", "html"):
        fail(f"--format is json or html, not {format!r}")
    store = open_store(db, create=False)
    start, end = _period(period, store)
    try:
        with store.read() as session:
            report = compute(session, start, end)  # type: ignore[arg-type]
    except Exception as exc:  # a missing table or a dropped connection must fail loudly, not print zeros
        fail(f"cannot compute the report from {store.display_url}: {exc}", code=1)
    text = json.dumps(report, ensure_ascii=False, indent=2) + "\n" if format == "json" else render_html(report, title)
    if output is None:
        sys.stdout.write(text)
    else:
        output.parent.mkdir(parents=True, exist_ok=True)
        output.write_text(text, encoding="utf-8")
        err.print(f"{format.upper()} report for {start}..{end} written to [bold]{output}[/]")


@sor_app.command("export")
def sor_export(
    period: PeriodOption = None,
    db: DbOption = "sqlite:///brightline.db",
    policy: PolicyOption = None,
    output: Annotated[Optional[Path], typer.Option("-o", "--output", help="JSON Lines file; default stdout.")] = None,
) -> None:
    """One statement of reasons per restrictive decision in the period, in the Transparency Database's fields
    and enums (the pack's ladder.sor section maps categories and sets the territorial scope)."""
    from brightline.governance.sor import export

    gov = open_governance(db, policy)
    start, end = _period(period, gov.store)
    out = sys.stdout if output is None else output.open("w", encoding="utf-8")
    n = 0
    try:
        with gov.store.read() as session:
            for sor in export(session, gov.ctx, start, end):  # type: ignore[arg-type]
                out.write(json.dumps(sor, ensure_ascii=False) + "\n")
                n += 1
    finally:
        if output is not None:
            out.close()
    err.print(f"{n:,} statement(s) of reasons for {start}..{end}")


@referral_app.command("export")
def referral_export(
    case_id: Annotated[int, typer.Argument(help="Case number.")],
    output: Annotated[Path, typer.Option("-o", "--output", help="The zip to write.")],
    db: DbOption = "sqlite:///brightline.db",
) -> None:
    """Write one case with its evidence, decisions, sanctions and audit trail as a verifiable zip."""
    from brightline.governance.referral import export_case

    store = open_store(db, create=False)
    try:
        with store.read() as session:
            manifest = export_case(session, case_id, output)
    except BrightlineError as exc:
        fail(str(exc), code=1)
    print_json(manifest)
    err.print(f"referral package for case {case_id} written to [bold]{output}[/]")


@referral_app.command("verify")
def referral_verify(package: Annotated[Path, typer.Argument(help="A referral zip.")]) -> None:
    """Check a referral package's file digests and audit links; exit 1 naming the first problem."""
    from brightline.governance.referral import verify_package

    try:
        print_json(verify_package(package))
    except BrightlineError as exc:
        fail(str(exc), code=1)
