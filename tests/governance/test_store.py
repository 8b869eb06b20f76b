"""The store: migrations on an empty and on a previous-revision database, idempotent re-screening, versions."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from brightline.engine import Engine
from brightline.governance import Governance
from brightline.model import Account, Post
from brightline.store import Store, StoreError, head_revision

from .conftest import at, write_pack


def counts(store: Store) -> dict[str, int]:
    names = ("items", "decisions", "signals", "strikes", "sanctions", "audit_events", "notices")
    with store.engine.connect() as conn:
        return {n: conn.execute(sa.text(f"select count(*) from {n}")).scalar_one() for n in names}


def test_empty_database_is_migrated_to_the_models_exactly(db_url: str) -> None:
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    from brightline.store.tables import Base

    store = Store(db_url)
    try:
        assert store.revision() == head_revision()
        with store.engine.connect() as conn:
            ctx = MigrationContext.configure(conn, opts={"compare_type": True, "version_table": "brightline_version"})
            diffs = [d for d in compare_metadata(ctx, Base.metadata) if "brightline_version" not in str(d)]
        assert diffs == []
    finally:
        store.dispose()


def test_database_at_the_previous_revision_upgrades_and_keeps_its_data(db_url: str) -> None:
    old = Store(db_url, create=False)
    old.upgrade("0001")
    assert old.revision() == "0001"
    now = at().replace(tzinfo=None)
    with old.engine.begin() as conn:  # rows exactly as a 0001-era brightline wrote them
        conn.execute(
            sa.text(
                "insert into items (kind, external_id, account_id, content_hash, content_version, payload, "
                "first_seen, last_seen) values ('post', 'p-old', 'a-old', :h, 1, :p, :t, :t)"
            ),
            {"h": "a" * 64, "p": json.dumps({"kind": "post", "id": "p-old"}), "t": now},
        )
        conn.execute(
            sa.text(
                "insert into decisions (item_id, subject_kind, subject_id, account_id, version, source, content_hash,"
                " policy, policy_hash, verdict, automated, rules, categories, statement, body, occurred_at, "
                "decided_at) values (1, 'post', 'p-old', 'a-old', 1, 'screen', :h, 'x@1', :h, 'remove', :auto, "
                "'[]', '[]', 's', :b, :t, :t)"
            ),
            {"h": "a" * 64, "b": json.dumps({"verdict": "remove"}), "t": now, "auto": True},
        )
    with pytest.raises(StoreError, match="brightline db upgrade"):
        Store(db_url)  # an old database is never used silently
    old.upgrade()
    assert old.revision() == head_revision()
    with old.engine.connect() as conn:
        row = conn.execute(sa.text("select verdict, reviewer, supersedes_id from decisions")).one()
        assert tuple(row) == ("remove", None, None)
        assert conn.execute(sa.text("select count(*) from strikes")).scalar_one() == 0
    old.dispose()
    Store(db_url).dispose()  # now accepted


def test_rescreening_the_same_item_is_idempotent(store: Store, pack_dir: Path) -> None:
    engine = Engine(str(pack_dir), detectors=[], governance=Governance(store, str(pack_dir)))
    engine.screen(Account(id="a1", display_name="A"), now=at())
    post = Post(id="p1", account_id="a1", text="hello", topic="contact", created_at=at())
    first = engine.screen(post, now=at()).to_dict()
    before = counts(store)
    again = engine.screen(post, now=at(days=3)).to_dict()
    assert again == first
    assert counts(store) == before  # no new item, decision, strike, sanction, notice or audit event
    assert before["decisions"] == 2 and before["strikes"] == 1


def test_changed_content_or_policy_makes_a_new_decision_version(store: Store, tmp_path: Path) -> None:
    v1 = write_pack(tmp_path / "v1")
    gov = Governance(store, str(v1))
    engine = Engine(str(v1), detectors=[], governance=gov)
    engine.screen(Post(id="p1", account_id="a1", text="plain"), now=at())
    edited = engine.screen(Post(id="p1", account_id="a1", text="now AI", topic="ai"), now=at(1))
    assert edited.verdict == "label"
    v2 = write_pack(tmp_path / "v2", version=2)
    engine2 = Engine(str(v2), detectors=[], governance=Governance(store, str(v2)))
    engine2.screen(Post(id="p1", account_id="a1", text="now AI", topic="ai"), now=at(2))
    with store.engine.connect() as conn:
        rows = conn.execute(sa.text("select version, policy, verdict, content_hash from decisions order by version")).all()
        items = conn.execute(sa.text("select count(*), max(content_version) from items")).one()
    assert [(r[0], r[1], r[2]) for r in rows] == [(1, "gov-test@1", "allow"), (2, "gov-test@1", "label"),
                                                   (3, "gov-test@2", "label")]
    assert rows[1][3] == rows[2][3] != rows[0][3]
    assert tuple(items) == (1, 2)


def test_accounts_from_an_earlier_run_are_known_to_later_runs(store: Store, pack_dir: Path) -> None:
    Engine(str(pack_dir), detectors=[], governance=Governance(store, str(pack_dir))).screen(
        Account(id="doc", display_name="Dr. Li", qualifications=[{"domain": "medical", "issuer": "NHC"}]), now=at()
    )
    later = Engine(str(pack_dir), detectors=[], governance=Governance(store, str(pack_dir)))
    later.screen(Post(id="p9", account_id="doc", text="x"), now=at(1))
    assert "doc" in later.accounts and later.accounts["doc"].qualifications[0].domain == "medical"


def test_screen_cli_persists_and_a_second_run_adds_nothing(
    db_url: str, pack_dir: Path, jsonl_file: Any, brightline: Any
) -> None:
    lines = [
        {"kind": "account", "id": "a1", "display_name": "A"},
        {"kind": "post", "id": "p1", "account_id": "a1", "text": "x", "topic": "contact"},
        "{broken json",
        {"kind": "post", "id": "p2", "account_id": "a1", "text": "y", "topic": "ai"},
        {"kind": "report", "id": "r1", "reporter_id": "a9", "subject": {"kind": "post", "id": "p2"}, "reason": "spam"},
    ]
    src = jsonl_file(lines)
    first = brightline("screen", src, "--policy", pack_dir, "--db", db_url, "-q")
    assert first.returncode == 0, first.stderr
    assert [r.get("kind") == "error" for r in first.records] == [False, False, True, False, False]
    store = Store(db_url)
    try:
        before = counts(store)
        assert before["items"] == 4 and before["decisions"] == 4
        second = brightline("screen", src, "--policy", pack_dir, "--db", db_url, "-q")
        assert second.returncode == 0, second.stderr
        assert second.records == first.records
        assert counts(store) == before
        report = first.records[4]
        assert report["verdict"] == "review"
        assert any(a["type"] == "escalate_review" for a in report["actions"])
    finally:
        store.dispose()


def test_bad_database_url_is_a_clear_error(brightline: Any, jsonl_file: Any) -> None:
    src = jsonl_file([{"kind": "post", "id": "p1", "text": "x"}])
    run = brightline("screen", src, "--db", "mysql://nobody@localhost/x", "-q")
    assert run.returncode == 2
    assert "unsupported database" in run.stderr


def test_hostile_items_get_an_error_and_nothing_else_is_lost(
    db_url: str, pack_dir: Path, jsonl_file: Any, brightline: Any
) -> None:
    lines = [
        {"kind": "post", "id": "nul", "account_id": "a1", "text": "加我\u0000薇 abc", "topic": "contact"},
        {"kind": "post", "id": "x" * 300, "account_id": "a1", "text": "long id"},
        {"kind": "post", "id": "ctl\u0001", "account_id": "a1", "text": "control char in id"},
        {"kind": "report", "id": "r1", "subject": {"kind": "post", "id": "nul"}, "reason": "spam\u0000",
         "text": "\u0000"},
        {"kind": "post", "id": "fine", "account_id": "a1", "text": "ok"},
        {"kind": "post", "id": "y9999", "account_id": "a1", "text": "x", "topic": "contact",
         "created_at": "9999-12-31T23:59:59Z"},
        {"kind": "post", "id": "y1", "account_id": "a1", "text": "x", "topic": "contact",
         "created_at": "0001-01-01T00:00:00Z"},
    ]
    run = brightline("screen", jsonl_file(lines), "--policy", pack_dir, "--db", db_url, "-q")
    assert run.returncode == 0, run.stderr
    records = run.records
    assert [r.get("kind") == "error" for r in records] == [False, True, True, False, False, False, False]
    # implausible timestamps are not believed: the strikes still count, at screening time
    assert [next(a["step"] for a in r["actions"] if a["type"] == "strike") for r in records[5:]] == [
        "warning", "short_ban"]
    assert "255" in records[1]["error"] and "control character" in records[2]["error"]
    store = Store(db_url)
    try:
        with store.engine.connect() as conn:
            payload = conn.execute(sa.text("select payload from items where external_id = 'nul'")).scalar_one()
        payload = json.loads(payload) if isinstance(payload, str) else payload
        assert payload["text"] == "加我\u0000薇 abc"  # kept exactly, NUL included
        assert Governance(store, str(pack_dir)).verify_audit().ok
    finally:
        store.dispose()


def test_reviewer_names_are_validated(store: Store, pack_dir: Path) -> None:
    from brightline.governance import CaseError

    gov = Governance(store, str(pack_dir))
    for bad in ("", "a" * 200, "eve\u0000"):
        with pytest.raises(CaseError, match="reviewer must be"):
            gov.next_case(bad)
