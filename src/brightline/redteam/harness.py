"""The red-team harness (capability L, seed 000 "Red-Blue Confrontation"): disguise known violations with
every evasion type, screen them with the Engine, and measure each detector's recall.

A variant counts as caught when the seed's detector raises a signal that recovers the seed itself: the
lexicon signal names the term (``evidence.term``), the diversion signal recovers the contact or link
(``evidence.value``). A signal of the right detector that recovers something else is a miss: a filter
that fires on the carrier sentence would otherwise look perfect.

Each variant is embedded in a carrier sentence of the seed's language; before counting anything the
harness checks that no carrier triggers any of the measured detectors by itself.
"""

from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from brightline.engine import Engine
from brightline.errors import BrightlineError
from brightline.model import Post, Signal
from brightline.redteam.seeds import DEFAULT_CONTACTS, Seed
from brightline.redteam.variants import EVASION_TYPES, Variant, make_variant

#: Carrier sentences; ``{x}`` is replaced by the disguised seed.
CARRIERS_ZH: tuple[str, ...] = (
    "想要完整资料的姐妹，{x}，备注来意",
    "兼职日结，宝妈学生都可以做，{x}",
    "平台限流了，老粉丝来这里 {x} 找我",
    "今天的分享就到这里 {x} 手慢无",
    "{x} 欢迎咨询，诚信经营",
)
CARRIERS_EN: tuple[str, ...] = (
    "Earn from home this week, {x}",
    "DM for the full list or {x}",
    "Limited spots left! {x}",
    "{x} for details, serious buyers only",
)
TERM_CARRIERS_ZH: tuple[str, ...] = ("最近总有人私信说{x}，大家小心", "听说{x}来钱快？", "群里又在发{x}的广告了")
TERM_CARRIERS_EN: tuple[str, ...] = ("Got another message about {x} today", "Someone keeps posting {x} ads here")


@dataclass
class Tally:
    """Variants screened and caught for one (detector, evasion) cell or total."""

    total: int = 0
    caught: int = 0

    @property
    def recall(self) -> float:
        return self.caught / self.total if self.total else 0.0

    def add(self, hit: bool) -> None:
        self.total += 1
        self.caught += hit


@dataclass
class Miss:
    detector: str
    evasion: str
    seed: str
    text: str
    got: list[str]


@dataclass
class RedteamReport:
    """Recall per detector, per (detector, evasion) and overall, with a sample of misses."""

    per_detector: dict[str, Tally] = field(default_factory=dict)
    per_evasion: dict[tuple[str, str], Tally] = field(default_factory=dict)
    overall: Tally = field(default_factory=Tally)
    misses: list[Miss] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    seeds: int = 0

    def to_dict(self) -> dict[str, Any]:
        return {
            "overall": {"variants": self.overall.total, "caught": self.overall.caught,
                        "recall": round(self.overall.recall, 4)},
            "detectors": {d: {"variants": t.total, "caught": t.caught, "recall": round(t.recall, 4)}
                          for d, t in sorted(self.per_detector.items())},
            "evasions": [
                {"detector": d, "evasion": e, "variants": t.total, "caught": t.caught, "recall": round(t.recall, 4)}
                for (d, e), t in sorted(self.per_evasion.items(), key=lambda kv: (kv[0][0], _order(kv[0][1])))
            ],
            "misses": [m.__dict__ for m in self.misses],
            "skipped": self.skipped,
            "seeds": self.seeds,
        }


def _order(evasion: str) -> int:
    return EVASION_TYPES.index(evasion) if evasion in EVASION_TYPES else len(EVASION_TYPES)


def default_seeds(engine: Engine) -> list[Seed]:
    """The engine's own lexicon terms (bundled or ``--lexicon``) and the bundled contact seeds."""
    terms = [Seed("term", t.term) for t in engine.registries.lexicon.terms]
    return terms + list(DEFAULT_CONTACTS)


def _is_zh(seed: Seed) -> bool:
    return seed.kind == "contact" and seed.channel in ("wechat", "qq", "phone", "telegram") or not seed.value.isascii()


def _carriers(seed: Seed) -> tuple[str, ...]:
    if seed.kind == "term":
        return TERM_CARRIERS_EN if seed.value.isascii() else TERM_CARRIERS_ZH
    return CARRIERS_ZH if _is_zh(seed) else CARRIERS_EN


def _recovered(sig: Signal) -> str:
    ev = sig.evidence
    return str(ev.get("term") if sig.detector == "lexicon" else ev.get("value", ""))


def _caught(seed: Seed, signals: Iterable[Signal]) -> tuple[bool, list[str]]:
    """Did a signal of the seed's detector recover the seed? Also what that detector reported, for misses."""
    values = [_recovered(s) for s in signals if s.detector == seed.detector]
    return seed.expected_value in values, [f"{seed.detector}:{v}" for v in values]


def _check_carriers(engine: Engine, detectors: set[str]) -> None:
    """A carrier that fires a measured detector by itself would inflate recall: refuse to measure."""
    for n, carrier in enumerate(CARRIERS_ZH + CARRIERS_EN + TERM_CARRIERS_ZH + TERM_CARRIERS_EN):
        text = carrier.replace("{x}", "")
        sigs = engine.screen(Post(id=f"redteam-carrier-{n}", text=text)).signals
        fired = sorted({s.detector for s in sigs} & detectors)
        if fired:
            raise BrightlineError(f"red-team carrier {carrier!r} fires {', '.join(fired)} by itself")


def run_redteam(
    engine: Engine,
    seeds: list[Seed] | None = None,
    *,
    per_seed: int = 3,
    rng_seed: int = 1,
    evasions: Iterable[str] = EVASION_TYPES,
    max_misses: int = 20,
) -> RedteamReport:
    """Generate ``per_seed`` variants of every seed for every evasion type that applies, screen each one,
    and tally recall. Seeds whose detector is not enabled in the engine are listed in ``skipped``."""
    seeds = default_seeds(engine) if seeds is None else seeds
    if per_seed < 1:
        raise BrightlineError("per_seed must be at least 1")
    enabled = {name for det in engine.detectors for name in det.emits}
    wanted = {s.detector for s in seeds}
    report = RedteamReport(seeds=len(seeds))
    report.skipped = sorted(wanted - enabled)
    measured = wanted & enabled
    _check_carriers(engine, measured)
    rnd = random.Random(rng_seed)
    counter = 0
    for seed in seeds:
        if seed.detector not in measured:
            continue
        for evasion in evasions:
            seen: set[str] = set()
            for _ in range(per_seed * 3):  # a few extra draws so short seeds still yield distinct variants
                if len(seen) >= per_seed:
                    break
                variant = make_variant(seed, evasion, rnd)
                if variant is None:
                    break
                if variant.text in seen:
                    continue
                seen.add(variant.text)
                counter += 1
                _screen_one(engine, report, variant, rnd.choice(_carriers(seed)), counter, max_misses)
    return report


def _screen_one(engine: Engine, report: RedteamReport, variant: Variant, carrier: str, n: int, max_misses: int) -> None:
    seed = variant.seed
    text = carrier.replace("{x}", variant.text)
    decision = engine.screen(Post(id=f"redteam-{n}", text=text))
    hit, got = _caught(seed, decision.signals)
    report.overall.add(hit)
    report.per_detector.setdefault(seed.detector, Tally()).add(hit)
    report.per_evasion.setdefault((seed.detector, variant.evasion), Tally()).add(hit)
    if not hit and len(report.misses) < max_misses:
        report.misses.append(Miss(seed.detector, variant.evasion, seed.value, text, got))


def evasion_matrix(report: RedteamReport) -> dict[str, dict[str, Tally]]:
    """``{evasion: {detector: tally}}`` for table rendering."""
    out: dict[str, dict[str, Tally]] = defaultdict(dict)
    for (det, ev), tally in report.per_evasion.items():
        out[ev][det] = tally
    return dict(sorted(out.items(), key=lambda kv: _order(kv[0])))
