"""The canonical matching form: each evasion type folds away, offsets point into the ORIGINAL text, and the
fast and offset paths always agree."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from brightline.text import Normalized, digits_view, normalize, normalize_with_offsets

# Text that mixes the characters evasion uses: CJK (simplified and traditional), Latin, Cyrillic/Greek
# look-alikes, full-width and math letters, circled digits, emoji, zero-width and other ignorables,
# lone surrogates and controls.
EVASIVE_ALPHABET = (
    "微信加我代开发票發票刻章亥刂哈一二三幺两〇壹貳零"
    "abcfkuyABCFKUY0123456789 .@/:_-+"
    "асеорхνοΗΑ𝐟𝐮𝕗ⓤⒸⓚＡｂｃ１２３①③⑧⑩❶➀⓵㈠⑴⒈"
    "❤😀👍🏻\u200b\u200c\u200d\u2060\ufeff\u00ad\u3164\ufe0f\U000e0041\u20e3·。•"
    "\ud800\udfff\x00\x07\n\t"
)
evasive_text = st.text(alphabet=st.sampled_from(EVASIVE_ALPHABET), max_size=80)
any_text = st.text(alphabet=st.characters(codec=None, min_codepoint=0, max_codepoint=0x10FFFF), max_size=80)
keep_sets = st.sampled_from(["", ".", ".@/:_-+", "@", "/:"])


@pytest.mark.parametrize(
    ("raw", "canonical"),
    [
        ("Ｆｕｃｋ", "fuck"),  # full-width
        ("FUCK", "fuck"),  # case
        ("fuсk", "fuck"),  # Cyrillic с (U+0441)
        ("Ηеllο", "helo"),  # Greek Η, Cyrillic е, Greek ο; ll collapses
        ("𝐟𝐮𝐜𝐤", "fuck"),  # mathematical bold
        ("𝕗ⓤⒸ𝗸", "fuck"),  # double-struck, circled, sans-serif
        ("fück", "fuck"),  # accent
        ("發票", "发票"),  # traditional -> simplified
        ("代開發票", "代开发票"),
        ("微\u200b信", "微信"),  # zero-width space
        ("微\u3164信", "微信"),  # HANGUL FILLER (category Lo, default-ignorable)
        ("微\ufe0f信", "微信"),  # variation selector
        ("微\U000e0041信", "微信"),  # tag character
        ("微 信", "微信"),
        ("微.信", "微信"),
        ("微❤信", "微信"),  # emoji between characters
        ("微👍🏻信", "微信"),  # emoji + skin tone
        ("微★信", "微信"),
        ("代代代开开发票票", "代开发票"),  # repeats
        ("哈哈哈哈", "哈"),
        ("①③⑧", "138"),  # circled
        ("⑴⑵⑶", "123"),  # parenthesised
        ("⒈⒉", "12"),  # digit with full stop
        ("❶➀➊⓵⓿", "11110"),  # dingbat digits NFKC leaves alone
        ("1️⃣3️⃣8️⃣", "138"),  # emoji keycaps
        ("１３８", "138"),  # full-width digits
        ("¹³⁸", "138"),  # superscript
        ("⑩", "10"),
        ("13800138000", "13800138000"),  # digit runs are never collapsed
        ("幺三八八八", "幺三八八八"),  # nor Chinese numerals
    ],
)
def test_each_evasion_folds_to_the_canonical_form(raw: str, canonical: str) -> None:
    assert normalize(raw) == canonical
    assert normalize_with_offsets(raw).text == canonical


def test_chinese_numerals_become_digits_only_in_the_digits_view() -> None:
    text = normalize("幺三八 零〇一二 两 壹貳叁肆伍陸柒捌玖 一起")
    assert "一" in text  # the canonical form keeps 一 so words like 一起 still match
    view = digits_view(text)
    assert view.startswith("138001221234567891")
    assert len(view) == len(text)


def test_keep_preserves_url_and_email_structure() -> None:
    assert normalize("t.me/abc") == "tmeabc"
    assert normalize("t.me/abc", keep=".@/:_-+") == "t.me/abc"
    assert normalize("t·me/abc", keep=".@/:_-+") == "t.me/abc"
    assert normalize("abc＠ｑｑ．ｃｏｍ", keep=".@/:_-+", collapse=False) == "abc@qq.com"
    assert normalize("https://t.me", keep=".@/:_-+") == "htps://t.me"  # kept chars never collapse
    assert normalize("https://t.me", keep=".@/:_-+", collapse=False) == "https://t.me"
    assert normalize("wx_id-1", keep="_-") == "wx_id-1"


def test_keep_rejects_characters_outside_the_structural_set() -> None:
    with pytest.raises(ValueError):
        normalize("abc", keep="#")


def test_offsets_point_at_the_original_text() -> None:
    raw = "请加 微\u200b信：ＡＢＣ①②  發票"
    n = normalize_with_offsets(raw)
    assert n.text == "请加微信abc12发票"
    i = n.text.index("微信")
    assert n.excerpt(i, i + 2) == "微\u200b信"
    j = n.text.index("abc")
    assert n.span(j, j + 3) == (raw.index("Ａ"), raw.index("Ｃ") + 1)
    k = n.text.index("发票")
    assert n.excerpt(k, k + 2) == "發票"


def test_collapsed_runs_cover_every_repeat_and_count_them() -> None:
    raw = "代 代代开开"
    n = normalize_with_offsets(raw)
    assert n.text == "代开"
    assert n.excerpt(0, 1) == "代 代代"
    assert n.runs == [3, 2]


def test_collapse_can_be_turned_off() -> None:
    assert normalize("google", collapse=False) == "google"
    assert normalize_with_offsets("aabb", collapse=False).text == "aabb"


def test_empty_and_ignorable_only_inputs() -> None:
    assert normalize("") == ""
    n = normalize_with_offsets("\u200b\u200b  ")
    assert n.text == "" and n.span(0, 0) == (4, 4)


def test_hostile_inputs_do_not_crash() -> None:
    assert normalize("a\ud800b\udfff") == "ab"  # lone surrogates
    assert normalize("\x00\x01\x7f微信\x1b[31m") == "微信31m"  # controls (ANSI escape text stays)
    big = "加我微信" * 50_000  # 200k chars
    n = normalize_with_offsets(big)
    assert n.text == normalize(big)
    assert n.span(0, len(n.text)) == (0, len(big))


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(text=evasive_text, keep=keep_sets, collapse=st.booleans())
def test_fast_and_offset_paths_agree(text: str, keep: str, collapse: bool) -> None:
    assert normalize_with_offsets(text, keep=keep, collapse=collapse).text == normalize(
        text, keep=keep, collapse=collapse
    )


@settings(max_examples=300)
@given(text=any_text)
def test_fast_and_offset_paths_agree_on_any_unicode(text: str) -> None:
    assert normalize_with_offsets(text).text == normalize(text)


def _check_spans(n: Normalized) -> None:
    size = len(n.original)
    for k in range(len(n.text)):
        assert 0 <= n.starts[k] < n.ends[k] <= size
        if k:  # spans advance through the original in order
            assert n.starts[k - 1] <= n.starts[k] and n.ends[k - 1] <= n.ends[k]
    for i in range(len(n.text) + 1):
        for j in range(i, min(len(n.text), i + 4) + 1):
            s, e = n.span(i, j)
            assert 0 <= s <= e <= size


@settings(max_examples=300)
@given(text=evasive_text, keep=keep_sets)
def test_spans_are_always_valid_and_ordered(text: str, keep: str) -> None:
    _check_spans(normalize_with_offsets(text, keep=keep))


@settings(max_examples=200)
@given(text=evasive_text)
def test_each_canonical_char_comes_from_its_span(text: str) -> None:
    n = normalize_with_offsets(text)
    for k, ch in enumerate(n.text):
        # Re-normalizing the original span (without collapse) yields the canonical char.
        assert ch in normalize(n.excerpt(k, k + 1), collapse=False)


@settings(max_examples=300)
@given(text=any_text)
def test_normalization_is_idempotent(text: str) -> None:
    once = normalize(text)
    assert normalize(once) == once


@settings(max_examples=200)
@given(text=evasive_text)
def test_digits_view_keeps_length(text: str) -> None:
    t = normalize(text)
    assert len(digits_view(t)) == len(t)


@settings(max_examples=300)
@given(text=evasive_text, keep=keep_sets, collapse=st.booleans())
def test_offset_fast_path_equals_the_reference_loop(text: str, keep: str, collapse: bool) -> None:
    from brightline.text.normalize import _offsets_by_loop

    fast = normalize_with_offsets(text, keep=keep, collapse=collapse)
    ref = _offsets_by_loop(text, keep, collapse)
    assert (fast.text, fast.starts, fast.ends, fast.runs) == (ref.text, ref.starts, ref.ends, ref.runs)
