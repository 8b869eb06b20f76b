"""Integrity benchmarks, one run: impersonation names/s (and, when present, claim matching posts/s).

Impersonation (SPEC target: >= 100,000 account names/s on one core against a 10,000-entity registry):

* registry: the bundled real registry (registries/data/entities.csv, ~700 entities) topped up to
  ``--entities`` (default 10,000) with synthetic county- and district-level bodies and local media built
  from the real prefecture names (长沙市岳麓区公安分局 / 长沙岳麓公安, 株洲日报 ...), so the index holds the kind
  of long, overlapping names a real national registry has;
* names: ``--names`` display names (default 200,000): ordinary ones (50 % random Chinese nicknames, 30 %
  Latin handles, 20 % ordinary names with a place word: 长沙美食, 北京烤鸭店) and ``--share`` (default 1 %)
  impersonations from ``bench/eval_impersonation.py`` - already far above the real share (the CAC's 2023
  action closed ~100,000 impersonating accounts among several hundred million);
* brightline: ``NameIndex.find`` per name, and the whole detector per account (display name + handle),
  single process, single thread; each class (ordinary, place words, impersonations) is also timed alone;
* rates are per CPU-second of this process (``time.process_time``), which is what "on one core" means and
  stays meaningful when other jobs share the machine; wall-clock rates are printed beside them;
* baseline: the obvious approach, ``rapidfuzz.process.extractOne`` of each name over every name and
  alias in the registry (WRatio, score cutoff 90), on ``--baseline-names`` names (it is slow); its
  precision and recall on the labelled evaluation set are printed next to brightline's.

Claim matching: ``bench/integrity_claims.py`` (owned by the claims detector) defines
``run_claims_benchmark(quick: bool) -> None``; this script calls it after the impersonation part when the
module exists, so one command prints every integrity figure.

    .venv/bin/python bench/integrity.py [--entities 10000] [--names 200000] [--baseline-names 300] [--quick]
"""

from __future__ import annotations

import argparse
import gc
import importlib
import os
import platform
import random
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
for p in (ROOT / "src", ROOT / "bench"):
    if str(p) not in sys.path:
        sys.path.insert(0, str(p))

from rapidfuzz import fuzz, process  # noqa: E402

import eval_impersonation as ev  # noqa: E402
from brightline.detectors.base import ScreenContext  # noqa: E402
from brightline.detectors.impersonation import ImpersonationDetector  # noqa: E402
from brightline.model import Account  # noqa: E402
from brightline.registries import DEFAULT_ENTITIES, Registries, load_entities  # noqa: E402
from brightline.registries.entities import EntityRegistry, ProtectedEntity  # noqa: E402
from brightline.text.names import NameIndex  # noqa: E402

DISTRICTS = (
    "城关", "新城", "高新", "经开", "东城", "西城", "南城", "北城", "城东", "城西", "城南", "城北", "开发", "滨江", "江北", "江南",
    "河东", "河西", "山前", "湖滨", "临港", "新港", "中心", "老城", "新区",
)
BODIES = (
    ("区公安分局", "公安", "government"), ("区人民法院", "法院", "government"), ("区人民检察院", "检察院", "government"),
    ("区人民医院", "人民医院", "public_institution"), ("区疾病预防控制中心", "疾控", "public_institution"),
    ("区融媒体中心", "融媒", "media"), ("区教育局", "教育局", "government"), ("区税务局", "税务", "government"),
    ("区市场监督管理局", "市场监管", "government"), ("区人力资源和社会保障局", "人社局", "government"),
    ("区应急管理局", "应急", "government"), ("区消防救援大队", "消防", "government"), ("区卫生健康局", "卫健局", "government"),
    ("区民政局", "民政局", "government"), ("区交通运输局", "交通局", "government"), ("区人民武装部", "武装部", "military"),
    ("区气象局", "气象", "government"), ("区红十字会", "红十字会", "organization"), ("区妇幼保健院", "妇幼", "public_institution"),
    ("区中医院", "中医院", "public_institution"),
)
NICK_CHARS = "小大老阿明华伟芳丽强军杰涛磊静敏燕霞婷雪梅兰竹菊风云山水天海星月光阳春夏秋冬花草鱼鸟猫狗熊猪兔龙虎的之爱乐笑梦想心"
NICK_TAILS = ("的日常", "爱生活", "不吃香菜", "在路上", "的小屋", "同学", "酱", "君", "呀", "2024", "_vlog", "")
LATIN_WORDS = ("sunny", "lucky", "happy", "travel", "food", "daily", "life", "mike", "lucy", "tom", "jay", "cat", "dog", "music", "photo")
PLACE_TAILS = ("美食", "旅游攻略", "吃货", "租房", "摄影", "跑团", "二手交易", "宠物店", "人在外地", "生活圈", "烤鸭店", "小笼包")


def synthetic_registry(base: EntityRegistry, total: int, seed: int = 1) -> EntityRegistry:
    """The real registry plus synthetic district-level bodies and local media, ``total`` entities in all."""
    rng = random.Random(seed)
    used = {n.casefold() for e in base.entities for n in e.names}
    cities = [e.name for e in base.entities if e.type == "region" and e.name.endswith("市")]
    out = list(base.entities)
    combos = [(c, d, b) for c in cities for d in DISTRICTS for b in BODIES]
    rng.shuffle(combos)
    for city, district, (body, short, etype) in combos:
        if len(out) >= total:
            break
        name = f"{city}{district}{body}"
        alias = f"{city[:-1]}{district}{short}"
        if name.casefold() in used or alias.casefold() in used:
            continue
        used.update((name.casefold(), alias.casefold()))
        out.append(ProtectedEntity(name, etype, (alias,)))
    return EntityRegistry(out[:total], source="synthetic")


def ordinary_names(n: int, regions: list[str], rng: random.Random) -> list[str]:
    """Names of ordinary accounts: nicknames, Latin handles, and names that contain place words."""
    out = []
    for i in range(n):
        r = i % 10
        if r < 5:
            out.append("".join(rng.choices(NICK_CHARS, k=rng.randint(2, 4))) + rng.choice(NICK_TAILS))
        elif r < 8:
            out.append("_".join(rng.sample(LATIN_WORDS, 2)) + str(rng.randint(0, 999)))
        else:
            out.append(rng.choice(regions) + rng.choice(PLACE_TAILS))
    return out


def _rate(count: int, seconds: float) -> str:
    return f"{count / seconds:>10,.0f}/s"


def timed(fn: Callable[[str], object], items: list, repeat: int = 1) -> tuple[float, float, int]:
    """Best-of-``repeat`` (CPU seconds, wall seconds, items with a result) for ``fn`` over ``items``."""
    best: tuple[float, float, int] | None = None
    for _ in range(repeat):
        gc.disable()
        c, w = time.process_time(), time.perf_counter()
        hits = sum(1 for x in items if fn(x))
        c, w = time.process_time() - c, time.perf_counter() - w
        gc.enable()
        if best is None or c < best[0]:
            best = (c, w, hits)
    assert best is not None
    return best


def run_impersonation(n_entities: int, n_names: int, n_baseline: int, share: float = 0.01, seed: int = 7) -> None:
    rng = random.Random(seed)
    base = load_entities(DEFAULT_ENTITIES)
    t = time.perf_counter()
    registry = synthetic_registry(base, n_entities)
    n_aliases = sum(len(e.names) for e in registry.entities)
    t = time.perf_counter()
    index = NameIndex(registry.entities)
    build = time.perf_counter() - t
    print(f"registry: {len(registry):,} entities ({len(base):,} real), {n_aliases:,} names and aliases; index built in {build:.2f} s")

    regions = [n for e in base.entities if e.type == "region" for n in e.names if not n.isascii()]
    n_fakes = max(1, int(n_names * share))
    cases = ev.make_cases(n_fakes * 3, seed=seed, entities=base.entities)
    fakes = [c.account.display_name for c in cases if c.label and c.account.display_name][:n_fakes]
    ordinary = ordinary_names(n_names - len(fakes), regions, rng)
    names = ordinary + fakes
    rng.shuffle(names)

    find = index.find
    for name in names[:2000]:  # warm caches (tables, automaton pages)
        find(name)
    print(f"{'':<34}{'names':>9} {'CPU s':>7} {'per CPU-s':>12} {'per wall-s':>12}  matched")

    def line(label: str, items: list, repeat: int = 1) -> float:
        cpu, wall, hits = timed(find, items, repeat)
        print(f"{label:<34}{len(items):>9,} {cpu:7.2f} {_rate(len(items), cpu)} {_rate(len(items), wall)}  {hits:,}")
        return len(items) / cpu

    mixed = line(f"brightline, mix ({share:.0%} impersonations)", names)
    line("  ordinary nicknames and handles", [n for i, n in enumerate(ordinary) if i % 10 < 8], 2)
    line("  ordinary names with a place word", [n for i, n in enumerate(ordinary) if i % 10 >= 8], 2)
    line("  impersonations alone", fakes, 2)

    registries = Registries(entities=registry)
    det = ImpersonationDetector(registries, {})
    ctx = ScreenContext(registries)
    accounts = [
        Account(id=f"b{i}", display_name=name, handle=rng.choice(LATIN_WORDS) + str(i), bio="")
        for i, name in enumerate(names[: n_names // 4])
    ]
    cpu, wall, hits = timed(lambda a: list(det.detect(a, ctx)), accounts)
    print(f"{'brightline detector (name+handle)':<34}{len(accounts):>9,} {cpu:7.2f} {_rate(len(accounts), cpu)} {_rate(len(accounts), wall)}  {hits:,}  (accounts)")

    # Baseline: a fuzzy scan of the whole registry per name.
    choices = [n for e in registry.entities for n in e.names]
    sample = names[:n_baseline]
    cpu_b, wall_b, hits_b = timed(lambda n: process.extractOne(n, choices, scorer=fuzz.WRatio, score_cutoff=90), sample)
    print(f"{'baseline rapidfuzz extractOne':<34}{len(sample):>9,} {cpu_b:7.2f} {_rate(len(sample), cpu_b)} {_rate(len(sample), wall_b)}  {hits_b:,}")
    print(f"speed-up over the baseline: {mixed / (len(sample) / cpu_b):,.0f}x; "
          f"SPEC target >= 100,000 names/s on one core: {'met' if mixed >= 100_000 else 'NOT met'} ({mixed:,.0f}/s)")

    # Quality of both on the labelled evaluation set (bench/eval_impersonation.py), bundled registry.
    eval_cases = ev.make_cases(1000, seed=seed + 1)
    rep = ev.evaluate(eval_cases)
    real_choices = [n for e in base.entities for n in e.names]
    real_owner = [e for e in base.entities for _ in e.names]
    tp = fp = fn = 0
    for case in eval_cases:
        a = case.account
        got = None
        for text in (a.display_name, a.handle, a.bio):
            if text:
                m = process.extractOne(text, real_choices, scorer=fuzz.WRatio, score_cutoff=90)
                if m is not None and not (a.verified_entity and real_owner[m[2]].name == a.verified_entity):
                    got = real_owner[m[2]].name
                    break
        if got and case.label:
            tp += 1
        elif got:
            fp += 1
        elif case.label:
            fn += 1
    bp = tp / (tp + fp) if tp + fp else 1.0
    br = tp / (tp + fn) if tp + fn else 1.0
    print(f"quality on {len(eval_cases)} labelled accounts: brightline precision {rep.precision:.3f} recall {rep.recall:.3f}; "
          f"baseline precision {bp:.3f} recall {br:.3f}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--entities", type=int, default=10_000)
    ap.add_argument("--names", type=int, default=200_000)
    ap.add_argument("--baseline-names", type=int, default=300)
    ap.add_argument("--share", type=float, default=0.01, help="share of impersonating names in the mix")
    ap.add_argument("--quick", action="store_true", help="small sizes, for a smoke run")
    args = ap.parse_args(argv)
    if args.quick:
        args.names, args.baseline_names = 20_000, 50
    print(f"== integrity benchmarks  ({platform.python_implementation()} {platform.python_version()}, "
          f"{platform.machine()}, {os.cpu_count()} cores, one used; {time.strftime('%Y-%m-%d')})")
    print("-- impersonation")
    run_impersonation(args.entities, args.names, args.baseline_names, args.share)
    try:
        claims = importlib.import_module("integrity_claims")
    except ModuleNotFoundError:
        print("-- claim matching: bench/integrity_claims.py not present in this tree")
    else:
        print("-- claim matching")
        claims.run_claims_benchmark(args.quick)
    return 0


if __name__ == "__main__":
    sys.exit(main())
