"""Shared generator of the text benchmark / evaluation corpus (deterministic for a given seed).

Used by ``bench/text.py`` (throughput), ``bench/eval_lexicon.py`` (precision/recall) and importable by other
benchmarks and the red-team harness::

    from bench.corpus import make_lexicon, bundled_allowed, make_posts, evade, EVASIONS

- ``make_lexicon(n)``: the bundled example terms plus random 2-4 character Han terms drawn from the CJK
  Unified Ideographs block and a few English phrases -- the shape of the reference pilot's 20k-term list
  (reference §1.5). Homophone substitutes come from the 3,755 level-1 GB2312 characters (the common ones;
  the ``gb2312`` codec lists them, so no data file is needed).
- ``make_posts(n)``: mixed zh/en posts of 20-500 characters assembled from benign carrier sentences written
  for this corpus; a given share carries a lexicon term written with one of the evasions.
- ``evade(term, kind, rnd)``: one written form of a term for each evasion type in ``EVASIONS``.

Run ``python bench/corpus.py`` to print a sample.
"""

from __future__ import annotations

import random
import sys
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from brightline.redteam.variants import common_han, homophone_table  # noqa: E402  (3,755 level-1 GB2312 chars)
from brightline.registries import DEFAULT_LEXICON, load_lexicon  # noqa: E402
from brightline.registries.lexicon import LexiconTerm  # noqa: E402

ZH_SENTENCES = [
    "今天天气很好，我们一起去公园散步吧。",
    "这家店的牛肉面味道不错，价格也实惠。",
    "周末带孩子去图书馆看书，收获很多。",
    "新买的手机拍照效果比想象中好。",
    "明天上午九点开会，请大家准时参加。",
    "最近在学做饭，第一次做红烧肉就成功了。",
    "地铁三号线今天早上有点拥挤。",
    "祝你生日快乐，天天开心！",
    "这本小说的结局让人意想不到。",
    "医生开了三黄片，说是清热解毒的。",
    "银行今天开展反洗钱知识宣传活动。",
    "小区门口新开了一家水果店，草莓很新鲜。",
    "晚上跑步五公里，感觉身体越来越好了。",
    "老师布置的作业有点多，要写到很晚。",
    "春节回家的车票终于抢到了。",
    "这部电影的配乐非常动人，推荐大家去看。",
    "公司楼下的咖啡店周一到周五有优惠。",
    "家电上门服务很及时，师傅态度也好。",
    "大约炮火声停了以后，村民们才走出来。",
    "这个视频太搞笑了，气氛一下子就活跃起来。",
    "警方提醒：网络刷单都是诈骗，切勿轻信。",
    "我们班下周要进行期中考试，大家加油。",
    "奶奶种的西红柿今年收成特别好。",
    "请问去火车站怎么走？",
    "这款笔记本电脑的续航时间大约十个小时。",
    "会计提醒大家月底前把发票交上来报销。",
    "体育课上我们学习了打篮球的基本动作。",
    "旅行的意义在于发现不一样的自己。",
]
EN_SENTENCES = [
    "The weather is lovely today, let's go for a walk in the park.",
    "Our class assessment is scheduled for Friday morning.",
    "Please pass the salt and the glass of water.",
    "The new phone has a surprisingly good camera.",
    "I finally finished reading that mystery novel.",
    "The bass player in that band is incredible.",
    "She signed up for a cooking class at the community center.",
    "Traffic on the highway was heavy this morning.",
    "The museum has a new exhibition about ancient Egypt.",
    "He grabbed a cocktail at the hotel bar after the meeting.",
    "Our team won the match in the last minute!",
    "Remember to submit the expense report by Thursday.",
    "The grass in the backyard needs cutting again.",
    "This recipe calls for two cups of flour and three eggs.",
    "The assistant manager will be in charge of scheduling.",
    "Scunthorpe United played a great game on Saturday.",
    "We watched the documentary about the Essex coastline.",
    "The passage in chapter three explains the whole plot.",
    "Shipping takes about five business days.",
    "Happy birthday! Wishing you all the best.",
]
EVASIONS = (
    "exact", "width", "traditional", "noise", "zero_width", "emoji", "repeat",
    "homophone", "pinyin", "initials", "split", "confusable", "math", "spaced", "leet",
)
# Which evasions apply to which script (a Chinese term has no leetspeak; an English one no pinyin).
ZH_EVASIONS = ("exact", "width", "traditional", "noise", "zero_width", "emoji", "repeat",
               "homophone", "pinyin", "initials", "split")
EN_EVASIONS = ("exact", "width", "noise", "zero_width", "repeat", "confusable", "math", "spaced", "leet")

_NOISE = ["·", " ", "*", "-", "_", "/", "|", "。", "~", "❤", "★", "♪"]
_ZERO_WIDTH = ["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u3164", "\u00ad"]
_EMOJI = ["😀", "🔥", "👍🏻", "❤️", "🌸", "💰", "✨"]
_CYRILLIC = {"a": "а", "c": "с", "e": "е", "o": "о", "p": "р", "x": "х", "y": "у", "i": "і", "s": "ѕ"}
_LEET = {"a": "4", "e": "3", "i": "1", "o": "0", "s": "$"}


@lru_cache(maxsize=1)
def _homophones() -> dict[str, list[str]]:
    # A substitute that normalization itself rewrites (乾 -> 干) is a traditional-form evasion, not a homophone.
    from brightline.text import normalize

    table = homophone_table()
    stable = [c for c in common_han() if normalize(c) == c]
    keep = set(stable)
    return {ch: [c for c in table.get(ch, ()) if c in keep] for ch in stable}


def _s2t(text: str) -> str:
    return _s2t_cc().convert(text) if text else text


@lru_cache(maxsize=1)
def _s2t_cc():  # type: ignore[no-untyped-def]
    import opencc

    return opencc.OpenCC("s2t")


def _insert(term: str, pool: list[str], rnd: random.Random) -> str:
    out = [term[0]]
    for ch in term[1:]:
        out.append(rnd.choice(pool))
        out.append(ch)
    return "".join(out)


def evade(term: str, kind: str, rnd: random.Random) -> str | None:
    """Write ``term`` with evasion ``kind``; None if the evasion does not apply to this term."""
    from pypinyin import Style, lazy_pinyin

    from brightline.text.variants import is_han, split_forms

    han = all(is_han(c) for c in term)
    if kind == "exact":
        return term
    if kind == "width":
        return "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in term) if not han else None
    if kind == "traditional":
        t = _s2t(term)
        return t if t != term else None
    if kind == "noise":
        return _insert(term, _NOISE, rnd)
    if kind == "zero_width":
        return _insert(term, _ZERO_WIDTH, rnd)
    if kind == "emoji":
        return _insert(term, _EMOJI, rnd)
    if kind == "repeat":
        k = rnd.randrange(len(term))
        return term[:k] + term[k] * rnd.randint(2, 4) + term[k + 1 :] if term[k] != " " else None
    if kind == "homophone" and han:
        positions = [k for k, c in enumerate(term) if _homophones().get(c)]
        if not positions:
            return None
        k = rnd.choice(positions)
        return term[:k] + rnd.choice(_homophones()[term[k]]) + term[k + 1 :]
    if kind == "pinyin" and han:
        sep = rnd.choice(["", " "])
        return sep.join(lazy_pinyin(term, style=Style.NORMAL))
    if kind == "initials" and han and len(term) >= 3:
        return "".join(s[0] for s in lazy_pinyin(term, style=Style.NORMAL))
    if kind == "split" and han:
        positions = [(k, f) for k, c in enumerate(term) for f in split_forms(c)]
        if not positions:
            return None
        k, form = rnd.choice(positions)
        return term[:k] + form + term[k + 1 :]
    if not han and term.isascii():
        if kind == "confusable":
            swaps = [k for k, c in enumerate(term) if c in _CYRILLIC]
            if not swaps:
                return None
            k = rnd.choice(swaps)
            return term[:k] + _CYRILLIC[term[k]] + term[k + 1 :]
        if kind == "math":  # mathematical bold
            return "".join(
                chr(0x1D41A + ord(c) - 97) if "a" <= c <= "z" else chr(0x1D400 + ord(c) - 65) if "A" <= c <= "Z" else c
                for c in term
            )
        if kind == "spaced":
            return " ".join(term.replace(" ", ""))
        if kind == "leet":
            swaps = [k for k, c in enumerate(term) if c in _LEET]
            if not swaps:
                return None
            k = rnd.choice(swaps)
            return term[:k] + _LEET[term[k]] + term[k + 1 :]
    return None


def bundled_terms() -> list[LexiconTerm]:
    """The example lexicon shipped with brightline."""
    return list(load_lexicon(DEFAULT_LEXICON).terms)


def bundled_allowed() -> list[str]:
    """The allow-list (benign superstrings) shipped with the example lexicon."""
    return list(load_lexicon(DEFAULT_LEXICON).allowed)


def make_lexicon(n: int = 20_000, seed: int = 7) -> list[LexiconTerm]:
    """``n`` terms: the bundled ones, then random 2-4 char common-Han terms and a few English phrases."""
    rnd = random.Random(seed)
    terms = bundled_terms()
    seen = {t.term for t in terms}
    # The whole CJK Unified Ideographs block, as in the reference pilot: a list of random common-character
    # strings would keep hitting the benign carrier sentences and measure the list, not the matcher.
    han = [chr(c) for c in range(0x4E00, 0x9FA6)]
    from brightline.text import normalize

    # Every pair of carrier sentences, folded: a random term must not occur in benign text by accident.
    benign = "|".join(normalize(a + b) for a in ZH_SENTENCES for b in ZH_SENTENCES)
    words = "alpha bravo cargo delta ember falcon garnet harbor island jasper kettle lumen".split()
    categories = ("fraud", "gambling", "sexual", "drugs", "weapons")
    while len(terms) < n:
        if rnd.random() < 0.05:
            term = f"{rnd.choice(words)} {rnd.choice(words)}{rnd.randint(10, 99)}"
        else:
            term = "".join(rnd.choice(han) for _ in range(rnd.choice((2, 3, 3, 4, 4))))
        if term not in seen and normalize(term) not in benign:
            seen.add(term)
            terms.append(LexiconTerm(term, rnd.choice(categories), rnd.randint(1, 5)))
    return terms[:n]


@dataclass(frozen=True, slots=True)
class BenchPost:
    """One generated post and, when it carries a term, which term and how it was written."""

    id: str
    text: str
    term: str | None = None
    evasion: str | None = None


def carrier(rnd: random.Random, length: int) -> str:
    """Benign mixed zh/en text of about ``length`` characters."""
    parts: list[str] = []
    size = 0
    zh_share = rnd.random()
    while size < length:
        s = rnd.choice(ZH_SENTENCES) if rnd.random() < zh_share else rnd.choice(EN_SENTENCES) + " "
        parts.append(s)
        size += len(s)
    text = "".join(parts)
    if len(text) > length and text[length - 1 : length + 1].isascii() and text[length - 1 : length + 1].isalpha():
        # Never cut an English word in two: "assistant" cut to "ass" would be a real (unintended) hit.
        return text[:length].rstrip("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")
    return text[:length]


def make_posts(
    n: int = 100_000, seed: int = 11, terms: list[LexiconTerm] | None = None, violation_share: float = 0.1
) -> list[BenchPost]:
    """``n`` posts of 20-500 chars; ``violation_share`` of them embed a term with a random evasion."""
    rnd = random.Random(seed)
    terms = terms if terms is not None else bundled_terms()
    posts: list[BenchPost] = []
    for k in range(n):
        length = rnd.randint(20, 500)
        text = carrier(rnd, length)
        if rnd.random() < violation_share and terms:
            t = rnd.choice(terms)
            kinds = EN_EVASIONS if t.term.isascii() else ZH_EVASIONS
            kind = rnd.choice(kinds)
            written = evade(t.term, kind, rnd) or t.term
            # Spaces around the term: an English term must stand as a word; Chinese text does not care.
            at = rnd.randint(0, len(text))
            text = text[:at] + " " + written + " " + text[at:]
            posts.append(BenchPost(f"p{k}", text, t.term, kind))
        else:
            posts.append(BenchPost(f"p{k}", text))
    return posts


if __name__ == "__main__":
    rnd = random.Random(1)
    lex = make_lexicon(1000)
    print(f"lexicon sample ({len(lex)} terms):", [t.term for t in lex[-5:]])
    for t in bundled_terms()[:3] + bundled_terms()[-3:]:
        print(t.term, {k: evade(t.term, k, rnd) for k in EVASIONS if evade(t.term, k, random.Random(2))})
    posts = make_posts(2000, terms=lex)
    sizes = sorted(len(p.text) for p in posts)
    print(f"posts: {len(posts)}, chars p50 {sizes[len(sizes) // 2]}, max {sizes[-1]}, "
          f"with a term: {sum(p.term is not None for p in posts)}")
