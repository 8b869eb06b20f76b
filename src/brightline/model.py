"""The one data model: items that come in, signals detectors raise, decisions that go out.

Input items (Account, Post, Report) are pydantic models because they are parsed from untrusted JSON:
pydantic gives typed, field-named errors and keeps unknown fields (``extra="allow"``). Signals, actions
and decisions are produced by brightline itself on the hot path, so they are plain slotted dataclasses.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Annotated, Any, ClassVar, Literal, Union

from pydantic import BaseModel, ConfigDict, Field, field_validator

#: Verdicts from least to most severe; when rules disagree the most severe wins.
VERDICTS: tuple[str, ...] = ("allow", "label", "review", "restrict", "remove")
VERDICT_RANK: dict[str, int] = {v: i for i, v in enumerate(VERDICTS)}

#: Detector names fixed by the contract (SPEC.md). Detectors may not invent others.
DETECTOR_NAMES: frozenset[str] = frozenset(
    {
        "aigc",
        "source.missing",
        "source.vague",
        "qualification.missing",
        "impersonation",
        "claims.debunked",
        "media.recycled",
        "diversion.contact",
        "diversion.link",
        "lexicon",
        "coordination.copypasta",
        "coordination.burst",
    }
)


class _Item(BaseModel):
    """Common behaviour of input items: unknown fields are kept, ids are non-empty strings."""

    model_config = ConfigDict(extra="allow", str_strip_whitespace=False, frozen=False)

    kind: str
    id: str = Field(min_length=1)

    @field_validator("id", mode="before")
    @classmethod
    def _id_from_number(cls, value: Any) -> Any:
        # Platforms often use numeric ids; accept them but never booleans or objects.
        if isinstance(value, int) and not isinstance(value, bool):
            return str(value)
        return value

    @property
    def ref(self) -> SubjectRef:
        return SubjectRef(self.kind, self.id)


class Qualification(BaseModel):
    """A professional qualification held by an account (licence, certificate, registration)."""

    model_config = ConfigDict(extra="allow")

    domain: str
    issuer: str | None = None
    expires: date | None = None
    number: str | None = None

    def is_current(self, on: date) -> bool:
        return self.expires is None or self.expires >= on


class Media(BaseModel):
    """A media file attached to a post. ``path`` is resolved against the input file's folder."""

    model_config = ConfigDict(extra="allow")

    path: str
    type: str | None = None

    def resolved(self, base: Path | None) -> Path:
        p = Path(self.path)
        if p.is_absolute() or base is None:
            return p
        return base / p


class Account(_Item):
    kind: Literal["account"] = "account"
    display_name: str = ""
    handle: str = ""
    bio: str = ""
    avatar: str | None = None
    created_at: datetime | None = None
    qualifications: list[Qualification] = Field(default_factory=list)
    verified_entity: str | None = None


class Post(_Item):
    kind: Literal["post"] = "post"
    account_id: str | None = None
    text: str = ""
    title: str | None = None
    created_at: datetime | None = None
    topic: str | None = None
    source: str | None = None
    declared_ai: bool = False
    media: list[Media] = Field(default_factory=list)
    reshare_of: str | None = None

    @field_validator("media", mode="before")
    @classmethod
    def _media_none(cls, value: Any) -> Any:
        return [] if value is None else value

    @field_validator("text", mode="before")
    @classmethod
    def _text_none(cls, value: Any) -> Any:
        return "" if value is None else value


@dataclass(frozen=True, slots=True)
class SubjectRef:
    """What a report, decision or case is about: ``{"kind": "post", "id": "p1"}``.

    A plain dataclass (pydantic validates it inside Report) because every decision builds one.
    """

    kind: str
    id: str

    def to_dict(self) -> dict[str, str]:
        return {"kind": self.kind, "id": self.id}


class Report(_Item):
    kind: Literal["report"] = "report"
    reporter_id: str | None = None
    subject: SubjectRef
    reason: str = ""
    text: str = ""
    trusted_flagger: bool = False
    created_at: datetime | None = None

    @field_validator("subject", mode="before")
    @classmethod
    def _subject_reference(cls, value: Any) -> Any:
        # A subject is a reference: extra keys (a URL, a title...) are ignored like unknown fields, and
        # numeric ids are accepted as for items.
        if not isinstance(value, dict):
            return value
        ref = {k: v for k, v in value.items() if k in ("kind", "id")}
        if isinstance(ref.get("id"), int) and not isinstance(ref.get("id"), bool):
            ref["id"] = str(ref["id"])
        return ref


Item = Annotated[Union[Account, Post, Report], Field(discriminator="kind")]
ITEM_TYPES: dict[str, type[_Item]] = {"account": Account, "post": Post, "report": Report}


@dataclass(slots=True)
class Signal:
    """One finding of one detector, with the evidence a reviewer or user can check.

    ``evidence`` for text findings holds ``span`` ([start, end) code-point offsets into the ORIGINAL
    field), ``excerpt`` (the original characters), and ``field`` when the field is not ``text``.
    """

    detector: str
    score: float
    evidence: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {"detector": self.detector, "score": round(self.score, 4), "evidence": self.evidence}


@dataclass(slots=True)
class Action:
    """An enforcement or labelling step a decision asks for, e.g. ``label`` or ``exclude_from_recommendation``."""

    type: str
    params: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {"type": self.type, **self.params}

    def key(self) -> tuple[str, str]:
        return self.type, repr(sorted(self.params.items()))


@dataclass(slots=True)
class Distribution:
    """Capability J: where the item may appear. All True means no limit."""

    recommendation: bool = True
    prominent: bool = True
    minors: bool = True

    def to_dict(self) -> dict[str, bool]:
        return {"recommendation": self.recommendation, "prominent": self.prominent, "minors": self.minors}


@dataclass(slots=True)
class Decision:
    """The outcome for one item: verdict, actions, signals, the rules that fired and a readable statement."""

    subject: SubjectRef
    verdict: str
    actions: list[Action]
    signals: list[Signal]
    rules: list[str]
    policy: str
    statement: str
    automated: bool = True
    distribution: Distribution = field(default_factory=Distribution)
    qualifications: list[dict[str, Any]] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    SCHEMA_FIELDS: ClassVar[tuple[str, ...]] = (
        "subject",
        "verdict",
        "actions",
        "signals",
        "rules",
        "policy",
        "statement",
        "automated",
        "distribution",
    )

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "subject": self.subject.to_dict(),
            "verdict": self.verdict,
            "actions": [a.to_dict() for a in self.actions],
            "signals": [s.to_dict() for s in self.signals],
            "rules": list(self.rules),
            "policy": self.policy,
            "statement": self.statement,
            "automated": self.automated,
            "distribution": self.distribution.to_dict(),
        }
        if self.qualifications:
            out["qualifications"] = self.qualifications
        if self.errors:
            out["errors"] = self.errors
        return out


@dataclass(slots=True)
class ErrorRecord:
    """A line or file brightline could not process. The run goes on; the record says what and where."""

    error: str
    line: int | None = None
    source: str | None = None
    excerpt: str | None = None
    subject: SubjectRef | None = None

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"kind": "error", "error": self.error}
        if self.line is not None:
            out["line"] = self.line
        if self.source is not None:
            out["source"] = self.source
        if self.excerpt is not None:
            out["excerpt"] = self.excerpt
        if self.subject is not None:
            out["subject"] = self.subject.to_dict()
        return out
