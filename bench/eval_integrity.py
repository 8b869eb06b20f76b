"""Precision and recall of the integrity detectors on generated, labelled sets.

    .venv/bin/python bench/eval_integrity.py [--seed 7] [--scale 1.0] [--detector claims|source|qualification|recycled]

Each set is generated here, from the bundled registries and fixed phrase tables, with a seeded RNG, so a
run is reproducible. What the sets contain:

* ``claims.debunked`` — positives: every claim of the bundled ClaimReview registry repeated as an exact
  copy, padded into a longer post, converted between traditional and simplified script, with symbols or
  spaces inserted, shortened (a clause or a chunk dropped), reworded (synonyms, a vague lead-in) and
  reworded + padded. Negatives: everyday posts, posts that reuse a claim's key words in another sentence,
  and posts that quote a claim to refute it (谣言 / "false"), which must not be flagged. A positive counts as
  found only when the right claim id is reported.
* ``source.missing`` / ``source.vague`` — news posts built from event templates with no source, a vague
  attribution, a hidden source (tail / tiny markup) or a named source; everyday posts as negatives.
* ``qualification.missing`` — advice posts per domain by unqualified, expired and qualified authors; title
  claims in account names; benign posts that mention the same words.
* ``media.recycled`` — generated images re-posted (re-encoded, resized, lightly edited) long after first
  seen with "just now"/"刚刚" wording; negatives: fresh images, old images posted without "new" wording,
  different images.

Targets in the issue are for impersonation (recall ≥ 0.95 at precision ≥ 0.98); these sets use the same bar.
"""

from __future__ import annotations

import argparse
import random
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

# -- shared scoring ---------------------------------------------------------------------------------------


@dataclass
class Score:
    """Counts for one detector: a case is (expected label or None, predicted label or None)."""

    name: str
    tp: int = 0
    fp: int = 0
    fn: int = 0
    tn: int = 0
    misses: list[str] = field(default_factory=list)
    false_alarms: list[str] = field(default_factory=list)

    def add(self, expected: str | None, predicted: str | None, text: str) -> None:
        if expected is None:
            if predicted is None:
                self.tn += 1
            else:
                self.fp += 1
                self.false_alarms.append(f"{text[:70]!r} -> {predicted}")
        elif predicted == expected:
            self.tp += 1
        else:
            self.fn += 1
            if predicted is not None:
                self.fp += 1  # the wrong claim is also a false alarm
            self.misses.append(f"{text[:70]!r} expected {expected} got {predicted}")

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    def line(self) -> str:
        return (
            f"{self.name:<24} precision {self.precision:6.3f}  recall {self.recall:6.3f}  "
            f"(tp {self.tp}, fp {self.fp}, fn {self.fn}, tn {self.tn})"
        )


# -- claims.debunked -------------------------------------------------------------------------------------

ZH_FILLER = [
    "今天下班路上看到的，大家看看。", "家里长辈发到群里的，转给大家。", "最近天气越来越冷了，注意保暖。",
    "周末带孩子去了趟公园。", "晚饭做了红烧肉，味道还行。", "各位朋友早上好。", "收藏起来慢慢看。",
    "转发给你关心的人。", "这个一定要告诉家里人！", "我也不知道真假，先发出来。",
]
EN_FILLER = [
    "Saw this on my way home today.", "My aunt shared this in the family group.", "Stay safe out there everyone.",
    "Long week, glad it's Friday.", "Share with the people you care about.", "Not sure what to make of this.",
    "Good morning friends!", "Read this before it gets deleted.", "Just passing it on.",
]
ZH_LEADS = ["网传", "紧急扩散！", "重要提醒：", "医生朋友说", "刚看到新闻，", "震惊！"]
EN_LEADS = ["BREAKING:", "Doctors won't tell you this:", "Wake up people,", "Just learned that", "PSA:"]
ZH_SYNONYMS = [
    ("可以", "能"), ("能够", "能"), ("会", "将会"), ("预防", "防止"), ("导致", "引起"), ("一定", "肯定"),
    ("已经", "已"), ("全部", "统一"), ("将", "要"), ("不要", "别"), ("赶紧", "赶快"), ("吃了", "食用后"),
    ("人体", "人的"), ("孩子", "小孩"), ("立即", "马上"), ("多吃", "常吃"), ("可能", "或许"),
]
EN_SYNONYMS = [
    ("cures", "heals"), ("causes", "leads to"), ("prevents", "stops"), ("spread", "are spreading"),
    ("contain", "have"), ("people", "citizens"), ("permanently", "forever"), ("proves", "shows"),
    ("makes", "turns"), ("the government", "governments"), ("children", "kids"), ("will start", "is going to start"),
]
ZH_NEAR_MISS = [
    "{a}的价格最近又涨了，{b}也不便宜。", "今天和同事聊到{a}，顺便说了说{b}。", "{a}和{b}哪个更好？求推荐。",
    "我家楼下新开了一家店，主打{a}。", "关于{a}的科普视频，讲得很清楚，{b}部分也不错。",
]
EN_NEAR_MISS = [
    "Anyone have a good recipe with {a}? Also looking for {b} tips.", "Talked about {a} and {b} at lunch today.",
    "The {a} documentary was great, the part on {b} especially.", "Is {a} worth it? Asking for a friend.",
]
ZH_REFUTE = ["“{c}”？这是谣言，别再转了。", "辟谣：{c}的说法不实。", "{c}——假的！专家已经澄清。"]
EN_REFUTE = ["Fact check: the claim that {c} is false.", "No, {c}. This is a myth.", "Debunked: \"{c}\" is not true."]
EVERYDAY = [
    "周末和朋友去爬山，风景很好。", "这家奶茶店的新品还不错。", "孩子今天第一次自己骑车！", "推荐一本最近读的小说。",
    "Baked sourdough today and it came out great.", "Our team won the match last night!", "New episode of my podcast is up.",
    "下雨天适合在家看电影。", "健身第30天打卡。", "Cooking tip: rest the steak before cutting it.",
]


def _clauses_zh(text: str) -> list[str]:
    import re

    return [c for c in re.split(r"[，,。；;]", text) if c]


def _shorten(rng: random.Random, claim: str, zh: bool) -> str:
    if zh:
        parts = _clauses_zh(claim)
        if len(parts) > 1:
            return parts[0] if len(parts[0]) >= 6 else "，".join(parts[:2])
        n = len(claim)
        cut = max(1, n // 5)
        start = rng.randrange(1, max(2, n - cut))
        return claim[:start] + claim[start + cut:]
    words = claim.split()
    if len(words) <= 5:
        return claim
    cut = max(1, len(words) // 5)
    start = rng.randrange(1, len(words) - cut)
    return " ".join(words[:start] + words[start + cut:])


def _reword(rng: random.Random, claim: str, zh: bool) -> str:
    table = ZH_SYNONYMS if zh else EN_SYNONYMS
    out = claim
    changed = 0
    for a, b in rng.sample(table, len(table)):
        if a in out and changed < 2:
            out = out.replace(a, b, 1)
            changed += 1
    lead = rng.choice(ZH_LEADS if zh else EN_LEADS)
    return f"{lead}{out}" if zh else f"{lead} {out[0].lower()}{out[1:]}"


def _insert_symbols(rng: random.Random, claim: str, zh: bool) -> str:
    if zh:
        chars = list(claim)
        for _ in range(max(2, len(chars) // 6)):
            i = rng.randrange(1, len(chars))
            chars.insert(i, rng.choice([" ", "*", "·", "~", "❤"]))
        return "".join(chars)
    return claim.upper() + "!!!"


def claims_cases(rng: random.Random, scale: float = 1.0) -> Iterator[tuple[str, str | None]]:
    """(post text, expected claim id or None) for the bundled registry."""
    import opencc

    from brightline.registries import Registries

    s2t, t2s = opencc.OpenCC("s2t"), opencc.OpenCC("t2s")
    claims = Registries.load().claims.claims
    reps = max(1, round(scale))
    for _ in range(reps):
        for c in claims:
            zh = bool(c.language and c.language.startswith("zh"))
            text = c.claim
            filler = ZH_FILLER if zh else EN_FILLER
            sep = "" if zh else " "
            yield text, c.id
            yield sep.join([rng.choice(filler), rng.choice(filler), text, rng.choice(filler)]), c.id
            if zh:
                yield (t2s.convert(text) if c.language == "zh-Hant" else s2t.convert(text)), c.id
            yield _insert_symbols(rng, text, zh), c.id
            yield _shorten(rng, text, zh), c.id
            yield _reword(rng, text, zh), c.id
            yield sep.join([rng.choice(filler), _reword(rng, text, zh), rng.choice(filler)]), c.id
            # Negatives built from the same claim.
            words = [w for w in (list(dict.fromkeys(_clauses_zh(text)[0][i:i + 2] for i in range(0, 8, 2))) if zh
                                 else [w for w in text.split() if len(w) > 4])] or ["这个"]
            a, b = rng.choice(words), rng.choice(words)
            yield rng.choice(ZH_NEAR_MISS if zh else EN_NEAR_MISS).format(a=a, b=b), None
            yield rng.choice(ZH_REFUTE if zh else EN_REFUTE).format(c=text.rstrip("。")), None
            yield rng.choice(EVERYDAY), None


def eval_claims(rng: random.Random, scale: float) -> Score:
    from brightline.engine import Engine
    from brightline.model import Post

    engine = Engine(detectors=["claims"])
    score = Score("claims.debunked")
    for n, (text, expected) in enumerate(claims_cases(rng, scale)):
        sigs = [s for s in engine.screen(Post(id=f"c{n}", text=text)).signals if s.detector == "claims.debunked"]
        predicted = sigs[0].evidence["claim_id"] if sigs else None
        if expected is not None and any(s.evidence["claim_id"] == expected for s in sigs):
            predicted = expected
        score.add(expected, predicted, text)
    return score


EVALS: dict[str, Callable[[random.Random, float], list[Score] | Score]] = {
    "claims": eval_claims,
}


def run(names: list[str], seed: int, scale: float, show: int = 5) -> list[Score]:
    """Run the named evaluations; print one line per detector and a few misses."""
    scores: list[Score] = []
    for name in names:
        got = EVALS[name](random.Random(seed), scale)
        for s in got if isinstance(got, list) else [got]:
            scores.append(s)
            print(s.line())
            for m in s.misses[:show]:
                print("    miss:", m)
            for m in s.false_alarms[:show]:
                print("    false alarm:", m)
    return scores


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--scale", type=float, default=1.0, help="repeat the generated sets this many times")
    ap.add_argument("--detector", choices=sorted(EVALS), action="append")
    ap.add_argument("--show", type=int, default=5, help="misses and false alarms to print per detector")
    args = ap.parse_args()
    run(args.detector or sorted(EVALS), args.seed, args.scale, args.show)


if __name__ == "__main__":
    main()
