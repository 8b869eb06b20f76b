"""``brightline screen``: one decision per input item, per the SPEC contract."""

from __future__ import annotations

import io
import json
import sys
from collections import Counter
from pathlib import Path
from typing import IO, Annotated, Any, BinaryIO, Optional

import typer
from rich.progress import BarColumn, Progress, TextColumn, TimeRemainingColumn, TransferSpeedColumn
from rich.table import Table

from brightline.cli.app import app, err, fail
from brightline.errors import BrightlineError
from brightline.ingest import read_items
from brightline.model import VERDICTS, Account, Decision, ErrorRecord


class _CountingReader(io.RawIOBase):
    """Wraps a binary file and reports bytes read, for the progress bar."""

    def __init__(self, raw: BinaryIO, on_read: Any) -> None:
        self._raw, self._on_read = raw, on_read

    def readable(self) -> bool:
        return True

    def readinto(self, b: Any) -> int:
        n = self._raw.readinto(b)  # type: ignore[attr-defined]
        if n:
            self._on_read(n)
        return n or 0


class ScreenSummary:
    """Counts by verdict, detector and rule, where items may still appear, and a few decisions worth explaining."""

    def __init__(self, explain: int) -> None:
        self.items = 0
        self.errors: list[ErrorRecord] = []
        self.verdicts: Counter[str] = Counter()
        self.detectors: Counter[str] = Counter()
        self.rules: Counter[str] = Counter()
        self.withheld: Counter[str] = Counter()  # capability J: recommendation / prominent / minors
        self.examples: list[Decision] = []
        self._explain = explain
        self._example_detectors: set[str] = set()
        self._example_rules: set[str] = set()

    def add(self, out: Decision | ErrorRecord) -> None:
        """Count one decision or error record."""
        if isinstance(out, ErrorRecord):
            self.errors.append(out)
            return
        self.items += 1
        self.verdicts[out.verdict] += 1
        detectors = {s.detector for s in out.signals}
        self.detectors.update(detectors)
        self.rules.update(out.rules)
        self.withheld.update(place for place, allowed in out.distribution.to_dict().items() if not allowed)
        # Explain variety: each example shows a detector not yet shown (or, without signals, a new rule), so N
        # examples walk through N capabilities instead of repeating the most common one.
        if out.rules and len(self.examples) < self._explain and (
            detectors - self._example_detectors or (not detectors and not set(out.rules) <= self._example_rules)
        ):
            self.examples.append(out)
            self._example_detectors |= detectors
            self._example_rules.update(out.rules)

    def render(self) -> None:
        """Print the summary to stderr (stdout stays machine-readable)."""
        err.print(f"\n[bold]Screened {self.items:,} item(s)[/]; {len(self.errors):,} input error(s).")
        self._table("Verdicts", "verdict", [(v, self.verdicts[v]) for v in VERDICTS if self.verdicts.get(v)])
        self._table("Signals by detector (items)", "detector", self.detectors.most_common())
        top = self.rules.most_common(10)
        more = f" — top 10 of {len(self.rules)}" if len(self.rules) > 10 else ""
        self._table(f"Rules fired (items){more}", "rule", top)
        if self.withheld:
            names = {"recommendation": "the recommendation pool", "prominent": "prominent positions",
                     "minors": "minor-facing feeds"}
            kept = ", ".join(f"{names.get(k, k)} {n:,}" for k, n in self.withheld.most_common())
            err.print(f"Kept out of: {kept}")
        for e in self.errors[:5]:
            err.print(f"[yellow]line {e.line}[/]: {e.error}")
        if len(self.errors) > 5:
            err.print(f"[yellow]… and {len(self.errors) - 5} more error record(s) in the output[/]")
        for d in self.examples:
            err.print(f"\n[bold]{d.subject.kind} {d.subject.id}[/] → [bold]{d.verdict}[/]  ({', '.join(d.rules)})")
            for s in d.signals[:4]:
                ev = s.evidence
                detail = ev.get("excerpt") or ev.get("value") or ev.get("entity") or ev.get("basis") or ""
                extra = f" → {ev['value']}" if ev.get("value") and ev.get("excerpt") else ""
                where = f" ({ev['field']})" if ev.get("field") else ""
                err.print(f"   {s.detector} {s.score:.2f}  [cyan]{detail}[/]{extra}{where}")
            if d.actions:
                err.print(f"   actions: {', '.join(a.type for a in d.actions)}")
            err.print(f"   [dim]{d.statement}[/]")

    @staticmethod
    def _table(title: str, name: str, rows: list[tuple[str, int]]) -> None:
        if not rows:
            return
        t = Table(title=title, show_edge=False)
        t.add_column(name)
        t.add_column("items", justify="right")
        for key, n in rows:
            t.add_row(key, f"{n:,}")
        err.print(t)


def _collect_accounts(path: Path) -> list[Account]:
    """First pass over a file: accounts, so a post screened before its account line still sees it."""
    accounts = []
    with path.open("rb") as fh:
        for item in read_items(fh, str(path)):
            if isinstance(item, Account):
                accounts.append(item)
    return accounts


def _dump(obj: dict[str, Any]) -> str:
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":"))


@app.command()
def screen(
    input: Annotated[str, typer.Argument(help="JSON Lines file of posts, accounts and reports; '-' reads stdin.")],
    output: Annotated[Optional[Path], typer.Option("-o", "--output", help="Write decisions here (JSONL); default stdout.")] = None,
    policy: Annotated[str, typer.Option("--policy", help="Bundled pack name or path to a pack folder/YAML file.")] = "cn-cac-2025",
    lexicon: Annotated[Optional[Path], typer.Option(help="Term list CSV: term,category,severity.")] = None,
    entities: Annotated[Optional[Path], typer.Option(help="Protected-entity CSV: name,type,aliases.")] = None,
    claims: Annotated[Optional[Path], typer.Option(help="Debunked claims: ClaimReview JSON-LD or JSONL.")] = None,
    explain: Annotated[int, typer.Option(help="Explain this many decisions in the summary.")] = 0,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar or summary.")] = False,
    strict: Annotated[bool, typer.Option(help="Exit 1 if any input line was an error.")] = False,
    db: Annotated[Optional[str], typer.Option("--db", help="Persist items, decisions, sanctions and audit events "
                  "here (sqlite:///FILE or postgresql://…); the account's history then shapes each decision.")] = None,
    media_index: Annotated[Optional[Path], typer.Option("--media-index", help="Perceptual-hash index of images "
                           "already seen (JSONL: hash, first_seen, source): loaded, and new images appended.")] = None,
) -> None:
    """Screen every item of INPUT and write one decision (or error record) per line.

    Media paths in posts resolve relative to INPUT's folder. Malformed lines become error records naming
    the line number; the run goes on. A summary (counts by verdict and detector) goes to stderr.
    """
    from brightline.engine import Engine

    try:
        run_options = {"media_recycled": {"index": str(media_index)}} if media_index is not None else None
        engine = Engine(policy, lexicon=lexicon, entities=entities, claims=claims, db=db, detector_options=run_options)
    except BrightlineError as exc:
        fail(str(exc))
    except OSError as exc:
        fail(f"cannot read operator data: {exc}")

    if input == "-":
        stream: BinaryIO = sys.stdin.buffer
        base_path, total = Path.cwd(), None
    else:
        path = Path(input)
        if not path.is_file():
            fail(f"input file {input!r} does not exist or is not a file")
        for acc in _collect_accounts(path):
            engine.add_account(acc)
        stream = path.open("rb")
        base_path, total = path.resolve().parent, path.stat().st_size

    out: IO[str]
    if output is not None:
        output.parent.mkdir(parents=True, exist_ok=True)
        out = output.open("w", encoding="utf-8")
    else:
        out = sys.stdout
    summary = ScreenSummary(explain)
    show_progress = not quiet and total is not None and err.is_terminal
    progress = Progress(
        TextColumn("[bold]screening"),
        BarColumn(),
        TransferSpeedColumn(),
        TimeRemainingColumn(),
        console=err,
        transient=True,
        disable=not show_progress,
    )
    try:
        with progress:
            task = progress.add_task("screen", total=total)
            reader = io.BufferedReader(_CountingReader(stream, lambda n: progress.advance(task, n)))  # type: ignore[arg-type]
            for result in engine.screen_many(read_items(reader, input), base_path=base_path):
                out.write(_dump(result.to_dict()))
                out.write("\n")
                summary.add(result)
    except Exception as exc:  # --db: the database went away mid-run; what was written out is stored
        from sqlalchemy.exc import SQLAlchemyError  # imported here: screening without --db never loads SQLAlchemy

        if not isinstance(exc, SQLAlchemyError):
            raise
        fail(f"database error after {summary.items:,} decision(s), all of them stored: {exc.__class__.__name__}: "
             f"{str(getattr(exc, 'orig', exc)).strip()}. Run the same command again to continue.", code=1)
    finally:
        if output is not None:
            out.close()
        if stream is not sys.stdin.buffer:
            stream.close()
    if not quiet:
        summary.render()
        if output is not None:
            err.print(f"\nDecisions written to [bold]{output}[/]")
    if strict and summary.errors:
        raise typer.Exit(1)
