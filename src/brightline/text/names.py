"""Protected-name index: where does a display name, handle or bio imitate a registered entity?

Every alias of every entity is turned into searchable forms once, when the index is built:

* its **key**: the canonical matching form (:func:`brightline.text.normalize`: NFKC, case, traditional ->
  simplified, TR39 confusables, symbols and repeats removed) plus a small table of Chinese look-alike
  characters (曰 -> 日, 囯 -> 国 ...);
* its **phonetic key**: the key with every Chinese character replaced by one code point per toneless
  syllable, so 新化社 and 新华社 are the same string and offsets still line up one to one;
* for Chinese aliases, its **pinyin** (``renminribao``) and, from four characters up, its **initials**
  (``rmrb``), matched only as whole Latin runs of the name;
* for edit-distance matching, two or three **pieces** of the phonetic key (pigeonhole principle: a name
  within k edits of the alias contains one of k+1 pieces unchanged), chosen to be rare in the registry.

All forms go into ONE Aho-Corasick automaton (ahocorasick-rs). A name costs one normalisation, one
``str.translate`` and one automaton scan; only names with a hit are verified (bounded edit distance with
rapidfuzz on a window around the hit) and mapped back to original offsets. That is what keeps the index
at hundreds of thousands of names per second against 10,000 entities, where a fuzzy scan of the registry
per name manages a few hundred.

Precision rules (why a hit is not always a match):

* a region (province, city) is an impersonation only with an administrative suffix that claims an
  office right after it (北京市政府, 深圳公安, 长沙发布); 北京烤鸭店 and 湖南人在深圳 are ordinary names;
* a person (a news anchor) only with a claim word (本人, 官方, 主持人 ...); namesakes are common;
* a two-character alias (央视, 央行) must stand at a word edge: 中央视角 and 中央行政 do not match;
* a Latin alias, pinyin or initials must fill its Latin run, or leave only claim words (official, news,
  hq ...) beside it: ``rmrb_official`` matches, ``farmrboy`` does not;
* edit-distance matches need five characters or more, keep the alias's last character (the type
  word: 院, 局, 社 ...) and stay within the bound in both the plain and the phonetic key, so 中国工程师
  is not 中国工程院 and 中国海景房 is not 中国海警局;
* a match lying inside a listed benign superstring (公安部门, 人民网红) is dropped.

Each match carries a **context**: ``exact`` (the field is the alias), ``claim`` (the rest of the field is
only claim/staff words and digits), ``adjacent`` (a claim word touches the alias), ``office`` (region +
administrative suffix) or ``contains`` (the alias among other words), and a score from technique and
context; in bios only claim-bearing contexts count.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import ahocorasick_rs
from pypinyin.constants import PHRASES_DICT
from pypinyin.pinyin_dict import pinyin_dict
from rapidfuzz.distance import OSA

from brightline.text import normalize, normalize_with_offsets
from brightline.text.normalize import NO_COLLAPSE

__all__ = [
    "NameIndex",
    "NameMatch",
    "NamedThing",
    "name_key",
    "CLAIM_WORDS",
    "STAFF_WORDS",
    "OFFICE_SUFFIXES",
    "REGION_TYPES",
    "PERSON_TYPES",
]

# --- word lists --------------------------------------------------------------------------------------

#: Words added to an entity's name to claim it is the official account (the seeds' "官方", "总部", "official").
CLAIM_WORDS: tuple[str, ...] = (
    "官方", "官方号", "官方账号", "官方帐号", "官方微博", "官方网站", "官微", "官网", "总部", "指挥部", "司令部",
    "发布", "发布厅", "频道", "客户端", "认证", "中心", "新闻", "新闻网", "新闻中心", "快讯", "资讯", "头条",
    "视频", "直播", "直播间", "在线", "网站", "微博", "公众号", "账号", "帐号", "唯一", "正版", "正式", "平台",
    "服务号", "订阅号", "办公室", "中国", "中华", "全国", "国家", "融媒", "融媒体", "热线", "速报", "播报",
    "独家", "权威", "政务", "通报", "本人", "工作室", "真人",
    "official", "offical", "hq", "headquarters", "news", "newsroom", "app", "tv", "live", "online", "channel",
    "cn", "china", "global", "real", "the", "verified", "updates", "media", "account", "press", "info",
)
#: Words that claim to be staff of the entity (seed 004: posing as staff of official bodies or news media).
STAFF_WORDS: tuple[str, ...] = (
    "记者", "主持人", "主播", "播音员", "编辑", "总编", "社长", "台长", "发言人", "新闻发言人", "工作人员", "局长",
    "副局长", "部长", "副部长", "厅长", "处长", "科长", "主任", "书记", "政委", "司令", "司令员", "参谋长",
    "军官", "将军", "警官", "民警", "干警", "干部", "特派员", "通讯员", "专家", "研究员",
    "reporter", "anchor", "editor", "spokesperson", "spokesman", "officer", "director",
)
#: Administrative suffixes that turn a place name into a claimed office (北京市政府, 深圳公安, 长沙发布).
OFFICE_SUFFIXES: tuple[str, ...] = (
    "政府", "人民政府", "市政府", "省政府", "县政府", "区政府", "州政府", "政府办", "政府网", "办公厅", "省委",
    "市委", "州委", "县委", "区委", "党委", "人大", "人大常委会", "政协", "纪委", "监委", "纪委监委", "组织部",
    "宣传部", "统战部", "政法委", "网信办", "网信", "公安", "公安局", "公安厅", "市公安局", "省公安厅", "警方",
    "警察", "交警", "巡警", "特警", "消防", "消防救援", "应急", "应急管理", "应急管理局", "应急管理厅", "卫健委",
    "卫生健康委", "卫生健康委员会", "卫生局", "疾控", "疾控中心", "医保", "医保局", "教育局", "教育厅", "教委",
    "市场监管", "市场监管局", "税务", "税务局", "海关", "法院", "中院", "高院", "检察院", "检察", "司法局",
    "司法厅", "民政局", "民政厅", "人社局", "人社厅", "财政局", "财政厅", "住建局", "住建厅", "交通运输局",
    "交通运输厅", "生态环境局", "生态环境厅", "环保局", "自然资源局", "水利局", "水利厅", "农业农村局",
    "商务局", "商务厅", "文旅局", "文化和旅游局", "文旅", "统计局", "发改委", "发展改革委", "气象局", "气象台",
    "地震局", "国资委", "外事办", "信访局", "城管", "武装部", "军分区", "警备区", "融媒体中心", "电视台",
    "广播电视台", "日报", "晚报", "新闻网", "发布", "官方", "政务", "12345",
    "gov", "government", "police", "fabu", "zhengfu", "gongan", "jingfang", "cdc", "official",
)
#: Continuations that undo an office suffix (a press conference is not an office).
_OFFICE_UNDO: tuple[str, ...] = ("发布会",)
#: Benign superstrings of aliases: a match inside one of these is an ordinary word (公安部门 = police departments).
DEFAULT_ALLOWED: tuple[str, ...] = ("人民网红", "新华社区", "中央视角", "央视角")

#: Chinese look-alike characters folded into the key (both sides), the classic swaps in impersonating names.
LOOKALIKES: dict[str, str] = {
    "曰": "日", "囯": "国", "圀": "国", "囻": "国", "入": "人", "氏": "民", "夭": "天", "末": "未", "士": "土",
    "巳": "己", "已": "己", "戍": "戌", "戊": "戌", "杳": "杏", "晴": "睛", "祗": "祇", "沖": "冲", "決": "决",
    "況": "况", "凊": "清", "卄": "廿", "亍": "于", "扙": "杖",
}

#: Everyday words of account names, never used alone as an edit-distance piece.
_COMMON_IN_NAMES = (
    "中国", "中华", "国家", "中央", "人民", "全国", "新闻", "日报", "晚报", "政府", "公安", "官方", "发布", "中心",
    "委员", "员会", "管理", "部队", "解放", "解放军", "军事", "科学", "研究", "大学", "医院", "电视", "电视台", "卫视",
)

_LOOKALIKE_RE = re.compile("[" + "".join(LOOKALIKES) + "]")

REGION_TYPES = frozenset({"region"})
PERSON_TYPES = frozenset({"person"})

# Minimum lengths (in key characters) for each kind of fuzzy evidence; see the module docstring.
_MIN_EDIT_LEN = 5
_MIN_SWAP_LEN = 4  # four-character aliases: only two swapped characters (民人日报), no other edit
_TWO_EDIT_LEN = 9
_MIN_HOMOPHONE_LEN = 3
_MIN_PINYIN_SYLLABLES = 3
_MIN_INITIALS = 4

_LATIN = re.compile(r"[a-z]+")
_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\U00020000-\U0002ffff]")
_NOT_WORD = re.compile(r"[\W_]+")


@lru_cache(maxsize=1)
def _fold_table() -> dict[int, str]:
    return {ord(k): v for k, v in LOOKALIKES.items()}


def _fold(norm: str) -> tuple[str, list[int] | None]:
    """Apply the look-alike fold to a canonical text; returns the key and, when the fold merged a new
    repeat (中囯国 -> 中国国 -> 中国), the position in ``norm`` of every key character (else None)."""
    if _LOOKALIKE_RE.search(norm) is None:
        return norm, None
    folded = norm.translate(_fold_table())
    chars: list[str] = []
    idx: list[int] = []
    for i, ch in enumerate(folded):
        # The same collapse rule as normalize(): repeats go, digits stay.
        if chars and ch == chars[-1] and not ch.isdigit() and ch not in NO_COLLAPSE:
            continue
        chars.append(ch)
        idx.append(i)
    key = "".join(chars)
    return key, (idx if len(key) != len(folded) else None)


def name_key(text: str) -> str:
    """The key a name is matched on: the canonical form plus the Chinese look-alike fold."""
    return _fold(normalize(text))[0]


@lru_cache(maxsize=4096)
def _toneless(reading: str) -> str:
    """``lǘ`` -> ``lv``, ``zhòng`` -> ``zhong`` (the usual keyboard spelling)."""
    out: list[str] = []
    for c in unicodedata.normalize("NFKD", reading):
        if c == "\u0308" and out and out[-1] == "u":
            out[-1] = "v"
        elif not unicodedata.combining(c):
            out.append(c)
    return "".join(out)


def pinyin_syllables(text: str) -> list[str]:
    """Toneless pinyin of a Chinese text, phrase-aware (重庆 -> chong qing, 银行 -> yin hang).

    Greedy longest match over pypinyin's phrase dictionary, then each character's most common reading.
    Written here because ``pypinyin.lazy_pinyin`` gives the same readings but costs ~10x more per call,
    which a 10,000-entity registry feels at start-up.
    """
    out: list[str] = []
    i, n = 0, len(text)
    while i < n:
        for size in range(min(5, n - i), 1, -1):
            phrase = PHRASES_DICT.get(text[i : i + size])
            if phrase:
                out.extend(_toneless(r[0]) for r in phrase)
                i += size
                break
        else:
            readings = pinyin_dict.get(ord(text[i]))
            if readings:
                out.append(_toneless(readings.split(",", 1)[0]))
            i += 1
    return out


@lru_cache(maxsize=1)
def _phonetic_table() -> dict[int, str]:
    """Chinese character -> one private-use code point per toneless syllable (first, most common reading).

    Written by hand because no library maps characters to homophone classes 1:1; pypinyin supplies the
    readings. The mapping keeps lengths, so phonetic offsets are key offsets.
    """
    syllables: dict[str, str] = {}
    table: dict[int, str] = {}
    for cp, readings in pinyin_dict.items():
        first = _toneless(readings.split(",", 1)[0])
        code = syllables.get(first)
        if code is None:
            code = syllables[first] = chr(0xF0000 + len(syllables))
        table[cp] = code
    # Identity entries for ASCII: str.translate pays for every character missing from a dict table.
    table.update({c: chr(c) for c in range(128)})
    return table


def phonetic_key(key: str) -> str:
    """Map the Chinese characters of a key to their homophone class (Latin letters and digits unchanged)."""
    return key.translate(_phonetic_table())


# --- the index ---------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class NamedThing:
    """What the index needs of an entity: its canonical name, type and aliases."""

    name: str
    type: str
    aliases: tuple[str, ...] = ()


@dataclass(slots=True)
class NameMatch:
    """One place where a text imitates one entity. Offsets are code points in the ORIGINAL text."""

    entity: int  # position of the entity in the list the index was built from
    alias: str  # the registry alias (or name) that matched
    start: int
    end: int
    excerpt: str
    technique: str  # exact|homoglyph|traditional|symbols|repeated|homophone|edit|pinyin|initials|added_word|staff|office|contains
    techniques: tuple[str, ...]
    context: str  # exact|claim|adjacent|office|contains
    words: tuple[str, ...]  # the claim, staff or office words found next to it
    distance: int
    score: float


@dataclass(frozen=True, slots=True)
class _Alias:
    entity: int
    alias: str
    key: str
    phon: str
    latin: bool  # the alias is Latin letters/digits only
    etype: str


# Payload kinds in the automaton.
_FULL, _LATIN_FORM, _PIECE, _SWAP = 0, 1, 2, 3


class NameIndex:
    """An index of protected names. Build once per registry; :meth:`find` per field.

    ``allowed`` adds benign superstrings (a match inside one is dropped); ``claim_words``,
    ``office_suffixes`` extend the built-in lists.
    """

    def __init__(
        self,
        entities: Sequence[NamedThing] | Sequence[object],
        *,
        allowed: Iterable[str] = (),
        claim_words: Iterable[str] = (),
        office_suffixes: Iterable[str] = (),
    ) -> None:
        self.entities = list(entities)
        self._aliases: list[_Alias] = []
        seen: set[tuple[int, str]] = set()
        for ei, ent in enumerate(self.entities):
            etype = str(getattr(ent, "type"))
            for alias in (getattr(ent, "name"), *getattr(ent, "aliases", ())):
                key = name_key(alias)
                if len(key) < 2 or (ei, key) in seen:
                    continue  # one-character keys would match everywhere
                seen.add((ei, key))
                latin = not _HAN.search(key)
                self._aliases.append(_Alias(ei, alias, key, phonetic_key(key), latin, etype))

        # Word lists, as keys (so they are compared on the same canonical form as names).
        claims = _keys([*CLAIM_WORDS, *claim_words])
        staff = _keys(STAFF_WORDS)
        offices = _keys([*OFFICE_SUFFIXES, *office_suffixes])
        self._claim_set = frozenset(claims)
        self._staff_set = frozenset(staff)
        words = sorted({*claims, *staff}, key=len, reverse=True)
        self._word_re = re.compile("|".join(map(re.escape, words)))
        self._word_rev_re = re.compile("|".join(re.escape(w[::-1]) for w in words))
        self._rest_re = re.compile("(?:" + "|".join([*map(re.escape, words), "[0-9]+"]) + ")*")
        office_sorted = sorted(set(offices), key=len, reverse=True)
        self._office_re = re.compile("|".join(map(re.escape, office_sorted)))
        self._office_undo = _keys(_OFFICE_UNDO)
        # Suffixes whose first character a repeat-collapse may have merged into the alias (上海+海关 -> 上海关).
        self._office_tails: dict[str, list[str]] = {}
        for w in office_sorted:
            if len(w) > 1:
                self._office_tails.setdefault(w[0], []).append(w)
        self._office_starts = frozenset(w[0] for w in office_sorted)
        self._office_tail_re = {
            first: re.compile("|".join(re.escape(w[1:]) for w in ws)) for first, ws in self._office_tails.items()
        }
        self._word_tails: dict[str, list[str]] = {}
        for w in words:
            if len(w) > 1:
                self._word_tails.setdefault(w[0], []).append(w)

        self._alias_keys = frozenset(a.key for a in self._aliases)
        self._build_automaton()
        self._allowed: dict[int, list[tuple[str, int]]] = {}
        self._add_allowed(name_key(w) for w in (*DEFAULT_ALLOWED, *allowed, *self._derived_allowed()))

    # -- building ------------------------------------------------------------------------------------

    def _derived_allowed(self) -> Iterator[str]:
        # "X部门" means "X departments" in general (公安部门, 教育部门), not the ministry X部.
        for a in self._aliases:
            if a.key.endswith("部"):
                yield a.alias + "门"

    def _add_allowed(self, words: Iterable[str]) -> None:
        """Record, per alias, the benign superstrings that contain it and where."""
        by_key: dict[str, list[int]] = {}
        for ai, a in enumerate(self._aliases):
            by_key.setdefault(a.key, []).append(ai)
        keys = list(by_key)
        ac = ahocorasick_rs.AhoCorasick(keys, matchkind=ahocorasick_rs.MatchKind.Standard)
        for word in dict.fromkeys(w for w in words if w):
            for pid, pos, _ in ac.find_matches_as_indexes(word, overlapping=True):
                if keys[pid] != word:
                    for ai in by_key[keys[pid]]:
                        self._allowed.setdefault(ai, []).append((word, pos))

    def _build_automaton(self) -> None:
        payloads: dict[str, list[tuple[int, int, int | str]]] = {}

        def put(pattern: str, payload: tuple[int, int, int | str]) -> None:
            if pattern:
                payloads.setdefault(pattern, []).append(payload)

        # Document frequency of substrings, so edit-distance pieces are the rarest available; place names
        # and everyday words in names (中国, 人民, 北京) count as very frequent whatever the registry says.
        df: Counter[str] = Counter()
        for a in self._aliases:
            if a.etype in REGION_TYPES and not a.latin:
                p = a.phon
                for i in range(len(p) - 1):
                    for j in range(i + 2, len(p) + 1):
                        df[p[i:j]] += 1000
        for w in _COMMON_IN_NAMES:
            df[phonetic_key(name_key(w))] += 1000
        for a in self._aliases:
            if not a.latin:
                p = a.phon
                df.update({p[i:j] for i in range(len(p)) for j in range(i + 2, min(len(p), i + 6) + 1)})

        for ai, a in enumerate(self._aliases):
            if a.latin:
                put(a.key, (_LATIN_FORM, ai, "latin"))
                continue
            put(a.phon, (_FULL, ai, 0))
            han_only = not re.search(r"[a-z0-9]", a.key)
            if a.etype in PERSON_TYPES or not han_only:
                continue
            # Pinyin of the alias as written: the key may have folded (末 -> 未) or collapsed (国国) characters.
            syllables = pinyin_syllables(_NOT_WORD.sub("", a.alias))
            if a.etype in REGION_TYPES or len(syllables) >= _MIN_PINYIN_SYLLABLES:
                put(name_key("".join(syllables)), (_LATIN_FORM, ai, "pinyin"))
            if a.etype not in REGION_TYPES and len(syllables) >= _MIN_INITIALS:
                put(name_key("".join(s[0] for s in syllables if s)), (_LATIN_FORM, ai, "initials"))
            if a.etype not in REGION_TYPES and _MIN_SWAP_LEN <= len(a.phon) < _MIN_EDIT_LEN:
                # Four characters: the swapped spellings themselves are patterns (last character fixed).
                p = a.phon
                for i in range(len(p) - 2):
                    swapped = p[:i] + p[i + 1] + p[i] + p[i + 2 :]
                    if swapped != p:
                        put(swapped, (_SWAP, ai, i))
            if a.etype not in REGION_TYPES and len(a.phon) >= _MIN_EDIT_LEN:
                k = 2 if len(a.phon) >= _TWO_EDIT_LEN else 1
                chosen = _pieces(a.phon, k + 1, df)
                for offset, piece in chosen:
                    put(piece, (_PIECE, ai, offset))
                    # A swap across a piece boundary breaks both pieces: the swapped spelling is a pattern.
                    b = offset
                    if 0 < b < len(a.phon) - 1 and a.phon[b - 1] != a.phon[b]:
                        put(a.phon[: b - 1] + a.phon[b] + a.phon[b - 1] + a.phon[b + 1 :], (_SWAP, ai, b - 1))
        self._patterns = list(payloads)
        self._payloads = [payloads[p] for p in self._patterns]
        self._piece_only = frozenset(i for i, pl in enumerate(self._payloads) if all(k == _PIECE for k, _, _ in pl))
        self._ac = ahocorasick_rs.AhoCorasick(self._patterns, matchkind=ahocorasick_rs.MatchKind.Standard)

    def __len__(self) -> int:
        return len(self.entities)

    # -- matching ------------------------------------------------------------------------------------

    def find(self, text: str, *, bio: bool = False) -> list[NameMatch]:
        """Every entity ``text`` imitates, best match per entity, non-overlapping, best first.

        ``bio=True`` is for free text (a profile bio): only matches with a claim, staff or office word
        count there, since a bio may mention an outlet it reads.
        """
        if not text:
            return []
        key = _fold(normalize(text))[0]
        if len(key) < 2:
            return []
        phon = key.translate(_phonetic_table())
        hits = self._ac.find_matches_as_indexes(phon, overlapping=True)
        if not hits:
            return []
        cands = self._verify(key, phon, hits, bio)
        if not cands:
            return []
        return self._finish(text, key, cands)

    def _verify(self, key: str, phon: str, hits: list[tuple[int, int, int]], bio: bool) -> list[_Cand]:
        out: list[_Cand] = []
        full_hit: set[int] = set()
        pieces: list[tuple[int, int, int]] = []
        piece_hits: list[tuple[int, int, int]] = []
        office_starts, office_tails = self._office_starts, self._office_tails
        for pid, s, e in hits:
            if pid in self._piece_only:
                piece_hits.append((pid, s, e))
                continue
            queued = False
            for kind, ai, extra in self._payloads[pid]:
                if kind == _PIECE:
                    if not queued:  # the pattern's pieces are handled with the piece-only ones below
                        piece_hits.append((pid, s, e))
                        queued = True
                    continue
                a = self._aliases[ai]
                if a.etype in REGION_TYPES and kind == _FULL:
                    # Place names are common in ordinary names (北京烤鸭店): decide them here, cheaply.
                    if key[s:e] != a.key or (key[e : e + 1] not in office_starts and key[e - 1] not in office_tails):
                        continue
                    office = self._office_after(key, e)
                    if office is None or self._inside_allowed(ai, key, s):
                        continue
                    full_hit.add(ai)
                    out.append(_Cand(ai, s, e, "exact", 0, "office", (office,), bio, span_end=_word_end(key, e, office)))
                    continue
                if kind == _SWAP:
                    if OSA.distance(key[s:e], a.key, score_cutoff=1) != 1:
                        continue  # a homophone on top of the swap: too far from the name
                    c = self._judge(a, ai, key, s, e, "edit", 1, bio)
                elif kind == _FULL:
                    same = key[s:e] == a.key
                    if not same and (len(a.key) < _MIN_HOMOPHONE_LEN or a.etype in REGION_TYPES | PERSON_TYPES):
                        continue
                    c = self._judge(a, ai, key, s, e, "exact" if same else "homophone", 0, bio)
                else:
                    c = self._judge_latin(a, ai, key, s, e, str(extra), bio)
                if c is not None:
                    full_hit.add(ai)
                    out.append(c)
        if piece_hits:
            # A piece inside a span already matched with a claim cannot beat that match: skip its aliases.
            claimed = [(c.start, c.end) for c in out if c.context != "contains"]
            for pid, s, e in piece_hits:
                if any(cs <= s and e <= ce for cs, ce in claimed):
                    continue
                pieces.extend((ai, s - int(extra), s) for kind, ai, extra in self._payloads[pid] if kind == _PIECE)
        n = len(phon)
        tried: set[tuple[int, int]] = set()
        for ai, approx, _ in pieces:
            if ai in full_hit or (ai, approx) in tried:
                continue
            tried.add((ai, approx))
            a = self._aliases[ai]
            k = 2 if len(a.phon) >= _TWO_EDIT_LEN else 1
            if approx < -k or approx + len(a.phon) - k > n:
                continue  # the alias would start before the name or end after it
            found = self._edit_window(a, key, phon, approx)
            if found is None:
                continue
            s, e, d = found
            full_hit.add(ai)
            c = self._judge(self._aliases[ai], ai, key, s, e, "edit", d, bio)
            if c is not None:
                out.append(c)
        return out

    def _edit_window(self, a: _Alias, key: str, phon: str, approx: int) -> tuple[int, int, int] | None:
        """Best window of the name within the alias's edit bound around a piece hit, or None.

        The alias's last character (the type word: 院, 局, 社, 部) is never edited - changing it names
        another kind of body - so candidate windows end on it, which leaves one or two to compare.
        """
        target = a.phon
        L = len(target)
        last = target[-1]
        k = 2 if L >= _TWO_EDIT_LEN else 1
        n = len(phon)
        best: tuple[int, int, int] | None = None
        for en in range(max(2, approx + L - 2 * k), min(n, approx + L + 2 * k) + 1):
            if phon[en - 1] != last:
                continue
            for st in range(max(0, approx - k, en - L - k), min(approx + k, en - L + k) + 1):
                d = OSA.distance(phon[st:en], target, score_cutoff=k)
                if d > k or (best is not None and (d, abs(en - st - L)) >= (best[2], abs(best[1] - best[0] - L))):
                    continue
                if OSA.distance(key[st:en], a.key, score_cutoff=k) > k:
                    continue  # homophones may not stack on top of the edit bound
                best = (st, en, d)
        if best is None or best[2] == 0:
            return None  # distance 0 in the phonetic key is the homophone path's business
        return best

    def _judge_latin(self, a: _Alias, ai: int, key: str, s: int, e: int, form: str, bio: bool) -> _Cand | None:
        """Latin forms must fill their run of letters or leave only claim words beside them."""
        m_left = _run_start(key, s)
        m_right = _run_end(key, e)
        left, right = key[m_left:s], key[e:m_right]
        left_ok = not left or self._rest_re.fullmatch(left) is not None
        right_ok = self._rest_ok("", right, key[:m_right], e)
        words = tuple(w for w in (_found_words(self._word_re, left), _found_words(self._word_re, right)) for w in w)
        if a.etype in REGION_TYPES:
            office = self._office_after(key, e)
            if office is None or not left_ok:
                return None
            technique = form if form != "latin" else "exact"
            return _Cand(ai, s, e, technique, 0, "office", (office, *words), bio, span_end=_word_end(key, e, office))
        if not (left_ok and right_ok):
            if form != "latin" or len(a.key) < 4:
                return None  # pinyin and initials inside other letters are too often chance
            # Embedded among other letters: decided on the original text's word boundaries later.
            ctx = "contains_latin"
        else:
            ctx = "exact" if not left and not right and m_left == 0 and m_right == len(key) else "claim"
        if a.etype in PERSON_TYPES and ctx != "claim":
            return None
        technique = "exact" if form == "latin" else form
        return _Cand(ai, s, e, technique, 0, ctx, words, bio)

    def _judge(self, a: _Alias, ai: int, key: str, s: int, e: int, technique: str, dist: int, bio: bool) -> _Cand | None:
        """Context of a Chinese-form hit: office suffix, claim words, word edges, allowed superstrings."""
        if self._inside_allowed(ai, key, s):
            return None
        left, right = key[:s], key[e:]
        after = self._word_after(key, e)
        before = self._word_before(key, s)
        # A "claim word" that completes another registered name is that name, not a claim (央视+新闻).
        if after is not None and key[s:e] + after in self._alias_keys:
            after = None
        if before is not None and before + key[s:e] in self._alias_keys:
            before = None
        if len(a.key) <= 2:
            # Two characters: must stand at a word edge (中央视角 is not 央视).
            left_edge = not left or not _HAN.match(left[-1]) or before is not None
            right_edge = not right or not _HAN.match(right[0]) or after is not None
            if not (left_edge and right_edge):
                return None
        rest_ok = self._rest_ok(left, right, key, e)
        if not left and not right:
            ctx = "exact"
        elif rest_ok:
            ctx = "claim"
        elif after is not None or before is not None:
            ctx = "adjacent"
        else:
            ctx = "contains"
        if ctx == "contains" and (a.etype in PERSON_TYPES or technique != "exact"):
            return None  # a namesake, or a look-alike among other words: nothing claims the entity
        words = tuple(w for w in (before, after) if w)
        if rest_ok:
            words = tuple(dict.fromkeys((*_found_words(self._word_re, left), *_found_words(self._word_re, right), *words)))
        return _Cand(ai, s, e, technique, dist, ctx, words, bio)

    def _inside_allowed(self, ai: int, key: str, s: int) -> bool:
        """True when the alias found at ``s`` lies inside one of its benign superstrings (公安部门)."""
        return any(key.startswith(word, s - pos) for word, pos in self._allowed.get(ai, ()) if s >= pos)

    def _rest_ok(self, left: str, right: str, key: str, e: int) -> bool:
        if left and self._rest_re.fullmatch(left) is None:
            return False
        if not right or self._rest_re.fullmatch(right) is not None:
            return True
        # A repeat-collapse may have merged a word's first character into the alias (新华社+社长 -> 新华社长).
        for w in self._word_tails.get(key[e - 1], ()):
            if key.startswith(w[1:], e) and self._rest_re.fullmatch(key, e + len(w) - 1) is not None:
                return True
        return False

    def _word_after(self, key: str, e: int) -> str | None:
        m = self._word_re.match(key, e)
        if m is not None:
            return m.group()
        for w in self._word_tails.get(key[e - 1], ()) if e else ():
            if key.startswith(w[1:], e):
                return w
        return None

    def _word_before(self, key: str, s: int) -> str | None:
        if s == 0:
            return None
        m = self._word_rev_re.match(key[s - 1 :: -1])
        return m.group()[::-1] if m is not None else None

    def _office_after(self, key: str, e: int) -> str | None:
        m = self._office_re.match(key, e)
        word = m.group() if m is not None else None
        if word is None and e:
            tail_re = self._office_tail_re.get(key[e - 1])
            m = tail_re.match(key, e) if tail_re is not None else None
            if m is None:
                return None
            word = key[e - 1] + m.group()
        for undo in self._office_undo:
            if key.startswith(undo, e) or (key[e - 1 : e] == undo[0] and key.startswith(undo[1:], e)):
                return None
        return word

    # -- results -------------------------------------------------------------------------------------

    def _finish(self, text: str, key: str, cands: list[_Cand]) -> list[NameMatch]:
        norm = normalize_with_offsets(text)
        idx = _fold(norm.text)[1]
        results: list[NameMatch] = []
        for c in cands:
            a = self._aliases[c.alias]
            ks, ke = c.start, c.span_end if c.span_end > 0 else c.end
            if idx is not None:  # key positions -> canonical-text positions
                ks, ke = idx[ks], idx[ke - 1] + 1
            s0, e0 = norm.span(ks, ke)
            if ke < len(norm.text) and norm.runs[ke - 1] > 1:
                # A repeat at the end of the match with more text after it belongs to the next word
                # (radio_official, 新华社社长): the excerpt stops at the alias's own last character.
                e0 = norm.starts[ke - 1] + 1
            excerpt = text[s0:e0]
            ctx = c.context
            if ctx == "contains_latin":
                # Embedded in other letters: a match only at a word boundary of the ORIGINAL text.
                before = text[s0 - 1] if s0 > 0 else ""
                after = text[e0] if e0 < len(text) else ""
                if _is_letter_joint(before, text[s0]) or _is_letter_joint(text[e0 - 1], after):
                    continue
                ctx = "contains"
            if c.bio and ctx in ("contains", "exact"):
                continue  # a bio naming an outlet is not a claim to be it
            techniques = _techniques(excerpt, a, c, self._claim_set, self._staff_set)
            technique = techniques[0]
            score = _score(c, ctx, a.etype, techniques)
            results.append(
                NameMatch(c.alias_entity(self), a.alias, s0, e0, excerpt, technique, techniques, ctx, c.words, c.distance, score)
            )
        return _best(results)


@dataclass(slots=True)
class _Cand:
    alias: int
    start: int
    end: int
    technique: str
    distance: int
    context: str
    words: tuple[str, ...]
    bio: bool
    span_end: int = -1  # where the evidence span ends in the key when it takes in an office suffix

    def alias_entity(self, index: NameIndex) -> int:
        return index._aliases[self.alias].entity


# --- helpers -----------------------------------------------------------------------------------------


def _keys(words: Iterable[str]) -> list[str]:
    return [k for k in (name_key(w) for w in words) if k]


def _found_words(word_re: re.Pattern[str], rest: str) -> list[str]:
    return word_re.findall(rest) if rest else []


def _doubles(text: str) -> int:
    return sum(1 for x, y in zip(text, text[1:]) if x == y)


def _word_end(key: str, e: int, word: str) -> int:
    """End of ``word`` found after key position ``e`` (one less when a collapse merged its first char)."""
    return e + len(word) if key.startswith(word, e) else e + len(word) - 1


def _run_start(key: str, s: int) -> int:
    while s > 0 and "a" <= key[s - 1] <= "z":
        s -= 1
    return s


def _run_end(key: str, e: int) -> int:
    n = len(key)
    while e < n and "a" <= key[e] <= "z":
        e += 1
    return e


def _is_letter_joint(left: str, right: str) -> bool:
    """True when two adjacent original characters belong to one Latin word (no space, no case step)."""
    if not left or not right or not (left.isalpha() and right.isalpha()):
        return False
    if _HAN.match(left) or _HAN.match(right):
        return False
    return not (left.islower() and right.isupper())


def _pieces(phon: str, count: int, df: Counter[str]) -> list[tuple[int, str]]:
    """Split ``phon`` into ``count`` (2 or 3) contiguous pieces of >= 2 characters, choosing the split whose
    most frequent piece is rarest in the registry; returns ``[(offset, piece), ...]``."""
    n = len(phon)

    def cost(p: str) -> int:
        return df.get(p, 1) if len(p) <= 6 else 1

    best: tuple[int, list[tuple[int, str]]] | None = None
    if count == 2:
        for b in range(2, n - 1):
            c = max(cost(phon[:b]), cost(phon[b:]))
            if best is None or c < best[0]:
                best = (c, [(0, phon[:b]), (b, phon[b:])])
    else:
        for b1 in range(2, n - 3):
            for b2 in range(b1 + 2, n - 1):
                c = max(cost(phon[:b1]), cost(phon[b1:b2]), cost(phon[b2:]))
                if best is None or c < best[0]:
                    best = (c, [(0, phon[:b1]), (b1, phon[b1:b2]), (b2, phon[b2:])])
    return best[1] if best else [(0, phon)]


def _techniques(excerpt: str, a: _Alias, c: _Cand, claims: frozenset[str], staff: frozenset[str]) -> tuple[str, ...]:
    """How the name departs from the alias, most telling first (evidence for the reviewer)."""
    out: list[str] = []
    if c.technique in ("pinyin", "initials", "homophone", "edit"):
        out.append(c.technique)
    plain = _NOT_WORD.sub("", excerpt)
    alias_plain = _NOT_WORD.sub("", a.alias)
    if not a.latin and len(excerpt) - len(plain) > len(a.alias) - len(alias_plain):
        out.append("symbols")
    if _HAN.search(plain) and any(_HAN.match(ch) and _T2S_TABLE().get(ord(ch), ch) != ch for ch in plain):
        out.append("traditional")
    if any((not ch.isascii() and not _HAN.match(ch)) or ch in LOOKALIKES for ch in plain):
        out.append("homoglyph")
    expected = alias_plain + "".join(c.words if c.context == "office" else ())
    if _doubles(normalize(plain, collapse=False)) > _doubles(normalize(expected, collapse=False)):
        out.append("repeated")
    if c.context == "office":
        out.append("office")
    elif c.words:
        staff_only = all(w in staff for w in c.words)
        out.append("staff" if staff_only else "added_word")
    elif c.context in ("claim", "adjacent"):
        out.append("added_word")
    if not out:
        out.append("exact" if c.context == "exact" else "contains")
    return tuple(dict.fromkeys(out))


@lru_cache(maxsize=1)
def _T2S_TABLE() -> dict[int, str]:  # noqa: N802 - a cached constant
    """Traditional -> simplified for single characters: the canonical-form table restricted to Han."""
    from brightline.text.tables import table_for

    return {cp: v for cp, v in table_for(frozenset()).items() if _HAN.match(chr(cp)) and v and _HAN.match(v[0])}


_BASE = {"exact": 0.97, "claim": 0.95, "adjacent": 0.9, "office": 0.9, "contains": 0.7}
_PENALTY = {"homophone": 0.05, "pinyin": 0.05, "initials": 0.1}


def _score(c: _Cand, ctx: str, etype: str, techniques: tuple[str, ...]) -> float:
    if etype in PERSON_TYPES:
        return 0.9 if ctx in ("claim", "adjacent") else 0.7
    score = _BASE[ctx]
    if c.technique == "edit":
        score -= 0.07 if c.distance == 1 else 0.12
    score -= _PENALTY.get(c.technique, 0.0)
    if ctx != "contains" and any(t in techniques for t in ("homoglyph", "traditional", "symbols", "repeated")):
        score += 0.02  # deliberate obfuscation of a protected name is itself telling
    return round(min(score, 0.99), 4)


def _best(matches: list[NameMatch]) -> list[NameMatch]:
    """Best match per entity, then non-overlapping spans, highest score (then longest) first."""
    matches.sort(key=lambda m: (-m.score, -(m.end - m.start), m.start))
    kept: list[NameMatch] = []
    entities: set[int] = set()
    for m in matches:
        if m.entity in entities:
            continue
        if any(m.start < k.end and k.start < m.end for k in kept):
            continue
        kept.append(m)
        entities.add(m.entity)
    return kept


