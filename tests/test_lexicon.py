"""The lexicon matcher and detector: each evasion type is found, spans point at the ORIGINAL text, benign
near-misses stay quiet, and no input crashes it."""

from __future__ import annotations

import random
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from brightline.engine import Engine
from brightline.model import Post
from brightline.registries import DEFAULT_LEXICON, load_lexicon
from brightline.registries.lexicon import LexiconTerm
from brightline.text.lexicon import LexiconMatcher

ROOT = Path(__file__).resolve().parents[1]

TERMS = [
    LexiconTerm("代开发票", "fraud", 4),
    LexiconTerm("刻章", "fraud", 3),
    LexiconTerm("裸聊", "sexual", 5),
    LexiconTerm("黄片", "sexual", 4),
    LexiconTerm("时时彩", "gambling", 4),
    LexiconTerm("笑气", "drugs", 4),
    LexiconTerm("哈哈", "spam", 1),
    LexiconTerm("ass", "profanity", 1),
    LexiconTerm("fuck", "profanity", 2),
    LexiconTerm("shit", "profanity", 1),
    LexiconTerm("buy cocaine", "drugs", 5),
    LexiconTerm("冰毒", "drugs", 5),
]
ALLOWED = ["三黄片"]


_SHARED: list[LexiconMatcher] = []


def _shared() -> LexiconMatcher:
    if not _SHARED:
        _SHARED.append(LexiconMatcher(TERMS, ALLOWED))
    return _SHARED[0]


@pytest.fixture(scope="module")
def matcher() -> LexiconMatcher:
    return _shared()


def _found(m: LexiconMatcher, text: str) -> dict[str, tuple[str, str]]:
    """term -> (evasion, excerpt), checking on the way that every span points at its excerpt."""
    out = {}
    for h in m.find(text):
        assert text[h.start : h.end] == h.excerpt
        out[h.term] = (h.evasion, h.excerpt)
    return out


@pytest.mark.parametrize(
    ("text", "term", "evasion", "excerpt"),
    [
        ("专业代开发票", "代开发票", "exact", "代开发票"),
        ("专业代開發票", "代开发票", "normalized", "代開發票"),  # traditional
        ("专业代·开*发❤票", "代开发票", "normalized", "代·开*发❤票"),  # symbols and emoji between
        ("专业代\u200b开\u3164发\ufe0f票", "代开发票", "normalized", "代\u200b开\u3164发\ufe0f票"),  # invisible
        ("专业代代代开开发票", "代开发票", "normalized", "代代代开开发票"),  # repeats
        ("长期代开发漂", "代开发票", "homophone", "代开发漂"),
        ("联系 dai kai fa piao 谢谢", "代开发票", "pinyin", "dai kai fa piao"),
        ("联系daikaifapiao", "代开发票", "pinyin", "daikaifapiao"),
        ("可以dkfp哦", "代开发票", "initials", "dkfp"),
        ("代kai发票", "代开发票", "pinyin", "代kai发票"),
        ("亥刂章快速", "刻章", "split", "亥刂章"),
        ("今晚裸撩吗", "裸聊", "homophone", "裸撩"),
        ("what the fuсk", "fuck", "normalized", "fuсk"),  # Cyrillic с
        ("what the 𝐟𝐮𝐜𝐤", "fuck", "normalized", "𝐟𝐮𝐜𝐤"),  # math bold
        ("what the ｆｕｃｋ", "fuck", "normalized", "ｆｕｃｋ"),  # full width
        ("what the f u c k", "fuck", "normalized", "f u c k"),
        ("what the fuuuuck", "fuck", "normalized", "fuuuuck"),
        ("what the f*ck", "fuck", "masked", "f*ck"),
        ("holy sh1t", "shit", "leet", "sh1t"),
        ("holy $hit", "shit", "leet", "$hit"),
        ("kick a$$ now", "ass", "leet", "a$$"),
        ("b u y  c0caine", "buy cocaine", "leet", "b u y  c0caine"),
        ("哈哈哈哈太好笑", "哈哈", "normalized", "哈哈哈哈"),
    ],
)
def test_each_evasion_is_found_with_its_original_span(
    matcher: LexiconMatcher, text: str, term: str, evasion: str, excerpt: str
) -> None:
    found = _found(matcher, text)
    assert term in found, f"{term} not found in {text!r}: {found}"
    assert found[term] == (evasion, excerpt)


@pytest.mark.parametrize(
    "text",
    [
        "The class assessment is on Friday",  # ass inside words
        "pass the glass, the bass player is an assistant",
        "as soon as possible",  # ass folds to 'as' but the text has no double s
        "医生开了三黄片",  # allow-listed superstring of 黄片
        "祝你生日快乐",
        "他说话很好笑，气得我不行",  # clause break between 笑 and 气
        "哈，我知道了",  # one 哈 does not match the term 哈哈
        "时时刻刻注意安全",
        "电脑中了病毒",  # sounds like 冰毒 but is a dictionary word
        "Scunthorpe shiitake",
    ],
)
def test_benign_near_misses_do_not_fire(matcher: LexiconMatcher, text: str) -> None:
    assert matcher.find(text) == []


def test_allow_list_only_covers_the_allowed_word(matcher: LexiconMatcher) -> None:
    hits = matcher.find("三黄片和黄片")
    assert [(h.start, h.end) for h in hits] == [(4, 6)]


def test_score_reflects_certainty_and_severity(matcher: LexiconMatcher) -> None:
    exact = matcher.find("代开发票")[0].score
    homophone = matcher.find("代开发漂")[0].score
    initials = matcher.find("dkfp")[0].score
    assert exact > homophone > initials
    assert matcher.find("裸聊")[0].score > matcher.find("刻章")[0].score  # severity 5 vs 3


def test_detector_reports_title_field_and_evidence() -> None:
    engine = Engine("cn-cac-2025")
    decision = engine.screen(Post(id="p1", title="代開發票", text="联系我 dkfp"))
    sigs = [s for s in decision.signals if s.detector == "lexicon"]
    title = [s for s in sigs if s.evidence.get("field") == "title"]
    assert title and title[0].evidence["span"] == [0, 4] and title[0].evidence["excerpt"] == "代開發票"
    body = [s for s in sigs if "field" not in s.evidence]
    assert body and body[0].evidence["evasion"] == "initials" and body[0].evidence["span"] == [4, 8]
    assert decision.verdict == "restrict"


def test_bundled_lexicon_terms_all_match_themselves() -> None:
    lex = load_lexicon(DEFAULT_LEXICON)
    m = LexiconMatcher(lex.terms, lex.allowed)
    for t in lex.terms:
        assert t.term in {h.term for h in m.find(f" {t.term} ")}, t.term


@pytest.mark.slow
def test_fifty_thousand_terms_compile_and_match() -> None:
    rnd = random.Random(3)
    han = [chr(c) for c in range(0x4E00, 0x9FA6)]
    terms = [LexiconTerm("".join(rnd.choice(han) for _ in range(rnd.choice((2, 3, 4)))), "x", 3) for _ in range(50_000)]
    terms.append(LexiconTerm("代开发票", "fraud", 4))
    m = LexiconMatcher(terms)
    assert m.term_count == 50_001
    assert "代开发票" in {h.term for h in m.find("长期代·開·发票")}
    target = terms[12345].term
    assert target in {h.term for h in m.find(f"xx{target}yy")}


def test_hostile_inputs_do_not_crash(matcher: LexiconMatcher) -> None:
    assert matcher.find("") == []
    assert matcher.find("\ud800代开发票\udfff")[0].excerpt == "代开发票"
    big = ("正常文字" * 50_000) + "代开发票"
    hits = matcher.find(big)
    assert hits and big[hits[0].start : hits[0].end] == "代开发票"
    assert matcher.find("\x00\x01\x02" * 1000) == []


ALPHABET = "代开发票發票刻章亥刂裸聊撩哈三黄片fuckshitas$@01 .*·\u200b❤😀\ud800ｆс𝐟"


@settings(max_examples=300)
@given(text=st.text(alphabet=st.sampled_from(ALPHABET), max_size=60))
def test_spans_are_always_valid(text: str) -> None:
    for h in _shared().find(text):
        assert 0 <= h.start < h.end <= len(text)
        assert text[h.start : h.end] == h.excerpt
        assert 0 < h.score <= 1


@settings(max_examples=200)
@given(text=st.text(max_size=80))
def test_any_unicode_never_crashes(text: str) -> None:
    _shared().find(text)


def test_evaluation_corpus_meets_the_targets() -> None:
    """The labelled corpus of bench/eval_lexicon.py at reduced size: recall >= 0.95 at precision >= 0.98."""
    sys.path.insert(0, str(ROOT))
    from bench.eval_lexicon import evaluate

    scores = evaluate(reps=2, negatives=300)
    assert scores.precision >= 0.98, scores.false_hits[:5]
    assert scores.recall >= 0.95, scores.misses[:10]
    for kind, total in scores.by_evasion.items():
        assert scores.found_by_evasion[kind] / total >= 0.85, kind


def test_long_texts_are_read_in_windows_with_exact_spans(matcher: LexiconMatcher) -> None:
    from brightline.text.lexicon import OVERLAP, WINDOW

    filler = "正常文字 normal class words "
    text = filler * (3 * WINDOW // len(filler))
    spots = [0, WINDOW - 2, WINDOW + OVERLAP // 2, len(text)]  # at a window edge and inside an overlap
    for at in sorted(spots, reverse=True):
        text = text[:at] + " 代开发票 " + text[at:]
    hits = [h for h in matcher.find(text) if h.term == "代开发票"]
    assert len(hits) == len(spots)
    assert all(text[h.start : h.end] == "代开发票" for h in hits)
    assert not [h for h in matcher.find(text) if h.term == "ass"]  # no word cut in two at an edge
