"""Professional qualification: advice and titles need a current qualification, which decisions show."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from brightline.engine import Engine
from brightline.model import Account, Post

NOW = datetime(2026, 6, 1, tzinfo=timezone.utc)


@pytest.fixture()
def engine() -> Engine:
    return Engine(detectors=["qualification"])


def post_signals(engine: Engine, account: Account | None, text: str) -> list[dict]:
    if account is not None:
        engine.screen(account, now=NOW)
    post = Post(id="p", account_id=account.id if account else None, text=text)
    return [s.evidence for s in engine.screen(post, now=NOW).signals]


@pytest.mark.parametrize(
    "text, domain",
    [
        ("高血压患者每次服用500mg，每日两次", "medical"),
        ("感冒了不知道吃什么药？阿莫西林一天三次就好", "medical"),
        ("For a migraine take 800 mg ibuprofen twice a day.", "medical"),
        ("这只牛股目标价50元，推荐买入", "finance"),
        ("跟我买，稳赚不赔，明天满仓", "finance"),
        ("Strong buy: price target $300 by summer.", "finance"),
        ("这种情况你可以起诉他，打官司肯定胜诉", "legal"),
        ("You can sue them; the statute of limitations is three years.", "legal"),
        ("高考志愿填报听我的，保过名校", "education"),
        ("高考志願填報聽我的", "education"),  # traditional characters
    ],
)
def test_advice_without_qualification_is_flagged_per_domain(engine: Engine, text: str, domain: str) -> None:
    got = post_signals(engine, Account(id="a", display_name="路人甲"), text)
    assert [ev["domain"] for ev in got] == [domain]
    ev = got[0]
    assert ev["basis"] == "advice" and ev["status"] == "none" and ev["claims_title"] is False
    s, e = ev["span"]
    assert text[s:e] == ev["excerpt"]


@pytest.mark.parametrize(
    "text",
    [
        "今天陪奶奶去医院复查，一切都好",
        "基金经理这个职业好辛苦",
        "周末去法院门口的面馆吃面",
        "高考加油！",
        "My doctor said I'm fine",
    ],
)
def test_mentions_are_not_advice(engine: Engine, text: str) -> None:
    assert post_signals(engine, Account(id="a", display_name="路人甲"), text) == []


def test_current_qualification_in_the_domain_allows_and_is_shown() -> None:
    engine = Engine()
    doctor = Account(
        id="d", display_name="李医生",
        qualifications=[{"domain": "医疗", "issuer": "国家卫生健康委员会", "expires": "2030-01-01", "number": "110-XYZ"}],
    )
    engine.screen(doctor, now=NOW)
    d = engine.screen(Post(id="p", account_id="d", text="高血压患者每次服用500mg，每日两次"), now=NOW)
    assert not [s for s in d.signals if s.detector == "qualification.missing"]
    assert d.qualifications == [{"domain": "medical", "issuer": "国家卫生健康委员会", "expires": "2030-01-01"}]
    out = d.to_dict()
    assert out["qualifications"][0]["issuer"] == "国家卫生健康委员会"
    assert "110-XYZ" not in str(out)  # the licence number is personal information


def test_expired_and_other_domain_qualifications_do_not_count(engine: Engine) -> None:
    lawyer = Account(id="l", display_name="张律师", qualifications=[{"domain": "legal", "issuer": "司法局", "expires": "2025-12-31"}])
    got = post_signals(engine, lawyer, "这种情况你可以起诉他")
    assert got[0]["status"] == "expired" and got[0]["qualification"] == {"domain": "legal", "issuer": "司法局", "expires": "2025-12-31"}
    analyst = Account(id="f", display_name="财经老李", qualifications=[{"domain": "securities", "issuer": "证券业协会"}])
    got = post_signals(engine, analyst, "高血压患者每次服用500mg")
    assert got[0]["status"] == "other_domain" and got[0]["domain"] == "medical"
    assert post_signals(engine, analyst, "这只牛股目标价50元，推荐买入") == []  # no expiry = current


def test_advice_under_a_claimed_title_scores_higher(engine: Engine) -> None:
    plain = post_signals(engine, Account(id="a", display_name="养生小课堂"), "这只牛股目标价50元，推荐买入")
    posing = post_signals(engine, Account(id="b", display_name="首席分析师老王"), "这只牛股目标价50元，推荐买入")
    assert posing[0]["claims_title"] is True and posing[0]["title"] == "首席分析师"
    engine2 = Engine(detectors=["qualification"])
    engine2.screen(Account(id="b", display_name="首席分析师老王"))
    assert engine2.screen(Post(id="p", account_id="b", text="目标价50元，推荐买入")).signals[0].score > 0.9
    assert plain[0]["claims_title"] is False


@pytest.mark.parametrize(
    "fields, domain, field",
    [
        ({"display_name": "王主任医师"}, "medical", "display_name"),
        ({"display_name": "小王", "bio": "执业律师，免费法律咨询"}, "legal", "bio"),
        ({"display_name": "Jane Roe, CFA"}, "finance", "display_name"),
        ({"display_name": "Dr. Smith"}, "medical", "display_name"),
        ({"display_name": "清华教授讲升学"}, "education", "display_name"),
        ({"display_name": "x", "handle": "lawyer_zhang"}, "legal", "handle"),
    ],
)
def test_titles_in_account_fields_need_a_qualification(engine: Engine, fields: dict, domain: str, field: str) -> None:
    sigs = engine.screen(Account(id="a", **fields), now=NOW).signals
    assert [(s.evidence["domain"], s.evidence["field"], s.evidence["basis"]) for s in sigs] == [(domain, field, "title")]
    ev = sigs[0].evidence
    value = fields[field]
    assert value[ev["span"][0]:ev["span"][1]] == ev["excerpt"]


@pytest.mark.parametrize("name", ["我不是医生只是爱做饭", "Not a doctor, just curious", "小王爱吃面", "Doctor Who fan club"])
def test_denied_or_absent_titles_are_not_flagged(engine: Engine, name: str) -> None:
    # "Doctor Who" is a known limit of a title list: it IS flagged; the others must not be.
    sigs = engine.screen(Account(id="a", display_name=name), now=NOW).signals
    assert (len(sigs) == 1) == (name == "Doctor Who fan club")


def test_qualified_title_is_fine_and_expiry_is_checked_against_the_screening_date(engine: Engine) -> None:
    acc = Account(id="a", display_name="李律师", qualifications=[{"domain": "law", "expires": "2026-05-31"}])
    assert engine.screen(acc, now=datetime(2026, 5, 1, tzinfo=timezone.utc)).signals == []
    assert engine.screen(acc, now=NOW).signals[0].evidence["status"] == "expired"


def test_options_limit_domains() -> None:
    from brightline.detectors.qualification import QualificationDetector
    from brightline.registries import Registries

    det = QualificationDetector(Registries(), {"domains": ["legal"]})
    ctx = Engine(detectors=[]).context()
    assert list(det.detect(Post(id="p", text="这只牛股目标价50元，推荐买入"), ctx)) == []
    assert list(det.detect(Post(id="p", text="这种情况你可以起诉他"), ctx))


def test_post_by_unknown_account_with_advice_is_flagged(engine: Engine) -> None:
    got = post_signals(engine, None, "这只牛股目标价50元，推荐买入")
    assert got[0]["status"] == "none"


@pytest.mark.parametrize(
    "text, dosage",
    [
        # 次 opens the unit gate; each dosage form must still be found behind the cheaper branch checks.
        ("第一次来这里，take it TWICE A DAY", "TWICE A DAY"),
        ("上次 Once per day 就好", "Once per day"),
        ("这次旅行后每天两片", "每天两片"),
        ("这次旅行拍了好多照片", None),  # 次 and 片, but no dosage
    ],
)
def test_dosage_is_found_whatever_opens_the_unit_gate(engine: Engine, text: str, dosage: str | None) -> None:
    got = post_signals(engine, Account(id="a", display_name="路人甲"), text)
    if dosage is None:
        assert got == []
    else:
        assert [(ev["domain"], ev["excerpt"], ev["cues"]) for ev in got] == [("medical", dosage, [dosage])]
