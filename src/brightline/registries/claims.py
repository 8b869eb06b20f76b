"""The debunk registry: schema.org ClaimReview records as JSON-LD (a list, one object, or JSON Lines).

Only records whose rating says the claim is false (or misleading) are kept as debunks; the rating text is
kept as evidence. Errors name the record (JSON Lines: the line) that is broken.
"""

from __future__ import annotations

import json
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
    claim_id = str(obj.get("@id") or obj.get("identifier") or url or f"claim-{abs(hash(claim)) % 10**10}")
    return DebunkedClaim(
        id=claim_id,
        claim=claim.strip(),
        rating=rating,
        fact_checker=_name(obj.get("author")),
        url=str(url) if url else None,
        published=_date(obj.get("datePublished")),
        language=obj.get("inLanguage") if isinstance(obj.get("inLanguage"), str) else None,
    )


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
                if i == 1 and stripped.startswith("["):
                    raise RegistryError(p, f"broken JSON: {whole_err.msg}", whole_err.lineno) from None
                raise RegistryError(p, f"broken JSON: {exc.msg}", i) from None
    else:
        if isinstance(doc, dict) and "@graph" in doc:
            doc = doc["@graph"]
        items = doc if isinstance(doc, list) else [doc]
        records = [(obj, f"record {n}", None) for n, obj in enumerate(items, start=1)]
    claims: list[DebunkedClaim] = []
    seen: set[str] = set()
    for obj, where, line in records:
        parsed = parse_claim_review(obj, where, p, line)
        if parsed is None:
            continue
        if parsed.id in seen:
            raise RegistryError(p, f"{where}: duplicate claim id {parsed.id!r}", line)
        seen.add(parsed.id)
        claims.append(parsed)
    return ClaimRegistry(claims=claims, source=str(p))
