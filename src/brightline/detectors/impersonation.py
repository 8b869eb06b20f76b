"""The ``impersonation`` detector: account names, handles and bios that imitate a protected entity.

Seeds 003 and 004 (2): self-media accounts posing as Party, government or military organs, public
institutions (disease-control centres), news media and their anchors, or using the name of a county-level
or higher administrative division to mislead. The protected-entity registry (``--entities``) is matched
through :class:`brightline.text.names.NameIndex`; this module adds what only an account knows: which
entity the account itself is (``accounts`` column of the registry, or ``verified_entity`` on the account),
so an entity's own accounts are never flagged.

Options (``detector_options: {impersonation: {...}}`` in pack.yaml):
``allowed`` (benign superstrings, e.g. a local bakery named after a district), ``claim_words`` and
``office_suffixes`` (extra words), ``min_score`` (drop weaker matches; default 0.6), ``bio_chars``
(how much of a bio is read; default 2000).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from functools import lru_cache
from typing import Any

from brightline.detectors.base import Detector, ScreenContext
from brightline.model import Account, Post, Report, Signal
from brightline.registries.entities import ProtectedEntity
from brightline.text.names import NameIndex

#: Display names and handles longer than this are read only this far (they are short on every platform).
NAME_CHARS = 256
FIELDS = ("display_name", "handle", "bio")


@lru_cache(maxsize=8)
def name_index(
    entities: tuple[ProtectedEntity, ...],
    allowed: tuple[str, ...] = (),
    claim_words: tuple[str, ...] = (),
    office_suffixes: tuple[str, ...] = (),
) -> NameIndex:
    """The index for a registry, built once per distinct registry and options (Engines share it)."""
    return NameIndex(entities, allowed=allowed, claim_words=claim_words, office_suffixes=office_suffixes)


def _ident(value: str) -> str:
    return value.strip().lstrip("@").casefold()


class ImpersonationDetector(Detector):
    """Flags accounts whose display name, handle or bio imitates a registered protected entity."""

    family = "impersonation"
    emits = ("impersonation",)
    kinds = frozenset({"account"})

    def __init__(self, registries: Any, options: dict[str, Any] | None = None) -> None:
        super().__init__(registries, options)
        opts = self.options
        self.entities: list[ProtectedEntity] = list(registries.entities.entities)
        self.index = name_index(
            tuple(self.entities),
            tuple(str(w) for w in opts.get("allowed", ())),
            tuple(str(w) for w in opts.get("claim_words", ())),
            tuple(str(w) for w in opts.get("office_suffixes", ())),
        )
        self.min_score = float(opts.get("min_score", 0.6))
        self.bio_chars = int(opts.get("bio_chars", 2000))
        # Who owns what: account ids/handles listed in the registry, and entity names for verified_entity.
        self._owner_of: dict[str, set[int]] = {}
        self._by_name: dict[str, set[int]] = {}
        for i, ent in enumerate(self.entities):
            for acc in ent.accounts:
                self._owner_of.setdefault(_ident(acc), set()).add(i)
            for n in ent.names:
                self._by_name.setdefault(n.casefold(), set()).add(i)

    def owned(self, account: Account) -> set[int]:
        """Registry positions of the entities this account is (by registry ``accounts`` or ``verified_entity``)."""
        out: set[int] = set()
        for ident in (account.id, account.handle):
            if ident:
                out |= self._owner_of.get(_ident(ident), set())
        if account.verified_entity:
            out |= self._by_name.get(account.verified_entity.strip().casefold(), set())
        return out

    def _inside_own_name(self, entity: int, owned: Iterable[int]) -> bool:
        # The real 人民日报海外版 account also spells 人民日报: a name inside an owned entity's name is its own.
        names = self.entities[entity].names
        return any(n in own_name for o in owned for own_name in self.entities[o].names for n in names if len(n) > 1)

    def detect(self, item: Post | Account | Report, ctx: ScreenContext) -> Iterator[Signal]:
        if not isinstance(item, Account) or not self.entities:
            return
        owned = self.owned(item)
        for field in FIELDS:
            text = getattr(item, field, None)
            if not text or not isinstance(text, str):
                continue
            text = text[: self.bio_chars if field == "bio" else NAME_CHARS]
            for m in self.index.find(text, bio=field == "bio"):
                if m.score < self.min_score or m.entity in owned:
                    continue
                if owned and self._inside_own_name(m.entity, owned):
                    continue
                ent = self.entities[m.entity]
                evidence: dict[str, Any] = {
                    "entity": ent.name,
                    "entity_type": ent.type,
                    "field": field,
                    "span": [m.start, m.end],
                    "excerpt": m.excerpt,
                    "matched": m.alias,
                    "technique": m.technique,
                    "techniques": list(m.techniques),
                    "context": m.context,
                }
                if m.words:
                    evidence["words"] = list(m.words)
                if m.distance:
                    evidence["distance"] = m.distance
                yield Signal("impersonation", m.score, evidence)
