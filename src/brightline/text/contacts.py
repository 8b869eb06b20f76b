"""Recognition of off-platform contacts (WeChat, QQ, phone, Telegram, WhatsApp, LINE, e-mail) and links
(URLs, bare and spelled-out domains, short links, QR-code cues) hidden from filters.

How it works, and why this shape:

* **One char-for-char view.** The canonical form of :mod:`brightline.text` drops spaces and punctuation,
  which is right for term matching but erases what contact recognition needs: where a handle ends, how a
  digit run is grouped (``138 0013 8000`` versus a price list) and English word boundaries. So this module
  builds its own *view* of the text with exactly one output char per input char (offsets need no map):
  letters and digits of every style fold to ASCII with the same per-code-point data as
  :mod:`brightline.text.tables` (NFKC, TR39 confusables, accents, ``❶ ➀ ⓵``); zero-width characters, emoji,
  symbols and combining marks become one NOISE marker; Han characters, CJK punctuation and currency signs
  are left alone and handled by the patterns. A text without any exotic character (most posts) costs one
  ``str.lower()`` and one character-class scan.
* **A gate, then anchors, then context.** One C-level scan (:func:`_gate`) proves most posts hold nothing a
  contact or link could be made of; only the rest (about 1 % of ordinary posts) get the full pass. There,
  a few precompiled regexes find anchors in the view: digit runs (ASCII digits and Chinese numerals with
  separators), cue words (a trie-shaped regex over homophones, pinyin, initials, split characters and leet
  forms of channel names), ``@``-like marks, dot-like marks followed by a known top-level domain, ``http``.
  Each anchor is then judged in Python with its context. Why not one big regex: Python's ``re`` pays per
  candidate position and per alternative, so the cheap superset test runs first.
* **Precision first.** A number counts as a contact only after a channel cue or when it has the shape of
  a phone number (CN mobile prefixes, ``+`` international, area-code landlines, 400/800 hotlines, NANP
  3-3-4) that survives a context check (order numbers, prices, quantities, units, product codes). A
  letters-only handle needs an explicit delimiter (``微信：``) or an "add me" verb. A QR-code mention needs
  an intent word (join, add, contact) and is ignored next to payment words.

Each :class:`ContactFinding` has the span in the ORIGINAL text, the recovered ``value`` (digits only for
numbers, lower-case handle, ``host/path`` for links), the ``channel`` and the ``evasion`` techniques seen.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache

from brightline.text.tables import CN_DIGITS, base_table

__all__ = [
    "ContactFinding",
    "ContactRecognizer",
    "contact_view",
    "CHANNELS",
    "EVASIONS",
]

#: Stand-in for every character that carries no letter or digit (zero-width, emoji, symbol, mark).
NOISE = "\ue000"

#: Channels a finding may name. ``other`` is a contact announced by a generic cue ("联系方式：…").
CHANNELS = (
    "wechat", "qq", "phone", "telegram", "whatsapp", "line", "email", "skype", "snapchat", "instagram",
    "kik", "discord", "signal", "dingtalk", "momo", "other",
    "url", "domain", "short_link", "qr",
)

#: Evasion techniques a finding may report (the same names as the red-team generators).
EVASIONS = (
    "homophone", "pinyin", "initials", "split_characters", "zero_width", "symbol_insertion", "spacing",
    "fullwidth", "circled_digits", "chinese_numerals", "emoji", "homoglyph", "stylised", "repeated", "leet",
    "spelled_dot", "spelled_at", "defanged",
)

# --------------------------------------------------------------------------------------------------------
# The view
# --------------------------------------------------------------------------------------------------------

#: Chinese numerals, including traditional and financial forms, that stand for one digit each. Taken from
#: the normalization tables plus the traditional forms (that table expects simplified input).
CN_NUMERALS: dict[str, str] = {**CN_DIGITS, "兩": "2", "貳": "2", "參": "3", "叄": "3", "陸": "6", "○": "0"}

#: Pictographs that are themselves channel cues (✈ = Telegram, 🐧 = QQ, 📞 = phone); kept, not noise.
_CUE_SYMBOLS = "✈🛩📞☎📱📲🐧✉📧"

#: Symbols kept as they are: currency signs are context for prices; ○ is a zero in dates and numbers.
_KEPT_SYMBOLS = "¥￥$€£₩₹○〇" + _CUE_SYMBOLS

#: Characters folded to ASCII structure in the view (one char each).
_STRUCTURAL = {"＋": "+", "➕": "+", "✚": "+", "＠": "@", "．": ".", "／": "/", "＿": "_", "－": "-"}


@lru_cache(maxsize=1)
def _view_table() -> dict[int, str]:
    """``{code point: one char}`` for every non-ASCII char the view folds (built once per process).

    Letters and digits of any style fold to the ASCII char the normalization table gives them; chars that
    the normalization drops become NOISE unless they are whitespace, punctuation or a kept symbol, which
    the patterns read as they are. Multi-char foldings (``⑩`` -> ``10``) are not char-for-char and are left.
    """
    base, _ = base_table()
    table: dict[int, str] = {}
    for cp, rep in base.items():
        if cp < 0x80:
            continue
        ch = chr(cp)
        if ch in _KEPT_SYMBOLS or ch in CN_NUMERALS:
            continue
        if len(rep) == 1 and rep.isascii() and rep.isalnum():
            table[cp] = rep
        elif rep == "":
            cat = unicodedata.category(ch)
            if ch.isspace() or cat[0] == "P" or cat == "Sc":
                continue
            table[cp] = NOISE
    for ch, rep in _STRUCTURAL.items():
        if rep != ch:
            table[ord(ch)] = rep
    table[0x0130] = "i"  # İ: the only code point whose lower() is two chars long
    for ch in _CUE_SYMBOLS:
        table.pop(ord(ch), None)
    table[0x20E3] = NOISE  # combining enclosing keycap
    return table


@lru_cache(maxsize=1)
def _exotic_re() -> re.Pattern[str]:
    """A run of characters the view must fold; a text without one is viewed with ``str.lower()`` alone.

    Every supplementary-plane char counts (emoji, mathematical letters): one range keeps the class a
    compact BMP bitmap plus one range check, where listing the supplementary entries one by one would
    make ``re`` test thousands of ranges per character.
    """
    cps = sorted(cp for cp in _view_table() if cp < 0x10000)
    ranges: list[str] = []
    lo = prev = cps[0]
    for cp in cps[1:] + [-1]:
        if cp == prev + 1:
            prev = cp
            continue
        ranges.append(re.escape(chr(lo)) if lo == prev else f"{re.escape(chr(lo))}-{re.escape(chr(prev))}")
        lo = prev = cp
    return re.compile(f"[{''.join(ranges)}\U00010000-\U0010ffff]+")


def contact_view(text: str) -> str:
    """The char-for-char view contact recognition reads: same length as ``text``, offsets carry over.

    ASCII is lower-cased; letters and digits of every style become ASCII; zero-width characters, emoji and
    symbols become ``NOISE``; Han characters, punctuation and currency signs stay as they are.
    """
    if text.isascii():  # O(1) in CPython
        return text.lower()
    exotic = _exotic_re()
    if exotic.search(text) is None:
        return text.lower()
    table = _view_table()
    return exotic.sub(lambda m: m.group().translate(table), text).lower()


# --------------------------------------------------------------------------------------------------------
# Cue words
# --------------------------------------------------------------------------------------------------------

#: Cue strength. STRONG: any valid value after it counts. CONTEXT: needs a delimiter (``：`` ``号`` ``@``),
#: a decoration (emoji or zero-width right after it) or an "add me" verb just before it.
STRONG, CONTEXT = "strong", "context"


@dataclass(frozen=True, slots=True)
class Cue:
    """One way of writing a channel name."""

    text: str
    channel: str
    strength: str = STRONG
    evasion: tuple[str, ...] = ()
    kind: str = "contact"  # contact | qr


def _cues() -> list[Cue]:
    cues: list[Cue] = []

    def add(words: Iterable[str], channel: str, strength: str = STRONG, evasion: tuple[str, ...] = (),
            kind: str = "contact") -> None:
        for w in words:
            cues.append(Cue(w, channel, strength, evasion, kind))

    # WeChat: 微信 and its homophones (薇/威/徽/维… for 微, 芯/心/鑫 for 信), the split form 亻言 of 信,
    # letters standing for one syllable (v信), pinyin and initials.
    add(["微信", "微信号", "企业微信", "企微", "wechat", "we chat", "公众号"], "wechat")
    add([f"{a}{b}" for a in "薇威徽维唯卫伟危喂巍" for b in "信"] + [f"{a}{b}" for a in "微薇威" for b in "芯心鑫"],
        "wechat", evasion=("homophone",))
    add(["v信", "v芯", "v心", "w信", "vx号", "v号"], "wechat", evasion=("homophone", "initials"))
    add(["vx", "wx"], "wechat", evasion=("initials",))
    add(["微亻言", "薇亻言", "威亻言", "v亻言"], "wechat", evasion=("split_characters",))
    add(["weixin", "weixing", "wei xin", "vei xin", "weichat"], "wechat", evasion=("pinyin",))
    add(["绿泡泡"], "wechat", evasion=("homophone",))
    add(["微", "薇", "威", "徽", "v"], "wechat", CONTEXT, evasion=("homophone",))
    # QQ
    add(["qq", "qq号", "q群", "qq群"], "qq")
    add(["扣扣", "抠抠", "寇寇", "蔻蔻", "叩叩", "扣群", "球球"], "qq", evasion=("homophone",))
    add(["企鹅", "企鹅号"], "qq", CONTEXT, evasion=("homophone",))
    add(["🐧"], "qq", CONTEXT, evasion=("emoji",))
    add(["扌口扌口"], "qq", evasion=("split_characters",))
    add(["koukou", "kou kou"], "qq", evasion=("pinyin",))
    add(["q", "扣"], "qq", CONTEXT, evasion=("homophone",))
    # Phone
    add(["电话", "電話", "手机", "手機", "手机号", "联系电话", "热线", "致电", "拨打", "来电", "短信",
         "tel", "phone", "mobile", "cell", "call", "text me", "sms", "whatsapp me"], "phone")
    add(["dianhua", "dian hua", "shouji", "shou ji"], "phone", evasion=("pinyin",))
    add(["📞", "☎", "📱", "📲"], "phone", evasion=("emoji",))
    # Telegram
    add(["telegram", "tg群", "电报", "電報", "电报群", "纸飞机", "飞机号", "飛機號"], "telegram")
    add(["tg"], "telegram", evasion=("initials",))
    add(["飞机", "飛機", "小飞机"], "telegram", CONTEXT, evasion=("homophone",))
    add(["feiji", "fei ji"], "telegram", CONTEXT, evasion=("pinyin",))
    add(["✈", "🛩"], "telegram", CONTEXT, evasion=("emoji",))
    # WhatsApp, LINE and other apps
    add(["whatsapp", "whats app", "watsapp", "whatsap"], "whatsapp")
    add(["line id", "line号"], "line")
    add(["line"], "line", CONTEXT)
    add(["skype"], "skype")
    add(["snapchat"], "snapchat")
    add(["snap"], "snapchat", CONTEXT)
    add(["instagram"], "instagram")
    add(["insta", "ig"], "instagram", CONTEXT)
    add(["kik"], "kik", CONTEXT)
    add(["discord"], "discord")
    add(["signal"], "signal", CONTEXT)
    add(["钉钉"], "dingtalk")
    add(["陌陌"], "momo")
    add(["联系方式", "聯繫方式", "联系我", "联系", "聯繫", "私联"], "other")
    # QR-code cues (a link to an off-platform group or contact hidden in an image)
    add(["扫码", "掃碼", "扫一扫", "掃一掃", "二维码", "二維碼", "qr码", "qr code", "qrcode", "scan the qr",
         "scan my qr", "scan this qr", "scan qr", "长按识别", "長按識別"], "qr", kind="qr")
    return cues


#: Leet replacements a cue writer may use for Latin letters after the first one ("w3chat", "t3l3gram").
_LEET = {"e": "[e3]", "a": "[a4@]", "o": "[o0]", "i": "[i1!]", "t": "[t7]", "s": "[s5$]"}
_UNLEET = str.maketrans({"3": "e", "4": "a", "@": "a", "0": "o", "1": "i", "!": "i", "7": "t", "5": "s", "$": "s"})

#: What may be inserted between the characters of a cue word: spaces, NOISE, light ASCII symbols.
_INNER_CHARS = r"\s\ue000*_.\-~|·・•'`^"
_INNER = f"[{_INNER_CHARS}]{{0,3}}"
_INNER_RE = re.compile(f"[{_INNER_CHARS}]+")


def _is_latin(ch: str) -> bool:
    return "a" <= ch <= "z"


def _atoms(word: str) -> list[str]:
    """Regex atoms of a cue word: the first is a plain literal (so ``re`` can prefilter on first chars);
    later Latin letters accept leet digits, Han characters accept being repeated (``微微信信``)."""
    atoms: list[str] = []
    for i, ch in enumerate(word):
        if ch == " ":
            continue
        if i == 0 and _is_latin(ch):
            # Not inside a word ("hotel", "online"): a width-2 lookbehind after the literal keeps the
            # literal first, which is what lets ``re`` prefilter.
            atoms.append(f"{ch}(?<![a-z0-9]{ch})")
        elif _is_latin(ch):
            atoms.append(_LEET.get(ch, ch))
        else:  # "微微信信", "QQ群\u200b群": a Han char may be repeated (a few times), noise between repeats
            atoms.append(f"{re.escape(ch)}(?:{_INNER}{re.escape(ch)}){{0,3}}")
    return atoms


def _trie_regex(words: Iterable[str]) -> str:
    """One alternation shaped like a trie, so each position tries only the branches of its first char
    (``re`` uses the set of first literals as a fast prefilter). Longer cues are preferred."""
    trie: dict[str, dict] = {}
    for w in words:
        node = trie
        for atom in _atoms(w):
            node = node.setdefault(atom, {})
        node[""] = w  # type: ignore[assignment]  # the terminal marker remembers its word

    def emit(node: dict[str, dict]) -> str:
        alts = []
        for atom in sorted((a for a in node if a), key=lambda a: (-_depth(node[a]), a)):
            child = node[atom]
            # A cue ending in a Latin letter must not run on into a word ("tgif", "lines"), except the short
            # ones that are glued to an id with a digit in it ("vx13800138000", "wxmumu308959").
            end = "(?![a-z])" if atom[:1].isascii() and atom[:1].isalpha() or atom.startswith("[") else ""
            if end and child.get("") in _ATTACHABLE:
                end = "(?:(?![a-z])|(?=[a-z0-9_]{0,40}[0-9]))"
            if any(k for k in child):
                tail = f"{_INNER}(?:{emit(child)})"
                if "" not in child:
                    alts.append(f"{atom}{tail}")
                else:
                    alts.append(f"{atom}(?:{tail}|{end})" if end else f"{atom}(?:{tail})?")
            else:
                alts.append(f"{atom}{end}")
        return "|".join(alts)

    return emit(trie)


def _depth(node: dict[str, dict]) -> int:
    return 1 + max((_depth(c) for k, c in node.items() if k), default=0)


#: Latin cues a writer glues to the id: "vx13800138000", "qq28739347", "wxmumu308959".
_ATTACHABLE = frozenset({"vx", "wx", "qq", "tg"})


def _cue_key(matched: str, collapse: bool = False) -> str:
    """Canonical key of a matched cue: inserted chars removed, leet undone, and with ``collapse`` Han
    repeats collapsed (``微微信信`` -> ``微信``; tried second so that 扣扣 stays 扣扣)."""
    s = _INNER_RE.sub("", matched)
    if collapse:
        out: list[str] = []
        for ch in s:
            if out and ch == out[-1] and not _is_latin(ch):
                continue
            out.append(ch)
        s = "".join(out)
    if s[:1].isascii():
        s = s[0] + s[1:].translate(_UNLEET)
    return s


# --------------------------------------------------------------------------------------------------------
# Patterns
# --------------------------------------------------------------------------------------------------------

_CN = "".join(CN_NUMERALS)
_DIGIT = f"[0-9{_CN}]"
#: Separators allowed inside a spelled-out number: spaces, NOISE, light punctuation, brackets, dashes.
_DSEP_CHARS = r"\s\ue000\-_.*~|#·・•()（）\[\]{}<>【】—–=^'\"`"
_DIGIT_RUN = re.compile(f"{_DIGIT}(?:[{_DSEP_CHARS}]{{0,3}}{_DIGIT}){{4,}}")
_DIGIT_GROUPS = re.compile(f"{_DIGIT}+")
#: A handle: at most 48 chars (longer runs are words or hashes, and a bound keeps every match O(1)).
_HANDLE = re.compile(r"[a-z0-9_](?:\ue000{0,3}[a-z0-9_\-.]){0,47}(?![a-z0-9_])")
_GAP = re.compile(
    r"(?:[\s\ue000:：=\-~>→_*#@(（\[【\"'“”/|、]|或|号码|號碼|号|號|账号|帳號|id(?![a-z0-9])|是|为|為|我的|我|的|搜索?|同号|"
    r"一下|请加|加|找我|找|联系|私聊|私信|私|滴滴|戳我|戳|\+|(?:me|at|on|us|via|is|my|number|num|no|handle|username|user|or)(?![a-z]))"
    r"{0,12}"
)
_DELIM = re.compile(r"[:：=@]|号|號|id|账号|帳號|是")
_ADD_VERB = re.compile(
    r"(?:加|迦|伽|珈|嘉|添|\+|找|搜|私|联系|聯系|联络|咨询|諮詢|戳|关注|add|contact|dm|msg|message|text|hmu|reach|ping|"
    r"find|follow|hit)"
)

_TLDS = (
    "com net org cn io me cc tv top xyz vip info app co ly gl gd gg link site online club shop store live fun "
    "pro biz ws su ru hk tw uk de jp kr eu asia mobi tk ml ga cf gq icu cyou win bid work ink ren wang love "
    "life world today news tech space website email cool art page dev cloud im la xin ltd group"
).split()
#: RFC 2606 / 6761 names that never resolve: documentation examples, not destinations.
_RESERVED_TLDS = frozenset({"example", "test", "invalid", "localhost", "local"})
_SHORT_HOSTS = frozenset(
    "t.cn dwz.cn url.cn w.url.cn bit.ly tinyurl.com goo.gl is.gd ow.ly t.co suo.im u.nu rebrand.ly cutt.ly "
    "s.id reurl.cc dwz.date 3.cn u.jd.com mrw.so sohu.gg tb.cn m.tb.cn".split()
)
#: A dot between two labels. Single-char dots may have noise around them; spelled ones (点, 。, dot,
#: (.), [dot]) may have spaces.
_DOT = (
    r"(?:\ue000*[.·・•]\ue000*|[\s\ue000]{0,3}(?:[。点點丶]|[(\[{（［]\ue000*(?:[.·・•]|d\ue000*o\ue000*t|点)\ue000*[)\]}）］]|d\ue000*o\ue000*t)"
    r"[\s\ue000]{0,3})"
)


def _letters_trie(words: Iterable[str], between: str = "") -> str:
    """A trie-shaped alternation of ASCII words (``c(?:om|n|c)|n(?:et|ews)``): ``re`` then tests one first
    letter per branch instead of every word. ``between`` is allowed between letters (``c o m``)."""
    trie: dict[str, dict] = {}
    for w in words:
        node = trie
        for ch in w:
            node = node.setdefault(ch, {})
        node[""] = {}

    def emit(node: dict[str, dict]) -> str:
        alts = []
        for ch in sorted((k for k in node if k), key=lambda k: -_depth(node[k])):
            child = node[ch]
            if any(k for k in child):
                tail = f"{between}(?:{emit(child)})"
                alts.append(f"{ch}(?:{tail})?" if "" in child else f"{ch}{tail}")
            else:
                alts.append(ch)
        return "|".join(alts)

    return emit(trie)


_TLD_RE = f"(?:{_letters_trie(_TLDS)})"
#: A dot and a known top-level domain. The pattern starts with one character class so that ``re`` skips
#: to candidate positions in C; lookbehinds then tell which kind of dot was seen. Labels to the left are
#: read afterwards (see ``ContactRecognizer._left_labels``).
#: A top-level domain with spaces or noise between its letters ("c o m"); the plain form is tried first.
_TLD_SPACED = "(?:" + _letters_trie(_TLDS, "[\\s\ue000]{1,2}") + ")"
_DOT_TAIL = (
    r"(?:(?<=[.·・•])\ue000*|(?<=\s\.)\s{1,2}|(?<=[。点點丶])[\s\ue000]{0,2}"
    r"|(?<=[(\[{（［])\ue000*(?:[.·・•]|d\ue000*o\ue000*t|点)\ue000*[)\]}）］][\s\ue000]{0,2}"
    r"|(?<![a-z]d)(?<=d)\ue000*o\ue000*t[\s\ue000]{0,2})"
)
_DOT_TLD = re.compile(
    f"(?P<dot>[.·・•。点點丶(\\[{{（［d]{_DOT_TAIL})(?=[a-z])(?P<tld>{_TLD_RE}|{_TLD_SPACED})(?!\ue000*[a-z0-9\\-])"
)
_LABEL_REV = re.compile(r"[a-z0-9\-\ue000]{1,63}")
_DOT_REV = re.compile(
    r"\ue000*[.·・•]\ue000*|[\s\ue000]{0,3}(?:[。点點丶]|[)\]}）］]\ue000*(?:[.·・•]|t\ue000*o\ue000*d|点)\ue000*[(\[{（［]|t\ue000*o\ue000*d)"
    r"[\s\ue000]{0,3}"
)
_PATH = re.compile(r"(?::\d{1,5})?(?:\ue000*[/?#][^\s<>\"'，。！？、；）)\]】\u3000-\u9fff\uff00-\uffef]{0,256})?")
_URL = re.compile(
    r"(?:h\ue000*t\ue000*t\ue000*p\ue000*(?:s\ue000*)?|hxxps?|ftp)[\s\ue000]*[:：][\s\ue000]*/[\s\ue000]*/[\s\ue000]*"
    r"(?P<rest>(?:\[\.\]|\(\.\)|[^\s<>\"'，。！？、；）)\]】\u3000-\u303f\u3400-\u9fff])+)"
)
#: An "at" (``@``, ``(at)``, ``艾特``, `` at ``, ``#``) followed by a domain; anchored on one character class
#: like ``_DOT_TLD``. The local part is read leftwards afterwards.
_AT = re.compile(
    r"(?P<at>[@#(\[{<（【［艾\s]"
    r"(?:(?<=[@#])\ue000*|(?<=[(\[{<（【［])[\s\ue000]*(?:a\ue000*t|艾特|@)[\s\ue000]*[)\]}>）】］][\s\ue000]*"
    r"|(?<=艾)\ue000*特[\s\ue000]*"
    r"|(?<=\s)(?:\ue000*a\ue000*t\ue000*\s[\s\ue000]*|[(\[{<（【［]\s*(?:at|艾特|@)\s*[)\]}>）】］]\s*|艾特\s*)))"
    r"(?P<domain>[a-z0-9](?:[a-z0-9\-\ue000]*[a-z0-9])?(?:" + _DOT + r"[a-z0-9](?:[a-z0-9\-\ue000]*[a-z0-9])?)*"
    + r"(?P<dot>" + _DOT + r")(?P<tld>[a-z](?:\ue000*[a-z]){1,11}))(?![a-z0-9])"
)
_DOT_SPLIT = re.compile(_DOT)
#: Dots in a URL's host written another way: ``[.]`` ``(.)`` (defanged), ``·`` ``•`` ``・``.
_URL_DOTS = re.compile(r"\[\.\]|\(\.\)|[·・•]")
_SPACE_OR_NOISE = re.compile(r"[\s\ue000]+")
_SPELLED_DOT = re.compile(r"[。点點丶(\[{（［]|dot")
#: Words before a spelled "dot com" that make it the English phrase, not an address.
_DOT_COM_WORDS = frozenset(
    "the a an of and or to in on at for with this that my your our their his her its big first old new early "
    "late era boom bubble is was be by from as like any no one two web internet".split()
)
#: Mail providers after which a spelled-out " at " is an address ("abc at qq dot com").
_MAIL_HOSTS = frozenset(
    "gmail qq 163 126 139 189 yeah sina sohu foxmail aliyun outlook hotmail live yahoo icloud me proton protonmail "
    "gmx mail yandex aol zoho".split()
)
_WXID = re.compile(r"\ue000*i\ue000*d\ue000*_")
#: An id no word or code looks like: 6+ chars with a digit and an underscore or three letters.
_ID_LIKE = re.compile(r"(?=[a-z0-9_\-]*[0-9])(?=[a-z0-9_\-]*(?:_|[a-z][a-z0-9_\-]*[a-z][a-z0-9_\-]*[a-z]))[a-z0-9_\-]{6,}")
#: Flight numbers (CA1234, MU5735) after 飞机 are flights, not Telegram ids.
_FLIGHT = re.compile(r"[a-z0-9]{2}\d{1,4}[a-z]?")
#: Reversed: separators then a handle, read right to left from a cue ("abc12345（微信）").
_BEFORE_REV = re.compile(r"[\s\ue000(（【\[:：\-]{0,3}(?P<h>[a-z0-9_\-]{5,40})")
_LOCAL_REV = re.compile(r"[a-z0-9._%+\-\ue000]{1,64}")

#: Words that make a nearby number something other than a contact.
_NUMBER_CONTEXT = re.compile(
    r"订单|单号|编号|编码|运单|快递|物流|流水|序列|序号|型号|批号|批次|工号|学号|证号|身份证|卡号|账户|帳戶|发票|票号|"
    r"条码|商品|货号|车次|航班|房号|邮编|验证码|价格|价|金额|售价|合计|总计|余额|库存|销量|阅读|播放|粉丝|点赞|版本|"
    r"order|tracking|invoice|serial|sku|isbn|model|ref|no\.|receipt|account|price|total|isin|ean|upc|code|id|version"
)
_UNIT_AFTER = re.compile(
    r"\s{0,2}(?:元|块|圆|万|亿|%|％|‰|个|件|次|人|年|月|日|号|天|分|秒|岁|米|公里|千克|克|斤|吨|台|张|条|篇|份|位|倍|"
    r"kg|km|mm|cm|ml|mb|gb|tb|rmb|usd|eur|yuan|views|likes|pcs|x\b)"
)
_CURRENCY_BEFORE = re.compile(r"[¥￥$€£₩₹]\s{0,2}$|(?:rmb|usd|eur|cny|hk\$)\s{0,2}$")

_QR_INTENT = re.compile(
    r"加群|加好友|加我|进群|入群|群聊|好友|联系|私聊|咨询|领取|关注|加|领|微信|vx|add|join|contact|chat|group|dm|"
    r"telegram|whatsapp|"
    r"friend|follow"
)
_QR_BENIGN = re.compile(
    r"付款|支付|收款|买单|点餐|点单|结账|缴费|健康码|乘车码|核酸|登录|登陆|签到|下载|pay|payment|checkout|menu|"
    r"ticket|login|check-in|download"
)

#: Digit groups beyond which a run is a list of numbers, not one number (an 11-digit phone spaced out
#: digit by digit has 11; +country code and area code make a few more).
_MAX_GROUPS = 24
_CN_MOBILE = re.compile(r"1(?:3\d|4[5-9]|5[0-35-9]|6[2567]|7[0-8]|8\d|9\d)\d{8}")
_CN_LANDLINE = re.compile(r"0(?:10|2\d|[3-9]\d{2})\d{7,8}")
_HOTLINE = re.compile(r"[48]00\d{7}")
_NANP = re.compile(r"[2-9]\d{2}[2-9]\d{6}")  # 10 digits; "1" + 10 digits needs the "+"


@dataclass(frozen=True, slots=True)
class ContactFinding:
    """One contact or link found in a text.

    ``detector`` is ``diversion.contact`` or ``diversion.link``; ``start``/``end`` are ``[start, end)``
    code-point offsets into the original text, covering the cue and the value.
    """

    detector: str
    channel: str
    value: str
    start: int
    end: int
    score: float
    evasion: tuple[str, ...] = ()
    cue: str | None = None
    normalized: str = ""

    @property
    def evaded(self) -> bool:
        return bool(self.evasion)


@dataclass(slots=True)
class _Ctx:
    """Per-text scratch: the original, its view, and the spans already claimed by a finding."""

    text: str
    view: str
    limit: int
    budget: int
    claimed: list[tuple[int, int]] = field(default_factory=list)
    out: list[ContactFinding] = field(default_factory=list)

    def done(self) -> bool:
        """True once enough was found, or once a hostile text has spent its anchor budget."""
        self.budget -= 1
        return len(self.out) >= self.limit or self.budget < 0

    def free(self, s: int, e: int) -> bool:
        return all(e <= a or s >= b for a, b in self.claimed)

    def add(self, f: ContactFinding) -> None:
        self.claimed.append((f.start, f.end))
        self.out.append(f)


# --------------------------------------------------------------------------------------------------------
# Evasion classification (runs only on the span of a finding)
# --------------------------------------------------------------------------------------------------------


@lru_cache(maxsize=1)
def _char_classes() -> dict[str, str]:
    """``{char: evasion}`` for the characters whose presence in a span is itself an evasion."""
    import regex

    ignorable = regex.compile(r"\p{Default_Ignorable_Code_Point}")
    table = _view_table()
    classes: dict[str, str] = {}
    for cp, rep in table.items():
        ch = chr(cp)
        if 0xFF01 <= cp <= 0xFF5E:
            classes[ch] = "fullwidth"
        elif cp == 0x20E3:
            classes[ch] = "emoji"  # keycap 1️⃣
        elif ignorable.match(ch):
            classes[ch] = "zero_width"
        elif rep == NOISE:
            classes[ch] = "emoji" if unicodedata.category(ch) == "So" else "symbol_insertion"
        elif rep.isdigit():
            classes[ch] = "circled_digits"
        elif 0x1D400 <= cp <= 0x1D7FF or 0x2100 <= cp <= 0x214F or 0x24B6 <= cp <= 0x24E9 or 0x1F130 <= cp <= 0x1F189:
            classes[ch] = "stylised"
        else:
            name = unicodedata.name(ch, "")
            if name.startswith(("CYRILLIC", "GREEK", "ARMENIAN", "CHEROKEE", "COPTIC")):
                classes[ch] = "homoglyph"
            elif not name.startswith("LATIN"):  # accented Latin is how pinyin is written, not an evasion
                classes[ch] = "stylised"
    for ch in _CN:
        classes.setdefault(ch, "chinese_numerals")
    for ch in _CUE_SYMBOLS:
        classes[ch] = "emoji"
    return classes


def _span_evasions(text: str, start: int, end: int, number: tuple[int, int] | None = None) -> set[str]:
    """Evasions visible in the characters of ``text[start:end]`` themselves, plus, for a spelled-out
    number at ``number`` (``[start, end)``), separators no one uses to format a phone number."""
    classes = _char_classes()
    found = {cls for ch in text[start:end] if (cls := classes.get(ch))}
    if number is not None:
        groups: list[int] = []
        gaps: list[str] = []
        gap = ""
        for ch in text[number[0]:number[1]]:
            cls = classes.get(ch)
            if ch.isalnum() or cls in ("circled_digits", "fullwidth", "chinese_numerals"):
                if groups and not gap:
                    groups[-1] += 1
                else:
                    if gap:
                        gaps.append(gap)
                    groups.append(1)
                gap = ""
            elif groups:
                gap += ch
        conventional = (
            len(groups) <= 4 and min(groups, default=0) >= 2 and all(len(g) <= 2 and set(g) <= set(" -().") for g in gaps)
        )
        if not conventional:
            for g in gaps:
                if any(not c.isspace() and classes.get(c) is None for c in g):
                    found.add("symbol_insertion")
                elif all(c.isspace() for c in g):
                    found.add("spacing")
    return found


# --------------------------------------------------------------------------------------------------------
# The recognizer
# --------------------------------------------------------------------------------------------------------


@lru_cache(maxsize=1)
def _gate() -> re.Pattern[str]:
    """One scan that is true for every text :meth:`ContactRecognizer.find` could report something in.

    It is a superset test, written so that ``re`` runs it in C: the pattern starts with ONE character class
    (every char an anchor can start with) and a few lookbehind groups then tell which anchor it was. (Each
    ``re`` scan costs several ns per character and a long list of lookbehinds costs a microsecond per
    candidate, so there is one scan and a handful of groups.) Anchors: a run of 5+ digits that is not a
    date; a digit right after a letter (``abc123``); the first two characters of a Han cue word (any first
    char, then any second char, so a superset) or a cue emoji, with a digit, a Latin letter or a QR intent
    word within a few characters (手机拍照 is not one); ``@`` in an address or before an id with a digit or
    ``_``; a delimiter before a handle (``：abc``); ``://``; ``_x``; ``qq`` / ``qr``; noise inside a Latin
    word; a dot (``.`` ``。`` ``点`` ``(.)``) before a known top-level domain. (A spelled `` dot `` is
    found by the caller with ``"dot" in view``: ``d`` is too common a letter to anchor on.) Not looked for: a
    letters-only handle after a Latin cue with no delimiter (``telegram @annabelle``), which the full pass
    accepts only after an add verb anyway.
    """
    cls = lambda chars: "".join(re.escape(c) for c in chars)  # noqa: E731
    han = [c.text for c in _cues() if not c.text[0].isascii()]
    firsts = sorted({w[0] for w in han})
    seconds = sorted({w[1] for w in han if len(w) > 1})
    near = f"(?=[^\\n。！？!?]{{0,24}}?[0-9a-z@{_CN}加群友联私咨领关微])"
    digit_first = f"0-9{_CN}"
    first = f"[{digit_first}{cls(firsts)}@:：=_q号號.·・•。点點丶(\\[{{（［\ue000]"
    # Most frequent anchors first (。 and . end sentences, 一 is a word), each rejected by its first test.
    alternatives = [
        # a dot of any spelling, then a known top-level domain
        f"(?<=[.·・•。点點丶(\\[{{（［])(?=[\\s\ue000]{{0,3}}[a-z.·・•点(\\[{{（［]){_DOT_TAIL}(?=[a-z])"
        f"(?:{_TLD_RE}|{_TLD_SPACED})(?![a-z0-9])",
        # a digit after a letter (abc123), or 5+ digits not inside a longer run and not a date
        f"(?<=[{digit_first}])(?:(?<=[a-z][0-9])|(?<=[a-z][\\-.][0-9])|(?=[{_DSEP_CHARS}]{{0,3}}{_DIGIT})"
        f"(?<!{_DIGIT}{_DIGIT})(?!(?<=[12])\\d{{3}}[-/.年]\\d{{1,2}}[-/.月]\\d{{1,2}}(?![0-9]))"
        f"(?:[{_DSEP_CHARS}]{{0,3}}{_DIGIT}){{4,}})",
        # a Han cue word's first char and a cue's second char (or a handle's first), something near
        f"(?<=[{cls(firsts)}]){_INNER}[{cls(seconds)}a-z0-9:：=@号\ue000]{near}",
        # @ in an address or before an id with a digit or "_", a delimiter before a handle or //, an
        # underscore handle, qq / qr
        "(?<=[@:：=_q号號])(?:(?<=[a-z0-9_.\\-\ue000]@)|(?<=@)(?=[a-z0-9_.]{0,40}[0-9_])"
        "|(?<=[:：=号號])\\s{0,2}(?:[a-z_@]|/\\s{0,2}/)|(?<=_)[a-z0-9]"
        "|(?<![a-z0-9]q)(?<=q)[qr](?![a-z]))",
        # zero-width or emoji noise inside a Latin word or a number ("a\u200bb", "1❤3")
        "(?<=[a-z0-9_]\ue000)\ue000*[a-z0-9]",
    ]
    return re.compile(first + "(?:" + "|".join(alternatives) + ")")


@lru_cache(maxsize=1)
def _cue_index() -> tuple[re.Pattern[str], dict[str, Cue]]:
    cues = _cues()
    index: dict[str, Cue] = {}
    for c in cues:
        index.setdefault(_cue_key(c.text), c)
    return re.compile(_trie_regex(c.text for c in cues)), index


_CN_TRANSLATE = str.maketrans(CN_NUMERALS)
_NOT_DIGIT = re.compile(r"[^0-9]+")


def _word_before(view: str, at: int) -> bool:
    """Is there an ASCII letter or digit right before ``at``, looking through NOISE?"""
    k = at - 1
    while k >= 0 and view[k] == NOISE and at - k < 4:
        k -= 1
    return k >= 0 and view[k].isascii() and view[k].isalnum()


def _digits_of(view_slice: str) -> str:
    """ASCII digits of a spelled-out number (view slice): separators dropped, numerals mapped."""
    return _NOT_DIGIT.sub("", view_slice.translate(_CN_TRANSLATE))


def _groups(view: str, s: int, e: int, limit: int | None = None) -> list[tuple[int, int]]:
    """``[start, end)`` of each digit group in ``view[s:e]``; at most ``limit`` + 1 of them."""
    found = _DIGIT_GROUPS.finditer(view, s, e)
    if limit is not None:
        found = itertools.islice(found, limit + 1)
    return [(m.start(), m.end()) for m in found]


#: A date at the start of a digit run ("phone 2005-12-15 17:56" is a date after the word phone).
_DATE_LIKE = re.compile(r"(?:19|20)\d{2}[-/.年]\d{1,2}[-/.月]\d{1,2}(?![0-9])|\d{1,2}/\d{1,2}/(?:19|20)\d{2}")
_PLUS_BEFORE = re.compile(f"[{_DSEP_CHARS}]{{0,4}}\\+")


def _plus_before(view: str, at: int) -> bool:
    """Is the number starting at ``at`` written with a leading ``+`` (maybe behind noise: ``+*4*4…``)?"""
    return _PLUS_BEFORE.match(view[max(0, at - 5):at][::-1]) is not None


def _phone_value(digits: str, plus: bool) -> tuple[str, str] | None:
    """``(value, shape)`` when ``digits`` is a phone number; shape is cn_mobile/intl/landline/hotline/nanp."""
    if plus:
        if digits.startswith("86") and _CN_MOBILE.fullmatch(digits[2:]):
            return digits[2:], "cn_mobile"
        if 8 <= len(digits) <= 15 and digits[0] != "0":
            return "+" + digits, "intl"
        return None
    for prefix in ("0086", "86", ""):
        if digits.startswith(prefix) and _CN_MOBILE.fullmatch(digits[len(prefix):]):
            return digits[len(prefix):], "cn_mobile"
    if _CN_LANDLINE.fullmatch(digits):
        return digits, "landline"
    if _HOTLINE.fullmatch(digits):
        return digits, "hotline"
    if _NANP.fullmatch(digits):
        return "+1" + digits, "nanp"
    return None


class ContactRecognizer:
    """Finds contacts and links in one text. Build once (patterns are compiled here), call :meth:`find`.

    ``allow_domains``: the operator's own domains (and their subdomains) that are never reported as links.
    ``max_findings``: cap per text, so a hostile 10 MB text cannot produce unbounded output.
    ``max_anchors``: how many candidate anchors (digit runs, cue words, dots, ``@``) one text may make the
    recognizer judge; a text made of thousands of cue words is cut off instead of costing seconds.
    """

    def __init__(self, allow_domains: Iterable[str] = (), max_findings: int = 50, max_anchors: int = 2000) -> None:
        self.allow_domains = tuple(sorted({d.strip().lower().lstrip(".") for d in allow_domains if d and d.strip()}))
        self.max_findings = max_findings
        self.max_anchors = max_anchors
        self._cue_re, self._cue_index = _cue_index()
        _gate()
        _view_table()
        _char_classes()

    # ---- public -------------------------------------------------------------------------------------

    def find(self, text: str) -> list[ContactFinding]:
        """All findings in ``text``, in order of position, one per distinct (detector, value)."""
        return self.scan(text, self.max_anchors)[0]

    def scan(self, text: str, budget: int) -> tuple[list[ContactFinding], int]:
        """:meth:`find` with an explicit anchor budget; also returns how much of it is left, so a caller
        reading a huge text in windows can share one budget between them."""
        if not text:
            return [], budget
        view = contact_view(text)
        if _gate().search(view) is None and "dot" not in view:
            return [], budget  # the common case: nothing a contact or a link could be made of
        ctx = _Ctx(text, view, self.max_findings, budget)
        # Structural findings first: a cue letter inside a URL or an address must not claim its span.
        self._urls(ctx)
        self._emails(ctx)
        self._domains(ctx)
        self._cues(ctx)
        self._numbers(ctx)
        seen: set[tuple[str, str]] = set()
        out: list[ContactFinding] = []
        for f in sorted(ctx.out, key=lambda f: f.start):
            key = (f.detector, f.value)
            if key not in seen:
                seen.add(key)
                out.append(f)
        return out[: self.max_findings], max(ctx.budget, 0)

    def allowed(self, host: str) -> bool:
        """True when ``host`` is one of the operator's own domains or a subdomain of one."""
        return any(host == d or host.endswith("." + d) for d in self.allow_domains)

    # ---- helpers ------------------------------------------------------------------------------------

    def _finding(self, ctx: _Ctx, detector: str, channel: str, value: str, s: int, e: int, score: float,
                 evasion: Iterable[str] = (), number: tuple[int, int] | None = None, cue: str | None = None) -> ContactFinding:
        """Build a finding. ``number`` is the ``[start, end)`` of a spelled-out number inside the span, whose
        separators are judged; elsewhere only the characters themselves count as evasions."""
        ev = set(evasion) | _span_evasions(ctx.text, s, e, number)
        ordered = tuple(x for x in EVASIONS if x in ev)
        view = ctx.view
        if number is not None:  # spoken numerals read as the digits they stand for: 幺三八 -> 138
            a, b = max(s, number[0]), min(e, number[1])
            normalized = view[s:a] + view[a:b].translate(_CN_TRANSLATE) + view[b:e]
        else:
            normalized = view[s:e]
        normalized = normalized.replace(NOISE, "")
        return ContactFinding(detector, channel, value, s, e, score, ordered, cue, normalized)

    # ---- links --------------------------------------------------------------------------------------

    def _link(self, ctx: _Ctx, host: str, path_at: int, s: int, e: int, evasion: set[str], scheme: str = "") -> None:
        """Report a link to ``host`` whose path is ``[path_at, e)``; paths keep their case (short links)."""
        host = host.strip(".").replace(NOISE, "")
        if not host or "." not in host or self.allowed(host) or host.rsplit(".", 1)[1] in _RESERVED_TLDS:
            return
        path = "".join(
            o if v == o.lower() else v.upper() if o.isupper() else v
            for o, v in zip(ctx.text[path_at:e], ctx.view[path_at:e]) if v != NOISE
        ).rstrip(".,;:!?")
        value = host + path
        if path in ("", "/"):
            value = host
        if host in _SHORT_HOSTS:
            channel, score = "short_link", 0.95
        elif host in ("t.me", "telegram.me", "telegram.dog"):
            channel, score = "telegram", 0.95
        elif host in ("wa.me", "chat.whatsapp.com"):
            channel, score = "whatsapp", 0.95
        elif host in ("u.wechat.com", "weixin.qq.com"):
            channel, score = "wechat", 0.95
        elif scheme or path:
            channel, score = "url", 0.9
        else:
            channel, score = "domain", 0.85
        ctx.add(self._finding(ctx, "diversion.link", channel, value, s, e, score, evasion))

    def _urls(self, ctx: _Ctx) -> None:
        view = ctx.view
        for m in _URL.finditer(view):
            if ctx.done():
                return
            rest = m.group("rest")
            host_part = re.split(r"[/?#]", rest, maxsplit=1)[0]
            host = host_part.split(":")[0].split("@")[-1]
            evasion = set()
            if m.group().startswith("hxxp") or "[.]" in rest:
                evasion.add("defanged")
            host = _URL_DOTS.sub(".", host)
            self._link(ctx, host, m.start("rest") + len(host_part), m.start(), m.end(), evasion, scheme="url")

    def _left_labels(self, view: str, dot_start: int) -> tuple[list[str], int, bool] | None:
        """Walk left from a dot over ``label(.label)*``; return labels, start offset and spelled-dot flag."""
        labels: list[str] = []
        spelled = False
        pos = dot_start
        for _ in range(8):
            window = view[max(0, pos - 64):pos][::-1]
            m = _LABEL_REV.match(window)
            if m is None:
                break
            label = m.group()[::-1]
            labels.insert(0, label)
            pos -= m.end()
            window = view[max(0, pos - 12):pos][::-1]
            d = _DOT_REV.match(window)
            if d is None or d.end() == 0:
                break
            # Only continue over the dot if another label precedes it.
            after = view[max(0, pos - d.end() - 1):pos - d.end()]
            if not after or not (after.isascii() and (after.isalnum() or after == "-")):
                break
            if d.group().strip(" \ue000") != ".":
                spelled = True
            pos -= d.end()
        if not labels:
            return None
        return labels, pos, spelled

    def _domains(self, ctx: _Ctx) -> None:
        view = ctx.view
        for m in _DOT_TLD.finditer(view):
            if ctx.done():
                return
            tld, dot = m.group("tld"), m.group("dot")
            spaced_tld = bool(_SPACE_OR_NOISE.search(tld))
            tld = _SPACE_OR_NOISE.sub("", tld)
            spelled_here = dot.strip(" \ue000") != "."
            ds = m.start()
            if spelled_here or spaced_tld or dot.endswith(" "):  # "example dot com", "baidu 。com", "x . c o m"
                while ds > max(0, m.start() - 3) and (view[ds - 1].isspace() or view[ds - 1] == NOISE):
                    ds -= 1
            left = self._left_labels(view, ds)
            if left is None:
                continue
            labels, s, spelled = left
            if s > 0 and view[s - 1] in "@._-/:#":
                continue  # part of an e-mail, a path or a URL already handled
            if dot.strip() == "dot" and labels[-1].replace(NOISE, "") in _DOT_COM_WORDS:
                continue  # "the dot com bubble"
            labels = [lb.replace(NOISE, "").strip("-") for lb in labels]
            if not all(labels):
                continue
            if (spelled or spelled_here) and not any(ch.isalpha() for ch in "".join(labels)):
                continue  # "3点cn" is a time, not a domain
            end = m.end()
            for _ in range(3):  # "bocai.com.cn": the first TLD was a label
                more = _DOT_TLD.match(view, end)
                if more is None or more.group("dot").strip(" \ue000") != ".":
                    break
                labels.append(tld)
                tld = _SPACE_OR_NOISE.sub("", more.group("tld"))
                end = more.end()
            if not ctx.free(s, end):
                continue  # inside a URL or an address already found ("a.com/b.com/…" reads once)
            p = _PATH.match(view, end)
            e = p.end() if p else end
            if not ctx.free(s, e):
                continue
            evasion = set()
            if spelled or spelled_here:
                evasion.add("defanged" if any(b in dot for b in "([{（") else "spelled_dot")
            if spaced_tld or not spelled_here and (dot.endswith(" ") or ds < m.start()):
                evasion.add("spacing")
            if NOISE in view[s:m.end()]:
                evasion.add("symbol_insertion")
            self._link(ctx, ".".join(labels + [tld]), end, s, e, evasion)

    # ---- e-mail -------------------------------------------------------------------------------------

    def _emails(self, ctx: _Ctx) -> None:
        view = ctx.view
        for m in _AT.finditer(view):
            if ctx.done():
                return
            at = m.group("at")
            at_plain = at.strip(" \ue000") in ("@",)
            labels, end = self._mail_domain(m)
            if len(labels) < 2 or not at_plain and labels[-1] not in _TLDS:
                continue
            at_start = m.start()
            while not at_plain and at_start > max(0, m.start() - 3) and view[at_start - 1] in " \ue000":
                at_start -= 1
            local = _LOCAL_REV.match(view[max(0, at_start - 64):at_start][::-1])
            if local is None:
                continue
            s = at_start - local.end()
            local_part = local.group()[::-1].replace(NOISE, "").strip(".")
            if not local_part or not ctx.free(s, end):
                continue
            if at.strip(" \ue000").replace(NOISE, "") == "at" and labels[0] not in _MAIL_HOSTS and not any(
                ch.isdigit() or ch in "._" for ch in local_part
            ):
                continue  # "a cocktail at star221.top": the English word, unless an address is plain to see
            evasion = set()
            if not at_plain:
                evasion.add("spelled_at")
            if _SPELLED_DOT.search(view, m.start("domain"), end):
                evasion.add("spelled_dot")
            value = f"{local_part}@{'.'.join(labels)}"
            ctx.add(self._finding(ctx, "diversion.contact", "email", value, s, end, 0.95, evasion))

    @staticmethod
    def _mail_domain(m: re.Match[str]) -> tuple[list[str], int]:
        """Labels of an address's domain and where it ends. A label after a spelled dot (点, 。, dot) must
        be a known top-level domain, else the sentence just goes on: "x@gmail.com。 Played" ends at com."""
        dom, base = m.group("domain"), m.start("domain")
        seps = list(_DOT_SPLIT.finditer(dom))
        labels = [dom[a:b].replace(NOISE, "") for a, b in
                  zip([0] + [x.end() for x in seps], [x.start() for x in seps] + [len(dom)])]
        end = m.end()
        while len(seps) >= 1 and seps[-1].group().strip(" \ue000") != "." and labels[-1] not in _TLDS:
            end = base + seps[-1].start()
            seps.pop()
            labels.pop()
        return labels, end

    # ---- cues ---------------------------------------------------------------------------------------

    def _cues(self, ctx: _Ctx) -> None:
        view = ctx.view
        pos = 0
        while not ctx.done():
            m = self._cue_re.search(view, pos)
            if m is None:
                return
            s, e = m.start(), m.end()
            # A cue that announces nothing may overlap the real one ("来 电报": 来电 then 电报): retry at s+1.
            pos = e if self._judge_cue(ctx, m.group(), s, e) else s + 1

    def _judge_cue(self, ctx: _Ctx, matched: str, s: int, e: int) -> bool:
        """Judge one cue match; True when it produced a finding."""
        if not ctx.free(s, e):
            return False
        if _is_latin(matched[0]) and _word_before(ctx.view, s):
            return False  # "l\u200bo\u200bv\u200be": a letter inside a word split by zero-width characters
        cue = self._cue_index.get(_cue_key(matched))
        repeated = False
        if cue is None:
            cue = self._cue_index.get(_cue_key(matched, collapse=True))
            repeated = True
            if cue is None:
                return False
        before = len(ctx.out)
        if cue.kind == "qr":
            self._qr(ctx, cue, s, e)
        else:
            self._cue_value(ctx, cue, matched, s, e, repeated)
        return len(ctx.out) > before

    def _qr(self, ctx: _Ctx, cue: Cue, s: int, e: int) -> None:
        window = ctx.view[max(0, s - 12):e + 32]
        intent = _QR_INTENT.search(window)
        if intent is None or _QR_BENIGN.search(window):
            return
        end = max(e, max(0, s - 12) + intent.end())
        start = min(s, max(0, s - 12) + intent.start())
        value = ctx.view[start:end].replace(NOISE, "").strip()
        ctx.add(self._finding(ctx, "diversion.link", "qr", value, start, end, 0.7, (), cue=cue.text))

    def _cue_value(self, ctx: _Ctx, cue: Cue, matched: str, s: int, e: int, repeated: bool) -> None:
        """Judge a cue: find the handle or number it announces (after it, or just before it)."""
        view = ctx.view
        latin_cue = _is_latin(matched[-1])
        glued = latin_cue and e < len(view) and view[e].isascii() and view[e].isalnum()
        if glued and _INNER_RE.search(matched):
            # "v❤ xiaomei_24732" is the cue v and the id xiaomei_24732, not "vx" glued to "iaomei_24732".
            short = self._cue_index.get(matched[0])
            if short is None:
                return
            cue, matched, e, glued = short, matched[0], s + 1, False
        g_end, chained = self._gap_end(view, e)
        gap_text = view[e:g_end]
        delim = bool(_DELIM.search(gap_text))
        decorated = gap_text[:1] == NOISE
        add_verb = bool(_ADD_VERB.search(view[max(0, s - 6):s]))
        # A context cue without its context may still announce a number (企鹅 六五二五四九幺五四六) or an id
        # that no word looks like (飞机 fuli_vip88; but 飞机 CA1234 is a flight).
        bare = cue.strength == CONTEXT and not (delim or decorated or add_verb)
        if bare and latin_cue and "pinyin" not in cue.evasion:
            return  # "line", "snap", "ig" without context are English words
        evasion = set(cue.evasion).union(*(c.evasion for c in chained))
        if chained and chained[-1].channel != "other":
            # The cue next to the value names its channel: "phone 扌口扌口 2548062370" is a QQ number.
            cue = Cue(cue.text, chained[-1].channel, cue.strength, cue.evasion, cue.kind)
        if _is_latin(matched[0]) and any(ch in "3401!75$@" for ch in matched[1:]):
            evasion.add("leet")
        if repeated:
            evasion.add("repeated")
        if _INNER_RE.search(matched) and _INNER_RE.sub(" ", matched) != cue.text:  # "line id" is not spaced out
            if re.search(r"[*_.\-~|·・•'`^]", matched):
                evasion.add("symbol_insertion")
            elif re.search(r"\s", matched):
                evasion.add("spacing")  # zero-width and emoji noise are reported by their characters

        explicit = delim or add_verb or (decorated and not latin_cue)
        if _cue_key(matched) in ("wx", "vx") and _WXID.match(view, e):
            glued = True  # "w\u200bx\u200bi\u200bd_abc123": WeChat's default ids start with wxid_
        if glued:
            # Glued to an id: "wxmumu308959" is itself the WeChat id; other glued cues take digits only.
            found = self._value_at(view, "wechat", s, True) if _cue_key(matched) in ("vx", "wx") else None
        else:
            found = self._value_at(view, cue.channel, g_end, explicit, bare)
        if found is not None and ctx.free(s, found[2]):
            channel, value, v_end, score = found
            if cue.strength == CONTEXT:
                score = min(score, 0.85)
            number = (g_end, v_end) if value.lstrip("+").isdigit() else None
            ctx.add(self._finding(ctx, "diversion.contact", channel, value, s, v_end, score, evasion, number, cue.text))
            return
        if cue.strength == STRONG:
            self._value_before(ctx, cue, s, e, evasion)

    def _gap_end(self, view: str, at: int) -> tuple[int, list[Cue]]:
        """End of what separates a cue from its value, and the further cues in it ("薇信qq同号：…")."""
        end = _GAP.match(view, at).end()  # type: ignore[union-attr]  # the pattern matches the empty string
        chained: list[Cue] = []
        for _ in range(2):
            more = self._cue_re.match(view, end)
            cue = self._cue_index.get(_cue_key(more.group())) if more is not None else None
            if more is None or cue is None or cue.kind != "contact":
                break
            nxt = view[more.end():more.end() + 4].lstrip(NOISE)[:1]
            if _is_latin(more.group()[-1]) and (nxt.isascii() and nxt.isalnum() or _WXID.match(view, more.end())):
                break  # "联系 wxmumu308959", "微信：q\u200bian_88": the glued Latin cue is the id's start
            chained.append(cue)
            end = _GAP.match(view, more.end()).end()  # type: ignore[union-attr]
        return end, chained

    def _value_at(self, view: str, channel: str, at: int, explicit: bool,
                  bare: bool = False) -> tuple[str, str, int, float] | None:
        """``(channel, value, end, score)`` of the number or handle starting at ``at``, if it is one."""
        run = _DIGIT_RUN.match(view, at)
        if run is not None and (_DATE_LIKE.match(view, at) or _UNIT_AFTER.match(view, run.end())
                                or view[run.end():run.end() + 4].lstrip(NOISE)[:1] == "@"):
            return None  # "phone 2005-12-15", "3643832 views", "493688806@…": a date, a count, an address
        if run is not None:
            got, score = self._number_for(channel, _digits_of(view[at:run.end()]), view, at)
            lens = [b - a for a, b in _groups(view, at, run.end())]
            if got is not None and got[0].startswith("+1") and not _plus_before(view, at) and lens not in (
                [10], [3, 3, 4]
            ) and not all(x == 1 for x in lens):
                got = None  # a North American number is written 415-555-0100; other groupings are something else
            if got is not None:
                return got[1], got[0], run.end(), score
        h = _HANDLE.match(view, at)
        if h is None:
            return None
        raw = h.group().rstrip(".-_")
        handle = raw.replace(NOISE, "")
        h_end = at + len(raw)
        if view[h_end:h_end + 1] == "@" or _DOT_TLD.match(view, h_end):
            return None  # an e-mail or a domain: the e-mail and link passes own it
        if bare and not handle.isdigit() and (not _ID_LIKE.fullmatch(handle) or _FLIGHT.fullmatch(handle)):
            return None
        if not self._valid_handle(channel, handle, explicit):
            return None
        if handle.isdigit():
            got, score = self._number_for(channel, handle, view, at)
            return None if got is None else (got[1], got[0], h_end, score)
        if channel == "other" and handle.startswith(("wxid_", "wx", "vx")):
            channel = "wechat"  # "联系 wxmumu308959": WeChat ids are commonly written with that prefix
        return channel, handle, h_end, 0.95

    def _value_before(self, ctx: _Ctx, cue: Cue, s: int, e: int, evasion: set[str]) -> None:
        """``abc12345（微信）``, ``28739347 qq``: an id written just before its channel name."""
        view = ctx.view
        window = view[max(0, s - 48):s][::-1]
        m = _BEFORE_REV.match(window)
        if m is None:
            return
        handle = m.group("h")[::-1].replace(NOISE, "")
        h_start = s - m.end()
        if h_start > 0 and view[h_start - 1].isascii() and view[h_start - 1].isalnum():
            return
        if not any(ch.isdigit() for ch in handle) or not ctx.free(h_start, e):
            return
        if handle.isdigit():
            got, score = self._number_for(cue.channel, handle, view, h_start)
            if got is None:
                return
            channel, value = got[1], got[0]
        elif self._valid_handle(cue.channel, handle, False):
            channel, value, score = cue.channel, handle, 0.9
        else:
            return
        close = e
        if close < len(view) and view[close] in ")）】]":
            close += 1
        number = (h_start, s) if value.lstrip("+").isdigit() else None
        ctx.add(self._finding(ctx, "diversion.contact", channel, value, h_start, close, score, evasion, number, cue.text))

    @staticmethod
    def _valid_handle(channel: str, handle: str, explicit: bool) -> bool:
        """Is ``handle`` a plausible id on ``channel``? Letters-only ids need an explicit delimiter or verb."""
        if not handle or len(handle) > 40:
            return False
        if handle.isdigit():
            return True
        has_digit = any(ch.isdigit() for ch in handle)
        if not has_digit and not explicit and "_" not in handle:
            return False  # a letters-only word needs "：" or an add verb; "lucky_star" or wxid_… does not
        if channel == "wechat":
            return bool(re.fullmatch(r"[a-z][a-z0-9_\-]{4,19}", handle))
        if channel == "qq":
            return False
        if channel == "telegram":
            return bool(re.fullmatch(r"[a-z][a-z0-9_]{4,31}", handle))
        if channel in ("phone", "whatsapp"):
            return False
        return len(handle) >= 4 and bool(re.fullmatch(r"[a-z0-9][a-z0-9_.\-]*", handle))

    @staticmethod
    def _number_for(channel: str, digits: str, view: str, at: int) -> tuple[tuple[str, str] | None, float]:
        """``((value, channel), score)`` for a number announced by a cue of ``channel``."""
        plus = _plus_before(view, at)
        phone = _phone_value(digits, plus)
        if channel == "qq":
            if re.fullmatch(r"[1-9]\d{4,11}", digits):
                return (digits, "qq"), 0.95
            return None, 0.0
        if channel in ("phone", "whatsapp", "telegram", "signal", "line", "other"):
            if phone is not None:
                return (phone[0], "phone" if channel in ("phone", "other") else channel), 0.95
            if 7 <= len(digits) <= 15:
                return (("+" if plus else "") + digits, "phone" if channel in ("phone", "other") else channel), 0.9
            return None, 0.0
        if channel == "wechat":
            if phone is not None:
                return (phone[0], "wechat"), 0.95
            if 5 <= len(digits) <= 15:
                return (digits, "wechat"), 0.9
            return None, 0.0
        if 5 <= len(digits) <= 15:
            return (digits, channel), 0.85
        return None, 0.0

    # ---- bare numbers -------------------------------------------------------------------------------

    def _numbers(self, ctx: _Ctx) -> None:
        view = ctx.view
        for m in _DIGIT_RUN.finditer(view):
            if ctx.done():
                return
            s, e = m.start(), m.end()
            if not ctx.free(s, e):
                continue
            if s > 0 and view[s - 1].isascii() and view[s - 1].isalpha():
                continue  # a product code or a handle without a cue: "rtx4090", "sn1380013800"
            self._phone_in_run(ctx, s, e)

    def _phone_in_run(self, ctx: _Ctx, s: int, e: int) -> None:
        """Find a phone number among the digit groups of one run (``2025-07-24 13800138000`` holds one)."""
        view = ctx.view
        groups = _groups(view, s, e, _MAX_GROUPS)
        if len(groups) > _MAX_GROUPS:
            return  # a long list of numbers ("1 2 3 … 40"); a phone number hidden in it is indistinguishable
        digits = [view[a:b].translate(_CN_TRANSLATE) for a, b in groups]
        if sum(map(len, digits)) < 8:
            return  # dates, times, prices: the common case, decided without the window search
        n = len(groups)
        for i in range(n):
            plus = i == 0 and _plus_before(view, s)
            best: tuple[int, tuple[str, str]] | None = None
            joined = ""
            for j in range(i, min(n, i + 16)):
                joined += digits[j]
                if len(joined) > 15:
                    break
                if len(joined) < 8:
                    continue
                shape = _phone_value(joined, plus)
                if shape is not None and not plus and (i > 0 or j < n - 1) and len(joined) == j - i + 1:
                    continue  # digits spaced one by one: the number is the whole run, not a slice of it
                if shape is not None and self._grouping_ok(view, groups[i:j + 1], shape[1], plus):
                    best = (j, shape)  # the longest window wins: "+86 138 0013 8000", not "+86 138"
            if best is None:
                continue
            j, shape = best
            gs, ge = groups[i][0], groups[j][1]
            if self._benign_number_context(view, gs, ge, plus):
                return
            score = 0.9 if shape[1] == "cn_mobile" or plus else 0.8
            start = view.rindex("+", max(0, gs - 6), gs) if plus else gs
            ctx.add(self._finding(ctx, "diversion.contact", "phone", shape[0], start, ge, score, (), (start, ge)))
            return

    @staticmethod
    def _grouping_ok(view: str, groups: list[tuple[int, int]], shape: str, plus: bool) -> bool:
        """Phone numbers are written in a few groupings; a run of short mixed groups is a list of numbers.

        More than three groups are accepted only when every group is one digit (``1 3 8 0 …``) or the
        separators are zero-width/emoji noise (an evasion no list of numbers shows). Landlines and hotlines
        need their area code or prefix to be its own group; international numbers need the ``+``.
        """
        seps = [view[a[1]:b[0]] for a, b in zip(groups, groups[1:])]
        lens = [b - a for a, b in groups]
        if any("." in sp for sp in seps) and not all(NOISE in sp or sp.strip() in (".",) for sp in seps):
            return False
        if len(groups) > 3 and not plus:
            if not (all(x == 1 for x in lens) or all(NOISE in sp for sp in seps)):
                return False
        if shape == "landline":
            return len(groups) >= 2 and lens[0] in (3, 4) or all(x == 1 for x in lens)
        if shape == "hotline":
            return len(groups) >= 2 and lens[0] in (3, 4) or all(x == 1 for x in lens)
        if shape == "nanp":
            return lens == [3, 3, 4]
        return True

    @staticmethod
    def _benign_number_context(view: str, s: int, e: int, plus: bool) -> bool:
        """An order number, a price, a quantity or a code that happens to look like a phone number."""
        before = view[max(0, s - 12):s]
        if _CURRENCY_BEFORE.search(before):
            return True
        if not plus and _NUMBER_CONTEXT.search(before):
            return True
        if _UNIT_AFTER.match(view, e):
            return True
        # Part of a longer alphanumeric code: "…13800138000abc".
        return e < len(view) and view[e].isascii() and view[e].isalpha()

