"""The lexicon matcher: operator terms found in the canonical text, with evidence spans in the ORIGINAL.

How a text is searched:

1. Patterns containing Han characters (terms, split-character forms like 亥刂章, one-syllable pinyin forms
   like 代kai发票, allowed words) live in one ahocorasick-rs automaton, stored in the *phonetic view*
   (Han char -> syllable class, same length as the canonical text), so one scan of
   ``phonetic_view(normalize(text))`` finds exact and homophone candidates together. pyahocorasick is
   ~100x slower on large CJK lists (reference §1.5; ``bench/text.py`` repeats the measurement).
2. Candidates are verified on the canonical text: the slice must equal the variant, or, for a homophone,
   share at least one character with the term, differ in at most half of them, and not be a dictionary
   word itself (病毒 is not 冰毒). Candidates inside an allowed word (三黄片 holds 黄片) are dropped.
3. Latin patterns (English terms, full pinyin, initials, masked ``f*ck``) are matched as runs of whole
   words of the original text, joined while the join is a prefix of a pattern and only removable
   characters lie between them: ``class`` never fires ``ass``; ``f u c k``, ``fuсk``, ``dai kai fa piao``
   do. Initials with a vowel and short pinyin must stand between non-Latin text (``and``, ``bike``).
4. Only texts with a verified automaton candidate pay for the offset map (spans in the original, repeat
   counts: 哈 does not match the term 哈哈; word boundaries of mixed patterns; a lone clause break).
5. Leetspeak (``sh1t``, ``a$$``) is read on a char-for-char translation of the raw text, only when a leet
   character sits inside or before a word.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from functools import lru_cache
from itertools import compress, groupby

import ahocorasick_rs

from brightline.registries.lexicon import LexiconTerm
from brightline.text.normalize import Normalized, normalize, normalize_with_offsets
from brightline.text.tables import LIST_TABLE_SIZE, table_for
from brightline.text.variants import (
    EXACT,
    HOMOPHONE,
    INITIALS,
    LEET,
    LEET_TABLE,
    MASKED,
    NORMALIZED,
    PINYIN,
    SPLIT,
    dictionary_words,
    phonetic_view,
    term_variants,
)

#: How sure a match is, by evasion: an exact or normalized hit is the term itself; a homophone or a string
#: of pinyin initials could be a coincidence.
CERTAINTY: dict[str, float] = {
    EXACT: 0.99,
    NORMALIZED: 0.96,
    LEET: 0.92,
    MASKED: 0.88,
    SPLIT: 0.88,
    PINYIN: 0.88,
    HOMOPHONE: 0.78,
    INITIALS: 0.65,
}

#: A leet character inside or before a word: only then is the leet view worth building. One branch that
#: starts with a class, so sre can skip ahead (it cannot for an alternation). "!" counts only inside a
#: word (sh!t), not at a sentence end ("Great! Then").
_LEET_HINT = re.compile(
    r"[@4310!$57](?:(?<=[A-Za-z][@4310$57])|(?<=[A-Za-z]!)(?=[A-Za-z])|(?<=[@4310$57])(?=\s?[A-Za-z]))"
)
_MASK_CHARS = frozenset("*#_")
_VOWELS = frozenset("aeiouv")
#: Punctuation that ends a clause. Folding removes it, so "好笑，气死了" reads 好笑气死了 and would show the
#: term 笑气; a single clause break as the only gap inside a match is read as a boundary, not as evasion
#: (evasion fills every gap: 代。开。发。票).
_CLAUSE_BREAKS = frozenset("，。！？；：、,!?;")
_ASCII_WORD = frozenset("abcdefghijklmnopqrstuvwxyz0123456789")
_ASCII_WORD_RE = re.compile(r"[0-9A-Za-z]+")
_MASK_RUN = re.compile("a+")
_ASTRAL = re.compile("[\U00010000-\U0010ffff]")
_COLLAPSE_SPLIT = re.compile(r"([^0-9])\1+", re.DOTALL).split


@lru_cache(maxsize=1)
def _latin_word_mask() -> list[str]:
    """Dense ``str.translate`` table: chars that fold to ASCII letters/digits (ASCII, full-width, math,
    circled, Cyrillic/Greek look-alikes...) -> "a", everything else -> " ". A regex class of those chars
    would be tested range by range by sre (astral members defeat its bitmap): ~20x slower."""
    mask = [" "] * LIST_TABLE_SIZE
    for cp, rep in table_for(frozenset()).items():
        if cp < LIST_TABLE_SIZE and rep and rep.isascii() and rep.isalnum():
            mask[cp] = "a"
    for cp in [*range(0x30, 0x3A), *range(0x41, 0x5B), *range(0x61, 0x7B)]:
        mask[cp] = "a"
    return mask


@lru_cache(maxsize=8192)
def _fold_word(raw: str) -> tuple[str, str]:
    """A Latin word folded without and with repeat-collapse (English vocabulary repeats: memoised)."""
    flat = raw.lower() if raw.isascii() else normalize(raw, collapse=False)
    return flat, normalize(flat)


#: bytes.translate table: ASCII letters/digits -> themselves lower-cased, every other byte -> space.
_WORD_BYTES = bytes(c + 32 if 65 <= c <= 90 else c if 48 <= c <= 57 or 97 <= c <= 122 else 32 for c in range(256))
@lru_cache(maxsize=8192)
def _collapse_word(word: str) -> str:
    """A lower-cased ASCII word with its repeats collapsed (its folded form). Memoised per word: a cache
    hit costs less than the collapse regex over the whole text (English vocabulary repeats)."""
    return "".join(_COLLAPSE_SPLIT(word))


_MATCH_SPAN = re.Match.span  # a C-level callable for map(): no Python frame per word


def _latin_words(text: str) -> tuple[list[str], list[str], Callable[[], list[tuple[int, int]]]]:
    """The Latin words of ``text`` (runs of chars that fold to ASCII letters/digits): their folded forms
    without and with repeat-collapse, and a callable giving their spans in ``text``.

    The spans are only computed when asked for: most texts have no word that can begin a pattern.
    """
    if text.isascii() or not (_bmp_lookalikes().search(text) or _ASTRAL.search(text)):
        # Plain Latin letters: the folded forms of all words come out of a few C-level passes (for an
        # ASCII word, folding is lower-casing plus the repeat collapse). Every non-ASCII char encodes to
        # one "?" and every non-word byte becomes a space, so the split yields exactly the words that
        # _ASCII_WORD_RE finds, lower-cased, ~3x faster than the regex over a mostly-Han text.
        lowered = b" ".join(text.encode("ascii", "replace").translate(_WORD_BYTES).split()).decode("ascii")
        if not lowered:
            return [], [], list
        flats = lowered.split(" ")
        return flats, list(map(_collapse_word, flats)), lambda: list(map(_MATCH_SPAN, _ASCII_WORD_RE.finditer(text)))
    # Look-alike letters: the match runs over a mask, so words are sliced from the spans.
    spans = list(map(_MATCH_SPAN, _MASK_RUN.finditer(text.translate(_latin_word_mask()))))
    # map() over the C-level lru_cache wrapper: the per-word cost is one cache lookup.
    pairs = list(map(_fold_word, [text[a:b] for a, b in spans]))
    return [p[0] for p in pairs], [p[1] for p in pairs], lambda: spans


@lru_cache(maxsize=1)
def _bmp_lookalikes() -> re.Pattern[str]:
    """BMP chars beyond ASCII that fold to ASCII letters/digits. A BMP-only class is tested with a
    bitmap (~1 us per post); astral look-alikes are caught by the cheap any-astral test instead."""
    cps = sorted(
        cp for cp, rep in table_for(frozenset()).items() if rep and rep.isascii() and rep.isalnum() and 0x7F < cp <= 0xFFFF
    )
    parts: list[str] = []
    k = 0
    while k < len(cps):
        lo = hi = cps[k]
        while k + 1 < len(cps) and cps[k + 1] == hi + 1:
            k += 1
            hi = cps[k]
        parts.append(re.escape(chr(lo)) + ("-" + re.escape(chr(hi)) if hi > lo else ""))
        k += 1
    return re.compile(f"[{''.join(parts)}]")


@dataclass(frozen=True, slots=True)
class _Entry:
    """One written variant of a term (or an allowed word), as stored behind one automaton pattern."""

    term: LexiconTerm | None  # None for an allow-list word
    canonical: str
    runs: tuple[int, ...]
    evasion: str
    word_left: bool  # the pattern starts with a Latin letter/digit: needs a word boundary on the left
    word_right: bool


@dataclass(frozen=True, slots=True)
class LexiconHit:
    """A verified occurrence of a term. ``start``/``end`` index the ORIGINAL text (code points)."""

    start: int
    end: int
    excerpt: str
    normalized: str
    term: str
    category: str
    severity: int
    evasion: str
    score: float

    def evidence(self) -> dict[str, object]:
        return {
            "span": [self.start, self.end],
            "excerpt": self.excerpt,
            "normalized": self.normalized,
            "term": self.term,
            "category": self.category,
            "severity": self.severity,
            "evasion": self.evasion,
        }


def _is_word_char(ch: str) -> bool:
    """A character that continues a Latin word (judged after folding, so ``ｌ`` and ``𝐥`` count)."""
    folded = normalize(ch, collapse=False)
    return bool(folded) and folded.isascii() and folded.isalnum()


@lru_cache(maxsize=65536)
def _homophone_ok(seen: str, canonical: str) -> bool:
    """(Memoised: the same sound-alike words recur across posts.) Same sounds, at least one identical character, at most half of them (min. 1) substituted."""
    same = sum(a == b for a, b in zip(seen, canonical))
    subs = len(canonical) - same
    return same >= 1 and 1 <= subs <= max(1, len(canonical) // 2)


#: Long texts are matched in windows of this many chars, overlapping by OVERLAP (longer than any match).
WINDOW = 32_768
OVERLAP = 1_024


def _cut_between_words(text: str, pos: int) -> int:
    """A window edge at or just before ``pos`` that does not split a Latin word (looks back 64 chars)."""
    for p in range(pos, max(pos - 64, 0), -1):
        ch = text[p - 1]
        if not (ch.isascii() and ch.isalnum()):
            return p
    return pos


def _trim_run_start(text: str, start: int, run_end: int, ch: str, need: int) -> int:
    """Start of the last ``need`` characters folding to ``ch`` within ``text[start:run_end]``."""
    seen = 0
    for p in range(run_end - 1, start - 1, -1):
        if normalize(text[p], collapse=False) == ch:
            seen += 1
            if seen == need:
                return p
    return start


def _trim_run_end(text: str, run_start: int, end: int, ch: str, need: int) -> int:
    """End of the first ``need`` characters folding to ``ch`` within ``text[run_start:end]``."""
    seen = 0
    for p in range(run_start, end):
        if normalize(text[p], collapse=False) == ch:
            seen += 1
            if seen == need:
                return p + 1
    return end


def _only_a_clause_break(text: str, norm: Normalized, i: int, j: int) -> bool:
    """True when exactly one gap inside canonical slice [i, j) holds removed chars, all clause breaks/space."""
    filled = 0
    clause = False
    for k in range(i, j - 1):
        gap = text[norm.ends[k] : norm.starts[k + 1]]
        if not gap:
            continue
        filled += 1
        stripped = gap.strip()
        clause = bool(stripped) and all(c in _CLAUSE_BREAKS for c in stripped)
        if filled > 1 or not clause:
            return False
    return filled == 1 and clause


class LexiconMatcher:
    """Compiled term list. Build once (variant generation costs ~0.5 ms per term), then call :meth:`find`."""

    def __init__(self, terms: Iterable[LexiconTerm], allowed: Iterable[str] = ()) -> None:
        by_pattern: dict[str, list[_Entry]] = {}
        self._words: dict[str, list[_Entry]] = {}
        self._prefixes: set[str] = set()
        seen: set[tuple[str, str, str]] = set()

        def add(term: LexiconTerm | None, written: str, evasion: str) -> None:
            canon = normalize(written)
            if not canon or (len(canon) < 2 and evasion != EXACT):
                return
            key = (term.term if term else "", canon, evasion)
            if key in seen:
                return
            seen.add(key)
            # Repeat counts only differ from 1 when folding collapsed something (rare in terms).
            if len(canon) == len(normalize(written, collapse=False)):
                runs: tuple[int, ...] = (1,) * len(canon)
            else:
                runs = tuple(normalize_with_offsets(written).runs)
            first, last = canon[0], canon[-1]
            entry = _Entry(
                term,
                canon,
                runs,
                evasion,
                first.isascii() and first.isalnum(),
                last.isascii() and last.isalnum(),
            )
            if canon.isascii():
                # Latin patterns (English terms, pinyin, initials) must cover whole words of the original,
                # so they are looked up word by word (_word_matches) instead of scanned: English prose
                # read without spaces contains "as" (ass) and countless pinyin syllables everywhere.
                self._words.setdefault(canon, []).append(entry)
                if evasion == PINYIN:
                    # Writers split pinyin between syllables (dai kai fa piao), not inside one.
                    parts = written.split()
                    self._prefixes.update(normalize("".join(parts[:k])) for k in range(1, len(parts)))
                else:  # English terms and initials may be spaced letter by letter (f u c k, d k f p)
                    self._prefixes.update(canon[:k] for k in range(1, len(canon)))
            else:
                by_pattern.setdefault(phonetic_view(canon), []).append(entry)

        self._dictionary_words = dictionary_words()
        self.term_count = 0
        for t in terms:
            self.term_count += 1
            for v in term_variants(t.term):
                add(t, v.written, v.evasion)
        for word in allowed:
            add(None, word, EXACT)
        # Every folded word that can begin a Latin pattern; a lower-cased ASCII word with a repeat folds
        # differently, so its uncollapsed spellings are covered by the per-word check in _word_matches.
        self._starters = frozenset(self._prefixes) | frozenset(self._words)
        self.patterns = list(by_pattern)
        self._entries = [by_pattern[p] for p in self.patterns]
        self._ac = (
            ahocorasick_rs.AhoCorasick(self.patterns, matchkind=ahocorasick_rs.MatchKind.Standard)
            if self.patterns
            else None
        )

    def __len__(self) -> int:
        """Number of distinct patterns (automaton patterns plus Latin word patterns)."""
        return len(self.patterns) + len(self._words)

    def find(self, text: str) -> list[LexiconHit]:
        """Every verified term occurrence in ``text``, ordered by position.

        Texts longer than ``WINDOW`` chars are read in overlapping windows cut between words, so memory
        stays bounded (the offset map of a 10 MB post would take ~1 GB); hits are shifted and merged.
        """
        if len(text) <= WINDOW:
            return self._find(text)
        merged: dict[tuple[int, int, str], LexiconHit] = {}
        start, size = 0, len(text)
        while True:
            end = size if start + WINDOW >= size else _cut_between_words(text, start + WINDOW)
            for h in self._find(text[start:end]):
                moved = replace(h, start=h.start + start, end=h.end + start)
                key = (moved.start, moved.end, moved.term)
                if key not in merged or merged[key].score < moved.score:
                    merged[key] = moved
            if end >= size:
                break
            start = max(start + 1, _cut_between_words(text, end - OVERLAP))
        return sorted(merged.values(), key=lambda h: (h.start, h.end, h.term))

    def _find(self, text: str) -> list[LexiconHit]:
        if not text or (self._ac is None and not self._words):
            return []
        canon = normalize(text)
        if not canon:
            return []
        cands: list[tuple[int, int, _Entry, str]] = []
        allow: list[tuple[int, int]] = []
        if self._ac is not None and not canon.isascii():
            cands, allow = self._candidates(canon, phonetic_view(canon))
        words: list[tuple[int, int, str, _Entry, str]] = []
        allowed: list[tuple[int, int]] = []
        if self._words:
            words = self._word_matches(text, allowed, leet=False)
            if _LEET_HINT.search(text):
                # Leetspeak is read on a char-for-char translation of the original, so spans carry over.
                words += [w for w in self._word_matches(text.translate(LEET_TABLE), allowed, leet=True)]
        if not cands and not words:
            return []
        if allow and cands:
            # Drop candidates inside an allowed word before paying for offsets (三黄片 holds 黄片).
            cands = [c for c in cands if not any(a <= c[0] and c[1] <= b for a, b in allow)]
        if not cands and not words:
            return []
        norm = normalize_with_offsets(text) if cands or (allow and words) else None
        if norm is not None:
            allowed += [norm.span(i, j) for i, j in allow]
        hits: dict[tuple[int, int, str], LexiconHit] = {}
        for s, end, seen, e, evasion in words:
            self._add_hit(hits, text, s, end, seen, e, evasion, allowed)
        if cands and norm is not None:
            self._verify(text, norm, cands, allowed, hits)
        return sorted(hits.values(), key=lambda h: (h.start, h.end, h.term))

    @staticmethod
    def _add_hit(
        hits: dict[tuple[int, int, str], LexiconHit],
        text: str,
        s: int,
        end: int,
        seen: str,
        e: _Entry,
        evasion: str,
        allowed: list[tuple[int, int]],
    ) -> None:
        """Record a verified occurrence unless an allowed word covers it; keep the best score per span."""
        if e.term is None or any(a <= s and end <= b for a, b in allowed):
            return
        excerpt = text[s:end]
        if evasion == MASKED and not _MASK_CHARS.intersection(excerpt):
            return
        if evasion == EXACT and excerpt != e.term.term:
            evasion = NORMALIZED
        score = CERTAINTY[evasion] * (0.8 + 0.04 * e.term.severity)
        key = (s, end, e.term.term)
        old = hits.get(key)
        if old is None or old.score < score:
            hits[key] = LexiconHit(s, end, excerpt, seen, e.term.term, e.term.category, e.term.severity, evasion, score)

    def _word_matches(
        self, text: str, allowed: list[tuple[int, int]], *, leet: bool
    ) -> list[tuple[int, int, str, _Entry, str]]:
        """Latin patterns as runs of whole words: ``class`` never holds ``ass``; ``f u c k``, ``fuсk``,
        ``dai kai fa piao``, ``d k f p`` and ``f*ck`` are found. Consecutive words are joined while the
        join is a prefix of some pattern and only removable characters lie between them.

        Allowed words found on the way are appended to ``allowed`` (original spans).
        """
        flats, folds, get_spans = _latin_words(text)
        # Which words can begin a pattern: a set lookup per word, driven from C by map()/compress().
        starts = list(compress(range(len(folds)), map(self._starters.__contains__, folds)))
        if not starts:
            return []
        index, prefixes = self._words, self._prefixes
        # Most starters are mere prefixes ("a" of "ass") that reach no pattern even when joined with the
        # next words: drop them before paying for the spans. This is the join loop below without its gap
        # check, so a dropped start could never match (inlined: it runs for most posts).
        last = len(folds) - 1
        viable: list[int] = []
        for a in starts:
            folded, b = folds[a], a
            while folded not in index:
                if folded not in prefixes or b >= last:
                    break
                b += 1
                nxt = folds[b]
                folded += nxt[1:] if nxt[:1] == folded[-1:] else nxt
            else:
                viable.append(a)
        if not viable:
            return []
        starts = viable
        spans = get_spans()
        out: list[tuple[int, int, str, _Entry, str]] = []
        for a in starts:
            (start, end), joined, folded = spans[a], flats[a], folds[a]
            entries = index.get(folded)
            b = a
            while True:
                if entries:
                    runs = [len(list(g)) for _, g in groupby(joined)]
                    island = None
                    for e in entries:
                        if len(runs) != len(e.runs) or any(r < need for r, need in zip(runs, e.runs)):
                            continue
                        if (e.evasion == INITIALS and _VOWELS.intersection(e.canonical)) or (
                            e.evasion == PINYIN and len(e.canonical) <= 5
                        ):
                            # Initials with a vowel and short pinyin are ordinary English words often
                            # enough ("and", "bike"): count them only as a Latin island between non-Latin
                            # text. Vowel-less initials (dkfp, ssc) are not English and count anywhere.
                            if island is None:
                                island = self._is_island(text, spans, a, b)
                            if not island:
                                continue
                        if e.term is None:
                            allowed.append((start, end))
                        elif not leet:
                            out.append((start, end, folded, e, e.evasion))
                        elif e.evasion in (EXACT, MASKED):
                            out.append((start, end, folded, e, LEET))
                # A whole pattern may still grow by repeats ("a s s" folds to "as" before the last "s").
                if (folded not in prefixes and not entries) or b >= last:
                    break
                (nxt_start, nxt_end), nxt_joined, nxt_folded = spans[b + 1], flats[b + 1], folds[b + 1]
                if normalize(text[end:nxt_start], collapse=False):
                    break  # a letter or a Han character between the words: not one spelling
                joined += nxt_joined
                folded += nxt_folded[1:] if nxt_folded[:1] == folded[-1:] else nxt_folded
                end = nxt_end
                b += 1
                entries = index.get(folded)
        return out

    @staticmethod
    def _is_island(text: str, spans: list[tuple[int, int]], a: int, b: int) -> bool:
        """True when words[a..b] (by ``spans``) have no Latin word next to them except across non-Latin text."""
        if a > 0 and not normalize(text[spans[a - 1][1] : spans[a][0]], collapse=False):
            return False
        if b + 1 < len(spans) and not normalize(text[spans[b][1] : spans[b + 1][0]], collapse=False):
            return False
        return True

    def _candidates(
        self, canon: str, view: str
    ) -> tuple[list[tuple[int, int, _Entry, str]], list[tuple[int, int]]]:
        assert self._ac is not None
        cands: list[tuple[int, int, _Entry, str]] = []
        allow: list[tuple[int, int]] = []
        entries = self._entries
        size = len(canon)
        for pid, i, j in self._ac.find_matches_as_indexes(view, overlapping=True):
            seen = canon[i:j]
            for e in entries[pid]:
                if (e.word_left and i > 0 and canon[i - 1] in _ASCII_WORD and e.evasion == PINYIN) or (
                    e.word_right and j < size and canon[j] in _ASCII_WORD and e.evasion == PINYIN
                ):
                    continue  # the Latin end of a mixed form (代kai发票) must not run into more Latin
                if seen == e.canonical:
                    if e.term is None:
                        allow.append((i, j))
                    else:
                        cands.append((i, j, e, e.evasion))
                elif (
                    e.term is not None
                    and e.evasion == EXACT
                    and _homophone_ok(seen, e.canonical)
                    and seen not in self._dictionary_words
                ):
                    # A real word that merely sounds like a term (病毒 "virus" vs the term 冰毒) is not a
                    # disguise: pypinyin's phrase dictionary (47k words) vetoes it.
                    cands.append((i, j, e, HOMOPHONE))
        return cands, allow

    def _verify(
        self,
        text: str,
        norm: Normalized,
        cands: list[tuple[int, int, _Entry, str]],
        allowed: list[tuple[int, int]],
        hits: dict[tuple[int, int, str], LexiconHit],
    ) -> None:
        """Keep automaton candidates that pass the repeat, boundary, allow-list and clause checks."""
        runs = norm.runs
        for i, j, e, evasion in cands:
            if any(runs[i + k] < need for k, need in enumerate(e.runs)):
                continue  # the text repeats a character fewer times than the term does
            s, end = norm.span(i, j)
            if e.word_left and s > 0 and _is_word_char(text[s - 1]):
                # A run may have swallowed the last letter of the previous word ("and dai" -> "andai"):
                # retry from the last repeat(s) the pattern needs.
                s = _trim_run_start(text, s, norm.ends[i], norm.text[i], e.runs[0])
                if s > 0 and _is_word_char(text[s - 1]):
                    continue
            if e.word_right and end < len(text) and _is_word_char(text[end]):
                end = _trim_run_end(text, norm.starts[j - 1], end, norm.text[j - 1], e.runs[-1])
                if end < len(text) and _is_word_char(text[end]):
                    continue
            if end - s > j - i and _only_a_clause_break(text, norm, i, j):
                continue
            self._add_hit(hits, text, s, end, norm.text[i:j], e, evasion, allowed)
