"""The ``lexicon`` detector: operator term lists matched after normalization (SPEC capability F).

Evidence: ``span`` ([start, end) in the original field), ``excerpt``, ``normalized``, ``term``, ``category``,
``severity`` (1-5), ``evasion`` (exact, normalized, leet, masked, split, pinyin, homophone, initials) and
``field`` when the field is not ``text``. The score is the evasion's certainty scaled by severity.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, ClassVar

from brightline.detectors.base import Detector, ScreenContext
from brightline.model import Post, Signal
from brightline.registries import Registries
from brightline.text.lexicon import LexiconMatcher


class LexiconDetector(Detector):
    """Finds lexicon terms in a post's text and title.

    Options (pack.yaml ``detector_options: {lexicon: {...}}``): ``min_score`` (default 0) drops weaker hits;
    ``evasions`` (list) limits which evasion types may fire, e.g. to switch off ``initials``.
    """

    family: ClassVar[str] = "lexicon"
    emits: ClassVar[tuple[str, ...]] = ("lexicon",)
    kinds: ClassVar[frozenset[str]] = frozenset({"post"})

    def __init__(self, registries: Registries, options: dict[str, Any] | None = None) -> None:
        super().__init__(registries, options)
        lex = registries.lexicon
        self.matcher = LexiconMatcher(lex.terms, lex.allowed)
        self.min_score = float(self.options.get("min_score", 0.0))
        evasions = self.options.get("evasions")
        self.evasions = frozenset(evasions) if evasions else None

    def detect(self, item: Post, ctx: ScreenContext) -> Iterable[Signal]:  # type: ignore[override]
        out: list[Signal] = []
        for field, value in (("text", item.text), ("title", item.title)):
            if not value or not isinstance(value, str):
                continue
            for hit in self.matcher.find(value):
                if hit.score < self.min_score or (self.evasions is not None and hit.evasion not in self.evasions):
                    continue
                evidence = hit.evidence()
                if field != "text":
                    evidence["field"] = field
                out.append(Signal("lexicon", hit.score, evidence))
        return out
