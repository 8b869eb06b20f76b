"""``brightline redteam``: disguise known violations with every evasion type and print each detector's recall."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.console import Console
from rich.table import Table

from brightline.cli.app import app, err, fail
from brightline.errors import BrightlineError


@app.command("redteam")
def redteam(
    seeds: Annotated[
        Optional[Path],
        typer.Option("--seeds", help="Seeds file: JSONL ({\"kind\":\"term\"|\"contact\",\"value\":…,\"channel\":…}) "
                     "or CSV with header kind,value,channel. Default: the lexicon's terms and bundled contacts."),
    ] = None,
    per_seed: Annotated[int, typer.Option("--per-seed", min=1, help="Variants per seed and evasion type.")] = 3,
    seed_rng: Annotated[int, typer.Option("--seed-rng", help="Random seed: the same seed gives the same variants.")] = 1,
    policy: Annotated[str, typer.Option("--policy", help="Bundled pack name or path.")] = "cn-cac-2025",
    lexicon: Annotated[Optional[Path], typer.Option("--lexicon", help="Operator term list (CSV term,category,severity).")] = None,
    evasion: Annotated[
        Optional[list[str]], typer.Option("--evasion", help="Only these evasion types (repeatable).")
    ] = None,
    min_recall: Annotated[float, typer.Option("--min-recall", min=0.0, max=1.0,
                                              help="Exit 1 when overall recall is below this.")] = 0.90,
    as_json: Annotated[bool, typer.Option("--json", help="Print the report as JSON.")] = False,
    show_misses: Annotated[int, typer.Option("--show-misses", min=0, help="Missed variants to print.")] = 5,
) -> None:
    """Generate evasion variants of seed terms and contacts, screen them, and print recall per detector and
    per evasion type. Exits 1 if overall recall is below --min-recall, 2 on bad input."""
    from brightline.engine import Engine
    from brightline.redteam import EVASION_TYPES, evasion_matrix, load_seeds, run_redteam

    unknown = [e for e in (evasion or []) if e not in EVASION_TYPES]
    if unknown:
        fail(f"unknown evasion type {', '.join(unknown)}; known: {', '.join(EVASION_TYPES)}")
    try:
        engine = Engine(policy, lexicon=lexicon)
        seed_list = load_seeds(seeds) if seeds is not None else None
        report = run_redteam(engine, seed_list, per_seed=per_seed, rng_seed=seed_rng,
                             evasions=evasion or EVASION_TYPES, max_misses=max(show_misses, 20))
    except BrightlineError as exc:
        fail(str(exc))
    if report.overall.total == 0:
        fail("no variant could be generated: no seed's detector is enabled in this policy", code=1)

    if as_json:
        typer.echo(json.dumps(report.to_dict(), ensure_ascii=False, indent=2))
    else:
        out = Console(highlight=False)
        detectors = sorted(report.per_detector)
        t = Table(title=f"red-team recall ({report.seeds} seeds, {per_seed} per seed and evasion, rng {seed_rng})",
                  show_edge=False)
        t.add_column("evasion")
        for d in detectors:
            t.add_column(d, justify="right")
        for ev, cells in evasion_matrix(report).items():
            t.add_row(ev, *(_cell(cells[d].caught, cells[d].total) if d in cells else "-" for d in detectors))
        t.add_section()
        t.add_row("all", *(_cell(report.per_detector[d].caught, report.per_detector[d].total) for d in detectors),
                  style="bold")
        out.print(t)
        for m in report.misses[:show_misses]:
            out.print(f"[dim]missed[/] {m.detector} {m.evasion}: {m.text!r} (seed {m.seed!r}; got {m.got or 'nothing'})",
                      soft_wrap=True)
        if report.skipped:
            out.print(f"not measured (detector not enabled in {engine.pack.ref}): {', '.join(report.skipped)}")
        out.print(f"overall recall {report.overall.recall:.3f} ({report.overall.caught}/{report.overall.total}), "
                  f"threshold {min_recall:.2f}")
    if report.overall.recall < min_recall:
        err.print(f"[bold red]recall {report.overall.recall:.3f} is below --min-recall {min_recall:.2f}[/]")
        raise typer.Exit(1)


def _cell(caught: int, total: int) -> str:
    return f"{caught / total:.2f} ({caught}/{total})" if total else "-"
