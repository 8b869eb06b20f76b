"""Labelled evaluation of ``diversion.contact`` and ``diversion.link``: precision and recall on a generated
corpus of hidden contacts and links and of benign look-alikes (SPEC target: recall >= 0.95 at precision
>= 0.98).

How the corpus is made (deterministic for ``--seed``):

- **positives** (half of ``--size``): a random contact or link of a realistic shape -- WeChat ids (letters,
  digits, ``_``/``-``, ``wxid_``, or a mobile number), QQ numbers (5-11 digits), CN mobiles (real prefixes),
  landlines with area codes, 400 hotlines, international numbers on WhatsApp, Telegram and LINE ids,
  e-mail addresses, domains with paths, short links (t.cn, bit.ly ...), ``t.me`` invites -- written plainly
  (one in 16) or with one evasion type from :data:`brightline.redteam.EVASION_TYPES` drawn uniformly
  (``brightline.redteam.make_variant``: homophone / pinyin / initials / split cues, zero-width, inserted
  symbols, full-width, circled digits, Chinese numerals with 幺 两 〇 壹…, emoji and keycaps, Cyrillic
  homoglyphs, repeated and leet cues, spelled-out dots, and two of these mixed), embedded at a random place
  between sentences of a benign zh/en carrier (``bench.corpus.carrier``), sometimes next to a look-alike.
  A positive is found when the detector reports its exact value (``evidence.value``).
- **negatives** (the other half): benign carriers, half of them with one to three look-alikes drawn from
  :data:`LOOK_ALIKES` -- prices, dates and times, order/tracking/invoice numbers, product models and
  standards, years, percentages, versions, quantities, view counts, sports scores, bank-card masks, ISBNs,
  IP addresses, coordinates, file names, "dot com" phrases, QR payment, on-platform mentions and hashtags,
  11-digit numbers with order/price/count context -- each generated with random numbers.
- **precision** counts every reported finding: a finding on a negative, or one on a positive that is not
  the planted value, is a false positive.

Speed (``--speed N``, default 20,000): the detector alone on ``bench.corpus.make_posts`` -- the mixed zh/en
stream of 20-500 characters that ``bench/text.py`` screens, mostly benign -- posts/s of CPU time and
p50/p99 latency per post.

Run: ``python bench/eval_diversion.py [--size 4000] [--seed 7] [--speed 20000] [--json] [--show 8]``.
``--check`` exits 1 when a target is missed; ``tests/test_diversion.py`` runs it at reduced size.
"""

from __future__ import annotations

import argparse
import json
import random
import string
import sys
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "src"))

from bench.corpus import carrier, make_posts  # noqa: E402
from brightline.detectors.base import ScreenContext  # noqa: E402
from brightline.detectors.diversion import DiversionDetector  # noqa: E402
from brightline.model import Post  # noqa: E402
from brightline.redteam import EVASION_TYPES, Seed, make_variant, plain_text  # noqa: E402
from brightline.registries import Registries  # noqa: E402

TARGET_RECALL = 0.95
TARGET_PRECISION = 0.98
DETECTORS = ("diversion.contact", "diversion.link")

MOBILE_PREFIXES = ["13" + str(d) for d in range(10)] + ["145", "147", "150", "151", "152", "155", "156", "157",
                   "158", "159", "166", "170", "173", "176", "177", "178"] + ["18" + str(d) for d in range(10)] + [
                   "191", "198", "199"]
AREA_CODES = ["010", "020", "021", "022", "023", "024", "025", "027", "028", "029", "0755", "0571", "0512", "0731"]
MAIL_HOSTS = ["gmail.com", "qq.com", "163.com", "126.com", "outlook.com", "hotmail.com", "foxmail.com", "sina.com"]
TLDS = ["com", "net", "cn", "top", "vip", "xyz", "cc", "io", "me", "club", "shop", "info"]
SHORT_HOSTS = ["t.cn", "bit.ly", "dwz.cn", "url.cn", "tinyurl.com", "suo.im", "cutt.ly"]
WORDS = ["lucky", "vip", "fuli", "meimei", "sunny", "happy", "cash", "bet", "star", "ziyuan", "tea", "shop", "xiao",
         "qian", "bocai", "game", "love", "king", "baby", "money"]


def _id(rnd: random.Random, digits: bool = True) -> str:
    word = rnd.choice(WORDS) + rnd.choice(["", "_", "-", ""]) + rnd.choice(WORDS + [""])
    tail = str(rnd.randint(1, 99999)) if digits else ""
    return (word + tail)[:20] if word[0].isalpha() else "a" + word


def _mobile(rnd: random.Random) -> str:
    return rnd.choice(MOBILE_PREFIXES) + "".join(rnd.choice(string.digits) for _ in range(8))


def make_seed(rnd: random.Random) -> Seed:
    """One random contact or link of a realistic shape."""
    kind = rnd.choices(
        ["wechat", "wechat_phone", "wxid", "qq", "phone", "landline", "hotline", "whatsapp", "telegram", "line",
         "email", "domain", "short", "tme"],
        weights=[14, 5, 2, 10, 12, 4, 2, 5, 6, 3, 8, 8, 4, 3],
    )[0]
    if kind == "wechat":
        return Seed("contact", _id(rnd), "wechat")
    if kind == "wechat_phone":
        return Seed("contact", _mobile(rnd), "wechat")
    if kind == "wxid":
        return Seed("contact", "wxid_" + "".join(rnd.choice(string.ascii_lowercase + string.digits) for _ in range(10)),
                    "wechat")
    if kind == "qq":
        return Seed("contact", str(rnd.randint(10_000, 3_999_999_999)), "qq")
    if kind == "phone":
        return Seed("contact", _mobile(rnd), "phone")
    if kind == "landline":
        code = rnd.choice(AREA_CODES)
        return Seed("contact", code + "".join(rnd.choice(string.digits) for _ in range(8 if len(code) == 3 else 7)),
                    "phone")
    if kind == "hotline":
        return Seed("contact", "400" + "".join(rnd.choice(string.digits) for _ in range(7)), "phone")
    if kind == "whatsapp":
        cc, n = rnd.choice([("44", 10), ("1", 10), ("852", 8), ("65", 8), ("62", 11), ("60", 9)])
        return Seed("contact", "+" + cc + str(rnd.randint(2, 9)) + "".join(rnd.choice(string.digits) for _ in range(n - 1)),
                    "whatsapp")
    if kind == "telegram":
        return Seed("contact", _id(rnd).replace("-", "_"), "telegram")
    if kind == "line":
        return Seed("contact", _id(rnd).replace("-", "."), "line")
    if kind == "email":
        local = rnd.choice([_id(rnd), str(rnd.randint(10_000, 999_999_999)), rnd.choice(WORDS) + "." + rnd.choice(WORDS)])
        host = rnd.choice(MAIL_HOSTS) if rnd.random() < 0.7 else f"{rnd.choice(WORDS)}{rnd.randint(1, 99)}.{rnd.choice(TLDS)}"
        return Seed("contact", f"{local.replace('-', '')}@{host}", "email")
    if kind == "domain":
        host = f"{rnd.choice(WORDS)}{rnd.randint(1, 999)}.{rnd.choice(TLDS)}"
        if rnd.random() < 0.3:
            host = "www." + host
        path = rnd.choice(["", "", "/join", f"/r/{rnd.randint(1, 99)}", "/vip"])
        return Seed("contact", host + path, "url")
    if kind == "short":
        code = "".join(rnd.choice(string.ascii_letters + string.digits) for _ in range(rnd.randint(5, 7)))
        return Seed("contact", f"{rnd.choice(SHORT_HOSTS)}/{code}", "url")
    return Seed("contact", f"t.me/{_id(rnd).replace('-', '_')}", "url")


def _digits(rnd: random.Random, n: int) -> str:
    return str(rnd.randint(1, 9)) + "".join(rnd.choice(string.digits) for _ in range(n - 1))


#: Benign look-alikes, each a function of the random generator (numbers differ on every draw).
LOOK_ALIKES: list[Callable[[random.Random], str]] = [
    lambda r: f"价格￥{r.randint(1, 9999)}.{r.randint(0, 99):02d}，原价{r.randint(100, 99999)}元",
    lambda r: f"到手价 ¥{r.randint(100, 20000)}，省了{r.randint(10, 999)}块",
    lambda r: f"Now ${r.randint(1, 9)},{r.randint(100, 999)}.{r.randint(0, 99):02d}, was €{r.randint(100, 9999)}.00",
    lambda r: f"{r.randint(2000, 2030)}-{r.randint(1, 12):02d}-{r.randint(1, 28):02d} {r.randint(0, 23):02d}:{r.randint(0, 59):02d} 发车",
    lambda r: f"{r.randint(2000, 2030)}年{r.randint(1, 12)}月{r.randint(1, 28)}日下午{r.randint(1, 11)}点见",
    lambda r: f"on {r.randint(1, 12)}/{r.randint(1, 28)}/{r.randint(2000, 2030)} at {r.randint(1, 12)}:{r.randint(10, 59)} pm",
    lambda r: f"订单号 {_digits(r, r.choice([12, 16, 18, 19]))}，已发货",
    lambda r: f"订单号：1{r.choice('3456789')}{_digits(r, 9)}，请核对",
    lambda r: f"运单号：SF{_digits(r, 12)}，物流已揽收",
    lambda r: f"Order #{_digits(r, r.choice([8, 10, 13, 16]))} shipped, tracking 1Z{_digits(r, 16)}",
    lambda r: f"发票号码 {_digits(r, 8)}，税号 91{_digits(r, 16)}",
    lambda r: r.choice(["iPhone 15 Pro Max", "RTX4090", "SM-G9910", "i7-13700K", "Model Y", "Mate 60 Pro", "小米14 Ultra",
                        "GB 45438-2025", "ISO 9001:2015", "GB/T 22239-2019", "A7R5", "DJI Mini 4 Pro"]),
    lambda r: f"今年是{r.randint(1990, 2030)}年，同比增长{r.randint(1, 99)}.{r.randint(0, 9)}%",
    lambda r: f"版本 v{r.randint(1, 20)}.{r.randint(0, 20)}.{r.randint(0, 99)}，Python 3.{r.randint(6, 13)}.{r.randint(0, 9)}",
    lambda r: f"库存 {r.randint(100, 99999)} 件，已售 {r.randint(1000, 999999)} 份",
    lambda r: f"阅读 {r.randint(10000, 99999999)} 次，播放量 1{r.choice('3589')}{_digits(r, 9)} 次",
    lambda r: f"{r.randint(1000, 9999999)} views and {r.randint(100, 99999)} likes",
    lambda r: f"比分 {r.randint(0, 5)}:{r.randint(0, 5)}，总比分 {r.randint(80, 130)}-{r.randint(80, 130)}",
    lambda r: f"卡号 6222 **** **** {r.randint(1000, 9999)}",
    lambda r: f"ISBN 978-7-{r.randint(100, 999)}-{r.randint(10000, 99999)}-{r.randint(0, 9)}",
    lambda r: f"服务器 192.168.{r.randint(0, 255)}.{r.randint(1, 254)} 端口 {r.randint(1000, 65000)}",
    lambda r: f"坐标 {r.randint(20, 50)}.{_digits(r, 4)}, {r.randint(100, 130)}.{_digits(r, 4)}",
    lambda r: r.choice(["报告见附件 report.pdf 和 main.py", "用 node.js 和 vue.js 写的", "e.g. the appendix, i.e. page 3",
                        "Lessons from the dot com bubble", "the first dot com era", "log in. Net income rose. Com-pare"]),
    lambda r: r.choice(["到店可扫码付款", "扫码点餐更方便", "请出示健康码", "扫码支付，支持微信支付宝", "Scan the QR code to pay at checkout"]),
    lambda r: f"@{r.choice(['小明', '阿花', 'Tom', 'lily'])} 周末一起去吗？#{r.choice(['周末去哪儿', '美食', 'travel'])}# 私信我",
    lambda r: r.choice(["威信很高的老师", "唯心主义与唯物主义", "坐飞机 CA1234 去北京", "企鹅很可爱", "电话会议 3 点开始",
                        "I saw it on WeChat yesterday", "the hotel line was busy", "call me later tonight",
                        "微博上看到的消息", "手机壳很好看", "QQ音乐的歌单不错"]),
    lambda r: f"身高{r.randint(150, 195)}cm 体重{r.randint(40, 99)}kg，温度-{r.randint(1, 9)}.{r.randint(0, 9)}℃",
    lambda r: f"车牌 京A·{r.randint(10000, 99999)}，邮编 {r.randint(100000, 899999)}",
    lambda r: f"第{r.randint(1, 30)}集 {r.randint(1, 59)}:{r.randint(10, 59)} 处，共 {r.randint(100, 999)} 页",
    lambda r: " ".join(str(r.randint(1, 40)) for _ in range(r.randint(6, 14))),
    lambda r: f"验证码 {_digits(r, 6)}，五分钟内有效",
    lambda r: f"账户余额 {r.randint(1, 99999)}.{r.randint(0, 99):02d} 元，流水号 {_digits(r, 20)}",
    # Channel words next to numbers that are not contacts.
    lambda r: r.choice([
        f"Call of Duty {r.randint(2, 9)} came out in {r.randint(2003, 2023)}", f"see line {r.randint(10, 9999)} of the log",
        f"text {r.randint(2, 9)} friends and win", f"微信支付 {r.randint(1, 9999)} 元", f"QQ音乐 {r.randint(2015, 2030)} 年度歌单",
        f"手机 {r.choice([3, 6, 12, 24])} 期免息", f"手机尾号 {r.randint(1000, 9999)} 的用户", f"企鹅 {r.randint(2, 30)} 只",
        f"飞机 A{r.choice([320, 330, 350, 380])} 起飞", f"电报大楼 {r.randint(1950, 1999)} 年建成",
        f"微信群里有 {r.randint(10, 500)} 人", f"拨打 12345 政务热线，报警电话 110", f"他的QQ等级是 {r.randint(1, 64)} 级",
        f"扫码支付 {r.randint(1, 999)} 元", f"手机号码 1{r.choice('3589')}{r.randint(0, 9)}****{r.randint(1000, 9999)} 已绑定",
        f"版本号 {'.'.join(str(r.randint(0, 9)) for _ in range(r.randint(3, 11)))}",
        f"whatsapp group has {r.randint(10, 999)} members", f"cell {r.randint(1, 99)} in the spreadsheet",
        f"账号 {_id(r)} 已注销", f"@{_id(r)} 你好", f"#{_id(r)}# 活动开始",
    ]),
]


@dataclass
class Item:
    text: str
    detector: str | None = None
    value: str | None = None
    evasion: str | None = None


@dataclass
class Scores:
    tp: Counter[str] = field(default_factory=Counter)
    fn: Counter[str] = field(default_factory=Counter)
    fp: Counter[str] = field(default_factory=Counter)
    by_evasion: dict[str, list[int]] = field(default_factory=dict)
    misses: list[tuple[str, str, str]] = field(default_factory=list)
    false_hits: list[tuple[str, str, str]] = field(default_factory=list)
    posts: int = 0
    seconds: float = 0.0

    def precision(self, d: str) -> float:
        return self.tp[d] / (self.tp[d] + self.fp[d]) if self.tp[d] + self.fp[d] else 1.0

    def recall(self, d: str) -> float:
        return self.tp[d] / (self.tp[d] + self.fn[d]) if self.tp[d] + self.fn[d] else 1.0


def _post(rnd: random.Random, pieces: list[str]) -> str:
    """Benign carrier text with ``pieces`` placed between carrier sentences, never inside a word or inside
    another piece, with a space or a Chinese comma around each as a writer would."""
    parts = [carrier(rnd, rnd.randint(5, 200))]
    for piece in pieces:
        parts.append(rnd.choice([" ", "，", " "]) + piece + rnd.choice([" ", "。", "，", " "]))
        parts.append(carrier(rnd, rnd.randint(5, 200)))
    return "".join(parts)


def make_corpus(size: int, seed: int) -> list[Item]:
    """``size`` labelled posts: half with one hidden contact or link, half benign (see the module doc)."""
    rnd = random.Random(seed)
    items: list[Item] = []
    evasions = ("plain",) + EVASION_TYPES
    while len(items) < size // 2:
        s = make_seed(rnd)
        evasion = rnd.choice(evasions)
        written = plain_text(s, rnd) if evasion == "plain" else None
        if written is None:
            v = make_variant(s, evasion, rnd)
            if v is None:
                continue  # this evasion does not apply to this seed: draw again
            written = v.text
        pieces = [written] + ([rnd.choice(LOOK_ALIKES)(rnd)] if rnd.random() < 0.25 else [])
        rnd.shuffle(pieces)
        items.append(Item(_post(rnd, pieces), s.detector, s.expected_value, evasion))
    while len(items) < size:
        count = rnd.randint(1, 3) if rnd.random() < 0.5 else 0
        items.append(Item(_post(rnd, [rnd.choice(LOOK_ALIKES)(rnd) for _ in range(count)])))
    rnd.shuffle(items)
    return items


def evaluate(size: int = 4000, seed: int = 7, allow_domains: tuple[str, ...] = ()) -> Scores:
    """Screen the corpus with the diversion detector and count true/false positives per detector."""
    det = DiversionDetector(Registries(), {"allow_domains": list(allow_domains)})
    ctx = ScreenContext(Registries())
    corpus = make_corpus(size, seed)
    scores = Scores(posts=len(corpus))
    t0 = time.perf_counter()
    found_all = [[(s.detector, s.evidence["value"]) for s in det.detect(Post(id=f"e{k}", text=it.text), ctx)]
                 for k, it in enumerate(corpus)]
    scores.seconds = time.perf_counter() - t0
    for it, found in zip(corpus, found_all):
        hit = it.detector is not None and (it.detector, it.value) in found
        if it.detector is not None:
            (scores.tp if hit else scores.fn)[it.detector] += 1
            scores.by_evasion.setdefault(f"{it.detector} {it.evasion}", [0, 0])[0 if hit else 1] += 1
            if not hit and len(scores.misses) < 200:
                scores.misses.append((it.evasion or "", it.value or "", it.text))
        for d, v in found:
            if (d, v) != (it.detector, it.value):
                scores.fp[d] += 1
                if len(scores.false_hits) < 200:
                    scores.false_hits.append((d, v, it.text))
    return scores


def speed(n: int, seed: int = 11) -> dict[str, float]:
    """Detector-only throughput and latency on the shared text-bench stream (mostly benign posts)."""
    det = DiversionDetector(Registries(), {})
    ctx = ScreenContext(Registries())
    posts = [Post(id=p.id, text=p.text) for p in make_posts(n, seed=seed)]
    for p in posts[:200]:  # warm up: tables and patterns are built once per process
        list(det.detect(p, ctx))
    lat: list[float] = []
    cpu0 = time.process_time()
    for p in posts:
        t0 = time.perf_counter()
        list(det.detect(p, ctx))
        lat.append(time.perf_counter() - t0)
    cpu = time.process_time() - cpu0
    lat.sort()
    return {"posts": n, "posts_per_cpu_second": round(n / cpu), "p50_us": round(lat[n // 2] * 1e6, 1),
            "p99_us": round(lat[int(n * 0.99)] * 1e6, 1),
            "chars_per_cpu_second": round(sum(len(p.text) for p in posts) / cpu)}


def report(scores: Scores) -> dict[str, object]:
    return {
        "posts": scores.posts,
        "posts_per_second": round(scores.posts / scores.seconds) if scores.seconds else None,
        "detectors": {d: {"precision": round(scores.precision(d), 4), "recall": round(scores.recall(d), 4),
                          "tp": scores.tp[d], "fp": scores.fp[d], "fn": scores.fn[d]} for d in DETECTORS},
        "recall_by_evasion": {k: round(v[0] / (v[0] + v[1]), 4) for k, v in sorted(scores.by_evasion.items())},
        "targets": {"recall": TARGET_RECALL, "precision": TARGET_PRECISION},
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--size", type=int, default=4000, help="posts in the corpus (half positive)")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--json", action="store_true", help="print the figures as JSON")
    ap.add_argument("--show", type=int, default=8, help="misses and false hits to print")
    ap.add_argument("--check", action="store_true", help="exit 1 when a target is missed")
    ap.add_argument("--speed", type=int, default=20_000, help="posts for the speed run (0: skip)")
    args = ap.parse_args()
    scores = evaluate(args.size, args.seed)
    out = report(scores)
    if args.speed:
        out["speed"] = speed(args.speed)
    if args.json:
        print(json.dumps(out, ensure_ascii=False, indent=2))
    else:
        print(f"diversion evaluation: {scores.posts} posts (seed {args.seed}), "
              f"{out['posts_per_second']} posts/s through the detector")
        print(f"{'detector':20} {'precision':>9} {'recall':>7} {'tp':>6} {'fp':>5} {'fn':>5}")
        for d, row in out["detectors"].items():  # type: ignore[union-attr]
            print(f"{d:20} {row['precision']:9.4f} {row['recall']:7.4f} {row['tp']:6} {row['fp']:5} {row['fn']:5}")
        print("recall by evasion:")
        for k, r in out["recall_by_evasion"].items():  # type: ignore[union-attr]
            print(f"  {k:40} {r:.3f}")
        for ev, value, text in scores.misses[: args.show]:
            print(f"missed [{ev}] {value}: {text!r}")
        for d, value, text in scores.false_hits[: args.show]:
            print(f"false  [{d}] {value}: {text!r}")
        print(f"targets: recall >= {TARGET_RECALL}, precision >= {TARGET_PRECISION}")
        if args.speed:
            sp = out["speed"]
            print(f"speed on the text-bench stream ({sp['posts']} posts): {sp['posts_per_cpu_second']:,} posts/s "
                  f"({sp['chars_per_cpu_second']:,} chars/s) of CPU, p50 {sp['p50_us']} us, p99 {sp['p99_us']} us")
    if args.check:
        bad = [d for d in DETECTORS if scores.recall(d) < TARGET_RECALL or scores.precision(d) < TARGET_PRECISION]
        if bad:
            print(f"below target: {', '.join(bad)}", file=sys.stderr)
            sys.exit(1)


if __name__ == "__main__":
    main()
