"""Professional qualification (SPEC capability C; seeds 002 §4, 004 (2)3, 003): ``qualification.missing``.

Two findings, both checked against the account's ``qualifications`` (domain, issuer, expiry vs the screening
date):

* an **account** whose display name, handle or bio claims a professional title (医生, 主任医师, 律师, 教授,
  分析师, doctor, lawyer, CFA…) without a current qualification in that title's domain (``basis: title``);
* a **post** giving medical, finance, legal or education advice (dosages, 吃什么药, 推荐买入, 目标价, 稳赚,
  起诉, 高考志愿…) by an account without a current qualification in that domain (``basis: advice``). When
  the account also claims a title in that domain the score rises: that is the pattern the seeds describe.

Evidence: ``domain``, ``basis``, ``status`` (none | expired | other_domain), ``span``/``excerpt`` (``field``
when not ``text``), ``cues`` or ``title`` (``claims_title`` on advice: the author's name or bio claims a title of that domain), and ``qualification`` (the expired or other-domain one, as shown
publicly) when there is one. Tables live in :mod:`brightline.registries.qualifications`.

Options (``detector_options.qualification``): ``min_advice_weight`` (default 1.0), ``domains`` (which of
medical/finance/legal/education to check; default all).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from brightline.detectors.base import Detector, ScreenContext
from brightline.detectors.source import CueHit, CueList
from brightline.model import Account, Post, Signal
from brightline.registries.qualifications import (
    ADVICE_CUES,
    DOMAINS,
    NEGATIONS,
    public_view,
    qualification_status,
    title_phrases,
)
from brightline.text import normalize

# A dosage is medical advice on its own: "500mg", "每次2片", "一日三次" (written digits or Chinese numerals).
_DOSAGE = re.compile(
    r"\d+(?:\.\d+)?\s*(?:mg|mcg|µg|毫克|微克|ml|毫升|片|粒|颗|袋)(?![a-z])"
    r"|(?:每日|每天|一天|一日|每次)\s*[0-9一二两三四五六]\s*(?:次|片|粒|颗)"
    r"|\b(?:once|twice|three times)\s+(?:a|per)\s+day\b",
    re.IGNORECASE,
)
# A dosage needs a unit or a frequency word: one literal alternation (no flags, so ``re`` skips ahead on its
# first characters) tests for any of these substrings before the full pattern runs.
_DOSAGE_UNITS = ("mg", "MG", "mcg", "µg", "ml", "ML", "毫克", "微克", "毫升", "片", "粒", "颗", "袋", "次", "once", "twice", "times")
_DOSAGE_UNIT_GATE = re.compile("|".join(re.escape(u) for u in _DOSAGE_UNITS))
# What each branch of _DOSAGE cannot match without (most texts holding 次/片 have none of it, and the full
# case-insensitive pattern costs ~80 ns a character): a digit (branch 1), a frequency word (branch 2), and
# "ce" or "hree t" case-insensitively (branch 3: once/twice/three times; re.IGNORECASE folds c, e, h, r, t
# only to their ASCII capitals, so ``str.lower`` covers it).
_DIGIT = re.compile(r"\d")
_FREQUENCY_WORDS = ("每日", "每天", "一天", "一日", "每次")


def _may_hold_dosage(value: str) -> bool:
    """False only when no branch of ``_DOSAGE`` can match in ``value``."""
    if any(w in value for w in _FREQUENCY_WORDS):
        return True
    low = value.lower()
    if "ce" in low or "hree t" in low:
        return True
    return _DIGIT.search(value) is not None


_ACCOUNT_FIELDS = ("display_name", "handle", "bio")


class QualificationDetector(Detector):
    """Flags titles and professional advice that the account's qualifications do not back."""

    family = "qualification"
    emits = ("qualification.missing",)
    kinds = frozenset({"post", "account"})

    def __init__(self, registries: Any, options: dict[str, Any] | None = None) -> None:
        super().__init__(registries, options)
        self.domains = tuple(d for d in self.options.get("domains", DOMAINS) if d in DOMAINS)
        self.min_advice_weight = float(self.options.get("min_advice_weight", 1.0))
        self.titles = CueList((t, d) for t, d in title_phrases() if d in self.domains)
        self.advice = CueList(
            (p, (d, w)) for d, cues in ADVICE_CUES.items() if d in self.domains for p, w in cues
        )

    def titles_of(self, account: Account) -> list[tuple[str, CueHit]]:
        """Title claims in the account's name fields, skipping denied ones (我不是医生, not a doctor)."""
        out = []
        for f in _ACCOUNT_FIELDS:
            value = getattr(account, f, "") or ""
            for hit in self.titles.find(value):
                before = value[max(0, hit.start - 9):hit.start].casefold()
                if any(before.endswith(n) or before.rstrip().endswith(n.strip()) for n in NEGATIONS):
                    continue
                out.append((f, hit))
        return out

    def advice_of(self, post: Post) -> dict[str, tuple[float, list[tuple[str, CueHit]]]]:
        """Per domain: summed weight of distinct advice phrases and the hits (located in the original text),
        over title and text. A cheap pass without offsets decides first whether any domain reaches the bar."""
        fields = [(f, v) for f, v in (("title", post.title or ""), ("text", post.text)) if v]
        gate: dict[str, dict[str, float]] = {}
        dosage: dict[str, list[CueHit]] = {}
        for f, value in fields:
            for h in self.advice.find(value, locate=False):
                gate.setdefault(h.tag[0], {})[h.phrase] = h.tag[1]
            if "medical" in self.domains and _DOSAGE_UNIT_GATE.search(value) and _may_hold_dosage(value):
                dosage[f] = [CueHit(m.group(0), ("medical", 1.0), m.start(), m.end(), m.group(0)) for m in _DOSAGE.finditer(value)]
                for h in dosage[f]:
                    gate.setdefault("medical", {})[h.phrase] = 1.0
        wanted = {d for d, phrases in gate.items() if sum(phrases.values()) >= self.min_advice_weight}
        by_domain: dict[str, tuple[float, list[tuple[str, CueHit]]]] = {}
        if not wanted:
            return by_domain
        for f, value in fields:
            for h in self.advice.find(value) + dosage.get(f, []):
                if h.tag[0] in wanted:
                    by_domain.setdefault(h.tag[0], (sum(gate[h.tag[0]].values()), []))[1].append((f, h))
        return by_domain

    def detect(self, item: Post | Account, ctx: ScreenContext) -> Iterable[Signal]:  # type: ignore[override]
        if isinstance(item, Account):
            return self._account(item, ctx.now.date())
        if isinstance(item, Post):
            advice = self.advice_of(item)
            if not advice:
                return []  # no advice reaches the bar: the author's titles and the clock are not needed
            return self._post(item, advice, ctx.account_of(item), ctx.now.date())
        return []

    def _account(self, account: Account, today: Any) -> list[Signal]:
        signals: list[Signal] = []
        done: set[str] = set()
        for f, hit in self.titles_of(account):
            domain = hit.tag
            if domain in done:
                continue
            done.add(domain)
            status, q = qualification_status(account, domain, today)
            if status == "current":
                continue
            ev: dict[str, Any] = {
                "domain": domain, "basis": "title", "status": status, "title": hit.phrase,
                "field": f, "span": [hit.start, hit.end], "excerpt": hit.excerpt,
            }
            if q is not None:
                ev["qualification"] = public_view(q)
            signals.append(Signal("qualification.missing", 0.85 if status != "expired" else 0.9, ev))
        return signals

    def _post(
        self, post: Post, advice: dict[str, tuple[float, list[tuple[str, CueHit]]]], account: Account | None, today: Any
    ) -> list[Signal]:
        signals: list[Signal] = []
        claimed = {h.tag: (f, h) for f, h in self.titles_of(account)} if account is not None else {}
        for domain, (weight, hits) in sorted(advice.items(), key=lambda kv: -kv[1][0]):
            if weight < self.min_advice_weight:
                continue
            status, q = qualification_status(account, domain, today)
            if status == "current":
                continue
            f, first = min(hits, key=lambda fh: (-fh[1].tag[1], fh[1].start))  # strongest cue first
            ev: dict[str, Any] = {
                "domain": domain, "basis": "advice", "status": status,
                "cues": sorted({h.phrase for _, h in hits})[:8],
                "span": [first.start, first.end], "excerpt": first.excerpt,
            }
            if f != "text":
                ev["field"] = f
            if q is not None:
                ev["qualification"] = public_view(q)
            score = min(0.85, 0.55 + 0.15 * weight)
            ev["claims_title"] = domain in claimed
            if domain in claimed:
                ev["title"] = claimed[domain][1].phrase
                score = 0.95
            signals.append(Signal("qualification.missing", round(score, 2), ev))
        return signals
