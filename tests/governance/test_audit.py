"""The hash-chained audit log: any edit, reorder, deletion or forged tail made in SQL is found by
``brightline audit verify``, which names the first bad event and exits non-zero."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from brightline.engine import Engine
from brightline.governance import Governance
from brightline.governance.audit import canonical_json, chain_hash, iso, seal, verify
from brightline.model import Account, Post
from brightline.store import Store

from .conftest import at


@pytest.fixture
def busy_store(store: Store, pack_dir: Path) -> Store:
    """A store with a few dozen audit events: accounts, posts, strikes, sanctions, notices."""
    engine = Engine(str(pack_dir), detectors=[], governance=Governance(store, str(pack_dir), audit_key="k1"))
    engine.screen(Account(id="a1", display_name="A", bio="hi"), now=at())
    for i in range(5):
        engine.screen(Post(id=f"p{i}", account_id="a1", text=f"t{i}", topic="contact", created_at=at(i)), now=at(i))
    return store


def sql(store: Store, statement: str, **params: Any) -> None:
    with store.engine.begin() as conn:
        conn.execute(sa.text(statement), params)


def last_seq(store: Store) -> int:
    with store.engine.connect() as conn:
        return conn.execute(sa.text("select max(seq) from audit_events")).scalar_one()


def check(store: Store, key: str | None = None) -> Any:
    with store.read() as session:
        return verify(session, key)


def cli_verify(brightline: Any, store: Store, key: str | None = None) -> Any:
    import os

    env_key = "BRIGHTLINE_TEST_AUDIT_KEY"
    os.environ[env_key] = key or ""
    try:
        return brightline("audit", "verify", "--db", store.url, "--key-env", env_key)
    finally:
        del os.environ[env_key]


def test_an_untouched_chain_verifies(busy_store: Store, brightline: Any) -> None:
    result = check(busy_store, key="k1")
    assert result.ok, result.problem
    assert result.events == last_seq(busy_store) > 20
    run = cli_verify(brightline, busy_store, key="k1")
    assert run.returncode == 0, run.stderr
    assert json.loads(run.stdout)["ok"] is True


def test_an_edited_event_body_is_named(busy_store: Store, brightline: Any) -> None:
    sql(busy_store, "update audit_events set body = replace(body, '\"verdict\":\"restrict\"', '\"verdict\":\"allow\"')"
                    " where seq = (select min(seq) from audit_events where type = 'decision.made' and body like "
                    "'%restrict%')")
    result = check(busy_store)
    assert not result.ok and "edited" in result.problem
    run = cli_verify(brightline, busy_store)
    assert run.returncode == 1
    out = json.loads(run.stdout)
    assert out["first_bad_event"] == result.bad_seq
    assert f"event {result.bad_seq}" in run.stderr


def test_an_edited_column_is_found_even_when_the_body_is_intact(busy_store: Store) -> None:
    sql(busy_store, "update audit_events set actor = 'someone-else' where seq = 3")
    result = check(busy_store)
    assert not result.ok and result.bad_seq == 3 and "actor" in result.problem


def test_a_deleted_event_is_found(busy_store: Store) -> None:
    sql(busy_store, "delete from audit_events where seq = 7")
    result = check(busy_store)
    assert not result.ok and result.bad_seq == 7 and "deleted" in result.problem


def test_reordered_events_are_found(busy_store: Store) -> None:
    # Swap events 5 and 6 by renumbering them: the rows stay, their order changes.
    sql(busy_store, "update audit_events set seq = -5 where seq = 5")
    sql(busy_store, "update audit_events set seq = 5 where seq = 6")
    sql(busy_store, "update audit_events set seq = 6 where seq = -5")
    result = check(busy_store)
    assert not result.ok and result.bad_seq == 5 and "reordered" in result.problem


def test_a_cut_tail_is_found(busy_store: Store) -> None:
    n = last_seq(busy_store)
    sql(busy_store, "delete from audit_events where seq > :n", n=n - 2)
    result = check(busy_store)
    assert not result.ok and result.bad_seq == n - 1 and "deleted" in result.problem


def forge_tail(store: Store, *, move_head: bool) -> int:
    """Append one well-chained event the way an attacker with SQL access would."""
    with store.engine.begin() as conn:
        seq, prev = conn.execute(sa.text("select seq, hash from audit_events order by seq desc limit 1")).one()
        when = at(8)
        at_text = iso(when)
        if not store.is_postgres:
            when = when.replace(tzinfo=None)  # SQLite keeps naive UTC text
        body = canonical_json({"seq": seq + 1, "at": at_text, "type": "strike.lifted", "actor": "brightline",
                               "subject": "account:a1", "account": "a1", "data": {"strike": 1, "reason": "forged"}})
        digest = chain_hash(prev, body)
        conn.execute(
            sa.text("insert into audit_events (seq, at, type, actor, subject, account_id, body, prev_hash, hash) "
                    "values (:s, :at, 'strike.lifted', 'brightline', 'account:a1', 'a1', :b, :p, :h)"),
            {"s": seq + 1, "at": when, "b": body, "p": prev, "h": digest},
        )
        if move_head:
            conn.execute(sa.text("update audit_head set seq = :s, hash = :h, seal = :seal"),
                         {"s": seq + 1, "h": digest, "seal": seal("attacker-guess", seq + 1, digest)})
    return seq + 1


def test_a_forged_tail_is_found(busy_store: Store) -> None:
    forged = forge_tail(busy_store, move_head=False)
    result = check(busy_store)
    assert not result.ok and result.bad_seq == forged and "outside brightline" in result.problem


def test_a_forged_tail_with_a_moved_head_is_found_by_the_seal(busy_store: Store, brightline: Any) -> None:
    forge_tail(busy_store, move_head=True)
    assert check(busy_store, key=None).ok  # without the key a perfect rewrite is indistinguishable…
    result = check(busy_store, key="k1")  # …with it, the head seal gives the forger away
    assert not result.ok and "seal" in result.problem
    assert cli_verify(brightline, busy_store, key="k1").returncode == 1


def test_a_deleted_head_row_fails_verification(busy_store: Store) -> None:
    sql(busy_store, "delete from audit_head")
    result = check(busy_store)
    assert not result.ok and "head" in result.problem


def test_verifying_a_missing_database_fails(brightline: Any, tmp_path: Path) -> None:
    run = brightline("audit", "verify", "--db", f"sqlite:///{tmp_path / 'absent.db'}")
    assert run.returncode != 0 and "no database" in run.stderr


def test_a_published_anchor_exposes_a_rewritten_chain_without_any_key(busy_store: Store, brightline: Any) -> None:
    head = json.loads(brightline("audit", "head", "--db", busy_store.url).stdout)
    anchor = head["anchor"]
    assert brightline("audit", "verify", "--db", busy_store.url, "--anchor", anchor).returncode == 0
    # Rewrite event 2 and re-chain everything after it, head included: a perfect forgery without the key.
    with busy_store.engine.begin() as conn:
        rows = conn.execute(sa.text("select seq, body, prev_hash from audit_events order by seq")).all()
        prev = rows[0][2]
        for seq, body, _ in rows:
            if seq == 1:
                prev = chain_hash(prev, body)
                continue
            if seq == 2:
                body = body.replace('"version":1', '"version":7')
            digest = chain_hash(prev, body)
            conn.execute(sa.text("update audit_events set body = :b, prev_hash = :p, hash = :h where seq = :s"),
                         {"b": body, "p": prev, "h": digest, "s": seq})
            prev = digest
        conn.execute(sa.text("update audit_head set hash = :h, seal = null"), {"h": prev})
    assert check(busy_store).ok  # the chain is self-consistent again…
    run = brightline("audit", "verify", "--db", busy_store.url, "--anchor", anchor)
    assert run.returncode == 1 and "rewritten" in run.stderr  # …but not with what was published
    bad = brightline("audit", "verify", "--db", busy_store.url, "--anchor", "12:nothex")
    assert bad.returncode == 2


def test_account_show_lists_strikes_and_sanctions(busy_store: Store, brightline: Any) -> None:
    run = brightline("account", "show", "a1", "--db", busy_store.url, "--now", "2025-07-05T12:00:00Z")
    assert run.returncode == 0, run.stderr
    record = json.loads(run.stdout)
    assert len(record["strikes"]) == 5 and record["active_strike_weight"] == 5
    in_force = [s for s in record["sanctions"] if s["in_force"] and s["type"] == "suspend_account"]
    assert in_force and in_force[0]["ends_at"].startswith("2025-07-1")
