"""Governance commands: ``db``, ``audit``, ``report``, ``review``, ``appeal`` and ``notices``.

Every command takes ``--db URL`` (default ``sqlite:///brightline.db``, or the BRIGHTLINE_DB environment
variable). Machine-readable JSON goes to stdout; messages go to stderr. Exit codes: 0 success, 1 the check or
the operation failed (bad audit chain, case already decided), 2 bad usage or unreachable database.
"""

from __future__ import annotations

import json
import sys
from datetime import datetime, timezone
from typing import Annotated, Any, Optional

import typer

from brightline.cli.app import app, err, fail
from brightline.errors import BrightlineError

DbOption = Annotated[
    str,
    typer.Option("--db", envvar="BRIGHTLINE_DB", help="Database URL: sqlite:///FILE or postgresql://user@host/db."),
]
PolicyOption = Annotated[
    str, typer.Option("--policy", help="Bundled pack name or path; its ladder and review settings apply.")
]

db_app = typer.Typer(help="Create or migrate the governance database.", no_args_is_help=True)
audit_app = typer.Typer(help="Check the hash-chained audit log.", no_args_is_help=True)
app.add_typer(db_app, name="db")
app.add_typer(audit_app, name="audit")


def print_json(obj: Any) -> None:
    sys.stdout.write(json.dumps(obj, ensure_ascii=False, indent=2, default=str) + "\n")


def parse_time(value: str | None) -> datetime | None:
    """``--now`` values: ISO-8601; a date or naive time is taken as UTC."""
    if value is None:
        return None
    try:
        t = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        fail(f"not an ISO-8601 time: {value!r}")
    return t if t.tzinfo else t.replace(tzinfo=timezone.utc)


def open_store(db: str, *, create: bool = True) -> Any:
    from brightline.store import Store

    try:
        return Store(db, create=create)
    except BrightlineError as exc:
        fail(str(exc))


def open_governance(db: str, policy: str) -> Any:
    from brightline.governance import Governance

    try:
        return Governance(open_store(db), policy)
    except BrightlineError as exc:
        fail(str(exc))


@db_app.command("upgrade")
def db_upgrade(
    db: DbOption = "sqlite:///brightline.db",
    revision: Annotated[str, typer.Option(help="Target revision (default: the newest).")] = "head",
) -> None:
    """Create the tables in an empty database or migrate an older one (Alembic, shipped in the package)."""
    store = open_store(db, create=False)
    before = store.revision()
    try:
        store.upgrade(revision)
    except BrightlineError as exc:
        fail(str(exc))
    after = store.revision()
    err.print(f"{store.display_url}: {before or 'empty'} → {after}")


@db_app.command("current")
def db_current(db: DbOption = "sqlite:///brightline.db") -> None:
    """Print the database's migration revision and the newest one this brightline ships."""
    from brightline.store import head_revision

    store = open_store(db, create=False)
    print_json({"database": store.display_url, "revision": store.revision(), "head": head_revision()})


@audit_app.command("verify")
def audit_verify(
    db: DbOption = "sqlite:///brightline.db",
    key_env: Annotated[
        str, typer.Option(help="Environment variable holding the audit key that seals the head (if any).")
    ] = "BRIGHTLINE_AUDIT_KEY",
) -> None:
    """Walk the whole chain: exit 1 naming the first edited, reordered, deleted or forged event."""
    import os

    from brightline.governance.audit import verify

    store = open_store(db, create=False)
    try:
        with store.read() as session:
            result = verify(session, os.environ.get(key_env) or None)
    except Exception as exc:  # a dropped table or unreachable server is a failed check, not a crash
        fail(f"cannot read the audit log of {store.display_url}: {exc}", code=1)
    print_json(result.to_dict())
    if not result.ok:
        err.print(f"[bold red]audit chain broken[/] at event {result.bad_seq}: {result.problem}")
        raise typer.Exit(1)
    err.print(f"audit chain intact: {result.events:,} events, head {result.head_seq} {result.head_hash[:16]}…")


@audit_app.command("head")
def audit_head(db: DbOption = "sqlite:///brightline.db") -> None:
    """Print the chain head (sequence and hash). Publish it elsewhere to anchor the log against rewriting."""
    from sqlalchemy import select

    from brightline.store.tables import AuditHeadRow

    store = open_store(db, create=False)
    with store.read() as session:
        head = session.execute(select(AuditHeadRow).where(AuditHeadRow.id == 1)).scalar_one_or_none()
    if head is None:
        fail("the audit head row is missing", code=1)
    print_json({"seq": head.seq, "hash": head.hash, "sealed": head.seal is not None})
