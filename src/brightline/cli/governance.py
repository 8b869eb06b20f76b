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
    Optional[str],
    typer.Option("--policy", help="Bundled pack name or path whose ladder and review settings apply; default: "
                 "the pack of the database's latest decision."),
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
    """Open the store; without ``create``, the database must already exist and be migrated (checks, reports)."""
    from pathlib import Path

    from sqlalchemy.engine import make_url

    from brightline.store import Store, head_revision, normalize_url

    if not create:
        url = make_url(normalize_url(db))
        if url.get_backend_name() == "sqlite" and url.database and not Path(url.database).is_file():
            fail(f"no database at {url.database}: screen with --db first, or run `brightline db upgrade`")
    try:
        store = Store(db, create=create)
        if not create and store.revision() != head_revision():
            current = store.revision()
            fail(f"{store.display_url} is not a current brightline database (revision {current or 'none'}); "
                 f"run `brightline db upgrade --db {store.display_url}`")
        return store
    except BrightlineError as exc:
        fail(str(exc))


def stored_policy(store: Any) -> str:
    """The pack the database's latest decision was made under, if brightline ships it (else a clear error)."""
    from sqlalchemy import select

    from brightline.policy import DEFAULT_PACK, available_packs
    from brightline.store.tables import DecisionRow

    with store.read() as session:
        ref = session.execute(select(DecisionRow.policy).order_by(DecisionRow.id.desc()).limit(1)).scalar_one_or_none()
    if ref is None:
        return DEFAULT_PACK
    name = ref.rsplit("@", 1)[0]
    if name not in available_packs():
        fail(f"decisions in {store.display_url} were made under {ref}, which is not a bundled pack: "
             "pass --policy with its folder")
    return name


def open_governance(db: str, policy: str | None) -> Any:
    """Governance over the store with the given pack, or the pack the stored decisions were made under."""
    from brightline.governance import Governance

    store = open_store(db)
    try:
        return Governance(store, policy or stored_policy(store))
    except BrightlineError as exc:
        fail(str(exc))


def _raw_store(db: str) -> Any:
    from brightline.store import Store

    try:
        return Store(db, create=False)
    except BrightlineError as exc:
        fail(str(exc))


@db_app.command("upgrade")
def db_upgrade(
    db: DbOption = "sqlite:///brightline.db",
    revision: Annotated[str, typer.Option(help="Target revision (default: the newest).")] = "head",
) -> None:
    """Create the tables in an empty database or migrate an older one (Alembic, shipped in the package)."""
    store = _raw_store(db)
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

    store = _raw_store(db)
    print_json({"database": store.display_url, "revision": store.revision(), "head": head_revision()})


@audit_app.command("verify")
def audit_verify(
    db: DbOption = "sqlite:///brightline.db",
    key_env: Annotated[
        str, typer.Option(help="Environment variable holding the audit key that seals the head (if any).")
    ] = "BRIGHTLINE_AUDIT_KEY",
    anchor: Annotated[
        Optional[str],
        typer.Option(help="SEQ:HASH published earlier (`audit head`): the chain must still contain it."),
    ] = None,
) -> None:
    """Walk the whole chain: exit 1 naming the first edited, reordered, deleted or forged event."""
    import os

    from brightline.governance.audit import check_anchor, verify

    parsed = None
    if anchor is not None:
        seq_text, _, digest = anchor.partition(":")
        if not seq_text.isdigit() or len(digest) != 64:
            fail(f"--anchor is SEQ:HASH as printed by `brightline audit head`, got {anchor!r}")
        parsed = (int(seq_text), digest.lower())
    store = open_store(db, create=False)
    try:
        with store.read() as session:
            result = verify(session, os.environ.get(key_env) or None)
            if result.ok and parsed is not None:
                check_anchor(session, result, *parsed)
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
    print_json({"seq": head.seq, "hash": head.hash, "sealed": head.seal is not None, "anchor": f"{head.seq}:{head.hash}"})



# ---- reports, review, appeals, notices ----

report_app = typer.Typer(help="Submit reports and manage trusted flaggers.", no_args_is_help=True)
review_app = typer.Typer(help="Human review: take the next case, see it, decide it.", no_args_is_help=True)
appeal_app = typer.Typer(help="Appeals against decisions (DSA Art. 20).", no_args_is_help=True)
notices_app = typer.Typer(help="The outbox of notices to reporters and authors.", no_args_is_help=True)
app.add_typer(report_app, name="report")
app.add_typer(review_app, name="review")
app.add_typer(appeal_app, name="appeal")
app.add_typer(notices_app, name="notices")

NowOption = Annotated[
    Optional[str], typer.Option("--now", help="Act as of this ISO-8601 time (backfills, reproducible scripts).")
]


def parse_subject(value: str) -> Any:
    """``post:p1`` or ``account:a1`` → SubjectRef."""
    from brightline.model import SubjectRef

    kind, sep, ident = value.partition(":")
    if not sep or kind not in ("post", "account") or not ident:
        fail(f"a subject is KIND:ID with KIND post or account, e.g. post:p1 (got {value!r})")
    return SubjectRef(kind, ident)


def governed(action: Any) -> Any:
    """Run a governance call; expected refusals (case taken, window closed) exit 1 with their message."""
    try:
        return action()
    except BrightlineError as exc:
        fail(str(exc), code=1)


@report_app.command("submit")
def report_submit(
    subject: Annotated[str, typer.Option("--subject", help="What is reported: post:ID or account:ID.")],
    reason: Annotated[str, typer.Option("--reason", help="Why (e.g. 'fraud', '谣言', 'impersonation').")],
    reporter: Annotated[Optional[str], typer.Option("--reporter", help="Reporting account id.")] = None,
    text: Annotated[str, typer.Option("--text", help="The reporter's explanation.")] = "",
    trusted: Annotated[bool, typer.Option("--trusted", help="Submitted by a trusted flagger (DSA Art. 22).")] = False,
    report_id: Annotated[
        Optional[str], typer.Option("--id", help="Report id; default derived from the content, so a retry is a no-op.")
    ] = None,
    db: DbOption = "sqlite:///brightline.db",
    policy: PolicyOption = None,
    now: NowOption = None,
) -> None:
    """File a report (notice); it joins the open case on its subject or opens one. Prints the decision JSON."""
    import hashlib

    from brightline.model import Report

    ref = parse_subject(subject)
    rid = report_id or "cli-" + hashlib.sha256(
        json.dumps([reporter, subject, reason, text], ensure_ascii=False).encode("utf-8")
    ).hexdigest()[:16]
    report = Report(id=rid, reporter_id=reporter, subject={"kind": ref.kind, "id": ref.id}, reason=reason, text=text,
                    trusted_flagger=trusted)
    gov = open_governance(db, policy)
    decision = governed(lambda: gov.submit_report(report, now=parse_time(now)))
    print_json(decision.to_dict())


@report_app.command("trust")
def report_trust(
    reporter: Annotated[str, typer.Argument(help="Reporter account id.")],
    name: Annotated[Optional[str], typer.Option(help="The trusted flagger's name (shown in statements).")] = None,
    revoke: Annotated[bool, typer.Option("--revoke", help="Withdraw trusted-flagger status.")] = False,
    db: DbOption = "sqlite:///brightline.db",
    policy: PolicyOption = None,
) -> None:
    """Register a trusted flagger: their reports go to the trusted queue, served first."""
    gov = open_governance(db, policy)
    governed(lambda: gov.set_trusted_flagger(reporter, not revoke, name=name))
    err.print(f"{reporter}: {'no longer ' if revoke else ''}a trusted flagger")


@review_app.command("next")
def review_next(
    reviewer: Annotated[str, typer.Option("--reviewer", help="Who is reviewing (recorded in the audit log).")],
    queue: Annotated[Optional[str], typer.Option(help="Only this queue: trusted, urgent, standard, appeals.")] = None,
    db: DbOption = "sqlite:///brightline.db",
    policy: PolicyOption = None,
    now: NowOption = None,
) -> None:
    """Claim the most urgent case (trusted flaggers first, then priority, then due time) and show it."""
    gov = open_governance(db, policy)
    view = governed(lambda: gov.next_case(reviewer, queue=queue, now=parse_time(now)))
    if view is None:
        err.print("no case waiting" + (f" in queue {queue}" if queue else ""))
        print_json({"case": None})
        return
    print_json(view)


@review_app.command("show")
def review_show(
    case_id: Annotated[int, typer.Argument(help="Case number.")],
    db: DbOption = "sqlite:///brightline.db",
    policy: PolicyOption = None,
    now: NowOption = None,
) -> None:
    """A case with its reports, the item, the evidence behind the decision and the account's history."""
    gov = open_governance(db, policy)
    print_json(governed(lambda: gov.case(case_id, now=parse_time(now))))


@review_app.command("decide")
def review_decide(
    case_id: Annotated[int, typer.Argument(help="Case number.")],
    reviewer: Annotated[str, typer.Option("--reviewer", help="Who decides.")],
    action: Annotated[str, typer.Option("--action", help="dismiss, uphold, label, restrict or remove; for appeal "
                                        "cases uphold or reverse.")],
    reason: Annotated[str, typer.Option("--reason", help="Why; goes into the statement of reasons.")],
    rule: Annotated[Optional[list[str]], typer.Option("--rule", help="Pack rule(s) the decision rests on.")] = None,
    step: Annotated[Optional[str], typer.Option(help="Impose at least this ladder step (e.g. closure).")] = None,
    db: DbOption = "sqlite:///brightline.db",
    policy: PolicyOption = None,
    now: NowOption = None,
) -> None:
    """Decide a case. Exits 1 if someone else already decided it or holds the claim."""
    gov = open_governance(db, policy)
    result = governed(lambda: gov.decide(case_id, reviewer, action, reason, rules=rule or None, step=step,
                                         now=parse_time(now)))
    print_json(result)


@appeal_app.command("submit")
def appeal_submit(
    by: Annotated[str, typer.Option("--by", help="The appealing account (the one the decision concerns).")],
    reason: Annotated[str, typer.Option("--reason", help="Why the decision is wrong.")],
    decision: Annotated[Optional[int], typer.Option("--decision", help="Decision number.")] = None,
    subject: Annotated[Optional[str], typer.Option("--subject", help="Or the subject: its latest decision.")] = None,
    db: DbOption = "sqlite:///brightline.db",
    policy: PolicyOption = None,
    now: NowOption = None,
) -> None:
    """Appeal a decision within the pack's window; opens a case in the appeals queue."""
    gov = open_governance(db, policy)
    ref = parse_subject(subject) if subject else None
    print_json(governed(lambda: gov.appeal(by, reason, decision_id=decision, subject=ref, now=parse_time(now))))


@appeal_app.command("decide")
def appeal_decide(
    appeal_id: Annotated[int, typer.Argument(help="Appeal number.")],
    reviewer: Annotated[str, typer.Option("--reviewer", help="Must differ from the original decision's reviewer.")],
    outcome: Annotated[str, typer.Option("--outcome", help="uphold or reverse.")],
    reason: Annotated[str, typer.Option("--reason", help="Why; the appellant is told.")],
    db: DbOption = "sqlite:///brightline.db",
    policy: PolicyOption = None,
    now: NowOption = None,
) -> None:
    """Decide an appeal; a reversal lifts the sanctions and strikes the decision caused."""
    gov = open_governance(db, policy)
    print_json(governed(lambda: gov.decide_appeal(appeal_id, reviewer, outcome, reason, now=parse_time(now))))


@notices_app.command("list")
def notices_list(
    all_: Annotated[bool, typer.Option("--all", help="Include notices already sent.")] = False,
    limit: Annotated[int, typer.Option(help="At most this many.")] = 100,
    db: DbOption = "sqlite:///brightline.db",
    policy: PolicyOption = None,
) -> None:
    """Print the outbox as JSON Lines, oldest first (pending only unless --all)."""
    gov = open_governance(db, policy)
    for n in gov.notices(pending_only=not all_, limit=limit):
        sys.stdout.write(json.dumps(n, ensure_ascii=False) + "\n")


@notices_app.command("mark-sent")
def notices_mark_sent(
    ids: Annotated[list[int], typer.Argument(help="Notice numbers handed to the delivery channel.")],
    db: DbOption = "sqlite:///brightline.db",
    policy: PolicyOption = None,
) -> None:
    """Mark notices as sent so they leave the pending list."""
    gov = open_governance(db, policy)
    n = governed(lambda: gov.mark_sent(ids))
    err.print(f"{n} notice(s) marked sent")


account_app = typer.Typer(help="An account's record: strikes, sanctions in force, negative list.",
                          no_args_is_help=True)
app.add_typer(account_app, name="account")


@account_app.command("show")
def account_show(
    account_id: Annotated[str, typer.Argument(help="Account id.")],
    db: DbOption = "sqlite:///brightline.db",
    now: NowOption = None,
) -> None:
    """Strikes (active and past), sanctions with start and end times, decisions by verdict, negative list."""
    from brightline.governance.audit import AuditWriter
    from brightline.governance.enforcement import account_record
    from brightline.governance.unit import Unit, utcnow

    store = open_store(db, create=False)
    with store.read() as session:
        print_json(account_record(Unit(session, AuditWriter(session), store), account_id,
                                  parse_time(now) or utcnow()))
