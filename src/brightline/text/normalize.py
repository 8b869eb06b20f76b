"""The canonical matching form, fast (string only) and with an offset map back to the original text.

Both paths apply the same per-code-point table (:mod:`brightline.text.tables`) and the same repeat-collapse,
so ``normalize(t, **kw) == normalize_with_offsets(t, **kw).text`` for every input (a property test checks
it). The fast path is two C-level passes (``str.translate`` and one regex); the offset path is a few numpy
passes over the code points, run only for the texts that have a hit (a Python loop for the rare texts with
a char that expands to several).
"""

from __future__ import annotations

import re
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
    codes, protected = _offset_tables(keep)
    # One code point per array element; lone surrogates pass through (the table removes them).
    mapped = codes[_np().frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=_np().uint32)]
    if mapped.max() >= _EXPANDS:  # some char expands to several (ß -> ss, ⑩ -> 10) or lies beyond: rare
        return _offsets_by_loop(text, keep, collapse)
    # Vectorised over the code points (numpy): ~5 C-level passes instead of ~10 Python-level ones.
    kept = mapped != 0  # 0 = removed (NUL itself is removed, so no kept char can look like it)
    src = _np().flatnonzero(kept)
    folded = mapped[kept]
    size = len(folded)
    if collapse and size > 1:
        # A char heads a run unless it repeats the char before it and may collapse (digits may not).
        head = _np().empty(size, dtype=bool)
        head[0] = True
        _np().not_equal(folded[1:], folded[:-1], out=head[1:])
        head[1:] |= protected[folded[1:]]
        heads = _np().flatnonzero(head)
        if len(heads) < size:
            last = _np().empty_like(heads)  # the last repeat of each run: the run's one char covers all
            last[:-1] = heads[1:] - 1
            last[-1] = size - 1
            return Normalized(
                folded[heads].tobytes().decode("utf-32-le", "surrogatepass"),
                text,
                src[heads].tolist(),
                (src[last] + 1).tolist(),
                (last - heads + 1).tolist(),
            )
    return Normalized(
        folded.tobytes().decode("utf-32-le", "surrogatepass"), text, src.tolist(), (src + 1).tolist(), [1] * size
    )


#: Marks, in the numpy code table, a char whose replacement is not exactly one char (or that lies beyond
#: the dense table): such texts take the reference loop. Above every code point, so one max() finds it.
_EXPANDS = 0x110000


@lru_cache(maxsize=1)
def _np():  # type: ignore[no-untyped-def]
    """numpy, imported on first use: only texts with a lexicon candidate need the offset map."""
    import numpy

    return numpy


@lru_cache(maxsize=32)
def _offset_tables(keep: str | frozenset[str]):  # type: ignore[no-untyped-def]
    """numpy tables for the offset map: code point -> its one-char replacement's code point (0 = removed,
    ``_EXPANDS`` = take the loop), and code point -> never collapsed (digits, kept structure chars)."""
    np = _np()
    codes = np.full(0x110000, _EXPANDS, dtype=np.uint32)
    codes[:LIST_TABLE_SIZE] = [ord(rep) if len(rep) == 1 else 0 if not rep else _EXPANDS for rep in _plan(keep)[0]]
    protected = np.zeros(_EXPANDS + 1, dtype=bool)
    protected[[ord(c) for c in NO_COLLAPSE | _keep_set(keep)]] = True
    return codes, protected


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
