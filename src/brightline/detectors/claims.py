"""Debunked claims (SPEC capability E; seeds 002 §1–2, 004 (1)): ``claims.debunked``.

Matches a post's title and text against the ClaimReview registry (``--claims``) with
:class:`brightline.text.claims_index.ClaimIndex`: reworded, shortened, padded, traditional vs simplified,
symbols inserted. Evidence names the claim and who debunked it: ``claim_id``, ``claim``, ``fact_checker``,
``review_url``, ``rating``, ``debunked_on``, ``similarity``, ``span``/``excerpt`` of the matching passage
(``field`` when it is the title), and ``after_debunk``: true when the post was created (or, without
``created_at``, is screened) after the review was published — knowingly repeating a debunked claim, the
stronger signal the enforcement ladder escalates on (seed 004 (1)3). A post that quotes a claim to refute it
(谣言, 辟谣, "false", "myth" around the passage) raises nothing.

Options (``detector_options.claims``): ``min_similarity`` (default 0.5), ``max_matches`` (default 3).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from brightline.detectors.base import Detector, ScreenContext
from brightline.model import Post, Signal
from brightline.text.claims_index import ClaimIndex


class ClaimsDetector(Detector):
    """Finds posts that repeat a claim a named fact-checker has rated false."""

    family = "claims"
    emits = ("claims.debunked",)
    kinds = frozenset({"post"})

    def __init__(self, registries: Any, options: dict[str, Any] | None = None) -> None:
        super().__init__(registries, options)
        self.claims = list(registries.claims.claims)
        self.max_matches = int(self.options.get("max_matches", 3))
        self.index = ClaimIndex(
            (c.claim for c in self.claims), min_similarity=float(self.options.get("min_similarity", 0.5))
        )

    def detect(self, item: Post, ctx: ScreenContext) -> Iterable[Signal]:  # type: ignore[override]
        if not self.claims:
            return []
        posted: date | None = None  # the clock is read only when a claim matches
        found: dict[int, Signal] = {}
        for field, text in (("title", item.title or ""), ("text", item.text)):
            if not text:
                continue
            for m in self.index.search(text, limit=self.max_matches):
                if m.refuted or (m.claim in found and found[m.claim].score >= m.similarity):
                    continue
                c = self.claims[m.claim]
                if posted is None:
                    posted = (item.created_at or ctx.now).date()
                ev: dict[str, Any] = {
                    "claim_id": c.id,
                    "claim": c.claim,
                    "fact_checker": c.fact_checker,
                    "review_url": c.url,
                    "rating": c.rating,
                    "similarity": round(m.similarity, 3),
                    "span": [m.span[0], m.span[1]],
                    "excerpt": text[m.span[0]:m.span[1]],
                    "after_debunk": c.published is not None and posted > c.published,
                }
                if c.published is not None:
                    ev["debunked_on"] = c.published.isoformat()
                if field != "text":
                    ev["field"] = field
                found[m.claim] = Signal("claims.debunked", round(float(m.similarity), 4), ev)
        return sorted(found.values(), key=lambda s: -s.score)[: self.max_matches]
