"""The impersonation detector, the name index and the protected-entity registry, as a user meets them."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from brightline.cli import app
from brightline.detectors.base import ScreenContext
from brightline.detectors.impersonation import ImpersonationDetector
from brightline.engine import Engine
from brightline.errors import RegistryError
from brightline.model import Account
from brightline.registries import DEFAULT_ENTITIES, Registries, load_entities
from brightline.registries.entities import ProtectedEntity
from brightline.text.names import NameIndex

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def registries() -> Registries:
    return Registries(entities=load_entities(DEFAULT_ENTITIES))


@pytest.fixture(scope="module")
def detector(registries: Registries) -> ImpersonationDetector:
    return ImpersonationDetector(registries, {})


def signals(detector: ImpersonationDetector, registries: Registries, **fields: object) -> list[dict]:
    acct = Account(id=str(fields.pop("id", "x1")), **fields)  # type: ignore[arg-type]
    return [s.evidence | {"score": s.score} for s in detector.detect(acct, ScreenContext(registries))]


# --- what is caught -----------------------------------------------------------------------------------

CAUGHT = [
    # (field, text, entity, technique)
    ("display_name", "人民日报", "人民日报", "exact"),
    ("display_name", "人民日報官方", "人民日报", "traditional"),
    ("display_name", "人民曰报", "人民日报", "homoglyph"),
    ("display_name", "ССТV", "中央广播电视总台", "homoglyph"),
    ("display_name", "ＣＣＴＶ官方", "中央广播电视总台", "homoglyph"),
    ("display_name", "人.民.日.报", "人民日报", "symbols"),
    ("display_name", "新\u200b华\u200b社", "新华社", "symbols"),
    ("display_name", "人人民日报", "人民日报", "repeated"),
    ("display_name", "新化社", "新华社", "homophone"),
    ("display_name", "国家卫建委", "国家卫生健康委员会", "homophone"),
    ("handle", "renminribao", "人民日报", "pinyin"),
    ("handle", "rmrb_official", "人民日报", "initials"),
    ("display_name", "中国疾病预防控制心", "中国疾病预防控制中心", "edit"),  # dropped character
    ("display_name", "民人日报", "人民日报", "edit"),  # swapped characters
    ("display_name", "交运通输部", "中华人民共和国交通运输部", "edit"),
    ("display_name", "中国疾控中心官方", "中国疾病预防控制中心", "added_word"),
    ("display_name", "国务院客户端", "中华人民共和国国务院", "added_word"),
    ("display_name", "火箭军指挥部", "中国人民解放军火箭军", "added_word"),
    ("display_name", "Xinhua News Official", "新华社", "added_word"),
    ("display_name", "China CDC HQ", "中国疾病预防控制中心", "added_word"),
    ("display_name", "新华社记者小王", "新华社", "staff"),
    ("display_name", "北京市政府发布", "北京市", "office"),
    ("display_name", "深圳公安", "深圳市", "office"),
    ("display_name", "上海海关发布", "上海市", "office"),
    ("handle", "beijing_gov", "北京市", "office"),
    ("display_name", "康辉本人", "康辉", "added_word"),
    ("bio", "本号为新华社官方认证账号", "新华社", "added_word"),
]


@pytest.mark.parametrize(("field", "text", "entity", "technique"), CAUGHT)
def test_imitations_are_caught_with_the_technique_named(detector, registries, field, text, entity, technique):
    found = signals(detector, registries, **{field: text})
    assert found, f"{text!r} was not flagged"
    best = max(found, key=lambda e: e["score"])
    assert best["entity"] == entity
    assert technique in best["techniques"], best
    assert best["field"] == field
    assert best["score"] >= 0.85  # strong enough for the packs to act without a person
    s, e = best["span"]
    assert text[s:e] == best["excerpt"]  # the span points into the ORIGINAL field


def test_evidence_names_the_registry_entry_and_the_alias_matched(detector, registries):
    (ev,) = signals(detector, registries, display_name="  ★国家卫健委★官方 ")
    assert ev["entity"] == "国家卫生健康委员会"
    assert ev["entity_type"] == "government"
    assert ev["matched"] == "国家卫健委"
    assert ev["excerpt"] == "国家卫健委"
    assert ev["span"] == [3, 8]
    assert ev["words"] == ["官方"]


# --- what is not ---------------------------------------------------------------------------------------

BENIGN = [
    {"display_name": "北京烤鸭店"},
    {"display_name": "上海小笼包"},
    {"display_name": "湖南人在深圳"},
    {"display_name": "人民公园跑步团"},
    {"display_name": "China travel tips"},
    {"display_name": "长沙发布会直播"},
    {"display_name": "中央视角"},
    {"display_name": "公安部门退休老李"},
    {"display_name": "中国工程师联盟"},
    {"display_name": "中国海景房"},
    {"display_name": "实事求是"},
    {"display_name": "康辉粉丝团"},
    {"handle": "farmrboy"},
    {"handle": "cctv_camera_installer_2"},
    {"bio": "每天看人民日报和新闻联播"},
    {"bio": "央视新闻的忠实观众"},
    {"bio": "I read Global Times and China Daily"},
]


@pytest.mark.parametrize("fields", BENIGN, ids=lambda f: next(iter(f.values())))
def test_ordinary_names_with_registry_words_are_not_acted_on(detector, registries, fields):
    strong = [e for e in signals(detector, registries, **fields) if e["score"] >= 0.85]
    assert strong == []


def test_a_fan_name_goes_to_review_not_to_removal():
    engine = Engine()
    d = engine.screen(Account(id="f1", display_name="每天读人民日报"))
    assert d.verdict == "review" and not d.automated
    assert "impersonation.review" in d.rules


def test_own_accounts_are_never_flagged(detector, registries):
    # The registry's accounts column (X handles) and the account's verified_entity both mark it as the entity.
    assert signals(detector, registries, id="PDChina", display_name="人民日报") == []
    assert signals(detector, registries, handle="@PDChina", display_name="人民日报官方") == []
    assert signals(detector, registries, display_name="中国疾控中心", verified_entity="中国疾病预防控制中心") == []
    # The verified overseas edition also spells 人民日报: its own name, not an imitation of the parent.
    assert signals(detector, registries, display_name="人民日报海外版", verified_entity="人民日报海外版") == []
    # ... but an unverified account with the same name is flagged.
    assert signals(detector, registries, display_name="人民日报", handle="someone")


def test_engine_decision_renames_and_states_the_entity():
    engine = Engine()
    d = engine.screen(Account(id="a1", display_name="中国疾控中心官方"))
    assert d.verdict == "remove"
    assert {"rename_account", "restrict_account"} <= {a.type for a in d.actions}
    assert "中国疾病预防控制中心" in d.statement
    d = Engine("eu-dsa-aiact").screen(Account(id="a2", display_name="Global Times official"))
    assert d.verdict == "restrict" and "Global Times" in d.statement


# --- registries -------------------------------------------------------------------------------------------


def test_bundled_registry_covers_every_province_and_prefecture():
    reg = load_entities(DEFAULT_ENTITIES)
    regions = [e for e in reg.entities if e.type == "region"]
    assert len(regions) == 34 + 333  # province-level + prefecture-level divisions
    names = {e.name for e in regions}
    assert {"长沙市", "吉林市", "吉林省", "三沙市", "儋州市", "海东市", "延边朝鲜族自治州", "阿里地区", "兴安盟"} <= names
    types = {e.type for e in reg.entities}
    assert {"party", "government", "military", "public_institution", "media", "person", "region"} <= types


def test_operator_registry_replaces_the_bundled_one(tmp_path):
    csv = tmp_path / "ents.csv"
    csv.write_text("name,type,aliases,accounts\n星河市融媒体中心,media,星河融媒|Xinghe Media,xh_media\n", encoding="utf-8")
    engine = Engine(entities=csv)
    d = engine.screen(Account(id="u1", display_name="星河融媒官方"))
    assert d.signals and d.signals[0].evidence["entity"] == "星河市融媒体中心"
    assert engine.screen(Account(id="xh_media", display_name="星河融媒")).signals == []
    assert engine.screen(Account(id="u2", display_name="人民日报")).signals == []  # bundled list not loaded


BAD_REGISTRIES = [
    ("name,type\n人民日报,media\n", 1, "aliases"),
    ("name,type,aliases\n人民日报,media,\n新华社,newsagency,\n", 3, "unknown type"),
    ("name,type,aliases\n人民日报,media,\n新华社,media,\n人民日报,media,\n", 4, "duplicate name"),
    ("name,type,aliases\n人民日报,media,党报\n光明日报,media,党报\n", 3, "already names"),
    ("# comment\nname,type,aliases\n,media,x\n", 3, "empty"),
    ("name,type,aliases\n人民日报,,\n", 2, "type"),
]


@pytest.mark.parametrize(("content", "line", "message"), BAD_REGISTRIES)
def test_bad_registry_errors_name_the_line(tmp_path, content, line, message):
    bad = tmp_path / "bad.csv"
    bad.write_text(content, encoding="utf-8")
    with pytest.raises(RegistryError) as exc:
        load_entities(bad)
    assert exc.value.line == line and message in str(exc.value)


def test_bad_registry_through_the_cli_exits_2_naming_file_and_line(tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("name,type,aliases\n人民日报,media,\n人民日报,media,\n", encoding="utf-8")
    items = tmp_path / "in.jsonl"
    items.write_text(json.dumps({"kind": "account", "id": "a1", "display_name": "x"}) + "\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["screen", str(items), "--entities", str(bad)])
    assert result.exit_code == 2
    out = " ".join((result.output + (result.stderr if result.stderr_bytes is not None else "")).split())
    assert "bad.csv:3" in out and "duplicate name" in out


# --- robustness -----------------------------------------------------------------------------------------


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=60))
def test_any_text_gives_valid_spans_and_never_crashes(text):
    index = _small_index()
    for m in index.find(text) + index.find(text, bio=True):
        assert 0 <= m.start < m.end <= len(text)
        assert text[m.start : m.end] == m.excerpt
        assert 0 < m.score <= 1


_INDEX: list[NameIndex] = []


def _small_index() -> NameIndex:
    if not _INDEX:
        _INDEX.append(
            NameIndex(
                [
                    ProtectedEntity("人民日报", "media", ("People's Daily",)),
                    ProtectedEntity("中国疾病预防控制中心", "public_institution", ("中国疾控中心", "China CDC")),
                    ProtectedEntity("北京市", "region", ("北京", "Beijing")),
                    ProtectedEntity("康辉", "person"),
                ]
            )
        )
    return _INDEX[0]


def test_huge_and_hostile_fields_are_bounded(detector, registries):
    found = signals(detector, registries, display_name="人民日报" + "哈" * 1_000_000, bio="\x00\ud800" * 100_000 + "新华社官方")
    assert [e["field"] for e in found] == ["display_name"]  # the bio's claim lies past the part that is read


def test_evaluation_meets_the_spec_targets():
    sys.path.insert(0, str(ROOT / "bench"))
    try:
        import eval_impersonation as ev
    finally:
        sys.path.pop(0)
    report = ev.evaluate(ev.make_cases(600, seed=5))
    assert report.recall >= 0.95, report.errors[:5]
    assert report.precision >= 0.98, report.errors[:5]
