"""The enforcement ladder, as data in the pack's ``ladder:`` section, and its evaluation.

A rule's ``strike: {weight, expires_days, category}`` puts a weighted strike on the account. The sum of the
account's active strikes (not expired, not lifted) decides the step reached — reminder, warning, posting
restriction, short ban, long ban, closure — and each step carries its sanctions: account measures
(``restrict_account``, ``suspend_account`` with ``days`` or ``permanent``), economic measures
(``demonetize`` with ``measures`` and ``days``) and the negative list. Escalations make history count beyond the
sum: a repeat in a category after a warning, or a debunked claim reposted after the debunk, jumps to a higher
step or weighs more. ``evaluate`` is a pure function of the configuration, the account's history and the new
strike, so the ladder is tested without a database.

Example (``pack.yaml``)::

    ladder:
      strike_expires_days: 180
      steps:
        - {name: warning, at: 2, statement: {en: "This is a warning."}}
        - name: short_ban
          at: 4
          actions:
            - {type: suspend_account, days: 7}
            - {type: demonetize, measures: [tipping, live_stream], days: 30}
      escalate:
        - {id: diversion-after-warning, category: diversion, after: warning, to: short_ban}
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from datetime import datetime, timedelta
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from brightline.errors import PolicyError
from brightline.model import Signal
from brightline.policy.rules import render

#: Economic measures (seed 004 III.2: followers, live streams, tipping, knowledge fees, withdrawals, product
#: links, advertising revenue).
MEASURES: dict[str, dict[str, str]] = {
    "tipping": {"zh": "打赏", "en": "tipping"},
    "live_stream": {"zh": "直播", "en": "live streaming"},
    "paid_content": {"zh": "付费内容", "en": "paid content"},
    "withdrawals": {"zh": "提现", "en": "withdrawals"},
    "product_links": {"zh": "商品链接", "en": "product links"},
    "ad_revenue": {"zh": "广告分成", "en": "ad revenue"},
    "follower_removal": {"zh": "清空粉丝", "en": "follower removal"},
}
#: Account-level sanction action types a ladder step may carry.
SANCTION_TYPES = frozenset({"notify_author", "restrict_account", "suspend_account", "demonetize"})


class StepAction(BaseModel):
    model_config = ConfigDict(extra="allow")

    type: str
    days: int | None = Field(default=None, gt=0)
    permanent: bool = False
    measures: list[str] = Field(default_factory=list)

    @field_validator("type")
    @classmethod
    def _type(cls, value: str) -> str:
        if value not in SANCTION_TYPES:
            raise ValueError(f"unknown sanction {value!r}; known: {', '.join(sorted(SANCTION_TYPES))}")
        return value

    @field_validator("measures")
    @classmethod
    def _measures(cls, value: list[str]) -> list[str]:
        unknown = [m for m in value if m not in MEASURES]
        if unknown:
            raise ValueError(f"unknown economic measure {', '.join(unknown)}; known: {', '.join(MEASURES)}")
        return value

    @model_validator(mode="after")
    def _duration(self) -> StepAction:
        if self.type == "demonetize" and not self.measures:
            raise ValueError("demonetize needs a list of measures")
        if self.type in ("suspend_account", "restrict_account", "demonetize") and not (self.days or self.permanent):
            raise ValueError(f"{self.type} needs days or permanent: true")
        return self

    def params(self) -> dict[str, Any]:
        """The action's parameters as they appear in the decision (a fresh dict each call)."""
        return dict(self._params)

    @cached_property
    def _params(self) -> dict[str, Any]:
        out = dict(self.model_extra or {})
        if self.days is not None:
            out["days"] = self.days
        if self.permanent:
            out["permanent"] = True
        if self.measures:
            out["measures"] = list(self.measures)
        return out


class Step(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1)
    at: float = Field(gt=0)
    actions: list[StepAction] = Field(default_factory=list)
    negative_list: bool = False
    statement: dict[str, str] = Field(default_factory=dict)


class Escalation(BaseModel):
    """History that makes a new strike count for more than its weight."""

    model_config = ConfigDict(extra="forbid")

    id: str = Field(min_length=1)
    category: str | list[str] | None = None
    #: Some signal of the decision carries these evidence values (e.g. ``after_debunk: true``).
    evidence: dict[str, Any] = Field(default_factory=dict)
    #: The account already reached this step (or a higher one) in the same category, within the strike window.
    after: str | None = None
    #: Apply at least this step.
    to: str | None = None
    weight_factor: float = Field(default=1.0, gt=0)
    statement: dict[str, str] = Field(default_factory=dict)

    def categories(self) -> frozenset[str] | None:
        if self.category is None:
            return None
        return frozenset([self.category] if isinstance(self.category, str) else self.category)


class QueueConfig(BaseModel):
    model_config = ConfigDict(extra="forbid")

    sla_hours: float = Field(gt=0)


class ReviewConfig(BaseModel):
    """Queues, SLAs and report triage (kept in the ladder section: it is the pack's enforcement config)."""

    model_config = ConfigDict(extra="forbid")

    queues: dict[str, QueueConfig] = Field(
        default_factory=lambda: {
            "trusted": QueueConfig(sla_hours=24),
            "urgent": QueueConfig(sla_hours=24),
            "standard": QueueConfig(sla_hours=72),
            "appeals": QueueConfig(sla_hours=168),
        }
    )
    #: A claimed case returns to the queue when its reviewer has not decided it after this long.
    claim_minutes: int = Field(default=30, gt=0)
    #: Severity 1–5 by words in a report's reason; the highest match wins, default 2.
    report_severity: dict[str, int] = Field(default_factory=dict)
    urgent_severity: int = Field(default=4, ge=1, le=5)

    @model_validator(mode="after")
    def _queues(self) -> ReviewConfig:
        missing = {"trusted", "urgent", "standard", "appeals"} - set(self.queues)
        if missing:
            raise ValueError(f"review.queues must define {', '.join(sorted(missing))}")
        return self


class SorConfig(BaseModel):
    """How decisions map onto DSA statements of reasons (see governance/sor.py)."""

    model_config = ConfigDict(extra="forbid")

    territorial_scope: list[str] = Field(default_factory=list)
    categories: dict[str, str] = Field(default_factory=dict)
    keywords: dict[str, list[str]] = Field(default_factory=dict)
    illegal: dict[str, str] = Field(default_factory=dict)
    terms_url: str | None = None


class LadderConfig(BaseModel):
    model_config = ConfigDict(extra="forbid")

    strike_expires_days: int = Field(default=180, gt=0)
    appeal_window_days: int = Field(default=30, gt=0)
    steps: list[Step] = Field(default_factory=list)
    escalate: list[Escalation] = Field(default_factory=list)
    review: ReviewConfig = Field(default_factory=ReviewConfig)
    sor: SorConfig = Field(default_factory=SorConfig)

    @model_validator(mode="after")
    def _consistent(self) -> LadderConfig:
        self.steps.sort(key=lambda s: s.at)
        names = [s.name for s in self.steps]
        if len(set(names)) != len(names):
            raise ValueError("ladder step names must be unique")
        for esc in self.escalate:
            for ref in (esc.after, esc.to):
                if ref is not None and ref not in names:
                    raise ValueError(f"escalation {esc.id}: no step named {ref!r} (steps: {', '.join(names)})")
        return self

    def step_index(self, name: str | None) -> int:
        if name is None:
            return -1
        for i, s in enumerate(self.steps):
            if s.name == name:
                return i
        return -1


def load_ladder(raw: dict[str, Any] | None, where: str = "pack.yaml") -> LadderConfig:
    """Validate a pack's ``ladder:`` section; a PolicyError names the field."""
    try:
        return LadderConfig.model_validate(raw or {})
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(x) for x in e['loc']) or 'ladder'}: {e['msg']}" for e in exc.errors(include_url=False)
        )
        raise PolicyError(f"{where}: ladder: {problems}") from None


# ---- evaluation ----


@dataclass(slots=True)
class NewStrike:
    """The strike a decision would add: from the heaviest rule that fired with a ``strike:``."""

    weight: float
    category: str
    rule_id: str | None
    expires_days: int | None = None


@dataclass(slots=True)
class PastSanction:
    step: str
    category: str | None
    starts_at: datetime


@dataclass(slots=True)
class History:
    """What the ladder needs to know about an account: active strike weight and recent steps reached."""

    active_weight: float = 0.0
    active_strikes: int = 0
    sanctions: list[PastSanction] = field(default_factory=list)
    on_negative_list: bool = False


@dataclass(slots=True)
class SanctionSpec:
    step: str
    type: str
    params: dict[str, Any]
    starts_at: datetime
    ends_at: datetime | None


@dataclass
class Outcome:
    """What the ladder decided for one strike."""

    strike_weight: float
    category: str
    rule_id: str | None
    strike_expires_at: datetime | None
    active_weight: float
    step: str | None
    sanctions: list[SanctionSpec]
    negative_list: bool
    escalations: list[str]
    statement: dict[str, str]

    def actions(self) -> list[dict[str, Any]]:
        """The decision actions that describe this outcome (strike first, then each sanction)."""
        from brightline.governance.audit import iso

        out: list[dict[str, Any]] = [
            {
                "type": "strike",
                "weight": self.strike_weight,
                "category": self.category,
                "active_weight": self.active_weight,
                "expires_at": iso(self.strike_expires_at) if self.strike_expires_at else None,
                **({"step": self.step} if self.step else {}),
                **({"escalations": list(self.escalations)} if self.escalations else {}),
            }
        ]
        for s in self.sanctions:
            action = {"type": s.type, "step": s.step, **s.params, "starts_at": iso(s.starts_at)}
            action["ends_at"] = iso(s.ends_at) if s.ends_at else None
            out.append(action)
        if self.negative_list:
            out.append({"type": "restrict_account", "step": self.step, "negative_list": True, "permanent": True})
        return out


def _evidence_matches(wanted: dict[str, Any], signals: list[Signal]) -> bool:
    if not wanted:
        return True
    for sig in signals:
        ev = sig.evidence
        if all(ev.get(k) in (v if isinstance(v, list) else [v]) for k, v in wanted.items()):
            return True
    return False


def _format_values(step: Step | None, specs: list[SanctionSpec], total: float, weight: float,
                   lang: str) -> dict[str, Any]:
    values: dict[str, Any] = {"weight": _num(weight), "total": _num(total), "step": step.name if step else ""}
    for s in specs:
        if s.type in ("suspend_account", "restrict_account") and "days" not in values and s.params.get("days"):
            values["days"] = s.params["days"]
            values["until"] = s.ends_at.date().isoformat() if s.ends_at else ""
        if s.type == "demonetize":
            sep = "、" if lang == "zh" else ", "
            values["measures"] = sep.join(MEASURES[m].get(lang, m) for m in s.params.get("measures", []))
            values["measure_days"] = s.params.get("days", "")
            values["measure_until"] = s.ends_at.date().isoformat() if s.ends_at else ""
    return values


def _num(x: float) -> int | float:
    return int(x) if float(x).is_integer() else round(x, 2)


def evaluate(
    config: LadderConfig,
    history: History,
    strike: NewStrike,
    signals: list[Signal],
    at: datetime,
    *,
    min_step: str | None = None,
) -> Outcome:
    """Apply one new strike to an account's history: the step reached, its sanctions and the statement.

    ``min_step`` lets a reviewer impose at least a given step (e.g. closure for an impersonation network).
    """
    window_start = at - timedelta(days=config.strike_expires_days)
    factor, floor, fired = 1.0, config.step_index(min_step), []
    esc_statements: list[dict[str, str]] = []
    for esc in config.escalate:
        cats = esc.categories()
        if cats is not None and strike.category not in cats:
            continue
        if not _evidence_matches(esc.evidence, signals):
            continue
        if esc.after is not None:
            need = config.step_index(esc.after)
            reached = any(
                config.step_index(p.step) >= need and p.category == strike.category and p.starts_at >= window_start
                for p in history.sanctions
            )
            if not reached:
                continue
        fired.append(esc.id)
        factor *= esc.weight_factor
        floor = max(floor, config.step_index(esc.to))
        if esc.statement:
            esc_statements.append(esc.statement)
    weight = strike.weight * factor
    total = history.active_weight + weight
    index = -1
    for i, s in enumerate(config.steps):
        if s.at <= total:
            index = i
    index = max(index, floor)
    step = config.steps[index] if index >= 0 else None
    specs: list[SanctionSpec] = []
    if step is not None:
        for a in step.actions:
            ends = None if a.permanent or not a.days else at + timedelta(days=a.days)
            specs.append(SanctionSpec(step.name, a.type, a.params(), at, ends))
    expires = at + timedelta(days=strike.expires_days or config.strike_expires_days)
    statement: dict[str, str] = {}
    for lang in ("zh", "en"):
        parts = []
        values = _format_values(step, specs, total, weight, lang)
        for es in esc_statements:
            if es.get(lang):
                parts.append(render(es[lang], values))
        if step is not None and step.statement.get(lang):
            parts.append(render(step.statement[lang], values))
        elif step is None:
            parts.append(
                render("账号记违规分{weight}分，有效期内累计{total}分。", values)
                if lang == "zh"
                else render("A strike of {weight} was recorded; {total} active in total.", values)
            )
        statement[lang] = " ".join(p for p in parts if p)
    return Outcome(
        strike_weight=_num(weight),
        category=strike.category,
        rule_id=strike.rule_id,
        strike_expires_at=expires,
        active_weight=_num(total),
        step=step.name if step else None,
        sanctions=specs,
        negative_list=bool(step and step.negative_list),
        escalations=fired,
        statement=statement,
    )
