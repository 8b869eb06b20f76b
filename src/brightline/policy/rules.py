"""Rule schema and condition evaluation. Rules are data (the Osprey pattern): validated when the pack
loads, evaluated as compiled closures on the hot path.

A rule in YAML::

    - id: diversion.contact.restrict
      when:
        signal: {detector: diversion.contact, min_score: 0.8}
      verdict: restrict
      actions:
        - {type: exclude_from_recommendation}
      statement:
        zh: "内容含有站外联系方式（{value}），已限制传播。"
        en: "The post contains an off-platform contact ({value}); its reach is limited."
      strike: {weight: 2}

``when`` keys (all present keys must hold):
- ``signal``: a signal matches ``detector`` (name or list), ``min_score`` and ``evidence`` (field -> value or
  list of values; ``null`` means absent).
- ``no_signal``: no signal matches the same kind of pattern.
- ``item``: item fields (dotted paths; ``kind``, ``declared_ai``, ``topic``...) equal a value or one of a list.
- ``all`` / ``any``: lists of conditions; ``not``: one condition.
"""

from __future__ import annotations

import string
from collections.abc import Callable, Sequence
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from brightline.model import DETECTOR_NAMES, VERDICTS, Signal

#: Action types a rule may ask for. Validated statically so a typo fails at load time, not in production.
ACTION_TYPES = frozenset(
    {
        "label",  # show a notice on the item (AI-generated, debunked, qualification, source...)
        "exclude_from_recommendation",
        "exclude_from_prominent",
        "exclude_from_minors",
        "limit_reach",
        "hide",
        "remove",
        "notify_author",
        "require_source",
        "require_qualification",
        "add_implicit_label",
        "escalate_review",
        "strike",
        "suspend_account",
        "restrict_account",
        "demonetize",
        "rename_account",
        "referral",
    }
)

Condition = Callable[[Any, Sequence[Signal]], list[Signal] | None]
"""A compiled condition returns the signals that made it true ([] when none were needed), or None."""


class SignalPattern(BaseModel):
    model_config = ConfigDict(extra="forbid")

    detector: str | list[str]
    min_score: float = 0.0
    evidence: dict[str, Any] = Field(default_factory=dict)

    @field_validator("detector")
    @classmethod
    def _known(cls, value: str | list[str]) -> str | list[str]:
        for name in [value] if isinstance(value, str) else value:
            if name not in DETECTOR_NAMES:
                raise ValueError(f"unknown detector {name!r}; known: {', '.join(sorted(DETECTOR_NAMES))}")
        return value

    def detectors(self) -> frozenset[str]:
        return frozenset([self.detector] if isinstance(self.detector, str) else self.detector)

    def compile(self) -> Callable[[Signal], bool]:
        names = self.detectors()
        min_score = self.min_score
        wanted = {k: (tuple(v) if isinstance(v, list) else (v,)) for k, v in self.evidence.items()}

        def match(sig: Signal) -> bool:
            if sig.detector not in names or sig.score < min_score:
                return False
            ev = sig.evidence
            return all(ev.get(k) in allowed for k, allowed in wanted.items())

        return match


class When(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    signal: SignalPattern | None = None
    no_signal: SignalPattern | None = None
    item: dict[str, Any] | None = None
    all: list[When] | None = None
    any: list[When] | None = None
    not_: When | None = Field(default=None, alias="not")

    @model_validator(mode="after")
    def _non_empty(self) -> When:
        if not any(getattr(self, k) is not None for k in ("signal", "no_signal", "item", "all", "any", "not_")):
            raise ValueError("a condition needs at least one of signal, no_signal, item, all, any, not")
        return self

    def required_detectors(self) -> frozenset[str] | None:
        """Detectors of which at least one must have fired for this condition to hold; None if unknown."""
        if self.signal is not None:
            return self.signal.detectors()
        if self.all:
            for sub in self.all:
                req = sub.required_detectors()
                if req is not None:
                    return req
        if self.any:
            reqs = [sub.required_detectors() for sub in self.any]
            if all(r is not None for r in reqs):
                return frozenset().union(*reqs)  # type: ignore[arg-type]
        return None

    def compile(self) -> Condition:
        parts: list[Condition] = []
        if self.signal is not None:
            m = self.signal.compile()
            parts.append(lambda item, sigs, m=m: [s for s in sigs if m(s)] or None)
        if self.no_signal is not None:
            m2 = self.no_signal.compile()
            parts.append(lambda item, sigs, m=m2: None if any(m(s) for s in sigs) else [])
        if self.item is not None:
            checks = [(k.split("."), tuple(v) if isinstance(v, list) else (v,)) for k, v in self.item.items()]
            parts.append(lambda item, sigs, c=checks: [] if all(_lookup(item, p) in a for p, a in c) else None)
        if self.all:
            subs = [w.compile() for w in self.all]

            def all_of(item: Any, sigs: Sequence[Signal], subs: list[Condition] = subs) -> list[Signal] | None:
                acc: list[Signal] = []
                for sub in subs:
                    got = sub(item, sigs)
                    if got is None:
                        return None
                    acc.extend(got)
                return acc

            parts.append(all_of)
        if self.any:
            subs_any = [w.compile() for w in self.any]

            def any_of(item: Any, sigs: Sequence[Signal], subs: list[Condition] = subs_any) -> list[Signal] | None:
                for sub in subs:
                    got = sub(item, sigs)
                    if got is not None:
                        return got
                return None

            parts.append(any_of)
        if self.not_ is not None:
            inner = self.not_.compile()
            parts.append(lambda item, sigs, f=inner: [] if f(item, sigs) is None else None)

        if len(parts) == 1:
            return parts[0]

        def conj(item: Any, sigs: Sequence[Signal]) -> list[Signal] | None:
            acc: list[Signal] = []
            for part in parts:
                got = part(item, sigs)
                if got is None:
                    return None
                acc.extend(got)
            return acc

        return conj


def _lookup(obj: Any, path: list[str]) -> Any:
    for key in path:
        if obj is None:
            return None
        if isinstance(obj, dict):
            obj = obj.get(key)
        else:
            nxt = getattr(obj, key, None)
            if nxt is None:
                nxt = (getattr(obj, "model_extra", None) or {}).get(key)
            obj = nxt
    return obj


class Strike(BaseModel):
    """How much a fired rule weighs on the account's record, and for how long (enforcement ladder)."""

    model_config = ConfigDict(extra="forbid")

    weight: float = Field(gt=0)
    expires_days: int | None = Field(default=None, gt=0)
    category: str | None = None


class Rule(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: str = Field(min_length=1)
    description: str = ""
    when: When
    verdict: str = "allow"
    actions: list[dict[str, Any]] = Field(default_factory=list)
    statement: dict[str, str] = Field(default_factory=dict)
    strike: Strike | None = None
    category: str | None = None
    automated: bool = True

    @field_validator("verdict")
    @classmethod
    def _verdict(cls, value: str) -> str:
        if value not in VERDICTS:
            raise ValueError(f"verdict must be one of {', '.join(VERDICTS)}, got {value!r}")
        return value

    @field_validator("actions")
    @classmethod
    def _actions(cls, value: list[dict[str, Any]]) -> list[dict[str, Any]]:
        for a in value:
            t = a.get("type")
            if t not in ACTION_TYPES:
                raise ValueError(f"unknown action type {t!r}; known: {', '.join(sorted(ACTION_TYPES))}")
        return value

    @field_validator("statement")
    @classmethod
    def _templates(cls, value: dict[str, str]) -> dict[str, str]:
        for lang, text in value.items():
            try:
                list(string.Formatter().parse(text))
            except ValueError as exc:
                raise ValueError(f"statement[{lang}] is not a valid template: {exc}") from None
        return value


def parse_rules(data: Any, where: str) -> list[Rule]:
    """Validate a YAML list of rules; raise PolicyError naming the file and the rule."""
    from brightline.errors import PolicyError

    if data is None:
        return []
    if isinstance(data, dict) and "rules" in data:
        data = data["rules"]
    if not isinstance(data, list):
        raise PolicyError(f"{where}: expected a list of rules")
    rules = []
    for n, raw in enumerate(data, start=1):
        rid = raw.get("id", f"#{n}") if isinstance(raw, dict) else f"#{n}"
        try:
            rules.append(Rule.model_validate(raw))
        except ValidationError as exc:
            problems = "; ".join(
                f"{'.'.join(str(x) for x in e['loc']) or 'rule'}: {e['msg']}" for e in exc.errors(include_url=False)
            )
            raise PolicyError(f"{where}: rule {rid}: {problems}") from None
    return rules


class _Blank(dict):  # type: ignore[type-arg]
    """Template values: a missing key renders as an empty string instead of raising."""

    def __missing__(self, key: str) -> str:
        return ""


def render(template: str, values: dict[str, Any]) -> str:
    """Fill ``{field}`` placeholders from a signal's evidence; missing fields render empty."""
    try:
        return string.Formatter().vformat(template, (), _Blank(values))
    except (ValueError, IndexError, AttributeError, KeyError):
        return template
