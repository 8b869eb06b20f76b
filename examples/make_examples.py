"""Generate brightline's bundled example data: ``examples/demo.jsonl`` and the images in ``examples/media/``.

    python examples/make_examples.py            # rewrite examples/ in place
    python examples/make_examples.py --out DIR  # write a copy elsewhere (tests compare it byte for byte)

Deterministic: one fixed seed, hand-written templates (``example_texts.py``), no clock, no network. Running it
twice gives byte-identical files; ``tests/test_examples.py`` checks that the committed files are exactly what
this script produces.

Every item carries two fields the SPEC contract does not know (kept and ignored by ``brightline screen``):
``example_expect`` — the detectors a reviewer would expect to fire (empty for benign items and near-misses) —
and, on diversion posts, ``example_evasion`` naming how the contact was disguised. Tests use them to check
that each capability present in the examples fires.
"""

from __future__ import annotations

import argparse
import io
import itertools
import json
import random
import sys
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

from PIL import Image, ImageDraw, ImageFilter
from PIL.PngImagePlugin import PngInfo

sys.dont_write_bytecode = True  # keep examples/ free of __pycache__
sys.path.insert(0, str(Path(__file__).resolve().parent))
import example_texts as T  # noqa: E402  (a sibling module, also when run from another folder)

SEED = 20250901
HERE = Path(__file__).resolve().parent
START = datetime(2025, 7, 1, tzinfo=timezone.utc)
END = datetime(2025, 9, 15, tzinfo=timezone.utc)

# --- disguising contacts: the evasions seed 001 §3 and reference §2 describe ------------------------------

CIRCLED = dict(zip("0123456789", "⓪①②③④⑤⑥⑦⑧⑨"))
CN_SPOKEN = dict(zip("0123456789", "零幺二三四五六七八九"))  # 幺 for 1, as numbers are read out on the phone
CN_PLAIN = dict(zip("0123456789", "〇一两三四五六七八九"))
CN_CAPITAL = dict(zip("0123456789", "零壹贰叁肆伍陆柒捌玖"))


def _map(table: dict[str, str]) -> Callable[[str], str]:
    return lambda s: "".join(table.get(c, c) for c in s)


def _fullwidth(s: str) -> str:
    return "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in s)


def _grouped(s: str, sep: str) -> str:
    # 3-4-4 grouping as phone numbers are printed on shop signs
    return sep.join((s[:3], s[3:7], s[7:])) if len(s) == 11 else sep.join(s[i : i + 3] for i in range(0, len(s), 3))


#: Digit disguises: name -> function. Names end up in ``example_evasion``.
DIGIT_STYLES: dict[str, Callable[[str], str]] = {
    "plain": lambda s: s,
    "spaced": lambda s: _grouped(s, " "),
    "dashed": lambda s: _grouped(s, "-"),
    "circled": _map(CIRCLED),
    "chinese_numerals": _map(CN_SPOKEN),
    "chinese_numerals_mixed": lambda s: _map(CN_PLAIN)(s[: len(s) // 2]) + s[len(s) // 2 :],
    "capital_numerals": _map(CN_CAPITAL),
    "fullwidth": _fullwidth,
    "zero_width": lambda s: "\u200b".join(s),
    "keycap_emoji": lambda s: "".join(f"{c}\ufe0f\u20e3" for c in s),
    "symbol_inserted": lambda s: "·".join(s),
    "emoji_inserted": lambda s: _grouped(s, "🌸"),
}

WECHAT_CUES = ("薇❤", "v❤", "vx", "V信", "威信", "薇信", "徽信", "wx", "薇", "➕V", "VX", "微❤")
HANDLE_STEMS = (
    "xiaomei", "lucky", "tianmi", "ahua", "yuyu", "mumu", "lily", "sunny", "jiajia", "kiki", "dabao", "momo",
)
TG_STEMS = ("vip_ziyuan", "fuli_share", "cheap_followers", "haiwai_res", "daili_group", "free_vpn_cn")
DOMAIN_STEMS = ("lucky8866", "vipziyuan", "hongbao777", "fulishe", "yingqian88", "kuaizhuan")
DOMAIN_STYLES: dict[str, Callable[[str], str]] = {
    "dian_com": lambda d: f"{d}点com",
    "ideographic_stop": lambda d: f"{d}。com",
    "bracket_dot": lambda d: f"{d}[.]com",
    "fullwidth_dots": lambda d: f"www．{d}．com",
    "spaced_tld": lambda d: f"{d} . c o m",
}
EMAIL_STYLES: dict[str, Callable[[str, str], str]] = {
    "plain": lambda u, h: f"{u}@{h}",
    "fullwidth": lambda u, h: _fullwidth(f"{u}@{h}"),
    "hash_for_at": lambda u, h: f"{u}#{h}",
    "at_word": lambda u, h: f"{u} at {h.replace('.', ' dot ')}",
}
STOCKS = ("华夏新能", "长江电子", "东方芯片", "金龙医药")
TICKERS = ("NVTX", "QBIT", "ZETA", "LUMN")
DRUGS = ("复方罗布麻片", "牛黄降压丸", "深海鱼油胶囊")


class Filler:
    """Fills template placeholders from one seeded random generator and remembers the evasions used."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.evasions: list[str] = []
        # Disguises are taken in turn, not drawn, so every style is guaranteed to appear in the examples.
        self._turns: dict[str, Iterator[str]] = {
            "digits": itertools.cycle(DIGIT_STYLES), "domain": itertools.cycle(DOMAIN_STYLES),
            "email": itertools.cycle(EMAIL_STYLES), "cue": itertools.cycle(WECHAT_CUES),
        }

    def digits(self, n: int, first: str = "123456789") -> str:
        return self.rng.choice(first) + "".join(self.rng.choice("0123456789") for _ in range(n - 1))

    def disguise(self, number: str) -> str:
        style = next(self._turns["digits"])
        self.evasions.append(style)
        return DIGIT_STYLES[style](number)

    def wechat(self) -> str:
        sep = self.rng.choice(("", "_", ""))
        return self.rng.choice(HANDLE_STEMS) + sep + self.digits(self.rng.randint(3, 6))

    def cue(self) -> str:
        c = next(self._turns["cue"])
        self.evasions.append(f"cue:{c}")
        return c

    def phone(self) -> str:
        return self.disguise("1" + self.rng.choice("35789") + self.digits(9, "0123456789"))

    def qq(self) -> str:
        return self.disguise(self.digits(self.rng.randint(9, 10)))

    def tg(self) -> str:
        return self.rng.choice(TG_STEMS) + self.digits(2)

    def email(self) -> str:
        style = next(self._turns["email"])
        self.evasions.append(f"email:{style}")
        host = self.rng.choice(("qq.com", "163.com", "gmail.com", "outlook.com"))
        return EMAIL_STYLES[style](self.rng.choice(HANDLE_STEMS) + self.digits(4), host)

    def whatsapp(self) -> str:
        # +44 7700 900xxx and (area) 555-01xx are ranges reserved for fiction: no real person's number.
        if self.rng.random() < 0.5:
            return f"+44 7700 900{self.digits(3, '0123456789')}"
        return f"+1 {self.rng.choice(('212', '415', '646'))} 555 01{self.digits(2, '0123456789')}"

    def domain(self) -> str:
        style = next(self._turns["domain"])
        self.evasions.append(f"domain:{style}")
        return DOMAIN_STYLES[style](self.rng.choice(DOMAIN_STEMS))

    def fill(self, template: str, **fixed: str) -> str:
        """Format ``template``; only the placeholders it uses are drawn, so the random stream stays stable."""
        makers: dict[str, Callable[[], str]] = {
            "wechat": self.wechat, "cue": self.cue, "phone": self.phone, "qq": self.qq, "tg": self.tg,
            "email": self.email, "wa": self.whatsapp, "domain": self.domain,
            "plain_name": lambda: self.rng.choice(DOMAIN_STEMS),
            "plain_domain": lambda: self.rng.choice(DOMAIN_STEMS) + self.rng.choice((".com", ".cc", ".top")),
            "short": lambda: "".join(self.rng.choice("abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789")
                                     for _ in range(self.rng.randint(6, 7))),
            "city": lambda: self.rng.choice(T.CITIES), "city_en": lambda: self.rng.choice(T.CITIES_EN),
            "district": lambda: self.rng.choice(T.DISTRICTS),
            "n": lambda: str(self.rng.randint(1, 12)), "n2": lambda: str(self.rng.randint(10, 60)),
            "price": lambda: str(self.rng.randint(12, 88)), "order": lambda: "13" + self.digits(14, "0123456789"),
            "stock": lambda: self.rng.choice(STOCKS), "ticker": lambda: self.rng.choice(TICKERS),
            "drug": lambda: self.rng.choice(DRUGS),
            "price2": lambda: str(self.rng.randint(199, 2999)), "price3": lambda: str(self.rng.randint(12, 199)),
            "tracking": lambda: self.digits(12, "0123456789"), "pct": lambda: str(self.rng.randint(3, 35)),
            "date": lambda: f"2025-{self.rng.randint(7, 12):02d}-{self.rng.randint(1, 28):02d}",
            "time": lambda: f"{self.rng.randint(8, 21):02d}:{self.rng.choice(('00', '15', '30', '45'))}",
            "year": lambda: str(self.rng.randint(1938, 2020)), "four": lambda: self.digits(4, "0123456789"),
            "score": lambda: f"{self.rng.randint(0, 5)}:{self.rng.randint(0, 5)}",
            "plate": lambda: "".join(self.rng.choice("ABCDEFGHJKLMNPQRSTUVWXYZ0123456789") for _ in range(5)),
            "room": lambda: str(self.rng.randint(101, 2508)), "emp": lambda: "10" + self.digits(4, "0123456789"),
            "glucose": lambda: f"{self.rng.randint(42, 58) / 10:.1f}",
        }
        values: dict[str, str] = dict(fixed)
        for name in _placeholders(template):
            if name not in values:
                values[name] = makers[name]()
        return template.format(**values)


def _placeholders(template: str) -> Iterator[str]:
    import string

    seen: set[str] = set()
    for _, name, _, _ in string.Formatter().parse(template):
        if name and name not in seen:
            seen.add(name)
            yield name


# --- media: small images drawn with Pillow, carrying the provenance records the aigc detector reads ---------

#: A fictional but well-formed 27-character provider code (format 00, org bound by a USCC, generation service).
PRODUCER_CODE = "0011913301060000000X7K10001"


def gb45438_record(label: str, produce_id: str) -> dict[str, Any]:
    """A GB 45438-2025 Annex E record as a generation service writes it first (propagator = producer)."""
    return {
        "AIGC": {
            "Label": label,
            "ContentProducer": PRODUCER_CODE,
            "ProduceID": produce_id,
            "ReservedCode1": "",
            "ContentPropagator": PRODUCER_CODE,
            "PropagateID": produce_id,
            "ReservedCode2": "",
        }
    }


def _xmp(description: str) -> bytes:
    return (
        '<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>'
        '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
        f"{description}</rdf:RDF></x:xmpmeta>"
        '<?xpacket end="w"?>'
    ).encode("utf-8")


def _xml_escape(s: str) -> str:
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


def _noise(img: Image.Image, rng: random.Random, amount: float) -> Image.Image:
    grain = Image.frombytes("L", img.size, rng.randbytes(img.size[0] * img.size[1])).convert("RGB")
    return Image.blend(img, grain, amount)


def _gradient(size: tuple[int, int], top: tuple[int, int, int], bottom: tuple[int, int, int]) -> Image.Image:
    w, h = size
    img = Image.new("RGB", size)
    d = ImageDraw.Draw(img)
    for y in range(h):
        t = y / max(h - 1, 1)
        d.line([(0, y), (w, y)], fill=tuple(round(a + (b - a) * t) for a, b in zip(top, bottom)))
    return img


def draw_neon_city(rng: random.Random, size: tuple[int, int] = (256, 256)) -> Image.Image:
    """A 'cyberpunk night city' of the kind image generators are asked for."""
    img = _gradient(size, (20, 8, 48), (70, 20, 90))
    d = ImageDraw.Draw(img)
    w, h = size
    x = 0
    while x < w:
        bw, bh = rng.randint(18, 40), rng.randint(h // 4, h - 30)
        d.rectangle([x, h - bh, x + bw, h], fill=(rng.randint(10, 30), rng.randint(10, 30), rng.randint(30, 60)))
        for wy in range(h - bh + 6, h - 6, 9):
            for wx in range(x + 4, x + bw - 4, 7):
                if rng.random() < 0.45:
                    lit = rng.choice([(255, 60, 200), (60, 240, 255), (255, 220, 90)])
                    d.rectangle([wx, wy, wx + 3, wy + 4], fill=lit)
        x += bw + rng.randint(1, 6)
    d.ellipse([w - 80, 20, w - 30, 70], outline=(255, 60, 200), width=3)
    return img


def draw_landscape(
    rng: random.Random, size: tuple[int, int], sunset: bool = False, horizon: float = 0.55
) -> Image.Image:
    top, bottom = ((250, 120, 60), (255, 210, 140)) if sunset else ((110, 170, 235), (200, 230, 250))
    img = _gradient(size, top, bottom)
    d = ImageDraw.Draw(img)
    w, h = size
    sx = w * rng.uniform(0.1, 0.8)
    d.ellipse([sx, h * 0.12, sx + 28, h * 0.12 + 28], fill=(255, 240, 180))
    for layer, colour in enumerate(((90, 110, 130), (60, 90, 70), (40, 70, 50))):
        base = h * (horizon + 0.12 * layer)
        pts = [(0, h)] + [(x, base - rng.randint(0, int(h * 0.25))) for x in range(0, w + 24, 24)] + [(w, h)]
        d.polygon(pts, fill=colour)
    return img


def draw_cat(rng: random.Random, size: tuple[int, int] = (200, 160)) -> Image.Image:
    img = _gradient(size, rng.choice([(235, 225, 210), (90, 110, 140)]), (200, 185, 170))
    d = ImageDraw.Draw(img)
    cx, cy = rng.randint(60, size[0] - 60), size[1] // 2 + 10
    fur = rng.choice([(230, 150, 60), (60, 60, 60), (240, 240, 235)])
    d.ellipse([cx - 55, cy - 20, cx + 55, cy + 60], fill=fur)
    d.ellipse([cx - 38, cy - 60, cx + 38, cy + 10], fill=fur)
    d.polygon([(cx - 36, cy - 40), (cx - 30, cy - 78), (cx - 8, cy - 55)], fill=fur)
    d.polygon([(cx + 36, cy - 40), (cx + 30, cy - 78), (cx + 8, cy - 55)], fill=fur)
    for ex in (-15, 15):
        d.ellipse([cx + ex - 5, cy - 32, cx + ex + 5, cy - 22], fill=(40, 40, 40))
    for i in range(5):
        d.arc([cx - 55 + i * 20, cy, cx - 35 + i * 20, cy + 30], 180, 360, fill=(200, 120, 40), width=2)
    return img


def draw_noodles(rng: random.Random, size: tuple[int, int] = (200, 150)) -> Image.Image:
    img = _gradient(size, (120, 80, 50), (90, 60, 40))
    d = ImageDraw.Draw(img)
    w, h = size
    d.ellipse([20, 25, w - 20, h - 10], fill=(245, 245, 240))
    d.ellipse([35, 35, w - 35, h - 22], fill=(180, 90, 40))
    for _ in range(40):
        x0, y0 = rng.randint(45, w - 60), rng.randint(45, h - 40)
        d.arc([x0, y0, x0 + rng.randint(15, 40), y0 + rng.randint(8, 20)], 0, 180, fill=(250, 225, 150), width=2)
    for _ in range(6):
        x0, y0 = rng.randint(50, w - 60), rng.randint(45, h - 45)
        d.rectangle([x0, y0, x0 + 14, y0 + 9], fill=(120, 50, 40))
    return img


def draw_flood(rng: random.Random, size: tuple[int, int] = (240, 160)) -> Image.Image:
    img = _gradient(size, (120, 125, 135), (170, 170, 175))
    d = ImageDraw.Draw(img)
    w, h = size
    x = 0
    while x < w:
        bw = rng.randint(30, 55)
        d.rectangle([x, rng.randint(20, 60), x + bw - 4, h], fill=(rng.randint(150, 200),) * 3)
        x += bw
    d.rectangle([0, int(h * 0.62), w, h], fill=(125, 105, 70))
    for y in range(int(h * 0.65), h, 6):
        for x in range(rng.randint(0, 10), w, 22):
            d.line([(x, y), (x + 10, y)], fill=(150, 130, 95))
    d.rectangle([60, int(h * 0.55), 110, int(h * 0.68)], fill=(180, 30, 30))  # a car half under water
    return img


def _png(img: Image.Image, info: PngInfo | None = None) -> bytes:
    buf = io.BytesIO()
    img.save(buf, "PNG", pnginfo=info, optimize=True)
    return buf.getvalue()


def _jpeg(img: Image.Image, quality: int, xmp: bytes | None = None) -> bytes:
    buf = io.BytesIO()
    kwargs: dict[str, Any] = {"quality": quality, "optimize": True}
    if xmp is not None:
        kwargs["xmp"] = xmp
    img.save(buf, "JPEG", **kwargs)
    return buf.getvalue()


def make_media(rng: random.Random) -> dict[str, bytes]:
    """All example media files, path relative to ``examples/`` -> bytes."""
    files: dict[str, bytes] = {}

    # GB 45438 implicit label in a PNG iTXt chunk with keyword AIGC (carrier per TC260 image guide, Annex B).
    info = PngInfo()
    info.add_itxt("AIGC", json.dumps(gb45438_record("1", "IMG20250718093001A7F3"), separators=(",", ":")))
    files["media/aigc_labelled.png"] = _png(draw_neon_city(rng), info)

    # The same record as XMP TC260:AIGC in a JPEG APP1 segment (the primary image carrier).
    record = json.dumps(gb45438_record("1", "IMG20250802151244C0D9"), separators=(",", ":"))
    xmp = _xmp(
        '<rdf:Description rdf:about="" xmlns:TC260="http://www.tc260.org.cn/ns/AIGC/1.0/">'
        f"<TC260:AIGC>{_xml_escape(record)}</TC260:AIGC></rdf:Description>"
    )
    files["media/aigc_labelled_xmp.jpg"] = _jpeg(draw_neon_city(rng, (240, 180)), 80, xmp)

    # A defective label as careless tools write it: bare record, Label as a number, Chinese producer name
    # (outside the Annex E charset), ProduceID missing.
    bad = {"Label": 1, "ContentProducer": "某某智能科技有限公司", "ContentPropagator": "", "PropagateID": ""}
    info = PngInfo()
    info.add_itxt("AIGC", json.dumps(bad, ensure_ascii=False))
    files["media/aigc_label_defect.png"] = _png(draw_neon_city(rng, (160, 160)), info)

    # AUTOMATIC1111 webui: tEXt 'parameters' infotext (traces only: suspected).
    info = PngInfo()
    info.add_text(
        "parameters",
        "sunset over West Lake, pagoda silhouette, golden hour, highly detailed, 8k\n"
        "Negative prompt: blurry, lowres, watermark\n"
        "Steps: 28, Sampler: DPM++ 2M Karras, CFG scale: 7, Seed: 1234567890, Size: 512x512, "
        "Model hash: 6ce0161689, Model: v1-5-pruned-emaonly, Version: v1.9.4",
    )
    files["media/sd_parameters.png"] = _png(draw_landscape(rng, (224, 160), sunset=True), info)

    # ComfyUI: tEXt 'prompt' (API graph) and 'workflow' (UI graph).
    prompt = {
        "3": {"class_type": "KSampler", "inputs": {"seed": 42, "steps": 20, "cfg": 8, "sampler_name": "euler",
                                                    "model": ["4", 0], "positive": ["6", 0], "negative": ["7", 0]}},
        "4": {"class_type": "CheckpointLoaderSimple", "inputs": {"ckpt_name": "sd_xl_base_1.0.safetensors"}},
        "6": {"class_type": "CLIPTextEncode", "inputs": {"text": "a cute orange cat, watercolor", "clip": ["4", 1]}},
        "7": {"class_type": "CLIPTextEncode", "inputs": {"text": "text, watermark", "clip": ["4", 1]}},
    }
    info = PngInfo()
    info.add_text("prompt", json.dumps(prompt, separators=(",", ":")))
    workflow = {"last_node_id": 9, "nodes": [{"id": 3, "type": "KSampler"}]}
    info.add_text("workflow", json.dumps(workflow, separators=(",", ":")))
    files["media/comfyui_cat.png"] = _png(draw_cat(rng), info)

    # IPTC Digital Source Type trainedAlgorithmicMedia in XMP (stock-photo sites mark AI images this way).
    xmp = _xmp(
        '<rdf:Description rdf:about="" xmlns:Iptc4xmpExt="http://iptc.org/std/Iptc4xmpExt/2008-02-29/">'
        "<Iptc4xmpExt:DigitalSourceType>http://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMedia"
        "</Iptc4xmpExt:DigitalSourceType><Iptc4xmpExt:AISystemUsed>ExampleDiffusion</Iptc4xmpExt:AISystemUsed>"
        "</rdf:Description>"
    )
    files["media/iptc_trained_algorithmic.jpg"] = _jpeg(draw_landscape(rng, (240, 160), horizon=0.3), 78, xmp)

    # Ordinary photos without any provenance record: must not be called AI.
    files["media/photo_hike.jpg"] = _jpeg(_noise(draw_landscape(rng, (240, 160)), rng, 0.06), 80)
    files["media/photo_food.jpg"] = _jpeg(_noise(draw_noodles(rng), rng, 0.05), 80)
    files["media/photo_cat.jpg"] = _jpeg(_noise(draw_cat(rng), rng, 0.05), 80)

    # Recycled media: a 2023 flood photo and the same picture re-encoded smaller, as re-posts spread it.
    flood = _noise(draw_flood(rng), rng, 0.05)
    files["media/flood_2023.jpg"] = _jpeg(flood, 85)
    files["media/flood_repost.jpg"] = _jpeg(flood.resize((200, 133), Image.LANCZOS).filter(ImageFilter.SMOOTH), 60)
    return files


# --- items --------------------------------------------------------------------------------------------------


def _iso(t: datetime) -> str:
    return t.strftime("%Y-%m-%dT%H:%M:%SZ")


def _parse_iso(stamp: str) -> datetime:
    return datetime.fromisoformat(stamp.replace("Z", "+00:00"))


def _lang(text: str) -> str:
    cjk = sum(1 for c in text if "\u4e00" <= c <= "\u9fff")
    return "zh" if cjk * 4 >= len(text) or cjk > 6 else "en"


class ExampleBuilder:
    """Builds accounts, posts and reports from the templates with one seeded random generator."""

    def __init__(self, seed: int = SEED) -> None:
        self.rng = random.Random(seed)
        self.fill = Filler(self.rng)
        self.accounts: list[dict[str, Any]] = []
        self.posts: list[tuple[datetime, int, dict[str, Any]]] = []  # (time, order, post) until ids are given
        self.pools: dict[str, list[str]] = {}

    # accounts
    def _created(self) -> str:
        return _iso(datetime(2019, 1, 1, tzinfo=timezone.utc) + timedelta(days=self.rng.randint(0, 2300)))

    def account(
        self, pool: str, display: str, handle: str, bio: str, expect: tuple[str, ...] = (), **extra: Any
    ) -> str:
        aid = f"a{len(self.accounts) + 1:03d}"
        acc: dict[str, Any] = {"kind": "account", "id": aid, "display_name": display, "handle": handle, "bio": bio,
                               "avatar": None, "created_at": self._created()}
        acc.update(extra)
        acc["example_expect"] = list(expect)
        self.accounts.append(acc)
        self.pools.setdefault(pool, []).append(aid)
        return aid

    def build_accounts(self) -> None:
        for display, handle, bio in T.ORDINARY_ACCOUNTS:
            self.account("ordinary", display, handle, bio)
        for display, handle, bio, domain, issuer in T.QUALIFIED_ACCOUNTS:
            q = {"domain": domain, "issuer": issuer, "expires": f"{self.rng.randint(2026, 2029)}-12-31",
                 "number": self.fill.digits(15, "1234")}
            self.account(f"qualified:{domain}", display, handle, bio, qualifications=[q])
        for display, handle, bio in T.UNQUALIFIED_ACCOUNTS:
            self.account("unqualified", display, handle, bio, ("qualification.missing",), qualifications=[])
        display, handle, bio, domain, issuer, expires = T.EXPIRED_ACCOUNT
        self.account("expired", display, handle, bio, ("qualification.missing",),
                     qualifications=[{"domain": domain, "issuer": issuer, "expires": expires}])
        for display, handle, bio in T.IMPERSONATOR_ACCOUNTS:
            self.account("impersonator", display, handle, bio, ("impersonation",))
        for display, handle, bio, entity in T.GENUINE_ACCOUNTS:
            self.account("genuine", display, handle, bio, verified_entity=entity)
        for display, handle, bio in T.DIVERSION_ACCOUNTS:
            self.fill.evasions.clear()
            text = self.fill.fill(bio)
            expect = ("diversion.link",) if "t·me" in bio else ("diversion.contact",)
            self.account("diversion", display, handle, text, expect)
        for i in range(16):
            name = T.MATRIX_NAMES[i % len(T.MATRIX_NAMES)]
            self.account("matrix", f"{name}{i + 1:02d}", f"haowu_{i + 1:02d}{self.fill.digits(2)}", "分享好吃好玩的，关注不迷路。")
        for i, name in enumerate(T.BURST_ACCOUNTS):
            self.account("burst", name, f"user_{self.fill.digits(8)}", "")
            self.accounts[-1]["created_at"] = _iso(datetime(2025, 8, 20, tzinfo=timezone.utc) + timedelta(hours=i))
        self.account("flagger", "网络辟谣志愿者联盟", "piyao_volunteers", "核查网络谣言，向平台举报。")

    # posts
    def pick(self, pool: str) -> str:
        return self.rng.choice(self.pools[pool])

    def when(self) -> datetime:
        return START + timedelta(seconds=self.rng.randint(0, int((END - START).total_seconds())))

    def post(
        self, account_id: str, text: str, expect: tuple[str, ...], at: datetime | None = None, **fields: Any
    ) -> dict[str, Any]:
        p: dict[str, Any] = {"kind": "post", "id": "", "account_id": account_id, "text": text}
        p.update({k: v for k, v in fields.items() if v not in (None, False, ())})
        p["created_at"] = _iso(at or self.when())
        p["lang"] = _lang(text)
        if len(self.posts) % 3 == 0:  # platform fields brightline does not know: kept and ignored
            p["stats"] = {"likes": self.rng.randint(0, 5000), "shares": self.rng.randint(0, 800)}
        if len(self.posts) % 7 == 0:  # the fully explicit form, with every optional field at its default
            for key, default in (("title", None), ("topic", None), ("source", None), ("declared_ai", False),
                                 ("media", []), ("reshare_of", None)):
                p.setdefault(key, default)
        p["example_expect"] = list(expect)
        self.posts.append((at or _parse_iso(p["created_at"]), len(self.posts), p))
        return p

    def build_posts(self) -> None:
        f = self.fill
        # traffic diversion: every contact template once, then a second round with fresh values
        contact_templates = list(T.DIVERSION_CONTACT)
        for round_ in range(2):
            for i, (tmpl, expect, written) in enumerate(contact_templates):
                if round_ == 1 and i % 2:
                    continue
                f.evasions[:] = written
                fixed = {"cue": "薇❤", "wechat": "abc12345"} if (round_, i) == (0, 0) else {}
                if (round_, i) == (0, 3):
                    fixed = {"phone": "幺三八 零零幺三 八零零零"}
                    f.evasions.append("chinese_numerals")
                text = f.fill(tmpl, **fixed)
                account = self.pick("diversion") if self.rng.random() < 0.3 else self.pick("ordinary")
                self.post(account, text, expect, example_evasion=sorted(set(f.evasions)) or ["plain"])
        for round_ in range(2):
            for i, (tmpl, expect) in enumerate(T.DIVERSION_LINK):
                if round_ == 1 and i % 2:
                    continue
                f.evasions.clear()
                text = f.fill(tmpl)
                self.post(self.pick("diversion") if i % 3 == 0 else self.pick("ordinary"), text, expect,
                          example_evasion=sorted(set(f.evasions)) or ["plain"])
        for tmpl, expect in T.LEXICON:
            self.post(self.pick("ordinary"), f.fill(tmpl), expect)

        # information sources
        for tmpl, expect, topic in T.SOURCE_MISSING + T.SOURCE_VAGUE:
            self.post(self.pick("ordinary"), f.fill(tmpl), expect, topic=topic)
        for tmpl, expect, topic in T.SOURCE_WEAK:
            city = self.rng.choice(T.CITIES)
            self.post(self.pick("ordinary"), f.fill(tmpl, city=city), expect, topic=topic, title=f"{city}最新情况汇总")
        for tmpl, source, topic in T.SOURCED_NEWS:
            city = self.rng.choice(T.CITIES)
            src = f.fill(source, city=city) if source else None
            self.post(self.pick("genuine") if self.rng.random() < 0.3 else self.pick("ordinary"),
                      f.fill(tmpl, city=city), (), topic=topic, source=src)
        imp_texts = (
            ("紧急通知：{city}出现新型传染病例，请市民减少外出，具体情况等待进一步通报。", ("source.missing",)),
            ("【快讯】{city}今日起实施交通管制，请相互转告。", ("source.missing",)),
            ("权威发布：今年夏天全国将迎来最强高温，请做好准备。", ()),
            ("Official: new travel restrictions for {city_en} start tomorrow.", ("source.missing",)),
        )
        for tmpl, expect in imp_texts:
            self.post(self.pick("impersonator"), f.fill(tmpl), expect)

        # professional qualification: advice by accounts with no (or an expired) qualification
        unq = self.pools["unqualified"]  # order follows T.UNQUALIFIED_ACCOUNTS
        domain_pool = {
            "medical": [unq[0], unq[3], unq[4], unq[6]],
            "finance": [unq[1], unq[5], unq[7]],
            "legal": [unq[2]],
        }
        for tmpl, domain in T.ADVICE:
            author = self.rng.choice(domain_pool[domain]) if domain in domain_pool else self.pick("ordinary")
            self.post(author, f.fill(tmpl), ("qualification.missing",))
        expired = self.pools["expired"][0]
        self.post(expired, "血脂高的不用吃他汀，每天喝两勺醋，三个月血管就通了。", ("qualification.missing",))
        self.post(expired, "心慌胸闷先含两片硝酸甘油，不用去医院。", ("qualification.missing",))
        for domain, texts in T.QUALIFIED_ADVICE.items():
            for text in texts:
                self.post(self.pick(f"qualified:{domain}"), text, ())

        # debunked claims, reworded and re-shared; plus a fact-check quoting one
        first_debunked: dict[str, Any] | None = None
        for i, (tmpl, expect) in enumerate(T.DEBUNKED):
            p = self.post(self.pick("ordinary"), f.fill(tmpl), expect)
            if i == 0:
                first_debunked = p
            elif i == 1 and first_debunked is not None:
                p["reshare_of"] = first_debunked  # replaced by its id once ids are assigned
        self.post(self.pools["flagger"][0], T.DEBUNK_NEAR_MISS, ())

        # AI-generated content
        for tmpl, media, declared, expect in T.AIGC_POSTS:
            self.post(self.pick("ordinary"), f.fill(tmpl), expect, declared_ai=declared,
                      media=[{"path": m} for m in media] or None)

        # recycled media: first seen in July 2023, re-posted as "just now" in 2025
        city = self.rng.choice(T.CITIES)
        tmpl, media = T.RECYCLED_FIRST
        self.post(self.pick("ordinary"), f.fill(tmpl, city=city), (),
                  at=datetime(2023, 7, 31, 8, 12, tzinfo=timezone.utc), media=[{"path": media}], topic="disaster")
        for i, tmpl in enumerate(T.RECYCLED_REPOSTS):
            path = "media/flood_repost.jpg" if i == 0 else "media/flood_2023.jpg"
            self.post(self.pick("ordinary"), f.fill(tmpl, city=city), ("media.recycled",), media=[{"path": path}])

        # coordinated copy-paste: 16 matrix accounts within 10 minutes
        start = datetime(2025, 8, 15, 19, 0, tzinfo=timezone.utc)
        city = self.rng.choice(T.CITIES)
        for i, aid in enumerate(self.pools["matrix"]):
            text = T.COPYPASTA.format(city=city) + T.COPYPASTA_DECORATIONS[i % len(T.COPYPASTA_DECORATIONS)]
            self.post(aid, text, ("coordination.copypasta",), at=start + timedelta(seconds=self.rng.randint(0, 600)))

        # a burst: ten days-old accounts push one hashtag within six minutes, each in its own words
        start = datetime(2025, 8, 28, 20, 30, tzinfo=timezone.utc)
        tag = T.BURST_TAG.format(city=self.rng.choice(T.CITIES))
        for aid, tmpl in zip(self.pools["burst"], T.BURST_TEXTS):
            self.post(aid, tmpl.format(tag=tag), ("coordination.burst",),
                      at=start + timedelta(seconds=self.rng.randint(0, 360)))

        # benign: every template once, plus a second pass over those with placeholders (fresh values)
        for tmpl in T.BENIGN:
            fixed = {"order": "1380013800012345"} if "{order}" in tmpl and "订单号" in tmpl else {}
            self.post(self.pick("ordinary"), f.fill(tmpl, **fixed), ())
        for tmpl in T.BENIGN:
            if "{" in tmpl:
                self.post(self.pick("ordinary"), f.fill(tmpl), ())
        for _ in range(2):
            for tmpl in T.NUMBER_NEAR_MISSES:
                self.post(self.pick("ordinary"), f.fill(tmpl), ())

    def build_reports(self, posts: list[dict[str, Any]]) -> list[tuple[datetime, dict[str, Any]]]:
        targets: dict[str, list[dict[str, Any]]] = {}
        for p in posts:
            exp = p["example_expect"]
            kind = (
                "contact" if "diversion.contact" in exp else "link" if "diversion.link" in exp
                else "debunked" if "claims.debunked" in exp else "lexicon" if "lexicon" in exp
                else "advice" if "qualification.missing" in exp else "aigc" if "aigc" in exp
                else "copypasta" if "coordination.copypasta" in exp
                else "source" if {"source.missing", "source.vague"} & set(exp) else "benign"
            )
            targets.setdefault(kind, []).append(p)
        reports = []
        for i, (reason, text, target) in enumerate(T.REPORTS):
            if target == "impersonator":
                subject = {"kind": "account", "id": self.rng.choice(self.pools["impersonator"])}
                at = self.when()
            else:
                p = self.rng.choice(targets[target])
                subject = {"kind": "post", "id": p["id"]}
                at = _parse_iso(p["created_at"]) + timedelta(minutes=self.rng.randint(5, 600))
            trusted = reason == "false_information" and i % 2 == 1
            reporter = self.pools["flagger"][0] if trusted else self.pick("ordinary")
            r: dict[str, Any] = {"kind": "report", "id": f"r{i + 1:03d}", "reporter_id": reporter, "subject": subject,
                                 "reason": reason, "text": text, "created_at": _iso(at)}
            if trusted:
                r["trusted_flagger"] = True
            r["example_expect"] = []
            reports.append((at, r))
        return reports

    def items(self) -> list[dict[str, Any]]:
        """Accounts first (a platform syncs profiles before content), then posts and reports in time order."""
        self.build_accounts()
        self.build_posts()
        ordered = sorted(self.posts, key=lambda t: (t[0], t[1]))
        posts = []
        for n, (_, _, p) in enumerate(ordered, 1):
            p["id"] = f"p{n:04d}"
            posts.append(p)
        for p in posts:
            if isinstance(p.get("reshare_of"), dict):
                p["reshare_of"] = p["reshare_of"]["id"]
        timeline = [(_parse_iso(p["created_at"]), 0, i, p) for i, p in enumerate(posts)]
        timeline += [(at, 1, i, r) for i, (at, r) in enumerate(self.build_reports(posts))]
        timeline.sort(key=lambda t: t[:3])
        return self.accounts + [t[3] for t in timeline]


def render_jsonl(items: list[dict[str, Any]]) -> str:
    return "".join(json.dumps(it, ensure_ascii=False) + "\n" for it in items)


def generate(out_dir: Path, seed: int = SEED) -> list[Path]:
    """Write ``demo.jsonl`` and ``media/*`` under ``out_dir``; return the paths written."""
    rng = random.Random(seed)
    media = make_media(random.Random(rng.randrange(2**32)))
    items = ExampleBuilder(rng.randrange(2**32)).items()
    written = []
    for rel, data in sorted(media.items()):
        path = out_dir / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        written.append(path)
    demo = out_dir / "demo.jsonl"
    demo.write_text(render_jsonl(items), encoding="utf-8", newline="\n")
    written.append(demo)
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=HERE, help="folder to write into (default: examples/)")
    parser.add_argument("--seed", type=int, default=SEED, help="random seed (the committed files use the default)")
    args = parser.parse_args(argv)
    written = generate(args.out, args.seed)
    total = sum(p.stat().st_size for p in written)
    print(f"wrote {len(written)} files, {total / 1024:.0f} KiB, under {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
