"""Operator data, loaded once per Engine: term lists, protected entities, debunked claims.

Each registry is a plain documented file format (SPEC "Operator data"). When a file is not given, the small
example registry bundled in ``registries/data`` applies.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from brightline.registries.claims import ClaimRegistry, load_claims
from brightline.registries.entities import EntityRegistry, load_entities
from brightline.registries.lexicon import Lexicon, load_lexicon

DATA_DIR = Path(__file__).parent / "data"
DEFAULT_LEXICON = DATA_DIR / "lexicon.csv"
DEFAULT_ENTITIES = DATA_DIR / "entities.csv"
DEFAULT_CLAIMS = DATA_DIR / "claims.jsonld"


@dataclass
class Registries:
    """The operator data one Engine screens against."""

    lexicon: Lexicon = field(default_factory=Lexicon)
    entities: EntityRegistry = field(default_factory=EntityRegistry)
    claims: ClaimRegistry = field(default_factory=ClaimRegistry)

    @classmethod
    def load(
        cls,
        lexicon: str | Path | None = None,
        entities: str | Path | None = None,
        claims: str | Path | None = None,
    ) -> Registries:
        """Load the given files, or the bundled examples for any that is None."""
        return cls(
            lexicon=load_lexicon(lexicon or DEFAULT_LEXICON),
            entities=load_entities(entities or DEFAULT_ENTITIES),
            claims=load_claims(claims or DEFAULT_CLAIMS),
        )


__all__ = ["Registries", "Lexicon", "EntityRegistry", "ClaimRegistry", "load_lexicon", "load_entities", "load_claims"]
