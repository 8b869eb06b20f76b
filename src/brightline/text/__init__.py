"""Text normalization with an offset map back to the original text, and the lexicon matcher.

Public API (other detectors build on it)::

    from brightline.text import normalize, normalize_with_offsets, Normalized, digits_view

    normalize(text) -> str                       # canonical matching form (fast path)
    n = normalize_with_offsets(text)             # same text, plus offsets
    n.text == normalize(text)                    # always true, for every input
    n.span(i, j) -> (start, end)                 # [start, end) in the ORIGINAL text of n.text[i:j]
    n.excerpt(i, j)                              # the original characters behind n.text[i:j]
    n.runs[k]                                    # how many repeats were collapsed into n.text[k]
    digits_view(n.text)                          # 一二三幺两〇壹… -> 0-9, same length as n.text

The canonical form, applied character by character (so every output char has one original position):

1. Default-ignorable code points are removed: zero-width space/joiners (U+200B-200D, U+2060, U+FEFF),
   soft hyphen, U+3164 HANGUL FILLER (and the other fillers), variation selectors (U+FE0F), tag characters.
2. NFKC: full-width ``ｆ`` -> ``f``, ``①`` -> ``1``, ``⑴`` -> ``(1)``, ``𝐟`` / ``𝕗`` / ``Ⓕ`` -> ``f``, CJK
   compatibility ideographs -> unified.
3. Accents on Latin/Greek/Cyrillic letters are stripped (``fück`` -> ``fuck``); case is folded.
4. Traditional -> simplified Chinese, per character (OpenCC ``t2s``): ``髮`` -> ``发``, ``貳`` -> ``贰``.
5. TR39 confusables: non-Han letters whose visual prototype is ASCII become it (Cyrillic ``fuсk`` -> ``fuck``,
   Greek ``Ηello`` -> ``hello``).
6. Digits: every char with a digit value becomes ASCII (``❶ ➀ ➊ ⓵ ⓿ ９ ³``); ``⑩``..``⑳`` -> ``10``..``20``;
   emoji keycaps ``1️⃣`` -> ``1``.
7. Everything that is not a letter or a number is removed: spaces, punctuation, symbols, emoji, controls,
   combining marks, lone surrogates. ``微 信``, ``微.信``, ``微❤信`` all become ``微信``.
8. Runs of the same character collapse to one (``代代开开`` -> ``代开``, ``fuuuck`` -> ``fuck``), except ASCII
   digits and Chinese numerals (phone numbers must survive). Terms go through the same pipeline, so a term
   like ``哈哈`` still matches; ``Normalized.runs`` lets a matcher demand at least as many repeats.

Chinese numerals are NOT turned into digits in the canonical form (一 is part of countless words); use
:func:`digits_view` on the canonical text for phone/QQ numbers.

Options (both functions): ``keep=".@/:_-+"`` (any subset) keeps those structural ASCII characters (and their
full-width forms ``＠／．``) instead of removing them, so ``t.me/abc`` and ``abc@qq.com`` keep their shape;
with ``.`` kept, ``。 · • ・`` also become ``.`` (``t·me`` -> ``t.me``). ``collapse=False`` skips step 8 (use it
when the recovered value must be exact, e.g. a handle ``aabb``). Unassigned code points pass through.

Tables are built once from the libraries and cached under ``$BRIGHTLINE_CACHE_DIR`` (default
``~/.cache/brightline``); ``bench/text.py`` prints the cold and warm start-up cost. ``normalize`` memoises
the last 256 texts up to 4,096 chars, so detectors that normalize the same post share the work.

The lexicon matcher (``brightline.text.lexicon.LexiconMatcher``, behind the ``lexicon`` detector) builds on
this form; its evasion variants (homophones, pinyin, initials, split characters, leet) are in
``brightline.text.variants``.
"""

from brightline.text.normalize import NO_COLLAPSE, Normalized, digits_view, normalize, normalize_with_offsets

__all__ = ["Normalized", "normalize", "normalize_with_offsets", "digits_view", "NO_COLLAPSE"]
