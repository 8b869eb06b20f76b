"""The enforcement ladder: strikes add up and expire, thresholds reach sanctions, and history escalates."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from brightline.engine import Engine
from brightline.errors import PolicyError
from brightline.governance import Governance
from brightline.governance.ladder import History, NewStrike, PastSanction, evaluate, load_ladder
from brightline.model import Account, Post, Signal
from brightline.policy import load_pack
from brightline.store import Store

from .conftest import LADDER, at

CONFIG = load_ladder(__import__("yaml").safe_load(LADDER)["ladder"])


def kinds(actions: list[dict[str, Any]]) -> list[str]:
    return [a["type"] for a in actions]


# ---- the pure ladder ----


def test_thresholds_pick_the_highest_step_reached() -> None:
    strike = NewStrike(1, "spam", "r1")
    assert evaluate(CONFIG, History(), strike, [], at()).step == "reminder"
    assert evaluate(CONFIG, History(active_weight=1), strike, [], at()).step == "warning"
    short = evaluate(CONFIG, History(active_weight=3), strike, [], at(2))
    assert short.step == "short_ban"
    suspend, demonetize = short.sanctions
    assert (suspend.type, suspend.params["days"], suspend.ends_at) == ("suspend_account", 7, at(9))
    assert demonetize.params["measures"] == ["tipping", "live_stream"] and demonetize.ends_at == at(32)
    assert "until 2025-07-10" in short.statement["en"] and "打赏、直播" in short.statement["zh"]
    closed = evaluate(CONFIG, History(active_weight=12), strike, [], at())
    assert closed.step == "closure" and closed.negative_list
    assert all(s.ends_at is None for s in closed.sanctions)  # permanent


def test_below_the_first_step_only_the_strike_is_recorded() -> None:
    out = evaluate(CONFIG, History(), NewStrike(0.5, "source", "r"), [], at())
    assert out.step is None and out.sanctions == []
    assert kinds(out.actions()) == ["strike"]
    assert "0.5" in out.statement["en"]


def test_a_repeat_after_a_warning_escalates_only_in_its_category() -> None:
    warned = History(active_weight=2, sanctions=[PastSanction("warning", "diversion", at())])
    repeat = evaluate(CONFIG, warned, NewStrike(1, "diversion", "d"), [], at(1))
    assert repeat.step == "short_ban" and repeat.escalations == ["diversion-after-warning"]
    other = evaluate(CONFIG, warned, NewStrike(1, "impersonation", "i"), [], at(1))
    assert other.step == "warning" and other.escalations == []
    stale = History(active_weight=2, sanctions=[PastSanction("warning", "diversion", at(-200))])
    assert evaluate(CONFIG, stale, NewStrike(1, "diversion", "d"), [], at()).escalations == []


def test_a_debunked_repost_after_notice_escalates_by_evidence() -> None:
    noticed = History(active_weight=1, sanctions=[PastSanction("reminder", "false_information", at())])
    after = [Signal("claims.debunked", 0.9, {"claim_id": "c1", "after_debunk": True})]
    before = [Signal("claims.debunked", 0.9, {"claim_id": "c1", "after_debunk": False})]
    up = evaluate(CONFIG, noticed, NewStrike(1, "false_information", "c"), after, at(1))
    assert up.step == "short_ban" and "debunked-repost-after-notice" in up.escalations
    assert up.statement["en"].startswith("Reposted a debunked claim after notice.")
    assert evaluate(CONFIG, noticed, NewStrike(1, "false_information", "c"), before, at(1)).step == "warning"
    assert evaluate(CONFIG, History(), NewStrike(1, "false_information", "c"), after, at(1)).step == "reminder"


def test_a_reviewer_can_impose_a_minimum_step() -> None:
    out = evaluate(CONFIG, History(), NewStrike(1, "impersonation", "i"), [], at(), min_step="closure")
    assert out.step == "closure" and out.negative_list


@pytest.mark.parametrize("bad, message", [
    ({"steps": [{"name": "x", "at": 1, "actions": [{"type": "demonetize", "days": 3}]}]}, "measures"),
    ({"steps": [{"name": "x", "at": 1, "actions": [{"type": "demonetize", "measures": ["yachts"], "days": 3}]}]},
     "unknown economic measure"),
    ({"steps": [{"name": "x", "at": 1, "actions": [{"type": "suspend_account"}]}]}, "days or permanent"),
    ({"steps": [{"name": "x", "at": 1}], "escalate": [{"id": "e", "to": "nope"}]}, "no step named 'nope'"),
    ({"steps": [{"name": "x", "at": 1, "actions": [{"type": "teleport", "days": 1}]}]}, "unknown sanction"),
])
def test_a_broken_ladder_fails_when_the_pack_loads(bad: dict[str, Any], message: str) -> None:
    with pytest.raises(PolicyError, match=message):
        load_ladder(bad)


def test_bundled_packs_have_valid_ladders() -> None:
    cn = load_ladder(load_pack("cn-cac-2025").ladder)
    eu = load_ladder(load_pack("eu-dsa-aiact").ladder)
    assert [s.name for s in cn.steps][0] == "reminder" and cn.steps[-1].negative_list
    assert eu.appeal_window_days >= 183  # DSA Art. 20(1): at least six months
    assert len(eu.sor.territorial_scope) == 30 and "NO" in eu.sor.territorial_scope


# ---- history in the store changes the next decision ----


def screen_posts(engine: Engine, posts: list[tuple[str, str, float]]) -> list[Any]:
    out = []
    for pid, topic, day in posts:
        post = Post(id=pid, account_id="a1", text=pid, topic=topic, created_at=at(day))
        out.append(engine.screen(post, now=at(day)).to_dict())
    return out


def test_repeated_diversion_after_a_warning_escalates(store: Store, pack_dir: Path) -> None:
    engine = Engine(str(pack_dir), detectors=[], governance=Governance(store, str(pack_dir)))
    engine.screen(Account(id="a1", display_name="A"), now=at())
    first, second, third = screen_posts(engine, [("p1", "contact", 0), ("p2", "contact", 1), ("p3", "contact", 2)])
    steps = [next(a["step"] for a in d["actions"] if a["type"] == "strike") for d in (first, second, third)]
    assert steps == ["reminder", "warning", "short_ban"]
    assert "suspend_account" in kinds(third["actions"]) and "Suspended for 7 days" in third["statement"]
    demonetize = next(a for a in third["actions"] if a["type"] == "demonetize")
    assert demonetize["ends_at"].startswith("2025-08-02") and demonetize["measures"] == ["tipping", "live_stream"]
    with store.engine.connect() as conn:
        rows = conn.execute(sa.text("select type, step from sanctions order by id")).all()
    assert [tuple(r) for r in rows] == [("notify_author", "reminder"), ("notify_author", "warning"),
                                        ("suspend_account", "short_ban"), ("demonetize", "short_ban")]


def test_strikes_expire(store: Store, pack_dir: Path) -> None:
    engine = Engine(str(pack_dir), detectors=[], governance=Governance(store, str(pack_dir)))
    decisions = screen_posts(engine, [("p1", "ai", 0), ("p2", "contact", 0), ("p3", "contact", 100)])
    late = next(a for a in decisions[2]["actions"] if a["type"] == "strike")
    assert late["active_weight"] == 1 and late["step"] == "reminder"  # the day-0 strike expired after 90 days


def test_a_debunked_claim_reposted_after_notice_escalates_with_the_bundled_pack(store: Store) -> None:
    pack = load_pack("cn-cac-2025")
    gov = Governance(store, pack)

    def repost(pid: str, day: float, after: bool) -> Any:
        post = Post(id=pid, account_id="rumour", text="…", created_at=at(day))
        sig = Signal("claims.debunked", 0.92, {"claim_id": "c-7", "claim": "某地自来水有毒", "after_debunk": after,
                                                "fact_checker": "中国互联网联合辟谣平台", "debunked_on": "2025-06-30"})
        return gov.record(post, pack.decide(post.ref, post, [sig]), now=at(day)).to_dict()

    first = repost("r1", 0, True)
    second = repost("r2", 1, True)
    strike1 = next(a for a in first["actions"] if a["type"] == "strike")
    strike2 = next(a for a in second["actions"] if a["type"] == "strike")
    assert strike1["step"] == "warning" and "escalations" not in strike1
    assert strike2["escalations"] == ["false-information.repost-after-notice"]
    assert strike2["weight"] == 4 and strike2["step"] == "short_ban"
    assert "辟谣发布且账号已被提醒后" in second["statement"] and "禁言7天" in second["statement"]


def test_closure_puts_the_account_on_the_negative_list(store: Store, pack_dir: Path) -> None:
    engine = Engine(str(pack_dir), detectors=[], governance=Governance(store, str(pack_dir)))
    d = engine.screen(Account(id="a1", display_name="官方", bio="fake-official"), now=at()).to_dict()
    assert d["verdict"] == "remove"
    closed = [a for a in d["actions"] if a.get("negative_list")]
    assert closed and closed[0]["permanent"] is True
    with store.engine.connect() as conn:
        assert conn.execute(sa.text("select count(*) from negative_list where removed_at is null")).scalar_one() == 1
        notices = conn.execute(sa.text("select recipient_id, template from notices")).all()
    assert [tuple(n) for n in notices] == [("a1", "decision")]


def test_with_the_real_detectors_a_diversion_after_a_warning_brings_a_ban(
    store: Store, emitted_detectors: frozenset[str]
) -> None:
    if "diversion.contact" not in emitted_detectors:
        pytest.skip("no diversion detector in this tree yet")
    engine = Engine("cn-cac-2025", governance=Governance(store, "cn-cac-2025"))
    engine.screen(Account(id="shop", display_name="小店"), now=at())
    first = engine.screen(Post(id="d1", account_id="shop", text="加我薇❤ abc12345 领取资料", created_at=at()),
                          now=at())
    second = engine.screen(Post(id="d2", account_id="shop", text="有需要的➕V：shop8899x", created_at=at(1)),
                           now=at(1))
    assert [a.params["step"] for a in first.actions if a.type == "strike"] == ["warning"]
    strike = next(a for a in second.actions if a.type == "strike")
    assert strike.params["step"] == "short_ban" and strike.params["escalations"] == ["diversion.repeat-after-warning"]
    assert "警告后再次站外引流" in second.statement and "禁言7天" in second.statement
