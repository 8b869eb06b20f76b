"""Declarative policy: packs of rules that turn signals into decisions."""

from brightline.policy.pack import DEFAULT_PACK, PolicyPack, available_packs, load_pack
from brightline.policy.rules import ACTION_TYPES, Rule

__all__ = ["DEFAULT_PACK", "PolicyPack", "Rule", "ACTION_TYPES", "available_packs", "load_pack"]
