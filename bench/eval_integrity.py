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

if str(Path(__file__).resolve().parents[1]) not in sys.path:  # the repository root, for bench.scoring
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from bench.scoring import PrecisionRecall  # noqa: E402

# -- shared scoring ---------------------------------------------------------------------------------------


@dataclass
class Score(PrecisionRecall):
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


# -- source.missing / source.vague ------------------------------------------------------------------------

ZH_EVENTS = [
    "某市今天下午发生爆炸，已造成{n}人伤亡", "{p}一小区昨晚发生火灾，多人受伤", "{p}发生{n}.{m}级地震，暂无人员伤亡报告",
    "警方通报：{p}一男子因诈骗被刑事拘留", "{p}出台新规，明年起调整落户政策", "{p}暴雨引发山体滑坡，{n}人失联",
    "国务院常务会议决定延长新能源车购置税减免政策", "{p}高速发生多车相撞事故，现场正在救援",
]
EN_EVENTS = [
    "Breaking: an explosion hit a factory in {e}, {n} people were injured",
    "Police said a man was arrested after a shooting in {e}", "A {n}.{m} magnitude earthquake struck near {e} this morning",
    "The government announced a new policy on rent controls in {e}", "Flooding forced an evacuation order in {e}, the death toll is {n}",
]
ZH_PLACES = ["某县", "某市", "某镇", "城东区", "江边村"]
EN_PLACES = ["Springfield", "the harbour district", "Riverside", "the old town"]
ZH_VAGUE = ["网传，", "据网友爆料，", "有消息称，", "朋友圈都在传，", "网上流传：", "据知情人士透露，"]
EN_VAGUE = ["Reportedly, ", "Sources say ", "Going around online: ", "Unconfirmed reports: ", "Rumor has it "]
ZH_NAMED = ["据新华社报道，", "据人民日报消息，", "据央视新闻报道，", "来源：澎湃新闻。", "据{p}公安局官方微博通报，"]
EN_NAMED = ["According to Reuters, ", "The Associated Press reported that ", "According to BBC News, ", "Source: AFP. "]
ZH_EVERYDAY = ["周末和朋友去爬山，风景很好", "今天做了红烧肉，味道不错", "推荐一本最近读的小说", "孩子第一次自己骑车", "健身第30天打卡",
               "新买的相机拍照很清晰", "下雨天适合在家看电影", "听说这家店的火锅很好吃"]
EN_EVERYDAY = ["Baked sourdough today", "Our team won the match last night", "New episode of my podcast is up",
               "Finally finished that mystery novel", "I heard the new album is great"]


def source_cases(rng: random.Random, scale: float) -> Iterator[tuple[str, str | None, dict]]:
    """(text, expected detector or None, extra post fields)."""
    for _ in range(max(1, round(20 * scale))):
        zh = rng.random() < 0.6
        n, m = rng.randint(2, 9), rng.randint(1, 9)
        event = rng.choice(ZH_EVENTS if zh else EN_EVENTS).format(p=rng.choice(ZH_PLACES), e=rng.choice(EN_PLACES), n=n, m=m)
        end = "。" if zh else "."
        yield event + end, "source.missing", {}
        yield rng.choice(ZH_VAGUE if zh else EN_VAGUE).format(p="") + event + end, "source.vague", {}
        yield rng.choice(ZH_NAMED if zh else EN_NAMED).format(p=rng.choice(ZH_PLACES)) + event + end, None, {}
        yield event + end + " https://news.example/a/" + str(rng.randint(1, 999)), None, {}
        yield event + end, None, {"source": rng.choice(["新华社", "Reuters", "人民网"])}
        yield event + end, "source.vague", {"source": rng.choice(["网络", "来自网络", "internet", "网友"])}
        pad = (event + "，" if zh else event + ", ") * 20  # a long text: over the 300-character bar
        yield pad + end + "\n" + rng.choice(ZH_NAMED if zh else EN_NAMED).format(p="某市").rstrip("，, "), "source.vague", {}
        yield event + end + "<small>" + rng.choice(ZH_NAMED if zh else EN_NAMED).format(p="某市") + "</small>", "source.vague", {}
        yield rng.choice(ZH_EVERYDAY if zh else EN_EVERYDAY) + end, None, {}
        yield event + end, None, {"topic": rng.choice(["entertainment", "food", "sports", "pets"])}
        yield rng.choice(["明年起个税起征点调整", "Rent caps change next year"]), "source.missing", {"topic": "public_policy"}


def eval_source(rng: random.Random, scale: float) -> Score:
    from brightline.engine import Engine
    from brightline.model import Post

    engine = Engine(detectors=["source"])
    score = Score("source.missing/vague")
    for n, (text, expected, extra) in enumerate(source_cases(rng, scale)):
        sigs = engine.screen(Post(id=f"s{n}", text=text, **extra)).signals
        score.add(expected, sigs[0].detector if sigs else None, text)
    return score


# -- qualification.missing ---------------------------------------------------------------------------------

ADVICE = {
    "medical": ["高血压患者每次服用{n}00mg，每日两次", "感冒了不知道吃什么药？阿莫西林一天三次", "Take {n}00 mg ibuprofen twice a day for migraines",
                "糖尿病人可以停药改用这个偏方"],
    "finance": ["这只牛股目标价{n}0元，推荐买入", "跟我买，稳赚不赔，明天满仓", "Strong buy, price target ${n}00", "年化收益{n}0%，保本保息"],
    "legal": ["这种情况你可以起诉他，打官司肯定胜诉", "劳动仲裁的诉讼时效是一年，赶紧去", "You can sue them; the statute of limitations is {n} years"],
    "education": ["高考志愿填报听我的，保过名校", "考研择校就选这几所，包录取", "Admissions advice: apply early decision to these {n} colleges"],
}
BENIGN_PROFESSIONAL = ["今天陪奶奶去医院复查，一切都好", "基金经理这个职业好辛苦", "周末去法院门口的面馆吃面", "高考加油！",
                       "My doctor said I'm fine", "Watched a documentary about lawyers", "股票软件今天又卡了", "照片拍得真好看"]
TITLES = {"medical": ["王医生", "李主任医师", "Dr. Chen"], "finance": ["首席分析师老张", "理财师小美", "Jane Roe, CFA"],
          "legal": ["张律师", "Sam Lee, Attorney"], "education": ["刘教授讲升学", "Professor Wu"]}
PLAIN_NAMES = ["小王爱生活", "路人甲", "Sunny Days", "吃货日记", "我不是医生只是爱做饭", "Not a lawyer, just curious"]


def qualification_cases(rng: random.Random, scale: float) -> Iterator[tuple[dict, dict | None, str | None]]:
    """(account, post or None, expected domain or None). Screening date: 2026-06-01."""
    for k in range(max(1, round(10 * scale))):
        for domain, lines in ADVICE.items():
            text = rng.choice(lines).format(n=rng.randint(1, 9))
            plain = {"kind": "account", "id": f"u{k}{domain}", "display_name": rng.choice(PLAIN_NAMES)}
            yield plain, {"text": text}, domain
            qualified = dict(plain, id=f"q{k}{domain}", qualifications=[{"domain": domain, "issuer": "x", "expires": "2030-01-01"}])
            yield qualified, {"text": text}, None
            expired = dict(plain, id=f"e{k}{domain}", qualifications=[{"domain": domain, "expires": "2024-01-01"}])
            yield expired, {"text": text}, domain
            titled = {"kind": "account", "id": f"t{k}{domain}", "display_name": rng.choice(TITLES[domain])}
            yield titled, None, domain
            yield dict(titled, id=f"tq{k}{domain}", qualifications=[{"domain": domain}]), None, None
        yield {"kind": "account", "id": f"b{k}", "display_name": rng.choice(PLAIN_NAMES)}, {"text": rng.choice(BENIGN_PROFESSIONAL)}, None
        yield {"kind": "account", "id": f"n{k}", "display_name": rng.choice(PLAIN_NAMES)}, None, None


def eval_qualification(rng: random.Random, scale: float) -> Score:
    from datetime import datetime, timezone

    from brightline.engine import Engine
    from brightline.ingest import parse_object

    now = datetime(2026, 6, 1, tzinfo=timezone.utc)
    engine = Engine(detectors=["qualification"])
    score = Score("qualification.missing")
    for n, (account, post, expected) in enumerate(qualification_cases(rng, scale)):
        d = engine.screen(parse_object(account), now=now)  # type: ignore[arg-type]
        label = account["display_name"]
        if post is not None:
            d = engine.screen(parse_object({"kind": "post", "id": f"p{n}", "account_id": account["id"], **post}), now=now)  # type: ignore[arg-type]
            label = post["text"]
        sigs = [s for s in d.signals if s.detector == "qualification.missing"]
        score.add(expected, sigs[0].evidence["domain"] if sigs else None, label)
    return score


# -- media.recycled --------------------------------------------------------------------------------------


def scene(seed: int, size: tuple[int, int] = (480, 360)):  # type: ignore[no-untyped-def]
    """A photo-like test picture: blurred coloured shapes on a background, different for every seed."""
    from PIL import Image, ImageDraw, ImageFilter

    r = random.Random(seed)
    w, h = size
    im = Image.new("RGB", size, tuple(r.randrange(256) for _ in range(3)))
    d = ImageDraw.Draw(im)
    for _ in range(12):
        x, y, s = r.randrange(w), r.randrange(h), r.randrange(w // 16, w // 3)
        d.ellipse((x, y, x + s, y + s * 0.7), fill=tuple(r.randrange(256) for _ in range(3)))
        x0, x1 = sorted((r.randrange(w), r.randrange(w)))
        y0, y1 = sorted((r.randrange(h), r.randrange(h)))
        d.rectangle((x0, y0, x1, y1), fill=tuple(r.randrange(256) for _ in range(3)))
    return im.filter(ImageFilter.GaussianBlur(2))


def eval_recycled(rng: random.Random, scale: float) -> Score:
    """Old images re-posted (re-encoded, resized, brightened, captioned, cropped 3 %) with "new" wording."""
    import tempfile

    from PIL import ImageDraw, ImageEnhance

    from brightline.engine import Engine
    from brightline.model import Post

    engine = Engine(detectors=["media_recycled"])
    score = Score("media.recycled")
    new_words = ["刚刚！现场画面", "今天的暴雨太吓人了", "Breaking: happening now", "Just now in the city centre"]
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        n_images = max(2, round(15 * scale))
        for i in range(n_images):
            base = scene(1000 + i, (320, 240))
            base.save(folder / f"o{i}.jpg", quality=90)
            engine.screen(Post(id=f"o{i}", text="photo", created_at="2021-07-20T08:00:00Z", media=[{"path": f"o{i}.jpg"}]), base_path=folder)  # type: ignore[arg-type]
            variants = {
                "recompressed": lambda im: im,
                "resized": lambda im: im.resize((im.width // 2, im.height // 2)),
                "brighter": lambda im: ImageEnhance.Brightness(im).enhance(1.15),
                "cropped": lambda im: im.crop((5, 4, im.width - 5, im.height - 4)),
            }
            for name, fn in variants.items():
                im = fn(base)
                if name == "recompressed":
                    ImageDraw.Draw(im).text((8, 8), "NEWS", fill=(255, 255, 255))
                path = f"v{i}{name}.jpg"
                im.save(folder / path, quality=rng.choice([40, 60, 85]))
                when = "2024-07-21T09:30:00Z"
                sig = engine.screen(Post(id=f"v{i}{name}", text=rng.choice(new_words), created_at=when, media=[{"path": path}]), base_path=folder).signals  # type: ignore[arg-type]
                score.add("media.recycled", sig[0].detector if sig else None, f"{name} {i}")
            # Negatives: a new image presented as new; the old image shared as old.
            scene(5000 + i, (320, 240)).save(folder / f"n{i}.jpg")
            sig = engine.screen(Post(id=f"n{i}", text=rng.choice(new_words), created_at="2024-07-22T00:00:00Z", media=[{"path": f"n{i}.jpg"}]), base_path=folder).signals  # type: ignore[arg-type]
            score.add(None, sig[0].detector if sig else None, f"fresh {i}")
            sig = engine.screen(Post(id=f"t{i}", text="Throwback to the 2021 floods", created_at="2024-07-22T00:00:00Z", media=[{"path": f"o{i}.jpg"}]), base_path=folder).signals  # type: ignore[arg-type]
            score.add(None, sig[0].detector if sig else None, f"throwback {i}")
    return score


EVALS: dict[str, Callable[[random.Random, float], list[Score] | Score]] = {
    "claims": eval_claims,
    "source": eval_source,
    "qualification": eval_qualification,
    "recycled": eval_recycled,
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
