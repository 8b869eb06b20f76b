"""The protected-entity registry: ``name,type,aliases`` CSV (SPEC "Operator data").

``aliases`` are separated by ``|``. Optional columns: ``accounts`` (``|``-separated account ids or handles that
ARE the entity's own, never flagged as impersonating it) and ``parent``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from brightline.errors import RegistryError
from brightline.registries.csvfile import read_rows

ENTITY_TYPES = frozenset(
    {"party", "government", "military", "public_institution", "media", "person", "region", "company", "organization"}
)


@dataclass(frozen=True, slots=True)
class ProtectedEntity:
    name: str
    type: str
    aliases: tuple[str, ...] = ()
    accounts: tuple[str, ...] = ()

    @property
    def names(self) -> tuple[str, ...]:
        return (self.name, *self.aliases)


@dataclass
class EntityRegistry:
    entities: list[ProtectedEntity] = field(default_factory=list)
    source: str | None = None

    def __len__(self) -> int:
        return len(self.entities)


def _split(value: str) -> tuple[str, ...]:
    return tuple(v.strip() for v in value.split("|") if v.strip())


def load_entities(path: str | Path) -> EntityRegistry:
    """Load the entity CSV; a duplicate name or an unknown type is an error naming the line."""
    seen: dict[str, int] = {}
    entities: list[ProtectedEntity] = []
    for line, row in read_rows(path, ("name", "type", "aliases")):
        name, etype = row["name"], row["type"].strip().lower()
        if etype not in ENTITY_TYPES:
            raise RegistryError(path, f"unknown type {etype!r}; expected one of {', '.join(sorted(ENTITY_TYPES))}", line)
        if name in seen:
            raise RegistryError(path, f"duplicate name {name!r} (first on line {seen[name]})", line)
        seen[name] = line
        entities.append(ProtectedEntity(name, etype, _split(row.get("aliases", "")), _split(row.get("accounts", ""))))
    return EntityRegistry(entities=entities, source=str(path))
