"""Claim matching benchmark: posts/s against 100,000 debunked claims, next to a plain TF-IDF cosine scan.

    .venv/bin/python bench/integrity_claims.py [--claims 100000] [--posts 20000] [--baseline-posts 1000] [--quick]

(``bench/integrity.py`` calls :func:`run_claims_benchmark` so one command prints every integrity figure.)

* registry: the bundled 85 illustrative claims plus synthetic ones built from health-rumour, policy-rumour
  and English templates over shared word pools (many claims share most of their words, like a real
  fact-check archive), ``--claims`` in all;
* posts: mixed zh/en ordinary posts of 20-500 characters from ``bench/corpus.py``; 10 % of them repeat a
  registry claim (exact, padded, reworded, shortened, traditional script; ``bench/eval_integrity.py``);
* brightline: ``ClaimIndex.search`` per post (inverted index + passage verification), single thread;
* baseline: TF-IDF over character 2-3-grams of the same normalized text, L2-normalised, and for each post
  the cosine against every claim (a vectorised numpy sparse-row scan), best claim if cosine >= 0.5.

Both print posts/s, p50/p99 latency, and precision/recall on the labelled posts (a repeat counts as found
only with the right claim; any claim reported on an ordinary post is a false alarm).
"""

from __future__ import annotations

import argparse
import math
import os
import platform
import random
import sys
import time
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
for p in (ROOT / "src", ROOT / "bench"):
    if str(p) not in sys.path:
        sys.path.insert(0, str(p))

import eval_integrity as ev  # noqa: E402
from brightline.registries import DEFAULT_CLAIMS, load_claims  # noqa: E402
from brightline.text import normalize  # noqa: E402
from brightline.text.claims_index import ClaimIndex  # noqa: E402

ZH_THINGS = (
    "大蒜 生姜 白醋 蜂蜜 绿豆 香蕉 洋葱 柠檬 苦瓜 红枣 枸杞 黑木耳 海带 紫菜 牛奶 豆浆 鸡蛋 隔夜茶 冰水 热水 盐水 白酒 啤酒 咖啡 "
    "绿茶 菊花茶 维生素C 钙片 鱼油 益生菌 酵素 醋泡黑豆 芹菜汁 西红柿 胡萝卜 红薯 山药 南瓜 花生 核桃 黑芝麻 燕麦 糙米 土豆 茄子 "
    "菠菜 韭菜 西瓜 葡萄 苹果 梨 猕猴桃 橙子 榴莲 荔枝 芒果 菠萝 甘蔗 竹笋"
).split()
ZH_VERBS = "可以治疗 能够预防 会导致 可以根治 能杀死 会引起 可以降低 能快速缓解 会加重 可以逆转".split()
ZH_ILLS = (
    "高血压 糖尿病 癌症 新冠病毒 流感 痛风 脂肪肝 失眠 近视 白发 脱发 胃病 肾结石 心脏病 中风 老年痴呆 过敏 哮喘 湿疹 关节炎 "
    "骨质疏松 甲状腺结节 肺结节 乳腺增生 贫血 便秘 口腔溃疡 咽炎 鼻炎 抑郁症"
).split()
ZH_TAILS = ("", "，每天吃一次就够了", "，三天见效", "，医生都不会告诉你", "，比吃药还管用", "，一周就能好", "，坚持一个月", "，老人孩子都适用")
ZH_PLACES = "全国 北京 上海 广东 浙江 江苏 四川 湖北 湖南 河南 山东 福建 安徽 陕西 辽宁 云南 广西 江西 重庆 天津".split()
ZH_WHEN = "明年 下个月 今年十月 年底 下周一 明年元旦".split()
ZH_ACTS = "全面取消 统一收费 禁止 强制执行 停止发放 全面上调".split()
ZH_POLICY = (
    "农村医保 养老金 个人存款利息 高速免费通行 住房公积金 学区房政策 电动车上路 燃油车上牌 独生子女补贴 个税专项扣除 退休金 "
    "低保 住房补贴 网约车运营 快递上门 手机号实名 新生儿补贴 医保报销 义务教育 农村宅基地"
).split()
EN_THINGS = (
    "garlic ginger vinegar honey lemon water onions turmeric baking soda coconut oil apple cider vinegar green tea "
    "coffee cold showers hot baths bleach colloidal silver vitamin D zinc tablets fish oil aloe vera oregano oil "
    "black seed oil celery juice raw milk bone broth sunlight fasting magnets essential oils cannabis oil "
    "hydrogen peroxide salt water copper bracelets wifi routers 5G towers microwave ovens fluoride vaccines"
).split(" ")
EN_VERBS = ("cures", "prevents", "causes", "reverses", "kills", "protects you from", "triggers", "heals")
EN_ILLS = (
    "cancer|diabetes|COVID-19|the flu|arthritis|autism|asthma|heart disease|dementia|high blood pressure|"
    "kidney stones|depression|migraines|hair loss|infertility|acne|obesity|insomnia|allergies|eczema|"
    "gout|strokes|measles|lupus|anemia"
).split("|")
EN_TAILS = ("", " in three days", " and doctors hate it", " according to a leaked study", " in children", " overnight")


def synthetic_claims(n: int, seed: int = 3) -> list[str]:
    """``n`` distinct claim texts from the template pools, shuffled."""
    rng = random.Random(seed)
    pools: list[list[str]] = [
        [f"{t}{v}{i}{tail}" for t in ZH_THINGS for v in ZH_VERBS for i in ZH_ILLS for tail in ZH_TAILS],
        [f"{p}将于{w}起{a}{x}" for p in ZH_PLACES for w in ZH_WHEN for a in ZH_ACTS for x in ZH_POLICY],
        [f"{t.strip().capitalize()} {v} {i}{tail}" for t in EN_THINGS if t.strip() for v in EN_VERBS for i in EN_ILLS for tail in EN_TAILS],
    ]
    out: list[str] = []
    share = [0.45, 0.15, 0.40]
    rest: list[str] = []
    for pool, s in zip(pools, share):
        rng.shuffle(pool)
        out.extend(pool[: int(n * s) + 1])
        rest.extend(pool[int(n * s) + 1:])
    if len(out) < n:  # a pool smaller than its share: top up from the others
        rng.shuffle(rest)
        out.extend(rest[: n - len(out)])
    rng.shuffle(out)
    return out[:n]


def labelled_posts(claims: Sequence[str], real: int, n: int, seed: int = 5) -> list[tuple[str, int | None]]:
    """``n`` posts: 10 % repeat a claim (half of them one of the ``real`` bundled claims), the rest ordinary."""
    import opencc
    from corpus import make_posts

    rng = random.Random(seed)
    s2t = opencc.OpenCC("s2t")
    ordinary = make_posts(n, seed=seed, violation_share=0.0)
    out: list[tuple[str, int | None]] = []
    for post in ordinary:
        if rng.random() < 0.1:
            cid = rng.randrange(real) if rng.random() < 0.5 else rng.randrange(real, len(claims))
            text = claims[cid]
            zh = not text.isascii()
            kind = rng.choice(("exact", "padded", "reworded", "shortened", "traditional" if zh else "padded"))
            if kind == "padded":
                text = ("" if zh else " ").join([post.text[:120], text, rng.choice(ev.ZH_FILLER if zh else ev.EN_FILLER)])
            elif kind == "reworded":
                text = ev._reword(rng, text, zh)
            elif kind == "shortened":
                text = ev._shorten(rng, text, zh)
            elif kind == "traditional":
                text = s2t.convert(text)
            out.append((text, cid))
        else:
            out.append((post.text, None))
    return out


class TfidfScan:
    """The obvious baseline: TF-IDF cosine of character 2-3-grams, scanning every claim for every post."""

    DIM = 1 << 20

    def __init__(self, claims: Sequence[str]) -> None:
        rows = [self._grams(c) for c in claims]
        df: Counter[int] = Counter()
        for r in rows:
            df.update(r.keys())
        n = len(claims)
        self.idf = np.ones(self.DIM, dtype=np.float32)
        for g, d in df.items():
            self.idf[g] = math.log((1 + n) / (1 + d)) + 1
        indptr, indices, data = [0], [], []
        for r in rows:
            keys = np.fromiter(r.keys(), dtype=np.int64, count=len(r))
            vals = np.fromiter(r.values(), dtype=np.float32, count=len(r)) * self.idf[keys]
            vals /= max(1e-9, float(np.linalg.norm(vals)))
            indices.extend(keys.tolist())
            data.extend(vals.tolist())
            indptr.append(len(indices))
        self.indptr = np.asarray(indptr, dtype=np.int64)
        self.indices = np.asarray(indices, dtype=np.int64)
        self.data = np.asarray(data, dtype=np.float32)

    def _grams(self, text: str) -> Counter[int]:
        t = normalize(text)
        return Counter(hash(t[i:i + k]) % self.DIM for k in (2, 3) for i in range(len(t) - k + 1))

    def best(self, text: str, threshold: float = 0.5) -> int | None:
        g = self._grams(text)
        if not g:
            return None
        q = np.zeros(self.DIM, dtype=np.float32)
        keys = np.fromiter(g.keys(), dtype=np.int64, count=len(g))
        q[keys] = np.fromiter(g.values(), dtype=np.float32, count=len(g)) * self.idf[keys]
        q /= max(1e-9, float(np.linalg.norm(q)))
        sims = np.add.reduceat(self.data * q[self.indices], self.indptr[:-1])  # every claim, every post
        i = int(np.argmax(sims))
        return i if sims[i] >= threshold else None


def _quality(predicted: list[int | None], posts: list[tuple[str, int | None]]) -> tuple[float, float]:
    tp = sum(1 for p, (_, e) in zip(predicted, posts) if e is not None and p == e)
    fp = sum(1 for p, (_, e) in zip(predicted, posts) if p is not None and p != e)
    fn = sum(1 for p, (_, e) in zip(predicted, posts) if e is not None and p != e)
    return (tp / (tp + fp) if tp + fp else 1.0), (tp / (tp + fn) if tp + fn else 1.0)


def _timed(fn, posts: list[tuple[str, int | None]]) -> tuple[list[int | None], np.ndarray]:  # type: ignore[no-untyped-def]
    out, lat = [], []
    for text, _ in posts:
        t = time.perf_counter()
        out.append(fn(text))
        lat.append(time.perf_counter() - t)
    return out, np.asarray(lat)


def _line(name: str, lat: np.ndarray, quality: tuple[float, float]) -> str:
    rate = len(lat) / lat.sum()
    return (f"  {name:<34} {rate:>10,.0f} posts/s   p50 {np.percentile(lat, 50) * 1e3:7.3f} ms   "
            f"p99 {np.percentile(lat, 99) * 1e3:7.3f} ms   precision {quality[0]:.3f} recall {quality[1]:.3f}")


def run_claims_benchmark(quick: bool = False, n_claims: int = 100_000, n_posts: int = 20_000, baseline_posts: int = 1_000) -> None:
    """Print claim-matching throughput and quality for brightline and the TF-IDF scan baseline."""
    if quick:
        n_claims, n_posts, baseline_posts = 10_000, 2_000, 200
    real = [c.claim for c in load_claims(DEFAULT_CLAIMS).claims]
    claims = real + synthetic_claims(n_claims - len(real))
    posts = labelled_posts(claims, len(real), n_posts)
    print(f"-- claim matching: {len(claims):,} claims, {len(posts):,} posts "
          f"({sum(1 for _, e in posts if e is not None):,} repeats); {platform.processor() or platform.machine()}, "
          f"{os.cpu_count()} cpu, Python {platform.python_version()}, one thread")
    t = time.perf_counter()
    index = ClaimIndex(claims)
    print(f"  brightline index build: {time.perf_counter() - t:.1f} s")
    _timed(lambda s: None, posts[:10])
    found, lat = _timed(lambda s: (m[0].claim if (m := [x for x in index.search(s, limit=1) if not x.refuted]) else None), posts)
    print(_line("brightline ClaimIndex.search", lat, _quality(found, posts)))
    t = time.perf_counter()
    scan = TfidfScan(claims)
    print(f"  baseline TF-IDF matrix build: {time.perf_counter() - t:.1f} s")
    sub = posts[:baseline_posts]
    base, blat = _timed(scan.best, sub)
    print(_line(f"baseline TF-IDF cosine scan ({len(sub):,})", blat, _quality(base, sub)))
    mine = _quality(found[: len(sub)], sub)
    print(f"  same {len(sub):,} posts, brightline: precision {mine[0]:.3f} recall {mine[1]:.3f}; "
          f"speed-up {blat.mean() / lat[: len(sub)].mean():.0f}x")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--claims", type=int, default=100_000)
    ap.add_argument("--posts", type=int, default=20_000)
    ap.add_argument("--baseline-posts", type=int, default=1_000)
    ap.add_argument("--quick", action="store_true", help="small sizes, for a smoke run")
    args = ap.parse_args()
    run_claims_benchmark(args.quick, args.claims, args.posts, args.baseline_posts)


if __name__ == "__main__":
    main()
