"""Information-source labelling: news-like posts need a named, visible source (SPEC capability B)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from brightline.engine import Engine
from brightline.model import Post


@pytest.fixture(scope="module")
def engine() -> Engine:
    return Engine(detectors=["source"])


def signals(engine: Engine, **fields: object) -> dict[str, dict]:
    post = Post(id="p", **fields)  # type: ignore[arg-type]
    return {s.detector: s.evidence for s in engine.screen(post).signals}


NEWS = "突发！某市今天下午发生爆炸，已造成3人伤亡。"


def test_news_without_source_is_missing_and_points_at_a_cue(engine: Engine) -> None:
    got = signals(engine, text=NEWS)
    assert set(got) == {"source.missing"}
    ev = got["source.missing"]
    assert ev["news_basis"] == "text" and "爆炸" in ev["cues"]
    s, e = ev["span"]
    assert NEWS[s:e] == ev["excerpt"]


@pytest.mark.parametrize(
    "text, phrase",
    [
        ("网传某市今天下午发生爆炸，已造成3人伤亡。", "网传"),
        ("據網友爆料，某市今天下午發生爆炸。", "据网友爆料"),  # traditional characters
        ("某市今天发生爆炸，图文来自网络", "来自网络"),
        ("有消息称，明年起个人所得税新规正式实施", "有消息称"),
        ("朋友圈都在传，明天起全市停水", "朋友圈都在传"),
        ("Breaking: a bridge collapsed downtown, reportedly with cars on it.", "reportedly"),
        ("Police say nothing yet, but sources say the mayor was arrested.", "sources say"),
        ("This video going around online shows the explosion at the port", "going around online"),
    ],
)
def test_vague_attributions_are_flagged_with_the_original_phrase(engine: Engine, text: str, phrase: str) -> None:
    got = signals(engine, text=text)
    assert "source.vague" in got and "source.missing" not in got
    ev = got["source.vague"]
    assert ev["strength"] == "vague" and ev["phrase"] == phrase
    s, e = ev["span"]
    assert text[s:e] == ev["excerpt"]


@pytest.mark.parametrize(
    "text",
    [
        "据新华社报道，" + NEWS,
        NEWS + "（来源：人民日报）",
        "據央視新聞消息，" + NEWS,
        NEWS + " https://news.example/a/1",
        "据某市公安局官方微博通报，" + NEWS,
        "Breaking: a bridge collapsed downtown, according to Reuters.",
        "The death toll rose to 12, the Associated Press reported.",
    ],
)
def test_named_sources_and_links_satisfy_the_rule(engine: Engine, text: str) -> None:
    assert signals(engine, text=text) == {}


def test_named_source_beats_an_incidental_vague_phrase(engine: Engine) -> None:
    assert signals(engine, text="网传某市发生爆炸，据新华社报道，目前已有3人伤亡。") == {}


def test_source_in_the_last_line_of_a_long_text_is_weak(engine: Engine) -> None:
    text = NEWS * 25 + "\n来源：新华社"
    ev = signals(engine, text=text)["source.vague"]
    assert ev["strength"] == "weak" and ev["basis"] == "tail"
    s, e = ev["span"]
    assert "新华社" in text[s:e]


def test_source_at_the_end_of_a_short_text_is_fine(engine: Engine) -> None:
    assert signals(engine, text=NEWS + "来源：新华社") == {}


@pytest.mark.parametrize(
    "markup",
    [
        "<small>来源：新华社</small>",
        "<sub>据新华社</sub>",
        '<span style="color:#999;font-size: 10px">来源：人民日报</span>',
        '<font size="1">Source: Reuters</font>',
        '<p style="font-size:0.6em">来源：澎湃新闻</p>',
    ],
)
def test_source_in_tiny_markup_is_weak_not_absent(engine: Engine, markup: str) -> None:
    got = signals(engine, text=NEWS + markup)
    assert got["source.vague"]["strength"] == "weak"
    assert got["source.vague"]["basis"] == "small_markup"
    assert "source.missing" not in got


def test_normal_size_markup_is_a_visible_source(engine: Engine) -> None:
    assert signals(engine, text=NEWS + '<span style="font-size:16px">来源：新华社</span>') == {}


def test_topic_decides_when_the_platform_gives_one(engine: Engine) -> None:
    assert signals(engine, text=NEWS, topic="entertainment") == {}
    got = signals(engine, text="明年起个税起征点调整", topic="Public-Policy")
    assert got["source.missing"]["news_basis"] == "topic"
    assert "source.missing" in signals(engine, text="今天的事", topic="时政")


def test_source_field(engine: Engine) -> None:
    assert signals(engine, text=NEWS, source="新华社") == {}
    got = signals(engine, text=NEWS, source="来源网络")
    assert got["source.vague"]["basis"] == "vague_source_field"


@pytest.mark.parametrize(
    "text",
    [
        "周末和朋友去公园散步，天气真好",
        "听说这家店的火锅很好吃，周末一起去吧",
        "来自北京的朋友给我带了烤鸭",
        "My cat knocked the plant over again",
        "I heard the new album is great",
    ],
)
def test_everyday_posts_are_not_news(engine: Engine, text: str) -> None:
    assert signals(engine, text=text) == {}


def test_title_counts(engine: Engine) -> None:
    got = signals(engine, title="网传：某地发生地震", text="大家注意安全")
    assert got["source.vague"]["field"] == "title"


def test_extra_topics_and_outlets_from_options() -> None:
    from brightline.detectors.source import SourceDetector
    from brightline.registries import Registries

    det = SourceDetector(Registries(), {"topics": ["local-news"], "outlets": ["城南晚报"]})
    engine = Engine(detectors=[])
    ctx = engine.context()
    assert [s.detector for s in det.detect(Post(id="x", text="小区门口修路", topic="local_news"), ctx)] == ["source.missing"]
    assert list(det.detect(Post(id="x", text="据城南晚报消息，小区门口修路", topic="local_news"), ctx)) == []


def test_decision_excludes_unsourced_news_from_recommendation() -> None:
    d = Engine().screen(Post(id="p", text=NEWS))
    assert "source.missing.restrict" in d.rules
    assert d.distribution.recommendation is False


@settings(max_examples=150, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("网传据新华社报道突发爆炸 <small>来源：</small>\n,.xyzsources say reportedly")), max_size=400))
def test_spans_always_point_into_the_original_field(text: str) -> None:
    engine = Engine(detectors=["source"])
    for s in engine.screen(Post(id="p", text=text)).signals:
        if "span" in s.evidence and s.evidence.get("field", "text") == "text":
            a, b = s.evidence["span"]
            assert 0 <= a <= b <= len(text)
            assert text[a:b] == s.evidence["excerpt"]


def test_hostile_text_does_not_crash(engine: Engine) -> None:
    for text in ["", "<" * 5000, "<small>" * 2000, "\ud800突发", "突发" * 50_000, "<span style='font-size:" + "9" * 500 + "px'>x</span>"]:
        engine.screen(Post(id="p", text=text))
