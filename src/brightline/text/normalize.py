"""The canonical matching form, fast (string only) and with an offset map back to the original text.

Both paths apply the same per-code-point table (:mod:`brightline.text.tables`) and the same repeat-collapse,
so ``normalize(t, **kw) == normalize_with_offsets(t, **kw).text`` for every input (a property test checks
it). The fast path is two C-level passes (``str.translate`` and one regex); the offset path is a Python loop
run only for the few texts that have a hit.
"""

from __future__ import annotations

import re
from itertools import compress
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache

from brightline.text.tables import LIST_TABLE_SIZE, CN_DIGITS, digits_table, list_table_for, table_for

__all__ = ["Normalized", "normalize", "normalize_with_offsets", "digits_view", "NO_COLLAPSE"]

#: Characters never collapsed when repeated: digit runs are data (phone numbers, QQ ids), Chinese
#: numerals become digits in :func:`digits_view`, so they must survive too.
NO_COLLAPSE = frozenset("0123456789") | frozenset(CN_DIGITS)


@dataclass(frozen=True, slots=True)
class Normalized:
    """A canonical text plus, for each of its characters, where it came from in the original.

    ``starts[k]``/``ends[k]`` are the ``[start, end)`` code-point offsets in ``original`` of the characters
    that produced normalized character ``k`` (a collapsed run covers all of its repeats, and any noise
    between them). ``runs[k]`` is how many identical characters were collapsed into it (1 if none).
    """

    text: str
    original: str
    starts: list[int] = field(repr=False)
    ends: list[int] = field(repr=False)
    runs: list[int] = field(repr=False)

    def __len__(self) -> int:
        return len(self.text)

    def span(self, i: int, j: int) -> tuple[int, int]:
        """Original ``[start, end)`` of normalized slice ``[i, j)``; an empty slice maps to an empty span."""
        n = len(self.text)
        i = max(0, min(i, n))
        j = max(i, min(j, n))
        if i == j:
            at = self.starts[i] if i < n else len(self.original)
            return at, at
        return self.starts[i], self.ends[j - 1]

    def excerpt(self, i: int, j: int) -> str:
        """The original characters behind normalized slice ``[i, j)``."""
        s, e = self.span(i, j)
        return self.original[s:e]


#: Texts up to this length are memoised, so several detectors normalizing the same post pay once.
_MEMO_MAX_CHARS = 4096
_BEYOND_LIST = re.compile(f"[{chr(LIST_TABLE_SIZE)}-\U0010ffff]")


@lru_cache(maxsize=32)
def _collapse_re(keep: frozenset[str]) -> re.Pattern[str]:
    protected = "".join(sorted(NO_COLLAPSE | keep))
    # Used with split(): the run is cut out and the captured single char is put back, which is ~2x
    # faster than sub(r"\1") (whose per-match template expansion runs in Python).
    return re.compile(f"([^{re.escape(protected)}])\\1+", re.DOTALL)


def _keep_set(keep: str | frozenset[str]) -> frozenset[str]:
    return keep if isinstance(keep, frozenset) else frozenset(keep)


def normalize(text: str, *, keep: str = "", collapse: bool = True) -> str:
    """Return the canonical matching form of ``text`` (see :mod:`brightline.text`).

    ``keep``: structural ASCII characters (any of ``.@/:_-+``) to keep instead of dropping, for URL/e-mail
    detection; with ``.`` kept, ``。·•`` and similar dots also become ``.``. ``collapse=False`` keeps
    repeated characters (handles, domains). Raises ValueError for a ``keep`` character outside that set.
    """
    if not text:
        return ""
    if len(text) <= _MEMO_MAX_CHARS:
        return _normalize_memo(text, keep, collapse)
    return _normalize(text, keep, collapse)


@lru_cache(maxsize=32)
def _plan(keep: str | frozenset[str]) -> tuple[list[str], dict[int, str], Callable[[str], list[str]]]:
    ks = _keep_set(keep)
    return list_table_for(ks), table_for(ks), _collapse_re(ks).split


@lru_cache(maxsize=32)
def _marked_table(keep: str | frozenset[str]) -> list[str]:
    """The dense table with removals written as "\0" instead of "", so positions survive translation."""
    return [rep or "\0" for rep in _plan(keep)[0]]


def _normalize(text: str, keep: str, collapse: bool) -> str:
    dense, sparse, split_runs = _plan(keep)
    out = text.translate(dense)
    if _BEYOND_LIST.search(out):  # rare: CJK Extension B+ and plane-14 tags/selectors
        out = out.translate(sparse)
    if collapse:
        out = "".join(split_runs(out))
    return out


_normalize_memo = lru_cache(maxsize=256)(_normalize)


def normalize_with_offsets(text: str, *, keep: str = "", collapse: bool = True) -> Normalized:
    """Like :func:`normalize`, plus the map from every canonical character to its original span."""
    if not text:
        return Normalized("", text or "", [], [], [])
    if _BEYOND_LIST.search(text):
        return _offsets_by_loop(text, keep, collapse)
    marked = text.translate(_marked_table(keep))
    if len(marked) != len(text):  # some char expands to several (ß -> ss, ⑩ -> 10): rare
        return _offsets_by_loop(text, keep, collapse)
    # Removed chars are marked "\0" (ord 0, falsy), so the original index of every kept char comes out of
    # C-level loops only; NUL itself is removed by the table, so no kept char can look like a mark.
    src = list(compress(range(len(text)), map(ord, marked)))
    folded = marked.replace("\0", "")
    if not collapse:
        return Normalized(folded, text, src, list(map(_plus_one, src)), [1] * len(src))
    spans = [m.span() for m in _collapse_re(_keep_set(keep)).finditer(folded)]
    if not spans:
        return Normalized(folded, text, src, list(map(_plus_one, src)), [1] * len(src))
    # Drop the repeats inside each run with a byte mask (C level), then fix up the run heads.
    kept = bytearray(b"\x01") * len(folded)
    for a, b in spans:
        kept[a + 1 : b] = bytes(b - a - 1)
    starts = list(compress(src, kept))
    ends = list(map(_plus_one, starts))
    runs = [1] * len(starts)
    removed = 0
    for a, b in spans:
        head = a - removed
        ends[head] = src[b - 1] + 1  # the run's one char covers every repeat
        runs[head] = b - a
        removed += b - a - 1
    return Normalized("".join(compress(folded, kept)), text, starts, ends, runs)


_plus_one = (1).__add__  # a C-level callable for map(): end offset = start + 1


def _offsets_by_loop(text: str, keep: str | frozenset[str], collapse: bool) -> Normalized:
    """Reference implementation, one char at a time; used for texts the C-level path cannot take."""
    ks = _keep_set(keep)
    get = table_for(ks).get
    protected = NO_COLLAPSE | ks
    chars: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    runs: list[int] = []
    prev = ""
    for i, ch in enumerate(text):
        rep = get(ord(ch), ch)
        for x in rep:
            if collapse and x == prev and x not in protected:
                ends[-1] = i + 1
                runs[-1] += 1
                continue
            chars.append(x)
            starts.append(i)
            ends.append(i + 1)
            runs.append(1)
            prev = x
    return Normalized("".join(chars), text, starts, ends, runs)


def digits_view(normalized_text: str) -> str:
    """Chinese numerals (零〇一二…九 幺 两 壹…玖) -> ASCII digits, char for char, so offsets carry over.

    Apply it to a canonical text (``Normalized.text``): the result has the same length, so
    ``Normalized.span`` still applies. Kept separate because mapping 一 -> 1 everywhere would break terms.
    """
    return normalized_text.translate(digits_table())
