"""The debunk registry: schema.org ClaimReview records as JSON-LD (a list, one object, or JSON Lines).

Only records whose rating says the claim is false (or misleading) are kept as debunks; the rating text is
kept as evidence. Errors name the record and its line (in a JSON list or ``@graph`` too) that is broken:
missing ``claimReviewed``, wrong ``@type``, a ``datePublished`` that is not a date, a duplicate id.
Records without ``@id``/``identifier``/``url`` get an id derived from the claim text (stable across runs).
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from brightline.errors import RegistryError

FALSE_RATINGS = (
    "false", "mostly false", "misleading", "fake", "pants on fire", "incorrect", "wrong", "fabricated",
    "謠言", "谣言", "不实", "不實", "错误", "錯誤", "虚假", "虛假", "误导", "誤導", "假", "辟谣",
)


@dataclass(frozen=True, slots=True)
class DebunkedClaim:
    id: str
    claim: str
    rating: str
    fact_checker: str
    url: str | None
    published: date | None
    language: str | None = None


@dataclass
class ClaimRegistry:
    claims: list[DebunkedClaim] = field(default_factory=list)
    source: str | None = None

    def __len__(self) -> int:
        return len(self.claims)


def _name(value: Any) -> str:
    if isinstance(value, dict):
        return str(value.get("name") or value.get("@id") or "")
    if isinstance(value, list) and value:
        return _name(value[0])
    return str(value or "")


def _date(value: Any) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


def _language(value: Any) -> str | None:
    # inLanguage is text ("zh") or a Language object ({"@type": "Language", "name": "zh"}).
    if isinstance(value, dict):
        value = value.get("alternateName") or value.get("name")
    return value if isinstance(value, str) and value else None


def _is_false(rating: str, value: Any, worst: Any) -> bool:
    low = rating.strip().lower()
    if any(r in low for r in FALSE_RATINGS):
        return True
    try:
        return value is not None and worst is not None and float(value) <= float(worst)
    except (TypeError, ValueError):
        return False


def parse_claim_review(obj: Any, where: str, path: str | Path, line: int | None) -> DebunkedClaim | None:
    """Turn one ClaimReview object into a DebunkedClaim, or None when its rating is not a debunk."""
    if not isinstance(obj, dict):
        raise RegistryError(path, f"{where}: expected a JSON object, got {type(obj).__name__}", line)
    types = obj.get("@type")
    types = types if isinstance(types, list) else [types]
    if "ClaimReview" not in types:
        raise RegistryError(path, f"{where}: @type is {obj.get('@type')!r}, expected ClaimReview", line)
    claim = obj.get("claimReviewed")
    if not isinstance(claim, str) or not claim.strip():
        raise RegistryError(path, f"{where}: claimReviewed is missing or not text", line)
    rating_obj = obj.get("reviewRating") or {}
    if not isinstance(rating_obj, dict):
        raise RegistryError(path, f"{where}: reviewRating must be an object", line)
    rating = str(rating_obj.get("alternateName") or rating_obj.get("name") or "")
    if not _is_false(rating, rating_obj.get("ratingValue"), rating_obj.get("worstRating")):
        return None
    url = obj.get("url")
    # Without an id or URL the id is derived from the text, so it is the same in every run and process.
    claim_id = str(
        obj.get("@id") or obj.get("identifier") or url or "claim-" + hashlib.sha1(claim.strip().encode()).hexdigest()[:12]
    )
    published_raw = obj.get("datePublished")
    published = _date(published_raw)
    if published_raw and published is None:
        raise RegistryError(path, f"{where}: datePublished {published_raw!r} is not an ISO date (YYYY-MM-DD)", line)
    if url is not None and not isinstance(url, str):
        raise RegistryError(path, f"{where}: url must be text", line)
    return DebunkedClaim(
        id=claim_id,
        claim=claim.strip(),
        rating=rating,
        fact_checker=_name(obj.get("author")),
        url=str(url) if url else None,
        published=published,
        language=_language(obj.get("inLanguage")),
    )


_GRAPH_START = re.compile(r'"@graph"\s*:\s*\[')
_DECODER = json.JSONDecoder()


def _element_lines(text: str, open_bracket: int) -> list[int]:
    """Line number on which each element of the JSON array starting at ``open_bracket`` begins, so an
    error in a record of a JSON-LD list names its line, not only its position."""
    lines: list[int] = []
    i, n, line, counted = open_bracket + 1, len(text), 1 + text.count("\n", 0, open_bracket + 1), open_bracket + 1
    try:
        while i < n:
            while i < n and text[i] in " \t\r\n,":
                i += 1
            if i >= n or text[i] == "]":
                break
            line += text.count("\n", counted, i)
            counted = i
            lines.append(line)
            _, i = _DECODER.raw_decode(text, i)
    except json.JSONDecodeError:
        pass
    return lines


def load_claims(path: str | Path) -> ClaimRegistry:
    """Load ClaimReview JSON-LD (list, single object, ``@graph``, or JSON Lines)."""
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise RegistryError(p, f"cannot read file: {exc.strerror or exc}") from None
    except UnicodeDecodeError as exc:
        raise RegistryError(p, f"not UTF-8 (byte {exc.start})") from None
    records: list[tuple[Any, str, int | None]] = []
    stripped = text.lstrip()
    if not stripped:
        return ClaimRegistry(source=str(p))
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as whole_err:
        # Not one JSON document: read it as JSON Lines.
        for i, ln in enumerate(text.splitlines(), start=1):
            if not ln.strip():
                continue
            try:
                records.append((json.loads(ln), f"line {i}", i))
            except json.JSONDecodeError as exc:
                if not records:
                    # The first record does not parse alone either: this is one broken JSON document.
                    raise RegistryError(p, f"broken JSON: {whole_err.msg}", whole_err.lineno) from None
                raise RegistryError(p, f"broken JSON: {exc.msg}", i) from None
    else:
        array_at: int | None = None  # where the records' JSON array opens, to find a bad record's line
        if isinstance(doc, dict) and "@graph" in doc:
            doc = doc["@graph"]
            m = _GRAPH_START.search(text)
            array_at = m.end() - 1 if m and isinstance(doc, list) else None
        elif isinstance(doc, list):
            array_at = len(text) - len(stripped)
        items = doc if isinstance(doc, list) else [doc]
        records = [(obj, f"record {n}", None if array_at is not None else 1) for n, obj in enumerate(items, start=1)]
    claims: list[DebunkedClaim] = []
    seen: set[str] = set()
    for n, (obj, where, line) in enumerate(records):
        try:
            parsed = parse_claim_review(obj, where, p, line)
            if parsed is not None and parsed.id in seen:
                raise RegistryError(p, f"{where}: duplicate claim id {parsed.id!r}", line)
        except RegistryError as exc:
            if line is None and array_at is not None:
                # Only now, on the error path, find the record's line: the happy path parses once.
                lines = _element_lines(text, array_at)
                if n < len(lines):
                    raise RegistryError(p, str(exc)[len(exc.path) + 2:], lines[n]) from None
            raise
        if parsed is None:
            continue
        seen.add(parsed.id)
        claims.append(parsed)
    return ClaimRegistry(claims=claims, source=str(p))
