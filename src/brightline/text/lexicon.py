"""The lexicon matcher: operator terms found in the canonical text, with evidence spans in the ORIGINAL.

How a text is searched (one Aho-Corasick scan in the common case):

1. ``normalize(text)`` (shared with the other text detectors through its memo), then its phonetic view
   (Han chars -> syllable class, same length). Every pattern is stored in that phonetic space, so one
   ahocorasick-rs scan finds exact, normalized, split, pinyin, initials and homophone candidates at once.
   pyahocorasick was measured ~100x slower on large CJK lists (reference §1.5; ``bench/text.py`` repeats it).
2. Candidates are verified on the canonical text: the slice must equal the variant, or, for a homophone,
   share at least one character with the term and differ in at most half of them.
3. Only texts with a verified candidate pay for the offset map: spans in the original, repeat counts (a
   text must repeat a character at least as often as the term: 哈 does not match the term 哈哈), whole-word
   boundaries for Latin patterns judged on the original text (``class`` never fires ``ass``, ``f u c k``
   does), allow-list spans (a match inside an allowed benign word is dropped).
4. Leetspeak (``f@ck``, ``sh1t``) is searched in a second view of the raw text, only when the text has a
   leet character next to a letter.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

import ahocorasick_rs

from brightline.registries.lexicon import LexiconTerm
from brightline.text.normalize import Normalized, normalize, normalize_with_offsets
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

#: A leet character touching a Latin letter: only then is the leet view worth building.
_LEET_HINT = re.compile(r"[A-Za-z][@4310!$57]|[@4310$57][A-Za-z]|\b[@4310$57] [A-Za-z]")
_MASK_CHARS = frozenset("*#_")
#: Punctuation that ends a clause. Folding removes it, so "好笑，气死了" reads 好笑气死了 and would show the
#: term 笑气; a single clause break as the only gap inside a match is read as a boundary, not as evasion
#: (evasion fills every gap: 代。开。发。票).
_CLAUSE_BREAKS = frozenset("，。！？；：、,!?;")


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


def _homophone_ok(seen: str, canonical: str) -> bool:
    """Same sounds, at least one identical character, at most half of them (min. 1) substituted."""
    same = sum(a == b for a, b in zip(seen, canonical))
    subs = len(canonical) - same
    return same >= 1 and 1 <= subs <= max(1, len(canonical) // 2)


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
    """Compiled term list. Build once (cost grows with the list: ~0.1 ms per term), then call :meth:`find`."""

    def __init__(self, terms: Iterable[LexiconTerm], allowed: Iterable[str] = ()) -> None:
        by_pattern: dict[str, list[_Entry]] = {}
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
            by_pattern.setdefault(phonetic_view(canon), []).append(entry)

        self.term_count = 0
        for t in terms:
            self.term_count += 1
            for v in term_variants(t.term):
                add(t, v.written, v.evasion)
        for word in allowed:
            add(None, word, EXACT)
        self.patterns = list(by_pattern)
        self._entries = [by_pattern[p] for p in self.patterns]
        self._ac = (
            ahocorasick_rs.AhoCorasick(self.patterns, matchkind=ahocorasick_rs.MatchKind.Standard)
            if self.patterns
            else None
        )

    def __len__(self) -> int:
        return len(self.patterns)

    def find(self, text: str) -> list[LexiconHit]:
        """Every verified term occurrence in ``text``, ordered by position."""
        if self._ac is None or not text:
            return []
        canon = normalize(text)
        if not canon:
            return []
        cands, allow = self._candidates(canon, phonetic_view(canon))
        leet_text = leet_canon = None
        leet_cands: list[tuple[int, int, _Entry, str]] = []
        if _LEET_HINT.search(text):
            leet_text = text.translate(LEET_TABLE)
            leet_canon = normalize(leet_text)
            # The leet view is scanned without the phonetic map, so only Latin patterns can match in it.
            leet_cands, leet_allow = self._candidates(leet_canon, leet_canon)
            leet_cands = [(i, j, e, LEET) for i, j, e, ev in leet_cands if ev in (EXACT, MASKED)]
        if not cands and not leet_cands:
            return []
        norm = normalize_with_offsets(text)
        allowed = [norm.span(i, j) for i, j in allow]
        hits: dict[tuple[int, int, str], LexiconHit] = {}
        self._verify(text, text, norm, cands, allowed, hits)
        if leet_cands and leet_text is not None:
            lnorm = normalize_with_offsets(leet_text)
            allowed += [lnorm.span(i, j) for i, j in leet_allow]
            self._verify(text, leet_text, lnorm, leet_cands, allowed, hits)
        return sorted(hits.values(), key=lambda h: (h.start, h.end, h.term))

    def _candidates(
        self, canon: str, view: str
    ) -> tuple[list[tuple[int, int, _Entry, str]], list[tuple[int, int]]]:
        assert self._ac is not None
        cands: list[tuple[int, int, _Entry, str]] = []
        allow: list[tuple[int, int]] = []
        entries = self._entries
        for pid, i, j in self._ac.find_matches_as_indexes(view, overlapping=True):
            seen = canon[i:j]
            for e in entries[pid]:
                if seen == e.canonical:
                    if e.term is None:
                        allow.append((i, j))
                    else:
                        cands.append((i, j, e, e.evasion))
                elif e.term is not None and e.evasion == EXACT and _homophone_ok(seen, e.canonical):
                    cands.append((i, j, e, HOMOPHONE))
        return cands, allow

    def _verify(
        self,
        text: str,
        view: str,
        norm: Normalized,
        cands: list[tuple[int, int, _Entry, str]],
        allowed: list[tuple[int, int]],
        hits: dict[tuple[int, int, str], LexiconHit],
    ) -> None:
        """Keep candidates that pass the repeat, boundary, allow-list and clause checks.

        ``view`` is the text ``norm`` was built from (the original, or its leet view: same length).
        """
        runs = norm.runs
        for i, j, e, evasion in cands:
            if any(runs[i + k] < need for k, need in enumerate(e.runs)):
                continue  # the text repeats a character fewer times than the term does
            s, end = norm.span(i, j)
            if e.word_left and s > 0 and _is_word_char(text[s - 1]):
                # A run may have swallowed the last letter of the previous word ("and dai" -> "andai"):
                # retry from the last repeat(s) the pattern needs.
                s = _trim_run_start(view, s, norm.ends[i], norm.text[i], e.runs[0])
                if s > 0 and _is_word_char(text[s - 1]):
                    continue
            if e.word_right and end < len(text) and _is_word_char(text[end]):
                end = _trim_run_end(view, norm.starts[j - 1], end, norm.text[j - 1], e.runs[-1])
                if end < len(text) and _is_word_char(text[end]):
                    continue
            if any(a <= s and end <= b for a, b in allowed):
                continue
            excerpt = text[s:end]
            if len(excerpt) > j - i and _only_a_clause_break(view, norm, i, j):
                continue
            if evasion == MASKED and not _MASK_CHARS.intersection(excerpt):
                continue
            assert e.term is not None
            if evasion == EXACT and excerpt != e.term.term:
                evasion = NORMALIZED
            score = CERTAINTY[evasion] * (0.8 + 0.04 * e.term.severity)
            key = (s, end, e.term.term)
            old = hits.get(key)
            if old is None or old.score < score:
                hits[key] = LexiconHit(
                    s, end, excerpt, norm.text[i:j], e.term.term, e.term.category, e.term.severity, evasion, score
                )
