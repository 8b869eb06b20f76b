"""Reports and review: deduplicated cases, priority and queues with SLAs, atomic claims, decisions, notices."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from brightline.engine import Engine
from brightline.governance import CaseError, Governance
from brightline.model import Account, Post, Report
from brightline.store import Store

from .conftest import at


def report(rid: str, subject: str, reason: str = "spam", reporter: str | None = "u1", **extra: Any) -> Report:
    kind, ident = subject.split(":")
    return Report(id=rid, reporter_id=reporter, subject={"kind": kind, "id": ident}, reason=reason, **extra)


def seeded(store: Store, pack_dir: Path) -> tuple[Governance, Engine]:
    gov = Governance(store, str(pack_dir))
    engine = Engine(str(pack_dir), detectors=[], governance=gov)
    engine.screen(Account(id="a1", display_name="A", followers=120_000), now=at())
    engine.screen(Account(id="u1", display_name="Reporter", language="zh"), now=at())
    engine.screen(Post(id="p1", account_id="a1", text="contact me", topic="contact", views=50_000), now=at())
    engine.screen(Post(id="p2", account_id="a1", text="just a post"), now=at())
    engine.screen(Post(id="p3", account_id="a1", text="another post"), now=at())
    return gov, engine


def scalar(store: Store, query: str) -> Any:
    with store.engine.connect() as conn:
        return conn.execute(sa.text(query)).scalar_one()


def test_reports_on_one_subject_become_one_case(store: Store, pack_dir: Path) -> None:
    gov, _ = seeded(store, pack_dir)
    first = gov.submit_report(report("r1", "post:p2"), now=at(hours=1)).to_dict()
    second = gov.submit_report(report("r2", "post:p2", reason="fraud", reporter="u2"), now=at(hours=2)).to_dict()
    again = gov.submit_report(report("r1", "post:p2"), now=at(hours=3)).to_dict()  # the same report re-sent
    case_ids = {a["case"] for d in (first, second, again) for a in d["actions"] if a["type"] == "escalate_review"}
    assert len(case_ids) == 1 and first["verdict"] == "review"
    assert again == first
    view = gov.case(case_ids.pop(), now=at(hours=4))
    assert [r["id"] for r in view["reports"]] == ["r1", "r2"]
    assert view["case"]["reports"] == 2 and view["case"]["severity"] == 4  # "fraud" raised it
    assert view["case"]["queue"] == "urgent"
    assert scalar(store, "select count(*) from reports") == 2


def test_priority_weighs_severity_reach_and_trusted_flaggers_come_first(store: Store, pack_dir: Path) -> None:
    gov, _ = seeded(store, pack_dir)
    gov.submit_report(report("low", "post:p3", reason="spam"), now=at(hours=1))
    gov.submit_report(report("reach", "post:p1", reason="spam"), now=at(hours=1))  # p1 restricted + 50k views
    gov.set_trusted_flagger("ngo-1", name="Fact NGO")
    gov.submit_report(report("tf", "post:p2", reason="spam", reporter="ngo-1"), now=at(hours=2))
    order = [gov.next_case(f"rev{i}", now=at(hours=3))["subject"]["id"] for i in range(3)]
    assert order == ["p2", "p1", "p3"]
    views = {gov.case(i)["subject"]["id"]: gov.case(i)["case"] for i in (1, 2, 3)}
    assert views["p2"]["queue"] == "trusted" and views["p2"]["trusted"]
    assert views["p1"]["priority"] > views["p3"]["priority"]
    # SLA: a case is due its queue's sla_hours after the report (trusted 24 h, urgent 24 h, standard 72 h)
    assert views["p2"]["due_at"].startswith("2025-07-02T10:00")
    assert views["p1"]["queue"] == "urgent" and views["p1"]["due_at"].startswith("2025-07-02T09:00")
    assert views["p3"]["queue"] == "standard" and views["p3"]["due_at"].startswith("2025-07-04T09:00")


def test_claims_are_exclusive_and_expire(store: Store, pack_dir: Path) -> None:
    gov, _ = seeded(store, pack_dir)
    gov.submit_report(report("r1", "post:p2"), now=at(hours=1))
    gov.submit_report(report("r2", "post:p3"), now=at(hours=1))
    a = gov.next_case("alice", now=at(hours=2))
    b = gov.next_case("bob", now=at(hours=2))
    assert a["case"]["id"] != b["case"]["id"]
    assert gov.next_case("carol", now=at(hours=2)) is None  # both taken
    assert gov.next_case("alice", now=at(hours=2))["case"]["id"] == a["case"]["id"]  # her own claim again
    later = gov.next_case("carol", now=at(hours=3))  # 60 min later alice's and bob's claims have lapsed
    assert later is not None and later["case"]["claimed_by"] == "carol"
    with pytest.raises(CaseError, match="claimed by carol"):
        gov.decide(later["case"]["id"], "dave", "dismiss", "no issue", now=at(hours=3, days=0))


def test_a_decision_updates_the_record_notifies_and_cannot_be_repeated(store: Store, pack_dir: Path) -> None:
    gov, _ = seeded(store, pack_dir)
    gov.submit_report(report("r1", "post:p2", reason="谣言"), now=at(hours=1))
    case = gov.next_case("alice", now=at(hours=2))["case"]["id"]
    out = gov.decide(case, "alice", "remove", "fabricated casualty figures", rules=["claims.debunked"],
                     now=at(hours=3))
    assert out["verdict"] == "remove" and out["step"] == "warning"  # p1's diversion strike + this one = 2
    view = gov.case(case, now=at(hours=3))
    latest = view["decision"]
    assert latest["automated"] is False and "fabricated casualty figures" in latest["statement"]
    assert [h["source"] for h in view["history"]] == ["screen", "review"] and view["history"][1]["reviewer"] == "alice"
    assert view["reports"][0]["outcome"] == "upheld"
    assert view["account"]["active_strike_weight"] == 2
    with pytest.raises(CaseError, match="already decided by alice"):
        gov.decide(case, "bob", "dismiss", "looks fine", now=at(hours=4))
    notices = gov.notices()
    outcome = next(n for n in notices if n["template"] == "report_outcome")
    assert outcome["to"] == "u1" and outcome["language"] == "zh" and "删除" in outcome["body"]
    author = [n for n in notices if n["template"] == "decision" and n["decision"] == out["decision"]]
    assert author and author[0]["to"] == "a1" and "appeal until 2025-07-15" in author[0]["body"]
    assert scalar(store, "select reports_upheld from reporters where reporter_id = 'u1'") == 1


def test_dismissing_a_report_on_an_enforced_post_lifts_its_strike(store: Store, pack_dir: Path) -> None:
    gov, _ = seeded(store, pack_dir)
    gov.submit_report(report("r1", "post:p1", reason="spam"), now=at(hours=1))
    case = gov.next_case("alice", now=at(hours=2))["case"]["id"]
    out = gov.decide(case, "alice", "dismiss", "the number is a public hotline", now=at(hours=2))
    assert out["verdict"] == "allow" and out["lifted"] == {"strikes": 1, "sanctions": 1, "negative_list": 0}
    assert scalar(store, "select count(*) from strikes where lifted_at is null") == 0
    assert scalar(store, "select reports_rejected from reporters where reporter_id = 'u1'") == 1


def test_bad_review_input_is_refused_without_side_effects(store: Store, pack_dir: Path) -> None:
    gov, _ = seeded(store, pack_dir)
    gov.submit_report(report("r1", "post:p2"), now=at(hours=1))
    before = scalar(store, "select count(*) from audit_events")
    for kwargs, message in [
        ({"action": "obliterate"}, "unknown action"),
        ({"action": "remove", "rules": ["no.such.rule"]}, "no rule"),
        ({"action": "remove", "step": "exile"}, "no ladder step"),
        ({"action": "remove", "reason": "  "}, "reason is required"),
        ({"action": "uphold", "case": 99}, "no case 99"),
    ]:
        args = {"reason": "x", **kwargs}
        with pytest.raises(CaseError, match=message):
            gov.decide(args.pop("case", 1), "alice", args.pop("action"), args.pop("reason"), now=at(hours=2), **args)
    assert scalar(store, "select count(*) from audit_events") == before
    assert scalar(store, "select status from cases where id = 1") == "open"


def test_review_through_the_cli(db_url: str, pack_dir: Path, jsonl_file: Any, brightline: Any) -> None:
    src = jsonl_file([
        {"kind": "account", "id": "a1", "display_name": "A"},
        {"kind": "post", "id": "p1", "account_id": "a1", "text": "call me", "topic": "contact"},
    ])
    assert brightline("screen", src, "--policy", pack_dir, "--db", db_url, "-q").returncode == 0
    common = ["--db", db_url, "--policy", pack_dir]
    sub = brightline("report", "submit", "--subject", "post:p1", "--reason", "fraud", "--reporter", "u7", *common)
    assert sub.returncode == 0, sub.stderr
    assert json.loads(sub.stdout)["verdict"] == "review"
    nxt = brightline("review", "next", "--reviewer", "alice", *common)
    view = json.loads(nxt.stdout)
    assert view["evidence"] == [] and view["decision"]["rules"] == ["diversion.contact"]
    assert view["account"]["strikes"][0]["category"] == "diversion"
    case = str(view["case"]["id"])
    ok = brightline("review", "decide", case, "--reviewer", "alice", "--action", "uphold", "--reason", "confirmed",
                    *common)
    assert ok.returncode == 0, ok.stderr
    again = brightline("review", "decide", case, "--reviewer", "bob", "--action", "dismiss", "--reason", "no", *common)
    assert again.returncode == 1 and "already decided" in again.stderr
    outbox = [json.loads(line) for line in brightline("notices", "list", *common).stdout.splitlines()]
    assert {n["template"] for n in outbox} >= {"report_received", "report_outcome", "decision"}
    empty = brightline("review", "next", "--reviewer", "bob", *common)
    assert json.loads(empty.stdout) == {"case": None}


def test_without_policy_the_cli_uses_the_pack_the_decisions_were_made_under(
    db_url: str, pack_dir: Path, jsonl_file: Any, brightline: Any
) -> None:
    src = jsonl_file([{"kind": "post", "id": "p1", "account_id": "a1", "text": "x", "topic": "contact"}])
    assert brightline("screen", src, "--policy", pack_dir, "--db", db_url, "-q").returncode == 0
    custom = brightline("review", "next", "--reviewer", "alice", "--db", db_url)
    assert custom.returncode == 2 and "gov-test@1, which is not a bundled pack" in custom.stderr
    bundled = jsonl_file([{"kind": "post", "id": "p2", "account_id": "a1", "text": "你好"}], name="b.jsonl")
    assert brightline("screen", bundled, "--policy", "eu-dsa-aiact", "--db", db_url, "-q").returncode == 0
    sub = brightline("report", "submit", "--subject", "post:p2", "--reason", "spam", "--db", db_url)
    assert sub.returncode == 0 and json.loads(sub.stdout)["policy"] == "eu-dsa-aiact@1"
