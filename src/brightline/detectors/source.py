"""Information-source labelling (SPEC capability B; seeds 002 §3, 001 §4): ``source.missing``, ``source.vague``.

A post needs a source when it is about current affairs, public policy or a social event. That is decided
transparently, never by opinion:

* the post's ``topic`` when the platform gives one (values in :data:`NEWS_TOPICS`, English or Chinese;
  any other topic means "not news" and nothing is flagged), otherwise
* event cues in the title and text (:data:`EVENT_CUES`): a strong cue (突发, 通报, 地震, breaking, police
  said…) weighs 1, a weak one (官方, 事故, 政策, government…) 0.5, and a weight of 1 makes the post news.
  Vague attributions are cues too: 网传 presents news by its very wording.

A source is a named outlet or body (据新华社, 来源：人民日报, according to Reuters, an entity of type
media/government/public_institution/party/military from the protected-entity registry), an attribution
pattern naming someone (据……通报/报道/消息), a link, or the post's ``source`` field. Then:

* a vague attribution (网传, 据网友爆料, 来自网络, 有消息称, reportedly, sources say…) and no named source →
  ``source.vague`` with ``strength: vague``;
* a named source that is hidden — only in the tail of a long text, or only inside tiny markup (``<small>``,
  ``<sub>``, ``font-size`` ≤ 12px…) → ``source.vague`` with ``strength: weak`` (weak, not absent);
* no source at all → ``source.missing``.

Detector options (``detector_options.source`` in pack.yaml): ``topics`` (extra topic values that count as
news), ``long_text_chars`` (default 300: shorter texts may put their source last), ``tail_fraction``
(default 0.15), ``outlets`` (extra outlet names).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

import ahocorasick_rs

from brightline.detectors.base import Detector, ScreenContext
from brightline.model import Post, Signal
from brightline.text import normalize, normalize_with_offsets

#: Topic values (after lower-casing, ``-``/space → ``_``) that make a post news. Any other given topic is not news.
NEWS_TOPICS: frozenset[str] = frozenset(
    {
        "current_affairs", "news", "politics", "public_policy", "policy", "social_event", "society",
        "disaster", "accident", "emergency", "public_health", "epidemic", "crime", "law_enforcement",
        "economy", "international", "military", "diplomacy",
        "时政", "时事", "新闻", "政策", "公共政策", "社会", "社会事件", "突发", "突发事件", "灾害", "事故",
        "公共卫生", "疫情", "法治", "案件", "财经", "经济", "国际", "军事", "外交",
    }
)

#: Event cues: (phrase, weight). Chinese phrases are matched on normalized text (so 突發 = 突发), English
#: ones as whole words on the original text.
EVENT_CUES: tuple[tuple[str, float], ...] = (
    *((p, 1.0) for p in (
        "突发", "通报", "官方通报", "情况通报", "警情通报", "最新消息", "快讯", "紧急通知", "地震", "爆炸", "坍塌",
        "塌方", "泥石流", "山体滑坡", "洪水", "台风", "伤亡", "遇难", "死亡人数", "受伤", "失联", "被刑拘", "刑事拘留",
        "立案调查", "落马", "国务院", "发改委", "卫健委", "教育部", "新规", "新政", "政策调整", "正式实施",
        "起施行", "发布会", "疾控", "确诊", "停课", "封控", "事故调查", "车祸", "火灾", "疫情通报", "公告",
    )),
    *((p, 0.5) for p in (
        "官方", "政府", "警方", "公安", "事故", "疫情", "政策", "取消", "部门", "通知", "市民", "现场", "救援",
        "调查", "官员", "法院", "判决", "涨价", "补贴", "医保", "社保", "养老金", "户籍", "限行", "停水", "停电",
    )),
    *((p, 1.0) for p in (
        "breaking", "breaking news", "police said", "police say", "officials said", "authorities said",
        "death toll", "earthquake", "explosion", "casualties", "evacuated", "evacuation order", "new law",
        "new policy", "press conference", "state of emergency", "ministry of", "government announced",
        "was arrested", "were killed", "was killed", "outbreak",
    )),
    *((p, 0.5) for p in (
        "government", "police", "policy", "officials", "authorities", "accident", "election", "minister",
        "ministry", "regulation", "lawmakers", "court", "ruling", "injured", "fire", "flood", "storm",
    )),
)

#: Vague attributions (seed 002: "online transmission", "netizen expression", "from the Internet"): phrase →
#: news-cue weight. Weight 1 phrases present news by their wording; 0.5 ones (听说, I heard) need another cue.
VAGUE_PHRASES: dict[str, float] = {
    "网传": 1.0, "网友爆料": 1.0, "据网友爆料": 1.0, "网曝": 1.0, "来自网络": 1.0, "来源网络": 1.0,
    "来源于网络": 1.0, "图片来自网络": 0.5, "有消息称": 1.0, "有网友称": 1.0, "网友称": 0.5, "网络流传": 1.0,
    "网上流传": 1.0, "网上都在传": 1.0, "朋友圈都在传": 1.0, "朋友圈疯传": 1.0, "群里都在传": 1.0,
    "据知情人士": 1.0, "知情人士透露": 1.0, "内部人士透露": 1.0, "内部消息": 1.0, "小道消息": 1.0,
    "坊间传闻": 1.0, "据传": 0.5, "据说": 0.5, "听说": 0.5, "传闻": 0.5, "疯传": 1.0,
    "reportedly": 1.0, "sources say": 1.0, "sources said": 1.0, "a source said": 1.0, "going around online": 1.0,
    "circulating online": 1.0, "circulating on social media": 1.0, "going viral": 0.5, "people are saying": 1.0,
    "rumor has it": 1.0, "rumour has it": 1.0, "unconfirmed reports": 1.0, "according to social media": 1.0,
    "according to sources": 1.0, "according to insiders": 1.0, "according to netizens": 1.0, "i heard": 0.5,
    "word is": 0.5, "allegedly": 0.5, "from the internet": 1.0,
}

#: Named outlets and official publishers that count as sources (the entity registry adds more).
OUTLETS: tuple[str, ...] = (
    "新华社", "新华网", "人民日报", "人民网", "央视", "央视新闻", "中央电视台", "中央广播电视总台", "中新社",
    "中新网", "中国新闻网", "光明日报", "经济日报", "中国日报", "环球时报", "澎湃新闻", "财新", "第一财经",
    "新京报", "南方都市报", "南方日报", "北京日报", "解放日报", "文汇报", "红星新闻", "极目新闻", "界面新闻",
    "中国青年报", "法治日报", "科技日报", "健康时报", "大河报", "钱江晚报", "上观新闻", "潮新闻", "央广网",
    "国务院客户端", "中国政府网", "学习强国", "联合早报", "路透社", "美联社", "法新社", "彭博社",
    "reuters", "associated press", "ap news", "afp", "bbc", "bloomberg", "the guardian", "new york times",
    "washington post", "financial times", "cnn", "npr", "al jazeera", "the economist", "wall street journal",
    "der spiegel", "le monde", "dpa", "ansa", "efe",
)

#: Entity registry types whose bare names count as sources (a government body named in a post is usually
#: its subject, not its source: 国务院决定… — those count only in an attribution, 据国务院客户端消息).
_SOURCE_ENTITY_TYPES = frozenset({"media"})
#: Attributions that name no one in particular (police said, 据警方, 专家称): neither a source nor vague.
_GENERIC_LATIN = frozenset({
    "police", "officials", "authorities", "government", "experts", "witnesses", "residents", "spokesperson",
    "a spokesperson", "the spokesperson", "spokesman", "doctors", "scientists", "studies", "researchers", "report",
})
_GENERIC_ZH = ("警方", "官方", "有关部门", "相关部门", "专家", "医生", "当地", "记者", "网站", "媒体", "报道", "消息")

#: Words that make a cited "source" vague (据网友……, 来源：网络, according to sources).
_VAGUE_SOURCE_HEADS = ("网络", "网上", "网友", "网民", "朋友圈", "群里", "微信群", "知情人士", "消息人士", "内部人士",
                       "有关人士", "坊间", "自媒体", "抖音网友", "微博网友")
_VAGUE_LATIN_SOURCES = frozenset({
    "sources", "a source", "insiders", "reports", "social media", "netizens", "the internet", "online",
    "people", "someone", "rumors", "rumours", "users", "posts", "some", "unconfirmed", "anonymous", "unnamed",
    "many", "local",
})

# Attribution patterns on normalized text (punctuation and spaces are gone there, so 来源：X is 来源X).
_ZH_ATTRIBUTION = re.compile(
    r"据(?P<who>[^据]{2,14}?)(?:报道|消息|通报|发布|公告|通知|披露|介绍|透露|统计|显示|公布|官微|官方微博|微博|记者)"
    r"|(?:来源|信源|出处|消息来源|转自|转载自|摘自|引自)(?P<who2>[^据]{2,14})"
)
_LATIN_ATTRIBUTION = re.compile(
    r"(?i:\b(?:according to|reported by|source:|sources?:|via|citing|cited by|told))\s+"
    r"(?P<who>(?i:the\s+)?[\w@.&'-]+(?:[ ][\w&'-]+){0,3})"
    # "<Name> reported": the name must be capitalised (case-sensitive), words joined by single spaces.
    r"|(?P<who2>\b[A-Z][\w&'-]+(?:[ ][A-Z][\w&'-]+){0,3})[ ](?i:reported|reports|said|says|announced|confirmed)\b"
)
_GENERIC_ZH_NORM = tuple(normalize(g) for g in _GENERIC_ZH)
_LINK = re.compile(r"https?://[^\s<>\"']+|\bwww\.[^\s<>\"']+", re.IGNORECASE)

# Markup that makes text tiny (seed 002: "annotated in small font size"). Sizes: px ≤ 12, pt ≤ 9, em/rem ≤ 0.75, % ≤ 75.
_TINY_TAG = re.compile(r"<(small|sub|sup)\b[^>]*>(.*?)</\1\s*>", re.IGNORECASE | re.DOTALL)
_STYLED_TAG = re.compile(
    r"<(span|font|p|div|em|i)\b(?P<attrs>[^>]*)>(?P<body>.*?)</\1\s*>", re.IGNORECASE | re.DOTALL
)
_FONT_SIZE = re.compile(
    r"font-size\s*:\s*(?:(?P<num>\d+(?:\.\d+)?)\s*(?P<unit>px|pt|em|rem|%)?|(?P<kw>xx-small|x-small|small|smaller))",
    re.IGNORECASE,
)
_FONT_SIZE_ATTR = re.compile(r"\bsize\s*=\s*[\"']?(?P<size>[-+]?\d)", re.IGNORECASE)
_TINY_LIMITS = {"px": 12.0, "pt": 9.0, "em": 0.75, "rem": 0.75, "%": 75.0, None: 12.0}

_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_TAG = re.compile(r"<[^<>]{0,200}>")


def blank_tags(text: str) -> str:
    """``text`` with inline HTML tags replaced by spaces of the same length, so offsets stay valid and tag
    names (``small``, ``span``) are never read as words."""
    if "<" not in text:
        return text
    return _TAG.sub(lambda m: " " * len(m.group(0)), text)


@dataclass(frozen=True, slots=True)
class CueHit:
    """A cue found in a field: the phrase (as listed), its tag, and its span in the ORIGINAL field."""

    phrase: str
    tag: Any
    start: int
    end: int
    excerpt: str


class CueList:
    """A fixed list of phrases matched robustly: all of them on the normalized text (traditional = simplified,
    full-width, inserted symbols) in one Aho-Corasick pass (ahocorasick-rs) over the memoised
    ``normalize(text)`` other detectors share; Latin phrases are then confirmed as whole words,
    case-insensitive, on the original text (normalization drops spaces, so "fire" also hits "firefox").

    Shared by the source, qualification and recycled-media detectors. ``find(text, locate=False)`` is the
    cheap gate: Chinese hits then carry positions in the normalized text and no excerpt; ``locate=True``
    maps them to the original text (the offset map is computed only then).
    """

    def __init__(self, phrases: Iterable[tuple[str, Any]]) -> None:
        keys: dict[str, tuple[str, Any, bool]] = {}
        for phrase, tag in phrases:
            latin = not _CJK.search(phrase)
            key = normalize(phrase)
            if key and key not in keys:
                keys[key] = (phrase, tag, latin)
        self._keys = list(keys)
        self._vals = [keys[k] for k in self._keys]
        self._ac = (
            ahocorasick_rs.AhoCorasick(self._keys, matchkind=ahocorasick_rs.MatchKind.LeftmostLongest)
            if self._keys else None
        )
        self._word_res: dict[int, re.Pattern[str]] = {}

    def _word_re(self, idx: int) -> re.Pattern[str]:
        pattern = self._word_res.get(idx)
        if pattern is None:
            words = self._vals[idx][0].split()
            # Boundaries: letters and digits, not "_" (handles write lawyer_zhang).
            pattern = re.compile(r"(?<![^\W_])" + r"\s*".join(re.escape(w) for w in words) + r"(?![^\W_])", re.IGNORECASE)
            self._word_res[idx] = pattern
        return pattern

    def find(self, text: str, *, locate: bool = True) -> list[CueHit]:
        """Cue hits in ``text``, ordered by position (see the class docstring for ``locate``)."""
        if not text or self._ac is None:
            return []
        found = self._ac.find_matches_as_indexes(normalize(text))
        if not found:
            return []
        hits: list[CueHit] = []
        cjk: list[tuple[int, int, int]] = []
        latin_done: set[int] = set()
        for idx, s, e in found:
            phrase, tag, latin = self._vals[idx]
            if not latin:
                cjk.append((idx, s, e))
            elif idx not in latin_done:
                latin_done.add(idx)
                hits.extend(CueHit(phrase, tag, m.start(), m.end(), m.group(0)) for m in self._word_re(idx).finditer(text))
        if cjk:
            if locate:
                mapped = normalize_with_offsets(text)
                for idx, s, e in cjk:
                    o_s, o_e = mapped.span(s, e)
                    hits.append(CueHit(self._vals[idx][0], self._vals[idx][1], o_s, o_e, text[o_s:o_e]))
            else:
                hits.extend(CueHit(self._vals[idx][0], self._vals[idx][1], s, e, "") for idx, s, e in cjk)
        hits.sort(key=lambda h: h.start)
        return hits


@dataclass(frozen=True, slots=True)
class _Source:
    """A source found in the post: where it is, what it names, and whether it is vague."""

    field: str
    start: int
    end: int
    excerpt: str
    kind: str  # outlet | attribution | link | field
    vague: bool = False


def topic_key(topic: str) -> str:
    """Canonical form of a platform topic value: ``Public-Policy`` → ``public_policy``."""
    return re.sub(r"[\s\-]+", "_", topic.strip().casefold())


def _tiny_regions(text: str) -> list[tuple[int, int]]:
    """Character ranges of ``text`` rendered in tiny type by inline HTML."""
    if "<" not in text:
        return []
    regions = [(m.start(2), m.end(2)) for m in _TINY_TAG.finditer(text)]
    for m in _STYLED_TAG.finditer(text):
        attrs = m.group("attrs")
        tiny = False
        fs = _FONT_SIZE.search(attrs)
        if fs:
            if fs.group("kw"):
                tiny = True
            else:
                tiny = float(fs.group("num")) <= _TINY_LIMITS[(fs.group("unit") or "").lower() or None]
        else:
            fa = _FONT_SIZE_ATTR.search(attrs) if m.group(1).lower() == "font" else None
            if fa:
                size = fa.group("size")
                tiny = size.startswith("-") or int(size) <= 2
        if tiny:
            regions.append((m.start("body"), m.end("body")))
    return regions


class SourceDetector(Detector):
    """Flags news-like posts with no source (``source.missing``) or a vague or hidden one (``source.vague``)."""

    family = "source"
    emits = ("source.missing", "source.vague")
    kinds = frozenset({"post"})

    def __init__(self, registries: Any, options: dict[str, Any] | None = None) -> None:
        super().__init__(registries, options)
        opts = self.options
        self.topics = NEWS_TOPICS | {topic_key(t) for t in opts.get("topics", [])}
        self.long_text_chars = int(opts.get("long_text_chars", 300))
        self.tail_fraction = float(opts.get("tail_fraction", 0.15))
        outlets = list(OUTLETS) + [str(o) for o in opts.get("outlets", [])]
        for ent in getattr(registries.entities, "entities", []):
            if ent.type in _SOURCE_ENTITY_TYPES:
                outlets.extend(n for n in ent.names if len(n) >= 2)
        # Event cues and vague attributions in one automaton: one pass decides whether a post is news.
        self.cues = CueList([*((p, ("event", w)) for p, w in EVENT_CUES), *((p, ("vague", w)) for p, w in VAGUE_PHRASES.items())])
        self.outlets = CueList((o, "outlet") for o in outlets)

    # -- the pieces ------------------------------------------------------------------------------------

    def _fields(self, post: Post) -> list[tuple[str, str]]:
        out = []
        if post.title:
            out.append(("title", post.title))
        if post.text:
            out.append(("text", post.text))
        return [(f, blank_tags(t)) for f, t in out]

    def _sources(self, field: str, text: str, norm: str) -> Iterator[_Source]:
        for hit in self.outlets.find(text):
            yield _Source(field, hit.start, hit.end, hit.excerpt, "outlet")
        for m in _LINK.finditer(text):
            yield _Source(field, m.start(), m.end(), m.group(0), "link")
        for m in _LATIN_ATTRIBUTION.finditer(text):
            who = (m.group("who") or m.group("who2") or "").strip()
            words = who.casefold().split()
            while words and words[0] in {"the", "a", "an", "this", "that", "it", "has", "is"}:
                words.pop(0)
            low = " ".join(words)
            if not low or low in {"i", "we", "he", "she", "they", "you", "he also"} or low in _GENERIC_LATIN:
                continue
            first = low.split()[0]
            vague = low in _VAGUE_LATIN_SOURCES or first in _VAGUE_LATIN_SOURCES
            yield _Source(field, m.start(), m.end(), m.group(0), "attribution", vague)
        if _CJK.search(text):
            attributions = list(_ZH_ATTRIBUTION.finditer(norm))
            if attributions:
                mapped = normalize_with_offsets(text)
                for m in attributions:
                    who = m.group("who") or m.group("who2") or ""
                    if who.startswith(("了解", "悉", "说", "传", "称", "统计", "调查", "测算", "初步", "不完全")):
                        continue  # 据了解/据悉/据统计: no one is named
                    if who.startswith(_GENERIC_ZH_NORM) and len(who) <= 6:
                        continue  # 据警方通报, 据专家介绍: an attribution to no one in particular
                    s, e = mapped.span(m.start(), m.end())
                    vague = who.startswith(tuple(normalize(v) for v in _VAGUE_SOURCE_HEADS))
                    yield _Source(field, s, e, text[s:e], "attribution", vague)

    def _is_hidden(self, src: _Source, text: str, tiny: list[tuple[int, int]]) -> str | None:
        """Why a named source counts as weak: ``small_markup`` or ``tail`` of a long text; None if prominent."""
        if any(a <= src.start < b for a, b in tiny):
            return "small_markup"
        visible = len(text)
        if visible >= self.long_text_chars:
            body = text.rstrip()
            last_nl = body.rfind("\n")
            tail_start = len(body) * (1 - self.tail_fraction)
            if last_nl >= 0 and len(body) - last_nl <= len(body) * self.tail_fraction:
                tail_start = min(tail_start, last_nl)
            if src.start >= tail_start:
                return "tail"
        return None

    # -- detect ----------------------------------------------------------------------------------------

    def detect(self, item: Post, ctx: ScreenContext) -> Iterable[Signal]:  # type: ignore[override]
        fields = self._fields(item)
        vague_field = None
        if item.source is not None and item.source.strip():
            declared = item.source.strip()
            low = declared.casefold()
            if any(normalize(v) in normalize(declared) for v in _VAGUE_SOURCE_HEADS + ("网传", "来自网络")) or low in (
                _VAGUE_LATIN_SOURCES | {"internet", "web", "unknown", "n/a", "none", "-"}
            ):
                vague_field = declared
            else:
                return []  # the platform's source field names a source: labelled
        if not fields and vague_field is None:
            return []

        # 1. Is this news? The platform's topic decides when given; else the cue weight (cheap gate first).
        if item.topic:
            if topic_key(item.topic) not in self.topics:
                return []
            news_basis = "topic"
        else:
            news_basis = "text"
            weight = 0.0
            seen: set[str] = set()
            for _, t in fields:
                for h in self.cues.find(t, locate=False):
                    if h.phrase not in seen:
                        seen.add(h.phrase)
                        weight += h.tag[1]
            if weight < 1.0:
                return []
        normalized = {f: normalize(t) for f, t in fields}
        cues: list[tuple[str, CueHit]] = []
        vague_hits: list[tuple[str, CueHit]] = []
        for f, t in fields:
            for h in self.cues.find(t):
                (cues if h.tag[0] == "event" else vague_hits).append((f, h))
        cue_names = sorted({h.phrase for _, h in cues})[:8]
        common: dict[str, Any] = {"news_basis": news_basis, "cues": cue_names}
        if item.topic:
            common["topic"] = item.topic

        # 2. What source does it give?
        if vague_field is not None:
            return [Signal("source.vague", 0.9, {
                "field": "source", "excerpt": vague_field, "phrase": vague_field, "strength": "vague",
                "basis": "vague_source_field", **common,
            })]
        named: list[_Source] = []
        vague_sources: list[_Source] = []
        for f, t in fields:
            for src in self._sources(f, t, normalized[f]):
                (vague_sources if src.vague else named).append(src)
        if named:
            texts = dict(fields)
            raw = {"title": item.title or "", "text": item.text}
            tiny = {f: _tiny_regions(raw[f]) for f, _ in fields}
            reasons = [self._is_hidden(s, texts[s.field], tiny[s.field]) for s in named]
            if any(r is None for r in reasons):
                return []  # at least one prominent named source
            src, why = named[0], reasons[0]
            return [Signal("source.vague", 0.6, {
                "field": src.field, "span": [src.start, src.end], "excerpt": src.excerpt, "strength": "weak",
                "basis": why, "source_kind": src.kind, **common,
            })]
        if vague_hits or vague_sources:
            candidates = [(f, h.start, h.end, h.excerpt, h.phrase) for f, h in vague_hits] + [
                (s.field, s.start, s.end, s.excerpt, s.excerpt) for s in vague_sources
            ]
            f, s, e, excerpt, phrase = min(candidates, key=lambda c: (c[0] != "title", c[1]))
            ev = {"span": [s, e], "excerpt": excerpt, "phrase": phrase, "strength": "vague", "basis": "vague_phrase"}
            if f != "text":
                ev["field"] = f
            return [Signal("source.vague", 0.9, {**ev, **common})]
        weight = sum({h.phrase: h.tag[1] for _, h in cues + vague_hits}.values())
        score = 0.9 if news_basis == "topic" else min(0.9, 0.5 + 0.1 * len(cue_names) + 0.1 * weight)
        ev = dict(common)
        if cues:
            f, first = cues[0]
            ev.update({"span": [first.start, first.end], "excerpt": first.excerpt})
            if f != "text":
                ev["field"] = f
        return [Signal("source.missing", round(score, 2), ev)]

