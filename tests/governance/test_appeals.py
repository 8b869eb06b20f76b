"""Appeals: within the window, by the account concerned, decided by a different reviewer; a reversal lifts
the strikes and sanctions the decision caused, and the audit log shows both the sanctions and their lifting."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from brightline.engine import Engine
from brightline.governance import AppealError, CaseError, Governance
from brightline.model import Account, Post, Report, SubjectRef
from brightline.store import Store

from .conftest import at


def sanctioned(store: Store, pack_dir: Path) -> tuple[Governance, int]:
    """Account a1 with four diversion posts: the fourth reaches short_ban with suspension and demonetisation."""
    gov = Governance(store, str(pack_dir))
    engine = Engine(str(pack_dir), detectors=[], governance=gov)
    engine.screen(Account(id="a1", display_name="A"), now=at())
    for i in range(4):
        engine.screen(Post(id=f"p{i}", account_id="a1", text=f"wx {i}", topic="contact", created_at=at(i)), now=at(i))
    with store.engine.connect() as conn:
        decision = conn.execute(sa.text("select id from decisions where subject_id = 'p3'")).scalar_one()
    return gov, decision


def in_force(store: Store) -> tuple[int, int]:
    with store.engine.connect() as conn:
        strikes = conn.execute(sa.text("select count(*) from strikes where lifted_at is null")).scalar_one()
        sanctions = conn.execute(sa.text("select count(*) from sanctions where lifted_at is null")).scalar_one()
    return strikes, sanctions


def test_a_reversed_appeal_lifts_what_the_decision_caused(store: Store, pack_dir: Path) -> None:
    gov, decision = sanctioned(store, pack_dir)
    assert in_force(store) == (4, 6)  # reminder, warning, then two short bans of two sanctions each
    filed = gov.appeal("a1", "the number is my shop's public line", decision_id=decision, now=at(5))
    view = gov.next_case("carol", queue="appeals", now=at(5, hours=1))
    assert view["case"]["id"] == filed["case"] and view["appeal"]["reason"].startswith("the number")
    out = gov.decide_appeal(filed["appeal"], "carol", "reverse", "public business number", now=at(5, hours=2))
    assert out["outcome"] == "reversed" and out["lifted"] == {"strikes": 1, "sanctions": 2, "negative_list": 0}
    assert in_force(store) == (3, 4)  # the other posts' strikes and steps stand
    with store.engine.connect() as conn:
        versions = conn.execute(sa.text(
            "select version, source, verdict, reviewer from decisions where subject_id = 'p3' order by version")).all()
        types = [r[0] for r in conn.execute(sa.text(
            "select type from audit_events where subject in ('post:p3', 'account:a1') order by seq"))]
    assert [tuple(v) for v in versions] == [(1, "screen", "restrict", None), (2, "appeal", "allow", "carol")]
    assert types.index("sanction.applied") < types.index("appeal.submitted") < types.index("sanction.lifted")
    assert types.count("sanction.lifted") == 2 and "strike.lifted" in types and types[-1] == "appeal.decided"
    templates = [n["template"] for n in gov.notices() if n["to"] == "a1"]
    assert templates[-2:] == ["appeal_received", "appeal_outcome"]
    assert gov.verify_audit().ok


def test_an_upheld_appeal_changes_nothing(store: Store, pack_dir: Path) -> None:
    gov, decision = sanctioned(store, pack_dir)
    filed = gov.appeal("a1", "unfair", decision_id=decision, now=at(5))
    out = gov.decide_appeal(filed["appeal"], "carol", "uphold", "the handle is a WeChat id", now=at(6))
    assert out["outcome"] == "upheld" and out["new_decision"] is None
    assert in_force(store) == (4, 6)
    with pytest.raises(AppealError, match="already appealed"):
        gov.appeal("a1", "again", decision_id=decision, now=at(7))


def test_appeals_outside_the_window_or_by_others_are_refused(store: Store, pack_dir: Path) -> None:
    gov, decision = sanctioned(store, pack_dir)
    with pytest.raises(AppealError, match="window .* closed on 2025-07-18"):
        gov.appeal("a1", "late", decision_id=decision, now=at(19))
    with pytest.raises(AppealError, match="only the account the decision concerns"):
        gov.appeal("someone", "not mine", decision_id=decision, now=at(5))
    with pytest.raises(AppealError, match="no decision on post nope"):
        gov.appeal("a1", "x", subject=SubjectRef("post", "nope"), now=at(5))
    filed = gov.appeal("a1", "by subject", subject=SubjectRef("post", "p3"), now=at(5))
    assert filed["decision"] == decision


def test_the_original_reviewer_cannot_decide_the_appeal(store: Store, pack_dir: Path) -> None:
    gov, _ = sanctioned(store, pack_dir)
    gov.submit_report(Report(id="r1", reporter_id="u1", subject={"kind": "post", "id": "p0"}, reason="spam"),
                      now=at(4))
    case = gov.next_case("alice", now=at(4))["case"]["id"]
    reviewed = gov.decide(case, "alice", "remove", "confirmed diversion", now=at(4))
    filed = gov.appeal("a1", "please check", decision_id=reviewed["decision"], now=at(5))
    assert gov.next_case("alice", queue="appeals", now=at(5)) is None  # never offered her own decision
    with pytest.raises(AppealError, match="different reviewer than alice"):
        gov.decide_appeal(filed["appeal"], "alice", "reverse", "I was wrong", now=at(5))
    assert gov.decide_appeal(filed["appeal"], "bob", "reverse", "shop number", now=at(5))["outcome"] == "reversed"
    with pytest.raises(CaseError, match="already decided by bob"):
        gov.decide_appeal(filed["appeal"], "carol", "uphold", "late", now=at(6))


def test_appeals_through_the_cli(db_url: str, pack_dir: Path, jsonl_file: Any, brightline: Any) -> None:
    src = jsonl_file([{"kind": "account", "id": "a1", "display_name": "A"},
                      {"kind": "post", "id": "p1", "account_id": "a1", "text": "x", "topic": "contact"}])
    common = ["--db", db_url, "--policy", pack_dir]
    assert brightline("screen", src, *common[:2], "--policy", pack_dir, "-q").returncode == 0
    filed = brightline("appeal", "submit", "--by", "a1", "--subject", "post:p1", "--reason", "wrong", *common)
    assert filed.returncode == 0, filed.stderr
    appeal = str(json.loads(filed.stdout)["appeal"])
    decided = brightline("appeal", "decide", appeal, "--reviewer", "bob", "--outcome", "reverse", "--reason", "ok",
                         *common)
    assert decided.returncode == 0 and json.loads(decided.stdout)["lifted"]["strikes"] == 1
    bad = brightline("appeal", "decide", appeal, "--reviewer", "bob", "--outcome", "maybe", "--reason", "?", *common)
    assert bad.returncode == 1 and "uphold or reverse" in bad.stderr
