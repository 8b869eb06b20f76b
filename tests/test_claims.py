"""Debunked claims: posts repeating a fact-checked claim are found, named and dated (SPEC capability E)."""

from __future__ import annotations

import json
import random
import sys
from datetime import datetime, timezone
from pathlib import Path

import pytest
from typer.testing import CliRunner

from brightline.cli.app import app
from brightline.engine import Engine
from brightline.errors import RegistryError
from brightline.model import Post
from brightline.registries import DEFAULT_CLAIMS, Registries
from brightline.registries.claims import load_claims
from brightline.text.claims_index import ClaimIndex

ROOT = Path(__file__).resolve().parents[1]
sys.path.append(str(ROOT / "bench"))
import eval_integrity  # noqa: E402  (bench/eval_integrity.py: the labelled evaluation sets)


@pytest.fixture(scope="module")
def engine() -> Engine:
    return Engine(detectors=["claims"])


def found(engine: Engine, text: str, **fields: object) -> list[dict]:
    return [s.evidence for s in engine.screen(Post(id="p", text=text, **fields)).signals]  # type: ignore[arg-type]


def test_bundled_registry_is_a_realistic_bilingual_example() -> None:
    reg = load_claims(DEFAULT_CLAIMS)
    assert 50 <= len(reg) <= 100
    langs = {c.language for c in reg.claims}
    assert {"zh", "zh-Hant", "en"} <= langs
    assert all(c.fact_checker and c.url and c.published for c in reg.claims)
    assert "illustrative" in DEFAULT_CLAIMS.read_text(encoding="utf-8").lower()


@pytest.mark.parametrize(
    "text",
    [
        "喝高度白酒可以预防新冠病毒感染",  # exact
        "家里长辈发到群里的。喝高度白酒可以预防新冠病毒感染，转给大家！今天天气不错。",  # padded
        "喝高度白酒可以預防新冠病毒感染",  # traditional
        "喝 高 度 白*酒 可以预❤防新冠病毒感染",  # inserted symbols
        "网传：多喝白酒能预防新冠病毒感染",  # reworded
        "喝高度白酒可以预防新冠",  # shortened
    ],
)
def test_variants_of_a_claim_are_matched_to_it(engine: Engine, text: str) -> None:
    got = found(engine, text)
    assert [ev["claim_id"] for ev in got] == ["bl-example-001"]
    ev = got[0]
    assert ev["fact_checker"] == "中国互联网联合辟谣平台" and ev["review_url"].endswith("bl-example-001")
    assert ev["rating"] == "谣言" and 0.5 <= ev["similarity"] <= 1.0
    s, e = ev["span"]
    assert text[s:e] == ev["excerpt"] and "白" in ev["excerpt"]


def test_simplified_post_matches_a_traditional_claim(engine: Engine) -> None:
    got = found(engine, "虾和维生素C一起吃会产生砒霜，会中毒死亡")
    assert got[0]["claim_id"] == "bl-example-050" and got[0]["fact_checker"] == "MyGoPen"


def test_english_rewording_and_padding(engine: Engine) -> None:
    text = "Saw this on my way home. BREAKING: 5G networks are spreading the coronavirus!!! Share it."
    got = found(engine, text)
    assert got[0]["claim_id"] == "bl-example-057"
    assert "5G" in got[0]["excerpt"] and "coronavirus" in got[0]["excerpt"]


def test_padding_does_not_dilute_a_full_copy(engine: Engine) -> None:
    pad = "今天我们来聊聊健康生活的话题。" * 30
    text = pad + "隔夜菜含有大量亚硝酸盐，吃了会致癌" + pad
    ev = found(engine, text)[0]
    assert ev["claim_id"] == "bl-example-005" and ev["similarity"] > 0.9
    assert ev["span"][0] >= len(pad) - 2 and ev["span"][1] <= len(pad) + 20


@pytest.mark.parametrize(
    "text",
    [
        "“吃碘盐可以防核辐射”？这是谣言，不要囤盐。",
        "辟谣：喝高度白酒可以预防新冠病毒感染的说法不实。",
        "Fact check: the claim that eating garlic protects you from the new coronavirus is false.",
        "周末和朋友喝了点白酒，聊到新冠那几年的事",
        "Garlic bread is the best side dish",
        "",
    ],
)
def test_refutations_and_mere_mentions_are_not_flagged(engine: Engine, text: str) -> None:
    assert found(engine, text) == []


def test_repeat_after_the_debunk_is_marked_for_the_ladder(engine: Engine) -> None:
    text = "5G基站会传播新冠病毒，基站附近感染人数更多"
    before = found(engine, text, created_at="2019-12-01T00:00:00Z")[0]
    after = found(engine, text, created_at="2024-12-01T00:00:00Z")[0]
    assert before["after_debunk"] is False and after["after_debunk"] is True
    assert after["debunked_on"] == "2020-04-10"
    # Without created_at the screening time decides.
    early = engine.screen(Post(id="p", text=text), now=datetime(2020, 1, 1, tzinfo=timezone.utc)).signals[0]
    assert early.evidence["after_debunk"] is False


def test_decision_adds_a_debunk_label_and_a_heavier_rule_after_debunk() -> None:
    d = Engine().screen(Post(id="p", text="吃碘盐可以防核辐射，核污水排海后赶紧囤盐", created_at="2024-01-01T00:00:00Z"))
    assert "claims.debunked.after_debunk" in d.rules
    label = next(a for a in d.actions if a.type == "label" and a.params.get("label") == "debunked")
    assert "中国互联网联合辟谣平台" in label.params["text"] and label.params["url"].startswith("https://")
    pack = Engine().pack
    assert pack.rule("claims.debunked.after_debunk").strike.weight > (pack.rule("claims.debunked.label").strike or type("S", (), {"weight": 0})).weight


def test_title_is_screened(engine: Engine) -> None:
    d = engine.screen(Post(id="p", title="微波炉加热食物会产生致癌物质", text="转需"))
    assert d.signals[0].evidence["field"] == "title"


def write(path: Path, records: list[dict], mode: str) -> Path:
    if mode == "list":
        path.write_text(json.dumps(records, ensure_ascii=False, indent=1), encoding="utf-8")
    elif mode == "graph":
        path.write_text(json.dumps({"@context": "https://schema.org", "@graph": records}, ensure_ascii=False, indent=1), encoding="utf-8")
    else:
        path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in records) + "\n", encoding="utf-8")
    return path


REVIEW = {
    "@context": "https://schema.org", "@type": "ClaimReview", "claimReviewed": "Drinking seawater cures the flu",
    "reviewRating": {"@type": "Rating", "alternateName": "False"}, "author": {"@type": "Organization", "name": "Checkers"},
    "datePublished": "2022-02-02", "inLanguage": {"@type": "Language", "name": "en"},
}


@pytest.mark.parametrize("mode", ["list", "graph", "jsonl"])
def test_operator_registry_formats(tmp_path: Path, mode: str) -> None:
    true_claim = dict(REVIEW, claimReviewed="Water is wet", reviewRating={"alternateName": "True", "ratingValue": 5, "worstRating": 1})
    path = write(tmp_path / f"c.{mode}", [REVIEW, true_claim], mode)
    reg = load_claims(path)
    assert [c.claim for c in reg.claims] == ["Drinking seawater cures the flu"]  # "True" is not a debunk
    c = reg.claims[0]
    assert c.language == "en" and c.fact_checker == "Checkers" and c.id == load_claims(path).claims[0].id
    engine = Engine(detectors=["claims"], registries=Registries(claims=reg))
    assert engine.screen(Post(id="p", text="drinking seawater cures flu!")).signals[0].evidence["claim_id"] == c.id


@pytest.mark.parametrize(
    "mode, records, message, line",
    [
        ("list", [REVIEW, {k: v for k, v in REVIEW.items() if k != "claimReviewed"}], "record 2: claimReviewed is missing", -1),
        ("graph", [REVIEW, dict(REVIEW, **{"@type": "Review"})], "record 2: @type is 'Review'", None),
        ("jsonl", [REVIEW, dict(REVIEW, datePublished="yesterday")], "line 2: datePublished 'yesterday'", 2),
        ("jsonl", [dict(REVIEW, url="https://x"), dict(REVIEW, url="https://x")], "duplicate claim id", 2),
    ],
)
def test_bad_registries_name_the_record_and_line(tmp_path: Path, mode: str, records: list, message: str, line: int | None) -> None:
    path = write(tmp_path / "bad.jsonld", records, mode)
    with pytest.raises(RegistryError) as err:
        load_claims(path)
    assert message in str(err.value)
    assert err.value.line is not None
    if line == -1:  # the line on which the second record of the indented JSON list opens
        line = [n for n, text in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1) if text == " {"][1]
    if line is not None:
        assert err.value.line == line


def test_broken_json_ld_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "broken.jsonld"
    path.write_text('[\n {"@type": "ClaimReview", "claimReviewed": "x"},\n {"@type": "ClaimReview",, }\n]\n', encoding="utf-8")
    with pytest.raises(RegistryError, match="broken JSON") as err:
        load_claims(path)
    assert err.value.line == 3


def test_screen_with_a_bad_claims_file_exits_2_naming_the_line(tmp_path: Path) -> None:
    bad = write(tmp_path / "bad.jsonld", [REVIEW, {"@type": "ClaimReview", "reviewRating": {"alternateName": "False"}}], "list")
    posts = tmp_path / "in.jsonl"
    posts.write_text('{"kind":"post","id":"p1","text":"hi"}\n', encoding="utf-8")
    result = CliRunner().invoke(app, ["screen", str(posts), "--claims", str(bad), "-q"])
    assert result.exit_code == 2
    assert "bad.jsonld:" in result.output.replace("\n", "") and "claimReviewed is missing" in result.output.replace("\n", "")


def test_index_finds_the_right_claim_among_thousands() -> None:
    rng = random.Random(1)
    vocab = "政策 市场 医院 学校 交通 天气 食品 安全 科技 网络 手机 银行 价格 旅游 健康 运动 环境 能源 农业 教育".split()
    synthetic = ["".join(rng.sample(vocab, 6)) + "将会" + "".join(rng.sample(vocab, 3)) for _ in range(5000)]
    real = [c.claim for c in load_claims(DEFAULT_CLAIMS).claims]
    index = ClaimIndex(synthetic + real)
    hit = index.search("紧急扩散！隔夜菜含有大量亚硝酸盐，吃了会致癌")
    assert hit and (synthetic + real)[hit[0].claim] == real[4]
    assert index.search("今天和朋友去公园散步") == []


@pytest.mark.parametrize(
    "name, scale", [("claims", 1.0), ("source", 0.3), ("qualification", 0.3), ("recycled", 0.3)]
)
def test_generated_evaluations_meet_the_bar(name: str, scale: float) -> None:
    """bench/eval_integrity.py's labelled sets (claims, source, qualification, recycled media), reduced."""
    score = getattr(eval_integrity, f"eval_{name}")(random.Random(5), scale)
    assert score.precision >= 0.98 and score.recall >= 0.95, score.line()
