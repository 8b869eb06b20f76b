"""Labelled evaluation of the ``impersonation`` detector: precision and recall on a generated account set.

How the set is made (deterministic for a seed), from the bundled registry ``registries/data/entities.csv``:

* **impersonations** (label 1), one technique each, applied to a randomly chosen entity alias of a
  non-region, non-person entity (regions and anchors have their own cases below):
  ``exact`` (the alias itself, from an account the registry does not list), ``added_word`` (官方, 总部,
  指挥部, 发布, 频道, 客户端, 认证, official, HQ, news ... before or after), ``traditional`` (OpenCC s2t),
  ``homoglyph`` (Cyrillic/Greek look-alikes and full-width forms for Latin, 曰/囯/入 for Chinese),
  ``symbols`` (dots, spaces, zero-width spaces, emoji between characters), ``pinyin`` (``renminribao``)
  and ``initials`` (``rmrb``) as handles, ``homophone`` (one character replaced by another with the same
  toneless pinyin), ``dropped`` / ``swapped`` (one interior character removed / two swapped, aliases of
  five or more characters; swaps from four), ``staff`` (新华社记者小王), ``region_office`` (a city or
  province with an office suffix: 长沙市政府, 深圳公安发布), ``anchor_claim`` (康辉本人, 海霞主持人),
  ``bio_claim`` (a bio saying it is the entity's official account);
* **benign** (label 0): ordinary names built from place names and everyday words (北京烤鸭店, 上海小笼包,
  湖南人在深圳, 人民公园跑步团, "China travel tips", 长沙美食地图 ...), bios that mention an outlet the user
  reads, names of people and things, and **the entities' own accounts** (registry ``accounts`` column or
  ``verified_entity``), which must not be flagged.

A prediction is positive when the detector's strongest signal on the account reaches ``--threshold``
(0.85: the score at which the bundled packs act without a person; weaker signals go to review).
SPEC target: recall >= 0.95 at precision >= 0.98.

    .venv/bin/python bench/eval_impersonation.py [--n 4000] [--seed 7] [--show 10]
"""

from __future__ import annotations

import argparse
import random
import sys
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
for _p in (ROOT / "src", ROOT):  # brightline, and bench.scoring
    if str(_p) not in sys.path:
        sys.path.insert(0, str(_p))

from pypinyin import Style, lazy_pinyin, pinyin_dict  # noqa: E402

from bench.scoring import PrecisionRecall  # noqa: E402

from brightline.detectors.base import ScreenContext  # noqa: E402
from brightline.detectors.impersonation import ImpersonationDetector  # noqa: E402
from brightline.model import Account  # noqa: E402
from brightline.registries import DEFAULT_ENTITIES, Registries, load_entities  # noqa: E402
from brightline.registries.entities import ProtectedEntity  # noqa: E402

THRESHOLD = 0.85
STATE_TYPES = ("party", "government", "military", "public_institution", "media", "organization")

ADDED_ZH = ("官方", "总部", "指挥部", "发布", "频道", "客户端", "认证", "官方账号", "官微", "新闻中心", "快讯")
ADDED_EN = ("official", "HQ", "news", "Official", "_official", " HQ", " News")
STAFF_ZH = ("记者", "主持人", "发言人", "工作人员", "编辑")
STAFF_TAIL = ("小王", "老李", "张三", "阿明", "")
OFFICES = ("政府", "市政府", "公安", "发布", "卫健委", "疾控中心", "公安局", "交警", "教育局", "市委", "融媒体中心", "应急管理局")
LATIN_LOOKALIKE = {"a": "а", "c": "с", "e": "е", "o": "о", "p": "р", "x": "х", "y": "у", "i": "і", "h": "һ", "n": "п"}
HAN_LOOKALIKE = {"日": "曰", "国": "囯", "人": "入", "民": "氏", "天": "夭", "未": "末", "土": "士", "己": "已"}
SEPARATORS = (".", " ", "\u200b", "·", "❤", "_", "-", "*")

BENIGN_NAMES = (
    "北京烤鸭店", "上海小笼包", "湖南人在深圳", "人民公园跑步团", "China travel tips", "长沙美食地图", "成都吃货小分队",
    "杭州西湖摄影", "广州早茶日记", "重庆火锅爱好者", "天津相声迷", "西安古城漫步", "南京盐水鸭", "武汉热干面",
    "北京旅游攻略", "深圳程序员老张", "苏州园林之美", "青岛啤酒节", "大连海边的日子", "东北人在上海", "新疆大盘鸡",
    "云南过桥米线", "贵州酸汤鱼", "湖南妹子", "广西螺蛳粉", "内蒙古草原之旅", "海南椰子鸡", "厦门鼓浪屿",
    "人民路小吃街", "中央大街咖啡", "新华书店爱好者", "光明牛奶粉丝", "中国好声音粉丝", "国家地理爱好者",
    "解放路菜市场", "长江边的猫", "黄河远上", "Beijing food guide", "Shanghai nights", "Hong Kong hiking",
    "daily life vlog", "news junkie", "cctv camera installer", "pla filament shop", "xinhua road cafe",
    "renmin park runners", "中山大学校友", "北海道旅行", "朝阳群众", "来宾酒店", "吉安花园", "安康生活",
    "中国工程师联盟", "中国海景房", "人民网红", "公安部门退休老李", "中央视角", "实事求是", "心潮澎湃",
    "全国办证", "中华美食", "国家宝藏迷", "军事爱好者", "陆军迷", "海军蓝", "武警老兵", "人民的名义剧迷",
    "新闻联播观后感", "天天看新闻", "老王说财经", "小李飞刀", "阳光少年", "快乐的小猪", "阿杰爱摄影",
    "Tom_123", "lucy_travel", "mike.dev", "sunny_day", "travel_with_me", "foodie_lin", "张伟", "王芳", "李娜",
    "海霞的小店", "康辉粉丝团", "白岩松读者", "董卿朗读者粉丝", "撒贝宁的粉丝", "长沙发布会直播", "北京发布会现场",
    "深圳湾跑步", "上海滩", "北京故事", "湖南卫视追剧", "浙江大学", "复旦大学", "北京协和医院门诊",
)
BENIGN_BIOS = (
    "每天看人民日报和新闻联播", "喜欢读新华社的新闻", "央视新闻的忠实观众", "I read Global Times and China Daily",
    "住在北京朝阳，爱吃烤鸭", "湖南长沙人，程序员", "关注中国疾控的健康科普", "前解放军战士，现在开餐馆",
    "在深圳工作，周末爬山", "转发自澎湃新闻的文章", "上海人，喜欢小笼包",
)


@dataclass(frozen=True, slots=True)
class Case:
    account: Account
    label: int
    technique: str
    entity: str | None


def _s2t() -> Callable[[str], str]:
    import opencc

    cc = opencc.OpenCC("s2t")
    return cc.convert


def _homophones() -> dict[str, list[str]]:
    """Toneless syllable -> common characters, for homophone substitutions."""
    from brightline.text.names import _toneless  # the same syllable folding the index uses

    by_syl: dict[str, list[str]] = defaultdict(list)
    for cp, readings in pinyin_dict.pinyin_dict.items():
        if 0x4E00 <= cp <= 0x9FA5:
            by_syl[_toneless(readings.split(",")[0])].append(chr(cp))
    return by_syl


class Generator:
    """Makes labelled accounts from a registry; every technique is a small function."""

    def __init__(self, entities: list[ProtectedEntity], seed: int) -> None:
        self.rng = random.Random(seed)
        self.entities = entities
        self.state = [e for e in entities if e.type in STATE_TYPES]
        self.regions = [e for e in entities if e.type == "region"]
        self.anchors = [e for e in entities if e.type == "person"]
        self.s2t = _s2t()
        self.homo = _homophones()
        self.n = 0

    def _id(self) -> str:
        self.n += 1
        return f"e{self.n}"

    def _han_alias(self, min_len: int = 2, entity: ProtectedEntity | None = None) -> tuple[ProtectedEntity, str]:
        for _ in range(1000):
            ent = entity or self.rng.choice(self.state)
            names = [n for n in ent.names if all("\u4e00" <= c <= "\u9fff" for c in n) and len(n) >= min_len]
            if names:
                return ent, self.rng.choice(names)
        raise RuntimeError("no Chinese alias long enough")

    def _latin_alias(self) -> tuple[ProtectedEntity, str]:
        pool = [(e, n) for e in self.state for n in e.names if n.isascii() and len(n.replace(" ", "")) >= 4]
        return self.rng.choice(pool)

    def _acct(self, ent: ProtectedEntity | None, technique: str, label: int, **fields: Any) -> Case:
        return Case(Account(id=self._id(), **fields), label, technique, ent.name if ent else None)

    # -- impersonations ----------------------------------------------------------------------------
    def exact(self) -> Case:
        ent, alias = self._han_alias(3)
        return self._acct(ent, "exact", 1, display_name=alias)

    def added_word(self) -> Case:
        if self.rng.random() < 0.3:
            ent, alias = self._latin_alias()
            return self._acct(ent, "added_word", 1, display_name=alias + self.rng.choice(ADDED_EN))
        ent, alias = self._han_alias(3)
        word = self.rng.choice(ADDED_ZH)
        name = alias + word if self.rng.random() < 0.8 else "官方" + alias
        return self._acct(ent, "added_word", 1, display_name=name)

    def traditional(self) -> Case:
        for _ in range(100):
            ent, alias = self._han_alias(3)
            trad = self.s2t(alias)
            if trad != alias:
                return self._acct(ent, "traditional", 1, display_name=trad + self.rng.choice(("", "官方", "")))
        return self.exact()

    def homoglyph(self) -> Case:
        if self.rng.random() < 0.5:
            ent, alias = self._latin_alias()
            chars = list(alias)
            idx = [i for i, c in enumerate(chars) if c.lower() in LATIN_LOOKALIKE]
            if idx:
                for i in self.rng.sample(idx, min(len(idx), 2)):
                    chars[i] = LATIN_LOOKALIKE[chars[i].lower()]
            else:  # full-width forms
                chars = [chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in chars]
            return self._acct(ent, "homoglyph", 1, display_name="".join(chars))
        for _ in range(200):
            ent, alias = self._han_alias(3)
            idx = [i for i, c in enumerate(alias) if c in HAN_LOOKALIKE]
            if idx:
                i = self.rng.choice(idx)
                return self._acct(ent, "homoglyph", 1, display_name=alias[:i] + HAN_LOOKALIKE[alias[i]] + alias[i + 1 :])
        return self.exact()

    def symbols(self) -> Case:
        ent, alias = self._han_alias(3)
        sep = self.rng.choice(SEPARATORS)
        return self._acct(ent, "symbols", 1, display_name=sep.join(alias))

    def pinyin(self) -> Case:
        ent, alias = self._han_alias(3)
        py = "".join(lazy_pinyin(alias, style=Style.NORMAL))
        handle = py + self.rng.choice(("", "_official", "_news", "2024", "_hq"))
        return self._acct(ent, "pinyin", 1, display_name=self.rng.choice(("每日快讯", "热点速递", "Daily")), handle=handle)

    def initials(self) -> Case:
        ent, alias = self._han_alias(4)
        ini = "".join(lazy_pinyin(alias, style=Style.FIRST_LETTER))
        handle = ini + self.rng.choice(("", "_official", "_news", "_app"))
        return self._acct(ent, "initials", 1, display_name=self.rng.choice(("每日快讯", "热点速递", "Daily")), handle=handle)

    def homophone(self) -> Case:
        from brightline.text.names import _toneless

        for _ in range(200):
            ent, alias = self._han_alias(3)
            i = self.rng.randrange(len(alias))
            syl = _toneless(lazy_pinyin(alias[i], style=Style.TONE)[0])
            own = _toneless(pinyin_dict.pinyin_dict.get(ord(alias[i]), "").split(",")[0])
            if syl != own:
                continue  # a heteronym read differently in this word: not a clean homophone
            subs = [c for c in self.homo.get(syl, []) if c != alias[i]]
            if subs:
                name = alias[:i] + self.rng.choice(subs[:30]) + alias[i + 1 :]
                return self._acct(ent, "homophone", 1, display_name=name)
        return self.exact()

    def dropped(self) -> Case:
        ent, alias = self._han_alias(5)
        i = self.rng.randrange(1, len(alias) - 1)
        return self._acct(ent, "dropped", 1, display_name=alias[:i] + alias[i + 1 :] + self.rng.choice(("", "官方")))

    def swapped(self) -> Case:
        for _ in range(100):
            ent, alias = self._han_alias(4)
            i = self.rng.randrange(0, len(alias) - 2)
            name = alias[:i] + alias[i + 1] + alias[i] + alias[i + 2 :]
            if name != alias:
                return self._acct(ent, "swapped", 1, display_name=name)
        return self.exact()

    def staff(self) -> Case:
        ent, alias = self._han_alias(3)
        name = alias + self.rng.choice(STAFF_ZH) + self.rng.choice(STAFF_TAIL)
        return self._acct(ent, "staff", 1, display_name=name)

    def region_office(self) -> Case:
        ent = self.rng.choice(self.regions)
        base = self.rng.choice([n for n in ent.names if not n.isascii()])
        return self._acct(ent, "region_office", 1, display_name=base + self.rng.choice(OFFICES))

    def anchor_claim(self) -> Case:
        ent = self.rng.choice(self.anchors)
        return self._acct(ent, "anchor_claim", 1, display_name=ent.name + self.rng.choice(("本人", "主持人", "官方", "工作室")))

    def bio_claim(self) -> Case:
        ent, alias = self._han_alias(3)
        bio = self.rng.choice(("本号为{a}官方认证账号", "{a}官方账号，欢迎关注", "我们是{a}官方发布平台"))
        return self._acct(ent, "bio_claim", 1, display_name=self.rng.choice(("每日资讯", "热点速递")), bio=bio.format(a=alias))

    # -- benign --------------------------------------------------------------------------------------
    def benign_name(self) -> Case:
        name = self.rng.choice(BENIGN_NAMES)
        if self.rng.random() < 0.3:
            name += self.rng.choice(("", "2024", "的日常", "_vlog", "小号"))
        return self._acct(None, "benign_name", 0, display_name=name)

    def benign_bio(self) -> Case:
        return self._acct(None, "benign_bio", 0, display_name=self.rng.choice(("小明", "阿杰", "Lucy")), bio=self.rng.choice(BENIGN_BIOS))

    def benign_place(self) -> Case:
        ent = self.rng.choice(self.regions)
        base = self.rng.choice([n for n in ent.names if not n.isascii()])
        tail = self.rng.choice(("美食", "旅游攻略", "吃货", "人在外地", "租房", "摄影", "跑团", "生活圈", "二手交易", "宠物店"))
        return self._acct(None, "benign_place", 0, display_name=base + tail)

    def own_account(self) -> Case:
        owned = [e for e in self.entities if e.accounts]
        if owned and self.rng.random() < 0.5:
            ent = self.rng.choice(owned)
            handle = self.rng.choice(ent.accounts)
            return self._acct(ent, "own_account", 0, display_name=ent.name, handle=handle)
        ent, alias = self._han_alias(2)
        return self._acct(ent, "own_account", 0, display_name=alias + self.rng.choice(("", "官方")), verified_entity=ent.name)


POSITIVE = (
    "exact", "added_word", "traditional", "homoglyph", "symbols", "pinyin", "initials", "homophone", "dropped",
    "swapped", "staff", "region_office", "anchor_claim", "bio_claim",
)
NEGATIVE = ("benign_name", "benign_bio", "benign_place", "own_account")


def make_cases(n: int, seed: int = 7, entities: list[ProtectedEntity] | None = None) -> list[Case]:
    """``n`` labelled accounts: half impersonations (techniques in turn), half benign or own accounts."""
    gen = Generator(entities or load_entities(DEFAULT_ENTITIES).entities, seed)
    cases = []
    for i in range(n):
        kinds = POSITIVE if i % 2 == 0 else NEGATIVE
        cases.append(getattr(gen, kinds[(i // 2) % len(kinds)])())
    return cases


@dataclass
class Report(PrecisionRecall):
    tp: int
    fp: int
    fn: int
    tn: int
    by_technique: dict[str, tuple[int, int]]  # technique -> (correct, total)
    errors: list[tuple[Case, float]]


def evaluate(cases: list[Case], threshold: float = THRESHOLD, registries: Registries | None = None) -> Report:
    """Run the detector on every case and count outcomes (overall and per technique)."""
    registries = registries or Registries(entities=load_entities(DEFAULT_ENTITIES))
    det = ImpersonationDetector(registries, {})
    ctx = ScreenContext(registries)
    tp = fp = fn = tn = 0
    per: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    errors: list[tuple[Case, float]] = []
    for case in cases:
        best = max((s.score for s in det.detect(case.account, ctx)), default=0.0)
        predicted = best >= threshold
        per[case.technique][1] += 1
        if predicted == bool(case.label):
            per[case.technique][0] += 1
            tp += predicted
            tn += not predicted
        else:
            fp += predicted
            fn += not predicted
            errors.append((case, best))
    return Report(tp, fp, fn, tn, {k: (v[0], v[1]) for k, v in per.items()}, errors)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--n", type=int, default=4000, help="accounts to generate (half impersonations)")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--threshold", type=float, default=THRESHOLD)
    ap.add_argument("--show", type=int, default=10, help="print this many misclassified accounts")
    args = ap.parse_args(argv)
    cases = make_cases(args.n, args.seed)
    rep = evaluate(cases, args.threshold)
    print(f"impersonation eval: {len(cases)} accounts ({sum(c.label for c in cases)} impersonations), threshold {args.threshold}")
    print(f"  precision {rep.precision:.4f}   recall {rep.recall:.4f}   (tp {rep.tp}, fp {rep.fp}, fn {rep.fn}, tn {rep.tn})")
    print("  per technique (correct/total):")
    for tech in (*POSITIVE, *NEGATIVE):
        if tech in rep.by_technique:
            ok, total = rep.by_technique[tech]
            print(f"    {tech:<14} {ok:>5}/{total:<5} {ok / total:.3f}")
    kinds = Counter("missed" if c.label else "false alarm" for c, _ in rep.errors)
    if rep.errors and args.show:
        print(f"  misclassified ({dict(kinds)}), first {args.show}:")
        for case, score in rep.errors[: args.show]:
            a = case.account
            print(f"    [{case.technique}] {a.display_name!r} handle={a.handle!r} bio={a.bio!r} entity={case.entity} score={score:.2f}")
    target = rep.recall >= 0.95 and rep.precision >= 0.98
    print(f"  SPEC target recall >= 0.95 at precision >= 0.98: {'met' if target else 'NOT met'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
