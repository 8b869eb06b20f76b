"""Labelled evaluation of the ``lexicon`` detector: precision and recall on evasion variants and benign
near-misses (SPEC target: recall >= 0.95 at precision >= 0.98).

How the corpus is made (deterministic, seed below):
- positives: every term of the bundled lexicon, written with every evasion that applies to it
  (``bench.corpus.evade``: exact, width, traditional, noise, zero-width, emoji, repeat, homophone, pinyin,
  initials, split, Cyrillic look-alike, math letters, spaced, leet), ``--reps`` times each, embedded in a
  benign zh/en carrier text. A positive is found when the detector reports that term.
- negatives: benign carrier texts plus hand-written near-misses: allow-listed words (三黄片, 反洗钱),
  words sharing characters or sounds with terms (赌气, 时时刻刻, 彩票店, 聊天, 裸露, 病毒 ~ 冰毒), clause breaks between
  term characters (好笑，气死了), English words containing terms (class, assessment, bass, Scunthorpe).
- precision counts every reported hit: on a negative, or a term on a positive that is neither the target
  nor contained in it / containing it (刻章 inside 办证刻章), is a false positive.

Run: ``python bench/eval_lexicon.py [--reps N]``; ``tests/test_lexicon.py`` runs it at reduced size.
"""

from __future__ import annotations

import argparse
import random
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from bench.corpus import EN_EVASIONS, ZH_EVASIONS, bundled_terms, carrier, evade  # noqa: E402
from bench.scoring import PrecisionRecall  # noqa: E402
from brightline.registries import DEFAULT_LEXICON, load_lexicon  # noqa: E402
from brightline.text.lexicon import LexiconMatcher  # noqa: E402

NEAR_MISSES = [
    "医生给我开了三黄片，吃了两天好多了。",
    "公司组织学习反洗钱法规，大家都很认真。",
    "警方开展反网赌专项行动，抓获多名嫌疑人。",
    "他又在赌气，不肯吃饭。",
    "我们要时时刻刻注意安全。",
    "楼下彩票店今天人很多。",
    "和老朋友聊天聊到深夜。",
    "夏天穿短裤裸露的皮肤容易晒伤。",
    "我们约好了明天一起去爬山。",
    "过年放炮仗要注意安全。",
    "花园里开满了黄色的花，还有几片落叶。",
    "这个套餐很划算，现金支付还有折扣。",
    "冰箱里的饮料已经喝完了。",
    "动物园里的毒蛇被关在玻璃箱里。",
    "他说话太好笑，气得我都笑不出来了。",
    "记得让财务开发票，月底要报销。",
    "发票已经开好了，请查收。",
    "刻苦学习是成功的关键，这篇文章写得很好。",
    "大麻雀在树上叽叽喳喳地叫。",
    "家电上门服务很及时，师傅很专业。",
    "枪声响起，运动员冲出了起跑线。",
    "他开发了一个新的票务系统。",
    "这是一款仿真度很高的模型飞机。",
    "管制区域内禁止刀具和易燃物品。",
    "网上读书会每周六晚上举行。",
    "电脑中了病毒，文件都打不开了。",
    "Our class assessment is on Friday; pass the grass, please.",
    "The bass guitarist joined the classical ensemble.",
    "Scunthorpe and Essex are both in England.",
    "He is an assistant professor of mass communication.",
    "We ordered shiitake mushrooms and a cocktail.",
    "The casino royale film was on TV, and we talked about online safety.",
    "Please don't use the porno-graphic filter as a joke; it's a portal setting.",
    "She bought a gun-metal grey bicycle.",
    "The escort ship service schedule was delayed.",
    "Call me at 4 pm, ok? I have 3 tasks and 1 meeting.",
    "I'm using my email a1@b2.com and password h@ppy!",
]


@dataclass
class Scores(PrecisionRecall):
    tp: int = 0
    fn: int = 0
    fp: int = 0
    by_evasion: Counter[str] = field(default_factory=Counter)
    found_by_evasion: Counter[str] = field(default_factory=Counter)
    misses: list[tuple[str, str, str]] = field(default_factory=list)
    false_hits: list[tuple[str, str]] = field(default_factory=list)


def evaluate(reps: int = 3, seed: int = 5, negatives: int = 600) -> Scores:
    """Build the labelled corpus and score the bundled lexicon's matcher on it."""
    rnd = random.Random(seed)
    lex = load_lexicon(DEFAULT_LEXICON)
    matcher = LexiconMatcher(lex.terms, lex.allowed)
    scores = Scores()
    for t in bundled_terms():
        kinds = EN_EVASIONS if t.term.isascii() else ZH_EVASIONS
        for kind in kinds:
            for _ in range(reps):
                written = evade(t.term, kind, rnd)
                if written is None:
                    continue
                left, right = carrier(rnd, rnd.randint(0, 60)), carrier(rnd, rnd.randint(0, 60))
                text = f"{left} {written} {right}"
                hits = matcher.find(text)
                terms = {h.term for h in hits}
                scores.by_evasion[kind] += 1
                if t.term in terms:
                    scores.tp += 1
                    scores.found_by_evasion[kind] += 1
                else:
                    scores.fn += 1
                    scores.misses.append((kind, t.term, written))
                for h in hits:
                    if h.term != t.term and h.term not in t.term and t.term not in h.term:
                        scores.fp += 1
                        scores.false_hits.append((h.term, text))
    benign = list(NEAR_MISSES) + [carrier(rnd, rnd.randint(20, 500)) for _ in range(negatives)]
    for text in benign:
        for h in matcher.find(text):
            scores.fp += 1
            scores.false_hits.append((h.term, text))
    return scores


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--reps", type=int, default=5, help="variants per term and evasion (default 5)")
    ap.add_argument("--negatives", type=int, default=2000, help="benign carrier posts (default 2000)")
    args = ap.parse_args()
    s = evaluate(args.reps, negatives=args.negatives)
    print(f"lexicon evaluation: {s.tp + s.fn} positives, {args.negatives + len(NEAR_MISSES)} benign posts")
    print(f"  precision {s.precision:.4f}  recall {s.recall:.4f}  (tp {s.tp}, fn {s.fn}, fp {s.fp})")
    print("  recall by evasion:")
    for kind, total in sorted(s.by_evasion.items()):
        print(f"    {kind:<12} {s.found_by_evasion[kind] / total:.3f}  ({s.found_by_evasion[kind]}/{total})")
    for kind, term, written in s.misses[:10]:
        print(f"  missed [{kind}] {term}: {written!r}")
    for term, text in s.false_hits[:10]:
        print(f"  false hit {term}: {text[:80]!r}")
    target = s.recall >= 0.95 and s.precision >= 0.98
    print(f"  target recall >= 0.95 at precision >= 0.98: {'met' if target else 'NOT met'}")


if __name__ == "__main__":
    main()
