"""The protected-entity registry: ``name,type,aliases`` CSV (SPEC "Operator data"), see ``README.md`` here.

``aliases`` are separated by ``|``. The optional column ``accounts`` lists (``|``-separated) account ids or
handles that ARE the entity's own; those are never flagged as impersonating it. Every name and alias must
belong to one entity only, so a match always names one entity; errors name the file and line.
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
    """One protected entity: its registry name, type, other names, and its own accounts."""

    name: str
    type: str
    aliases: tuple[str, ...] = ()
    accounts: tuple[str, ...] = ()

    @property
    def names(self) -> tuple[str, ...]:
        return (self.name, *self.aliases)


@dataclass
class EntityRegistry:
    """The loaded registry, in file order (detectors refer to entities by position)."""

    entities: list[ProtectedEntity] = field(default_factory=list)
    source: str | None = None

    def __len__(self) -> int:
        return len(self.entities)

    def by_name(self, name: str) -> ProtectedEntity | None:
        """The entity with this registry name, or None."""
        return next((e for e in self.entities if e.name == name), None)


def _split(value: str) -> tuple[str, ...]:
    return tuple(dict.fromkeys(v.strip() for v in value.split("|") if v.strip()))


def load_entities(path: str | Path) -> EntityRegistry:
    """Load the entity CSV.

    Raises RegistryError naming the file and line for: a missing ``name``/``type``/``aliases`` column, an
    empty name, an unknown type, a duplicate name, or a name/alias already used by another entity.
    """
    owner: dict[str, tuple[str, int]] = {}  # casefolded name or alias -> (entity name, line)
    entities: list[ProtectedEntity] = []
    for line, row in read_rows(path, ("name", "type", "aliases")):
        name, etype = row["name"], row["type"].strip().lower()
        if not etype:
            raise RegistryError(path, f"column 'type' is empty for {name!r}; expected one of {', '.join(sorted(ENTITY_TYPES))}", line)
        if etype not in ENTITY_TYPES:
            raise RegistryError(path, f"unknown type {etype!r}; expected one of {', '.join(sorted(ENTITY_TYPES))}", line)
        prev = owner.get(name.casefold())
        if prev is not None and prev[0] == name:
            raise RegistryError(path, f"duplicate name {name!r} (first on line {prev[1]})", line)
        aliases = tuple(a for a in _split(row.get("aliases", "")) if a != name)
        for n in (name, *aliases):
            prev = owner.get(n.casefold())
            if prev is not None:
                raise RegistryError(
                    path, f"{n!r} already names entity {prev[0]!r} (line {prev[1]}); a name or alias may belong to one entity only", line
                )
            owner[n.casefold()] = (name, line)
        entities.append(ProtectedEntity(name, etype, aliases, _split(row.get("accounts", ""))))
    return EntityRegistry(entities=entities, source=str(path))
