"""The Engine: item -> detectors -> policy -> Decision. Every driver (CLI, service, worker) uses this."""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from brightline.detectors import Detector, ScreenContext, discover
from brightline.errors import BrightlineError
from brightline.ingest import ParsedItem, parse_object
from brightline.model import Account, Decision, ErrorRecord, Signal
from brightline.policy import PolicyPack, load_pack
from brightline.registries import Registries
from brightline.registries.qualifications import shown_qualifications

if TYPE_CHECKING:
    from brightline.governance import Governance

log = logging.getLogger(__name__)


class Engine:
    """Loads a policy pack and the operator registries once, then screens items.

    >>> engine = Engine()                       # cn-cac-2025 pack, bundled example registries
    >>> engine.screen(Post(id="p1", text="加我薇❤ abc12345")).verdict
    """

    def __init__(
        self,
        policy: str | Path | PolicyPack | None = None,
        *,
        lexicon: str | Path | None = None,
        entities: str | Path | None = None,
        claims: str | Path | None = None,
        registries: Registries | None = None,
        detectors: Iterable[str] | None = None,
        base_path: str | Path | None = None,
        db: str | None = None,
        governance: Governance | None = None,
        detector_options: dict[str, dict[str, Any]] | None = None,
    ) -> None:
        self.pack = policy if isinstance(policy, PolicyPack) else load_pack(policy)
        self.registries = registries or Registries.load(lexicon=lexicon, entities=entities, claims=claims)
        classes = discover()
        wanted = list(detectors) if detectors is not None else (self.pack.detectors or list(classes))
        unknown = [f for f in wanted if f not in classes]
        if unknown:
            raise BrightlineError(
                f"unknown detector family {', '.join(unknown)}; available: {', '.join(classes) or 'none'}"
            )
        self.detectors: list[Detector] = [
            # Per-run options (e.g. screen --media-index) override the pack's detector_options key by key.
            classes[f](self.registries, {**self.pack.detector_options.get(f, {}), **(detector_options or {}).get(f, {})})
            for f in wanted
        ]
        self._by_kind: dict[str, list[Detector]] = {}
        for det in self.detectors:
            for kind in det.kinds:
                self._by_kind.setdefault(kind, []).append(det)
        self.accounts: dict[str, Account] = {}
        self.base_path = Path(base_path) if base_path is not None else None
        self._default_ctx = ScreenContext(self.registries, self.accounts, self.base_path)
        # Governance (store, ladder, audit) only when asked for: without it the Engine stays pure and fast.
        self.governance = governance
        if db is not None and governance is None:
            from brightline.governance import Governance

            self.governance = Governance(db, self.pack)

    @property
    def policy_ref(self) -> str:
        return self.pack.ref

    def add_account(self, account: Account) -> None:
        """Make an account known so posts by it are screened with its qualifications and history."""
        self.accounts[account.id] = account

    def context(self, base_path: Path | None = None, now: datetime | None = None) -> ScreenContext:
        if base_path is None and now is None:
            return self._default_ctx
        return ScreenContext(self.registries, self.accounts, base_path or self.base_path, now)

    def signals(self, item: ParsedItem, ctx: ScreenContext | None = None) -> tuple[list[Signal], list[str]]:
        """Run every enabled detector for the item's kind. A detector that fails is reported, not fatal."""
        ctx = ctx or self.context()
        signals: list[Signal] = []
        errors: list[str] = []
        for det in self._by_kind.get(item.kind, ()):
            try:
                signals.extend(det.detect(item, ctx))
            except BrightlineError as exc:
                errors.append(f"{det.family}: {exc}")
            except Exception as exc:  # a detector bug must not take down the batch
                log.exception("detector %s failed on %s %s", det.family, item.kind, item.id)
                errors.append(f"{det.family}: internal error {type(exc).__name__}: {exc}")
        return signals, errors

    def screen(
        self,
        item: ParsedItem,
        *,
        base_path: str | Path | None = None,
        now: datetime | None = None,
        persist: bool = True,
    ) -> Decision:
        """Screen one item and return its Decision. Accounts are remembered for later posts.

        With governance, the decision is stored and the account's history applied unless ``persist=False``.
        """
        if isinstance(item, Account):
            self.add_account(item)
        elif self.governance is not None and getattr(item, "account_id", None) and item.account_id not in self.accounts:
            known = self.governance.account(item.account_id)  # screened in an earlier run
            if known is not None:
                self.add_account(known)
        ctx = self.context(Path(base_path) if base_path is not None else None, now)
        signals, errors = self.signals(item, ctx)
        decision = self.pack.decide(item.ref, item, signals)
        # Seed 002 §3.3: a decision shows the author's current qualifications (field, issuer, expiry).
        owner = item if isinstance(item, Account) else self.accounts.get(getattr(item, "account_id", None) or "")
        if owner is not None and owner.qualifications:
            decision.qualifications = shown_qualifications(owner, ctx.now.date())
        if errors:
            decision.errors = errors
            # A detector could not finish: never let that silently pass as "allow".
            if decision.verdict == "allow":
                decision.verdict = "review"
                decision.automated = False
        if persist and self.governance is not None:
            return self.governance.record(item, decision, now=now, base_path=base_path or self.base_path)
        return decision

    def screen_object(self, obj: Any, *, line: int | None = None, base_path: str | Path | None = None) -> Decision | ErrorRecord:
        """Validate a decoded JSON object and screen it; bad input returns an ErrorRecord."""
        parsed = parse_object(obj, line)
        if isinstance(parsed, ErrorRecord):
            return parsed
        return self.screen(parsed, base_path=base_path)

    def screen_many(
        self, items: Iterable[ParsedItem | ErrorRecord], *, base_path: str | Path | None = None
    ) -> Iterator[Decision | ErrorRecord]:
        """Screen a stream; error records pass through in order so nothing is lost."""
        if self.governance is not None:  # batched: each batch is committed before it is yielded
            yield from self.governance.screen_stream(self, items, base_path=base_path)
            return
        for item in items:
            yield item if isinstance(item, ErrorRecord) else self.screen(item, base_path=base_path)
