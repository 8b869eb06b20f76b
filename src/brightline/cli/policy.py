"""``brightline policy``: list, check and test policy packs."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.table import Table

from brightline.cli.app import app, err, fail
from brightline.errors import BrightlineError

policy_app = typer.Typer(help="List, validate and test policy packs.", no_args_is_help=True)
app.add_typer(policy_app, name="policy")


@policy_app.command("list")
def list_packs() -> None:
    """List the bundled policy packs with their version and number of rules."""
    from brightline.policy import available_packs, load_pack

    t = Table(show_edge=False)
    for col in ("pack", "version", "language", "rules", "title"):
        t.add_column(col)
    for name in available_packs():
        pack = load_pack(name)
        t.add_row(pack.name, pack.version, pack.language, str(len(pack.rules)), pack.title)
    err.print(t)


@policy_app.command("show")
def show(
    policy: Annotated[str, typer.Argument(help="Bundled pack name or path.")] = "cn-cac-2025",
) -> None:
    """Print every rule of a pack: id, verdict, what triggers it, and its actions."""
    from brightline.policy import load_pack

    try:
        pack = load_pack(policy)
    except BrightlineError as exc:
        fail(str(exc))
    t = Table(title=f"{pack.ref} — {pack.title}", show_edge=False)
    for col in ("rule", "verdict", "when", "actions"):
        t.add_column(col, overflow="fold")
    for r in pack.rules:
        when = json.dumps(r.when.model_dump(exclude_none=True, by_alias=True), ensure_ascii=False)
        t.add_row(r.id, r.verdict, when, ", ".join(a["type"] for a in r.actions))
    err.print(t)


@policy_app.command("test")
def test(
    policy: Annotated[str, typer.Option("--policy", help="Bundled pack name or path.")] = "cn-cac-2025",
    cases: Annotated[Optional[list[Path]], typer.Argument(help="Case files; default: the pack's tests/*.yaml.")] = None,
    verbose: Annotated[bool, typer.Option("-v", "--verbose", help="Show each case.")] = False,
) -> None:
    """Validate a pack and run its test cases: each item must get the expected decision.

    Exits 1 if any case fails, 2 if the pack itself is invalid.
    """
    from brightline.engine import Engine
    from brightline.policy.casefile import pack_case_files, run_cases

    from brightline.governance.ladder import load_ladder

    try:
        engine = Engine(policy)
        # The ladder is only used with a store; validate it here too so a broken one fails before production.
        load_ladder(engine.pack.ladder, str(engine.pack.path or policy))
        files = list(cases) if cases else pack_case_files(engine)
        results = run_cases(engine, files)
    except BrightlineError as exc:
        fail(str(exc))
    failed = [r for r in results if not r.passed]
    for r in results:
        if verbose or not r.passed:
            mark = "[green]PASS[/]" if r.passed else "[red]FAIL[/]"
            err.print(f"{mark} {r.file}: {r.name}")
            for f in r.failures:
                err.print(f"      {f}")
    err.print(f"{engine.pack.ref}: {len(results) - len(failed)} passed, {len(failed)} failed")
    if not results:
        fail(f"{engine.pack.ref} has no test cases", code=1)
    if failed:
        raise typer.Exit(1)
