"""The operator term list: ``term,category,severity`` CSV (SPEC "Operator data").

Rows whose category is ``allow`` form the allow-list: benign superstrings of listed terms (e.g. the term
黄片 with the allowed word 三黄片 ... or "class" for "ass"). A match lying inside an allowed word is dropped.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from brightline.errors import RegistryError
from brightline.registries.csvfile import read_rows

ALLOW_CATEGORY = "allow"


@dataclass(frozen=True, slots=True)
class LexiconTerm:
    term: str
    category: str
    severity: int


@dataclass
class Lexicon:
    """Terms to find and allowed benign words, as loaded; detectors compile them once."""

    terms: list[LexiconTerm] = field(default_factory=list)
    allowed: list[str] = field(default_factory=list)
    source: str | None = None

    def __len__(self) -> int:
        return len(self.terms)


def load_lexicon(path: str | Path) -> Lexicon:
    """Load a lexicon CSV. Duplicate terms keep the highest severity. Errors name the line."""
    by_term: dict[str, LexiconTerm] = {}
    allowed: list[str] = []
    for line, row in read_rows(path, ("term", "category", "severity")):
        term, category = row["term"], row["category"].strip().lower()
        if category == ALLOW_CATEGORY:
            allowed.append(term)
            continue
        if not category:
            raise RegistryError(path, "column 'category' is empty", line)
        try:
            severity = int(row["severity"])
        except ValueError:
            raise RegistryError(path, f"severity must be an integer 1-5, got {row['severity']!r}", line) from None
        if not 1 <= severity <= 5:
            raise RegistryError(path, f"severity must be 1-5, got {severity}", line)
        old = by_term.get(term)
        if old is None or old.severity < severity:
            by_term[term] = LexiconTerm(term, category, severity)
    return Lexicon(terms=list(by_term.values()), allowed=allowed, source=str(path))
