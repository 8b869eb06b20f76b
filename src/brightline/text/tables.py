"""Per-code-point tables behind the canonical matching form (see :mod:`brightline.text`).

Every step of the canonical form except repeat-collapse is a function of ONE code point, so it is folded
into a single ``{code point: replacement}`` dict and applied with ``str.translate`` (C speed). The dict is
built once from the libraries that own the data, and cached on disk:

- NFKC (``unicodedata``): full-width, compatibility, circled/parenthesised forms, mathematical alphanumerics.
- accent stripping for Latin/Greek/Cyrillic bases (NFD, drop combining marks) so ``fück`` == ``fuck``.
- case folding (``str.casefold``).
- traditional -> simplified, character level, from OpenCC's ``t2s`` dictionary (Apache-2.0).
- Unicode TR39 confusables -> Latin prototype, from ``disarm`` (MIT; confusables.txt 17.0), applied only to
  non-Han letters whose prototype is an ASCII letter or digit, so Cyrillic ``с`` becomes ``c`` while
  ``〇`` or ``丨`` stay Han.
- digits: anything with a Unicode digit value (``❶ ➀ ➊ ⓵ ⓿ ٣``) -> ASCII, ``⑩``..``⑳`` -> ``10``..``20``.
- removal of default-ignorable code points (``regex`` ``\\p{Default_Ignorable_Code_Point}``: zero-width
  chars, U+3164 HANGUL FILLER, U+FE0F, tag characters...) and of every char that is not a letter or a
  number (punctuation, symbols, emoji, spaces, controls, marks, lone surrogates, BMP private use).

Unassigned code points and the supplementary private-use planes are not in the dict and pass through
unchanged (listing them would cost ~800k entries for characters no real text contains).
"""

from __future__ import annotations

import hashlib
import logging
import marshal
import os
import sys
import tempfile
import unicodedata
from functools import lru_cache
from pathlib import Path

log = logging.getLogger(__name__)

#: Bump when the table semantics change so stale disk caches are ignored.
TABLE_VERSION = 4

#: Code point ranges scanned when the table is built: planes 0-3 (everything assigned that real text uses)
#: plus the tag characters and variation selectors supplement in plane 14. BMP private use is included.
_SCAN_RANGES: tuple[tuple[int, int], ...] = ((0x0000, 0x40000), (0xE0000, 0xE1000))

#: Structural ASCII characters a caller may ask to keep (``keep=``) for URL / e-mail / handle detection.
KEEPABLE = frozenset(".@/:_-+")

#: Extra characters that become ``.`` when ``.`` is kept: writers use them in ``t·me`` or ``qq。com``.
DOT_LIKE = "。｡・·•․‧∙⋅･"

#: Chinese numerals mapped to ASCII digits in the separate digits view (one char -> one char).
#: The input is already canonical, so traditional forms (貳, 兩, 陸) arrive simplified. 幺 and 两 are the
#: spoken readings of 1 and 2 in phone numbers.
CN_DIGITS: dict[str, str] = {
    "零": "0", "〇": "0",
    "一": "1", "幺": "1", "壹": "1",
    "二": "2", "两": "2", "贰": "2",
    "三": "3", "叁": "3",
    "四": "4", "肆": "4",
    "五": "5", "伍": "5",
    "六": "6", "陆": "6",
    "七": "7", "柒": "7",
    "八": "8", "捌": "8",
    "九": "9", "玖": "9",
}


def _is_han(ch: str) -> bool:
    cp = ord(ch)
    return (
        0x3400 <= cp <= 0x4DBF
        or 0x4E00 <= cp <= 0x9FFF
        or 0xF900 <= cp <= 0xFAFF
        or 0x20000 <= cp <= 0x3FFFF
    )


def _is_kept_category(ch: str) -> bool:
    """Letters and numbers survive; everything else (P, S, Z, C, M) is noise between characters."""
    return unicodedata.category(ch)[0] in "LN"


def _digit_of(ch: str) -> str | None:
    """ASCII digits for a char with a Unicode digit value (❶, ➀, ⓵, ٣...) or a 10-20 enclosed number (⑩)."""
    if "0" <= ch <= "9" or _is_han(ch):
        return None
    d = unicodedata.digit(ch, None)
    if d is not None:
        return str(d)
    if unicodedata.category(ch) == "No":
        v = unicodedata.numeric(ch, None)
        if v is not None and float(v).is_integer() and 10 <= v <= 20:
            return str(int(v))
    return None


def _strip_marks(s: str) -> str:
    """Drop combining marks on Latin/Greek/Cyrillic bases (é -> e), leave other scripts whole."""
    out = []
    for ch in s:
        if ord(ch) < 0x0530 and not ch.isascii():
            d = unicodedata.normalize("NFD", ch)
            out.append("".join(x for x in d if not unicodedata.category(x).startswith("M")))
        else:
            out.append(ch)
    return "".join(out)


def _library_fingerprint() -> str:
    """Versions of everything the table depends on; part of the disk-cache key."""
    parts = [f"v{TABLE_VERSION}", sys.version.split()[0], unicodedata.unidata_version]
    for mod in ("opencc", "disarm", "regex"):
        try:
            m = __import__(mod)
            parts.append(f"{mod}={getattr(m, '__version__', getattr(m, 'CONFUSABLES_VERSION', '?'))}")
        except ImportError:
            parts.append(f"{mod}=missing")
    parts.append(hashlib.sha256(Path(__file__).read_bytes()).hexdigest()[:16])
    return hashlib.sha256("|".join(parts).encode()).hexdigest()[:20]


def _build() -> tuple[dict[int, str], list[int]]:
    """Compute the base table and the code points whose mapping contains a keepable ASCII char."""
    import disarm
    import opencc
    import regex

    ignorable = regex.compile(r"\p{Default_Ignorable_Code_Point}")

    # Traditional -> simplified, one char at a time: joining with newlines stops OpenCC's phrase
    # segmentation from spanning two characters, and one call converts the whole repertoire.
    han = [chr(cp) for lo, hi in _SCAN_RANGES for cp in range(lo, hi) if _is_han(chr(cp))]
    converted = opencc.OpenCC("t2s").convert("\n".join(han)).split("\n")
    t2s: dict[str, str] = {}
    if len(converted) == len(han):
        t2s = {a: b for a, b in zip(han, converted) if a != b and len(b) == 1}
    else:  # pragma: no cover - only if OpenCC ever merges lines
        log.warning("OpenCC t2s conversion changed the line count; traditional forms are not folded")

    confusable_cache: dict[str, str] = {}

    def confusable(ch: str) -> str:
        got = confusable_cache.get(ch)
        if got is None:
            proto = disarm.normalize_confusables(ch).casefold()
            # Only fold to an ASCII prototype: a Cyrillic/Greek/math letter posing as Latin.
            got = proto if proto != ch and proto.isascii() and proto.isalnum() else ch
            confusable_cache[ch] = got
        return got

    def premap(ch: str) -> str:
        """Everything but the category filter."""
        if ignorable.match(ch):
            return ""
        s = _strip_marks(unicodedata.normalize("NFKC", ch))
        out = []
        for x in s:
            if x.isascii():
                out.append(x.casefold())
            elif _is_han(x):
                out.append(t2s.get(x, x))
            elif (d := _digit_of(x)) is not None:
                out.append(d)
            elif unicodedata.category(x)[0] == "L":
                # Prototype before case folding: Greek Η looks like H, its lower case η like n.
                proto = confusable(x)
                if proto == x:
                    proto = "".join(confusable(y) for y in x.casefold())
                out.append(proto)
            else:
                out.append(x.casefold())
        return "".join(out)

    table: dict[int, str] = {}
    keep_candidates: list[int] = []
    for lo, hi in _SCAN_RANGES:
        for cp in range(lo, hi):
            ch = chr(cp)
            cat = unicodedata.category(ch)
            if cat == "Cn":
                continue
            if cat == "Lo" and _is_han(ch) and ch not in t2s and unicodedata.normalize("NFKC", ch) == ch:
                continue  # the bulk: Han chars that map to themselves
            pre = premap(ch)
            mapped = "".join(x for x in pre if _is_kept_category(x))
            if mapped != ch:
                table[cp] = mapped
            if any(x in KEEPABLE for x in pre) or ch in DOT_LIKE:
                keep_candidates.append(cp)

    # Fixpoint: a replacement must itself be canonical so that normalize(normalize(x)) == normalize(x).
    for _ in range(3):
        changed = False
        for cp, rep in table.items():
            again = rep.translate(table)
            if again != rep:
                table[cp] = again
                changed = True
        if not changed:
            break
    return table, keep_candidates


def cache_dir() -> Path:
    """Where built tables are cached: ``$BRIGHTLINE_CACHE_DIR`` or ``$XDG_CACHE_HOME/brightline``."""
    env = os.environ.get("BRIGHTLINE_CACHE_DIR")
    if env:
        return Path(env)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "brightline"


@lru_cache(maxsize=1)
def base_table() -> tuple[dict[int, str], tuple[int, ...]]:
    """The default table (nothing kept) and the keep candidates, from the disk cache or built now."""
    path = cache_dir() / f"normalize-{_library_fingerprint()}.marshal"
    try:
        table, cands = marshal.loads(path.read_bytes())
        if isinstance(table, dict) and isinstance(cands, tuple):
            return table, cands
    except (OSError, ValueError, EOFError, TypeError):
        pass
    table, cands_list = _build()
    cands = tuple(cands_list)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        # Write-then-rename so concurrent processes never read a half-written cache.
        with tempfile.NamedTemporaryFile(dir=path.parent, delete=False, suffix=".tmp") as fh:
            fh.write(marshal.dumps((table, cands)))
        os.replace(fh.name, path)
    except OSError as exc:  # a read-only home is fine: we just rebuild next time
        log.debug("cannot cache normalization table at %s: %s", path, exc)
    return table, cands


@lru_cache(maxsize=32)
def table_for(keep: frozenset[str]) -> dict[int, str]:
    """The translate table that additionally keeps the structural chars in ``keep`` (subset of KEEPABLE)."""
    base, cands = base_table()
    if not keep:
        return base
    bad = keep - KEEPABLE
    if bad:
        raise ValueError(f"keep may only contain {''.join(sorted(KEEPABLE))!r}, got {''.join(sorted(bad))!r}")
    table = dict(base)
    for cp in cands:
        ch = chr(cp)
        if ch in DOT_LIKE:
            if "." in keep:
                table[cp] = "."
            continue
        # Recompute only the chars whose compatibility form holds a keepable char (＠, ／, ．, ⒈ ...).
        pre = _strip_marks(unicodedata.normalize("NFKC", ch)).casefold()
        mapped = "".join(base.get(ord(x), x) if x not in keep else x for x in pre)
        if mapped != ch:
            table[cp] = mapped
        else:
            table.pop(cp, None)
    return table


#: The list-form table covers code points below this bound (BMP, SMP with emoji and math letters).
LIST_TABLE_SIZE = 0x20000


@lru_cache(maxsize=32)
def list_table_for(keep: frozenset[str]) -> list[str]:
    """The same mapping as :func:`table_for` as a list indexed by code point, for ``str.translate``.

    Why: with a sparse dict every unchanged character costs ``str.translate`` a raised-and-cleared
    KeyError; a dense list is ~3x faster. Code points at or above ``LIST_TABLE_SIZE`` raise IndexError and
    pass through unchanged, so callers finish those (rare) characters with the dict table.
    """
    table = table_for(keep)
    dense = [chr(cp) for cp in range(LIST_TABLE_SIZE)]
    for cp, rep in table.items():
        if cp < LIST_TABLE_SIZE:
            dense[cp] = rep
    return dense


@lru_cache(maxsize=1)
def digits_table() -> dict[int, str]:
    """Chinese numerals -> ASCII digits, one char to one char (used by :func:`digits_view`)."""
    return {ord(k): v for k, v in CN_DIGITS.items()}
