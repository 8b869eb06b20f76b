"""The detector interface: one small class per detector family (the python-threatexchange pattern).

A detector reads one item (and the shared registries through the context) and returns Signals with
evidence. It knows nothing of policy or storage. To add one, drop a module in ``brightline/detectors``
defining a subclass of :class:`Detector`; :func:`brightline.detectors.discover` finds it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from brightline.model import Account, Post, Report, Signal

if TYPE_CHECKING:
    from brightline.registries import Registries


@dataclass
class ScreenContext:
    """What a detector may look at besides the item itself."""

    registries: Registries
    accounts: dict[str, Account] = field(default_factory=dict)
    base_path: Path | None = None
    fixed_now: datetime | None = None
    options: dict[str, Any] = field(default_factory=dict)

    @property
    def now(self) -> datetime:
        """The screening time: fixed for reproducible runs and tests, else the current UTC time."""
        return self.fixed_now or datetime.now(timezone.utc)

    def account_of(self, post: Post) -> Account | None:
        return self.accounts.get(post.account_id) if post.account_id else None


class Detector:
    """Base class. Subclasses set ``family`` and ``kinds`` and implement :meth:`detect`.

    ``family`` names the group of detector names the class emits (e.g. ``diversion`` emits
    ``diversion.contact`` and ``diversion.link``); a policy pack enables detectors by family.
    """

    family: ClassVar[str]
    emits: ClassVar[tuple[str, ...]]
    kinds: ClassVar[frozenset[str]] = frozenset({"post"})

    def __init__(self, registries: Registries, options: dict[str, Any] | None = None) -> None:
        self.registries = registries
        self.options = options or {}

    def detect(self, item: Post | Account | Report, ctx: ScreenContext) -> Iterable[Signal]:
        raise NotImplementedError
