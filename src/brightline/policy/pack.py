"""Policy packs: a folder with ``pack.yaml``, ``rules/*.yaml`` and ``tests/*.yaml``.

``pack.yaml`` holds the pack's name, version, language, which detector families run, their options, the
default statement, and the enforcement ladder (read by governance). Rules may be inline under ``rules:`` or in
``rules/*.yaml`` beside it; the files are read in name order, so each capability keeps its own file.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from brightline.errors import PolicyError
from brightline.model import VERDICT_RANK, VERDICTS, Action, Decision, Distribution, Signal, SubjectRef
from brightline.policy.rules import Condition, Rule, parse_rules, render

PACKS_DIR = Path(__file__).parent / "packs"
DEFAULT_PACK = "cn-cac-2025"

#: Actions that take an item out of a distribution surface (capability J).
_DISTRIBUTION_ACTIONS = {
    "exclude_from_recommendation": ("recommendation",),
    "exclude_from_prominent": ("prominent",),
    "exclude_from_minors": ("minors",),
    "limit_reach": ("recommendation", "prominent"),
    "hide": ("recommendation", "prominent", "minors"),
    "remove": ("recommendation", "prominent", "minors"),
}


@dataclass(slots=True)
class CompiledRule:
    rule: Rule
    condition: Condition
    required: frozenset[str] | None


@dataclass
class PolicyPack:
    name: str
    version: str
    language: str
    rules: list[Rule]
    path: Path | None = None
    title: str = ""
    detectors: list[str] | None = None
    detector_options: dict[str, dict[str, Any]] = field(default_factory=dict)
    default_statement: dict[str, str] = field(default_factory=dict)
    ladder: dict[str, Any] = field(default_factory=dict)
    raw: dict[str, Any] = field(default_factory=dict)
    _compiled: list[CompiledRule] = field(default_factory=list, repr=False)

    def __post_init__(self) -> None:
        ids: set[str] = set()
        for r in self.rules:
            if r.id in ids:
                raise PolicyError(f"pack {self.name}: rule id {r.id!r} is defined twice")
            ids.add(r.id)
        self._compiled = [CompiledRule(r, r.when.compile(), r.when.required_detectors()) for r in self.rules]
        self._signal_free_rules = sum(1 for c in self._compiled if c.required is None)
        self._default_text = self.text(self.default_statement)

    @property
    def ref(self) -> str:
        """``name@version`` as written into every decision."""
        return f"{self.name}@{self.version}"

    @property
    def tests_dir(self) -> Path | None:
        return self.path / "tests" if self.path is not None and (self.path / "tests").is_dir() else None

    def rule(self, rule_id: str) -> Rule:
        for r in self.rules:
            if r.id == rule_id:
                return r
        raise KeyError(rule_id)

    def text(self, texts: dict[str, str]) -> str:
        """Pick the pack's language from a ``{lang: text}`` map, falling back to English, then any."""
        return texts.get(self.language) or texts.get("en") or next(iter(texts.values()), "")

    def decide(self, subject: SubjectRef, item: Any, signals: Sequence[Signal]) -> Decision:
        """Turn signals into a Decision: the most severe verdict of the rules that fired wins."""
        if not signals and self._signal_free_rules == 0:
            # Fast path for the common clean post: every rule needs a signal, so none can fire.
            return Decision(subject, "allow", [], [], [], self.ref, self._default_text, True, Distribution())
        present = {s.detector for s in signals}
        verdict_rank = 0
        fired: list[str] = []
        actions: list[Action] = []
        seen_actions: set[tuple[str, str]] = set()
        statements: list[str] = []
        automated = True
        for cr in self._compiled:
            if cr.required is not None and not (cr.required & present):
                continue
            matched = cr.condition(item, signals)
            if matched is None:
                continue
            rule = cr.rule
            fired.append(rule.id)
            verdict_rank = max(verdict_rank, VERDICT_RANK[rule.verdict])
            automated = automated and rule.automated
            values = _template_values(item, matched)
            for spec in rule.actions:
                params = {k: (render(v, values) if isinstance(v, str) else v) for k, v in spec.items() if k != "type"}
                action = Action(spec["type"], params)
                key = action.key()
                if key not in seen_actions:
                    seen_actions.add(key)
                    actions.append(action)
            if rule.statement:
                text = render(self.text(rule.statement), values)
                if text and text not in statements:
                    statements.append(text)
        verdict = VERDICTS[verdict_rank]
        distribution = Distribution(False, False, False) if verdict == "remove" else Distribution()
        for a in actions:
            for surface in _DISTRIBUTION_ACTIONS.get(a.type, ()):
                setattr(distribution, surface, False)
        statement = " ".join(statements) if statements else self.text(self.default_statement)
        return Decision(
            subject=subject,
            verdict=verdict,
            actions=actions,
            signals=list(signals),
            rules=fired,
            policy=self.ref,
            statement=statement,
            automated=automated,
            distribution=distribution,
        )


def _template_values(item: Any, matched: list[Signal]) -> dict[str, Any]:
    values: dict[str, Any] = {"id": getattr(item, "id", ""), "kind": getattr(item, "kind", "")}
    if matched:
        first = matched[0]
        values["detector"] = first.detector
        values["score"] = round(first.score, 2)
        for k, v in first.evidence.items():
            values[k] = "、".join(map(str, v)) if isinstance(v, (list, tuple)) else v
        values["count"] = len(matched)
    return values


def available_packs() -> list[str]:
    """Names of the packs bundled with brightline."""
    return sorted(p.name for p in PACKS_DIR.iterdir() if (p / "pack.yaml").is_file())


def _read_yaml(path: Path) -> Any:
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise PolicyError(f"{path}: cannot read: {exc.strerror or exc}") from None
    except yaml.YAMLError as exc:
        raise PolicyError(f"{path}: broken YAML: {exc}") from None


def load_pack(name_or_path: str | Path | None = None) -> PolicyPack:
    """Load a bundled pack by name (``cn-cac-2025``) or a pack from a folder or a ``pack.yaml`` file."""
    target = name_or_path or DEFAULT_PACK
    p = Path(target)
    if isinstance(target, str) and (PACKS_DIR / target / "pack.yaml").is_file() and not p.exists():
        p = PACKS_DIR / target
    if p.is_dir():
        folder, pack_file = p, p / "pack.yaml"
    elif p.is_file():
        folder, pack_file = p.parent, p
    else:
        raise PolicyError(
            f"no policy pack {str(target)!r}: give a bundled name ({', '.join(available_packs())}) "
            "or a path to a pack folder or YAML file"
        )
    meta = _read_yaml(pack_file)
    if not isinstance(meta, dict):
        raise PolicyError(f"{pack_file}: expected a mapping with name, version and rules")
    for key in ("name", "version"):
        if key not in meta:
            raise PolicyError(f"{pack_file}: missing {key!r}")
    rules = parse_rules(meta.get("rules"), str(pack_file))
    rules_dir = folder / "rules"
    if pack_file.name == "pack.yaml" and rules_dir.is_dir():
        for rf in sorted(rules_dir.glob("*.yaml")):
            rules.extend(parse_rules(_read_yaml(rf), str(rf)))
    detectors = meta.get("detectors")
    if detectors is not None and not isinstance(detectors, list):
        raise PolicyError(f"{pack_file}: 'detectors' must be a list of detector families")
    return PolicyPack(
        name=str(meta["name"]),
        version=str(meta["version"]),
        language=str(meta.get("language", "en")),
        title=str(meta.get("title", "")),
        rules=rules,
        path=folder if pack_file.name == "pack.yaml" else None,
        detectors=detectors,
        detector_options=meta.get("detector_options") or {},
        default_statement=meta.get("default_statement") or {"en": "No rule applied; the item is allowed."},
        ladder=meta.get("ladder") or {},
        raw=meta,
    )
